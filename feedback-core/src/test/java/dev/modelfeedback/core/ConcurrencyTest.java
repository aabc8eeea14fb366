package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;

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
     * 8 million records in all while a reader samples snapshots.
     */
    @Test
    void countsAreExactUnderContentionAndSnapshotsStayConsistent() throws Exception {
        FeedbackRecorder recorder = FeedbackRecorder.builder(new SimpleMeterRegistry()).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            Future<Long> reader = pool.submit(() -> {
                long samples = 0;
                start.await();
                while (writing.get()) {
                    ClassificationSnapshot s = recorder.snapshot();
                    double accuracy = s.accuracy();
                    if (s.total() > 0 && !(accuracy >= 0.0 && accuracy <= 1.0)) {
                        throw new AssertionError("accuracy " + accuracy + " outside [0,1] in " + s);
                    }
                    for (double metric : new double[] {s.precision(), s.recall(), s.f1()}) {
                        if (metric < 0.0 || metric > 1.0) {
                            throw new AssertionError("metric " + metric + " outside [0,1] in " + s);
                        }
                    }
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
