package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.Window;
import dev.modelfeedback.core.window.WindowClock;
import dev.modelfeedback.core.window.WindowCounts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A recorder's windows, intervals and baselines, on a manual clock. */
final class RecorderWindowsAndBaselineTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ManualWindowClock clock = WindowClock.manual(T0);

    private double baselineGauge(String metric) {
        return registry.get("model.baseline").tag("metric", metric).gauge().value();
    }

    @Test
    void keepsTheLastFiveMinutesAndTheLastHourByDefault() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).build();
        recorder.record(1, 1);
        clock.advance(Duration.ofMinutes(30));
        recorder.record(0, 0);
        recorder.record(1, 0);
        clock.advance(Duration.ofMinutes(6));
        recorder.record(0, 1);

        ModelStatus status = recorder.status();

        assertThat(recorder.windows()).containsExactly(Window.FIVE_MINUTES, Window.ONE_HOUR);
        assertThat(status.at()).isEqualTo(T0.plus(Duration.ofMinutes(36)));
        assertThat(status.lifetime().binary()).isEqualTo(new ClassificationSnapshot(1, 1, 1, 1));
        assertThat(status.windows()).extracting(WindowCounts::window).containsExactly(Window.FIVE_MINUTES, Window.ONE_HOUR);
        assertThat(status.windows().get(0).counts()).isEqualTo(new ClassificationSnapshot(0, 0, 0, 1));
        assertThat(status.windows().get(1).counts()).isEqualTo(new ClassificationSnapshot(1, 1, 1, 1));
        assertThat(status.baseline()).isEqualTo(Baseline.NONE);
        assertThat(registry.find("model.baseline").meters()).isEmpty();
    }

    @Test
    void windowsAreConfigurableAndMayBeNone() {
        FeedbackRecorder one = FeedbackRecorder.builder(registry).model("a", "1").clock(clock)
                .windows(Duration.ofMinutes(1), Duration.ofDays(1)).build();
        FeedbackRecorder none = FeedbackRecorder.builder(registry).model("b", "1").clock(clock).windows().build();
        none.record(1, 1);

        assertThat(one.windows()).extracting(Window::name).containsExactly("1m", "1d");
        assertThat(none.status().windows()).isEmpty();
        assertThat(none.status().lifetime().total()).isEqualTo(1);
        assertThat(none.status().at()).isEqualTo(T0);
        assertThatThrownBy(() -> FeedbackRecorder.builder(registry).windows(Duration.ofMinutes(5), Duration.ofSeconds(300)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("windows must not repeat, got [5m, 5m]");
    }

    /** Eight threads record while time moves on; every item is in exactly one bucket of the hour. */
    @Test
    void windowCountsAreExactUnderEightRecordingThreads() throws Exception {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).build();
        int threads = 8;
        int roundsPerThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < roundsPerThread; i++) {
                        recorder.record(1, 1);
                        recorder.record(0, 0);
                        recorder.record(1, 0);
                        recorder.record(0, 1);
                    }
                    return null;
                }));
            }
            start.countDown();
            // Time moves on while they record: at most 50 minutes, so that all is inside the hour.
            for (int seconds = 0; !allDone(writers); seconds++) {
                if (seconds < 3000) {
                    clock.advance(Duration.ofSeconds(1));
                } else {
                    Thread.sleep(1);
                }
            }
            for (Future<?> writer : writers) {
                writer.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long each = (long) threads * roundsPerThread;
        ClassificationSnapshot expected = new ClassificationSnapshot(each, each, each, each);
        ModelStatus status = recorder.status();
        assertThat(status.lifetime().binary()).isEqualTo(expected);
        assertThat(status.windows().get(1).counts()).isEqualTo(expected);
        long inBuckets = recorder.buckets(Window.ONE_HOUR).stream().mapToLong(b -> b.counts().total()).sum();
        assertThat(inBuckets).isEqualTo(4 * each);

        clock.advance(Duration.ofMinutes(6));
        assertThat(recorder.status().windows().get(0).counts()).isEqualTo(ClassificationSnapshot.EMPTY);
        assertThat(recorder.status().windows().get(1).counts()).isEqualTo(expected);
    }

    private static boolean allDone(List<Future<?>> futures) {
        return futures.stream().allMatch(Future::isDone);
    }

    @Test
    void anOfflineBaselineIsPublishedAndHeldAgainstEachWindow() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock)
                .baseline(Baseline.parse("accuracy=0.9,recall=0.5")).build();
        // an hour ago: 80 of 100 right; now: 8 of 10 right
        recordMix(recorder, 40, 40, 10, 10);
        clock.advance(Duration.ofMinutes(58));
        recordMix(recorder, 4, 4, 1, 1);

        ModelStatus status = recorder.status();
        WindowCounts fiveMinutes = status.windows().get(0);
        WindowCounts hour = status.windows().get(1);

        assertThat(baselineGauge("accuracy")).isEqualTo(0.9);
        assertThat(baselineGauge("recall")).isEqualTo(0.5);
        assertThat(registry.find("model.baseline").meters()).hasSize(2);
        // 8 of 10 [0.4902, 0.9433] holds 0.9: noise; 88 of 110 [0.7192, 0.8623] does not
        assertThat(status.significantlyBelowBaseline(fiveMinutes.counts(), Metric.ACCURACY)).isFalse();
        assertThat(status.significantlyBelowBaseline(hour.counts(), Metric.ACCURACY)).isTrue();
        assertThat(status.significantlyBelowBaseline(hour.counts(), Metric.RECALL)).isFalse();
        assertThat(status.significantlyBelowBaseline(hour.counts(), Metric.PRECISION)).isFalse();
    }

    @Test
    void aReferencePeriodTakesExactlyTheFirstItems() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).baselineFromFirst(10).build();

        assertThat(baselineGauge("accuracy")).isNaN();
        // accuracy, precision, recall, F1, and ROC AUC and log loss, NaN while no item carries scores
        assertThat(registry.find("model.baseline").meters()).hasSize(6);
        recordMix(recorder, 6, 2, 1, 0);
        assertThat(recorder.baseline()).isEqualTo(Baseline.NONE);
        recorder.record(0, 1);                      // the tenth item closes the period
        recordMix(recorder, 0, 0, 50, 50);          // after it: not part of the baseline

        assertThat(recorder.baseline().values()).containsExactly(Map.entry(Metric.ACCURACY, 0.8),
                Map.entry(Metric.PRECISION, 6.0 / 7), Map.entry(Metric.RECALL, 6.0 / 7), Map.entry(Metric.F1, 12.0 / 14));
        assertThat(baselineGauge("accuracy")).isEqualTo(0.8);
        assertThat(baselineGauge("f1")).isEqualTo(12.0 / 14);
        assertThat(recorder.status().baseline()).isEqualTo(recorder.baseline());
    }

    @Test
    void aBatchThatCrossesTheReferencePeriodsEndIsTakenWhole() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).baselineFromFirst(4).build();
        recorder.record(1, 1);
        recorder.record(1, 1);

        new FeedbackBatch().add(recorder, 0, 0).add(recorder, 0, 1).add(recorder, 0, 1).commit();
        new FeedbackBatch().add(recorder, 1, 0).commit();

        // TP 2, TN 1, FN 2: five items, the whole crossing batch
        assertThat(recorder.baseline().value(Metric.ACCURACY)).hasValue(0.6);
        assertThat(recorder.baseline().value(Metric.PRECISION)).hasValue(1.0);
    }

    @Test
    void aReferencePeriodClosesOnceUnderEightThreads() throws Exception {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).baselineFromFirst(100_000).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 25_000; i++) {
                        recorder.record(1, 1);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(recorder.baseline().values()).containsExactly(Map.entry(Metric.ACCURACY, 1.0),
                Map.entry(Metric.PRECISION, 1.0), Map.entry(Metric.RECALL, 1.0), Map.entry(Metric.F1, 1.0));
        assertThat(recorder.snapshot().truePositives()).isEqualTo(200_000);
    }

    @Test
    void theLastBaselineSettingWins() {
        FeedbackRecorder offline = FeedbackRecorder.builder(registry).model("a", "1").clock(clock)
                .baselineFromFirst(5).baseline(Baseline.parse("f1=0.7")).build();
        FeedbackRecorder reference = FeedbackRecorder.builder(registry).model("b", "1").clock(clock)
                .baseline(Baseline.parse("f1=0.7")).baselineFromFirst(1).build();
        reference.record(0, 0);

        assertThat(offline.baseline()).isEqualTo(Baseline.parse("f1=0.7"));
        assertThat(reference.baseline()).isEqualTo(Baseline.parse("accuracy=1"));
        assertThatThrownBy(() -> FeedbackRecorder.builder(registry).baselineFromFirst(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a reference period must hold at least 1 item, got 0");
    }

    @Test
    void unregisterRemovesTheBaselineGaugesToo() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock)
                .baseline(Baseline.parse("accuracy=0.9")).build();
        recorder.unregister();

        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void aModelSetAppliesSettingsToEveryModelThenEachModelsOwn() {
        ModelSet models = ModelSet.builder(registry)
                .eachModel(r -> r.clock(clock).windows(Duration.ofMinutes(1)).baseline(Baseline.parse("accuracy=0.9")))
                .model("fraud", "v3", r -> r.baseline(Baseline.parse("accuracy=0.95")))
                .model("churn", "v1")
                .createOnDemand(3)
                .build();

        assertThat(models.recorder("fraud").baseline()).isEqualTo(Baseline.parse("accuracy=0.95"));
        assertThat(models.recorder("churn").baseline()).isEqualTo(Baseline.parse("accuracy=0.9"));
        assertThat(models.recorder("spam").baseline()).isEqualTo(Baseline.parse("accuracy=0.9"));
        assertThat(models.recorder("spam").windows()).extracting(Window::name).containsExactly("1m");
        assertThat(registry.get("model.baseline").tag("model", "fraud").gauge().value()).isEqualTo(0.95);
        assertThatThrownBy(() -> ModelSet.builder(new SimpleMeterRegistry())
                        .model("fraud", "v3", r -> r.model("other", "1")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model was already set to fraud@v3");
    }

    private static void recordMix(FeedbackRecorder recorder, int tp, int tn, int fp, int fn) {
        for (int i = 0; i < tp; i++) {
            recorder.record(1, 1);
        }
        for (int i = 0; i < tn; i++) {
            recorder.record(0, 0);
        }
        for (int i = 0; i < fp; i++) {
            recorder.record(1, 0);
        }
        for (int i = 0; i < fn; i++) {
            recorder.record(0, 1);
        }
    }
}
