package dev.modelfeedback.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded, lock-free queue of error samples between the record path and the drift detectors:
 * many threads offer, one thread at a time drains. A bounded MPSC ring in Vyukov's style: an
 * offer claims the next position with one compare-and-set on the tail and publishes its sample with
 * a release store tagged by that position, so the drainer sees samples exactly in claim order and
 * stops at the first not yet published. When the ring is full the sample is dropped, not waited
 * for; the caller counts it.
 *
 * <p>Thread-safe for any number of offering threads; {@link #drain} must be called by one thread at
 * a time (the caller holds a lock).
 */
final class ErrorSampleBuffer {

    /** A sample consumer that never boxes. */
    interface Sink {
        void accept(boolean error);
    }

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(int[].class);

    /** Each slot holds (position + 1) << 1 | error, so a slot of an older lap never looks published. */
    private final int[] slots;
    private final int mask;
    private final PaddedPosition tail = new PaddedPosition();
    private volatile long head;

    /**
     * @param capacity a power of two, at least 2
     */
    ErrorSampleBuffer(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two of at least 2, got " + capacity);
        }
        this.slots = new int[capacity];
        this.mask = capacity - 1;
    }

    /**
     * Queues one sample.
     *
     * @return its position (0, 1, 2, ...), or -1 if the ring was full and the sample dropped
     */
    long offer(boolean error) {
        long position = tail.get();
        while (true) {
            if (position - head > mask) {
                return -1;
            }
            long witness = tail.compareAndExchange(position, position + 1);
            if (witness == position) {
                break;
            }
            position = witness;
        }
        SLOTS.setRelease(slots, (int) (position & mask), tag(position, error));
        return position;
    }

    /**
     * Feeds every published sample, in order, to {@code sink}.
     *
     * @return how many samples were drained
     */
    int drain(Sink sink) {
        long position = head;
        int drained = 0;
        while (true) {
            int slot = (int) SLOTS.getAcquire(slots, (int) (position & mask));
            if (slot >>> 1 != (int) ((position + 1) & 0x7fff_ffffL)) {
                break; // not yet published
            }
            sink.accept((slot & 1) != 0);
            position++;
            drained++;
            // Free the slot as we go, so that offers waiting for room see it at once.
            if ((drained & 63) == 0) {
                head = position;
            }
        }
        head = position;
        return drained;
    }

    /** Whether samples are waiting (published or being published). */
    boolean hasPending() {
        return tail.get() != head;
    }

    /** How many samples fit. */
    int capacity() {
        return slots.length;
    }

    private static int tag(long position, boolean error) {
        return (int) (((position + 1) & 0x7fff_ffffL) << 1) | (error ? 1 : 0);
    }

    /** The tail, alone on its cache lines: offers hammer it, the drainer writes {@code head}. */
    @SuppressWarnings("unused")
    private static final class PaddedPosition extends AtomicLong {
        private static final long serialVersionUID = 1L;

        private long p01, p02, p03, p04, p05, p06, p07, p08;
        private long p09, p10, p11, p12, p13, p14, p15, p16;
    }
}
