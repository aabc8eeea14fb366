package dev.modelfeedback.core.matrix;

import dev.modelfeedback.core.model.Texts;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable K&times;K confusion matrix of a model with declared classes, and the quality metrics
 * derived from it: per class (precision, recall, F1, support) and over all classes (accuracy,
 * balanced accuracy, macro and weighted averages, Cohen's kappa, the Matthews correlation
 * coefficient).
 *
 * <p>Rows are actual classes, columns predicted ones, both in declared order, as scikit-learn's
 * {@code confusion_matrix(y_true, y_pred, labels=classes)}. Every value equals scikit-learn's where
 * scikit-learn defines it. Undefined is {@link Double#NaN}, never 0: a class's precision when it was
 * never predicted, its recall when its support is 0, its F1 when 2TP + FP + FN = 0; macro and
 * weighted averages are taken over the classes where the value is defined (scikit-learn's
 * {@code zero_division=np.nan}); kappa and MCC when their denominator is 0.
 *
 * <pre>{@code
 * ConfusionMatrix m = ConfusionMatrix.of(ClassLabels.of("billing", "tech", "sales"), new long[][] {
 *         {5, 1, 0},    // actual billing: 5 predicted billing, 1 tech
 *         {2, 7, 1},
 *         {0, 0, 4}});
 * m.recall(1);          // 0.7
 * m.macroF1();
 * }</pre>
 */
public final class ConfusionMatrix {

    private final ClassLabels classes;
    /** Cell (actual a, predicted p) at {@code a * K + p}. */
    private final long[] cells;
    private final long[] support;
    private final long[] predicted;
    private final long total;
    private final long correct;

    private ConfusionMatrix(ClassLabels classes, long[] cells) {
        this.classes = classes;
        this.cells = cells;
        int k = classes.size();
        this.support = new long[k];
        this.predicted = new long[k];
        long sum = 0;
        long diagonal = 0;
        for (int a = 0; a < k; a++) {
            for (int p = 0; p < k; p++) {
                long count = cells[a * k + p];
                if (count < 0) {
                    throw new IllegalArgumentException("count of actual " + Texts.quote(classes.label(a))
                            + ", predicted " + Texts.quote(classes.label(p)) + " must not be negative, got " + count);
                }
                support[a] += count;
                predicted[p] += count;
                sum += count;
            }
            diagonal += cells[a * k + a];
        }
        this.total = sum;
        this.correct = diagonal;
    }

    /**
     * A matrix from its rows.
     *
     * @param classes the classes
     * @param rows one row per actual class, each with one count per predicted class
     * @return the matrix
     * @throws IllegalArgumentException if the shape is not K&times;K or a count is negative
     */
    public static ConfusionMatrix of(ClassLabels classes, long[][] rows) {
        Objects.requireNonNull(classes, "classes");
        int k = classes.size();
        if (rows.length != k) {
            throw new IllegalArgumentException("a matrix of " + k + " classes has " + k + " rows, got " + rows.length);
        }
        long[] cells = new long[k * k];
        for (int a = 0; a < k; a++) {
            if (rows[a].length != k) {
                throw new IllegalArgumentException("row " + a + " must have " + k + " counts, got " + rows[a].length);
            }
            System.arraycopy(rows[a], 0, cells, a * k, k);
        }
        return new ConfusionMatrix(classes, cells);
    }

    /**
     * A matrix from its cells, row-major: cell (actual a, predicted p) at {@code a * K + p}.
     * The array is taken, not copied: the caller must not change it.
     */
    static ConfusionMatrix ofCells(ClassLabels classes, long[] cells) {
        if (cells.length != classes.size() * classes.size()) {
            throw new IllegalArgumentException("a matrix of " + classes.size() + " classes has "
                    + classes.size() * classes.size() + " cells, got " + cells.length);
        }
        return new ConfusionMatrix(classes, cells);
    }

    /** The matrix of no feedback. */
    public static ConfusionMatrix empty(ClassLabels classes) {
        return new ConfusionMatrix(Objects.requireNonNull(classes, "classes"), new long[classes.size() * classes.size()]);
    }

    /** The classes, in the order of rows and columns. */
    public ClassLabels classes() {
        return classes;
    }

    /** The count of feedback with this actual class and this predicted class. */
    public long count(int actual, int predicted) {
        int k = classes.size();
        Objects.checkIndex(actual, k);
        Objects.checkIndex(predicted, k);
        return cells[actual * k + predicted];
    }

    /**
     * The count of one cell by its index, row-major: {@code actual * K + predicted}.
     *
     * @param cell 0 to K&sup2; - 1
     * @return the count
     */
    public long count(int cell) {
        return cells[Objects.checkIndex(cell, cells.length)];
    }

    /**
     * This matrix as the counts of a binary classifier, its second class positive: true positives
     * are cell (1, 1), false positives (actual 0, predicted 1), and so on.
     *
     * @return the binary view
     * @throws IllegalStateException if the matrix has more than two classes
     */
    public ClassificationSnapshot binary() {
        if (classes.size() != 2) {
            throw new IllegalStateException("a matrix of " + classes.size() + " classes " + classes.labels()
                    + " has no binary view; read its classes' metrics instead");
        }
        return new ClassificationSnapshot(cells[3], cells[0], cells[1], cells[2]);
    }

    /** The rows: one per actual class, each with one count per predicted class; a copy. */
    public long[][] rows() {
        int k = classes.size();
        long[][] rows = new long[k][];
        for (int a = 0; a < k; a++) {
            rows[a] = Arrays.copyOfRange(cells, a * k, (a + 1) * k);
        }
        return rows;
    }

    /** The number of feedback items counted. */
    public long total() {
        return total;
    }

    /** How many items had this actual class. */
    public long support(int c) {
        return support[c];
    }

    /** How many items the model predicted as this class. */
    public long predictedCount(int c) {
        return predicted[c];
    }

    /** The share of items predicted right; NaN with no feedback. */
    public double accuracy() {
        return ratio(correct, total);
    }

    /** The 95% Wilson interval of accuracy. */
    public ConfidenceInterval accuracyInterval() {
        return ConfidenceInterval.wilson(correct, total);
    }

    /** TP / (TP + FP) of one class; NaN when it was never predicted. */
    public double precision(int c) {
        return ratio(truePositives(c), predicted[c]);
    }

    /** TP / (TP + FN) of one class; NaN when its support is 0. */
    public double recall(int c) {
        return ratio(truePositives(c), support[c]);
    }

    /** The 95% Wilson interval of one class's recall. */
    public ConfidenceInterval recallInterval(int c) {
        return ConfidenceInterval.wilson(truePositives(c), support[c]);
    }

    /** 2TP / (2TP + FP + FN) of one class; NaN only when that denominator is 0. */
    public double f1(int c) {
        long tp = truePositives(c);
        return ratio(2 * tp, predicted[c] + support[c]);
    }

    /** The mean recall over the classes that have support, as scikit-learn's {@code balanced_accuracy_score}. */
    public double balancedAccuracy() {
        return macroRecall();
    }

    /** The mean of the defined per-class precisions. */
    public double macroPrecision() {
        return mean(Per.PRECISION, false);
    }

    /** The mean of the defined per-class recalls. */
    public double macroRecall() {
        return mean(Per.RECALL, false);
    }

    /** The mean of the defined per-class F1 scores. */
    public double macroF1() {
        return mean(Per.F1, false);
    }

    /**
     * The mean of the defined per-class precisions, weighted by support (if only classes without
     * support have one, their plain mean, as scikit-learn).
     */
    public double weightedPrecision() {
        return mean(Per.PRECISION, true);
    }

    /** The mean of the defined per-class recalls, weighted by support. */
    public double weightedRecall() {
        return mean(Per.RECALL, true);
    }

    /** The mean of the defined per-class F1 scores, weighted by support. */
    public double weightedF1() {
        return mean(Per.F1, true);
    }

    /**
     * Cohen's kappa between the actual and the predicted classes: (p_o - p_e) / (1 - p_e); NaN when
     * 1 - p_e is 0 (or there is no feedback).
     */
    public double cohenKappa() {
        if (total == 0) {
            return Double.NaN;
        }
        double n = total;
        double expectedAgreement = 0;
        for (int c = 0; c < classes.size(); c++) {
            expectedAgreement += (double) support[c] * predicted[c];
        }
        // With w = 1 - I: sum(w * observed) = n - correct, sum(w * expected) = n - sum(s_c p_c) / n.
        double expectedDisagreement = n - expectedAgreement / n;
        return expectedDisagreement == 0 ? Double.NaN : 1 - (n - correct) / expectedDisagreement;
    }

    /**
     * The Matthews correlation coefficient in its multi-class form (Gorodkin's R_K); NaN when its
     * denominator is 0.
     */
    public double mcc() {
        double n = total;
        double dotTruePredicted = 0;
        double dotPredicted = 0;
        double dotTrue = 0;
        for (int c = 0; c < classes.size(); c++) {
            dotTruePredicted += (double) support[c] * predicted[c];
            dotPredicted += (double) predicted[c] * predicted[c];
            dotTrue += (double) support[c] * support[c];
        }
        double covTruePredicted = correct * n - dotTruePredicted;
        double covPredicted = n * n - dotPredicted;
        double covTrue = n * n - dotTrue;
        double denominator = covPredicted * covTrue;
        return denominator == 0 ? Double.NaN : covTruePredicted / Math.sqrt(denominator);
    }

    /**
     * The items counted here but not in {@code earlier}: the difference, cell by cell.
     *
     * @param earlier counts read before these, of the same matrix
     * @return the difference
     * @throws IllegalArgumentException if the classes differ or a cell of {@code earlier} is larger
     */
    public ConfusionMatrix minus(ConfusionMatrix earlier) {
        if (!classes.equals(earlier.classes)) {
            throw new IllegalArgumentException("cannot subtract a matrix of " + earlier.classes + " from one of " + classes);
        }
        long[] difference = new long[cells.length];
        for (int i = 0; i < cells.length; i++) {
            difference[i] = cells[i] - earlier.cells[i];
        }
        return new ConfusionMatrix(classes, difference);
    }

    private long truePositives(int c) {
        return cells[c * classes.size() + c];
    }

    private enum Per { PRECISION, RECALL, F1 }

    private double mean(Per per, boolean weighted) {
        double sum = 0;
        double weights = 0;
        double plainSum = 0;
        int defined = 0;
        for (int c = 0; c < classes.size(); c++) {
            double value = switch (per) {
                case PRECISION -> precision(c);
                case RECALL -> recall(c);
                case F1 -> f1(c);
            };
            if (!Double.isNaN(value)) {
                double weight = weighted ? support[c] : 1;
                sum += weight * value;
                weights += weight;
                plainSum += value;
                defined++;
            }
        }
        if (defined == 0) {
            return Double.NaN;
        }
        // Only classes without support have a defined value: scikit-learn then ignores the weights.
        return weights == 0 ? plainSum / defined : sum / weights;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfusionMatrix that && classes.equals(that.classes) && Arrays.equals(cells, that.cells);
    }

    @Override
    public int hashCode() {
        return 31 * classes.hashCode() + Arrays.hashCode(cells);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + classes.labels() + Arrays.deepToString(rows());
    }
}
