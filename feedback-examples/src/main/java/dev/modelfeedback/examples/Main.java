package dev.modelfeedback.examples;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.drift.DriftDetector;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.model.Texts;
import dev.modelfeedback.examples.logging.ServerLog;
import dev.modelfeedback.servlet.auth.TokenFileException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The command line of the example jar: {@code serve} (the default), {@code simulate} and
 * {@code demo}. See {@link #USAGE}.
 */
public final class Main {

    static final String USAGE = """
            usage: java -jar feedback-examples.jar [serve|simulate|demo] [options]

            serve (the default)  run the example model server until Ctrl-C
              --host HOST          address to listen on (default 127.0.0.1)
              --port N             port to listen on, 0 for any free port (default 8080)
              --model NAME[@VER]   serve this model; repeat for several, and for several versions of one
                                   name side by side (default: default@unknown)
              --classes MODEL:LABEL,LABEL[,LABEL...]
                                   MODEL (every version) has these classes, 2 to 32 labels in the order
                                   of its confusion matrix; its items carry labels; repeatable, one per
                                   model (default: binary, values 0 and 1)
              --baseline [MODEL[@VER]:]METRIC=VALUE[,METRIC=VALUE...]
                                   the offline baseline (accuracy, precision, recall, f1; for a model
                                   with classes accuracy, macro_f1; for either, of its scores, roc_auc
                                   and log_loss, which is at least 0) of MODEL (every version, or
                                   one), or of every model without MODEL:; repeatable
              --baseline-from-first N
                                   every model's baseline is its first N feedbacks (a reference period)
              --drift-detectors LIST
                                   drift detectors on every model: ddm, hddm_a, adwin, page_hinkley,
                                   comma-separated, or none (default: hddm_a)
              --pending-capacity N predictions (and remembered ids) kept per model (default %s)
              --pending-ttl DURATION
                                   how long a prediction waits for its actual value: 90s, 30m, 48h,
                                   7d (default %s)
              --store URI          keep pending predictions in Redis, shared by every replica that names
                                   it: redis://HOST[:PORT][/DB]; the password, if any, from the
                                   environment variable FEEDBACK_REDIS_PASSWORD (default: in memory)
              --predict-model NAME[@VER]
                                   the model /predict speaks for (default: the default model)
              --noop               also serve /noop, the HTTP benchmark's no-op floor
              --auth-token-file FILE
                                   /feedback and /predict require Authorization: Bearer TOKEN, one of
                                   the tokens in FILE (one per line, at least 16 characters; blank
                                   lines and # comments ignored); read at start, so a restart rotates
                                   them (default: no token required)
              --auth-metrics       /metrics requires a token from the same file too (default: open)

            simulate             send feedback scenarios to a server
              --url URL            the /feedback URL (default http://localhost:8080/feedback)
              --model NAME[@VER]   name this model (and version) in each item (default: the server's default)
              --scenario NAME      seed: replay the seed's scenarios (the default); drift: a rise of
                                   the error rate, and where each of the server's detectors fired;
                                   delayed: predictions through /predict, their actuals later by id;
                                   multiclass: a stream over the model's declared classes in which
                                   the second class's recall drops from 90%% to 50%% halfway, and each
                                   class's recall before and after, from the server's counts;
                                   scores: a binary model's calibrated scores, then halfway the same
                                   ranking over-confident, and ROC AUC, log loss, Brier score and
                                   calibration error before and after, from the server's counts
              --delay-ms N         seed: pause after each request (default 1000)
              --runs N             seed: runs of 20 requests; 2 replays the seed's output (default 2)
              --seed N             drift, delayed, multiclass, scores: the seed of the random stream
                                   (default 1)
              --rates A,B          drift: error rates before and after the rise (default 0.1,0.3)
              --lengths N,M        drift: feedbacks before and after the rise (default 2000,2000)

            demo                 serve six models, run a scenario against each, print their verdicts,
                                 keep serving until Ctrl-C: the seed's replay on seed@v1, the drift
                                 on ranker@v2 beside its champion ranker@v1, the delayed labels on
                                 fraud@v1 (through /predict), the multi-class stream on intent@v1
                                 (classes billing, tech, sales, account), the scored feedback on
                                 risk@v1
              --host, --port, --baseline, --baseline-from-first, --drift-detectors, --pending-capacity,
              --pending-ttl, --store, --delay-ms, --runs, --seed, --rates, --lengths as above (without a
                                   baseline option, demo sets --baseline accuracy=0.85; without
                                   --drift-detectors, all four)
            """.formatted(PendingStore.DEFAULT_CAPACITY_TEXT, PendingStore.DEFAULT_TTL_TEXT);

    /**
     * The baseline {@code demo} sets when given none: what such a model would reach offline. The
     * champion (10% error) clears it, the challenger after its rise (30%) falls below it.
     */
    static final Baseline DEMO_BASELINE = Baseline.parse("accuracy=0.85");

    /** The seed's replay in {@code demo}. */
    static final ModelId DEMO_SEED = new ModelId("seed", "v1");
    /** The champion of {@code demo}'s drift scenario: the same traffic, its error rate unchanged. */
    static final ModelId DEMO_CHAMPION = new ModelId("ranker", "v1");
    /** The challenger of {@code demo}'s drift scenario, whose error rate rises. */
    static final ModelId DEMO_CHALLENGER = new ModelId("ranker", "v2");
    /** The model of {@code demo}'s delayed labels, which {@code /predict} speaks for. */
    static final ModelId DEMO_DELAYED = new ModelId("fraud", "v1");
    /** The model of {@code demo}'s multi-class scenario, with {@link MultiClassScenario#DEMO_CLASSES}. */
    static final ModelId DEMO_INTENT = new ModelId("intent", "v1");
    /** The binary model of {@code demo}'s scores scenario, whose scores turn over-confident. */
    static final ModelId DEMO_RISK = new ModelId("risk", "v1");
    /** Every model {@code demo} serves, each scenario its own, so that each one's numbers move. */
    static final List<ModelId> DEMO_MODELS = List.of(DEMO_SEED, DEMO_CHAMPION, DEMO_CHALLENGER, DEMO_DELAYED,
            DEMO_INTENT, DEMO_RISK);

    private static final Set<String> SERVE_OPTIONS = Set.of("--host", "--port", "--model", "--classes", "--baseline",
            "--baseline-from-first", "--drift-detectors", "--pending-capacity", "--pending-ttl", "--store",
            "--predict-model", "--noop", "--auth-token-file", "--auth-metrics");
    private static final Set<String> SIMULATE_OPTIONS = Set.of("--url", "--model", "--scenario", "--delay-ms", "--runs",
            "--seed", "--rates", "--lengths");
    private static final Set<String> DEMO_OPTIONS = Set.of("--host", "--port", "--baseline",
            "--baseline-from-first", "--drift-detectors", "--pending-capacity", "--pending-ttl", "--store", "--delay-ms", "--runs",
            "--seed", "--rates", "--lengths");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Before anything logs: Jetty's lines and ours, bounded in length and rate, whatever the
        // requests hold.
        try {
            ServerLog.install();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs a command; returns the process exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        switch (arguments.command()) {
            case "help" -> out.print(USAGE);
            case "simulate" -> {
                int failures = switch (arguments.scenario()) {
                    case "drift" -> arguments.driftScenario(arguments.url(), out).run();
                    case "delayed" -> new DelayedScenario(arguments.url(), arguments.drift().seed(), out).run();
                    case "multiclass" -> new MultiClassScenario(arguments.url(), arguments.simulatedModel(),
                            arguments.drift().seed(), out).run();
                    case "scores" -> new ScoreScenario(arguments.url(), arguments.simulatedModel(),
                            arguments.drift().seed(), out).run();
                    default -> arguments.simulator(arguments.url(), out).run(arguments.runs());
                };
                if (failures > 0) {
                    err.println(failures + " feedback request(s) failed");
                    return 1;
                }
            }
            case "demo" -> {
                try (ExampleServer server = start(arguments.server(), err)) {
                    if (server == null) {
                        return 1;
                    }
                    printWhereToLook(server.uri(), out);
                    printStore(arguments.server(), out);
                    printBaselines(arguments.server(), out);
                    out.println();
                    URI feedback = server.uri().resolve("/feedback");
                    out.println("=== Scenario: the seed's replay, on model " + DEMO_SEED + " ===");
                    int failures = new FeedbackSimulator(feedback, target(DEMO_SEED), arguments.delay(), out,
                            Clock.systemDefaultZone()).run(arguments.runs());
                    failures += new DriftScenario(feedback, target(DEMO_CHALLENGER), target(DEMO_CHAMPION),
                            arguments.drift(), out).run();
                    out.println();
                    failures += new DelayedScenario(feedback, arguments.drift().seed(), out).run();
                    out.println();
                    failures += new MultiClassScenario(feedback, target(DEMO_INTENT), arguments.drift().seed(), out).run();
                    out.println();
                    failures += new ScoreScenario(feedback, target(DEMO_RISK), arguments.drift().seed(), out).run();
                    out.println("Simulation done" + (failures == 0 ? "." : ", " + failures + " request(s) failed."));
                    out.println();
                    VerdictReport.print(feedback, out);
                    out.println();
                    out.println("Open " + feedback + " in a browser: every model's verdict, quality, drift and delayed"
                            + " labels at a glance, refreshing by itself.");
                    out.println();
                    printWhereToSeeRecentQuality(server.uri(), out);
                    out.println("Ctrl-C stops the server.");
                    out.flush();
                    server.join();
                }
            }
            default -> {
                try (ExampleServer server = start(arguments.server(), err)) {
                    if (server == null) {
                        return 1;
                    }
                    printWhereToLook(server.uri(), out);
                    printAuth(arguments.server(), out);
                    printStore(arguments.server(), out);
                    printBaselines(arguments.server(), out);
                    out.println("Ctrl-C stops the server.");
                    out.flush();
                    server.join();
                }
            }
        }
        return 0;
    }

    private static ModelTarget target(ModelId model) {
        return new ModelTarget(model.name(), model.version());
    }

    /**
     * Starts the server, or says in one line why it cannot listen (the port is taken, the address is
     * not this machine's) or cannot use its token file, and returns null.
     */
    static @Nullable ExampleServer start(ExampleServer.Options options, PrintStream err) throws Exception {
        try {
            return ExampleServer.start(options);
        } catch (TokenFileException e) {
            err.println("error: --auth-token-file: " + e.getMessage());
            return null;
        } catch (IOException e) {
            if (!(e.getCause() instanceof BindException bind)) {
                throw e;
            }
            String where = options.host() + ":" + options.port();
            if (String.valueOf(bind.getMessage()).contains("in use")) {
                err.println("error: cannot listen on " + where + ": the port is already in use; choose another with"
                        + " --port N (--port 0 takes any free port)");
            } else {
                err.println("error: cannot listen on " + where + ": " + bind.getMessage() + "; choose another address"
                        + " with --host (127.0.0.1, or 0.0.0.0 for every interface)");
            }
            return null;
        }
    }

    static void printAuth(ExampleServer.Options options, PrintStream out) {
        if (options.authTokenFile() != null) {
            out.println("/feedback and /predict" + (options.authMetrics() ? " and /metrics" : "")
                    + " require Authorization: Bearer TOKEN, a token of " + options.authTokenFile()
                    + (options.authMetrics() ? "" : "; /metrics is open"));
        }
    }

    static void printStore(ExampleServer.Options options, PrintStream out) {
        if (options.store() != null) {
            out.println("Pending predictions in Redis at " + options.store() + ", shared by every replica that names it"
                    + (System.getenv(ExampleServer.REDIS_PASSWORD_ENV) == null ? ""
                            : " (password from " + ExampleServer.REDIS_PASSWORD_ENV + ")"));
        }
    }

    static void printBaselines(ExampleServer.Options options, PrintStream out) {
        if (!options.baseline().isEmpty()) {
            out.println("Baseline of every model: " + describe(options.baseline()));
        }
        if (options.baselineFromFirst() > 0) {
            out.println("Baseline of every model: its first " + options.baselineFromFirst() + " feedbacks");
        }
        options.modelBaselines().forEach((model, baseline) ->
                out.println("Baseline of " + model + ": " + describe(baseline)));
    }

    private static String describe(Baseline baseline) {
        StringBuilder text = new StringBuilder();
        baseline.values().forEach((metric, value) ->
                text.append(text.length() == 0 ? "" : ", ").append(metric.key()).append(' ').append(value));
        return text.toString();
    }

    static void printWhereToSeeRecentQuality(URI base, PrintStream out) {
        out.println("Each model's verdict, while the server keeps serving: GET " + base.resolve("/feedback")
                + " \"verdict\" (state and reasons), the page's header, the alerts below.");
        out.println("Recent accuracy against the baseline:");
        out.println("  GET " + base.resolve("/feedback") + " (JSON)   \"windows\": 5m, 1h and lifetime, each with its 95%"
                + " interval and \"below_baseline\"");
        out.println("  Prometheus scraping " + base.resolve("/metrics") + " (feedback-examples/monitoring/prometheus.yml):");
        out.println("    model:accuracy:ratio_rate1h between model:accuracy_lower95:ratio_rate1h and"
                + " model:accuracy_upper95:ratio_rate1h (all replicas, last hour)");
        out.println("    against model_baseline{metric=\"accuracy\"}; the alert ModelBelowBaseline fires when the"
                + " whole interval is under it");
        out.println("Delayed labels: GET " + base.resolve("/feedback") + " \"pending\", \"unmatched\" and \"label_delay\";"
                + " in Prometheus feedback_pending_predictions, feedback_unmatched_total{reason} and"
                + " feedback_label_delay_seconds");
        out.println("Drift: GET " + base.resolve("/feedback") + " \"drift\" (each detector's state, detections, the"
                + " last one's time and feedback); in Prometheus model_drift_state and model_drift_detected_total,"
                + " and the alert ModelDriftDetected");
        out.println("Scores: GET " + base.resolve("/feedback") + " \"scores\" in each window (ROC AUC and its interval,"
                + " average precision, log loss, Brier score, ECE and the reliability table); in Prometheus"
                + " model_roc_auc, model_log_loss, model_brier_score, model_calibration_error, and the counters"
                + " they come from (model_score_buckets_total{actual,le}, model_log_loss_sum_total, ...)");
    }

    static void printWhereToLook(URI base, PrintStream out) {
        out.println("model-feedback example server on " + base);
        out.println("  POST " + base.resolve("/predict") + "    {\"feature\":0.73}  the toy model's prediction, with an id");
        out.println("  POST " + base.resolve("/feedback") + "   {\"prediction\":1,\"actual\":0}  or  {\"id\":\"...\",\"actual\":0}");
        out.println("  GET  " + base.resolve("/feedback") + "   every model's status: a page in a browser, JSON for programs");
        out.println("  GET  " + base.resolve("/metrics") + "    Prometheus scrape");
        out.flush();
    }

    /** The parsed command line. */
    record Arguments(String command, ExampleServer.Options server, URI url, ModelTarget simulatedModel,
            String scenario, Duration delay, int runs, DriftScenario.Settings drift) {

        static Arguments parse(String[] args) {
            String command = "serve";
            int i = 0;
            if (args.length > 0 && !args[0].startsWith("-")) {
                command = args[0];
                i = 1;
            }
            Set<String> allowed = switch (command) {
                case "serve" -> SERVE_OPTIONS;
                case "simulate" -> SIMULATE_OPTIONS;
                case "demo" -> DEMO_OPTIONS;
                default -> throw new IllegalArgumentException("unknown command '" + command
                        + "'; expected serve, simulate or demo");
            };
            String host = ExampleServer.Options.DEFAULT.host();
            int port = ExampleServer.Options.DEFAULT.port();
            List<ModelId> models = new ArrayList<>();
            Baseline everyModel = Baseline.NONE;
            Map<String, Baseline> modelBaselines = new LinkedHashMap<>();
            Map<String, List<String>> classes = new LinkedHashMap<>();
            long baselineFromFirst = 0;
            boolean noop = false;
            List<String> driftDetectors = null;
            long pendingCapacity = ExampleServer.Options.DEFAULT.pendingCapacity();
            Duration pendingTtl = ExampleServer.Options.DEFAULT.pendingTtl();
            String store = null;
            String predictModel = null;
            Path authTokenFile = null;
            boolean authMetrics = false;
            URI url = URI.create("http://localhost:8080/feedback");
            ModelTarget simulatedModel = ModelTarget.DEFAULT;
            String scenario = "seed";
            Duration delay = Duration.ofSeconds(1);
            int runs = 2;
            DriftScenario.Settings drift = DriftScenario.Settings.DEFAULT;
            for (; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("-h") || arg.equals("--help")) {
                    command = "help";
                    continue;
                }
                if (!allowed.contains(arg)) {
                    throw new IllegalArgumentException("unknown argument '" + arg + "' for " + command);
                }
                switch (arg) {
                    case "--host" -> host = value(args, ++i, arg);
                    case "--port" -> port = integer(value(args, ++i, arg), arg, 0);
                    case "--model" -> {
                        String value = value(args, ++i, arg);
                        ModelId model = model(value);
                        models.add(model);
                        simulatedModel = ModelTarget.parse(value);
                    }
                    case "--baseline" -> {
                        String value = value(args, ++i, arg);
                        int eq = value.indexOf('=');
                        int colon = eq < 0 ? -1 : value.lastIndexOf(':', eq);
                        Baseline baseline = Baseline.parse(value.substring(colon + 1));
                        if (colon < 0) {
                            requireUnset(!everyModel.isEmpty(), "--baseline for every model");
                            everyModel = baseline;
                        } else {
                            String model = value.substring(0, colon);
                            requireUnset(modelBaselines.containsKey(model), "--baseline for model " + Texts.quote(model));
                            modelBaselines.put(model, baseline);
                        }
                    }
                    case "--classes" -> {
                        String value = value(args, ++i, arg);
                        int colon = value.indexOf(':');
                        if (colon <= 0 || colon == value.length() - 1) {
                            throw new IllegalArgumentException("--classes must be MODEL:LABEL,LABEL[,LABEL...], got "
                                    + Texts.quote(value));
                        }
                        String model = value.substring(0, colon);
                        requireUnset(classes.containsKey(model), "--classes for model " + Texts.quote(model));
                        classes.put(model, List.of(value.substring(colon + 1).split(",", -1)));
                    }
                    case "--baseline-from-first" -> baselineFromFirst = integer(value(args, ++i, arg), arg, 1);
                    case "--drift-detectors" -> {
                        String value = value(args, ++i, arg);
                        driftDetectors = value.equals("none") ? List.of() : List.of(value.split(",", -1));
                    }
                    case "--pending-capacity" -> pendingCapacity = integer(value(args, ++i, arg), arg, 16);
                    case "--pending-ttl" -> pendingTtl = duration(value(args, ++i, arg), arg);
                    case "--store" -> store = value(args, ++i, arg);
                    case "--predict-model" -> predictModel = value(args, ++i, arg);
                    case "--noop" -> noop = true;
                    case "--auth-token-file" -> authTokenFile = path(value(args, ++i, arg), arg);
                    case "--auth-metrics" -> authMetrics = true;
                    case "--scenario" -> {
                        scenario = value(args, ++i, arg);
                        if (!Set.of("seed", "drift", "delayed", "multiclass", "scores").contains(scenario)) {
                            throw new IllegalArgumentException("--scenario must be seed, drift, delayed, multiclass or"
                                    + " scores, got " + Texts.quote(scenario));
                        }
                    }
                    case "--seed" -> drift = new DriftScenario.Settings(integer(value(args, ++i, arg), arg, 0),
                            drift.rateBefore(), drift.rateAfter(), drift.before(), drift.after());
                    case "--rates" -> {
                        double[] rates = pair(value(args, ++i, arg), arg, Double::parseDouble);
                        drift = new DriftScenario.Settings(drift.seed(), rates[0], rates[1], drift.before(), drift.after());
                    }
                    case "--lengths" -> {
                        double[] lengths = pair(value(args, ++i, arg), arg, text -> integer(text, arg, 1));
                        drift = new DriftScenario.Settings(drift.seed(), drift.rateBefore(), drift.rateAfter(),
                                (int) lengths[0], (int) lengths[1]);
                    }
                    case "--url" -> url = url(value(args, ++i, arg));
                    case "--delay-ms" -> delay = Duration.ofMillis(integer(value(args, ++i, arg), arg, 0));
                    case "--runs" -> runs = integer(value(args, ++i, arg), arg, 1);
                    default -> throw new IllegalStateException(arg);
                }
            }
            if (command.equals("demo")) {
                models.addAll(DEMO_MODELS);
                classes.put(DEMO_INTENT.name(), MultiClassScenario.DEMO_CLASSES);
                predictModel = DEMO_DELAYED.toString();
            }
            if (command.equals("demo") && everyModel.isEmpty() && modelBaselines.isEmpty() && baselineFromFirst == 0) {
                everyModel = DEMO_BASELINE;
            }
            if (command.equals("demo") && driftDetectors == null) {
                driftDetectors = DriftDetector.NAMES;
            }
            return new Arguments(command, new ExampleServer.Options(host, port, models, noop, everyModel,
                    modelBaselines, baselineFromFirst, driftDetectors, pendingCapacity, pendingTtl, store, predictModel,
                    authTokenFile, authMetrics, classes),
                    url, command.equals("simulate") ? simulatedModel : ModelTarget.DEFAULT, scenario, delay, runs, drift);
        }

        FeedbackSimulator simulator(URI feedback, PrintStream out) {
            return new FeedbackSimulator(feedback, simulatedModel, delay, out, Clock.systemDefaultZone());
        }

        DriftScenario driftScenario(URI feedback, PrintStream out) {
            return new DriftScenario(feedback, simulatedModel, null, drift, out);
        }

        /** Two comma-separated values. */
        private static double[] pair(String value, String option, java.util.function.ToDoubleFunction<String> parse) {
            String[] parts = value.split(",", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException(option + " must be two values A,B, got " + Texts.quote(value));
            }
            try {
                return new double[] {parse.applyAsDouble(parts[0].trim()), parse.applyAsDouble(parts[1].trim())};
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be two numbers A,B, got " + Texts.quote(value), e);
            }
        }

        /** {@code 90s}, {@code 30m}, {@code 48h} or {@code 7d}. */
        private static Duration duration(String value, String option) {
            java.util.regex.Matcher parts = java.util.regex.Pattern.compile("([1-9][0-9]{0,8})([smhd])").matcher(value);
            if (!parts.matches()) {
                throw new IllegalArgumentException(option + " must be a whole number with a unit s, m, h or d (90s, 30m,"
                        + " 48h, 7d), got " + Texts.quote(value));
            }
            long amount = Long.parseLong(parts.group(1));
            return switch (parts.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }

        private static void requireUnset(boolean set, String what) {
            if (set) {
                throw new IllegalArgumentException(what + " is given twice");
            }
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static int integer(String value, String option, int min) {
            int parsed;
            try {
                parsed = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a whole number, got '" + value + "'", e);
            }
            if (parsed < min) {
                throw new IllegalArgumentException(option + " must be at least " + min + ", got " + parsed);
            }
            return parsed;
        }

        private static Path path(String value, String option) {
            try {
                return Path.of(value);
            } catch (java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException(option + " must be a file name, got " + Texts.quote(value), e);
            }
        }

        private static URI url(String value) {
            try {
                URI uri = URI.create(value);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw new IllegalArgumentException("--url must be an http(s) URL, got '" + value + "'");
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--url must be an http(s) URL, got '" + value + "'", e);
            }
        }

        private static ModelId model(String value) {
            int at = value.indexOf('@');
            return at < 0 ? ModelId.of(value) : new ModelId(value.substring(0, at), value.substring(at + 1));
        }
    }
}
