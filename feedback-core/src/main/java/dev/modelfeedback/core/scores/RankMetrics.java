package dev.modelfeedback.core.scores;

import dev.modelfeedback.core.matrix.ConfidenceInterval;
import java.util.Arrays;

/**
 * ROC AUC, its DeLong interval and average precision of one row of buckets: the negatives' and
 * the positives' counts per bucket, lowest scores first, items in one bucket taken as tied. What
 * {@link ScoreCounts} derives for a row, and what a program that reads the bucket counters (for
 * example the increase of {@code model_score_buckets_total} between two scrapes) derives from them.
 */
public final class RankMetrics {

    private RankMetrics() {
    }

    /**
     * ROC AUC of per-bucket counts: the probability that a positive scores above a negative, a tie
     * (one bucket) counting one half.
     *
     * @param negatives each bucket's negatives, lowest scores first
     * @param positives each bucket's positives, as many buckets
     * @return NaN without a positive or without a negative
     */
    public static double rocAuc(long[] negatives, long[] positives) {
        return rocAuc(row(negatives, positives), 0, negatives.length, negatives.length);
    }

    /**
     * The 95% DeLong interval of {@link #rocAuc(long[], long[])}.
     *
     * @return {@link ConfidenceInterval#UNDEFINED} with fewer than two positives or two negatives
     */
    public static ConfidenceInterval rocAucInterval(long[] negatives, long[] positives) {
        return rocAucInterval(row(negatives, positives), 0, negatives.length, negatives.length);
    }

    /** Both rows in one array, negatives first. */
    private static long[] row(long[] negatives, long[] positives) {
        if (negatives.length != positives.length) {
            throw new IllegalArgumentException("as many buckets of negatives as of positives, got "
                    + negatives.length + " and " + positives.length);
        }
        long[] row = Arrays.copyOf(negatives, 2 * negatives.length);
        System.arraycopy(positives, 0, row, negatives.length, positives.length);
        return row;
    }

    static double rocAuc(long[] buckets, int negatives, int positives) {
        return rocAuc(buckets, negatives, positives, ScoreLayout.BUCKETS);
    }

    static ConfidenceInterval rocAucInterval(long[] buckets, int negatives, int positives) {
        return rocAucInterval(buckets, negatives, positives, ScoreLayout.BUCKETS);
    }

    /**
     * ROC AUC: the probability that a positive scores above a negative, a tie counting one half
     * (the Mann-Whitney statistic over the buckets).
     *
     * @return NaN without a positive or without a negative
     */
    private static double rocAuc(long[] buckets, int negatives, int positives, int length) {
        double p = 0;
        double n = 0;
        double pairs = 0;
        double below = 0;
        for (int b = 0; b < length; b++) {
            double neg = buckets[negatives + b];
            double pos = buckets[positives + b];
            pairs += pos * (below + neg / 2);
            below += neg;
            p += pos;
            n += neg;
        }
        return p == 0 || n == 0 ? Double.NaN : pairs / (p * n);
    }

    /**
     * The 95% interval of ROC AUC from DeLong's variance: S10 / P + S01 / N, where S10 is the
     * variance over positives of the share of negatives below each (ties one half) and S01 the
     * variance over negatives of the share of positives above each. Clipped to [0, 1].
     *
     * @return {@link ConfidenceInterval#UNDEFINED} with fewer than two positives or two negatives
     */
    private static ConfidenceInterval rocAucInterval(long[] buckets, int negatives, int positives, int length) {
        double p = 0;
        double n = 0;
        for (int b = 0; b < length; b++) {
            n += buckets[negatives + b];
            p += buckets[positives + b];
        }
        if (p < 2 || n < 2) {
            return ConfidenceInterval.UNDEFINED;
        }
        double auc = rocAuc(buckets, negatives, positives, length);
        double s10 = 0;
        double s01 = 0;
        double negativesBelow = 0;
        double positivesAbove = p;
        for (int b = 0; b < length; b++) {
            double neg = buckets[negatives + b];
            double pos = buckets[positives + b];
            positivesAbove -= pos;
            double v10 = (negativesBelow + neg / 2) / n - auc;
            double v01 = (positivesAbove + pos / 2) / p - auc;
            s10 += pos * v10 * v10;
            s01 += neg * v01 * v01;
            negativesBelow += neg;
        }
        double variance = s10 / (p - 1) / p + s01 / (n - 1) / n;
        double half = ConfidenceInterval.Z_95 * Math.sqrt(variance);
        return new ConfidenceInterval(Math.max(0, auc - half), Math.min(1, auc + half));
    }

    /**
     * Average precision, the area under the precision-recall curve: the buckets swept from the
     * highest scores down, precision averaged over each positive as it is added. Within a bucket
     * positives and negatives are taken as evenly interleaved: the k-th of a bucket's {@code b}
     * positives among its {@code d} items arrives when true positives are {@code a + k} among
     * {@code c + k d / b} selected (entering with {@code a} among {@code c}), and the mean of those
     * precisions over k is taken as the integral of {@code (a + b t) / (c + d t)} from
     * {@code t = 1/(2b)} to {@code 1 + 1/(2b)} (the midpoint rule), which is
     * {@code b/d + (a - b c / d) / d * ln((c + d t1) / (c + d t0))}. A bucket of one positive thus
     * scores scikit-learn's precision at its end, and a large one Davis and Goadrich's
     * interpolation; a step at each bucket's end instead would be off by half a bucket's change of
     * precision.
     *
     * @return NaN without a positive
     */
    static double averagePrecision(long[] buckets, int negatives, int positives) {
        double p = 0;
        for (int b = 0; b < ScoreLayout.BUCKETS; b++) {
            p += buckets[positives + b];
        }
        if (p == 0) {
            return Double.NaN;
        }
        double area = 0;
        double truePositives = 0;
        double selected = 0;
        for (int b = ScoreLayout.BUCKETS - 1; b >= 0; b--) {
            double pos = buckets[positives + b];
            double items = pos + buckets[negatives + b];
            if (pos > 0) {
                double from = selected + items / (2 * pos);
                double to = from + items;
                double precision = pos / items + (truePositives - pos * selected / items) / items * Math.log(to / from);
                area += pos / p * precision;
            }
            truePositives += pos;
            selected += items;
        }
        return area;
    }
}
