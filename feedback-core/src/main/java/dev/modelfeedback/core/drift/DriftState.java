package dev.modelfeedback.core.drift;

/**
 * What a drift detector concluded from the samples so far, as of its last update. Published as
 * {@code model_drift_state} with the {@linkplain #level() level} 0, 1 or 2.
 */
public enum DriftState {
    /** No significant rise in the error rate. */
    STABLE(0),
    /** The error rate may be rising: a detector's warning zone, short of a drift. */
    WARNING(1),
    /** The error rate rose significantly. The detector starts afresh with its next sample. */
    DRIFT(2);

    private final int level;

    DriftState(int level) {
        this.level = level;
    }

    /** 0 for stable, 1 for warning, 2 for drift: the value of {@code model_drift_state}. */
    public int level() {
        return level;
    }
}
