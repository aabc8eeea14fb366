package dev.modelfeedback.core.matrix;

import dev.modelfeedback.core.model.Texts;
import java.util.List;
import java.util.Locale;

/**
 * The quality metrics derived from a confusion matrix that a baseline may hold, with the name each
 * has in JSON, in the {@code metric} tag of {@code model_baseline} and on the command line. A
 * binary model's baseline holds any of {@link #BINARY}; a model with declared classes, any of
 * {@link #CLASSES}.
 */
public enum Metric {
    /** (TP + TN) / total. */
    ACCURACY("accuracy"),
    /** TP / (TP + FP). */
    PRECISION("precision"),
    /** TP / (TP + FN). */
    RECALL("recall"),
    /** 2TP / (2TP + FP + FN). */
    F1("f1"),
    /** The mean of the classes' F1, over the classes where it is defined. */
    MACRO_F1("macro_f1");

    /** The metrics of a binary model: accuracy, precision, recall and F1 of class {@code 1}. */
    public static final List<Metric> BINARY = List.of(ACCURACY, PRECISION, RECALL, F1);

    /** The metrics of a model with declared classes: accuracy and macro F1. */
    public static final List<Metric> CLASSES = List.of(ACCURACY, MACRO_F1);

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    /** The metric's name: {@code accuracy}, {@code precision}, {@code recall}, {@code f1} or {@code macro_f1}. */
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
        return of(counts.matrix());
    }

    /**
     * This metric of a matrix of any number of classes. Precision, recall and F1 are those of the
     * second class of a two-class matrix (class {@code 1} of a binary model), and NaN for more classes.
     *
     * @param matrix the matrix
     * @return the value, NaN where undefined
     */
    public double of(ConfusionMatrix matrix) {
        boolean twoClasses = matrix.classes().size() == 2;
        return switch (this) {
            case ACCURACY -> matrix.accuracy();
            case PRECISION -> twoClasses ? matrix.precision(1) : Double.NaN;
            case RECALL -> twoClasses ? matrix.recall(1) : Double.NaN;
            case F1 -> twoClasses ? matrix.f1(1) : Double.NaN;
            case MACRO_F1 -> matrix.macroF1();
        };
    }

    /**
     * As {@link #interval(ClassificationSnapshot)}, for a matrix of any number of classes; precision
     * and recall have one only for a two-class matrix, of its second class.
     *
     * @param matrix the matrix
     * @return the interval; {@link ConfidenceInterval#UNDEFINED} where there is none
     */
    public ConfidenceInterval interval(ConfusionMatrix matrix) {
        boolean twoClasses = matrix.classes().size() == 2;
        return switch (this) {
            case ACCURACY -> matrix.accuracyInterval();
            case PRECISION -> twoClasses ? ConfidenceInterval.wilson(matrix.count(1, 1), matrix.predictedCount(1))
                    : ConfidenceInterval.UNDEFINED;
            case RECALL -> twoClasses ? matrix.recallInterval(1) : ConfidenceInterval.UNDEFINED;
            case F1, MACRO_F1 -> ConfidenceInterval.UNDEFINED;
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
        return interval(counts.matrix());
    }

    /** Whether {@link #interval} is ever defined for this metric. */
    public boolean hasInterval() {
        return this == ACCURACY || this == PRECISION || this == RECALL;
    }

    /**
     * The metric of a name, ignoring case.
     *
     * @param key {@code accuracy}, {@code precision}, {@code recall}, {@code f1} or {@code macro_f1}
     * @return the metric
     * @throws IllegalArgumentException for any other name
     */
    public static Metric ofKey(String key) {
        for (Metric metric : values()) {
            if (metric.key.equals(key.toLowerCase(Locale.ROOT))) {
                return metric;
            }
        }
        throw new IllegalArgumentException("metric must be accuracy, precision, recall, f1 or macro_f1, got " + Texts.quote(key));
    }
}
