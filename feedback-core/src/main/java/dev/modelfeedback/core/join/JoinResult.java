package dev.modelfeedback.core.join;

/**
 * The outcome of one {@link JoinOperation}, with the complete feedback when it is to be counted.
 *
 * @param outcome what became of the operation
 * @param prediction the prediction counted, for {@link JoinOutcome#MATCHED}; else the stored one, or -1
 * @param actual the actual value counted, for {@link JoinOutcome#MATCHED}; else -1
 * @param labelDelayMillis for {@link JoinOutcome#MATCHED} feedback that joined a stored prediction:
 *     how long that prediction waited for its actual value, in milliseconds (stores keep the
 *     arrival to the second, so a multiple of 1,000); -1 otherwise (inline feedback, or no match)
 */
public record JoinResult(JoinOutcome outcome, int prediction, int actual, long labelDelayMillis) {

    private static final JoinOutcome[] OUTCOMES = JoinOutcome.values();
    private static final JoinResult[] WITHOUT_VALUES = new JoinResult[OUTCOMES.length];
    private static final JoinResult[] MATCHED = {
        new JoinResult(JoinOutcome.MATCHED, 0, 0, -1), new JoinResult(JoinOutcome.MATCHED, 0, 1, -1),
        new JoinResult(JoinOutcome.MATCHED, 1, 0, -1), new JoinResult(JoinOutcome.MATCHED, 1, 1, -1)};

    static {
        for (JoinOutcome outcome : OUTCOMES) {
            WITHOUT_VALUES[outcome.ordinal()] = new JoinResult(outcome, -1, -1, -1);
        }
    }

    /**
     * @throws IllegalArgumentException if a label delay is given for an outcome other than
     *     {@link JoinOutcome#MATCHED}, or is below -1
     */
    public JoinResult {
        if (labelDelayMillis < -1 || (labelDelayMillis >= 0 && outcome != JoinOutcome.MATCHED)) {
            throw new IllegalArgumentException("a label delay belongs to matched feedback and is at least 0, got "
                    + labelDelayMillis + " for " + outcome);
        }
    }

    /** A result that carries no values. */
    public static JoinResult of(JoinOutcome outcome) {
        return WITHOUT_VALUES[outcome.ordinal()];
    }

    /** Complete feedback to count that joined no stored prediction: {@code prediction} and {@code actual} are class indices. */
    public static JoinResult matched(int prediction, int actual) {
        return (prediction | actual) >>> 1 == 0 ? MATCHED[2 * prediction + actual]
                : new JoinResult(JoinOutcome.MATCHED, prediction, actual, -1);
    }

    /**
     * Complete feedback to count, made of a stored prediction and its actual value.
     *
     * @param prediction the stored prediction
     * @param actual the actual value
     * @param labelDelayMillis how long the prediction waited, at least 0
     * @return the result
     */
    public static JoinResult joined(int prediction, int actual, long labelDelayMillis) {
        return new JoinResult(JoinOutcome.MATCHED, prediction, actual, Math.max(0, labelDelayMillis));
    }

    /** Whether this is feedback that joined a stored prediction, and so has a label delay. */
    public boolean hasLabelDelay() {
        return labelDelayMillis >= 0;
    }
}
