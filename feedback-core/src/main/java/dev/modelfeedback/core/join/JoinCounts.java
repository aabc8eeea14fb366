package dev.modelfeedback.core.join;

/**
 * A model's delayed-label joins at one moment.
 *
 * @param pending predictions waiting for their actual values
 * @param unknown actual values that found no stored prediction
 * @param expired predictions that outlived their time-to-live unjoined
 * @param evicted predictions pushed out of a full store unjoined
 * @param labelDelay how long the joined predictions waited for their actual values
 */
public record JoinCounts(long pending, long unknown, long expired, long evicted, LabelDelay labelDelay) {

    /**
     * @throws NullPointerException if the label delay is null
     */
    public JoinCounts {
        java.util.Objects.requireNonNull(labelDelay, "labelDelay");
    }

    /** Whether joins were ever used: something pending or unmatched. */
    public boolean inUse() {
        return pending + unknown + expired + evicted + labelDelay.count() > 0;
    }
}
