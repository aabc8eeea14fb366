package dev.modelfeedback.core.metrics;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One read shared by the meters of one scrape. A scrape reads every meter once: they share one
 * snapshot, so that they agree with each other and a large snapshot is taken once per scrape,
 * not once per meter. A snapshot serves at most one read per meter and for at most a second.
 *
 * <p>Thread-safe.
 *
 * @param <T> what the meters read
 */
final class ScrapeShare<T> {

    private static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final Supplier<T> source;
    private final int readers;
    private @Nullable T shared;
    private long sharedAtNanos;
    private int sharedReads;

    /**
     * @param source takes a new snapshot
     * @param readers how many meters read it
     */
    ScrapeShare(Supplier<T> source, int readers) {
        this.source = source;
        this.readers = readers;
    }

    /** The snapshot for one meter's read. */
    synchronized T read() {
        long now = System.nanoTime();
        T current = shared;
        if (current == null || sharedReads >= readers || now - sharedAtNanos > MAX_AGE_NANOS) {
            current = source.get();
            shared = current;
            sharedAtNanos = now;
            sharedReads = 0;
        }
        sharedReads++;
        return current;
    }
}
