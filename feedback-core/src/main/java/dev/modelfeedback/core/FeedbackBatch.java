package dev.modelfeedback.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Feedback gathered first and counted all at once, so that a batch with one bad item counts
 * nothing.
 *
 * <pre>{@code
 * FeedbackBatch batch = new FeedbackBatch();
 * for (Item item : items) {
 *     batch.add(recorders.recorder(item.model()), item.prediction(), item.actual()); // may throw
 * }
 * batch.commit(); // cannot fail: everything was validated by add
 * }</pre>
 *
 * <p>{@link #add} validates and tallies; nothing reaches a recorder until {@link #commit()}, which
 * adds each recorder's tally with one {@code LongAdder.add} per cell. A concurrent reader may see
 * part of a committed batch, never an item that was not committed.
 *
 * <p>Not thread-safe: one batch belongs to one thread, typically one request.
 */
public final class FeedbackBatch {

    /** Keyed by identity (recorders do not override equals), in the order first added. */
    private final Map<FeedbackRecorder, ConfusionTally> tallies = new LinkedHashMap<>(4);
    private int size;
    private boolean committed;

    /**
     * Tallies one piece of feedback for {@code recorder}.
     *
     * @param recorder the model's recorder
     * @param prediction what the model predicted, 0 or 1
     * @param actual what turned out to be true, 0 or 1
     * @return this batch
     * @throws IllegalArgumentException if a value is not 0 or 1; the batch is unchanged then
     * @throws IllegalStateException if the batch was already committed
     */
    public FeedbackBatch add(FeedbackRecorder recorder, int prediction, int actual) {
        Objects.requireNonNull(recorder, "recorder");
        Outcome outcome = Outcome.of(prediction, actual);
        requireOpen();
        tally(recorder).add(outcome);
        size++;
        return this;
    }

    /**
     * Appends feedback already tallied, for example by a parser that validated it, in the order of
     * its items (the order the drift detectors will see).
     *
     * @param recorder the model's recorder
     * @param items the items; unchanged
     * @return this batch
     * @throws IllegalStateException if the batch was already committed
     * @throws IllegalArgumentException if the batch would exceed {@link Integer#MAX_VALUE} items
     */
    public FeedbackBatch add(FeedbackRecorder recorder, ConfusionTally items) {
        Objects.requireNonNull(recorder, "recorder");
        Objects.requireNonNull(items, "items");
        requireOpen();
        long newSize = size + items.total();
        if (newSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a batch holds at most " + Integer.MAX_VALUE + " items");
        }
        tally(recorder).add(items);
        size = (int) newSize;
        return this;
    }

    private ConfusionTally tally(FeedbackRecorder recorder) {
        return tallies.computeIfAbsent(recorder, r -> new ConfusionTally());
    }

    /** The recorders this batch counts into, in the order they were first added. */
    public Set<FeedbackRecorder> recorders() {
        return Collections.unmodifiableSet(tallies.keySet());
    }

    /** The number of items tallied so far. */
    public int size() {
        return size;
    }

    /**
     * Counts every tallied item into its recorder.
     *
     * @throws IllegalStateException if the batch was already committed
     */
    public void commit() {
        requireOpen();
        committed = true;
        tallies.forEach(FeedbackRecorder::add);
    }

    private void requireOpen() {
        if (committed) {
            throw new IllegalStateException("batch was already committed");
        }
    }
}
