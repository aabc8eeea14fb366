package dev.modelfeedback.core.scores;

import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The live scored feedback of one model. Recording allocates nothing and takes no lock that a
 * reader holds for long: each thread adds to one of {@value #STRIPES} tallies, each guarded by a
 * spin lock of its own held only for the few additions of one item. A thread starts on a stripe
 * picked from its id and, when it finds that one busy, moves to a free one for good, as
 * {@link java.util.concurrent.atomic.LongAdder}'s threads move to other cells (two threads that
 * kept meeting on one stripe ran at a quarter of their rate apart). The log and the sums are
 * computed there, in plain arithmetic, so a stripe's sums are exact sums of doubles; a
 * {@link #snapshot()} adds the stripes up. The tallies are allocated with the first scored item: a
 * model that never sends a score costs a few bytes.
 *
 * <p>Thread-safe.
 */
public final class ScoreCounter {

    /** Tallies per counter: enough to keep a few threads recording at once apart. */
    static final int STRIPES = 4;
    /** Spins on a busy stripe before yielding the processor to its holder. */
    private static final int SPINS = 64;

    /** Each thread's stripe, the same index in every counter; starts from a mix of the thread's id. */
    private static final ThreadLocal<int[]> PROBE = ThreadLocal.withInitial(() -> {
        long id = Thread.currentThread().getId() * 0x9E3779B97F4A7C15L;
        return new int[] {(int) (id >>> 32) & (STRIPES - 1)};
    });

    private final ScoreTally empty;
    private final ScoreCounts none;
    private volatile Stripe @Nullable [] stripes;

    private ScoreCounter(ScoreTally empty) {
        this.empty = empty;
        this.none = empty.counts();
    }

    /** A counter for a binary model. */
    public static ScoreCounter binary() {
        return new ScoreCounter(ScoreTally.ofBinary());
    }

    /** A counter for a model of {@code classes} declared classes. */
    public static ScoreCounter ofClasses(int classes) {
        return new ScoreCounter(ScoreTally.ofClasses(classes));
    }

    /**
     * Counts one scored item of a binary model (not checked: the recorder has).
     *
     * @param actual 0 or 1
     * @param score the probability of class 1, 0 to 1
     */
    public void record(int actual, double score) {
        Stripe stripe = acquire();
        try {
            stripe.tally.add(actual, score);
        } finally {
            stripe.unlock();
        }
    }

    /**
     * Counts one scored item of a model with declared classes (not checked: the recorder has).
     *
     * @param prediction the predicted class's index
     * @param actual the actual class's index
     * @param probabilities one per class, summing to 1
     */
    public void record(int prediction, int actual, double[] probabilities) {
        Stripe stripe = acquire();
        try {
            stripe.tally.add(prediction, actual, probabilities);
        } finally {
            stripe.unlock();
        }
    }

    /**
     * Counts one scored item of either kind, without copying the scores (not checked: the recorder
     * has checked that they are of the model's kind).
     *
     * @param prediction the predicted class's index
     * @param actual the actual class's index
     * @param scores the item's scores
     */
    public void record(int prediction, int actual, Scores scores) {
        if (scores.binary()) {
            record(actual, scores.get(0));
        } else {
            record(prediction, actual, scores.array());
        }
    }

    /** Adds a whole tally of the same kind, under one stripe's lock. */
    public void add(ScoreTally tally) {
        Stripe stripe = acquire();
        try {
            stripe.tally.addAll(tally);
        } finally {
            stripe.unlock();
        }
    }

    /** Whether any scored item was counted (or an empty tally added). */
    public boolean started() {
        return stripes != null;
    }

    /** Every stripe added up, each read under its lock. */
    public ScoreCounts snapshot() {
        Stripe[] all = stripes;
        if (all == null) {
            return none;
        }
        ScoreTally sum = empty.emptyCopy();
        for (Stripe stripe : all) {
            stripe.lock();
            try {
                sum.addAll(stripe.tally);
            } finally {
                stripe.unlock();
            }
        }
        return sum.counts();
    }

    /** An empty tally of this counter's kind, for a batch. */
    public ScoreTally newTally() {
        return empty.emptyCopy();
    }

    /**
     * The calling thread's stripe, locked: the one its probe names, or if another thread holds it,
     * the next free one, which the probe then names from now on (so two threads that met on one
     * stripe part for good, as {@link java.util.concurrent.atomic.LongAdder}'s cells do).
     */
    private Stripe acquire() {
        Stripe[] stripes = this.stripes;
        if (stripes == null) {
            stripes = allocate();
        }
        int[] probe = PROBE.get();
        int home = probe[0];
        for (int i = 0; i < STRIPES; i++) {
            Stripe stripe = stripes[(home + i) & (STRIPES - 1)];
            if (stripe.tryLock()) {
                if (i > 0) {
                    probe[0] = (home + i) & (STRIPES - 1);
                }
                return stripe;
            }
        }
        Stripe stripe = stripes[home & (STRIPES - 1)];
        stripe.lock();
        return stripe;
    }

    private synchronized Stripe[] allocate() {
        Stripe[] all = stripes;
        if (all == null) {
            all = new Stripe[STRIPES];
            for (int i = 0; i < STRIPES; i++) {
                all[i] = new Stripe(empty.emptyCopy());
            }
            stripes = all;
        }
        return all;
    }

    /** One tally and its spin lock, padded so that two stripes' locks never share a cache line. */
    @SuppressWarnings("unused")
    private static final class Stripe extends AtomicInteger {
        private static final long serialVersionUID = 1L;

        private long p01, p02, p03, p04, p05, p06, p07, p08;
        private long p09, p10, p11, p12, p13, p14, p15, p16;
        final transient ScoreTally tally;

        Stripe(ScoreTally tally) {
            this.tally = tally;
        }

        boolean tryLock() {
            return getPlain() == 0 && compareAndSet(0, 1);
        }

        void lock() {
            int spins = 0;
            while (!tryLock()) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        void unlock() {
            setRelease(0);
        }
    }
}
