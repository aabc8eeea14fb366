package dev.modelfeedback.examples;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.ModelId;
import dev.modelfeedback.servlet.FeedbackServlet;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A model server as a team would run one: embedded Jetty 12 with a toy model at
 * {@code POST /predict}, {@code POST /feedback} (the drop-in {@link FeedbackServlet}) and
 * {@code GET /metrics} (Prometheus client_java's servlet over Micrometer's registry, JVM metrics
 * included).
 *
 * <pre>{@code
 * try (ExampleServer server = ExampleServer.start(ExampleServer.Options.DEFAULT)) {
 *     server.join();
 * }
 * }</pre>
 *
 * <p>Thread-safe once started.
 */
public final class ExampleServer implements AutoCloseable {

    /**
     * How to run the server.
     *
     * @param host the address to listen on
     * @param port the port, 0 for one the OS picks
     * @param models the models served; none means the single model {@code default}
     * @param noop also mount {@code /noop}, the benchmark's no-op POST servlet
     */
    public record Options(String host, int port, List<ModelId> models, boolean noop) {

        /** Loopback, port 8080, model {@code default}, no {@code /noop}. */
        public static final Options DEFAULT = new Options("127.0.0.1", 8080, List.of(), false);

        /**
         * @throws IllegalArgumentException if the port is outside 0..65535
         */
        public Options {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            models = List.copyOf(models);
        }

    }

    private final Server server;
    private final ServerConnector connector;
    private final PrometheusMeterRegistry registry;
    private final ModelSet models;
    private final JvmGcMetrics gcMetrics;

    private ExampleServer(Options options, Consumer<ServletContextHandler> extraServlets) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        ModelSet.Builder served = ModelSet.builder(registry);
        options.models().forEach(served::model);
        models = served.build();

        QueuedThreadPool threads = new QueuedThreadPool();
        // Reserved threads trade CPU for latency; on a 2-core machine under load the trade is a
        // loss (measured with bench/http-bench.sh: about +10% requests/s without them).
        threads.setReservedThreads(0);
        threads.setName("http");
        server = new Server(threads);
        // Errors outside any servlet's own answers: JSON naming the status, nothing more.
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopAtShutdown(true);
        server.setStopTimeout(5_000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setErrorHandler(new JsonErrorHandler());
        context.addServlet(new ServletHolder("feedback", new FeedbackServlet(models)), "/feedback");
        context.addServlet(new ServletHolder("metrics",
                new PrometheusMetricsServlet(registry.getPrometheusRegistry())), "/metrics");
        context.addServlet(new ServletHolder("predict",
                new PredictServlet(ThresholdModel.DEFAULT, predictedModel(models), registry)), "/predict");
        if (options.noop()) {
            context.addServlet(new ServletHolder("noop", new NoopServlet()), "/noop");
        }
        extraServlets.accept(context);
        server.setHandler(context);
    }

    /** The model /predict speaks for: the default one, else the first by name. */
    private static ModelId predictedModel(ModelSet models) {
        return models.defaultModel()
                .map(name -> models.recorder(name).model())
                .orElseGet(() -> models.all().get(0).model());
    }

    /**
     * Starts a server.
     *
     * @param options where to listen and which models to serve
     * @return the running server
     * @throws Exception if Jetty cannot start, for example because the port is taken
     */
    public static ExampleServer start(Options options) throws Exception {
        return start(options, context -> { });
    }

    /** As {@link #start(Options)}, with more servlets mounted: for tests of the server's own behaviour. */
    static ExampleServer start(Options options, Consumer<ServletContextHandler> extraServlets) throws Exception {
        ExampleServer example = new ExampleServer(options, extraServlets);
        try {
            example.server.start();
        } catch (Exception e) {
            example.close();
            throw e;
        }
        return example;
    }

    /** The base URI to reach the server on this machine, for example {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        } else if (host.equals("::") || host.equals("[::]")) {
            host = "[::1]";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
    }

    /** The registry behind {@code /metrics}. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The models behind {@code /feedback}. */
    public ModelSet models() {
        return models;
    }

    /** Blocks until the server stops (Ctrl-C stops it through a shutdown hook). */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops the server, waiting up to 5 seconds for requests in flight.
     *
     * @throws IllegalStateException if Jetty fails to stop
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the example server did not stop cleanly", e);
        } finally {
            gcMetrics.close();
            registry.close();
        }
    }
}
