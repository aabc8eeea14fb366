package dev.modelfeedback.core;

/**
 * A model's delayed-label joins at one moment.
 *
 * @param pending predictions waiting for their actual values
 * @param unknown actual values that found no stored prediction
 * @param expired predictions that outlived their time-to-live unjoined
 * @param evicted predictions pushed out of a full store unjoined
 */
public record JoinCounts(long pending, long unknown, long expired, long evicted) {

    /** Whether joins were ever used: something pending or unmatched. */
    public boolean inUse() {
        return pending + unknown + expired + evicted > 0;
    }
}
