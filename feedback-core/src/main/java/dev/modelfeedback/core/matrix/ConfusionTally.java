package dev.modelfeedback.core.matrix;

import java.util.Arrays;
import java.util.Objects;

/**
 * A mutable confusion matrix for gathering feedback before it is counted, for example while a
 * request body is read, that also remembers the order of the items: whether each was an error, as
 * the drift detectors must see them. {@link #matrix()} turns the counts into the immutable value.
 *
 * <pre>{@code
 * ConfusionTally binary = new ConfusionTally().add(Outcome.TRUE_POSITIVE);
 * ConfusionTally intents = new ConfusionTally(ClassLabels.of("billing", "tech", "sales"))
 *         .add(1, 0);   // predicted tech, actually billing
 * }</pre>
 *
 * <p>Not thread-safe: a tally belongs to one thread, typically one request. The live, concurrent
 * matrix is a recorder's.
 */
public final class ConfusionTally {

    private static final long MAX_ITEMS = (long) Integer.MAX_VALUE * Long.SIZE;

    private final ClassLabels classes;
    /** Cell (actual a, predicted p) at {@code a * K + p}. */
    private final long[] cells;
    private long total;
    /** Bit i is set when item i was an error (its prediction differed from the truth). */
    private long[] errors = new long[1];

    /** An empty tally of a binary model, classes {@code 0} and {@code 1}. */
    public ConfusionTally() {
        this(ClassLabels.BINARY);
    }

    /**
     * An empty tally of a model with these classes.
     *
     * @param classes the model's classes
     */
    public ConfusionTally(ClassLabels classes) {
        this.classes = Objects.requireNonNull(classes, "classes");
        this.cells = new long[classes.size() * classes.size()];
    }

    /** The classes counted. */
    public ClassLabels classes() {
        return classes;
    }

    /**
     * Counts one piece of feedback of a two-class model, after those already tallied.
     *
     * @param outcome its cell
     * @return this tally
     * @throws IllegalStateException if the tally has more than two classes
     */
    public ConfusionTally add(Outcome outcome) {
        return add(outcome, 1);
    }

    /**
     * Counts {@code count} pieces of feedback of one cell of a two-class model, after those
     * already tallied.
     *
     * @param outcome the cell
     * @param count how many, at least 0
     * @return this tally
     * @throws IllegalArgumentException if {@code count} is negative
     * @throws IllegalStateException if the tally has more than two classes
     */
    public ConfusionTally add(Outcome outcome, long count) {
        Objects.requireNonNull(outcome, "outcome");
        requireBinary();
        return addCell(outcome.cell(), outcome.correct(), count);
    }

    /**
     * Counts one piece of feedback by class index, after those already tallied.
     *
     * @param prediction the predicted class's index in {@link #classes()}
     * @param actual the actual class's index
     * @return this tally
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public ConfusionTally add(int prediction, int actual) {
        int k = classes.size();
        Objects.checkIndex(prediction, k);
        Objects.checkIndex(actual, k);
        return addCell(actual * k + prediction, prediction == actual, 1);
    }

    /**
     * Adds every cell of another matrix of the same classes, cell by cell in row-major order (its
     * items' own order is not known).
     *
     * @param counts the counts to add
     * @return this tally
     * @throws IllegalArgumentException if the classes differ
     */
    public ConfusionTally add(ConfusionMatrix counts) {
        requireSameClasses(counts.classes());
        int k = classes.size();
        for (int cell = 0; cell < cells.length; cell++) {
            addCell(cell, cell / k == cell % k, counts.count(cell));
        }
        return this;
    }

    /**
     * Adds every cell of a binary model's counts, in {@link Outcome} order.
     *
     * @param counts the counts to add
     * @return this tally
     * @throws IllegalStateException if the tally has more than two classes
     */
    public ConfusionTally add(ClassificationSnapshot counts) {
        for (Outcome outcome : Outcome.values()) {
            add(outcome, counts.count(outcome));
        }
        return this;
    }

    /**
     * Appends another tally's items, in their order, after those already tallied.
     *
     * @param other the tally to append, of the same classes; unchanged
     * @return this tally
     * @throws IllegalArgumentException if the classes differ
     */
    public ConfusionTally add(ConfusionTally other) {
        requireSameClasses(other.classes);
        long first = total;
        long items = other.total;
        requireRoom(items);
        for (long item = 0; item < items; item++) {
            if (other.isError(item)) {
                markErrors(first + item, first + item + 1);
            }
        }
        for (int cell = 0; cell < cells.length; cell++) {
            cells[cell] += other.cells[cell];
        }
        total += items;
        return this;
    }

    /** The count of one cell of a two-class tally. */
    public long count(Outcome outcome) {
        requireBinary();
        return cells[outcome.cell()];
    }

    /** The count of one cell by its index, {@code actual * K + prediction}. */
    public long count(int cell) {
        return cells[Objects.checkIndex(cell, cells.length)];
    }

    /** The number of feedback items tallied. */
    public long total() {
        return total;
    }

    /**
     * Whether an item was an error.
     *
     * @param item its index in the order tallied, 0 to {@link #total()} - 1
     * @return whether its prediction differed from the truth
     * @throws IndexOutOfBoundsException if there is no such item
     */
    public boolean isError(long item) {
        Objects.checkIndex(item, total);
        int word = (int) (item >>> 6);
        // Words past the array were never needed: no error was marked that far.
        return word < errors.length && (errors[word] & (1L << item)) != 0;
    }

    /** The tally so far, as an immutable matrix. */
    public ConfusionMatrix matrix() {
        return ConfusionMatrix.ofCells(classes, cells.clone());
    }

    /**
     * The tally so far, as a binary model's counts.
     *
     * @throws IllegalStateException if the tally has more than two classes
     */
    public ClassificationSnapshot snapshot() {
        return matrix().binary();
    }

    private ConfusionTally addCell(int cell, boolean correct, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        requireRoom(count);
        if (!correct && count > 0) {
            markErrors(total, total + count);
        }
        cells[cell] += count;
        total += count;
        return this;
    }

    private void requireRoom(long count) {
        if (total + count > MAX_ITEMS) {
            throw new IllegalArgumentException("a tally holds at most " + MAX_ITEMS + " items");
        }
    }

    private void requireBinary() {
        if (classes.size() != 2) {
            throw new IllegalStateException("a tally of " + classes.size() + " classes counts by class, not by outcome");
        }
    }

    private void requireSameClasses(ClassLabels other) {
        if (!classes.equals(other)) {
            throw new IllegalArgumentException("cannot add counts of " + other.labels() + " to a tally of "
                    + classes.labels());
        }
    }

    private void markErrors(long from, long to) {
        int lastWord = (int) ((to - 1) >>> 6);
        if (lastWord >= errors.length) {
            errors = Arrays.copyOf(errors, Math.max(lastWord + 1, errors.length * 2));
        }
        for (long item = from; item < to; item++) {
            errors[(int) (item >>> 6)] |= 1L << item;
        }
    }

    @Override
    public String toString() {
        return "ConfusionTally" + classes.labels() + Arrays.toString(cells);
    }
}
