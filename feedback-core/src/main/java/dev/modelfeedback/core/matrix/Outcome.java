package dev.modelfeedback.core.matrix;

/**
 * The cell of the confusion matrix that one piece of feedback falls into.
 *
 * <p>The positive class is {@code 1} (or {@code true}). The constants are declared in the order
 * used everywhere in model-feedback (snapshots, JSON, metric tables): true positives, true
 * negatives, false positives, false negatives.
 */
public enum Outcome {
    /** Predicted 1, actually 1. */
    TRUE_POSITIVE,
    /** Predicted 0, actually 0. */
    TRUE_NEGATIVE,
    /** Predicted 1, actually 0: a false alarm. */
    FALSE_POSITIVE,
    /** Predicted 0, actually 1: a positive the model missed. */
    FALSE_NEGATIVE;

    /** Indexed by {@link #cell()}: {@code actual * 2 + prediction}. */
    private static final Outcome[] BY_CELL = {TRUE_NEGATIVE, FALSE_POSITIVE, FALSE_NEGATIVE, TRUE_POSITIVE};

    /**
     * Classifies one piece of feedback. Allocates nothing, so the record path can use it directly.
     *
     * @param prediction what the model predicted, 0 or 1
     * @param actual what turned out to be true, 0 or 1
     * @return the confusion-matrix cell
     * @throws IllegalArgumentException if either value is not 0 or 1
     */
    public static Outcome of(int prediction, int actual) {
        if (((prediction | actual) & ~1) != 0) {
            throw invalid(prediction, actual);
        }
        return BY_CELL[(actual << 1) | prediction];
    }

    /**
     * Classifies one piece of feedback with {@code true} as the positive class.
     *
     * @param prediction what the model predicted
     * @param actual what turned out to be true
     * @return the confusion-matrix cell
     */
    public static Outcome of(boolean prediction, boolean actual) {
        return BY_CELL[(actual ? 2 : 0) | (prediction ? 1 : 0)];
    }

    /**
     * The outcome of a cell of the binary matrix.
     *
     * @param cell {@code actual * 2 + prediction}, 0 to 3
     * @return the outcome
     * @throws ArrayIndexOutOfBoundsException if {@code cell} is not 0 to 3
     */
    public static Outcome ofCell(int cell) {
        return BY_CELL[cell];
    }

    /**
     * This outcome's place in the binary {@link ConfusionMatrix} (classes {@code 0}, {@code 1}):
     * {@code actual * 2 + prediction}, row-major with rows = actual, as every matrix of model-feedback.
     */
    public int cell() {
        return actual() * 2 + prediction();
    }

    /** Whether the prediction matched the truth. */
    public boolean correct() {
        return this == TRUE_POSITIVE || this == TRUE_NEGATIVE;
    }

    /** The model's prediction that falls into this cell, 0 or 1. */
    public int prediction() {
        return this == TRUE_POSITIVE || this == FALSE_POSITIVE ? 1 : 0;
    }

    /** The actual value that falls into this cell, 0 or 1. */
    public int actual() {
        return this == TRUE_POSITIVE || this == FALSE_NEGATIVE ? 1 : 0;
    }

    /** Kept out of {@link #of(int, int)} so that the hot path stays small enough to inline. */
    private static IllegalArgumentException invalid(int prediction, int actual) {
        return (prediction & ~1) != 0
                ? new IllegalArgumentException("prediction must be 0 or 1, got " + prediction)
                : new IllegalArgumentException("actual must be 0 or 1, got " + actual);
    }
}
