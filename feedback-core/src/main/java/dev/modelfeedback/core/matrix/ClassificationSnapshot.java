package dev.modelfeedback.core.matrix;

/**
 * An immutable confusion matrix and the quality metrics derived from it.
 *
 * <p>Every derived value is computed from this record's four counts, so a snapshot is always
 * self-consistent: accuracy lies in [0, 1] and matches the counts it is shown with, even when the
 * snapshot was taken while other threads were recording.
 *
 * <p>A metric whose denominator is zero is undefined and returned as {@link Double#NaN}, never 0:
 * a model that has received no feedback is not a model with 0% accuracy.
 *
 * @param truePositives feedback with prediction 1 and actual 1
 * @param trueNegatives feedback with prediction 0 and actual 0
 * @param falsePositives feedback with prediction 1 and actual 0
 * @param falseNegatives feedback with prediction 0 and actual 1
 */
public record ClassificationSnapshot(
        long truePositives, long trueNegatives, long falsePositives, long falseNegatives) {

    /** The snapshot of a model that has received no feedback. */
    public static final ClassificationSnapshot EMPTY = new ClassificationSnapshot(0, 0, 0, 0);

    /**
     * @throws IllegalArgumentException if a count is negative
     */
    public ClassificationSnapshot {
        requireNonNegative("truePositives", truePositives);
        requireNonNegative("trueNegatives", trueNegatives);
        requireNonNegative("falsePositives", falsePositives);
        requireNonNegative("falseNegatives", falseNegatives);
    }

    /** The number of feedback items counted. */
    public long total() {
        return truePositives + trueNegatives + falsePositives + falseNegatives;
    }

    /** The count in one cell of the matrix. */
    public long count(Outcome outcome) {
        return switch (outcome) {
            case TRUE_POSITIVE -> truePositives;
            case TRUE_NEGATIVE -> trueNegatives;
            case FALSE_POSITIVE -> falsePositives;
            case FALSE_NEGATIVE -> falseNegatives;
        };
    }

    /**
     * These counts as the matrix of classes {@code 0} and {@code 1}, from which a binary model's
     * counts are read everywhere (windows, the reference period, the scrape).
     *
     * @return the 2&times;2 matrix, rows = actual
     */
    public ConfusionMatrix matrix() {
        return ConfusionMatrix.ofCells(ClassLabels.BINARY,
                new long[] {trueNegatives, falsePositives, falseNegatives, truePositives});
    }

    /** (TP + TN) / total; NaN when there is no feedback. */
    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    /** TP / (TP + FP); NaN when the model never predicted 1. */
    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** TP / (TP + FN); NaN when no actual 1 has been seen. */
    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /**
     * 2TP / (2TP + FP + FN), the harmonic mean of precision and recall; NaN only when there is no
     * positive prediction and no actual positive. It is 0, not NaN, when TP = 0 but FP + FN &gt; 0.
     */
    public double f1() {
        return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
    }

    /**
     * The 95% Wilson score interval of a metric: accuracy over all feedback, precision over
     * TP + FP, recall over TP + FN.
     *
     * @param metric the metric
     * @return the interval; {@link ConfidenceInterval#UNDEFINED} when its denominator is 0, and for F1
     */
    public ConfidenceInterval interval(Metric metric) {
        return metric.interval(this);
    }

    /**
     * The feedback counted here but not in {@code earlier}: the difference, cell by cell.
     *
     * @param earlier counts read before these, of the same matrix
     * @return the difference
     * @throws IllegalArgumentException if a cell of {@code earlier} is larger
     */
    public ClassificationSnapshot minus(ClassificationSnapshot earlier) {
        return new ClassificationSnapshot(truePositives - earlier.truePositives, trueNegatives - earlier.trueNegatives,
                falsePositives - earlier.falsePositives, falseNegatives - earlier.falseNegatives);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }
}
