package dev.modelfeedback.core.scores;

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

    final boolean binary;
    final int rows;
    /** Row r's negatives at (2r) * BUCKETS + b, its positives at (2r + 1) * BUCKETS + b. */
    final long[] buckets;
    final long[] binItems = new long[CalibrationBins.BINS];
    final long[] binPositives = new long[CalibrationBins.BINS];
    final double[] binScores = new double[CalibrationBins.BINS];
    long n;
    double logLoss;
    double brier;

    private ScoreTally(boolean binary, int rows) {
        this.binary = binary;
        this.rows = rows;
        this.buckets = new long[rows * 2 * ScoreLayout.BUCKETS];
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
        buckets[actual * ScoreLayout.BUCKETS + ScoreLayout.bucketOf(score)]++;
        int bin = CalibrationBins.binOf(score);
        binItems[bin]++;
        binPositives[bin] += actual;
        binScores[bin] += score;
        double clipped = clip(score);
        logLoss -= Math.log(actual == 1 ? clipped : 1 - clipped);
        double error = score - actual;
        brier += error * error;
        n++;
    }

    /**
     * Adds one scored item of a model with declared classes (values not checked: the recorder has).
     *
     * @param prediction the predicted class's index
     * @param actual the actual class's index
     * @param probabilities one per class, summing to 1
     */
    public void add(int prediction, int actual, double[] probabilities) {
        double squares = 0;
        for (int c = 0; c < rows; c++) {
            double p = probabilities[c];
            int positive = c == actual ? 1 : 0;
            buckets[(2 * c + positive) * ScoreLayout.BUCKETS + ScoreLayout.bucketOf(p)]++;
            double error = p - positive;
            squares += error * error;
        }
        double top = probabilities[prediction];
        int bin = CalibrationBins.binOf(top);
        binItems[bin]++;
        binPositives[bin] += prediction == actual ? 1 : 0;
        binScores[bin] += top;
        logLoss -= Math.log(clip(probabilities[actual]));
        brier += squares;
        n++;
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
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] += other.buckets[i];
        }
        for (int b = 0; b < CalibrationBins.BINS; b++) {
            binItems[b] += other.binItems[b];
            binPositives[b] += other.binPositives[b];
            binScores[b] += other.binScores[b];
        }
        n += other.n;
        logLoss += other.logLoss;
        brier += other.brier;
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
        return n;
    }

    /** Whether it holds none. */
    public boolean isEmpty() {
        return n == 0;
    }

    /** An immutable copy, with every metric derived from it. */
    public ScoreCounts counts() {
        return new ScoreCounts(this);
    }

    static double clip(double p) {
        return Math.min(Math.max(p, EPSILON), 1 - EPSILON);
    }
}
