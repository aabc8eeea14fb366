package dev.modelfeedback.core.join;

/** Told of predictions that leave a {@link PendingStore} without their actual values. */
@FunctionalInterface
public interface UnmatchedListener {

    /**
     * @param reason why: {@link UnmatchedReason#EXPIRED} or {@link UnmatchedReason#EVICTED}
     * @param count how many predictions
     */
    void unmatched(UnmatchedReason reason, long count);
}
