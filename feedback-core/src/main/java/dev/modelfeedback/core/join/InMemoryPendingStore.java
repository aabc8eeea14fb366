package dev.modelfeedback.core.join;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default {@link PendingStore}: in this process's heap, about 55 bytes per entry. Ids are
 * hashed to 128 bits and kept in primitive arrays (an open-addressing table per segment, with a
 * first-in-first-out ring that gives the order of expiry and eviction), never as strings.
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
 * </ul>
 *
 * <p>Thread-safe: each namespace is split into {@value #SEGMENTS} segments by hash, each under its
 * own lock; {@link #apply} takes the locks of the segments it touches, in a fixed order, so a batch
 * is atomic.
 */
public final class InMemoryPendingStore implements PendingStore {

    /** Entries per namespace unless told otherwise. */
    public static final long DEFAULT_CAPACITY = 1_000_000;
    /** How long a prediction waits for its actual value unless told otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    static final int SEGMENTS = 16;

    private static final byte EMPTY = 0;
    private static final byte PENDING = 1;
    private static final byte JOINED = 2;
    private static final byte EXPIRED = 3;
    private static final int KIND = 3;
    private static final int PREDICTION_BIT = 4;
    private static final int ACTUAL_BIT = 8;

    private final long capacity;
    private final int capacityPerSegment;
    private final long ttlSeconds;
    /** Expiry times are kept as seconds since 2000-01-01T00:00:00Z in an int: until 2068. */
    private static final long BASE_SECONDS = 946_684_800L;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final AtomicInteger namespaceOrdinals = new AtomicInteger();
    private final Map<String, UnmatchedListener> listeners = new ConcurrentHashMap<>();

    /** A store with {@link #DEFAULT_CAPACITY} and {@link #DEFAULT_TTL}. */
    public InMemoryPendingStore() {
        this(DEFAULT_CAPACITY, DEFAULT_TTL);
    }

    /**
     * @param capacity the most entries per namespace, from {@value #SEGMENTS} to 2^31 - 1
     * @param ttl how long a prediction waits for its actual value: whole seconds, 1 s to 365 days
     * @throws IllegalArgumentException if a setting is out of range
     */
    public InMemoryPendingStore(long capacity, Duration ttl) {
        if (capacity < SEGMENTS || capacity > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("capacity must be between " + SEGMENTS + " and " + Integer.MAX_VALUE
                    + ", got " + capacity);
        }
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofDays(365)) > 0 || ttl.getNano() != 0) {
            throw new IllegalArgumentException("ttl must be whole seconds from 1s to 365 days, got " + ttl);
        }
        this.capacity = capacity;
        this.capacityPerSegment = (int) ((capacity + SEGMENTS - 1) / SEGMENTS);
        this.ttlSeconds = ttl.getSeconds();
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
        UnmatchedListener listener = listeners.get(namespace);
        if (count > 0 && listener != null) {
            listener.unmatched(reason, count);
        }
    }

    @Override
    public Applied apply(List<JoinOperation> operations, long nowMillis) {
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
            IdHash.hash(operation.id(), ns[i].seed, hash);
            hi[i] = hash[0];
            lo[i] = hash[0] == 0 && hash[1] == 0 ? 1 : hash[1]; // the all-zero key marks an empty slot
            Segment segment = ns[i].segment(lo[i]);
            if (!touched.contains(segment)) {
                touched.add(segment);
            }
        }
        // A fixed order (namespace, then segment) so that concurrent batches cannot deadlock.
        touched.sort((a, b) -> a.order != b.order ? Long.compare(a.order, b.order) : 0);
        Counts unmatched = new Counts();
        List<JoinResult> results = new ArrayList<>(count);
        touched.forEach(segment -> segment.lock.lock());
        try {
            for (Segment segment : touched) {
                unmatched.add(segment.owner, UnmatchedReason.EXPIRED, segment.sweep(now));
            }
            // First decide every operation, seeing the batch's earlier ones, and change nothing...
            Map<Key, Byte> decided = count == 1 ? null : new HashMap<>();
            byte[] next = new byte[count];
            for (int i = 0; i < count; i++) {
                Segment segment = ns[i].segment(lo[i]);
                Key key = decided == null ? null : new Key(ns[i], hi[i], lo[i]);
                Byte overlay = key == null ? null : decided.get(key);
                byte current = overlay != null ? overlay : segment.flags(hi[i], lo[i]);
                JoinOperation operation = operations.get(i);
                JoinResult result = decide(current, operation);
                if (result.outcome() == JoinOutcome.CONFLICT) {
                    return Applied.conflictAt(i);
                }
                results.add(result);
                next[i] = after(current, operation, result.outcome());
                if (key != null) {
                    decided.put(key, next[i]);
                }
            }
            // ...then apply them all.
            for (int i = 0; i < count; i++) {
                JoinOutcome outcome = results.get(i).outcome();
                if (outcome == JoinOutcome.PENDING || outcome == JoinOutcome.MATCHED) {
                    Segment segment = ns[i].segment(lo[i]);
                    unmatched.add(ns[i], UnmatchedReason.EVICTED, segment.put(hi[i], lo[i], next[i], now + (int) ttlSeconds));
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

    /** The outcome of one operation on an entry in state {@code current}. */
    private static JoinResult decide(byte current, JoinOperation operation) {
        int kind = current & KIND;
        int storedPrediction = (current & PREDICTION_BIT) != 0 ? 1 : 0;
        int storedActual = (current & ACTUAL_BIT) != 0 ? 1 : 0;
        boolean known = kind == PENDING || kind == JOINED;
        if (!operation.hasActual()) {
            if (!known) {
                return JoinResult.of(JoinOutcome.PENDING);
            }
            return storedPrediction == operation.prediction() ? JoinResult.of(JoinOutcome.DUPLICATE)
                    : JoinResult.of(JoinOutcome.CONFLICT);
        }
        if (!operation.hasPrediction()) {
            return switch (kind) {
                case PENDING -> JoinResult.matched(storedPrediction, operation.actual());
                case JOINED -> storedActual == operation.actual() ? JoinResult.of(JoinOutcome.DUPLICATE)
                        : JoinResult.of(JoinOutcome.CONFLICT);
                case EXPIRED -> JoinResult.of(JoinOutcome.EXPIRED);
                default -> JoinResult.of(JoinOutcome.UNKNOWN);
            };
        }
        return switch (kind) {
            case PENDING -> storedPrediction == operation.prediction()
                    ? JoinResult.matched(operation.prediction(), operation.actual())
                    : JoinResult.of(JoinOutcome.CONFLICT);
            case JOINED -> storedPrediction == operation.prediction() && storedActual == operation.actual()
                    ? JoinResult.of(JoinOutcome.DUPLICATE) : JoinResult.of(JoinOutcome.CONFLICT);
            default -> JoinResult.matched(operation.prediction(), operation.actual());
        };
    }

    /** The entry's state after an operation with that outcome. */
    private static byte after(byte current, JoinOperation operation, JoinOutcome outcome) {
        return switch (outcome) {
            case PENDING -> flags(PENDING, operation.prediction(), 0);
            case MATCHED -> flags(JOINED, operation.hasPrediction() ? operation.prediction()
                    : (current & PREDICTION_BIT) != 0 ? 1 : 0, operation.actual());
            default -> current;
        };
    }

    private static byte flags(byte kind, int prediction, int actual) {
        return (byte) (kind | (prediction == 1 ? PREDICTION_BIT : 0) | (actual == 1 ? ACTUAL_BIT : 0));
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

        Namespace(String name, int ordinal) {
            this.name = name;
            this.seed = IdHash.seed(name);
            for (int i = 0; i < SEGMENTS; i++) {
                segments[i] = new Segment(this, (long) ordinal * SEGMENTS + i);
            }
        }

        Segment segment(long lo) {
            return segments[(int) (lo >>> 60) & (SEGMENTS - 1)];
        }
    }

    /**
     * One segment: an open-addressing table with linear probing over 128-bit keys (indexed by the
     * low half), and a ring of (low half, expiry) in insertion order. A slot's two key halves sit
     * side by side, so a probe reads one cache line; the all-zero key marks an empty slot (a hash
     * that comes out as zero is stored as 1). Guarded by {@link #lock}.
     */
    private final class Segment {
        final ReentrantLock lock = new ReentrantLock();
        final Namespace owner;
        final long order;
        /** keys[2 * slot] is the high half, keys[2 * slot + 1] the low half; both 0 when empty. */
        long[] keys = new long[32];
        int[] expiries = new int[16];
        byte[] flagsOf = new byte[16];
        int size;
        volatile int pending;
        long[] ringLo = new long[16];
        int[] ringExpiry = new int[16];
        /** Ring positions: entries before head are gone; between head and cursor, expired ones are marked. */
        long head;
        long cursor;
        long tail;

        Segment(Namespace owner, long order) {
            this.owner = owner;
            this.order = order;
        }

        byte flags(long hi, long lo) {
            int slot = find(hi, lo);
            return slot < 0 ? EMPTY : flagsOf[slot];
        }

        /** Stores or updates an entry; returns how many pending predictions were evicted to make room. */
        long put(long hi, long lo, byte flags, int expiry) {
            int slot = find(hi, lo);
            if (slot >= 0) {
                int kind = flagsOf[slot] & KIND;
                if (kind == PENDING && (flags & KIND) != PENDING) {
                    pending--;
                }
                if (kind == EXPIRED) {
                    // A new prediction for an id whose old one expired: a new entry in time.
                    expiries[slot] = expiry;
                    push(lo, expiry);
                    if ((flags & KIND) == PENDING) {
                        pending++;
                    }
                }
                flagsOf[slot] = flags;
                return 0;
            }
            long evicted = 0;
            while (size >= capacityPerSegment) {
                evicted += evictOldest();
            }
            if ((size + 1) * 4L > slots() * 3L) {
                grow();
            }
            insert(hi, lo, flags, expiry);
            size++;
            if ((flags & KIND) == PENDING) {
                pending++;
            }
            push(lo, expiry);
            return evicted;
        }

        /** Marks expired predictions (returning how many) and forgets ids past their horizon. */
        long sweep(int now) {
            long expired = 0;
            while (cursor < tail && ringExpiry[index(cursor)] <= now) {
                int slot = findRecord(cursor);
                if (slot >= 0 && (flagsOf[slot] & KIND) == PENDING) {
                    flagsOf[slot] = (byte) ((flagsOf[slot] & ~KIND) | EXPIRED);
                    pending--;
                    expired++;
                }
                cursor++;
            }
            while (head < cursor && ringExpiry[index(head)] + ttlSeconds <= now) {
                int slot = findRecord(head);
                if (slot >= 0) {
                    remove(slot);
                }
                head++;
            }
            return expired;
        }

        /** Removes the oldest entry; returns 1 if it was a pending prediction, which then counts as evicted. */
        private long evictOldest() {
            while (head < tail) {
                int slot = findRecord(head);
                head++;
                if (cursor < head) {
                    cursor = head;
                }
                if (slot >= 0) {
                    boolean wasPending = (flagsOf[slot] & KIND) == PENDING;
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
            return expiries.length;
        }

        private boolean empty(int slot) {
            return keys[2 * slot] == 0 && keys[2 * slot + 1] == 0;
        }

        /** The slot of the entry a ring record stands for, or -1 if it is gone (or stored anew since). */
        private int findRecord(long position) {
            long lo = ringLo[index(position)];
            int expiry = ringExpiry[index(position)];
            int mask = slots() - 1;
            for (int slot = (int) lo & mask; !empty(slot); slot = (slot + 1) & mask) {
                if (keys[2 * slot + 1] == lo && expiries[slot] == expiry) {
                    return slot;
                }
            }
            return -1;
        }

        private int find(long hi, long lo) {
            int mask = slots() - 1;
            for (int slot = (int) lo & mask; !empty(slot); slot = (slot + 1) & mask) {
                if (keys[2 * slot + 1] == lo && keys[2 * slot] == hi) {
                    return slot;
                }
            }
            return -1;
        }

        private void insert(long hi, long lo, byte flags, int expiry) {
            int mask = slots() - 1;
            int slot = (int) lo & mask;
            while (!empty(slot)) {
                slot = (slot + 1) & mask;
            }
            keys[2 * slot] = hi;
            keys[2 * slot + 1] = lo;
            expiries[slot] = expiry;
            flagsOf[slot] = flags;
        }

        /** Removes an entry, shifting later entries of its probe run back so that none is lost. */
        private void remove(int slot) {
            int mask = slots() - 1;
            int hole = slot;
            for (int next = (hole + 1) & mask; !empty(next); next = (next + 1) & mask) {
                int home = (int) keys[2 * next + 1] & mask;
                // Move the entry at next into the hole unless its home lies cyclically in (hole, next].
                boolean stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
                if (!stays) {
                    keys[2 * hole] = keys[2 * next];
                    keys[2 * hole + 1] = keys[2 * next + 1];
                    expiries[hole] = expiries[next];
                    flagsOf[hole] = flagsOf[next];
                    hole = next;
                }
            }
            keys[2 * hole] = 0;
            keys[2 * hole + 1] = 0;
            flagsOf[hole] = EMPTY;
            size--;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldExpiries = expiries;
            byte[] oldFlags = flagsOf;
            int length = oldExpiries.length * 2;
            keys = new long[2 * length];
            expiries = new int[length];
            flagsOf = new byte[length];
            for (int i = 0; i < oldExpiries.length; i++) {
                if (oldKeys[2 * i] != 0 || oldKeys[2 * i + 1] != 0) {
                    insert(oldKeys[2 * i], oldKeys[2 * i + 1], oldFlags[i], oldExpiries[i]);
                }
            }
        }

        private void push(long lo, int expiry) {
            if (tail - head == ringLo.length) {
                int length = ringLo.length * 2;
                long[] newLo = new long[length];
                int[] newExpiry = new int[length];
                for (long p = head; p < tail; p++) {
                    newLo[(int) (p & (length - 1))] = ringLo[index(p)];
                    newExpiry[(int) (p & (length - 1))] = ringExpiry[index(p)];
                }
                ringLo = newLo;
                ringExpiry = newExpiry;
            }
            ringLo[index(tail)] = lo;
            ringExpiry[index(tail)] = expiry;
            tail++;
        }

        private int index(long position) {
            return (int) (position & (ringLo.length - 1));
        }
    }

    @Override
    public String toString() {
        return "InMemoryPendingStore[capacity=" + capacity + " per namespace, ttl=" + ttl() + "]";
    }
}
