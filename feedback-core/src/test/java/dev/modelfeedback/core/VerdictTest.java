package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.drift.DriftDetector;
import dev.modelfeedback.core.drift.DriftState;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

final class VerdictTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ManualWindowClock clock = WindowClock.manual(T0);

    /** A detector that reports the states it is given, one per sample, then stays in the last. */
    private static final class Scripted implements DriftDetector {
        private final String name;
        private final DriftState[] states;
        private int sample;
        private DriftState state = DriftState.STABLE;

        Scripted(String name, DriftState... states) {
            this.name = name;
            this.states = states;
        }

        @Override
        public DriftState update(boolean error) {
            state = states[Math.min(sample++, states.length - 1)];
            return state;
        }

        @Override
        public DriftState state() {
            return state;
        }

        @Override
        public String name() {
            return name;
        }
    }

    private FeedbackRecorder recorder(DriftDetector... detectors) {
        return FeedbackRecorder.builder(registry).clock(clock).baseline(Baseline.parse("accuracy=0.9,recall=0.5"))
                .driftDetectors(java.util.Arrays.stream(detectors).<java.util.function.Supplier<DriftDetector>>map(
                        d -> () -> d).toList())
                .build();
    }

    private static void feed(FeedbackRecorder recorder, int correct, int wrong) {
        for (int i = 0; i < correct; i++) {
            recorder.record(1, 1);
        }
        for (int i = 0; i < wrong; i++) {
            recorder.record(1, 0);
        }
    }

    @Test
    void noFeedbackThenHealthy() {
        FeedbackRecorder recorder = recorder();

        assertThat(recorder.status().verdict()).isEqualTo(new Verdict(Verdict.State.NO_FEEDBACK, List.of()));
        feed(recorder, 95, 5);
        assertThat(recorder.status().verdict()).isEqualTo(new Verdict(Verdict.State.HEALTHY, List.of()));
        // an hour and a bucket later the windows are empty: nothing is known of recent quality
        clock.advance(Duration.ofMinutes(63));
        assertThat(recorder.status().verdict().state()).isEqualTo(Verdict.State.NO_FEEDBACK);
    }

    /**
     * 70 of 100 right: accuracy 0.7, Wilson 95% interval [0.6041, 0.7811] (p = 0.7, n = 100,
     * z = 1.96), under 0.9 in both windows; recall is 1 (no false negative), not below 0.5.
     */
    @Test
    void everyConditionThatHoldsIsAReasonInTheDocumentedOrder() {
        FeedbackRecorder recorder = recorder(new Scripted("first", DriftState.STABLE),
                new Scripted("warned", DriftState.WARNING), new Scripted("drifted", DriftState.DRIFT, DriftState.STABLE));
        feed(recorder, 70, 30);

        Verdict verdict = recorder.status().verdict();

        assertThat(verdict.state()).isEqualTo(Verdict.State.BELOW_BASELINE);
        assertThat(verdict.reasons()).extracting(Verdict.Reason::state).containsExactly(Verdict.State.BELOW_BASELINE,
                Verdict.State.BELOW_BASELINE, Verdict.State.DRIFT_DETECTED, Verdict.State.DRIFT_WARNING);
        Verdict.BelowBaseline fiveMinutes = (Verdict.BelowBaseline) verdict.reasons().get(0);
        assertThat(fiveMinutes.window()).isEqualTo("5m");
        assertThat(fiveMinutes.metric()).isEqualTo(Metric.ACCURACY);
        assertThat(fiveMinutes.value()).isEqualTo(0.7);
        assertThat(fiveMinutes.interval().lower()).isCloseTo(0.6041496, within(1e-6));
        assertThat(fiveMinutes.interval().upper()).isCloseTo(0.7810525, within(1e-6));
        assertThat(fiveMinutes.baseline()).isEqualTo(0.9);
        assertThat(fiveMinutes.message())
                .isEqualTo("accuracy over the last 5m is 0.700 (95% interval 0.604 to 0.781), below the baseline 0.900");
        assertThat(((Verdict.BelowBaseline) verdict.reasons().get(1)).window()).isEqualTo("1h");
        assertThat(verdict.reasons().get(2)).isEqualTo(new Verdict.DriftDetected("drifted", T0, 1));
        assertThat(verdict.reasons().get(2).message())
                .isEqualTo("drifted detected a drift at 2026-01-01T00:00:00Z, after 1 feedbacks");
        assertThat(verdict.reasons().get(3)).isEqualTo(new Verdict.DriftWarning("warned"));
    }

    /** A detector that signalled a drift and went back to stable keeps the model in drift for the longest window's span. */
    @Test
    void aDriftCountsForTheLongestWindowsSpan() {
        FeedbackRecorder recorder = recorder(new Scripted("drifted", DriftState.DRIFT, DriftState.STABLE));
        feed(recorder, 100, 0);

        assertThat(recorder.status().verdict().state()).isEqualTo(Verdict.State.DRIFT_DETECTED);
        clock.advance(Duration.ofMinutes(59));
        feed(recorder, 10, 0);
        assertThat(recorder.status().verdict().state()).isEqualTo(Verdict.State.DRIFT_DETECTED);
        clock.advance(Duration.ofMinutes(1));
        assertThat(recorder.status().verdict()).isEqualTo(new Verdict(Verdict.State.HEALTHY, List.of()));
    }

    @Test
    void withoutWindowsTheLifetimeIsJudged() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).windows()
                .baseline(Baseline.parse("accuracy=0.9")).driftDetectors().build();
        feed(recorder, 70, 30);

        Verdict verdict = recorder.status().verdict();

        assertThat(verdict.state()).isEqualTo(Verdict.State.BELOW_BASELINE);
        assertThat(verdict.reasons()).hasSize(1);
        assertThat(verdict.reasons().get(0).message()).startsWith("accuracy over the lifetime is 0.700");
    }

    @Test
    void theStateMustBeTheFirstReasons() {
        assertThatThrownBy(() -> new Verdict(Verdict.State.HEALTHY, List.of(new Verdict.DriftWarning("ddm"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the state must be the first reason's, got HEALTHY");
        assertThatThrownBy(() -> new Verdict(Verdict.State.DRIFT_WARNING, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Verdict.State.BELOW_BASELINE.key()).isEqualTo("below_baseline");
    }
}
