package dev.modelfeedback.examples;

import dev.modelfeedback.core.Baseline;
import dev.modelfeedback.core.ModelId;
import dev.modelfeedback.core.Texts;
import java.io.PrintStream;
import java.net.URI;
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
              --model NAME[@VER]   serve this model; repeat for several (default: default@unknown)
              --baseline [MODEL:]METRIC=VALUE[,METRIC=VALUE...]
                                   the offline baseline (accuracy, precision, recall, f1) of MODEL, or
                                   of every model without MODEL:; repeatable
              --baseline-from-first N
                                   every model's baseline is its first N feedbacks (a reference period)
              --noop               also serve /noop, the HTTP benchmark's no-op floor

            simulate             replay the seed's feedback scenarios against a server
              --url URL            the /feedback URL (default http://localhost:8080/feedback)
              --model NAME         name this model in each item (default: the server's default)
              --delay-ms N         pause after each request (default 1000)
              --runs N             runs of 20 requests; 2 replays the seed's whole output (default 2)

            demo                 serve, run the simulation against the server, keep serving until Ctrl-C
              --host, --port, --model, --baseline, --baseline-from-first, --delay-ms, --runs as above
                                   (without a baseline option, demo sets --baseline accuracy=0.9)
            """;

    /** The baseline {@code demo} sets when given none: what such a model would reach offline. */
    static final Baseline DEMO_BASELINE = Baseline.parse("accuracy=0.9");

    private static final Set<String> SERVE_OPTIONS = Set.of("--host", "--port", "--model", "--baseline",
            "--baseline-from-first", "--noop");
    private static final Set<String> SIMULATE_OPTIONS = Set.of("--url", "--model", "--delay-ms", "--runs");
    private static final Set<String> DEMO_OPTIONS = Set.of("--host", "--port", "--model", "--baseline",
            "--baseline-from-first", "--delay-ms", "--runs");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
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
                int failures = arguments.simulator(arguments.url(), out).run(arguments.runs());
                if (failures > 0) {
                    err.println(failures + " feedback request(s) failed");
                    return 1;
                }
            }
            case "demo" -> {
                try (ExampleServer server = ExampleServer.start(arguments.server())) {
                    printWhereToLook(server.uri(), out);
                    printBaselines(arguments.server(), out);
                    out.println();
                    int failures = arguments.simulator(server.uri().resolve("/feedback"), out).run(arguments.runs());
                    out.println("Simulation done" + (failures == 0 ? "." : ", " + failures + " request(s) failed."));
                    printWhereToSeeRecentQuality(server.uri(), out);
                    out.println("Ctrl-C stops the server.");
                    out.flush();
                    server.join();
                }
            }
            default -> {
                try (ExampleServer server = ExampleServer.start(arguments.server())) {
                    printWhereToLook(server.uri(), out);
                    printBaselines(arguments.server(), out);
                    out.println("Ctrl-C stops the server.");
                    out.flush();
                    server.join();
                }
            }
        }
        return 0;
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
        out.println("Recent accuracy against the baseline, while the server keeps serving:");
        out.println("  GET " + base.resolve("/feedback") + "   \"windows\": 5m, 1h and lifetime, each with its 95%"
                + " interval and \"below_baseline\"");
        out.println("  Prometheus scraping " + base.resolve("/metrics") + " (feedback-examples/monitoring/prometheus.yml):");
        out.println("    model:accuracy:ratio_rate1h between model:accuracy_lower95:ratio_rate1h and"
                + " model:accuracy_upper95:ratio_rate1h (all replicas, last hour)");
        out.println("    against model_baseline{metric=\"accuracy\"}; the alert ModelBelowBaseline fires when the"
                + " whole interval is under it");
    }

    static void printWhereToLook(URI base, PrintStream out) {
        out.println("model-feedback example server on " + base);
        out.println("  POST " + base.resolve("/predict") + "    {\"feature\":0.73}  the toy model's prediction");
        out.println("  POST " + base.resolve("/feedback") + "   {\"prediction\":1,\"actual\":0}");
        out.println("  GET  " + base.resolve("/feedback") + "   every model's metrics as JSON");
        out.println("  GET  " + base.resolve("/metrics") + "    Prometheus scrape");
        out.flush();
    }

    /** The parsed command line. */
    record Arguments(String command, ExampleServer.Options server, URI url, @Nullable String simulatedModel,
            Duration delay, int runs) {

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
            long baselineFromFirst = 0;
            boolean noop = false;
            URI url = URI.create("http://localhost:8080/feedback");
            String simulatedModel = null;
            Duration delay = Duration.ofSeconds(1);
            int runs = 2;
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
                        ModelId model = model(value(args, ++i, arg));
                        models.add(model);
                        simulatedModel = model.name();
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
                    case "--baseline-from-first" -> baselineFromFirst = integer(value(args, ++i, arg), arg, 1);
                    case "--noop" -> noop = true;
                    case "--url" -> url = url(value(args, ++i, arg));
                    case "--delay-ms" -> delay = Duration.ofMillis(integer(value(args, ++i, arg), arg, 0));
                    case "--runs" -> runs = integer(value(args, ++i, arg), arg, 1);
                    default -> throw new IllegalStateException(arg);
                }
            }
            // demo feeds the server's default model, which is the only one declared or "default"
            if (command.equals("demo") && models.size() > 1) {
                throw new IllegalArgumentException("demo serves one model; give --model at most once");
            }
            if (command.equals("demo") && everyModel.isEmpty() && modelBaselines.isEmpty() && baselineFromFirst == 0) {
                everyModel = DEMO_BASELINE;
            }
            return new Arguments(command, new ExampleServer.Options(host, port, models, noop, everyModel,
                    modelBaselines, baselineFromFirst), url, command.equals("simulate") ? simulatedModel : null, delay, runs);
        }

        FeedbackSimulator simulator(URI feedback, PrintStream out) {
            return new FeedbackSimulator(feedback, simulatedModel, delay, out, Clock.systemDefaultZone());
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
