package dev.modelfeedback.core.scores;

import dev.modelfeedback.core.matrix.ConfidenceInterval;
import java.util.ArrayList;
import java.util.List;

/**
 * The scored feedback of a model at one moment (its lifetime's, or a window's), with every score
 * metric derived from it. Immutable.
 *
 * <p>Binary models: ROC AUC, its 95% DeLong interval and average precision of class 1, log loss,
 * Brier score (mean of (score - actual)&sup2;), expected calibration error and the reliability
 * table of the score of class 1. Models with declared classes: ROC AUC and average precision of
 * each class against the rest and their macro averages, log loss, Brier score (mean over items of
 * &Sigma;<sub>c</sub> (p<sub>c</sub> - y<sub>c</sub>)&sup2;) and the top-label calibration error
 * (the predicted class's probability against whether the prediction was right). Every metric is NaN
 * where it is undefined: all of them with no scored item, ROC AUC without a positive or a negative.
 */
public final class ScoreCounts {

    private final boolean binary;
    private final int rows;
    private final long[] buckets;
    private final long[] binItems;
    private final long[] binPositives;
    private final double[] binScores;
    private final long n;
    private final double logLoss;
    private final double brier;

    ScoreCounts(ScoreTally tally) {
        this(tally.binary, tally.rows, tally.buckets(), tally.binItems(), tally.binPositives(), tally.binScores(),
                tally.size(), tally.logLoss(), tally.brier());
    }

    private ScoreCounts(boolean binary, int rows, long[] buckets, long[] binItems, long[] binPositives,
            double[] binScores, long n, double logLoss, double brier) {
        this.binary = binary;
        this.rows = rows;
        this.buckets = buckets;
        this.binItems = binItems;
        this.binPositives = binPositives;
        this.binScores = binScores;
        this.n = n;
        this.logLoss = logLoss;
        this.brier = brier;
    }

    /** No scored feedback of a binary model. */
    public static ScoreCounts noneBinary() {
        return ScoreTally.ofBinary().counts();
    }

    /** No scored feedback of a model of {@code classes} declared classes. */
    public static ScoreCounts noneOfClasses(int classes) {
        return ScoreTally.ofClasses(classes).counts();
    }

    /** Whether these are a binary model's scores. */
    public boolean binary() {
        return binary;
    }

    /** How many rows of buckets: 1 for a binary model (class 1), else one per class. */
    public int rows() {
        return rows;
    }

    /** How many scored items. */
    public long n() {
        return n;
    }

    /** The counts since {@code earlier}, a read of the same counter before this one. */
    public ScoreCounts minus(ScoreCounts earlier) {
        if (earlier.binary != binary || earlier.rows != rows) {
            throw new IllegalArgumentException("score counts of different models");
        }
        if (earlier.n == 0) {
            return this;
        }
        long[] b = new long[buckets.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = buckets[i] - earlier.buckets[i];
        }
        long[] items = new long[CalibrationBins.BINS];
        long[] positives = new long[CalibrationBins.BINS];
        double[] scores = new double[CalibrationBins.BINS];
        for (int i = 0; i < CalibrationBins.BINS; i++) {
            items[i] = binItems[i] - earlier.binItems[i];
            positives[i] = binPositives[i] - earlier.binPositives[i];
            scores[i] = items[i] == 0 ? 0 : binScores[i] - earlier.binScores[i];
        }
        long count = n - earlier.n;
        return new ScoreCounts(binary, rows, b, items, positives, scores, count,
                count == 0 ? 0 : logLoss - earlier.logLoss, count == 0 ? 0 : brier - earlier.brier);
    }

    /**
     * How many items of a row fall in a bucket.
     *
     * @param row 0 for a binary model, else the class's index
     * @param positive whether the items' actual class is the row's (binary: actual 1)
     * @param bucket 0 to {@value ScoreLayout#BUCKETS} - 1
     */
    public long bucket(int row, boolean positive, int bucket) {
        return buckets[offset(row, positive) + bucket];
    }

    /** How many positives of a row: binary, items with actual 1; else items of the class. */
    public long positives(int row) {
        long sum = 0;
        for (int b = 0; b < ScoreLayout.BUCKETS; b++) {
            sum += buckets[offset(row, true) + b];
        }
        return sum;
    }

    /** ROC AUC: binary, of the score of class 1; with declared classes, the macro average over the classes where it is defined. */
    public double rocAuc() {
        return binary ? rocAuc(0) : macro(true);
    }

    /** ROC AUC of one row: a class against the rest (row 0 of a binary model: class 1). NaN without positives or negatives. */
    public double rocAuc(int row) {
        return RankMetrics.rocAuc(buckets, offset(row, false), offset(row, true));
    }

    /**
     * The 95% interval of {@link #rocAuc()}: binary, DeLong's; with declared classes, the mean of
     * the classes' lower bounds to the mean of their upper bounds (over the classes where the AUC
     * is defined), conservative because the standard error of a mean is at most the mean of the
     * standard errors. Undefined if any class that has an AUC has no interval (fewer than two
     * positives or negatives).
     */
    public ConfidenceInterval rocAucInterval() {
        if (binary) {
            return rocAucInterval(0);
        }
        double lower = 0;
        double upper = 0;
        int defined = 0;
        for (int row = 0; row < rows; row++) {
            if (Double.isNaN(rocAuc(row))) {
                continue;
            }
            ConfidenceInterval interval = rocAucInterval(row);
            if (!interval.defined()) {
                return ConfidenceInterval.UNDEFINED;
            }
            lower += interval.lower();
            upper += interval.upper();
            defined++;
        }
        return defined == 0 ? ConfidenceInterval.UNDEFINED : new ConfidenceInterval(lower / defined, upper / defined);
    }

    /** The 95% DeLong interval of one row's ROC AUC; undefined with fewer than two positives or negatives. */
    public ConfidenceInterval rocAucInterval(int row) {
        return RankMetrics.rocAucInterval(buckets, offset(row, false), offset(row, true));
    }

    /** Average precision: binary, of class 1; with declared classes, the macro average. */
    public double averagePrecision() {
        return binary ? averagePrecision(0) : macro(false);
    }

    /** Average precision of one row; NaN without positives. */
    public double averagePrecision(int row) {
        return RankMetrics.averagePrecision(buckets, offset(row, false), offset(row, true));
    }

    /** Mean log loss, natural log, probabilities clipped to [1e-15, 1 - 1e-15]; NaN with no scored item. */
    public double logLoss() {
        return n == 0 ? Double.NaN : logLoss / n;
    }

    /** The sum of the items' log losses (for counters). */
    public double logLossSum() {
        return logLoss;
    }

    /** Mean Brier score; NaN with no scored item. */
    public double brier() {
        return n == 0 ? Double.NaN : brier / n;
    }

    /** The sum of the items' Brier scores (for counters). */
    public double brierSum() {
        return brier;
    }

    /**
     * The expected calibration error over the ten {@link CalibrationBins}: &Sigma;<sub>b</sub>
     * (n<sub>b</sub> / N) |observed<sub>b</sub> - mean score<sub>b</sub>|; NaN with no scored item.
     */
    public double calibrationError() {
        if (n == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int b = 0; b < CalibrationBins.BINS; b++) {
            sum += Math.abs(binPositives[b] - binScores[b]);
        }
        return sum / n;
    }

    /** How many items in a calibration bin. */
    public long binItems(int bin) {
        return binItems[bin];
    }

    /** How many of a calibration bin's items were positive (binary: actual 1; else a right prediction). */
    public long binPositives(int bin) {
        return binPositives[bin];
    }

    /** The sum of a calibration bin's scores. */
    public double binScores(int bin) {
        return binScores[bin];
    }

    /** The reliability table: one row per calibration bin, empty bins included (n 0, NaN means). */
    public List<ReliabilityBin> reliability() {
        List<ReliabilityBin> table = new ArrayList<>(CalibrationBins.BINS);
        for (int b = 0; b < CalibrationBins.BINS; b++) {
            long items = binItems[b];
            table.add(new ReliabilityBin(CalibrationBins.lower(b), CalibrationBins.upper(b), items,
                    items == 0 ? Double.NaN : binScores[b] / items,
                    items == 0 ? Double.NaN : binPositives[b] / (double) items));
        }
        return table;
    }

    private double macro(boolean auc) {
        double sum = 0;
        int defined = 0;
        for (int row = 0; row < rows; row++) {
            double value = auc ? rocAuc(row) : averagePrecision(row);
            if (!Double.isNaN(value)) {
                sum += value;
                defined++;
            }
        }
        return defined == 0 ? Double.NaN : sum / defined;
    }

    private int offset(int row, boolean positive) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        }
        return (2 * row + (positive ? 1 : 0)) * ScoreLayout.BUCKETS;
    }

    @Override
    public String toString() {
        return "ScoreCounts[n=" + n + ", roc_auc=" + rocAuc() + ", log_loss=" + logLoss() + ", brier=" + brier()
                + ", ece=" + calibrationError() + "]";
    }
}
