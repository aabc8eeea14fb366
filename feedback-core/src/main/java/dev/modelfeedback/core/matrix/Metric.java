package dev.modelfeedback.core.matrix;

import dev.modelfeedback.core.model.Texts;
import java.util.List;
import java.util.Locale;

/**
 * The quality metrics a baseline may hold, with the name each has in JSON, in the {@code metric}
 * tag of {@code model_baseline} and on the command line: those derived from a confusion matrix,
 * {@link #BINARY} for a binary model and {@link #CLASSES} for one with declared classes, and for
 * either kind the score metrics {@link #SCORES} (ROC AUC and log loss, from scored feedback; see
 * {@code dev.modelfeedback.core.scores.ScoreCounts}). {@link #baselineMetrics(boolean)} is a
 * kind's whole set.
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
    MACRO_F1("macro_f1"),
    /** ROC AUC of the scores (with declared classes, the mean one-vs-rest AUC): from scored feedback, higher is better. */
    ROC_AUC("roc_auc"),
    /** Mean log loss of the scores: from scored feedback, lower is better. */
    LOG_LOSS("log_loss");

    /** The metrics of a binary model: accuracy, precision, recall and F1 of class {@code 1}. */
    public static final List<Metric> BINARY = List.of(ACCURACY, PRECISION, RECALL, F1);

    /** The metrics of a model with declared classes: accuracy and macro F1. */
    public static final List<Metric> CLASSES = List.of(ACCURACY, MACRO_F1);

    /** The metrics of scored feedback, of either kind of model: ROC AUC and log loss. */
    public static final List<Metric> SCORES = List.of(ROC_AUC, LOG_LOSS);

    private static final List<Metric> BINARY_BASELINE = List.of(ACCURACY, PRECISION, RECALL, F1, ROC_AUC, LOG_LOSS);
    private static final List<Metric> CLASSES_BASELINE = List.of(ACCURACY, MACRO_F1, ROC_AUC, LOG_LOSS);

    /**
     * Every metric a baseline of a kind of model may hold: its matrix's and the score metrics.
     *
     * @param declaresClasses whether the model declares its classes (else it is binary)
     * @return {@link #BINARY} or {@link #CLASSES}, then {@link #SCORES}
     */
    public static List<Metric> baselineMetrics(boolean declaresClasses) {
        return declaresClasses ? CLASSES_BASELINE : BINARY_BASELINE;
    }

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    /** The metric's name: {@code accuracy}, {@code precision}, {@code recall}, {@code f1}, {@code macro_f1}, {@code roc_auc} or {@code log_loss}. */
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

    /** Whether this metric comes from scored feedback rather than from the confusion matrix. */
    public boolean fromScores() {
        return this == ROC_AUC || this == LOG_LOSS;
    }

    /** Whether a higher value is better (all but log loss). */
    public boolean higherIsBetter() {
        return this != LOG_LOSS;
    }

    /**
     * This metric of a matrix of any number of classes. Precision, recall and F1 are those of the
     * second class of a two-class matrix (class {@code 1} of a binary model), and NaN for more
     * classes; the {@linkplain #fromScores() score metrics} are NaN here (a matrix has no scores).
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
            case ROC_AUC, LOG_LOSS -> Double.NaN;
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
            case F1, MACRO_F1, ROC_AUC, LOG_LOSS -> ConfidenceInterval.UNDEFINED;
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

    /**
     * Whether this metric has a 95% interval, so that live can be significantly below its
     * baseline: the proportions (Wilson's, {@link #interval}) and ROC AUC (DeLong's, from the
     * scores: {@code LiveMetrics.interval}). F1, macro F1 and log loss have none.
     */
    public boolean hasInterval() {
        return this == ACCURACY || this == PRECISION || this == RECALL || this == ROC_AUC;
    }

    /**
     * The metric of a name, ignoring case.
     *
     * @param key {@code accuracy}, {@code precision}, {@code recall}, {@code f1}, {@code macro_f1},
     *     {@code roc_auc} or {@code log_loss}
     * @return the metric
     * @throws IllegalArgumentException for any other name
     */
    public static Metric ofKey(String key) {
        for (Metric metric : values()) {
            if (metric.key.equals(key.toLowerCase(Locale.ROOT))) {
                return metric;
            }
        }
        throw new IllegalArgumentException("metric must be accuracy, precision, recall, f1, macro_f1, roc_auc or log_loss, got "
                + Texts.quote(key));
    }
}
