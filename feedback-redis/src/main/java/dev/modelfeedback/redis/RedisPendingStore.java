package dev.modelfeedback.redis;

import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.JoinResult;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.join.PendingStoreUnavailableException;
import dev.modelfeedback.core.join.UnmatchedListener;
import dev.modelfeedback.core.join.UnmatchedReason;
import dev.modelfeedback.core.scores.Scores;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PendingStore} in Redis, shared by every replica of a model server and kept across
 * restarts: a prediction stored through one replica is joined, exactly once, by its actual value
 * sent to any replica, and an inline id counted through one is a duplicate on all.
 *
 * <pre>{@code
 * PendingStore store = RedisPendingStore.builder("redis://redis.internal:6379/0")
 *         .password(System.getenv("REDIS_PASSWORD"))   // optional; never in the URI
 *         .ttl(Duration.ofDays(30))
 *         .build();
 * ModelSet models = ModelSet.builder(registry).model("fraud", "v3").pendingStore(store).build();
 * // ... and store.close() when the server stops.
 * }</pre>
 *
 * <p><b>Semantics</b> are those of {@link dev.modelfeedback.core.join.InMemoryPendingStore}:
 * the same outcomes; a prediction waits for the time-to-live, then counts as expired once (across
 * replicas: whichever replica's operation or sweep notices it); every id is remembered for twice the
 * time-to-live after it was first stored. Time is the caller's ({@code nowMillis}), so replicas'
 * clocks should agree (NTP) to within the precision wanted of expiry; it is kept in whole seconds
 * from 1970 to 2^39 s after (about the year 19,400), and a time outside counts as the nearer end.
 * Predictions and actual values are class indices from 0 to 31
 * ({@link JoinOperation#MAX_CLASSES}), binary ones 0 and 1. A prediction's scores are kept with it,
 * exactly, until its id is forgotten, and judged as the in-memory store judges them: a repeat with
 * other scores conflicts, and a join hands the stored scores back. This store keeps scores of any
 * size; a recorder gives a namespace only its model's kind.
 *
 * <p><b>Capacity.</b> A namespace holds at most {@link Builder#capacity} ids (pending, joined, or
 * expired and not yet forgotten), {@value PendingStore#DEFAULT_CAPACITY} by default: a new id beyond it makes
 * the oldest leave, and a pending prediction that leaves so is counted as evicted (or as expired,
 * if its time-to-live had passed), once across replicas, as in the in-memory store. The script that
 * stores the id evicts, atomically, from the head of the order of expiry (a per-namespace count,
 * O(log n) per id), so a client that sends new ids without end costs Redis no more memory, but
 * pushes real predictions out: size the capacity above the ids a namespace holds at its peak, and
 * let only trusted clients write. Past the capacity, Redis's {@code maxmemory} is the last bound
 * (configure {@code maxmemory-policy noeviction}): when it is full, batches that would store new
 * ids are refused as unavailable while actual values still join.
 *
 * <p><b>Atomicity.</b> A batch is one Lua script ({@code EVALSHA}): one round trip, decided
 * whole (a conflict writes nothing) and run by Redis alone, so concurrent batches from any number of
 * replicas never interleave.
 *
 * <p><b>Failures.</b> When Redis is down, unreachable, too slow, loading or full, {@link #apply}
 * throws {@link PendingStoreUnavailableException}, and then nothing was applied. A call waits at
 * most the command timeout for its answer; when the wait ends in a way that leaves open whether
 * Redis ran the script (a timeout, a connection broken while it was in flight: the replica or the
 * network stalled after Redis ran it), the store asks, for at most as long again, and only then
 * answers:
 * <ul>
 *   <li>Every call carries an operation id (random per store, then a counter). The script that
 *       applies it records its reply under that id in the same atomic step
 *       ({@code mf:#op:<second>}, a small hash), and the caller deletes the record once it has read
 *       the reply, so records live only while calls are in flight (at most {@link #RESULT_RETENTION}
 *       plus twice the timeout).
 *   <li>After a wait that ended so, a second script ({@code resolve.lua}) returns the recorded reply
 *       if the operation ran, and the call returns it, to be counted, as if it had come in time;
 *       if it did not run, the script claims the id, so that the operation, should it still reach
 *       Redis (from a broken connection's buffers), refuses to run, and the call throws: nothing was
 *       applied, and nothing will be.
 *   <li>A script that starts more than half the timeout after it was sent also refuses to run (it
 *       compares Redis's clock with a deadline from this process's estimate of that clock), so
 *       that an operation whose question could not be asked is not applied late either.
 * </ul>
 * One case remains: Redis ran the script and then could not be asked within the second timeout
 * (it stalled or became unreachable right after); the call throws saying that whether it ran is
 * unknown, and logs it. The connection comes back by itself. {@link #pending} and {@link #sweep}
 * never throw and never wait.
 *
 * <p><b>Keys</b> (prefix {@code mf:} by default, then the namespace, {@code name@version}): a hash
 * per namespace ({@code mf:fraud@v3}: its layout, pending count, count of listed entries and expiry
 * cursor); the ids in buckets ({@code mf:fraud@v3:03fa}: small hashes from an 80-bit digest of the
 * id to its entry, about 128 each at {@link Builder#expectedIds}); and the order of
 * expiry, one list of digests per minute of expiry times ({@code mf:fraud@v3:q:1767312000}) indexed
 * by a sorted set ({@code mf:fraud@v3:q}). About 38 bytes of Redis memory per id; with a binary
 * model's score 52, with four classes' scores 79 (measured). Every key expires by itself when no
 * replica has written to it for twice the time-to-live.
 *
 * <p><b>Entries.</b> An id's entry is one integer of its expiry in seconds, its state, and the
 * class indices p of its prediction and a of its actual value: {@code expiry * 8 + state} where
 * both are 0 or 1 (state 1 + p pending, 3 expired, 4 + 2p + a joined), and a negative number
 * where one is 2 to 31: {@code -((expiry * 1024 + p) * 8 + 7)} pending,
 * {@code -((expiry * 1024 + 32a + p) * 8 + 5)} joined. An expired entry keeps no class, so it is
 * always {@code expiry * 8 + 3}. Every entry is below 2^53, exact as a number in the scripts, and
 * a 64-bit integer in Redis's compact hash either way: a class index costs nothing per entry, a
 * pending prediction of a 32-class model takes the same 38 bytes of Redis memory as a binary one.
 *
 * <p><b>Scores.</b> A pending or joined entry whose prediction came with scores is that integer in
 * decimal, a NUL byte, then each probability's 64 bits ({@link Double#doubleToRawLongBits},
 * big-endian): exact, and compared by the scripts as bytes. An entry without scores is the integer
 * alone, byte for byte as before scores; an expired entry keeps no scores. A binary model's
 * score makes an entry 20 bytes of text (14 more bytes of Redis memory per id); up to six classes'
 * scores keep it within Redis's {@code hash-max-listpack-value} (64 bytes by default), so the
 * buckets stay compact. Beyond six classes, buckets become hash tables (about 156 bytes per id for
 * seven classes, measured); raising {@code hash-max-listpack-value} to 128 keeps up to fourteen
 * classes' entries compact (108 bytes per id for seven, measured).
 *
 * <p><b>Upgrading</b> from the version whose values were only 0 and 1: that version wrote the
 * binary entries exactly as this one does, so this one reads its entries with their meaning and
 * replicas of both can share one Redis during a rolling upgrade. It cannot read an entry with a
 * class index of 2 or more: it takes it for an id it has forgotten (counting a pending one as
 * expired, once). Give a model more than two classes only once every replica runs this version.
 * A version before scores reads an entry with scores as the same entry without them (Lua's
 * {@code tonumber} stops at the NUL byte): it judges a repeat by the class alone, counts a join
 * without the scores, and drops them when it rewrites the entry (a join, an expiry), after which a
 * retry that carries them conflicts. Send scores once every replica runs this version.
 *
 * <p>Thread-safe; one store (one connection) serves a whole process. {@link #close} it on shutdown.
 */
public final class RedisPendingStore implements PendingStore, AutoCloseable {

    /** The key prefix unless told otherwise. */
    public static final String DEFAULT_KEY_PREFIX = "mf:";
    /** How long a call may wait for Redis unless told otherwise. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** How long opening a connection may take unless told otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Ids a namespace holds at most, for sizing the buckets, unless told otherwise (or the capacity). */
    public static final long DEFAULT_EXPECTED_IDS = DEFAULT_CAPACITY;
    /** The most capacity a namespace may be given: 2^40 ids. */
    static final long MAX_CAPACITY = 1L << 40;
    /**
     * How long Redis keeps an operation's result for a caller that stopped waiting for it, beyond
     * twice the command timeout: a caller stalled for up to this long still learns it.
     */
    static final Duration RESULT_RETENTION = Duration.ofMinutes(1);

    /** Ids per bucket at the expected number: Redis keeps a hash of up to 512 small entries compactly. */
    static final int IDS_PER_BUCKET = 128;
    /** The width of one list of the order of expiry, in seconds. */
    static final int SLICE_SECONDS = 60;
    /** Steps of one sweep script: a few milliseconds of Redis's time. */
    static final int SWEEP_BUDGET = 2_000;
    /** Sweep scripts one sweep may run in a row when there is much to do. */
    static final int SWEEP_ROUNDS = 50;

    private static final System.Logger LOG = System.getLogger(RedisPendingStore.class.getName());
    private static final byte[][] NO_KEYS = new byte[0][];
    /** The outcomes by the numbers the scripts answer. */
    private static final JoinOutcome[] OUTCOMES = {JoinOutcome.PENDING, JoinOutcome.MATCHED, JoinOutcome.DUPLICATE,
        JoinOutcome.CONFLICT, JoinOutcome.UNKNOWN, JoinOutcome.EXPIRED};
    private static final byte[] OP_KEY = "#op:".getBytes(StandardCharsets.US_ASCII);
    /** A class index in a script's result or entry: 5 bits, 0 to 31 ({@link JoinOperation#MAX_CLASSES} is 32). */
    private static final int CLASS_MASK = 31;
    /**
     * A script's result for an operation: the outcome (3 bits), whether it is counted with scores
     * (1 bit: their bytes follow the results), and if matched the prediction's and the actual's
     * class index (5 bits each), then the seconds its prediction waited + 1 (0 for inline feedback).
     */
    private static final int OUTCOME_MASK = 7;
    private static final long RESULT_SCORED = 8;
    private static final int RESULT_PREDICTION_SHIFT = 4;
    private static final int RESULT_ACTUAL_SHIFT = 9;
    private static final int RESULT_WAITED_SHIFT = 14;
    /**
     * The latest time the scripts are given, in seconds since the epoch (about the year 19,400),
     * so that every expiry stays below 2^40 and every entry below 2^53, exact as a Lua number.
     */
    static final long MAX_SECONDS = 1L << 39;

    private final RedisLocation location;
    private final String keyPrefix;
    private final byte[] prefixBytes;
    private final long ttlSeconds;
    private final Duration commandTimeout;
    private final long timeoutNanos;
    private final int bucketBits;
    private final long capacity;
    private final long retentionMillis;
    private final RedisConnector connector;
    private final Script applyScript = Script.load("apply.lua", false);
    private final Script joinScript = Script.load("apply.lua", true);
    private final Script sweepScript = Script.load("sweep.lua", true);
    // A claim is tiny and must be possible when Redis is full: otherwise a caller could not learn
    // whether its join (which may run then) was applied.
    private final Script resolveScript = Script.load("resolve.lua", true);
    /** Operation ids: this store's random half, then a counter. */
    private final long operationNonce = new SecureRandom().nextLong();
    private final AtomicLong operations = new AtomicLong();
    private final RedisClock redisClock = new RedisClock();
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final Map<String, UnmatchedListener> listeners = new ConcurrentHashMap<>();
    private final Map<String, Boolean> sweeping = new ConcurrentHashMap<>();
    private final AtomicBoolean available = new AtomicBoolean(true);
    private volatile boolean closed;

    private RedisPendingStore(Builder builder) {
        this.location = builder.location;
        this.keyPrefix = builder.keyPrefix;
        this.prefixBytes = keyPrefix.getBytes(StandardCharsets.UTF_8);
        this.ttlSeconds = builder.ttl.getSeconds();
        this.commandTimeout = builder.commandTimeout;
        this.timeoutNanos = commandTimeout.toNanos();
        this.capacity = builder.capacity;
        this.bucketBits = bucketBits(builder.expectedIds > 0 ? builder.expectedIds : builder.capacity);
        this.retentionMillis = RESULT_RETENTION.toMillis() + 2 * commandTimeout.toMillis();
        this.connector = new RedisConnector(location, builder.username, builder.password, commandTimeout,
                builder.connectTimeout);
    }

    /**
     * Starts building a store on the Redis server at {@code uri}.
     *
     * @param uri {@code redis://HOST[:PORT][/DB]} ({@code rediss://} for TLS); port 6379 and database 0
     *     by default; no password in it (see {@link Builder#password})
     * @return a builder with the defaults
     * @throws IllegalArgumentException naming what is wrong with the URI
     */
    public static Builder builder(String uri) {
        return new Builder(RedisLocation.parse(uri));
    }

    /**
     * Checks a URI as {@link #builder} would take it, without connecting.
     *
     * @param uri {@code redis://HOST[:PORT][/DB]} or {@code rediss://...}
     * @return {@code uri}
     * @throws IllegalArgumentException naming what is wrong with the URI
     */
    public static String requireValidUri(String uri) {
        RedisLocation.parse(uri);
        return uri;
    }

    /** The most buckets of a namespace: 2^24, named by six hexadecimal digits. */
    static final int MAX_BUCKET_BITS = 24;

    /** Bucket bits for a namespace of {@code expectedIds}: about {@value #IDS_PER_BUCKET} ids a bucket. */
    static int bucketBits(long expectedIds) {
        long buckets = Math.max(1, (expectedIds + IDS_PER_BUCKET - 1) / IDS_PER_BUCKET);
        return Math.min(MAX_BUCKET_BITS, 64 - Long.numberOfLeadingZeros(buckets - 1));
    }

    @Override
    public Applied apply(List<JoinOperation> operations, long nowMillis) {
        if (operations.isEmpty()) {
            return Applied.of(List.of());
        }
        List<String> namespaces = new ArrayList<>(1);
        int[] namespaceOf = new int[operations.size()];
        boolean storesIds = false;
        for (int i = 0; i < operations.size(); i++) {
            JoinOperation operation = operations.get(i);
            storesIds |= operation.hasPrediction();
            int n = namespaces.size() - 1;
            if (n < 0 || !namespaces.get(n).equals(operation.namespace())) {
                n = namespaces.indexOf(operation.namespace());
                if (n < 0) {
                    n = namespaces.size();
                    namespaces.add(operation.namespace());
                }
            }
            namespaceOf[i] = n;
        }
        if (namespaces.size() > 0xFFFF) {
            throw new IllegalArgumentException("a batch may touch at most 65535 namespaces, got " + namespaces.size());
        }
        long started = System.nanoTime();
        Operation call = nextOperation();
        byte[][] args = arguments(operations, nowMillis, namespaces, namespaceOf, started, call);
        // A batch of actual values alone never grows what is stored: it may run while Redis is full.
        List<Object> reply = runOperation(storesIds ? applyScript : joinScript, args, started, call);
        return decode(reply, namespaces, operations.size());
    }

    /**
     * Where one call of {@link #apply} leaves its result in Redis: field {@code id} of hash
     * {@code key} (the prefix, {@code #op:} and this process's second; no model's namespace
     * begins with {@code #}), until the call has read it.
     */
    private record Operation(byte[] key, byte[] id) {
    }

    private Operation nextOperation() {
        byte[] id = new byte[16];
        long count = operations.incrementAndGet();
        for (int i = 0; i < 8; i++) {
            id[i] = (byte) (operationNonce >>> (56 - 8 * i));
            id[8 + i] = (byte) (count >>> (56 - 8 * i));
        }
        byte[] second = number(System.currentTimeMillis() / 1000);
        byte[] key = new byte[prefixBytes.length + OP_KEY.length + second.length];
        System.arraycopy(prefixBytes, 0, key, 0, prefixBytes.length);
        System.arraycopy(OP_KEY, 0, key, prefixBytes.length, OP_KEY.length);
        System.arraycopy(second, 0, key, prefixBytes.length + OP_KEY.length, second.length);
        return new Operation(key, id);
    }

    /** The arguments of apply.lua, in the order it reads them. */
    private byte[][] arguments(List<JoinOperation> operations, long nowMillis, List<String> namespaces,
            int[] namespaceOf, long started, Operation call) {
        byte[][] args = new byte[11 + namespaces.size() + operations.size()][];
        args[0] = prefixBytes;
        args[1] = number(seconds(nowMillis));
        args[2] = number(ttlSeconds);
        args[3] = number(bucketBits);
        args[4] = number(SLICE_SECONDS);
        args[5] = number(redisClock.redisMillisAt(started + timeoutNanos / 2));
        args[6] = number(capacity);
        args[7] = call.key();
        args[8] = call.id();
        args[9] = number(retentionMillis);
        args[10] = number(namespaces.size());
        for (int n = 0; n < namespaces.size(); n++) {
            args[11 + n] = namespaces.get(n).getBytes(StandardCharsets.UTF_8);
        }
        int first = 11 + namespaces.size();
        for (int i = 0; i < operations.size(); i++) {
            JoinOperation operation = operations.get(i);
            byte[] op = new byte[4 + IdDigest.LENGTH + ScoreBytes.length(operation.scores())];
            op[0] = (byte) (namespaceOf[i] >>> 8);
            op[1] = (byte) namespaceOf[i];
            op[2] = (byte) (operation.prediction() + 1);
            op[3] = (byte) (operation.actual() + 1);
            IdDigest.write(operation.id(), op, 4);
            ScoreBytes.write(operation.scores(), op, 4 + IdDigest.LENGTH);
            args[first + i] = op;
        }
        return args;
    }

    private Applied decode(List<Object> reply, List<String> namespaces, int operations) {
        long status = (Long) reply.get(0);
        if (status == -2) {
            throw down(new PendingStoreUnavailableException("Redis at " + location + " began the operation more than"
                    + " half the command timeout (" + commandTimeout.toMillis() + " ms) after it was sent, and so did"
                    + " not apply it: Redis is overloaded or was stalled"));
        }
        if (status == -3) {
            throw down(new PendingStoreUnavailableException("Redis at " + location + " began the operation after this"
                    + " process had stopped waiting for it, and so did not apply it"));
        }
        if (status == -1) {
            return Applied.conflictAt((int) (long) (Long) reply.get(3));
        }
        int count = (int) (long) (Long) reply.get(3);
        for (int n = 0; n < count; n++) {
            String namespace = namespaces.get(n);
            pendingOf(namespace).set((Long) reply.get(4 + 3 * n));
            tell(namespace, UnmatchedReason.EXPIRED, (Long) reply.get(5 + 3 * n));
            tell(namespace, UnmatchedReason.EVICTED, (Long) reply.get(6 + 3 * n));
        }
        int first = 4 + 3 * count;
        int nextScores = first + operations;
        List<JoinResult> results = new ArrayList<>(operations);
        for (int i = 0; i < operations; i++) {
            long result = (Long) reply.get(first + i);
            JoinOutcome outcome = OUTCOMES[(int) (result & OUTCOME_MASK)];
            if (outcome != JoinOutcome.MATCHED) {
                results.add(JoinResult.of(outcome));
                continue;
            }
            int prediction = (int) (result >>> RESULT_PREDICTION_SHIFT) & CLASS_MASK;
            int actual = (int) (result >>> RESULT_ACTUAL_SHIFT) & CLASS_MASK;
            long waited = (result >>> RESULT_WAITED_SHIFT) - 1;
            Scores scores = (result & RESULT_SCORED) != 0 ? ScoreBytes.read((byte[]) reply.get(nextScores++)) : null;
            results.add(waited < 0 ? JoinResult.matched(prediction, actual, scores)
                    : JoinResult.joined(prediction, actual, waited * 1000, scores));
        }
        return Applied.of(results);
    }

    /** Runs a script, waiting at most the command timeout from {@code started}; loads it first if Redis lost it. */
    private List<Object> run(Script script, byte[][] args, long started) {
        long deadline = started + timeoutNanos;
        try {
            RedisAsyncCommands<byte[], byte[]> commands = connector.commands(deadline, commandTimeout);
            for (int attempt = 0; ; attempt++) {
                long sent = System.nanoTime();
                RedisFuture<List<Object>> call = commands.evalsha(script.sha(), ScriptOutputType.MULTI, NO_KEYS, args);
                try {
                    List<Object> reply = await(call, deadline);
                    redisClock.sample(sent, System.nanoTime(), (Long) reply.get(1), (Long) reply.get(2));
                    up();
                    return reply;
                } catch (ExecutionException e) {
                    if (attempt == 0 && Failures.unwrap(e) instanceof RedisNoScriptException) {
                        await(commands.scriptLoad(script.text()), deadline);
                        continue;
                    }
                    throw e;
                }
            }
        } catch (ExecutionException e) {
            throw down(Failures.unwrap(e) instanceof RedisCommandTimeoutException
                    ? Failures.timedOut(location, commandTimeout) : Failures.translate(e, location, keyPrefix));
        } catch (TimeoutException e) {
            throw down(Failures.timedOut(location, commandTimeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw down(new PendingStoreUnavailableException("interrupted while waiting for Redis at " + location, e));
        } catch (PendingStoreUnavailableException e) {
            throw down(e);
        }
    }

    /**
     * Runs an operation's script, waiting at most the command timeout from {@code started}; when
     * the wait ends without an answer in a way that leaves open whether Redis ran it (a timeout, a
     * broken connection), settles that first ({@link #settle}), so that an operation Redis applied
     * is returned, and counted, rather than reported unavailable.
     */
    private List<Object> runOperation(Script script, byte[][] args, long started, Operation operation) {
        long deadline = started + timeoutNanos;
        RedisAsyncCommands<byte[], byte[]> commands;
        try {
            commands = connector.commands(deadline, commandTimeout);
        } catch (PendingStoreUnavailableException e) {
            throw down(e); // nothing was sent
        }
        long sent = System.nanoTime();
        PendingStoreUnavailableException failure;
        boolean interrupted = false;
        try {
            for (int attempt = 0; ; attempt++) {
                long attemptSent = System.nanoTime();
                RedisFuture<List<Object>> call = commands.evalsha(script.sha(), ScriptOutputType.MULTI, NO_KEYS, args);
                try {
                    List<Object> reply = await(call, deadline);
                    redisClock.sample(attemptSent, System.nanoTime(), (Long) reply.get(1), (Long) reply.get(2));
                    up();
                    acknowledge(commands, operation, reply);
                    return reply;
                } catch (ExecutionException e) {
                    if (attempt == 0 && Failures.unwrap(e) instanceof RedisNoScriptException) {
                        await(commands.scriptLoad(script.text()), deadline);
                        continue;
                    }
                    throw e;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = Failures.unwrap(e);
            if (!Failures.mayHaveRun(cause)) {
                throw down(Failures.translate(e, location, keyPrefix)); // Redis refused it, or it was never sent
            }
            RuntimeException translated = cause instanceof RedisCommandTimeoutException
                    ? Failures.timedOut(location, commandTimeout) : Failures.translate(e, location, keyPrefix);
            if (!(translated instanceof PendingStoreUnavailableException unavailable)) {
                throw translated;
            }
            failure = unavailable;
        } catch (TimeoutException e) {
            failure = Failures.timedOut(location, commandTimeout);
        } catch (InterruptedException e) {
            interrupted = true;
            failure = new PendingStoreUnavailableException("interrupted while waiting for Redis at " + location, e);
        }
        try {
            return settle(operation, sent, failure);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Learns whether Redis ran an operation whose answer never came, within another command
     * timeout: resolve.lua returns the operation's recorded result if it ran, and otherwise
     * claims its id so that it never will (apply.lua refuses a claimed id). The result is
     * returned as if it had come in time; a claim throws {@code failure}: nothing was applied.
     *
     * <p>Redis keeps a result for {@link #retentionMillis} after it ran, so "no result" means
     * "never ran" only when the answer to the question comes within that time of the operation
     * being sent. If Redis cannot be asked in time (it stays unreachable) or answers too late, the
     * outcome is unknown: this throws, saying so, and logs it.
     */
    private List<Object> settle(Operation operation, long sentNanos, PendingStoreUnavailableException failure) {
        long until = System.nanoTime() + timeoutNanos;
        byte[][] args = {operation.key(), operation.id(), number(retentionMillis)};
        Throwable lastFailure = failure;
        while (!closed) {
            List<Object> reply = null;
            try {
                RedisAsyncCommands<byte[], byte[]> commands = connector.commands(until, commandTimeout);
                reply = await(evalsha(commands, resolveScript, args).toCompletableFuture(), until);
                if ((Long) reply.get(0) != -3) {
                    up();
                    acknowledge(commands, operation, reply);
                    return reply; // it ran: its result, to be counted
                }
            } catch (ExecutionException | TimeoutException | PendingStoreUnavailableException e) {
                lastFailure = e instanceof ExecutionException ? Failures.unwrap(e) : e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lastFailure = e;
                break;
            }
            if (reply != null) {
                if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentNanos) < retentionMillis) {
                    throw down(failure); // it did not run, and never will: nothing was applied
                }
                lastFailure = new TimeoutException("Redis answered after its results are kept");
                break;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                break;
            }
            // Disconnected: Lettuce reconnects in the background, 50 ms to 1 s apart.
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
        }
        String why = lastFailure == failure || lastFailure instanceof TimeoutException
                || lastFailure instanceof RedisCommandTimeoutException ? "" : " (" + lastFailure.getMessage() + ")";
        PendingStoreUnavailableException unknown = new PendingStoreUnavailableException(failure.getMessage()
                + ", nor, within as long again, to the question whether it ran the operation" + why
                + ": if it ran, it is not counted, and a retry is answered as a duplicate", failure);
        LOG.log(Level.WARNING, "{0}", unknown.getMessage());
        throw down(unknown);
    }

    /** Lets Redis forget an operation's result, now that it has been read: one command, not waited for. */
    private static void acknowledge(RedisAsyncCommands<byte[], byte[]> commands, Operation operation,
            List<Object> reply) {
        long status = (Long) reply.get(0);
        if (status == 0 || status == -1) {
            commands.hdel(operation.key(), operation.id());
        }
    }

    private static <T> T await(Future<T> call, long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            return call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(false);
            throw e;
        }
    }

    private void up() {
        if (!available.get() && available.compareAndSet(false, true)) {
            LOG.log(Level.INFO, "Redis at {0} is available again: the pending store serves requests", location);
        }
    }

    private RuntimeException down(RuntimeException failure) {
        if (failure instanceof PendingStoreUnavailableException && available.compareAndSet(true, false)) {
            LOG.log(Level.WARNING, "{0}; requests that need the pending store fail until Redis is back",
                    failure.getMessage());
        }
        return failure;
    }

    private AtomicLong pendingOf(String namespace) {
        AtomicLong count = pending.get(namespace);
        return count != null ? count : pending.computeIfAbsent(namespace, n -> new AtomicLong());
    }

    private void tell(String namespace, UnmatchedReason reason, long count) {
        if (count > 0) {
            UnmatchedListener listener = listeners.get(namespace);
            if (listener != null) {
                listener.unmatched(reason, count);
            }
        }
    }

    /** Every replica sees the same entries: each one's pending count is the namespace's total. */
    @Override
    public boolean shared() {
        return true;
    }

    /**
     * Predictions of the namespace waiting for their actual values, across every replica: the count
     * Redis returned to this process's last operation or sweep on it (about once a second). Never
     * waits for Redis; 0 until this process has heard of the namespace.
     */
    @Override
    public long pending(String namespace) {
        AtomicLong count = pending.get(namespace);
        return count == null ? 0 : count.get();
    }

    @Override
    public void onUnmatched(String namespace, UnmatchedListener listener) {
        listeners.put(Objects.requireNonNull(namespace, "namespace"), Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Starts sweeping the namespace in the background and returns at once (the caller may be a
     * clock's thread that must not wait): notices the predictions past their time-to-live, telling
     * the listener, forgets the ids past their horizon and refreshes {@link #pending}. Does nothing
     * if a sweep of the namespace is still running; a failure is logged (once per outage) and the
     * next sweep tries again. Does nothing once the store is closed.
     */
    @Override
    public void sweep(String namespace, long nowMillis) {
        if (closed || sweeping.putIfAbsent(namespace, Boolean.TRUE) != null) {
            return;
        }
        try {
            RedisAsyncCommands<byte[], byte[]> commands = connector.commandsNow();
            if (commands == null) {
                sweeping.remove(namespace); // still connecting: the next tick sweeps
                return;
            }
            sweepRounds(commands, namespace, nowMillis, SWEEP_ROUNDS).whenComplete((ignored, failure) -> {
                sweeping.remove(namespace);
                if (failure != null) {
                    down(Failures.translate(failure, location, keyPrefix));
                }
            });
        } catch (RuntimeException e) {
            sweeping.remove(namespace);
            down(e instanceof PendingStoreUnavailableException ? e : Failures.translate(e, location, keyPrefix));
        }
    }

    private CompletionStage<Void> sweepRounds(RedisAsyncCommands<byte[], byte[]> commands, String namespace,
            long nowMillis, int rounds) {
        byte[][] args = sweepArgs(namespace, nowMillis);
        long sent = System.nanoTime();
        return evalsha(commands, sweepScript, args).thenCompose(reply -> {
            redisClock.sample(sent, System.nanoTime(), (Long) reply.get(1), (Long) reply.get(2));
            up();
            pendingOf(namespace).set((Long) reply.get(3));
            tell(namespace, UnmatchedReason.EXPIRED, (Long) reply.get(4));
            return (Long) reply.get(5) == 1 && rounds > 1 ? sweepRounds(commands, namespace, nowMillis, rounds - 1)
                    : CompletableFuture.<Void>completedFuture(null);
        });
    }

    private CompletionStage<List<Object>> evalsha(RedisAsyncCommands<byte[], byte[]> commands, Script script,
            byte[][] args) {
        RedisFuture<List<Object>> call = commands.evalsha(script.sha(), ScriptOutputType.MULTI, NO_KEYS, args);
        return call.handle((reply, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(reply);
            }
            if (Failures.unwrap(failure) instanceof RedisNoScriptException) {
                return commands.scriptLoad(script.text()).thenCompose(sha ->
                        commands.<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, NO_KEYS, args));
            }
            return CompletableFuture.<List<Object>>failedFuture(failure);
        }).thenCompose(stage -> stage);
    }

    /**
     * Sweeps the namespace now and waits for it (see {@link #sweep}): for operators and tests that
     * need expiry counted before they go on.
     *
     * @param namespace the model's namespace
     * @param nowMillis the current time
     * @return how many predictions this sweep found expired (and told the listener of)
     * @throws PendingStoreUnavailableException if Redis cannot be reached; sweeping is idempotent,
     *     so a partial sweep is finished by the next one
     */
    public long sweepNow(String namespace, long nowMillis) {
        long expired = 0;
        for (int round = 0; round < SWEEP_ROUNDS * 100; round++) {
            List<Object> reply = run(sweepScript, sweepArgs(namespace, nowMillis), System.nanoTime());
            pendingOf(namespace).set((Long) reply.get(3));
            long found = (Long) reply.get(4);
            tell(namespace, UnmatchedReason.EXPIRED, found);
            expired += found;
            if ((Long) reply.get(5) == 0) {
                break;
            }
        }
        return expired;
    }

    private byte[][] sweepArgs(String namespace, long nowMillis) {
        return new byte[][] {prefixBytes, namespace.getBytes(StandardCharsets.UTF_8),
            number(seconds(nowMillis)), number(ttlSeconds), number(SWEEP_BUDGET)};
    }

    /** The time the scripts are given: whole seconds since the epoch, from 0 to {@link #MAX_SECONDS}. */
    static long seconds(long nowMillis) {
        return Math.min(MAX_SECONDS, Math.max(0, Math.floorDiv(nowMillis, 1000)));
    }

    private static byte[] number(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** Where the store keeps its data. */
    public String location() {
        return location.toString();
    }

    /** The prefix of every key the store writes. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** How long a prediction waits for its actual value. */
    public Duration ttl() {
        return Duration.ofSeconds(ttlSeconds);
    }

    /** The most ids a namespace holds. */
    public long capacity() {
        return capacity;
    }

    /** How long a call may wait for Redis. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Whether the connection to Redis is open now. */
    public boolean isConnected() {
        return connector.isConnected();
    }

    /** Closes the connection and stops the client's threads; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
        connector.close();
    }

    @Override
    public String toString() {
        return "RedisPendingStore[" + location + ", prefix '" + keyPrefix + "', capacity=" + capacity
                + " per namespace, ttl=" + ttl() + "]";
    }

    /**
     * Settings of a {@link RedisPendingStore}; each is checked when set.
     *
     * <p>Not thread-safe; use it from one thread, then {@link #build()}.
     */
    public static final class Builder {

        private final RedisLocation location;
        private @Nullable String username;
        private char @Nullable [] password;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration ttl = DEFAULT_TTL;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private long capacity = DEFAULT_CAPACITY;
        /** 0 until set: then the capacity. */
        private long expectedIds;

        private Builder(RedisLocation location) {
            this.location = location;
        }

        /**
         * The password ({@code AUTH}); none by default. Take it from an environment variable or a
         * secret file, never from the command line.
         *
         * @param password the password, or {@code null} (or empty) for none
         * @return this builder
         */
        public Builder password(@Nullable CharSequence password) {
            this.password = password == null || password.length() == 0 ? null : password.toString().toCharArray();
            return this;
        }

        /**
         * The user of an access-control list ({@code AUTH username password}); the default user by default.
         *
         * @param username the user, or {@code null} for the default user
         * @return this builder
         * @throws IllegalArgumentException if it is empty
         */
        public Builder username(@Nullable String username) {
            if (username != null && username.isEmpty()) {
                throw new IllegalArgumentException("username must not be empty; pass null for the default user");
            }
            this.username = username;
            return this;
        }

        /**
         * The prefix of every key; {@value #DEFAULT_KEY_PREFIX} by default. Give each deployment
         * that shares a Redis database its own (every replica of one deployment the same).
         *
         * @param prefix 1 to 64 printable ASCII characters, no spaces
         * @return this builder
         * @throws IllegalArgumentException if it breaks those rules
         */
        public Builder keyPrefix(String prefix) {
            if (prefix == null || prefix.isEmpty() || prefix.length() > 64
                    || !prefix.chars().allMatch(c -> c > ' ' && c < 127)) {
                throw new IllegalArgumentException("keyPrefix must be 1 to 64 printable ASCII characters without spaces, got "
                        + (prefix == null ? "null" : "'" + prefix + "'"));
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * How long a prediction waits for its actual value; {@link PendingStore#DEFAULT_TTL} by default. Ids are
         * remembered for twice as long.
         *
         * @param ttl whole seconds, 1 s to 365 days
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofDays(365)) > 0 || ttl.getNano() != 0) {
                throw new IllegalArgumentException("ttl must be whole seconds from 1s to 365 days, got " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * How long one call may wait for Redis before it fails as unavailable;
         * {@link #DEFAULT_COMMAND_TIMEOUT} by default: ten times what a stall of a healthy Redis
         * lasts (a fork for a snapshot, a slow fsync), and well under the timeouts of HTTP clients,
         * so that they get a clear 503 rather than their own timeout.
         *
         * @param timeout 10 ms to 60 s
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = checked("commandTimeout", timeout);
            return this;
        }

        /**
         * How long opening a connection may take; {@link #DEFAULT_CONNECT_TIMEOUT} by default.
         *
         * @param timeout 10 ms to 60 s
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = checked("connectTimeout", timeout);
            return this;
        }

        /**
         * The most ids one namespace (model) holds, as the in-memory store's capacity:
         * {@link PendingStore#DEFAULT_CAPACITY} by default. Every id stored (pending, joined, or expired and
         * not yet forgotten) counts until its horizon; when a new one would exceed the capacity,
         * the oldest leaves, and a pending prediction that leaves so counts as evicted
         * ({@code feedback_unmatched_total{reason="evicted"}}), once, across replicas. It bounds the
         * Redis memory a namespace can take, also against a client that sends many new ids: size it
         * at least predictions per second × 2 × the time-to-live, with headroom, so that real
         * predictions are never evicted. Give every replica the same.
         *
         * @param ids 1 to 2^40
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder capacity(long ids) {
            if (ids < 1 || ids > MAX_CAPACITY) {
                throw new IllegalArgumentException("capacity must be between 1 and 2^40, got " + ids);
            }
            this.capacity = ids;
            return this;
        }

        /**
         * How many ids one namespace is sized for: predictions per second × 2 × the time-to-live;
         * the {@link #capacity} unless set. Sizes the buckets (about {@value #IDS_PER_BUCKET} ids
         * each) when a namespace is first used; every replica then uses the layout stored in
         * Redis. Up to four times as many ids stay compact; more work, at about twice the memory
         * per id.
         *
         * @param ids 1 to 2^40
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder expectedIds(long ids) {
            if (ids < 1 || ids > 1L << 40) {
                throw new IllegalArgumentException("expectedIds must be between 1 and 2^40, got " + ids);
            }
            this.expectedIds = ids;
            return this;
        }

        private static Duration checked(String name, Duration timeout) {
            Objects.requireNonNull(timeout, name);
            if (timeout.compareTo(Duration.ofMillis(10)) < 0 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException(name + " must be from 10 ms to 60 s, got " + timeout);
            }
            return timeout;
        }

        /**
         * Builds the store and starts connecting in the background: it does not wait for Redis,
         * and works as soon as Redis answers.
         *
         * @return the store
         */
        public RedisPendingStore build() {
            return new RedisPendingStore(this);
        }
    }
}
