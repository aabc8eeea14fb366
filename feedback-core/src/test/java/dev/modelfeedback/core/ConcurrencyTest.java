package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

final class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int ROUNDS_PER_THREAD = 100_000;

    /**
     * Each round records the same mix of 10 items: 4 TP, 3 TN, 2 FP, 1 FN. Eight threads make
     * 8 million records in all while a reader samples snapshots and the accuracy gauge.
     */
    @Test
    void countsAreExactUnderContentionAndSnapshotsStayConsistent() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            Future<Long> reader = pool.submit(() -> {
                long samples = 0;
                ClassificationSnapshot previous = ClassificationSnapshot.EMPTY;
                start.await();
                while (writing.get()) {
                    ClassificationSnapshot s = recorder.snapshot();
                    requireConsistent(previous, s);
                    double gauge = registry.get("model.accuracy").gauge().value();
                    if (s.total() > 0 && !(gauge >= 0.0 && gauge <= 1.0)) {
                        throw new AssertionError("accuracy gauge " + gauge + " after " + s);
                    }
                    previous = s;
                    samples++;
                }
                return samples;
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                boolean useBooleans = t % 2 == 0;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < ROUNDS_PER_THREAD; i++) {
                        recordMix(recorder, useBooleans);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(2, TimeUnit.MINUTES);
            }
            writing.set(false);
            assertThat(reader.get(1, TimeUnit.MINUTES)).isPositive();
        } finally {
            pool.shutdownNow();
        }

        long rounds = (long) THREADS * ROUNDS_PER_THREAD;
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(4 * rounds, 3 * rounds, 2 * rounds, rounds));
        assertThat(recorder.snapshot().total()).isEqualTo(8_000_000L);
        assertThat(recorder.snapshot().accuracy()).isEqualTo(0.7);
    }

    /**
     * What a reader may rely on while others record: no count ever goes down from one snapshot to
     * the next, and every metric is the one computed from the snapshot's own counts.
     */
    static void requireConsistent(ClassificationSnapshot previous, ClassificationSnapshot s) {
        for (Outcome outcome : Outcome.values()) {
            if (s.count(outcome) < previous.count(outcome)) {
                throw new AssertionError(outcome + " went down from " + previous + " to " + s);
            }
        }
        long tp = s.truePositives();
        long tn = s.trueNegatives();
        long fp = s.falsePositives();
        long fn = s.falseNegatives();
        requireEqual("accuracy", s.accuracy(), (double) (tp + tn) / (tp + tn + fp + fn), s);
        requireEqual("precision", s.precision(), (double) tp / (tp + fp), s);
        requireEqual("recall", s.recall(), (double) tp / (tp + fn), s);
        requireEqual("f1", s.f1(), (double) (2 * tp) / (2 * tp + fp + fn), s);
    }

    /** Equal, NaN included (0.0 / 0 is NaN in the recomputation too). */
    private static void requireEqual(String metric, double actual, double expected, ClassificationSnapshot s) {
        if (Double.compare(actual, expected) != 0) {
            throw new AssertionError(metric + " is " + actual + ", but its counts give " + expected + " in " + s);
        }
    }

    private static void recordMix(FeedbackRecorder recorder, boolean useBooleans) {
        if (useBooleans) {
            for (int k = 0; k < 4; k++) {
                recorder.record(true, true);
            }
            for (int k = 0; k < 3; k++) {
                recorder.record(false, false);
            }
            recorder.record(true, false);
            recorder.record(true, false);
            recorder.record(false, true);
        } else {
            for (int k = 0; k < 4; k++) {
                recorder.record(1, 1);
            }
            for (int k = 0; k < 3; k++) {
                recorder.record(0, 0);
            }
            recorder.record(1, 0);
            recorder.record(1, 0);
            recorder.record(0, 1);
        }
    }
}
