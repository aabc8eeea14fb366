package dev.modelfeedback.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A mutable confusion matrix for gathering feedback before it is counted, for example while a
 * request body is read, that also remembers the order of the items: whether each was an error, as
 * the drift detectors must see them. {@link #snapshot()} turns the counts into the immutable value.
 *
 * <p>Not thread-safe: a tally belongs to one thread, typically one request. The live, concurrent
 * matrix is a recorder's.
 */
public final class ConfusionTally {

    private long truePositives;
    private long trueNegatives;
    private long falsePositives;
    private long falseNegatives;
    /** Bit i is set when item i was an error (its prediction differed from the truth). */
    private long[] errors = new long[1];

    /**
     * Counts one piece of feedback, after those already tallied.
     *
     * @param outcome its cell
     * @return this tally
     */
    public ConfusionTally add(Outcome outcome) {
        return add(outcome, 1);
    }

    /**
     * Counts {@code count} pieces of feedback of one cell, after those already tallied.
     *
     * @param outcome the cell
     * @param count how many, at least 0
     * @return this tally
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public ConfusionTally add(Outcome outcome, long count) {
        Objects.requireNonNull(outcome, "outcome");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        long first = total();
        if (first + count > (long) Integer.MAX_VALUE * Long.SIZE) {
            throw new IllegalArgumentException("a tally holds at most " + (long) Integer.MAX_VALUE * Long.SIZE + " items");
        }
        if (!outcome.correct() && count > 0) {
            markErrors(first, first + count);
        }
        switch (outcome) {
            case TRUE_POSITIVE -> truePositives += count;
            case TRUE_NEGATIVE -> trueNegatives += count;
            case FALSE_POSITIVE -> falsePositives += count;
            case FALSE_NEGATIVE -> falseNegatives += count;
        }
        return this;
    }

    /**
     * Adds every cell of another matrix, cell by cell in {@link Outcome} order (its items' own
     * order is not known).
     *
     * @param counts the counts to add
     * @return this tally
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
     * @param other the tally to append; unchanged
     * @return this tally
     */
    public ConfusionTally add(ConfusionTally other) {
        long first = total();
        long items = other.total();
        if (first + items > (long) Integer.MAX_VALUE * Long.SIZE) {
            throw new IllegalArgumentException("a tally holds at most " + (long) Integer.MAX_VALUE * Long.SIZE + " items");
        }
        for (long item = 0; item < items; item++) {
            if (other.isError(item)) {
                markErrors(first + item, first + item + 1);
            }
        }
        truePositives += other.truePositives;
        trueNegatives += other.trueNegatives;
        falsePositives += other.falsePositives;
        falseNegatives += other.falseNegatives;
        return this;
    }

    /** The count of one cell. */
    public long count(Outcome outcome) {
        return switch (outcome) {
            case TRUE_POSITIVE -> truePositives;
            case TRUE_NEGATIVE -> trueNegatives;
            case FALSE_POSITIVE -> falsePositives;
            case FALSE_NEGATIVE -> falseNegatives;
        };
    }

    /** The number of feedback items tallied. */
    public long total() {
        return truePositives + trueNegatives + falsePositives + falseNegatives;
    }

    /**
     * Whether an item was an error.
     *
     * @param item its index in the order tallied, 0 to {@link #total()} - 1
     * @return whether its prediction differed from the truth
     * @throws IndexOutOfBoundsException if there is no such item
     */
    public boolean isError(long item) {
        Objects.checkIndex(item, total());
        int word = (int) (item >>> 6);
        // Words past the array were never needed: no error was marked that far.
        return word < errors.length && (errors[word] & (1L << item)) != 0;
    }

    /** The tally so far, as an immutable value. */
    public ClassificationSnapshot snapshot() {
        return new ClassificationSnapshot(truePositives, trueNegatives, falsePositives, falseNegatives);
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
        return "ConfusionTally[TP=" + truePositives + ", TN=" + trueNegatives + ", FP=" + falsePositives
                + ", FN=" + falseNegatives + "]";
    }
}
