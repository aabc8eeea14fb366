package dev.modelfeedback.redis.bench;

import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.JoinResult;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.redis.RedisPendingStore;
import dev.modelfeedback.redis.RedisServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Joins per second through the Redis store, in batches of 1,000 actual values: starts a
 * redis-server of its own, stores N predictions (36-character UUID-shaped ids), then joins them all
 * from T threads, each sending whole batches, and checks that every one was MATCHED once.
 *
 * <pre>
 * mvn -q -B -pl feedback-redis -Pbench test -DskipTests \
 *     -Dbench.main=dev.modelfeedback.redis.bench.RedisJoinThroughput -Dbench.args="1000000 1 2 4"
 * </pre>
 *
 * Arguments: N (1,000,000), then the thread counts to run, each on N fresh predictions.
 */
public final class RedisJoinThroughput {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String NS = "fraud@v3";
    private static final int BATCH = 1000;

    private RedisJoinThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        List<Integer> threadCounts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            threadCounts.add(Integer.parseInt(args[i]));
        }
        if (threadCounts.isEmpty()) {
            threadCounts = List.of(1, 2, 4);
        }
        System.out.printf(Locale.ROOT, "%d cores; batches of %,d; %,d predictions per run%n",
                Runtime.getRuntime().availableProcessors(), BATCH, count);
        try (RedisServer redis = RedisServer.start()) {
            RedisPendingStore store = RedisPendingStore.builder(redis.uri()).build();
            try {
                int run = 0;
                for (int threads : threadCounts) {
                    List<List<JoinOperation>> actuals = preload(store, count, ++run);
                    redis.call("CONFIG", "RESETSTAT");
                    joinAll(store, actuals, threads);
                    System.out.println("  Redis's own time: " + redis.call("INFO", "commandstats").lines()
                            .filter(line -> line.startsWith("cmdstat_evalsha:")).findFirst().orElse("?"));
                    redis.call("FLUSHALL");
                }
            } finally {
                store.close();
            }
        }
    }

    /** Stores the predictions; returns the batches of actual values that join them, shuffled by batch. */
    private static List<List<JoinOperation>> preload(PendingStore store, int count, int run) {
        SplittableRandom random = new SplittableRandom(run);
        List<List<JoinOperation>> actuals = new ArrayList<>();
        List<JoinOperation> predictions = new ArrayList<>(BATCH);
        List<JoinOperation> joins = new ArrayList<>(BATCH);
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String id = RedisMemory.uuid(random);
            predictions.add(JoinOperation.prediction(NS, id, i & 1));
            joins.add(JoinOperation.actual(NS, id, (i >> 1) & 1));
            if (predictions.size() == BATCH || i == count - 1) {
                store.apply(predictions, T0);
                predictions.clear();
                actuals.add(joins);
                joins = new ArrayList<>(BATCH);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "stored %,d predictions in %.2f s: %,.0f/s (1 thread)%n", count, seconds,
                count / seconds);
        java.util.Collections.shuffle(actuals, new java.util.Random(run));
        return actuals;
    }

    private static void joinAll(PendingStore store, List<List<JoinOperation>> batches, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            List<Future<Long>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                parts.add(pool.submit(() -> {
                    long matched = 0;
                    for (int k = next.getAndIncrement(); k < batches.size(); k = next.getAndIncrement()) {
                        for (JoinResult result : store.apply(batches.get(k), T0 + 1000).results()) {
                            matched += result.outcome() == JoinOutcome.MATCHED ? 1 : 0;
                        }
                    }
                    return matched;
                }));
            }
            long matched = 0;
            for (Future<Long> part : parts) {
                matched += part.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long expected = batches.stream().mapToLong(List::size).sum();
            if (matched != expected) {
                throw new IllegalStateException("matched " + matched + " of " + expected);
            }
            System.out.printf(Locale.ROOT, "joined %,d actuals from %d thread(s) in %.2f s: %,.0f joins/s%n", matched,
                    threads, seconds, matched / seconds);
        } finally {
            pool.shutdownNow();
        }
    }
}
