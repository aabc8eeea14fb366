package dev.modelfeedback.core;

/**
 * The cell of the confusion matrix that one piece of feedback falls into.
 *
 * <p>The positive class is {@code 1} (or {@code true}).
 */
public enum Outcome {
    /** Predicted 0, actually 0. */
    TRUE_NEGATIVE,
    /** Predicted 0, actually 1: a positive the model missed. */
    FALSE_NEGATIVE,
    /** Predicted 1, actually 0: a false alarm. */
    FALSE_POSITIVE,
    /** Predicted 1, actually 1. */
    TRUE_POSITIVE;

    private static final Outcome[] BY_INDEX = values();

    /**
     * Classifies one piece of feedback.
     *
     * @param prediction what the model predicted, 0 or 1
     * @param actual what turned out to be true, 0 or 1
     * @return the confusion-matrix cell
     * @throws IllegalArgumentException if either value is not 0 or 1
     */
    public static Outcome of(int prediction, int actual) {
        return BY_INDEX[index(prediction, actual)];
    }

    /**
     * Classifies one piece of feedback with {@code true} as the positive class.
     *
     * @param prediction what the model predicted
     * @param actual what turned out to be true
     * @return the confusion-matrix cell
     */
    public static Outcome of(boolean prediction, boolean actual) {
        return BY_INDEX[index(prediction, actual)];
    }

    /** Whether the prediction matched the truth. */
    public boolean correct() {
        return this == TRUE_POSITIVE || this == TRUE_NEGATIVE;
    }

    /**
     * The cell index {@code prediction * 2 + actual}, which is also this constant's ordinal.
     * Validates without allocating, so the record path can use it directly.
     */
    static int index(int prediction, int actual) {
        if (((prediction | actual) & ~1) != 0) {
            throw invalid(prediction, actual);
        }
        return (prediction << 1) | actual;
    }

    /** Kept out of {@link #index(int, int)} so that the hot path stays small enough to inline. */
    private static IllegalArgumentException invalid(int prediction, int actual) {
        return (prediction & ~1) != 0
                ? new IllegalArgumentException("prediction must be 0 or 1, got " + prediction)
                : new IllegalArgumentException("actual must be 0 or 1, got " + actual);
    }

    static int index(boolean prediction, boolean actual) {
        return (prediction ? 2 : 0) | (actual ? 1 : 0);
    }
}
