package dev.modelfeedback.core.join;

/** Why feedback went uncounted: the {@code reason} tag of {@code feedback_unmatched_total}. */
public enum UnmatchedReason {
    /** An actual value arrived for an id with no stored prediction. */
    UNKNOWN("unknown"),
    /** A prediction outlived its time-to-live before its actual value arrived. */
    EXPIRED("expired"),
    /** A prediction was pushed out by newer ones when the store was full. */
    EVICTED("evicted");

    private final String tag;

    UnmatchedReason(String tag) {
        this.tag = tag;
    }

    /** The value of the {@code reason} tag. */
    public String tag() {
        return tag;
    }
}
