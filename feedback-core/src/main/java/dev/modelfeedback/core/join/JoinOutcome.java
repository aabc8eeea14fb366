package dev.modelfeedback.core.join;

/** What became of one operation on a {@link PendingStore}. */
public enum JoinOutcome {
    /** A prediction was stored and waits for its actual value. */
    PENDING,
    /** The feedback is complete (an actual joined its prediction, or an inline item was new): count it. */
    MATCHED,
    /** The same values again, for an id already seen: acknowledged, not counted again. */
    DUPLICATE,
    /** A different value for an id already seen: refused, nothing changed. */
    CONFLICT,
    /** An actual value for an id with no stored prediction: not counted. */
    UNKNOWN,
    /** An actual value for a prediction that outlived its time-to-live: not counted. */
    EXPIRED;

    /** Whether the operation changed nothing because it was refused. */
    public boolean refused() {
        return this == CONFLICT;
    }
}
