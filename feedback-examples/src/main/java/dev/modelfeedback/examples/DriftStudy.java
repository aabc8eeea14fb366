package dev.modelfeedback.examples;

import dev.modelfeedback.core.drift.DriftDetector;
import dev.modelfeedback.core.drift.DriftState;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How fast each drift detector notices the simulator's rise, and how often it cries wolf: runs the
 * drift scenario's stream for many seeds through fresh detectors, in process, and prints per
 * detector the share of runs that detected the rise, the delay after it (median, 90th percentile),
 * and false alarms before it.
 *
 * <pre>{@code
 * java -cp feedback-examples/target/feedback-examples.jar dev.modelfeedback.examples.DriftStudy \
 *     [--runs 1000] [--rates 0.1,0.3] [--lengths 2000,2000]
 * }</pre>
 */
public final class DriftStudy {

    private DriftStudy() {
    }

    public static void main(String[] args) {
        int runs = 1000;
        double[] rates = {DriftScenario.Settings.DEFAULT.rateBefore(), DriftScenario.Settings.DEFAULT.rateAfter()};
        int[] lengths = {DriftScenario.Settings.DEFAULT.before(), DriftScenario.Settings.DEFAULT.after()};
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--rates" -> rates = Arrays.stream(args[i + 1].split(",")).mapToDouble(Double::parseDouble).toArray();
                case "--lengths" -> lengths = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; expected --runs, --rates, --lengths");
            }
        }
        study(runs, new DriftScenario.Settings(1, rates[0], rates[1], lengths[0], lengths[1]), System.out);
    }

    static void study(int runs, DriftScenario.Settings template, PrintStream out) {
        out.printf(Locale.ROOT, "%d runs of %d feedbacks at %.0f%% error then %d at %.0f%% (seeds 1 to %d)%n", runs,
                template.before(), template.rateBefore() * 100, template.after(), template.rateAfter() * 100, runs);
        out.printf("%-13s %9s %13s %13s %18s %22s%n", "detector", "detected", "delay median", "delay p90",
                "runs w/ false alarm", "false alarms / 10k");
        for (String name : DriftDetector.NAMES) {
            List<Integer> delays = new ArrayList<>();
            int runsWithFalseAlarm = 0;
            long falseAlarms = 0;
            for (int seed = 1; seed <= runs; seed++) {
                DriftScenario.Settings settings = new DriftScenario.Settings(seed, template.rateBefore(),
                        template.rateAfter(), template.before(), template.after());
                boolean[] errors = settings.errors();
                DriftDetector detector = DriftDetector.named(name).get();
                int before = 0;
                for (int i = 0; i < errors.length; i++) {
                    if (detector.update(errors[i]) == DriftState.DRIFT) {
                        if (i < settings.before()) {
                            before++;
                        } else {
                            delays.add(i - settings.before());
                            break;
                        }
                    }
                }
                falseAlarms += before;
                runsWithFalseAlarm += before > 0 ? 1 : 0;
            }
            delays.sort(null);
            out.printf(Locale.ROOT, "%-13s %8.1f%% %13s %13s %17.1f%% %22.2f%n", name, 100.0 * delays.size() / runs,
                    percentile(delays, 0.5), percentile(delays, 0.9), 100.0 * runsWithFalseAlarm / runs,
                    10_000.0 * falseAlarms / ((long) runs * template.before()));
        }
    }

    private static String percentile(List<Integer> sorted, double q) {
        if (sorted.isEmpty()) {
            return "-";
        }
        return String.valueOf(sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))));
    }
}
