package dev.modelfeedback.servlet;

import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
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

/** Embedded Tomcat 11 on 127.0.0.1, port 0, in a temporary base directory. */
final class TomcatContainer implements ServletContainer {

    static {
        // Tomcat logs every start and stop at INFO through java.util.logging; keep test output readable.
        Logger.getLogger("org.apache").setLevel(Level.WARNING);
    }

    private final Tomcat tomcat = new Tomcat();
    private Path baseDir;
    private boolean closed;

    @Override
    public URI start(HttpServlet servlet, Map<String, Object> contextAttributes, Map<String, String> initParameters)
            throws Exception {
        baseDir = Files.createTempDirectory("tomcat-contract");
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        // As Tomcat's security guide advises for production: error pages without stack traces.
        // Tomcat answers a body it could not read (client hung up, broken framing) with its own page.
        ErrorReportValve errorPages = new ErrorReportValve();
        errorPages.setShowReport(false);
        errorPages.setShowServerInfo(false);
        tomcat.getHost().getPipeline().addValve(errorPages);
        Context context = tomcat.addContext("", baseDir.toString());
        StandardContext standard = (StandardContext) context;
        standard.setFailCtxIfServletStartFails(true);
        // The servlet under test leaks nothing; these checks only print JDK module warnings.
        standard.setClearReferencesRmiTargets(false);
        standard.setClearReferencesThreadLocals(false);
        context.addServletContainerInitializer(
                (classes, servletContext) -> contextAttributes.forEach(servletContext::setAttribute), null);
        Wrapper wrapper = Tomcat.addServlet(context, "feedback", servlet);
        initParameters.forEach(wrapper::addInitParameter);
        wrapper.setLoadOnStartup(1);
        wrapper.setAsyncSupported(true);
        wrapper.addMapping("/feedback");
        // Tomcat logs a servlet's init failure instead of throwing it; keep it as the cause.
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getThrown() != null) {
                    failures.add(record.getThrown());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger catalina = Logger.getLogger("org.apache.catalina");
        catalina.addHandler(capture);
        try {
            tomcat.start();
        } finally {
            catalina.removeHandler(capture);
        }
        if (context.getState() != LifecycleState.STARTED) {
            IllegalStateException failure = new IllegalStateException("Tomcat context did not start: " + context.getState());
            failures.forEach(failure::addSuppressed);
            throw failure;
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
                files.sorted(Comparator.reverseOrder()).forEach(TomcatContainer::delete);
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
