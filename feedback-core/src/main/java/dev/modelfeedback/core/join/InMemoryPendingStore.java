package dev.modelfeedback.core.join;

import dev.modelfeedback.core.scores.Scores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link PendingStore}: in this process's heap, 38 to 47 bytes per entry (measured);
 * scores add 8 bytes per double per slot of the table: with a binary model's score 48 to 61 bytes
 * per entry in all, with four classes' 94 to 113. Ids are hashed (84 bits kept) into primitive
 * arrays: an open-addressing table per segment, with a first-in-first-out ring that gives the order
 * of expiry and eviction; never kept as strings.
 *
 * <pre>{@code
 * PendingStore store = new InMemoryPendingStore(1_000_000, Duration.ofHours(24));
 * }</pre>
 *
 * <ul>
 *   <li><b>Capacity</b>, per namespace (model): when full, the oldest entry makes room; a prediction
 *       still pending then counts as evicted.
 *   <li><b>Time-to-live</b>: a prediction waits this long for its actual value, then counts as
 *       expired; an actual that arrives later is answered {@link JoinOutcome#EXPIRED}. Every id (a
 *       pending, joined, expired or inline one) is remembered for twice the time-to-live after it
 *       was first stored, so that retries are recognized, then forgotten.
 *   <li>Per process: a replica knows only the predictions it stored, and a restart forgets them all.
 *   <li><b>Scores</b> are kept with their prediction, as doubles, exactly, also once it is joined
 *       (so that a retry is judged by them) until its id is forgotten: a joined id costs what a
 *       pending one does. A namespace's scores are of one kind, fixed by its first scored
 *       operation (one number, or one per class); others are refused. A namespace without scores
 *       allocates nothing for them.
 * </ul>
 *
 * <p>Thread-safe: each namespace is split into {@value #SEGMENTS} segments by hash, each under its
 * own lock; {@link #apply} takes the locks of the segments it touches, in a fixed order, so a batch
 * is atomic.
 */
public final class InMemoryPendingStore implements PendingStore {


    static final int SEGMENTS = 16;

    private static final int EMPTY = 0;
    private static final int PENDING = 1;
    private static final int JOINED = 2;
    private static final int EXPIRED = 3;
    private static final int KIND = 3;
    /** A class index (0 to 31) takes 5 bits: the prediction's from bit 2, the actual's from bit 7. */
    private static final int CLASS_BITS = 5;
    private static final int CLASS_MASK = (1 << CLASS_BITS) - 1;
    private static final int PREDICTION_SHIFT = 2;
    private static final int ACTUAL_SHIFT = PREDICTION_SHIFT + CLASS_BITS;
    /** The flags: the kind, the prediction's and the actual's class index. */
    private static final int FLAG_BITS = ACTUAL_SHIFT + CLASS_BITS;
    private static final long FLAGS = (1L << FLAG_BITS) - 1;
    /** The 20 bits of a key's low half kept beside the expiry and the flags: 84 key bits in all. */
    private static final long KEY_LO = -1L << (32 + FLAG_BITS);

    private final long capacity;
    private final int capacityPerSegment;
    private final long ttlSeconds;
    /** Expiry times are kept as seconds since 2000-01-01T00:00:00Z in an int: until 2068. */
    private static final long BASE_SECONDS = 946_684_800L;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final AtomicInteger namespaceOrdinals = new AtomicInteger();
    private final Map<String, UnmatchedListener> listeners = new ConcurrentHashMap<>();

    /** A store with {@link PendingStore#DEFAULT_CAPACITY} and {@link PendingStore#DEFAULT_TTL}. */
    public InMemoryPendingStore() {
        this(DEFAULT_CAPACITY, DEFAULT_TTL);
    }

    /**
     * @param capacity the most entries per namespace, from {@value #SEGMENTS} to 2^31 - 1
     * @param ttl how long a prediction waits for its actual value: whole seconds, 1 s to 365 days
     * @throws IllegalArgumentException if a setting is out of range
     */
    public InMemoryPendingStore(long capacity, Duration ttl) {
        requireValidSettings(capacity, ttl);
        this.capacity = capacity;
        this.capacityPerSegment = (int) ((capacity + SEGMENTS - 1) / SEGMENTS);
        this.ttlSeconds = ttl.getSeconds();
    }

    /**
     * Checks a capacity and a time-to-live as the constructor does, for builders that take them
     * before the store is made.
     *
     * @param capacity the most entries per namespace, from {@value #SEGMENTS} to 2^31 - 1
     * @param ttl whole seconds, 1 s to 365 days
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public static void requireValidSettings(long capacity, Duration ttl) {
        if (capacity < SEGMENTS || capacity > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("capacity must be between " + SEGMENTS + " and " + Integer.MAX_VALUE
                    + ", got " + capacity);
        }
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofDays(365)) > 0 || ttl.getNano() != 0) {
            throw new IllegalArgumentException("ttl must be whole seconds from 1s to 365 days, got " + ttl);
        }
    }

    /** The most entries per namespace. */
    public long capacity() {
        return capacity;
    }

    /** How long a prediction waits for its actual value. */
    public Duration ttl() {
        return Duration.ofSeconds(ttlSeconds);
    }

    @Override
    public void onUnmatched(String namespace, UnmatchedListener listener) {
        listeners.put(Objects.requireNonNull(namespace, "namespace"), Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public long pending(String namespace) {
        Namespace ns = namespaces.get(namespace);
        if (ns == null) {
            return 0;
        }
        long pending = 0;
        for (Segment segment : ns.segments) {
            pending += segment.pending;
        }
        return pending;
    }

    /**
     * Marks the namespace's predictions that outlived the time-to-live as expired (telling its
     * listener) and forgets ids past their horizon. Operations do this for the segments they
     * touch; a recorder calls this once a second so that expirations are counted without traffic.
     */
    @Override
    public void sweep(String namespace, long nowMillis) {
        Namespace ns = namespaces.get(namespace);
        if (ns == null) {
            return;
        }
        int now = seconds(nowMillis);
        long expired = 0;
        for (Segment segment : ns.segments) {
            segment.lock.lock();
            try {
                expired += segment.sweep(now);
            } finally {
                segment.lock.unlock();
            }
        }
        tell(ns.name, UnmatchedReason.EXPIRED, expired);
    }

    private void tell(String namespace, UnmatchedReason reason, long count) {
        if (count > 0) {
            UnmatchedListener listener = listeners.get(namespace);
            if (listener != null) {
                listener.unmatched(reason, count);
            }
        }
    }

    @Override
    public JoinResult apply(JoinOperation operation, long nowMillis) {
        int now = seconds(nowMillis);
        Namespace ns = namespace(operation.namespace());
        ns.requireScoresOfItsKind(operation);
        long[] hash = new long[2];
        IdHash.hash(operation.id(), ns.seed, hash);
        long hi = hash[0];
        long lo = hash[1] & KEY_LO;
        Segment segment = ns.segment(hi);
        long expired;
        long evicted = 0;
        JoinResult result;
        segment.lock.lock();
        try {
            expired = segment.sweep(now);
            int slot = segment.find(hi, lo);
            int flags = segment.flagsAt(slot);
            result = decide(flags, segment.expiryAt(slot), segment.scoresOf(slot, flags), now, operation);
            JoinOutcome outcome = result.outcome();
            if (outcome == JoinOutcome.PENDING || outcome == JoinOutcome.MATCHED) {
                evicted = segment.put(slot, hi, lo, after(flags, operation, outcome), now + (int) ttlSeconds,
                        operation.scores());
            }
        } finally {
            segment.lock.unlock();
        }
        tell(ns.name, UnmatchedReason.EXPIRED, expired);
        tell(ns.name, UnmatchedReason.EVICTED, evicted);
        return result;
    }

    @Override
    public Applied apply(List<JoinOperation> operations, long nowMillis) {
        if (operations.size() == 1) {
            JoinResult result = apply(operations.get(0), nowMillis);
            return result.outcome() == JoinOutcome.CONFLICT ? Applied.conflictAt(0) : Applied.of(List.of(result));
        }
        int now = seconds(nowMillis);
        int count = operations.size();
        Namespace[] ns = new Namespace[count];
        long[] hi = new long[count];
        long[] lo = new long[count];
        long[] hash = new long[2];
        List<Segment> touched = new ArrayList<>(Math.min(count, 8));
        for (int i = 0; i < count; i++) {
            JoinOperation operation = operations.get(i);
            ns[i] = namespace(operation.namespace());
            ns[i].requireScoresOfItsKind(operation);
            IdHash.hash(operation.id(), ns[i].seed, hash);
            hi[i] = hash[0];
            lo[i] = hash[1] & KEY_LO;
            Segment segment = ns[i].segment(hi[i]);
            if (!touched.contains(segment)) {
                touched.add(segment);
            }
        }
        // A fixed order (namespace, then segment) so that concurrent batches cannot deadlock.
        touched.sort((a, b) -> Long.compare(a.order, b.order));
        Counts unmatched = new Counts();
        List<JoinResult> results = new ArrayList<>(count);
        touched.forEach(segment -> segment.lock.lock());
        try {
            for (Segment segment : touched) {
                unmatched.add(segment.owner, UnmatchedReason.EXPIRED, segment.sweep(now));
            }
            // First decide every operation, seeing the batch's earlier ones, and change nothing...
            Map<Key, Entry> decided = new HashMap<>();
            int[] next = new int[count];
            for (int i = 0; i < count; i++) {
                Key key = new Key(ns[i], hi[i], lo[i]);
                Entry entry = decided.get(key);
                if (entry == null) {
                    Segment segment = ns[i].segment(hi[i]);
                    int slot = segment.find(hi[i], lo[i]);
                    int flags = segment.flagsAt(slot);
                    entry = new Entry(flags, segment.expiryAt(slot), segment.scoresOf(slot, flags));
                }
                JoinOperation operation = operations.get(i);
                JoinResult result = decide(entry.flags(), entry.expiry(), entry.scores(), now, operation);
                if (result.outcome() == JoinOutcome.CONFLICT) {
                    return Applied.conflictAt(i);
                }
                results.add(result);
                next[i] = after(entry.flags(), operation, result.outcome());
                decided.put(key, entry.after(next[i], operation, result.outcome(), now + (int) ttlSeconds));
            }
            // ...then apply them all (finding each anew: an eviction may have moved it).
            for (int i = 0; i < count; i++) {
                JoinOutcome outcome = results.get(i).outcome();
                if (outcome == JoinOutcome.PENDING || outcome == JoinOutcome.MATCHED) {
                    Segment segment = ns[i].segment(hi[i]);
                    unmatched.add(ns[i], UnmatchedReason.EVICTED, segment.put(segment.find(hi[i], lo[i]), hi[i], lo[i],
                            next[i], now + (int) ttlSeconds, operations.get(i).scores()));
                }
            }
            return Applied.of(results);
        } finally {
            for (int i = touched.size() - 1; i >= 0; i--) {
                touched.get(i).lock.unlock();
            }
            unmatched.tell(this);
        }
    }

    /** An entry as a batch's earlier operations left it: its flags, expiry and scores (null for none). */
    private record Entry(int flags, int expiry, @Nullable Scores scores) {

        /**
         * The entry after an operation with that outcome, {@code flags} its new flags: a new one
         * (pending, or inline feedback not joining a pending prediction) with the operation's
         * scores and {@code newExpiry}; a pending one joined keeps its own; otherwise unchanged.
         */
        Entry after(int flags, JoinOperation operation, JoinOutcome outcome, int newExpiry) {
            if (outcome == JoinOutcome.PENDING || (outcome == JoinOutcome.MATCHED && (this.flags & KIND) != PENDING)) {
                return new Entry(flags, newExpiry, operation.scores());
            }
            return outcome == JoinOutcome.MATCHED ? new Entry(flags, expiry, scores) : this;
        }
    }

    /**
     * The outcome of one operation on an entry in state {@code current}, whose prediction, if
     * pending, expires at {@code expiry} (so arrived at {@code expiry - ttl}), with the scores
     * {@code stored} with it (null for none, or when no prediction is kept).
     */
    private JoinResult decide(int current, int expiry, @Nullable Scores stored, int now, JoinOperation operation) {
        int kind = current & KIND;
        int storedPrediction = prediction(current);
        int storedActual = (current >>> ACTUAL_SHIFT) & CLASS_MASK;
        boolean known = kind == PENDING || kind == JOINED;
        // A prediction is the same only with the same scores: both absent, or equal double for double.
        boolean samePrediction = storedPrediction == operation.prediction() && Objects.equals(stored, operation.scores());
        if (!operation.hasActual()) {
            if (!known) {
                return JoinResult.of(JoinOutcome.PENDING);
            }
            return samePrediction ? JoinResult.of(JoinOutcome.DUPLICATE) : JoinResult.of(JoinOutcome.CONFLICT);
        }
        if (!operation.hasPrediction()) {
            return switch (kind) {
                case PENDING -> JoinResult.joined(storedPrediction, operation.actual(), waited(expiry, now), stored);
                case JOINED -> storedActual == operation.actual() ? JoinResult.of(JoinOutcome.DUPLICATE)
                        : JoinResult.of(JoinOutcome.CONFLICT);
                case EXPIRED -> JoinResult.of(JoinOutcome.EXPIRED);
                default -> JoinResult.of(JoinOutcome.UNKNOWN);
            };
        }
        return switch (kind) {
            case PENDING -> samePrediction
                    ? JoinResult.joined(operation.prediction(), operation.actual(), waited(expiry, now), stored)
                    : JoinResult.of(JoinOutcome.CONFLICT);
            case JOINED -> samePrediction && storedActual == operation.actual()
                    ? JoinResult.of(JoinOutcome.DUPLICATE) : JoinResult.of(JoinOutcome.CONFLICT);
            default -> JoinResult.matched(operation.prediction(), operation.actual(), operation.scores());
        };
    }

    /** How long a pending prediction that expires at {@code expiry} has waited by {@code now}, in milliseconds. */
    private long waited(int expiry, int now) {
        return Math.max(0, now - (expiry - ttlSeconds)) * 1000L;
    }

    /** The entry's state after an operation with that outcome. */
    private static int after(int current, JoinOperation operation, JoinOutcome outcome) {
        return switch (outcome) {
            case PENDING -> flags(PENDING, operation.prediction(), 0);
            case MATCHED -> flags(JOINED, operation.hasPrediction() ? operation.prediction()
                    : prediction(current), operation.actual());
            default -> current;
        };
    }

    private static int prediction(int flags) {
        return (flags >>> PREDICTION_SHIFT) & CLASS_MASK;
    }

    private static int flags(int kind, int prediction, int actual) {
        return kind | prediction << PREDICTION_SHIFT | actual << ACTUAL_SHIFT;
    }

    /** The second long of a slot. */
    private static long meta(long lo, int expiry, int flags) {
        return lo | (expiry & 0xFFFF_FFFFL) << FLAG_BITS | flags;
    }

    private static int expiry(long meta) {
        return (int) (meta >>> FLAG_BITS);
    }

    /** Where a key's probe starts in a table of {@code slots}: its top 32 bits scaled to the table. */
    private static int home(long hi, int slots) {
        return (int) (((hi >>> 32) * slots) >>> 32);
    }

    private int seconds(long millis) {
        return (int) Math.min(Integer.MAX_VALUE - ttlSeconds * 2, Math.max(0, millis / 1000 - BASE_SECONDS));
    }

    private Namespace namespace(String name) {
        Namespace ns = namespaces.get(name);
        return ns != null ? ns : namespaces.computeIfAbsent(name, n -> new Namespace(n, namespaceOrdinals.getAndIncrement()));
    }

    /** How many entries a namespace holds: for the memory benchmark. */
    long size(String namespace) {
        Namespace ns = namespaces.get(namespace);
        if (ns == null) {
            return 0;
        }
        long size = 0;
        for (Segment segment : ns.segments) {
            size += segment.size;
        }
        return size;
    }

    private record Key(Namespace namespace, long hi, long lo) {
    }

    /** Unmatched predictions noticed during one call, told to the listener after the locks are released. */
    private static final class Counts {
        private final List<Namespace> namespaces = new ArrayList<>(1);
        private final List<UnmatchedReason> reasons = new ArrayList<>(1);
        private final List<Long> counts = new ArrayList<>(1);

        void add(Namespace namespace, UnmatchedReason reason, long count) {
            if (count > 0) {
                namespaces.add(namespace);
                reasons.add(reason);
                counts.add(count);
            }
        }

        void tell(InMemoryPendingStore store) {
            for (int i = 0; i < counts.size(); i++) {
                store.tell(namespaces.get(i).name, reasons.get(i), counts.get(i));
            }
        }
    }

    private final class Namespace {
        final String name;
        final long seed;
        final Segment[] segments = new Segment[SEGMENTS];
        /**
         * How many doubles the scores of this namespace's entries take: 1 (a binary model's
         * score) or one per class, fixed by the first scored operation; 0 until then.
         */
        private final AtomicInteger scoreWidth = new AtomicInteger();

        Namespace(String name, int ordinal) {
            this.name = name;
            this.seed = IdHash.seed(name);
            for (int i = 0; i < SEGMENTS; i++) {
                segments[i] = new Segment(this, (long) ordinal * SEGMENTS + i);
            }
        }

        Segment segment(long hi) {
            return segments[(int) hi & (SEGMENTS - 1)];
        }

        /**
         * Checks that an operation's scores are of this namespace's kind (the first scores fix it).
         *
         * @throws IllegalArgumentException if they are not
         */
        void requireScoresOfItsKind(JoinOperation operation) {
            Scores scores = operation.scores();
            if (scores == null) {
                return;
            }
            int width = scoreWidth.get();
            if (width == 0 && scoreWidth.compareAndSet(0, scores.size())) {
                return;
            }
            width = scoreWidth.get();
            if (width != scores.size()) {
                throw new IllegalArgumentException("namespace " + name + " keeps scores of " + width
                        + (width == 1 ? " number (a binary model's)" : " probabilities") + ", got " + scores);
            }
        }

        int scoreWidth() {
            return scoreWidth.get();
        }
    }

    /**
     * One segment: an open-addressing table with linear probing, two longs per slot, and a ring of
     * (key, expiry) records in insertion order that gives the order of expiry and eviction. Guarded
     * by {@link #lock}.
     *
     * <p>Slot {@code s} is {@code table[2s]}, the key's high 64 bits, and {@code table[2s + 1]}: 20
     * more key bits, the expiry in seconds (32 bits) and the flags (12 bits: the kind, then the
     * prediction's and the actual's class index, 5 bits each; never all zero for an entry, so 0
     * marks an empty slot). A class index thus costs nothing per entry. A probe reads one cache line. Both arrays grow by half
     * (not doubling) up to what the capacity needs, which keeps the heap per entry near 38 bytes
     * when full and under 50 while growing.
     *
     * <p>Scores live in {@link #scores}, parallel to the slots: slot {@code s} has
     * {@code scores[w * s]} to {@code scores[w * s + w - 1]}, {@code w} the namespace's score width,
     * NaN first for an entry without scores (no valid score is NaN). The array exists only once the
     * segment stores a scored entry, so a model without scores pays nothing for it; it moves with
     * the slots (insertion, backward-shift deletion, growth) and, like them, keeps a joined entry's
     * scores until its horizon so that a retry is judged by them.
     */
    private final class Segment {
        private static final int INITIAL = 16;

        final ReentrantLock lock = new ReentrantLock();
        final Namespace owner;
        final long order;
        private final int maxSlots;
        long[] table = new long[2 * INITIAL];
        /** The scores of the slots' entries (see above), or null while no scored entry was stored. */
        double @Nullable [] scores;
        int size;
        volatile int pending;
        long[] ringKeys = new long[INITIAL];
        int[] ringExpiries = new int[INITIAL];
        /** The ring's oldest record is at ringHead; of its ringSize records, the first ringSwept had their expiry noticed. */
        int ringHead;
        int ringSize;
        int ringSwept;

        Segment(Namespace owner, long order) {
            this.owner = owner;
            this.order = order;
            this.maxSlots = (int) Math.max(INITIAL, Math.min(Integer.MAX_VALUE / 2, capacityPerSegment * 4L / 3 + 2));
        }

        /** The slot of a key, or -1. */
        int find(long hi, long lo) {
            int slots = slots();
            for (int slot = home(hi, slots); ; slot = slot + 1 == slots ? 0 : slot + 1) {
                long meta = table[2 * slot + 1];
                if (meta == 0) {
                    return -1;
                }
                if (table[2 * slot] == hi && (meta & KEY_LO) == lo) {
                    return slot;
                }
            }
        }

        int flagsAt(int slot) {
            return slot < 0 ? EMPTY : (int) (table[2 * slot + 1] & FLAGS);
        }

        /** The expiry of the entry at {@code slot}, 0 if there is none. */
        int expiryAt(int slot) {
            return slot < 0 ? 0 : expiry(table[2 * slot + 1]);
        }

        /**
         * The scores of the entry at {@code slot} whose flags are {@code flags}, if it keeps a
         * prediction (pending or joined) with scores; else null.
         */
        @Nullable Scores scoresOf(int slot, int flags) {
            int kind = flags & KIND;
            double[] held = scores;
            if (held == null || (kind != PENDING && kind != JOINED)) {
                return null;
            }
            int width = owner.scoreWidth();
            int from = slot * width;
            if (Double.isNaN(held[from])) {
                return null;
            }
            return width == 1 ? Scores.binary(held[from]) : Scores.ofClasses(Arrays.copyOfRange(held, from, from + width));
        }

        /** Keeps {@code given} (null for none) as the scores of the entry at {@code slot}. */
        private void storeScores(int slot, @Nullable Scores given) {
            if (given == null) {
                if (scores != null) {
                    scores[slot * owner.scoreWidth()] = Double.NaN;
                }
                return;
            }
            int width = owner.scoreWidth();
            if (scores == null) {
                scores = unscored(slots(), width);
            }
            for (int i = 0; i < width; i++) {
                scores[slot * width + i] = given.get(i);
            }
        }

        /**
         * Stores or updates the entry of a key found at {@code slot} (or -1 for a new key), with
         * {@code given} as its scores if this makes a new entry; returns how many pending
         * predictions were evicted to make room.
         */
        long put(int slot, long hi, long lo, int flags, int expiry, @Nullable Scores given) {
            if (slot >= 0) {
                long meta = table[2 * slot + 1];
                int kind = (int) meta & KIND;
                if (kind == PENDING && (flags & KIND) != PENDING) {
                    pending--;
                }
                if (kind == EXPIRED) {
                    // A new prediction for an id whose old one expired: a new entry in time.
                    table[2 * slot + 1] = meta(lo, expiry, flags);
                    storeScores(slot, given);
                    if ((flags & KIND) == PENDING) {
                        pending++;
                    }
                    return push(hi, expiry);
                }
                // A pending prediction joined: it keeps its scores, the ones counted.
                table[2 * slot + 1] = (meta & ~FLAGS) | flags;
                return 0;
            }
            long evicted = 0;
            while (size >= capacityPerSegment) {
                evicted += evictOldest();
            }
            if ((size + 1) * 4L > slots() * 3L && slots() < maxSlots) {
                grow();
            }
            storeScores(insert(hi, meta(lo, expiry, flags)), given);
            size++;
            if ((flags & KIND) == PENDING) {
                pending++;
            }
            return evicted + push(hi, expiry);
        }

        /** Marks expired predictions (returning how many) and forgets ids past their horizon. */
        long sweep(int now) {
            long expired = 0;
            while (ringSwept < ringSize && ringExpiries[ring(ringSwept)] <= now) {
                int slot = findRecord(ring(ringSwept));
                if (slot >= 0 && (table[2 * slot + 1] & KIND) == PENDING) {
                    table[2 * slot + 1] = (table[2 * slot + 1] & ~KIND) | EXPIRED;
                    pending--;
                    expired++;
                }
                ringSwept++;
            }
            while (ringSwept > 0 && ringExpiries[ringHead] + ttlSeconds <= now) {
                int slot = findRecord(ringHead);
                if (slot >= 0) {
                    remove(slot);
                }
                popRecord();
            }
            return expired;
        }

        /** Removes the oldest entry; returns 1 if it was a pending prediction, which then counts as evicted. */
        private long evictOldest() {
            while (ringSize > 0) {
                int slot = findRecord(ringHead);
                popRecord();
                if (slot >= 0) {
                    boolean wasPending = (table[2 * slot + 1] & KIND) == PENDING;
                    if (wasPending) {
                        pending--;
                    }
                    remove(slot);
                    return wasPending ? 1 : 0;
                }
            }
            throw new IllegalStateException("a full segment with nothing to evict");
        }

        private int slots() {
            return table.length / 2;
        }

        /** The slot a ring record stands for, or -1 if its entry is gone (or was stored anew since). */
        private int findRecord(int record) {
            long hi = ringKeys[record];
            int expiry = ringExpiries[record];
            int slots = slots();
            for (int slot = home(hi, slots); ; slot = slot + 1 == slots ? 0 : slot + 1) {
                long meta = table[2 * slot + 1];
                if (meta == 0) {
                    return -1;
                }
                if (table[2 * slot] == hi && expiry(meta) == expiry) {
                    return slot;
                }
            }
        }

        /** Puts an entry into the first free slot of its probe run; returns that slot. */
        private int insert(long hi, long meta) {
            int slots = slots();
            int slot = home(hi, slots);
            while (table[2 * slot + 1] != 0) {
                slot = slot + 1 == slots ? 0 : slot + 1;
            }
            table[2 * slot] = hi;
            table[2 * slot + 1] = meta;
            return slot;
        }

        /** Removes an entry, shifting later entries of its probe run back so that none is lost. */
        private void remove(int slot) {
            int slots = slots();
            int hole = slot;
            for (int next = hole + 1 == slots ? 0 : hole + 1; table[2 * next + 1] != 0;
                    next = next + 1 == slots ? 0 : next + 1) {
                int home = home(table[2 * next], slots);
                // Move the entry at next into the hole unless its home lies cyclically in (hole, next].
                boolean stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
                if (!stays) {
                    table[2 * hole] = table[2 * next];
                    table[2 * hole + 1] = table[2 * next + 1];
                    moveScores(next, hole);
                    hole = next;
                }
            }
            table[2 * hole] = 0;
            table[2 * hole + 1] = 0;
            storeScores(hole, null);
            size--;
        }

        /** Moves the scores of slot {@code from} to slot {@code to}, with its entry. */
        private void moveScores(int from, int to) {
            if (scores != null) {
                int width = owner.scoreWidth();
                System.arraycopy(scores, from * width, scores, to * width, width);
            }
        }

        private void grow() {
            long[] old = table;
            double[] oldScores = scores;
            int width = owner.scoreWidth();
            int slots = (int) Math.min(maxSlots, slots() + (long) slots() / 2);
            table = new long[2 * slots];
            scores = oldScores == null ? null : unscored(slots, width);
            for (int i = 0; i < old.length; i += 2) {
                if (old[i + 1] != 0) {
                    int slot = insert(old[i], old[i + 1]);
                    if (oldScores != null) {
                        System.arraycopy(oldScores, i / 2 * width, scores, slot * width, width);
                    }
                }
            }
        }

        /** Appends a record to the ring; returns 1 if a pending prediction had to be evicted for its room. */
        private long push(long hi, int expiry) {
            long evicted = 0;
            if (ringSize == ringKeys.length) {
                if (ringKeys.length >= maxSlots) {
                    evicted = evictOldest(); // only records of ids stored anew crowd a ring this long
                } else {
                    int length = (int) Math.min(maxSlots, ringKeys.length + (long) ringKeys.length / 2);
                    long[] keys = new long[length];
                    int[] expiries = new int[length];
                    for (int i = 0; i < ringSize; i++) {
                        keys[i] = ringKeys[ring(i)];
                        expiries[i] = ringExpiries[ring(i)];
                    }
                    ringKeys = keys;
                    ringExpiries = expiries;
                    ringHead = 0;
                }
            }
            int record = ring(ringSize);
            ringKeys[record] = hi;
            ringExpiries[record] = expiry;
            ringSize++;
            return evicted;
        }

        private void popRecord() {
            ringHead = ringHead + 1 == ringKeys.length ? 0 : ringHead + 1;
            ringSize--;
            if (ringSwept > 0) {
                ringSwept--;
            }
        }

        /** The array index of the ring's i-th oldest record. */
        private int ring(int i) {
            int index = ringHead + i;
            return index >= ringKeys.length ? index - ringKeys.length : index;
        }
    }

    /** Scores for {@code slots} slots of {@code width} doubles, every slot without (NaN first). */
    private static double[] unscored(int slots, int width) {
        double[] scores = new double[Math.multiplyExact(slots, width)];
        Arrays.fill(scores, Double.NaN);
        return scores;
    }

    @Override
    public String toString() {
        return "InMemoryPendingStore[capacity=" + capacity + " per namespace, ttl=" + ttl() + "]";
    }
}
