package dev.modelfeedback.servlet;

import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12 (ee10) on 127.0.0.1, port 0. */
final class JettyContainer implements ServletContainer {

    private final Server server = new Server();
    private final boolean asyncSupported;

    /** The servlet registered async-supported, as it must be. */
    JettyContainer() {
        this(true);
    }

    /** @param asyncSupported false to register the servlet as a careless deployment would */
    JettyContainer(boolean asyncSupported) {
        this.asyncSupported = asyncSupported;
    }

    @Override
    public URI start(HttpServlet servlet, Map<String, Object> contextAttributes, Map<String, String> initParameters)
            throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        contextAttributes.forEach(context::setAttribute);
        ServletHolder holder = new ServletHolder(servlet);
        holder.setInitParameters(initParameters);
        holder.setInitOrder(1);
        holder.setAsyncSupported(asyncSupported);
        context.addServlet(holder, "/feedback");
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
