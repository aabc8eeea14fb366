package dev.modelfeedback.core;

import java.util.Locale;

/**
 * The quality metrics derived from a confusion matrix, with the name each has in JSON, in the
 * {@code metric} tag of {@code model_baseline} and on the command line.
 */
public enum Metric {
    /** (TP + TN) / total. */
    ACCURACY("accuracy"),
    /** TP / (TP + FP). */
    PRECISION("precision"),
    /** TP / (TP + FN). */
    RECALL("recall"),
    /** 2TP / (2TP + FP + FN). */
    F1("f1");

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    /** The metric's name: {@code accuracy}, {@code precision}, {@code recall} or {@code f1}. */
    public String key() {
        return key;
    }

    /**
     * This metric of a confusion matrix.
     *
     * @param counts the matrix
     * @return the value, NaN where undefined
     */
    public double of(ClassificationSnapshot counts) {
        return switch (this) {
            case ACCURACY -> counts.accuracy();
            case PRECISION -> counts.precision();
            case RECALL -> counts.recall();
            case F1 -> counts.f1();
        };
    }

    /**
     * The 95% Wilson score interval of this metric, for the metrics that are proportions: accuracy
     * (of all feedback), precision (of TP + FP) and recall (of TP + FN). F1 is not a proportion of
     * trials and has none.
     *
     * @param counts the matrix
     * @return the interval; {@link ConfidenceInterval#UNDEFINED} for F1 or when there are no trials
     */
    public ConfidenceInterval interval(ClassificationSnapshot counts) {
        long tp = counts.truePositives();
        return switch (this) {
            case ACCURACY -> ConfidenceInterval.wilson(tp + counts.trueNegatives(), counts.total());
            case PRECISION -> ConfidenceInterval.wilson(tp, tp + counts.falsePositives());
            case RECALL -> ConfidenceInterval.wilson(tp, tp + counts.falseNegatives());
            case F1 -> ConfidenceInterval.UNDEFINED;
        };
    }

    /** Whether {@link #interval} is ever defined for this metric. */
    public boolean hasInterval() {
        return this != F1;
    }

    /**
     * The metric of a name, ignoring case.
     *
     * @param key {@code accuracy}, {@code precision}, {@code recall} or {@code f1}
     * @return the metric
     * @throws IllegalArgumentException for any other name
     */
    public static Metric ofKey(String key) {
        for (Metric metric : values()) {
            if (metric.key.equals(key.toLowerCase(Locale.ROOT))) {
                return metric;
            }
        }
        throw new IllegalArgumentException("metric must be accuracy, precision, recall or f1, got " + Texts.quote(key));
    }
}
