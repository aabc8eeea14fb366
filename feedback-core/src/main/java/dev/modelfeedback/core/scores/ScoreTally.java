package dev.modelfeedback.core.scores;

import java.util.Arrays;

/**
 * Scored feedback gathered without synchronization: a batch's, or one stripe of a
 * {@link ScoreCounter}. Binary models have one row of buckets (the score of class 1 by actual
 * class); models with declared classes one row per class (its probability, one-vs-rest: items of
 * that class and items of the others).
 *
 * <p>Not thread-safe.
 */
public final class ScoreTally {

    /** Log loss clips probabilities to [EPSILON, 1 - EPSILON]. */
    static final double EPSILON = 1e-15;

    /**
     * Longs of padding before and after the counts and the sums: the tallies of a
     * {@link ScoreCounter}'s stripes are written by different threads, and two small arrays
     * allocated one after the other would share a cache line (measured: two threads recording
     * into two stripes ran at a third of one thread's rate without it).
     */
    private static final int PAD = 16;
    private static final int BIN_ITEMS = PAD;
    private static final int BIN_POSITIVES = BIN_ITEMS + CalibrationBins.BINS;
    private static final int ITEMS = BIN_POSITIVES + CalibrationBins.BINS;
    /** Where the buckets start in {@link #counts}. */
    private static final int BUCKETS = ITEMS + 1;
    private static final int BIN_SCORES = PAD;
    private static final int LOG_LOSS = BIN_SCORES + CalibrationBins.BINS;
    private static final int BRIER = LOG_LOSS + 1;

    final boolean binary;
    final int rows;
    /**
     * Every count, one array: the calibration bins' items and positives, the scored items, then
     * the buckets, row r's negatives at {@code BUCKETS + 2r * ScoreLayout.BUCKETS + b} and its
     * positives one row of buckets further; padded at both ends.
     */
    private final long[] counts;
    /** Every sum: the calibration bins' scores, the log loss and the Brier score; padded at both ends. */
    private final double[] sums;

    private ScoreTally(boolean binary, int rows) {
        this.binary = binary;
        this.rows = rows;
        this.counts = new long[BUCKETS + rows * 2 * ScoreLayout.BUCKETS + PAD];
        this.sums = new double[BRIER + 1 + PAD];
    }

    /** An empty tally for a binary model. */
    public static ScoreTally ofBinary() {
        return new ScoreTally(true, 1);
    }

    /** An empty tally for a model of {@code classes} declared classes. */
    public static ScoreTally ofClasses(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a model declares at least 2 classes, got " + classes);
        }
        return new ScoreTally(false, classes);
    }

    /** An empty tally of the same kind. */
    public ScoreTally emptyCopy() {
        return new ScoreTally(binary, rows);
    }

    /**
     * Adds one scored item of a binary model (values not checked: the recorder has).
     *
     * @param actual 0 or 1
     * @param score the probability of class 1, 0 to 1
     */
    public void add(int actual, double score) {
        long[] counts = this.counts;
        double[] sums = this.sums;
        counts[BUCKETS + actual * ScoreLayout.BUCKETS + ScoreLayout.bucketOf(score)]++;
        int bin = CalibrationBins.binOf(score);
        counts[BIN_ITEMS + bin]++;
        counts[BIN_POSITIVES + bin] += actual;
        counts[ITEMS]++;
        sums[BIN_SCORES + bin] += score;
        double clipped = clip(score);
        sums[LOG_LOSS] -= Math.log(actual == 1 ? clipped : 1 - clipped);
        double error = score - actual;
        sums[BRIER] += error * error;
    }

    /**
     * Adds one scored item of a model with declared classes (values not checked: the recorder has).
     *
     * @param prediction the predicted class's index
     * @param actual the actual class's index
     * @param probabilities one per class, summing to 1
     */
    public void add(int prediction, int actual, double[] probabilities) {
        long[] counts = this.counts;
        double[] sums = this.sums;
        double squares = 0;
        for (int c = 0; c < rows; c++) {
            double p = probabilities[c];
            int positive = c == actual ? 1 : 0;
            counts[BUCKETS + (2 * c + positive) * ScoreLayout.BUCKETS + ScoreLayout.bucketOf(p)]++;
            double error = p - positive;
            squares += error * error;
        }
        double top = probabilities[prediction];
        int bin = CalibrationBins.binOf(top);
        counts[BIN_ITEMS + bin]++;
        counts[BIN_POSITIVES + bin] += prediction == actual ? 1 : 0;
        counts[ITEMS]++;
        sums[BIN_SCORES + bin] += top;
        sums[LOG_LOSS] -= Math.log(clip(probabilities[actual]));
        sums[BRIER] += squares;
    }

    /**
     * Adds one scored item of either kind.
     *
     * @param prediction the predicted class's index
     * @param actual the actual class's index
     * @param scores the item's scores, of this tally's kind
     * @throws IllegalArgumentException if the scores are of the other kind or size
     */
    public void add(int prediction, int actual, Scores scores) {
        requireFits(scores);
        if (binary) {
            add(actual, scores.get(0));
        } else {
            add(prediction, actual, scores.array());
        }
    }

    /** Checks that scores are of this tally's kind and size. */
    void requireFits(Scores scores) {
        if (scores.binary() != binary || (!binary && scores.size() != rows)) {
            throw new IllegalArgumentException(binary ? "a binary model takes one score, got " + scores
                    : "a model of " + rows + " classes takes " + rows + " probabilities, got " + scores);
        }
    }

    /** Adds another tally of the same kind. */
    public void addAll(ScoreTally other) {
        if (other.binary != binary || other.rows != rows) {
            throw new IllegalArgumentException("tallies of different models");
        }
        for (int i = PAD; i < counts.length - PAD; i++) {
            counts[i] += other.counts[i];
        }
        for (int i = PAD; i < sums.length - PAD; i++) {
            sums[i] += other.sums[i];
        }
    }

    /** The buckets, as {@link ScoreCounts} keeps them: row r's negatives at 2r * BUCKETS + b, its positives one row further. */
    long[] buckets() {
        return Arrays.copyOfRange(counts, BUCKETS, BUCKETS + rows * 2 * ScoreLayout.BUCKETS);
    }

    long[] binItems() {
        return Arrays.copyOfRange(counts, BIN_ITEMS, BIN_ITEMS + CalibrationBins.BINS);
    }

    long[] binPositives() {
        return Arrays.copyOfRange(counts, BIN_POSITIVES, BIN_POSITIVES + CalibrationBins.BINS);
    }

    double[] binScores() {
        return Arrays.copyOfRange(sums, BIN_SCORES, BIN_SCORES + CalibrationBins.BINS);
    }

    double logLoss() {
        return sums[LOG_LOSS];
    }

    double brier() {
        return sums[BRIER];
    }

    /** Whether this is a binary model's tally. */
    public boolean binary() {
        return binary;
    }

    /** How many rows of buckets: 1 for a binary model, else one per class. */
    public int rows() {
        return rows;
    }

    /** How many scored items this holds. */
    public long size() {
        return counts[ITEMS];
    }

    /** Whether it holds none. */
    public boolean isEmpty() {
        return counts[ITEMS] == 0;
    }

    /** An immutable copy, with every metric derived from it. */
    public ScoreCounts counts() {
        return new ScoreCounts(this);
    }

    static double clip(double p) {
        return Math.min(Math.max(p, EPSILON), 1 - EPSILON);
    }
}
