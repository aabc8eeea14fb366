package dev.modelfeedback.core.scores;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * The fixed score buckets of every scored model: {@value #BUCKETS} buckets, equally spaced in
 * log-odds. Bucket {@code i} holds the scores {@code s} with {@code upper(i - 1) < s <= upper(i)};
 * the upper bounds are the logistic function at {@code (i - 119) / 10} for {@code i} from 0 to 238,
 * rounded to four significant digits of the nearer of {@code s} and {@code 1 - s} (so that the
 * layout is symmetric about 0.5 and its labels read well: {@code 0.00000679}, ..., {@code 0.475},
 * {@code 0.5}, {@code 0.525}, ..., {@code 0.99999321}), and 1 for the last bucket
 * ({@code le="+Inf"} in Prometheus).
 *
 * <p>Why log-odds: a calibrated model's scores are the logistic function of a log-likelihood
 * ratio, so equal steps of 1/10 in log-odds resolve a model equally well whatever its prevalence
 * (0.5, 0.1 or 0.001) and keep resolving the tails where over-confident models put most of their
 * scores, down to 6.8e-6 and up to 1 - 6.8e-6. ROC AUC from the buckets counts pairs in one bucket as
 * ties, so its error is at most half the share of positive-negative pairs that share a bucket; on
 * the streams in the README it is below 1e-3 (measured).
 */
public final class ScoreLayout {

    /** How many buckets: 239 finite upper bounds and the last one, up to 1. */
    public static final int BUCKETS = 240;

    /** The steps of log-odds per unit: bucket bounds are 1/10 apart. */
    private static final int STEPS_PER_UNIT = 10;
    private static final int CENTER = 119;

    private static final double[] UPPER = new double[BUCKETS];
    private static final List<String> LABELS;

    /** Scores below this (or above 1 minus this) are in the first (or last) bucket: below every other bound. */
    private static final double TAIL = 0x1p-20;
    private static final int EXPONENT_OFFSET = 20;
    private static final int CELLS_PER_OCTAVE = 16;
    /** For t = min(s, 1 - s) at least {@link #TAIL}, by its exponent and top four mantissa bits: a bucket of the lower half at most one bound away. */
    private static final int[] CANDIDATE = new int[EXPONENT_OFFSET * CELLS_PER_OCTAVE + 1];

    static {
        String[] labels = new String[BUCKETS];
        for (int i = 0; i < BUCKETS - 1; i++) {
            BigDecimal bound = bound(i - CENTER);
            UPPER[i] = bound.doubleValue();
            labels[i] = bound.toPlainString();
        }
        UPPER[BUCKETS - 1] = 1.0;
        labels[BUCKETS - 1] = "+Inf";
        LABELS = List.of(labels);
        for (int key = 0; key < CANDIDATE.length; key++) {
            int exponent = key / CELLS_PER_OCTAVE - EXPONENT_OFFSET;
            double low = Math.scalb(1 + (key % CELLS_PER_OCTAVE) / (double) CELLS_PER_OCTAVE, exponent);
            CANDIDATE[key] = scan(low);
        }
    }

    private ScoreLayout() {
    }

    /** The bound at {@code steps} tenths of log-odds, as a decimal of four significant digits of its tail. */
    private static BigDecimal bound(int steps) {
        if (steps == 0) {
            return new BigDecimal("0.5");
        }
        double tail = 1 / (1 + Math.exp(Math.abs(steps) / (double) STEPS_PER_UNIT));
        BigDecimal rounded = new BigDecimal(tail).round(new MathContext(4)).stripTrailingZeros();
        return steps < 0 ? rounded : BigDecimal.ONE.subtract(rounded);
    }

    /**
     * The bucket of a score.
     *
     * @param score a probability, 0 to 1 (not checked: the caller has)
     * @return 0 to {@value #BUCKETS} - 1
     */
    public static int bucketOf(double score) {
        boolean lower = score <= 0.5;
        double tail = lower ? score : 1 - score; // exact for score >= 0.5
        int candidate;
        if (tail < TAIL) {
            candidate = 0;
        } else {
            long bits = Double.doubleToRawLongBits(tail);
            int exponent = (int) ((bits >>> 52) & 0x7ff) - 1023;
            int key = (exponent + EXPONENT_OFFSET) * CELLS_PER_OCTAVE + (int) ((bits >>> 48) & 0xf);
            candidate = CANDIDATE[Math.min(key, CANDIDATE.length - 1)];
        }
        int bucket = lower ? candidate : BUCKETS - 1 - candidate;
        // The candidate is at most a bound or two away; the exact bounds decide.
        while (bucket > 0 && score <= UPPER[bucket - 1]) {
            bucket--;
        }
        while (score > UPPER[bucket]) {
            bucket++;
        }
        return bucket;
    }

    /** The bucket of a score by a scan of the bounds: the definition {@link #bucketOf} is tested against. */
    static int scan(double score) {
        int bucket = 0;
        while (bucket < BUCKETS - 1 && score > UPPER[bucket]) {
            bucket++;
        }
        return bucket;
    }

    /** The upper bound of a bucket: 1 for the last. */
    public static double upper(int bucket) {
        return UPPER[bucket];
    }

    /** The lower bound of a bucket (exclusive; 0, inclusive, for the first). */
    public static double lower(int bucket) {
        return bucket == 0 ? 0 : UPPER[bucket - 1];
    }

    /** Each bucket's upper bound as the {@code le} label of Prometheus: the decimal, {@code +Inf} for the last. */
    public static List<String> labels() {
        return LABELS;
    }
}
