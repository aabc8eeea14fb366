package dev.modelfeedback.core.drift;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded, lock-free queue of error samples between the record path and the drift detectors:
 * many threads offer, one thread at a time drains. Striped as Caffeine's read buffer is: each thread
 * offers to one of a few rings, chosen by its id, so that threads recording at once rarely share a
 * cache line. Each ring is an MPSC ring in Vyukov's style: an offer claims the next position with
 * one compare-and-set on the ring's tail and publishes its sample with a release store tagged by
 * that position, so the drainer sees a ring's samples exactly in claim order and stops at the first
 * not yet published. A thread's samples therefore reach the detectors in the order it recorded
 * them; samples of different threads, which have no order of their own, are interleaved as drained.
 * When a ring is full the sample is dropped, not waited for; the caller counts it.
 *
 * <p>Thread-safe for any number of offering threads; {@link #drain} must be called by one thread at
 * a time (the caller holds a lock).
 */
final class ErrorSampleBuffer {

    /** A sample consumer that never boxes. */
    interface Sink {
        void accept(boolean error);
    }

    /** Rings per buffer: enough to keep a few concurrent recording threads apart. */
    static final int STRIPES = 4;
    /** Samples a drain takes from one ring before moving on, so that rings are interleaved. */
    private static final int DRAIN_CHUNK = 32;

    private final Ring[] rings = new Ring[STRIPES];

    /**
     * @param capacityPerRing a power of two, at least 2
     */
    ErrorSampleBuffer(int capacityPerRing) {
        if (capacityPerRing < 2 || Integer.bitCount(capacityPerRing) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two of at least 2, got " + capacityPerRing);
        }
        for (int i = 0; i < STRIPES; i++) {
            rings[i] = new Ring(capacityPerRing);
        }
    }

    /**
     * Queues one sample on the calling thread's ring.
     *
     * @return its position in that ring (0, 1, 2, ...), or -1 if the ring was full and the sample dropped
     */
    long offer(boolean error) {
        return rings[stripe()].offer(error);
    }

    /**
     * Feeds published samples to {@code sink}, each ring's in order, the rings interleaved in
     * chunks, until none is left or {@code budget} were fed: a bounded drain, so that a thread that
     * records and drains is never kept draining for ever by others recording.
     *
     * @param budget the most samples to drain, at least 1
     * @return how many samples were drained
     */
    int drain(Sink sink, int budget) {
        int drained = 0;
        boolean more = true;
        while (more && drained < budget) {
            more = false;
            for (Ring ring : rings) {
                int taken = ring.drain(sink, DRAIN_CHUNK);
                drained += taken;
                more |= taken == DRAIN_CHUNK;
            }
        }
        return drained;
    }

    /** Samples are waiting (published, or being published). */
    boolean hasPending() {
        for (Ring ring : rings) {
            if (ring.hasPending()) {
                return true;
            }
        }
        return false;
    }

    private static int stripe() {
        long id = Thread.currentThread().getId();
        return (int) (id ^ (id >>> 7)) & (STRIPES - 1);
    }

    /** One MPSC ring. */
    private static final class Ring {

        private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(int[].class);

        /** Each slot holds (position + 1) << 1 | error, so a slot of an older lap never looks published. */
        private final int[] slots;
        private final int mask;
        private final PaddedPosition tail = new PaddedPosition();
        private final PaddedPosition head = new PaddedPosition();

        Ring(int capacity) {
            this.slots = new int[capacity];
            this.mask = capacity - 1;
        }

        long offer(boolean error) {
            long position = tail.get();
            while (true) {
                if (position - head.get() > mask) {
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

        int drain(Sink sink, int most) {
            long position = head.getPlain();
            int drained = 0;
            while (drained < most) {
                int slot = (int) SLOTS.getAcquire(slots, (int) (position & mask));
                if (slot >>> 1 != (int) ((position + 1) & 0x7fff_ffffL)) {
                    break; // not yet published
                }
                sink.accept((slot & 1) != 0);
                position++;
                drained++;
            }
            if (drained > 0) {
                head.setRelease(position);
            }
            return drained;
        }

        boolean hasPending() {
            return tail.get() != head.get();
        }

        private static int tag(long position, boolean error) {
            return (int) (((position + 1) & 0x7fff_ffffL) << 1) | (error ? 1 : 0);
        }
    }

    /** A position alone on its cache lines: offers hammer the tail, the drainer writes the head. */
    @SuppressWarnings("unused")
    private static final class PaddedPosition extends AtomicLong {
        private static final long serialVersionUID = 1L;

        private long p01, p02, p03, p04, p05, p06, p07, p08;
        private long p09, p10, p11, p12, p13, p14, p15, p16;
    }
}
