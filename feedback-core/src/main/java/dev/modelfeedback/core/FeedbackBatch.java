package dev.modelfeedback.core;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

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

    private final Map<FeedbackRecorder, long[]> tallies = new IdentityHashMap<>(4);
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
        int cell = Outcome.index(prediction, actual);
        requireOpen();
        tallies.computeIfAbsent(recorder, r -> new long[4])[cell]++;
        size++;
        return this;
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
        tallies.forEach((recorder, cells) -> recorder.add(new ClassificationSnapshot(
                cells[Outcome.TRUE_POSITIVE.ordinal()],
                cells[Outcome.TRUE_NEGATIVE.ordinal()],
                cells[Outcome.FALSE_POSITIVE.ordinal()],
                cells[Outcome.FALSE_NEGATIVE.ordinal()])));
    }

    private void requireOpen() {
        if (committed) {
            throw new IllegalStateException("batch was already committed");
        }
    }
}
