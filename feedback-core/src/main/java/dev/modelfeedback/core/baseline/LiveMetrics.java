package dev.modelfeedback.core.baseline;

import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.scores.ScoreCounts;

/**
 * A {@link Metric}'s value and interval over live feedback: the matrix's metrics from the matrix,
 * the score metrics from the scored feedback.
 */
public final class LiveMetrics {

    private LiveMetrics() {
    }

    /**
     * The value of a metric.
     *
     * @param metric the metric
     * @param matrix the feedback's confusion matrix
     * @param scores the same feedback's scored items
     * @return the value, NaN where undefined
     */
    public static double value(Metric metric, ConfusionMatrix matrix, ScoreCounts scores) {
        return switch (metric) {
            case ROC_AUC -> scores.rocAuc();
            case LOG_LOSS -> scores.logLoss();
            default -> metric.of(matrix);
        };
    }

    /**
     * The 95% interval of a metric: Wilson's for the proportions, DeLong's for ROC AUC (see
     * {@link ScoreCounts#rocAucInterval()}).
     *
     * @return the interval; {@link ConfidenceInterval#UNDEFINED} for F1, macro F1 and log loss
     */
    public static ConfidenceInterval interval(Metric metric, ConfusionMatrix matrix, ScoreCounts scores) {
        return metric == Metric.ROC_AUC ? scores.rocAucInterval() : metric.interval(matrix);
    }
}
