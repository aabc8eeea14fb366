package dev.modelfeedback.core.bench;

import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The heap a recorder of K classes takes with the default windows after an hour of traffic (every
 * bucket boundary holding its snapshot), without a drift detector (whose buffer is the same for
 * every K), measured over many recorders after full collections.
 *
 * <p>Run: {@code mvn -q -B -pl feedback-core -Pbench test -DskipTests
 * -Dbench.main=dev.modelfeedback.core.bench.MatrixMemory -Djmh.args="200 2 4 32"} (recorders per
 * K, then each K; 2 is a binary model). A K followed by {@code s} ({@code 2s}, {@code 4s}) records
 * scored feedback: the score counts of the windows and the score meters are then included.
 */
public final class MatrixMemory {

    private MatrixMemory() {
    }

    public static void main(String[] args) throws Exception {
        int recorders = Integer.parseInt(args[0]);
        for (int a = 1; a < args.length; a++) {
            boolean scored = args[a].endsWith("s");
            int k = Integer.parseInt(scored ? args[a].substring(0, args[a].length() - 1) : args[a]);
            double[] probabilities = new double[k];
            java.util.Arrays.fill(probabilities, 1.0 / k);
            dev.modelfeedback.core.scores.Scores classScores = k > 2 ? dev.modelfeedback.core.scores.Scores.ofClasses(probabilities) : null;
            List<String> labels = IntStream.range(0, k).mapToObj(i -> "class-" + i).toList();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ManualWindowClock clock = WindowClock.manual(Instant.parse("2026-01-01T00:00:00Z"));
            long before = used();
            List<FeedbackRecorder> kept = new ArrayList<>(recorders);
            for (int i = 0; i < recorders; i++) {
                FeedbackRecorder.Builder builder = FeedbackRecorder.builder(registry).model("m" + i, "v1").driftDetectors()
                        .clock(clock);
                if (k > 2) {
                    builder.classes(labels);
                }
                FeedbackRecorder recorder = builder.build();
                kept.add(recorder);
            }
            // An hour of traffic: every bucket boundary of both windows holds a snapshot of its own.
            for (int step = 0; step < 121; step++) {
                int at = step;
                kept.forEach(recorder -> {
                    if (!scored) {
                        recorder.record(0, 1);
                    } else if (classScores == null) {
                        recorder.record(0, 1, (at % 100) / 100.0);
                    } else {
                        recorder.record(0, 1, classScores);
                    }
                });
                clock.advance(Duration.ofSeconds(30));
            }
            long after = used();
            System.out.printf("K=%-3d %s%s: %,d bytes per recorder (%d recorders, registry included), %d meters each%n", k,
                    k > 2 ? "classes" : "binary", scored ? " scored" : "", (after - before) / recorders, recorders,
                    registry.getMeters().size() / recorders);
            kept.forEach(FeedbackRecorder::unregister);
        }
    }

    private static long used() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
