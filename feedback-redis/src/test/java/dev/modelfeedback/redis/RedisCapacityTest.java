package dev.modelfeedback.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.JoinResult;
import dev.modelfeedback.core.join.UnmatchedReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The capacity of a namespace in Redis, as the in-memory store's: when a new id would exceed it,
 * the oldest entry leaves, and a pending prediction that leaves so is counted as evicted, once,
 * across replicas; expiry and eviction never count one prediction twice, and what Redis holds
 * stays bounded whatever a client sends. Each test in its own key prefix.
 */
final class RedisCapacityTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String NS = "fraud@v3";
    private static RedisServer redis;
    private static int prefixes;

    private final List<RedisPendingStore> stores = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeStores() {
        stores.forEach(RedisPendingStore::close);
    }

    /** A store (a replica) of the test's namespace, telling {@code unmatched} what leaves unjoined. */
    private RedisPendingStore store(long capacity, Duration ttl, Map<UnmatchedReason, Long> unmatched) {
        if (prefix == null) {
            prefix = "cap" + ++prefixes + ":";
        }
        RedisPendingStore store = RedisPendingStore.builder(redis.uri()).keyPrefix(prefix).capacity(capacity).ttl(ttl)
                .build();
        stores.add(store);
        store.onUnmatched(NS, (reason, count) -> {
            synchronized (unmatched) {
                unmatched.merge(reason, count, Long::sum);
            }
        });
        return store;
    }

    private static Map<UnmatchedReason, Long> counts() {
        return new EnumMap<>(UnmatchedReason.class);
    }

    private static JoinResult one(RedisPendingStore store, JoinOperation operation, long nowMillis) {
        return store.apply(operation, nowMillis);
    }

    private static List<JoinOperation> predictions(String name, int from, int count) {
        List<JoinOperation> batch = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            batch.add(JoinOperation.prediction(NS, name + "-" + i, i & 1));
        }
        return batch;
    }

    private List<String> keys(String pattern) {
        return List.of(redis.call("KEYS", pattern).split("\n")).stream().filter(key -> !key.isEmpty()).toList();
    }

    /** The ids the namespace's buckets hold. */
    private long held() {
        long held = 0;
        for (String bucket : keys(prefix + NS + ":*")) {
            if (bucket.matches(".*:[0-9a-f]{4,6}")) {
                held += Long.parseLong(redis.call("HLEN", bucket));
            }
        }
        return held;
    }

    /** The entries the lists of the order of expiry hold. */
    private long listed() {
        long listed = 0;
        for (String list : keys(prefix + NS + ":q:*")) {
            listed += Long.parseLong(redis.call("LLEN", list));
        }
        return listed;
    }

    /** The namespace's count of listed entries, which the capacity bounds. */
    private long counted() {
        return Long.parseLong(redis.call("HGET", prefix + NS, "n"));
    }

    /** The namespace's count of pending predictions, as every replica's next call will see it. */
    private long pendingInRedis() {
        return Long.parseLong(redis.call("HGET", prefix + NS, "p"));
    }

    @Test
    void aFullNamespaceEvictsTheOldestAndCountsPendingOnesAsEvicted() {
        Map<UnmatchedReason, Long> unmatched = counts();
        RedisPendingStore store = store(100, Duration.ofHours(1), unmatched);

        // one a second: 250 seconds, five slices of the order of expiry
        for (int i = 0; i < 250; i++) {
            assertThat(one(store, JoinOperation.prediction(NS, "id-" + i, i & 1), T0 + i * 1000L).outcome())
                    .isEqualTo(JoinOutcome.PENDING);
        }

        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EVICTED, 150L));
        assertThat(store.pending(NS)).isEqualTo(100);
        assertThat(List.of(held(), listed(), counted())).containsExactly(100L, 100L, 100L);
        // the oldest went, the newest stayed: id-150 was stored at T0 + 150 s
        assertThat(one(store, JoinOperation.actual(NS, "id-149", 1), T0 + 250_000).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(one(store, JoinOperation.actual(NS, "id-150", 1), T0 + 250_000)).isEqualTo(JoinResult.joined(0, 1, 100_000));
        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EVICTED, 150L));
    }

    @Test
    void joinedAndExpiredIdsMakeRoomWithoutBeingCountedAgain() {
        Map<UnmatchedReason, Long> unmatched = counts();
        RedisPendingStore store = store(10, Duration.ofSeconds(60), unmatched);
        for (int i = 0; i < 5; i++) {
            one(store, JoinOperation.inline(NS, "inline-" + i, 1, 1), T0);
        }
        store.apply(predictions("p", 0, 5), T0);
        assertThat(store.sweepNow(NS, T0 + 60_000)).isEqualTo(5);

        // the ten oldest leave: five joined, five already counted as expired
        store.apply(predictions("new", 0, 10), T0 + 61_000);
        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 5L));
        assertThat(store.pending(NS)).isEqualTo(10);
        assertThat(one(store, JoinOperation.actual(NS, "p-0", 0), T0 + 61_000).outcome()).isEqualTo(JoinOutcome.UNKNOWN);

        one(store, JoinOperation.prediction(NS, "extra", 1), T0 + 62_000);
        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 5L), Map.entry(UnmatchedReason.EVICTED, 1L));
        assertThat(one(store, JoinOperation.actual(NS, "new-0", 0), T0 + 62_000).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(one(store, JoinOperation.actual(NS, "new-1", 1), T0 + 62_000)).isEqualTo(JoinResult.joined(1, 1, 1000));
        assertThat(List.of(held(), listed(), counted())).containsExactly(10L, 10L, 10L);
    }

    @Test
    void aPendingPredictionPastItsTtlThatLeavesCountsAsExpiredOnceNotAsEvicted() {
        Map<UnmatchedReason, Long> unmatched = counts();
        RedisPendingStore store = store(5, Duration.ofSeconds(60), unmatched);
        store.apply(predictions("old", 0, 5), T0);

        // past their time-to-live, not yet swept, within their horizon
        store.apply(predictions("new", 0, 5), T0 + 90_000);

        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 5L));
        assertThat(store.sweepNow(NS, T0 + 90_000)).isZero();
        assertThat(store.pending(NS)).isEqualTo(5);
        assertThat(one(store, JoinOperation.actual(NS, "old-0", 0), T0 + 90_000).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
    }

    /** Eviction takes entries from the head of the list the sweep is halfway through: its place moves with them. */
    @Test
    void evictionKeepsTheSweepsPlaceInTheOrderOfExpiry() {
        Map<UnmatchedReason, Long> unmatched = counts();
        RedisPendingStore store = store(10, Duration.ofSeconds(60), unmatched);
        for (int k = 0; k < 10; k++) {
            one(store, JoinOperation.prediction(NS, "k-" + k, 1), T0 + k * 1000L); // expire at T0 + 60 s + k s
        }
        assertThat(store.sweepNow(NS, T0 + 65_000)).isEqualTo(6); // k-0 to k-5; the sweep stops before k-6

        store.apply(predictions("new", 0, 3), T0 + 66_000); // k-0, k-1, k-2 leave, already counted

        assertThat(store.sweepNow(NS, T0 + 70_000)).isEqualTo(4); // k-6 to k-9, none skipped
        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 10L));
        assertThat(store.pending(NS)).isEqualTo(3);
        assertThat(List.of(held(), listed(), counted())).containsExactly(10L, 10L, 10L);
    }

    @Test
    void idsForgottenByTheSweepFreeTheirRoom() {
        Map<UnmatchedReason, Long> unmatched = counts();
        RedisPendingStore store = store(10, Duration.ofSeconds(60), unmatched);
        store.apply(predictions("old", 0, 10), T0);
        assertThat(store.sweepNow(NS, T0 + 60_000)).isEqualTo(10);
        assertThat(store.sweepNow(NS, T0 + 200_000)).isZero(); // past their horizon: forgotten
        assertThat(List.of(held(), listed(), counted())).containsExactly(0L, 0L, 0L);

        store.apply(predictions("new", 0, 10), T0 + 200_000);

        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 10L));
        assertThat(store.pending(NS)).isEqualTo(10);
        assertThat(List.of(held(), listed(), counted())).containsExactly(10L, 10L, 10L);
    }

    @Test
    void replicasShareOneCapacityAndEachPredictionIsEvictedOnce() throws Exception {
        Map<UnmatchedReason, Long> onA = counts();
        Map<UnmatchedReason, Long> onB = counts();
        RedisPendingStore a = store(500, Duration.ofHours(1), onA);
        RedisPendingStore b = store(500, Duration.ofHours(1), onB);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                RedisPendingStore replica = t % 2 == 0 ? a : b;
                String name = "t" + t;
                writers.add(threads.submit(() -> {
                    for (int batch = 0; batch < 25; batch++) {
                        replica.apply(predictions(name, batch * 10, 10), T0 + batch * 1000L);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(onA.getOrDefault(UnmatchedReason.EVICTED, 0L) + onB.getOrDefault(UnmatchedReason.EVICTED, 0L))
                .isEqualTo(500);
        // which replica evicts how many depends on how the threads interleave; nothing but evictions, in all 500
        assertThat(onA.keySet()).isSubsetOf(UnmatchedReason.EVICTED);
        assertThat(onB.keySet()).isSubsetOf(UnmatchedReason.EVICTED);
        assertThat(List.of(held(), listed(), counted(), pendingInRedis())).containsExactly(500L, 500L, 500L, 500L);
    }

    /**
     * A client that sends new ids without end (by mistake or on purpose) evicts real pending
     * predictions, visibly, and Redis's memory stays where the capacity puts it.
     */
    @Test
    void aFloodOfNewIdsEvictsRealPredictionsButTheMemoryStaysBounded() {
        Map<UnmatchedReason, Long> unmatched = counts();
        RedisPendingStore store = store(1000, Duration.ofHours(24), unmatched);
        for (int from = 0; from < 1000; from += 100) {
            store.apply(predictions("real", from, 100), T0);
        }
        RedisRelay.await("the results to be deleted once read", Duration.ofSeconds(20), () -> keys(prefix + "#op:*").isEmpty());
        long full = redis.info("memory", "used_memory");

        for (int from = 0; from < 20_000; from += 1000) {
            store.apply(predictions("flood", from, 1000), T0 + 1000);
        }
        RedisRelay.await("the results to be deleted once read", Duration.ofSeconds(20), () -> keys(prefix + "#op:*").isEmpty());
        long flooded = redis.info("memory", "used_memory");

        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EVICTED, 20_000L));
        assertThat(List.of(held(), listed(), counted(), pendingInRedis())).containsExactly(1000L, 1000L, 1000L, 1000L);
        // 20,000 more ids would take about 760 kB
        assertThat(flooded - full).isLessThan(64 * 1024);
        List<JoinOperation> actuals = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            actuals.add(JoinOperation.actual(NS, "real-" + i, 1));
        }
        assertThat(store.apply(actuals, T0 + 2000).results()).containsOnly(JoinResult.of(JoinOutcome.UNKNOWN));
    }

    /**
     * The count is rebuilt from the lists when it is missing (a namespace stored before it was
     * kept) or wrong (a list expired by itself while nobody swept).
     */
    @Test
    void theCountIsRebuiltWhenMissingOrWhenAListExpiredByItself() {
        Map<UnmatchedReason, Long> unmatched = counts();
        RedisPendingStore store = store(20, Duration.ofHours(1), unmatched);
        store.apply(predictions("first", 0, 10), T0);
        store.apply(predictions("second", 0, 10), T0 + 60_000);
        redis.call("HDEL", prefix + NS, "n");

        one(store, JoinOperation.prediction(NS, "third-0", 0), T0 + 120_000);

        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EVICTED, 1L));
        assertThat(counted()).isEqualTo(20);

        String oldest = redis.call("ZRANGE", prefix + NS + ":q", "0", "0");
        redis.call("DEL", prefix + NS + ":q:" + oldest); // its nine entries stay in their buckets, unlisted

        one(store, JoinOperation.prediction(NS, "third-1", 1), T0 + 121_000);

        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EVICTED, 1L));
        assertThat(List.of(listed(), counted())).containsExactly(12L, 12L);
    }
}
