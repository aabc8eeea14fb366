package dev.modelfeedback.examples;

import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.drift.DriftDetector;
import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.matrix.ClassLabels;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.model.Texts;
import dev.modelfeedback.redis.RedisPendingStore;
import dev.modelfeedback.servlet.FeedbackHandler;
import dev.modelfeedback.servlet.FeedbackServlet;
import dev.modelfeedback.servlet.RejectionReason;
import dev.modelfeedback.servlet.RequestRefusals;
import dev.modelfeedback.servlet.auth.BearerTokenFilter;
import dev.modelfeedback.servlet.auth.BearerTokens;
import dev.modelfeedback.servlet.auth.TokenFileException;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * A model server as a team would run one: embedded Jetty 12 with a toy model at
 * {@code POST /predict}, {@code POST /feedback} (the drop-in {@link FeedbackServlet}) and
 * {@code GET /metrics} (Prometheus client_java's servlet over Micrometer's registry, JVM metrics
 * included).
 *
 * <p>Hardened as a server facing clients should be: {@code TRACE} is refused on every path
 * ({@link NoTraceFilter}); with {@link Options#authTokenFile()}, {@code /feedback} and
 * {@code /predict} (and, with {@link Options#authMetrics()}, {@code /metrics}) need a bearer token
 * ({@link BearerTokenFilter}); every filter and servlet is async-supported. The process's log is
 * bounded by {@link Main}, not here: an application embedding this class keeps its own logging.
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
     * How to run the server. Start from {@link #DEFAULT} and change what differs with the
     * {@code with...} methods.
     *
     * @param host the address to listen on
     * @param port the port, 0 for one the OS picks
     * @param models the models served; none means the single model {@code default}
     * @param noop also mount {@code /noop}, the benchmark's no-op POST servlet
     * @param baseline the offline baseline of every model ({@link Baseline#NONE} for none)
     * @param modelBaselines offline baselines of single models, by name; they replace {@code baseline}
     * @param baselineFromFirst the size of every model's reference period, 0 for none
     * @param driftDetectors the names of the drift detectors every model runs ({@link DriftDetector#NAMES});
     *     empty for none, {@code null} for the library's default
     * @param pendingCapacity the most predictions (and remembered ids) waiting per model
     * @param pendingTtl how long a prediction waits for its actual value
     * @param store {@code redis://HOST[:PORT][/DB]} to keep pending predictions in Redis, shared by
     *     replicas (its password from {@link ExampleServer#REDIS_PASSWORD_ENV}; the capacity is then the Redis
     *     store's, per model); {@code null} for this process's memory
     * @param predictModel the model {@code /predict} speaks for, {@code NAME} or {@code NAME@VERSION};
     *     {@code null} for the default model, or the first served if there is none
     * @param authTokenFile the file of the bearer tokens that {@code /feedback} and {@code /predict}
     *     require ({@link BearerTokens#load}); {@code null} for none, every request is let through
     * @param authMetrics whether {@code /metrics} requires a token too; only with a token file
     * @param classes the declared classes of models served, by name (every version of it); a model
     *     not named is binary
     */
    public record Options(String host, int port, List<ModelId> models, boolean noop, Baseline baseline,
            Map<String, Baseline> modelBaselines, long baselineFromFirst, @Nullable List<String> driftDetectors,
            long pendingCapacity, Duration pendingTtl, @Nullable String store, @Nullable String predictModel,
            @Nullable Path authTokenFile, boolean authMetrics, Map<String, List<String>> classes) {

        /** Loopback, port 8080, model {@code default}, no {@code /noop}, no baseline, library defaults otherwise. */
        public static final Options DEFAULT = new Options("127.0.0.1", 8080, List.of(), false, Baseline.NONE,
                Map.of(), 0, null, PendingStore.DEFAULT_CAPACITY, PendingStore.DEFAULT_TTL, null, null,
                null, false, Map.of());

        /**
         * @throws IllegalArgumentException if the port is outside 0..65535, a model baseline names a
         *     model not served, both kinds of baseline are set for every model, or {@code /metrics}
         *     is to require a token without a token file
         */
        public Options {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            models = List.copyOf(models);
            Objects.requireNonNull(baseline, "baseline");
            modelBaselines = Map.copyOf(modelBaselines);
            List<ModelId> servedModels = served(models);
            for (String model : modelBaselines.keySet()) {
                if (servedModels.stream().noneMatch(served -> matches(served, model))) {
                    throw new IllegalArgumentException("--baseline names model " + Texts.quote(model)
                            + ", which is not served; served: " + describe(servedModels));
                }
            }
            if (predictModel != null && servedModels.stream().noneMatch(served -> matches(served, predictModel))) {
                throw new IllegalArgumentException("--predict-model names model " + Texts.quote(predictModel)
                        + ", which is not served; served: " + describe(servedModels));
            }
            if (baselineFromFirst < 0) {
                throw new IllegalArgumentException("baselineFromFirst must not be negative, got " + baselineFromFirst);
            }
            if (baselineFromFirst > 0 && !baseline.isEmpty()) {
                throw new IllegalArgumentException(
                        "give every model either an offline baseline (--baseline without MODEL:) or a reference"
                                + " period (--baseline-from-first), not both");
            }
            InMemoryPendingStore.requireValidSettings(pendingCapacity, pendingTtl);
            if (store != null) {
                RedisPendingStore.requireValidUri(store);
            }
            if (authMetrics && authTokenFile == null) {
                throw new IllegalArgumentException("--auth-metrics needs --auth-token-file FILE: the tokens /metrics"
                        + " is to require");
            }
            Map<String, List<String>> declared = new LinkedHashMap<>();
            classes.forEach((model, labels) -> {
                if (servedModels.stream().noneMatch(served -> served.name().equals(model))) {
                    throw new IllegalArgumentException("--classes names model " + Texts.quote(model)
                            + ", which is not served; served: " + describe(servedModels));
                }
                try {
                    ClassLabels.of(labels);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--classes of model " + Texts.quote(model) + ": " + e.getMessage(), e);
                }
                declared.put(model, List.copyOf(labels));
            });
            classes = Collections.unmodifiableMap(declared);
            for (ModelId model : servedModels) {
                Baseline own = modelBaselines.containsKey(model.toString()) ? modelBaselines.get(model.toString())
                        : modelBaselines.getOrDefault(model.name(), baseline);
                List<Metric> metrics = Metric.baselineMetrics(classes.containsKey(model.name()));
                try {
                    own.requireApplies(model, metrics);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--baseline: " + e.getMessage()
                            + (classes.containsKey(model.name()) ? " (it declares classes)" : ""), e);
                }
            }
            if (driftDetectors != null) {
                driftDetectors = List.copyOf(driftDetectors);
                driftDetectors.forEach(DriftDetector::named);
                if (driftDetectors.stream().distinct().count() != driftDetectors.size()) {
                    throw new IllegalArgumentException("drift detectors must not repeat, got " + driftDetectors);
                }
            }
        }

        /** Listening on another port. */
        public Options withPort(int newPort) {
            return new Options(host, newPort, models, noop, baseline, modelBaselines, baselineFromFirst, driftDetectors, pendingCapacity, pendingTtl, store, predictModel, authTokenFile, authMetrics, classes);
        }

        /** Serving these models. */
        public Options withModels(List<ModelId> newModels) {
            return new Options(host, port, newModels, noop, baseline, modelBaselines, baselineFromFirst, driftDetectors, pendingCapacity, pendingTtl, store, predictModel, authTokenFile, authMetrics, classes);
        }

        /** With every model's offline baseline. */
        public Options withBaseline(Baseline newBaseline) {
            return new Options(host, port, models, noop, newBaseline, modelBaselines, baselineFromFirst, driftDetectors, pendingCapacity, pendingTtl, store, predictModel, authTokenFile, authMetrics, classes);
        }

        /** With every model's baseline taken from its first {@code items} feedback items. */
        public Options withBaselineFromFirst(long items) {
            return new Options(host, port, models, noop, baseline, modelBaselines, items, driftDetectors, pendingCapacity, pendingTtl, store, predictModel, authTokenFile, authMetrics, classes);
        }

        /** Running these drift detectors on every model; none for none. */
        public Options withDriftDetectors(List<String> names) {
            return new Options(host, port, models, noop, baseline, modelBaselines, baselineFromFirst, names,
                    pendingCapacity, pendingTtl, store, predictModel, authTokenFile, authMetrics, classes);
        }

        /** With these settings of the in-memory pending store. */
        public Options withPending(long capacity, Duration ttl) {
            return new Options(host, port, models, noop, baseline, modelBaselines, baselineFromFirst, driftDetectors,
                    capacity, ttl, store, predictModel, authTokenFile, authMetrics, classes);
        }

        /** Keeping pending predictions in the Redis server at {@code uri}, shared by replicas. */
        public Options withStore(String uri) {
            return new Options(host, port, models, noop, baseline, modelBaselines, baselineFromFirst, driftDetectors,
                    pendingCapacity, pendingTtl, uri, predictModel, authTokenFile, authMetrics, classes);
        }

        /** With {@code /predict} speaking for this model, {@code NAME} or {@code NAME@VERSION}. */
        public Options withPredictModel(String model) {
            return new Options(host, port, models, noop, baseline, modelBaselines, baselineFromFirst, driftDetectors,
                    pendingCapacity, pendingTtl, store, model, authTokenFile, authMetrics, classes);
        }

        /** Requiring a bearer token from {@code tokenFile} on {@code /feedback}, {@code /predict} and, if {@code metrics}, {@code /metrics}. */
        public Options withAuth(Path tokenFile, boolean metrics) {
            return new Options(host, port, models, noop, baseline, modelBaselines, baselineFromFirst, driftDetectors,
                    pendingCapacity, pendingTtl, store, predictModel, tokenFile, metrics, classes);
        }

        /** Declaring the classes of these served models, by name. */
        public Options withClasses(Map<String, List<String>> newClasses) {
            return new Options(host, port, models, noop, baseline, modelBaselines, baselineFromFirst, driftDetectors,
                    pendingCapacity, pendingTtl, store, predictModel, authTokenFile, authMetrics, newClasses);
        }

        /** The baseline of one served model: its version's own, its name's, or none. */
        @Nullable Baseline baselineOf(ModelId model) {
            Baseline own = modelBaselines.get(model.toString());
            return own != null ? own : modelBaselines.get(model.name());
        }

        /** Whether {@code given} ({@code NAME} or {@code NAME@VERSION}) names {@code model}. */
        static boolean matches(ModelId model, String given) {
            return given.equals(model.name()) || given.equals(model.toString());
        }

        private static String describe(List<ModelId> models) {
            return models.stream().map(ModelId::toString).collect(java.util.stream.Collectors.joining(", "));
        }

        /** The models served: those given, or {@code default} if none. */
        List<ModelId> servedModels() {
            return served(models);
        }

        private static List<ModelId> served(List<ModelId> models) {
            return models.isEmpty() ? List.of(ModelId.DEFAULT) : models;
        }
    }

    /** The counter of refused requests to {@code /metrics}, with {@code --auth-metrics}. */
    static final String METRICS_REJECTED = "metrics.rejected";
    /** Its description. */
    static final String METRICS_REJECTED_DESCRIPTION = "Requests to /metrics refused, by reason.";
    /** What {@code /metrics} and paths without an endpoint answer, for the {@code Allow} header. */
    static final String READ_ONLY_METHODS = "GET, HEAD, OPTIONS";

    /** The environment variable the Redis password is read from: never from the command line. */
    public static final String REDIS_PASSWORD_ENV = "FEEDBACK_REDIS_PASSWORD";

    private final Server server;
    private final ServerConnector connector;
    private final PrometheusMeterRegistry registry;
    private final ModelSet models;
    private final JvmGcMetrics gcMetrics;
    private final @Nullable RedisPendingStore redis;

    private ExampleServer(Options options, Consumer<ServletContextHandler> extraServlets) throws TokenFileException {
        // Read first: a token file that cannot be used stops the server before it opens anything.
        BearerTokens tokens = options.authTokenFile() == null ? null : BearerTokens.load(options.authTokenFile());
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        ModelSet.Builder served = ModelSet.builder(registry)
                .pendingCapacity(options.pendingCapacity()).pendingTtl(options.pendingTtl())
                .eachModel(recorder -> {
            if (!options.baseline().isEmpty()) {
                recorder.baseline(options.baseline());
            }
            if (options.baselineFromFirst() > 0) {
                recorder.baselineFromFirst(options.baselineFromFirst());
            }
            if (options.driftDetectors() != null) {
                recorder.driftDetectors(options.driftDetectors().stream().map(DriftDetector::named).toList());
            }
        });
        for (ModelId model : options.servedModels()) {
            Baseline own = options.baselineOf(model);
            served.model(model.name(), model.version(), recorder -> {
                if (own != null) {
                    recorder.baseline(own);
                }
            });
        }
        options.classes().forEach(served::classes);
        if (options.store() != null) {
            redis = RedisPendingStore.builder(options.store()).password(System.getenv(REDIS_PASSWORD_ENV))
                    .ttl(options.pendingTtl()).capacity(options.pendingCapacity()).build();
            served.pendingStore(redis);
        } else {
            redis = null;
        }
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
        // TRACE would echo every header, Authorization and Cookie included: refused on every path.
        context.addFilter(asyncFilter("no-trace", new NoTraceFilter(Map.of(
                "/feedback", new NoTraceFilter.Endpoint(FeedbackHandler.ALLOWED_METHODS,
                        refusalsOf(BearerTokenFilter.FEEDBACK_REJECTED, BearerTokenFilter.FEEDBACK_REJECTED_DESCRIPTION)),
                "/predict", new NoTraceFilter.Endpoint(PredictServlet.ALLOWED_METHODS,
                        refusalsOf(PredictServlet.REJECTED, PredictServlet.REJECTED_DESCRIPTION)),
                "/metrics", new NoTraceFilter.Endpoint(READ_ONLY_METHODS, null),
                "/noop", new NoTraceFilter.Endpoint(PredictServlet.ALLOWED_METHODS, null)),
                new NoTraceFilter.Endpoint(READ_ONLY_METHODS, null))), "/*", EnumSet.of(DispatcherType.REQUEST));
        if (tokens != null) {
            context.addFilter(asyncFilter("auth-feedback", BearerTokenFilter.builder(tokens).countIn(registry).build()),
                    "/feedback", EnumSet.of(DispatcherType.REQUEST));
            context.addFilter(asyncFilter("auth-predict", BearerTokenFilter.builder(tokens)
                    .countIn(registry, PredictServlet.REJECTED, PredictServlet.REJECTED_DESCRIPTION).build()),
                    "/predict", EnumSet.of(DispatcherType.REQUEST));
            if (options.authMetrics()) {
                context.addFilter(asyncFilter("auth-metrics", BearerTokenFilter.builder(tokens)
                        .countIn(registry, METRICS_REJECTED, METRICS_REJECTED_DESCRIPTION).build()),
                        "/metrics", EnumSet.of(DispatcherType.REQUEST));
            }
        }
        context.addServlet(asyncServlet("feedback", new FeedbackServlet(models)), "/feedback");
        context.addServlet(asyncServlet("metrics", new PrometheusMetricsServlet(registry.getPrometheusRegistry())),
                "/metrics");
        context.addServlet(asyncServlet("predict",
                new PredictServlet(ThresholdModel.DEFAULT, predictedModel(models, options.predictModel()), registry)),
                "/predict");
        if (options.noop()) {
            context.addServlet(asyncServlet("noop", new NoopServlet()), "/noop");
        }
        extraServlets.accept(context);
        server.setHandler(context);
    }

    /** A filter that lets the servlets behind it go asynchronous (FeedbackServlet reads bodies without blocking). */
    private static FilterHolder asyncFilter(String name, Filter filter) {
        FilterHolder holder = new FilterHolder(filter);
        holder.setName(name);
        holder.setAsyncSupported(true);
        return holder;
    }

    private static ServletHolder asyncServlet(String name, Servlet servlet) {
        ServletHolder holder = new ServletHolder(name, servlet);
        holder.setAsyncSupported(true);
        return holder;
    }

    /** Counts {@code method_not_allowed} in an endpoint's refusal counter, registered as the endpoint registers it. */
    private RequestRefusals refusalsOf(String meterName, String description) {
        return new RequestRefusals(registry, meterName, description, EnumSet.of(RejectionReason.METHOD_NOT_ALLOWED),
                System.getLogger(NoTraceFilter.class.getName()));
    }

    /** The model /predict speaks for: the one named, else the default one, else the first by name. */
    private static FeedbackRecorder predictedModel(ModelSet models, @Nullable String named) {
        if (named != null) {
            return models.all().stream().filter(r -> Options.matches(r.model(), named)).findFirst().orElseThrow();
        }
        return models.defaultModel().flatMap(name -> models.versions(name).stream().findFirst())
                .orElseGet(() -> models.all().get(0));
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
            // Bind first: a port that is taken fails here, before Jetty starts (and logs) anything.
            example.connector.open();
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
            if (redis != null) {
                redis.close();
            }
            gcMetrics.close();
            registry.close();
        }
    }
}
