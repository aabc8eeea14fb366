package dev.modelfeedback.examples;

import dev.modelfeedback.core.ModelId;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the example jar.
 *
 * <pre>
 * java -jar feedback-examples.jar [serve] [--host H] [--port N] [--model NAME[@VERSION]]... [--noop]
 * </pre>
 */
public final class Main {

    static final String USAGE = """
            usage: java -jar feedback-examples.jar [serve] [options]

            serve (the default)  run the example model server until Ctrl-C
              --host HOST          address to listen on (default 127.0.0.1)
              --port N             port to listen on, 0 for any free port (default 8080)
              --model NAME[@VER]   serve this model; repeat for several (default: default@unknown)
              --noop               also serve /noop, the HTTP benchmark's no-op floor
            """;

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
        if (arguments.help()) {
            out.print(USAGE);
            return 0;
        }
        try (ExampleServer server = ExampleServer.start(arguments.server())) {
            printWhereToLook(server.uri(), out);
            server.join();
        }
        return 0;
    }

    static void printWhereToLook(URI base, PrintStream out) {
        out.println("model-feedback example server on " + base);
        out.println("  POST " + base.resolve("/feedback") + "   {\"prediction\":1,\"actual\":0}");
        out.println("  GET  " + base.resolve("/feedback") + "   every model's metrics as JSON");
        out.println("  GET  " + base.resolve("/metrics") + "    Prometheus scrape");
        out.println("Ctrl-C stops the server.");
        out.flush();
    }

    /** The parsed command line. */
    record Arguments(boolean help, ExampleServer.Options server) {

        static Arguments parse(String[] args) {
            String host = ExampleServer.Options.DEFAULT.host();
            int port = ExampleServer.Options.DEFAULT.port();
            List<ModelId> models = new ArrayList<>();
            boolean noop = false;
            int i = 0;
            if (args.length > 0 && args[0].equals("serve")) {
                i++;
            }
            for (; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-h", "--help" -> {
                        return new Arguments(true, ExampleServer.Options.DEFAULT);
                    }
                    case "--host" -> host = value(args, ++i, arg);
                    case "--port" -> port = integer(value(args, ++i, arg), arg);
                    case "--model" -> models.add(model(value(args, ++i, arg)));
                    case "--noop" -> noop = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            return new Arguments(false, new ExampleServer.Options(host, port, models, noop));
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static int integer(String value, String option) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a whole number, got '" + value + "'", e);
            }
        }

        private static ModelId model(String value) {
            int at = value.indexOf('@');
            return at < 0 ? ModelId.of(value) : new ModelId(value.substring(0, at), value.substring(at + 1));
        }
    }
}
