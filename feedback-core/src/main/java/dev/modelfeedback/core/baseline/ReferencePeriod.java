package dev.modelfeedback.core.baseline;

import dev.modelfeedback.core.matrix.ClassLabels;
import dev.modelfeedback.core.matrix.ConfusionCounter;
import dev.modelfeedback.core.matrix.ConfusionTally;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.scores.ScoreCounts;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A baseline taken from live data: the first {@code size} feedback items a recorder counts, as
 * NannyML's reference period. Lock-free: each item claims a place with one atomic add, and the
 * thread that completes the period publishes its baseline. A batch that crosses the last place is
 * taken whole, so the period then holds slightly more than {@code size} items.
 *
 * <p>Thread-safe.
 */
public final class ReferencePeriod {

    private final long size;
    private final ConfusionCounter counts;
    private final List<Metric> metrics;
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final Consumer<Baseline> onClosed;
    private final Supplier<ScoreCounts> scores;
    /** How many items the period holds in the end; known once the claim that crosses {@code size} is made. */
    private volatile long finalSize = -1;

    /**
     * Checks the size of a reference period.
     *
     * @param items how many feedback items it holds
     * @return {@code items}
     * @throws IllegalArgumentException if less than 1
     */
    public static long requireValidSize(long items) {
        if (items < 1) {
            throw new IllegalArgumentException("a reference period must hold at least 1 item, got " + items);
        }
        return items;
    }

    /**
     * @param size how many items, at least 1
     * @param metrics the metrics to take, matrix and score metrics
     * @param scores reads the recorder's scored feedback: the score metrics are those of the scored
     *     items counted when the period closes (the recorder counts an item's scores before its
     *     cell, so these include the period's own)
     * @param onClosed receives the baseline, once, from the thread that completes the period
     */
    public ReferencePeriod(long size, ClassLabels classes, List<Metric> metrics, Supplier<ScoreCounts> scores,
            Consumer<Baseline> onClosed) {
        this.size = size;
        this.counts = ConfusionCounter.of(classes);
        this.metrics = metrics;
        this.scores = scores;
        this.onClosed = onClosed;
    }

    public long size() {
        return size;
    }

    /** Offers one item; returns whether the period is still open for later items. */
    public boolean offer(int cell) {
        long place = claimed.getAndIncrement();
        if (place >= size) {
            return false;
        }
        counts.increment(cell);
        return complete(place, 1);
    }

    /** Offers a batch; taken whole if it starts inside the period. */
    public boolean offer(ConfusionTally tally) {
        long items = tally.total();
        if (items == 0) {
            return true;
        }
        long place = claimed.getAndAdd(items);
        if (place >= size) {
            return false;
        }
        counts.add(tally);
        return complete(place, items);
    }

    private boolean complete(long place, long items) {
        boolean crossing = place + items >= size;
        if (crossing) {
            finalSize = place + items;
        }
        long done = completed.addAndGet(items);
        long target = finalSize;
        if (target >= 0 && done == target) {
            onClosed.accept(Baseline.of(counts.snapshot(), scores.get(), metrics));
        }
        return !crossing;
    }

    @Override
    public String toString() {
        long end = finalSize;
        return "ReferencePeriod[first " + size + " items, " + (end < 0 ? "open" : "closed at " + end) + "]";
    }
}
