package dev.modelfeedback.core;

import java.util.Objects;

/**
 * A mutable confusion matrix for gathering feedback before it is counted, for example while a
 * request body is read; {@link #snapshot()} turns it into the immutable value.
 *
 * <p>Not thread-safe: a tally belongs to one thread, typically one request. The live, concurrent
 * matrix is a recorder's.
 */
public final class ConfusionTally {

    private long truePositives;
    private long trueNegatives;
    private long falsePositives;
    private long falseNegatives;

    /**
     * Counts one piece of feedback.
     *
     * @param outcome its cell
     * @return this tally
     */
    public ConfusionTally add(Outcome outcome) {
        return add(outcome, 1);
    }

    /**
     * Counts {@code count} pieces of feedback of one cell.
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
        switch (outcome) {
            case TRUE_POSITIVE -> truePositives += count;
            case TRUE_NEGATIVE -> trueNegatives += count;
            case FALSE_POSITIVE -> falsePositives += count;
            case FALSE_NEGATIVE -> falseNegatives += count;
        }
        return this;
    }

    /**
     * Adds every cell of another matrix.
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

    /** The tally so far, as an immutable value. */
    public ClassificationSnapshot snapshot() {
        return new ClassificationSnapshot(truePositives, trueNegatives, falsePositives, falseNegatives);
    }

    @Override
    public String toString() {
        return "ConfusionTally[TP=" + truePositives + ", TN=" + trueNegatives + ", FP=" + falsePositives
                + ", FN=" + falseNegatives + "]";
    }
}
