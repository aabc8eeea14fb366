package dev.modelfeedback.core.join;

import dev.modelfeedback.core.scores.Scores;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link JoinOperation}, with the complete feedback when it is to be counted.
 *
 * @param outcome what became of the operation
 * @param prediction the prediction counted, for {@link JoinOutcome#MATCHED}; else the stored one, or -1
 * @param actual the actual value counted, for {@link JoinOutcome#MATCHED}; else -1
 * @param labelDelayMillis for {@link JoinOutcome#MATCHED} feedback that joined a stored prediction:
 *     how long that prediction waited for its actual value, in milliseconds (stores keep the
 *     arrival to the second, so a multiple of 1,000); -1 otherwise (inline feedback, or no match)
 * @param scores for {@link JoinOutcome#MATCHED}: the scores counted with the feedback (those stored
 *     with the prediction, or given inline), or null for none; else null
 */
public record JoinResult(JoinOutcome outcome, int prediction, int actual, long labelDelayMillis,
        @Nullable Scores scores) {

    private static final JoinOutcome[] OUTCOMES = JoinOutcome.values();
    private static final JoinResult[] WITHOUT_VALUES = new JoinResult[OUTCOMES.length];
    private static final JoinResult[] MATCHED = {
        new JoinResult(JoinOutcome.MATCHED, 0, 0, -1, null), new JoinResult(JoinOutcome.MATCHED, 0, 1, -1, null),
        new JoinResult(JoinOutcome.MATCHED, 1, 0, -1, null), new JoinResult(JoinOutcome.MATCHED, 1, 1, -1, null)};

    static {
        for (JoinOutcome outcome : OUTCOMES) {
            WITHOUT_VALUES[outcome.ordinal()] = new JoinResult(outcome, -1, -1, -1, null);
        }
    }

    /**
     * @throws IllegalArgumentException if a label delay is given for an outcome other than
     *     {@link JoinOutcome#MATCHED}, or is below -1, or scores for another outcome
     */
    public JoinResult {
        if (labelDelayMillis < -1 || (labelDelayMillis >= 0 && outcome != JoinOutcome.MATCHED)) {
            throw new IllegalArgumentException("a label delay belongs to matched feedback and is at least 0, got "
                    + labelDelayMillis + " for " + outcome);
        }
        if (scores != null && outcome != JoinOutcome.MATCHED) {
            throw new IllegalArgumentException("scores belong to matched feedback, not to " + outcome);
        }
    }

    /** A result without scores. */
    public JoinResult(JoinOutcome outcome, int prediction, int actual, long labelDelayMillis) {
        this(outcome, prediction, actual, labelDelayMillis, null);
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

    /** Complete feedback with scores (or null) to count that joined no stored prediction. */
    public static JoinResult matched(int prediction, int actual, @Nullable Scores scores) {
        return scores == null ? matched(prediction, actual) : new JoinResult(JoinOutcome.MATCHED, prediction, actual, -1, scores);
    }

    /**
     * Complete feedback to count, made of a stored prediction (with its scores, or null) and its actual value.
     *
     * @param prediction the stored prediction
     * @param actual the actual value
     * @param labelDelayMillis how long the prediction waited, at least 0
     * @param scores the scores stored with the prediction, or null
     * @return the result
     */
    public static JoinResult joined(int prediction, int actual, long labelDelayMillis, @Nullable Scores scores) {
        return new JoinResult(JoinOutcome.MATCHED, prediction, actual, Math.max(0, labelDelayMillis), scores);
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
