package dev.modelfeedback.redis.bench;

import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.JoinResult;
import dev.modelfeedback.core.scores.Scores;
import dev.modelfeedback.redis.RedisPendingStore;
import dev.modelfeedback.redis.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Redis memory per pending prediction: starts a redis-server of its own, stores N predictions
 * under 36-character UUID-shaped ids, and reports {@code INFO memory}'s {@code used_memory}
 * before and after divided by N, with {@code MEMORY USAGE} of one key of each kind.
 *
 * <pre>
 * mvn -q -B -pl feedback-redis -Pbench test -DskipTests \
 *     -Dbench.main=dev.modelfeedback.redis.bench.RedisMemory -Dbench.args="1000000 86400"
 * </pre>
 *
 * Arguments: the number of predictions (1,000,000), and the seconds over which they are stored
 * (86,400: a day, one per 86 ms, as a model with a 24-hour time-to-live holds them; 0: all at
 * once). With a third argument {@code keys}, also stores the same ids as one string key each
 * ({@code SET key value PX ttl}, the obvious layout) for comparison; with {@code flood}, then
 * stores as many new ids again into the full namespace (capacity N), as a client flooding the
 * store would, and reports the memory after they evicted the first N. With {@code classes=K}
 * (2 to 32), the i-th prediction is of class i mod K, as a model of K classes stores them
 * (otherwise i mod 2, binary): {@code classes=32} stores 30 in 32 with a class index of 2 or more.
 * With {@code scores} (after any of those), each prediction carries the model's scores: a random
 * probability for a binary model, K random probabilities for {@code classes=K}; with
 * {@code listpack-value=N}, the server's {@code hash-max-listpack-value} is N (64 by default), as an
 * operator may raise it so that buckets of entries with more than six classes' scores stay compact.
 */
public final class RedisMemory {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String NS = "fraud@v3";

    private RedisMemory() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long spreadSeconds = args.length > 1 ? Long.parseLong(args[1]) : 86_400;
        List<String> options = List.of(args).subList(Math.min(2, args.length), args.length);
        boolean compare = options.contains("keys");
        boolean flood = options.contains("flood");
        boolean scored = options.contains("scores");
        int classes = options.stream().filter(o -> o.startsWith("classes=")).mapToInt(o -> Integer.parseInt(o.substring(8)))
                .findFirst().orElse(2);
        if (classes < 2 || classes > JoinOperation.MAX_CLASSES) {
            throw new IllegalArgumentException("classes must be from 2 to " + JoinOperation.MAX_CLASSES + ", got "
                    + classes);
        }
        try (RedisServer redis = RedisServer.start()) {
            options.stream().filter(o -> o.startsWith("listpack-value=")).findFirst()
                    .ifPresent(o -> redis.call("CONFIG", "SET", "hash-max-listpack-value", o.substring(15)));
            System.out.printf(Locale.ROOT, "redis-server %s, hash-max-listpack-entries %s, hash-max-listpack-value %s,"
                    + " list-max-listpack-size %s%n",
                    redis.call("INFO", "server").lines().filter(l -> l.startsWith("redis_version:")).findFirst()
                            .orElse("?").substring(14),
                    redis.call("CONFIG", "GET", "hash-max-listpack-entries").split("\n")[1],
                    redis.call("CONFIG", "GET", "hash-max-listpack-value").split("\n")[1],
                    redis.call("CONFIG", "GET", "list-max-listpack-size").split("\n")[1]);
            RedisPendingStore store = RedisPendingStore.builder(redis.uri()).capacity(count).build();
            try {
                measure(redis, store, count, spreadSeconds, classes, scored);
                if (flood) {
                    flood(redis, store, count, spreadSeconds);
                }
            } finally {
                store.close();
            }
            if (compare) {
                redis.call("FLUSHALL");
                measureOneKeyPerId(redis, count);
            }
        }
    }

    private static void measure(RedisServer redis, RedisPendingStore store, int count, long spreadSeconds,
            int classes, boolean scored) {
        store.apply(JoinOperation.prediction("warm@up", "warm-up", 1), T0); // scripts loaded, connection made
        long before = usedMemory(redis);
        SplittableRandom random = new SplittableRandom(1);
        long started = System.nanoTime();
        List<JoinOperation> batch = new ArrayList<>(1000);
        for (int i = 0; i < count; i++) {
            batch.add(JoinOperation.prediction(NS, uuid(random), i % classes, scored ? scores(random, classes) : null));
            if (batch.size() == 1000 || i == count - 1) {
                long now = T0 + (spreadSeconds * 1000L * i) / count;
                for (JoinResult result : store.apply(batch, now).results()) {
                    if (result.outcome() != JoinOutcome.PENDING) {
                        throw new IllegalStateException("expected PENDING, got " + result);
                    }
                }
                batch.clear();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long after = usedMemory(redis);
        System.out.printf(Locale.ROOT, "%,d pending predictions of %d classes %s stored over %,d s of their time"
                + " (in %.1f s: %,.0f/s)%n", count, classes, scored ? "with scores" : "without scores", spreadSeconds,
                seconds, count / seconds);
        System.out.printf(Locale.ROOT, "used_memory %,d -> %,d bytes: %,d bytes, %.1f bytes per pending prediction%n",
                before, after, after - before, (after - before) / (double) count);
        System.out.printf(Locale.ROOT, "keys: %s%n", redis.call("INFO", "keyspace").lines()
                .filter(l -> l.startsWith("db0:")).findFirst().orElse("none"));
        String meta = store.keyPrefix() + NS;
        report(redis, "namespace hash " + meta, meta, "HLEN");
        report(redis, "bucket " + meta + ":0000", meta + ":0000", "HLEN");
        report(redis, "bucket " + meta + ":0001", meta + ":0001", "HLEN");
        String firstSlice = redis.call("ZRANGE", meta + ":q", "0", "0");
        report(redis, "expiry list " + meta + ":q:" + firstSlice, meta + ":q:" + firstSlice, "LLEN");
        report(redis, "expiry index " + meta + ":q", meta + ":q", "ZCARD");
        System.out.printf(Locale.ROOT, "encoding of a bucket: %s, of an expiry list: %s%n",
                redis.call("OBJECT", "ENCODING", meta + ":0000"), redis.call("OBJECT", "ENCODING", meta + ":q:" + firstSlice));
    }

    /** As many new ids again, at the end of the spread: each evicts one of the first. */
    private static void flood(RedisServer redis, RedisPendingStore store, int count, long spreadSeconds) {
        long[] evicted = new long[1];
        store.onUnmatched(NS, (reason, n) -> evicted[0] += n);
        long before = usedMemory(redis);
        SplittableRandom random = new SplittableRandom(2);
        List<JoinOperation> batch = new ArrayList<>(1000);
        for (int i = 0; i < count; i++) {
            batch.add(JoinOperation.prediction(NS, uuid(random), i & 1));
            if (batch.size() == 1000 || i == count - 1) {
                store.apply(batch, T0 + spreadSeconds * 1000L);
                batch.clear();
            }
        }
        long after = usedMemory(redis);
        System.out.printf(Locale.ROOT, "flood of %,d new ids at capacity %,d: %,d evicted; used_memory %,d -> %,d bytes"
                + " (%+,d)%n", count, store.capacity(), evicted[0], before, after, after - before);
    }

    private static void report(RedisServer redis, String what, String key, String lengthCommand) {
        long bytes = Long.parseLong(redis.call("MEMORY", "USAGE", key, "SAMPLES", "0"));
        long length = Long.parseLong(redis.call(lengthCommand, key));
        System.out.printf(Locale.ROOT, "MEMORY USAGE %s: %,d bytes for %,d entries (%.1f per entry)%n", what, bytes,
                length, bytes / (double) Math.max(1, length));
    }

    /** The obvious layout, for comparison: one string key per id, with its own expiry. */
    private static void measureOneKeyPerId(RedisServer redis, int count) throws Exception {
        long before = usedMemory(redis);
        SplittableRandom random = new SplittableRandom(1);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", redis.port())) {
            java.io.OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
            for (int from = 0; from < count; from += 1000) {
                int batch = Math.min(1000, count - from);
                for (int i = 0; i < batch; i++) {
                    String key = "mf:" + NS + ":" + uuid(random);
                    String value = Long.toString((T0 / 1000 + 86_400) * 8 + 1);
                    out.write(("*5\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + value.length() + "\r\n"
                            + value + "\r\n$2\r\nPX\r\n$9\r\n172800000\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                out.flush();
                for (int i = 0; i < batch; i++) {
                    while (in.read() != '\n') {
                        // skip "+OK\r\n"
                    }
                }
            }
        }
        long after = usedMemory(redis);
        System.out.printf(Locale.ROOT, "for comparison, one string key per id (SET key value PX ttl): %,d bytes,"
                + " %.1f bytes per id%n", after - before, (after - before) / (double) count);
    }

    private static long usedMemory(RedisServer redis) {
        return redis.info("memory", "used_memory");
    }

    /** A binary model's random score ({@code classes} 2), or random probabilities of that many classes. */
    private static Scores scores(SplittableRandom random, int classes) {
        if (classes == 2) {
            return Scores.binary(random.nextDouble());
        }
        double[] p = new double[classes];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            p[c] = random.nextDouble();
            sum += p[c];
        }
        for (int c = 0; c < classes; c++) {
            p[c] /= sum;
        }
        return Scores.ofClasses(p);
    }

    /** A random 36-character UUID-shaped id. */
    static String uuid(SplittableRandom random) {
        return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }
}
