package dev.modelfeedback.core.matrix;

/**
 * The live confusion matrix of one model, cell by cell: cell (actual a, predicted p) at
 * {@code a * K + p}, as in {@link ConfusionMatrix}. Recording takes no lock and allocates nothing.
 *
 * <p>Two implementations, one contract: {@link BinaryConfusionCounter} (four adders in fields, which
 * JMH favoured for K = 2) and {@link ArrayConfusionCounter} (K&sup2; adders). Thread-safe. A
 * {@link #snapshot()} reads each cell once; derived values are then computed from that one read.
 */
public sealed interface ConfusionCounter permits BinaryConfusionCounter, ArrayConfusionCounter {

    /** A counter for a matrix of these classes. */
    public static ConfusionCounter of(ClassLabels classes) {
        return classes.size() == 2 ? new BinaryConfusionCounter(classes) : new ArrayConfusionCounter(classes);
    }

    /** Counts one item into a cell, 0 to K&sup2; - 1 (not checked: the recorder has). */
    public void increment(int cell);

    /** Adds a whole tally of the same classes, one {@code LongAdder.add} per non-empty cell. */
    public void add(ConfusionTally tally);

    /** The count of one cell now. */
    public long count(int cell);

    /** Every cell, each read once. */
    public ConfusionMatrix snapshot();

    /**
     * A two-class matrix's cells as a binary model's counts, each read once.
     *
     * @throws IllegalStateException if the matrix has more than two classes
     */
    default ClassificationSnapshot binarySnapshot() {
        return snapshot().binary();
    }
}
