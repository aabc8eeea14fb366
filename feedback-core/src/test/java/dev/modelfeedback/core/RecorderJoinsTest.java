package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.join.JoinConflictException;
import dev.modelfeedback.core.join.JoinCounts;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.LabelDelay;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Delayed labels through a recorder: joins, idempotency, unmatched accounting, batches. */
final class RecorderJoinsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ManualWindowClock clock = WindowClock.manual(T0);

    private double unmatched(String reason) {
        return registry.get("feedback.unmatched").tag("reason", reason).counter().count();
    }

    private double pendingGauge() {
        return registry.get("feedback.pending.predictions").gauge().value();
    }

    @Test
    void anActualJoinsItsPredictionAndCountsItsCell() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).build();

        assertThat(recorder.recordPrediction("req-1", 1)).isEqualTo(JoinOutcome.PENDING);
        assertThat(recorder.snapshot().total()).isZero();
        assertThat(pendingGauge()).isEqualTo(1);

        assertThat(recorder.recordActual("req-1", 0)).isEqualTo(JoinOutcome.MATCHED);
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(0, 0, 1, 0));
        assertThat(recorder.recordActual("req-1", 0)).isEqualTo(JoinOutcome.DUPLICATE);
        assertThat(recorder.recordActual("req-1", 1)).isEqualTo(JoinOutcome.CONFLICT);
        assertThat(recorder.recordPrediction("req-1", 0)).isEqualTo(JoinOutcome.CONFLICT);
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(0, 0, 1, 0));
        assertThat(pendingGauge()).isZero();
        // one join, without delay: in the first bucket, [0, 1 s], read as histogram_quantile reads it
        assertThat(recorder.joins()).isEqualTo(new JoinCounts(0, 0, 0, 0, new LabelDelay(1, 0.5, 0.9, clock.now())));
    }

    /** Predictions from 8 threads, then their actuals from 8 threads in shuffled order: every pair once. */
    @Test
    void joinsAreExactAcrossEightThreadsInAnyOrderOfArrival() throws Exception {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).build();
        int ids = 80_000;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ids; i++) {
            order.add(i);
        }
        runOnEightThreads(order, i -> recorder.recordPrediction("id-" + i, i % 2));
        assertThat(recorder.joins().pending()).isEqualTo(ids);
        Collections.shuffle(order, new java.util.Random(3));

        List<JoinOutcome> outcomes = runOnEightThreads(order, i -> recorder.recordActual("id-" + i, (i / 2) % 2));

        assertThat(outcomes).containsOnly(JoinOutcome.MATCHED).hasSize(ids);
        // i%2 is the prediction, (i/2)%2 the actual: each cell a quarter of the ids
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(ids / 4, ids / 4, ids / 4, ids / 4));
        assertThat(recorder.joins()).isEqualTo(new JoinCounts(0, 0, 0, 0, new LabelDelay(ids, 0.5, 0.9, clock.now())));
    }

    private interface Action {
        JoinOutcome run(int id);
    }

    private static List<JoinOutcome> runOnEightThreads(List<Integer> ids, Action action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<JoinOutcome>>> parts = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                Callable<List<JoinOutcome>> part = () -> {
                    start.await();
                    List<JoinOutcome> outcomes = new ArrayList<>();
                    for (int k = thread; k < ids.size(); k += 8) {
                        outcomes.add(action.run(ids.get(k)));
                    }
                    return outcomes;
                };
                parts.add(pool.submit(part));
            }
            start.countDown();
            List<JoinOutcome> all = new ArrayList<>();
            for (Future<List<JoinOutcome>> part : parts) {
                all.addAll(part.get(1, TimeUnit.MINUTES));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownExpiredAndEvictedAreEachCountedOnceUnderTheirReason() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock)
                .pendingCapacity(16).pendingTtl(Duration.ofMinutes(10)).build();

        assertThat(recorder.recordActual("never-predicted", 1)).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(recorder.recordActual("never-predicted", 1)).isEqualTo(JoinOutcome.UNKNOWN);
        recorder.recordPrediction("late", 1);
        clock.advance(Duration.ofMinutes(11)); // the tick sweeps: "late" expires
        assertThat(unmatched("expired")).isEqualTo(1);
        assertThat(recorder.recordActual("late", 1)).isEqualTo(JoinOutcome.EXPIRED);
        for (int i = 0; i < 100; i++) {
            recorder.recordPrediction("flood-" + i, 0);
        }

        long pending = recorder.joins().pending();
        assertThat(unmatched("unknown")).isEqualTo(2);
        assertThat(unmatched("expired")).isEqualTo(1);
        assertThat(unmatched("evicted")).isEqualTo(100 - pending);
        assertThat(pending).isPositive().isLessThanOrEqualTo(16);
        assertThat(recorder.joins()).isEqualTo(new JoinCounts(pending, 2, 1, 100 - pending, LabelDelay.NONE));
        assertThat(recorder.snapshot().total()).isZero();
    }

    /** The same inline feedback sent 5 times at once: counted once, 4 duplicates. */
    @Test
    void concurrentRetriesOfInlineFeedbackCountOnce() throws Exception {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).build();
        for (int round = 0; round < 200; round++) {
            String id = "retry-" + round;
            List<JoinOutcome> outcomes = runOnEightThreads(List.of(0, 1, 2, 3, 4), i -> recorder.record(id, 1, 1));

            assertThat(outcomes).filteredOn(o -> o == JoinOutcome.MATCHED).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o == JoinOutcome.DUPLICATE).hasSize(4);
        }
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(200, 0, 0, 0));
        assertThat(recorder.record("retry-0", 0, 1)).isEqualTo(JoinOutcome.CONFLICT);
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(200, 0, 0, 0));
    }

    @Test
    void aBatchMixesFormsAndCountsInItemOrderOrNothingOnAConflict() {
        ModelSet models = ModelSet.builder(registry).eachModel(r -> r.clock(clock))
                .model("fraud", "v3").model("churn", "v1").defaultModel("fraud").build();
        FeedbackRecorder fraud = models.recorder("fraud");
        FeedbackRecorder churn = models.recorder("churn");
        fraud.recordPrediction("p1", 1);
        churn.recordPrediction("p2", 0);

        List<JoinOutcome> outcomes = new FeedbackBatch()
                .add(fraud, 1, 1)
                .addActual(fraud, "p1", 1)
                .addActual(churn, "p2", 1)
                .addActual(churn, "nope", 1)
                .add(fraud, "inline-1", 0, 0)
                .addPrediction(churn, "p3", 1)
                .commit();

        assertThat(outcomes).containsExactly(JoinOutcome.MATCHED, JoinOutcome.MATCHED, JoinOutcome.UNKNOWN,
                JoinOutcome.MATCHED, JoinOutcome.PENDING);
        assertThat(fraud.snapshot()).isEqualTo(new ClassificationSnapshot(2, 1, 0, 0));
        assertThat(churn.snapshot()).isEqualTo(new ClassificationSnapshot(0, 0, 0, 1));
        assertThat(churn.joins()).isEqualTo(new JoinCounts(1, 1, 0, 0, new LabelDelay(1, 0.5, 0.9, clock.now())));

        FeedbackBatch conflicting = new FeedbackBatch()
                .add(fraud, 0, 0)
                .addActual(churn, "p3", 0)
                .add(fraud, "inline-1", 1, 0);
        assertThatThrownBy(conflicting::commit)
                .isInstanceOfSatisfying(JoinConflictException.class, e -> assertThat(e.operation()).isEqualTo(1))
                .hasMessage("id 'inline-1' was already recorded with different values");
        assertThat(fraud.snapshot()).isEqualTo(new ClassificationSnapshot(2, 1, 0, 0));
        assertThat(churn.snapshot()).isEqualTo(new ClassificationSnapshot(0, 0, 0, 1));
        assertThat(churn.joins().pending()).isEqualTo(1);
        assertThat(churn.recordActual("p3", 1)).isEqualTo(JoinOutcome.MATCHED);
    }

    @Test
    void aModelSetSharesOneStoreWithAModelSpaceEach() {
        ModelSet models = ModelSet.builder(registry).eachModel(r -> r.clock(clock))
                .model("fraud", "v3").model("churn", "v1").pendingCapacity(64).build();

        models.recorder("fraud").recordPrediction("same-id", 1);

        assertThat(models.recorder("churn").pendingStore()).isSameAs(models.recorder("fraud").pendingStore());
        assertThat(models.recorder("churn").recordActual("same-id", 1)).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(models.recorder("fraud").recordActual("same-id", 1)).isEqualTo(JoinOutcome.MATCHED);
        assertThat(models.recorder("fraud").namespace()).isEqualTo("fraud@v3");
    }

    @Test
    void badIdsAndValuesAreRefusedBeforeTouchingTheStore() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).build();

        assertThatThrownBy(() -> recorder.recordPrediction("id", 2)).hasMessage("prediction must be 0 or 1, got 2");
        assertThatThrownBy(() -> recorder.recordActual("id", -1)).hasMessage("actual must be 0 or 1, got -1");
        assertThatThrownBy(() -> recorder.record("bad id", 1, 1))
                .hasMessage("id may contain only letters, digits and . _ - : / + = ~, got 'bad id'");
        assertThat(recorder.joins()).isEqualTo(new JoinCounts(0, 0, 0, 0, LabelDelay.NONE));
    }

    /**
     * Delays of 30 s (4 joins), 2 min (3), 2 h (2) and 8 days (1): the buckets le=60 4, le=300 7,
     * le=10800 9, le=1209600 10; the median (rank 5) is 60 + 240 * (5 - 4) / 3 = 140 s and the 90th
     * percentile (rank 9) 3600 + 7200 * (9 - 7) / 2 = 10800 s, as histogram_quantile reads them.
     */
    @Test
    void theLabelDelayIsAHistogramWhoseQuantilesPrometheusWouldRead() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FeedbackRecorder recorder = FeedbackRecorder.builder(prometheus).clock(clock).pendingTtl(Duration.ofDays(30))
                .build();
        long[][] delays = {{30, 4}, {120, 3}, {7200, 2}, {8 * 86_400, 1}};
        int id = 0;
        for (long[] delay : delays) {
            for (int i = 0; i < delay[1]; i++) {
                recorder.recordPrediction("p-" + id++, 1);
            }
        }
        Instant predicted = clock.now();
        id = 0;
        for (long[] delay : delays) {
            clock.advance(Duration.between(clock.now(), predicted.plusSeconds(delay[0])));
            for (int i = 0; i < delay[1]; i++) {
                assertThat(recorder.recordActual("p-" + id++, 1)).isEqualTo(JoinOutcome.MATCHED);
            }
        }

        LabelDelay delay = recorder.joins().labelDelay();
        assertThat(delay.count()).isEqualTo(10);
        assertThat(delay.medianSeconds()).isEqualTo(140.0);
        assertThat(delay.p90Seconds()).isEqualTo(10_800.0);
        assertThat(delay.lastJoinAt()).isEqualTo(predicted.plusSeconds(8 * 86_400));
        String scrape = prometheus.scrape();
        String tags = "model=\"default\",model_version=\"unknown\"";
        assertThat(scrape)
                .contains("feedback_label_delay_seconds_bucket{" + tags + ",le=\"10.0\"} 0")
                .contains("feedback_label_delay_seconds_bucket{" + tags + ",le=\"60.0\"} 4")
                .contains("feedback_label_delay_seconds_bucket{" + tags + ",le=\"300.0\"} 7")
                .contains("feedback_label_delay_seconds_bucket{" + tags + ",le=\"10800.0\"} 9")
                .contains("feedback_label_delay_seconds_bucket{" + tags + ",le=\"604800.0\"} 9")
                .contains("feedback_label_delay_seconds_bucket{" + tags + ",le=\"1209600.0\"} 10")
                .contains("feedback_label_delay_seconds_count{" + tags + "} 10")
                .contains("feedback_label_delay_seconds_sum{" + tags + "} " + (4 * 30 + 3 * 120 + 2 * 7200 + 8 * 86_400)
                        + ".0");
    }

    @Test
    void inlineFeedbackHasNoLabelDelay() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).build();

        recorder.record("inline", 1, 1);
        recorder.record(1, 0);

        assertThat(recorder.snapshot().total()).isEqualTo(2);
        assertThat(recorder.joins().labelDelay()).isEqualTo(LabelDelay.NONE);
        assertThat(registry.get("feedback.label.delay").timer().count()).isZero();
    }
}
