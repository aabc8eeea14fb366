package dev.modelfeedback.core.scores;

import java.util.Arrays;

/**
 * Straightforward computations over the items themselves, as scikit-learn defines the metrics:
 * what the bucketed counts are checked against. Binary: {@code actual[i]} 0 or 1 and
 * {@code score[i]} the probability of 1.
 */
final class ScoreReference {

    private ScoreReference() {
    }

    /** ROC AUC by ranks, ties one half: scikit-learn's {@code roc_auc_score}. */
    static double rocAuc(int[] actual, double[] score) {
        double[] negatives = scoresOf(actual, score, 0);
        int p = actual.length - negatives.length;
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] == 1) {
                sum += below(negatives, score[i]);
            }
        }
        return sum / ((double) p * negatives.length);
    }

    /** DeLong's 95% interval of ROC AUC from the items' structural components. */
    static double[] delong(int[] actual, double[] score) {
        double[] negatives = scoresOf(actual, score, 0);
        double[] positives = scoresOf(actual, score, 1);
        int p = positives.length;
        int n = negatives.length;
        double auc = rocAuc(actual, score);
        double s10 = 0;
        for (double x : positives) {
            double v = below(negatives, x) / n - auc;
            s10 += v * v;
        }
        double s01 = 0;
        for (double y : negatives) {
            double v = above(positives, y) / p - auc;
            s01 += v * v;
        }
        double variance = s10 / (p - 1) / p + s01 / (n - 1) / n;
        double half = 1.96 * Math.sqrt(variance);
        return new double[] {Math.max(0, auc - half), Math.min(1, auc + half)};
    }

    /**
     * scikit-learn's {@code average_precision_score}: &Sigma;<sub>n</sub> (R<sub>n</sub> -
     * R<sub>n-1</sub>) P<sub>n</sub> over the distinct scores as thresholds, highest first.
     */
    static double averagePrecision(int[] actual, double[] score) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        long positives = Arrays.stream(actual).filter(a -> a == 1).count();
        double ap = 0;
        double previousRecall = 0;
        long tp = 0;
        long selected = 0;
        for (int i = 0; i < order.length; ) {
            double threshold = score[order[i]];
            while (i < order.length && score[order[i]] == threshold) {
                tp += actual[order[i]];
                selected++;
                i++;
            }
            double recall = tp / (double) positives;
            ap += (recall - previousRecall) * (tp / (double) selected);
            previousRecall = recall;
        }
        return ap;
    }

    /** Mean log loss, natural log, probabilities clipped to [1e-15, 1 - 1e-15]. */
    static double logLoss(int[] actual, double[] score) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double p = Math.min(Math.max(score[i], 1e-15), 1 - 1e-15);
            sum += actual[i] == 1 ? -Math.log(p) : -Math.log(1 - p);
        }
        return sum / actual.length;
    }

    /** Mean of (score - actual)&sup2;. */
    static double brier(int[] actual, double[] score) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += (score[i] - actual[i]) * (score[i] - actual[i]);
        }
        return sum / actual.length;
    }

    /** Expected calibration error over ten equal-width bins, bin = min(floor(10 s), 9). */
    static double calibrationError(boolean[] positive, double[] score) {
        long[] n = new long[10];
        double[] positives = new double[10];
        double[] scores = new double[10];
        for (int i = 0; i < score.length; i++) {
            int bin = Math.min((int) Math.floor(10 * score[i]), 9);
            n[bin]++;
            positives[bin] += positive[i] ? 1 : 0;
            scores[bin] += score[i];
        }
        double ece = 0;
        for (int b = 0; b < 10; b++) {
            if (n[b] > 0) {
                ece += (double) n[b] / score.length * Math.abs(positives[b] / n[b] - scores[b] / n[b]);
            }
        }
        return ece;
    }

    /** Whether each item is positive: actual 1. */
    static boolean[] positives(int[] actual) {
        boolean[] positive = new boolean[actual.length];
        for (int i = 0; i < actual.length; i++) {
            positive[i] = actual[i] == 1;
        }
        return positive;
    }

    /** The items' scores replaced by their buckets' indices: ties exactly where the buckets tie them. */
    static double[] bucketed(double[] score) {
        double[] indices = new double[score.length];
        for (int i = 0; i < score.length; i++) {
            indices[i] = ScoreLayout.scan(score[i]);
        }
        return indices;
    }

    private static double[] scoresOf(int[] actual, double[] score, int value) {
        double[] of = new double[(int) Arrays.stream(actual).filter(a -> a == value).count()];
        int j = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] == value) {
                of[j++] = score[i];
            }
        }
        Arrays.sort(of);
        return of;
    }

    /** How many of sorted {@code values} are below {@code x}, ties one half. */
    private static double below(double[] values, double x) {
        int lower = lowerBound(values, x);
        int upper = upperBound(values, x);
        return lower + (upper - lower) / 2.0;
    }

    /** How many of sorted {@code values} are above {@code x}, ties one half. */
    private static double above(double[] values, double x) {
        int lower = lowerBound(values, x);
        int upper = upperBound(values, x);
        return values.length - upper + (upper - lower) / 2.0;
    }

    private static int lowerBound(double[] values, double x) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] values, double x) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
