package dev.modelfeedback.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * The live confusion matrix: one {@link LongAdder} per cell, so recording takes no lock and
 * allocates nothing, and concurrent recorders rarely contend on the same memory.
 *
 * <p>Thread-safe. A {@link #snapshot()} reads each cell once; derived values are then computed
 * from that one read.
 */
final class ConfusionCounter {

    /** Indexed by {@link Outcome#index(int, int)}, which equals {@link Outcome#ordinal()}. */
    private final LongAdder[] cells = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};

    void increment(int cellIndex) {
        cells[cellIndex].increment();
    }

    void add(Outcome outcome, long count) {
        if (count != 0) {
            cells[outcome.ordinal()].add(count);
        }
    }

    long count(Outcome outcome) {
        return cells[outcome.ordinal()].sum();
    }

    ClassificationSnapshot snapshot() {
        return new ClassificationSnapshot(
                count(Outcome.TRUE_POSITIVE),
                count(Outcome.TRUE_NEGATIVE),
                count(Outcome.FALSE_POSITIVE),
                count(Outcome.FALSE_NEGATIVE));
    }
}
