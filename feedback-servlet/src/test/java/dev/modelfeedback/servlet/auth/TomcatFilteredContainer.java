package dev.modelfeedback.servlet.auth;

import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Embedded Tomcat 11 on 127.0.0.1, port 0, in a temporary base directory. */
final class TomcatFilteredContainer implements FilteredContainer {

    static {
        // Tomcat logs every start and stop at INFO through java.util.logging; keep test output readable.
        Logger.getLogger("org.apache").setLevel(Level.WARNING);
    }

    private final Tomcat tomcat = new Tomcat();
    private Path baseDir;
    private boolean closed;

    @Override
    public URI start(Map<String, HttpServlet> servlets, FilterSpec filter, Map<String, Object> contextAttributes)
            throws Exception {
        baseDir = Files.createTempDirectory("tomcat-auth");
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        ErrorReportValve errorPages = new ErrorReportValve();
        errorPages.setShowReport(false);
        errorPages.setShowServerInfo(false);
        tomcat.getHost().getPipeline().addValve(errorPages);
        Context context = tomcat.addContext("", baseDir.toString());
        StandardContext standard = (StandardContext) context;
        standard.setFailCtxIfServletStartFails(true);
        standard.setClearReferencesRmiTargets(false);
        standard.setClearReferencesThreadLocals(false);
        context.addServletContainerInitializer(
                (classes, servletContext) -> contextAttributes.forEach(servletContext::setAttribute), null);

        FilterDef definition = new FilterDef();
        definition.setFilterName("auth");
        if (filter.instance() != null) {
            definition.setFilter(filter.instance());
        }
        definition.setFilterClass(BearerTokenFilter.class.getName());
        definition.setAsyncSupported("true");
        filter.initParameters().forEach(definition::addInitParameter);
        context.addFilterDef(definition);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName("auth");
        mapping.addURLPattern("/feedback");
        context.addFilterMap(mapping);

        int n = 0;
        for (Map.Entry<String, HttpServlet> servlet : servlets.entrySet()) {
            String name = "servlet-" + n++;
            Wrapper wrapper = Tomcat.addServlet(context, name, servlet.getValue());
            wrapper.setAsyncSupported(true);
            wrapper.setLoadOnStartup(1);
            wrapper.addMapping(servlet.getKey());
        }
        tomcat.start();
        if (context.getState() != LifecycleState.STARTED) {
            throw new IllegalStateException("Tomcat context did not start: " + context.getState());
        }
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("Tomcat did not stop", e);
        }
        if (baseDir != null) {
            try (Stream<Path> files = Files.walk(baseDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(TomcatFilteredContainer::delete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "Tomcat";
    }
}
