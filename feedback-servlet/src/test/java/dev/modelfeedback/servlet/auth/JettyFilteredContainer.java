package dev.modelfeedback.servlet.auth;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12 (ee10) on 127.0.0.1, port 0. */
final class JettyFilteredContainer implements FilteredContainer {

    private final Server server = new Server();

    @Override
    public URI start(Map<String, HttpServlet> servlets, FilterSpec filter, Map<String, Object> contextAttributes)
            throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        contextAttributes.forEach(context::setAttribute);
        FilterHolder holder = filter.instance() != null ? new FilterHolder(filter.instance())
                : new FilterHolder(BearerTokenFilter.class);
        holder.setInitParameters(filter.initParameters());
        holder.setAsyncSupported(true);
        context.addFilter(holder, "/feedback", EnumSet.of(DispatcherType.REQUEST));
        servlets.forEach((path, servlet) -> {
            ServletHolder servletHolder = new ServletHolder(servlet);
            servletHolder.setAsyncSupported(true);
            servletHolder.setInitOrder(1);
            context.addServlet(servletHolder, path);
        });
        server.setHandler(context);
        server.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }

    @Override
    public String toString() {
        return "Jetty";
    }
}
