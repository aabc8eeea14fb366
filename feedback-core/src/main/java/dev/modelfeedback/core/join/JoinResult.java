package dev.modelfeedback.core.join;

/**
 * The outcome of one {@link JoinOperation}, with the complete feedback when it is to be counted.
 *
 * @param outcome what became of the operation
 * @param prediction the prediction counted, for {@link JoinOutcome#MATCHED}; else the stored one, or -1
 * @param actual the actual value counted, for {@link JoinOutcome#MATCHED}; else -1
 */
public record JoinResult(JoinOutcome outcome, int prediction, int actual) {

    private static final JoinOutcome[] OUTCOMES = JoinOutcome.values();
    private static final JoinResult[] WITHOUT_VALUES = new JoinResult[OUTCOMES.length];
    private static final JoinResult[] MATCHED = {
        new JoinResult(JoinOutcome.MATCHED, 0, 0), new JoinResult(JoinOutcome.MATCHED, 0, 1),
        new JoinResult(JoinOutcome.MATCHED, 1, 0), new JoinResult(JoinOutcome.MATCHED, 1, 1)};

    static {
        for (JoinOutcome outcome : OUTCOMES) {
            WITHOUT_VALUES[outcome.ordinal()] = new JoinResult(outcome, -1, -1);
        }
    }

    /** A result that carries no values. */
    public static JoinResult of(JoinOutcome outcome) {
        return WITHOUT_VALUES[outcome.ordinal()];
    }

    /** Complete feedback to count: {@code prediction} and {@code actual} are 0 or 1. */
    public static JoinResult matched(int prediction, int actual) {
        return (prediction | actual) >>> 1 == 0 ? MATCHED[2 * prediction + actual]
                : new JoinResult(JoinOutcome.MATCHED, prediction, actual);
    }
}
