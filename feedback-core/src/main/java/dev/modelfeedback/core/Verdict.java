package dev.modelfeedback.core;

import dev.modelfeedback.core.baseline.LiveMetrics;
import dev.modelfeedback.core.drift.DriftState;
import dev.modelfeedback.core.drift.DriftStatus;
import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.scores.ScoreCounts;
import dev.modelfeedback.core.window.Window;
import dev.modelfeedback.core.window.WindowCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A model's health in one word, and every condition behind it: what a deploy or canary gate asks
 * ("is v4 healthy?"), and what the status page shows.
 *
 * <pre>{@code
 * Verdict verdict = recorder.status().verdict();
 * if (verdict.state() != Verdict.State.HEALTHY) {
 *     verdict.reasons().forEach(reason -> log.warn(reason.message()));
 * }
 * }</pre>
 *
 * <p>The reasons are every condition that holds, in this order (the most direct evidence first):
 * <ol>
 *   <li>{@link BelowBaseline}: a window's metric is significantly below its baseline (the upper bound
 *       of its 95% Wilson interval is under the baseline value), for each window in the configured
 *       order, then each metric in the order accuracy, precision, recall;
 *   <li>{@link DriftDetected}: a drift detector is in its drift state, or signalled a drift within
 *       the {@linkplain #recentSpan recent span}, each detector in the configured order;
 *   <li>{@link DriftWarning}: a drift detector is in its warning zone.
 * </ol>
 * The state is the first reason's; without one, {@link State#NO_FEEDBACK} if no feedback arrived in
 * the recent span, else {@link State#HEALTHY}.
 *
 * <p>The recent span is the recorder's longest window (by default the last hour), or its whole
 * lifetime if it keeps no window: only windows are held against the baseline, so that a model that
 * recovered is not judged by its past. Immutable.
 *
 * @param state the model's state: the first reason's, or healthy, or no feedback
 * @param reasons every condition that holds, in the order above; empty if healthy or without feedback
 */
public record Verdict(State state, List<Reason> reasons) {

    /** A model's state, in the order the reasons are listed (healthy and no feedback have none). */
    public enum State {
        /** No condition holds, and feedback arrived in the recent span. */
        HEALTHY,
        /** No feedback arrived in the recent span: nothing is known of the model's recent quality. */
        NO_FEEDBACK,
        /** A window's metric is significantly below its baseline. */
        BELOW_BASELINE,
        /** A drift detector signalled a rise of the error rate. */
        DRIFT_DETECTED,
        /** A drift detector is in its warning zone. */
        DRIFT_WARNING;

        /** The state's name in JSON: {@code healthy}, {@code no_feedback}, {@code below_baseline}, ... */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One condition that holds. */
    public sealed interface Reason permits BelowBaseline, DriftDetected, DriftWarning {

        /** The state this condition puts the model in. */
        State state();

        /** The condition in a sentence, for a log line or a page. */
        String message();
    }

    /**
     * A window's metric is significantly below its baseline.
     *
     * @param window the window's name ({@code 5m}, {@code 1h}), or {@code lifetime} for a recorder
     *     without windows
     * @param metric the metric
     * @param value its value in the window
     * @param interval its 95% interval (Wilson's; DeLong's for ROC AUC)
     * @param baseline the baseline value, above the interval
     */
    public record BelowBaseline(String window, Metric metric, double value, ConfidenceInterval interval,
            double baseline) implements Reason {

        @Override
        public State state() {
            return State.BELOW_BASELINE;
        }

        @Override
        public String message() {
            return String.format(Locale.ROOT, "%s %s is %.3f (95%% interval %.3f to %.3f), below the baseline %.3f",
                    metric.key(), window.equals(LIFETIME) ? "over the lifetime" : "over the last " + window, value,
                    interval.lower(), interval.upper(), baseline);
        }
    }

    /**
     * A drift detector signalled a drift recently, or is in its drift state.
     *
     * @param detector the detector's name
     * @param at when it last signalled a drift
     * @param feedback how many feedback items the detectors had seen then
     */
    public record DriftDetected(String detector, Instant at, long feedback) implements Reason {

        @Override
        public State state() {
            return State.DRIFT_DETECTED;
        }

        @Override
        public String message() {
            return String.format(Locale.ROOT, "%s detected a drift at %s, after %d feedbacks", detector, at, feedback);
        }
    }

    /**
     * A drift detector is in its warning zone.
     *
     * @param detector the detector's name
     */
    public record DriftWarning(String detector) implements Reason {

        @Override
        public State state() {
            return State.DRIFT_WARNING;
        }

        @Override
        public String message() {
            return detector + " is in its warning zone: the error rate may be rising";
        }
    }

    /** The name of the lifetime where a recorder keeps no window. */
    public static final String LIFETIME = "lifetime";

    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the state is not the first reason's
     */
    public Verdict {
        Objects.requireNonNull(state, "state");
        reasons = List.copyOf(reasons);
        State expected = reasons.isEmpty() ? state : reasons.get(0).state();
        if (state != expected || (reasons.isEmpty() && state != State.HEALTHY && state != State.NO_FEEDBACK)) {
            throw new IllegalArgumentException("the state must be the first reason's, got " + state + " for " + reasons);
        }
    }

    /**
     * The verdict on a model's status.
     *
     * @param status the status
     * @return every condition that holds in it, and the state they make
     */
    public static Verdict of(ModelStatus status) {
        List<Reason> reasons = new ArrayList<>();
        List<WindowCounts> windows = status.windows();
        if (windows.isEmpty()) {
            belowBaseline(status, LIFETIME, status.lifetime(), status.scores(), reasons);
        } else {
            for (WindowCounts window : windows) {
                belowBaseline(status, window.window().name(), window.matrix(), window.scores(), reasons);
            }
        }
        Duration recent = recentSpan(status);
        for (DriftStatus detector : status.drift()) {
            Instant last = detector.lastDriftAt();
            boolean recentDrift = last != null
                    && (recent == null || Duration.between(last, status.at()).compareTo(recent) < 0);
            if (last != null && (detector.state() == DriftState.DRIFT || recentDrift)) {
                reasons.add(new DriftDetected(detector.detector(), last, detector.lastDriftFeedback()));
            }
        }
        for (DriftStatus detector : status.drift()) {
            if (detector.state() == DriftState.WARNING) {
                reasons.add(new DriftWarning(detector.detector()));
            }
        }
        if (!reasons.isEmpty()) {
            return new Verdict(reasons.get(0).state(), reasons);
        }
        long recentFeedback = windows.isEmpty() ? status.lifetime().total()
                : windows.stream().max(Comparator.comparing(w -> w.window().span())).orElseThrow().matrix().total();
        return new Verdict(recentFeedback == 0 ? State.NO_FEEDBACK : State.HEALTHY, List.of());
    }

    /**
     * How far back a drift still counts: the longest window's span, or {@code null} (the whole
     * lifetime) for a status without windows.
     *
     * @param status the status
     * @return the span, or null
     */
    public static Duration recentSpan(ModelStatus status) {
        return status.windows().stream().map(WindowCounts::window).map(Window::span).max(Comparator.naturalOrder())
                .orElse(null);
    }

    private static void belowBaseline(ModelStatus status, String window, ConfusionMatrix counts, ScoreCounts scores,
            List<Reason> reasons) {
        for (Metric metric : status.baseline().values().keySet()) {
            if (status.baseline().significantlyExceeds(metric, counts, scores)) {
                reasons.add(new BelowBaseline(window, metric, LiveMetrics.value(metric, counts, scores),
                        LiveMetrics.interval(metric, counts, scores), status.baseline().value(metric).orElseThrow()));
            }
        }
    }
}
