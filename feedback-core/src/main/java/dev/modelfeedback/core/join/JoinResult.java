package dev.modelfeedback.core.join;

/**
 * The outcome of one {@link JoinOperation}, with the complete feedback when it is to be counted.
 *
 * @param outcome what became of the operation
 * @param prediction the prediction counted, for {@link JoinOutcome#MATCHED}; else the stored one, or -1
 * @param actual the actual value counted, for {@link JoinOutcome#MATCHED}; else -1
 */
public record JoinResult(JoinOutcome outcome, int prediction, int actual) {

    /** A result that carries no values. */
    public static JoinResult of(JoinOutcome outcome) {
        return new JoinResult(outcome, -1, -1);
    }

    /** Complete feedback to count. */
    public static JoinResult matched(int prediction, int actual) {
        return new JoinResult(JoinOutcome.MATCHED, prediction, actual);
    }
}
