package dev.modelfeedback.core.scores;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The striped counter under contention: nothing lost, nothing doubled, reads never going back. */
final class ScoreCounterConcurrencyTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 50_000;
    /** Each round: these four items (actual, score). */
    private static final double[][] ROUND = {{1, 0.9}, {0, 0.2}, {1, 0.4}, {0, 0.75}};

    @Test
    void concurrentRecordsAreAllCountedExactly() throws Exception {
        ScoreCounter counter = ScoreCounter.binary();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            Future<Long> reader = pool.submit(() -> {
                long reads = 0;
                long previous = 0;
                start.await();
                while (writing.get()) {
                    ScoreCounts counts = counter.snapshot();
                    long bucketed = 0;
                    for (int b = 0; b < ScoreLayout.BUCKETS; b++) {
                        bucketed += counts.bucket(0, true, b) + counts.bucket(0, false, b);
                    }
                    if (counts.n() < previous || bucketed != counts.n()) {
                        throw new AssertionError("read " + counts.n() + " after " + previous + ", " + bucketed + " in buckets");
                    }
                    previous = counts.n();
                    reads++;
                }
                return reads;
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < ROUNDS; r++) {
                        for (double[] item : ROUND) {
                            counter.record((int) item[0], item[1]);
                        }
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

        ScoreTally one = ScoreTally.ofBinary();
        for (double[] item : ROUND) {
            one.add((int) item[0], item[1]);
        }
        ScoreCounts counts = counter.snapshot();
        long rounds = (long) THREADS * ROUNDS;
        assertThat(counts.n()).isEqualTo(4 * rounds);
        for (int b = 0; b < ScoreLayout.BUCKETS; b++) {
            assertThat(counts.bucket(0, true, b)).isEqualTo(rounds * one.counts().bucket(0, true, b));
            assertThat(counts.bucket(0, false, b)).isEqualTo(rounds * one.counts().bucket(0, false, b));
        }
        for (int bin = 0; bin < CalibrationBins.BINS; bin++) {
            assertThat(counts.binItems(bin)).isEqualTo(rounds * one.counts().binItems(bin));
            assertThat(counts.binPositives(bin)).isEqualTo(rounds * one.counts().binPositives(bin));
        }
        assertThat(counts.rocAuc()).isEqualTo(one.counts().rocAuc()); // 0.75: three of four pairs ordered
        ScoreCountsTest.assertRelative(counts.logLoss(), one.counts().logLoss());
        ScoreCountsTest.assertRelative(counts.brier(), one.counts().brier());
        ScoreCountsTest.assertRelative(counts.calibrationError(), one.counts().calibrationError());
    }
}
