package dev.modelfeedback.core;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.drift.DriftStatus;
import dev.modelfeedback.core.join.JoinCounts;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.scores.ScoreCounts;
import dev.modelfeedback.core.window.WindowCounts;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything known about one model's live quality at one moment: its lifetime counts, its time
 * windows (the last 5 minutes, the last hour, ...) and its baseline. Every window's counts and the
 * lifetime counts come from one read of the live matrix, so they agree with each other.
 *
 * <pre>{@code
 * ModelStatus status = recorder.status();
 * for (WindowCounts window : status.windows()) {
 *     ConfusionMatrix counts = window.matrix();
 *     ConfidenceInterval accuracy = counts.interval(Metric.ACCURACY);
 *     boolean worse = status.significantlyBelowBaseline(counts, Metric.ACCURACY);
 * }
 * Verdict verdict = status.verdict();   // healthy, below_baseline, drift_detected, ...
 * }</pre>
 *
 * @param model the model
 * @param at when the status was read
 * @param lifetime every feedback counted since the recorder was built (for a binary model,
 *     {@code lifetime().binary()} has its four counts)
 * @param scores every scored feedback counted since the recorder was built, read with {@code lifetime}
 * @param windows each configured window's feedback, in the configured order
 * @param baseline what the model is expected to achieve; {@link Baseline#NONE} if not set, or while a
 *     reference period is still open
 * @param drift each drift detector's state, in the configured order
 * @param joins pending predictions and unmatched feedback
 */
public record ModelStatus(ModelId model, Instant at, ConfusionMatrix lifetime, ScoreCounts scores, List<WindowCounts> windows,
        Baseline baseline, List<DriftStatus> drift, JoinCounts joins) {

    /**
     * @throws NullPointerException if a component is null
     */
    public ModelStatus {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(scores, "scores");
        windows = List.copyOf(windows);
        Objects.requireNonNull(baseline, "baseline");
        drift = List.copyOf(drift);
        Objects.requireNonNull(joins, "joins");
    }

    /**
     * Whether {@code counts} (a window's, or the lifetime's) is significantly below the baseline in
     * {@code metric}: the upper bound of its 95% Wilson interval is under the baseline value.
     *
     * @param counts the feedback to judge
     * @param metric the metric; never true for F1, which has no interval
     * @return whether live is significantly worse than expected
     */
    public boolean significantlyBelowBaseline(ConfusionMatrix counts, Metric metric) {
        return baseline.significantlyExceeds(metric, counts);
    }

    /**
     * As {@link #significantlyBelowBaseline(ConfusionMatrix, Metric)}, for any metric: ROC AUC is
     * judged by the DeLong interval of the same feedback's scored items.
     *
     * @param counts the feedback to judge
     * @param scores its scored items
     * @param metric the metric; never true for F1, macro F1 and log loss, which have no interval
     * @return whether live is significantly worse than expected
     */
    public boolean significantlyBelowBaseline(ConfusionMatrix counts, ScoreCounts scores, Metric metric) {
        return baseline.significantlyExceeds(metric, counts, scores);
    }

    /**
     * As {@link #significantlyBelowBaseline(ConfusionMatrix, Metric)}, for a binary model's counts.
     *
     * @param counts the feedback to judge
     * @param metric the metric; never true for F1, which has no interval
     * @return whether live is significantly worse than expected
     */
    public boolean significantlyBelowBaseline(ClassificationSnapshot counts, Metric metric) {
        return baseline.significantlyExceeds(metric, counts);
    }

    /**
     * The model's health: healthy, no feedback, or every condition that holds (below baseline,
     * drift detected, drift warning), in a documented order.
     *
     * @return the verdict on this status
     */
    public Verdict verdict() {
        return Verdict.of(this);
    }
}
