package dev.modelfeedback.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.JoinResult;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.join.UnmatchedReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two stores on one Redis, as two replicas of a model server: every join and every inline id counts once. */
final class RedisReplicasTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String NS = "fraud@v3";
    private static RedisServer redis;
    private static int run;

    private RedisPendingStore replicaA;
    private RedisPendingStore replicaB;

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

    @BeforeEach
    void startReplicas() {
        String prefix = "replicas" + ++run + ":";
        replicaA = RedisPendingStore.builder(redis.uri()).keyPrefix(prefix).ttl(Duration.ofHours(1)).build();
        replicaB = RedisPendingStore.builder(redis.uri()).keyPrefix(prefix).ttl(Duration.ofHours(1)).build();
    }

    @AfterEach
    void stopReplicas() {
        replicaA.close();
        replicaB.close();
    }

    /**
     * 20,000 predictions through A; then every actual sent to both replicas at once, in batches of
     * 100 from 8 threads: each prediction is joined exactly once, by one replica or the other.
     */
    @Test
    void aPredictionIsJoinedExactlyOnceWhenItsActualReachesBothReplicasAtOnce() throws Exception {
        int ids = 20_000;
        List<JoinOperation> predictions = new ArrayList<>();
        for (int i = 0; i < ids; i++) {
            predictions.add(JoinOperation.prediction(NS, "id-" + i, i % 2));
        }
        for (List<JoinOperation> batch : batches(predictions, 1000)) {
            assertThat(replicaA.apply(batch, T0).results()).containsOnly(JoinResult.of(JoinOutcome.PENDING));
        }
        List<JoinOperation> actuals = new ArrayList<>();
        for (int i = 0; i < ids; i++) {
            actuals.add(JoinOperation.actual(NS, "id-" + i, (i / 2) % 2));
        }
        Collections.shuffle(actuals, new Random(5));
        List<List<JoinOperation>> work = new ArrayList<>();
        for (List<JoinOperation> batch : batches(actuals, 100)) {
            work.add(batch);
            work.add(batch); // the same batch for the other replica
        }

        List<JoinResult> results = onEightThreads(work.size(), k -> (k % 2 == 0 ? replicaA : replicaB)
                .apply(work.get(k), T0 + 1000).results());

        // prediction i % 2, actual (i / 2) % 2: a quarter of the ids in each cell
        Map<JoinResult, Long> counted = new HashMap<>();
        results.forEach(result -> counted.merge(result, 1L, Long::sum));
        // each joined a prediction stored a second before
        assertThat(counted).containsOnly(Map.entry(JoinResult.joined(0, 0, 1000), 5_000L),
                Map.entry(JoinResult.joined(0, 1, 1000), 5_000L), Map.entry(JoinResult.joined(1, 0, 1000), 5_000L),
                Map.entry(JoinResult.joined(1, 1, 1000), 5_000L), Map.entry(JoinResult.of(JoinOutcome.DUPLICATE), 20_000L));
        replicaA.sweepNow(NS, T0 + 2000);
        replicaB.sweepNow(NS, T0 + 2000);
        assertThat(replicaA.pending(NS)).isZero();
        assertThat(replicaB.pending(NS)).isZero();
    }

    /** The same inline feedback sent to both replicas at once, 2,000 times over: each id counts once. */
    @Test
    void theSameInlineIdSentToBothReplicasAtOnceCountsOnce() throws Exception {
        int ids = 2_000;

        List<JoinResult> results = onEightThreads(2 * ids, k -> List.of((k % 2 == 0 ? replicaA : replicaB)
                .apply(JoinOperation.inline(NS, "inline-" + k / 2, 1, 0), T0)));

        assertThat(results).filteredOn(r -> r.equals(JoinResult.matched(1, 0))).hasSize(ids);
        assertThat(results).filteredOn(r -> r.outcome() == JoinOutcome.DUPLICATE).hasSize(ids);
        assertThat(replicaB.apply(JoinOperation.inline(NS, "inline-7", 0, 0), T0).outcome())
                .isEqualTo(JoinOutcome.CONFLICT);
    }

    /** Both replicas sweep at once when predictions expire: the expired are counted once in all. */
    @Test
    void expiryIsCountedOnceAcrossReplicasThatSweepAtOnce() throws Exception {
        AtomicLong expiredA = new AtomicLong();
        AtomicLong expiredB = new AtomicLong();
        replicaA.onUnmatched(NS, (reason, count) -> expiredA.addAndGet(reason == UnmatchedReason.EXPIRED ? count : 0));
        replicaB.onUnmatched(NS, (reason, count) -> expiredB.addAndGet(reason == UnmatchedReason.EXPIRED ? count : 0));
        List<JoinOperation> predictions = new ArrayList<>();
        for (int i = 0; i < 9_000; i++) {
            predictions.add(JoinOperation.prediction(NS, "p-" + i, 1));
        }
        List<List<JoinOperation>> batches = batches(predictions, 1000);
        for (int second = 0; second < batches.size(); second++) {
            replicaB.apply(batches.get(second), T0 + 1000L * second);
        }
        long later = T0 + Duration.ofHours(1).toMillis() + 8_000;

        onEightThreads(16, k -> {
            PendingStore replica = k % 2 == 0 ? replicaA : replicaB;
            replica.apply(JoinOperation.actual(NS, "p-" + k, 1), later);
            ((RedisPendingStore) replica).sweepNow(NS, later + k);
            return List.of();
        });

        assertThat(expiredA.get() + expiredB.get()).isEqualTo(9_000);
        assertThat(replicaA.pending(NS)).isZero();
        assertThat(replicaB.pending(NS)).isZero();
    }

    /**
     * A replica whose clock lags stores a prediction into a minute of expiry the sweep has passed
     * already: it is counted as expired once all the same, when its horizon is swept.
     */
    @Test
    void aPredictionStoredByAReplicaWhoseClockLagsIsStillCountedExpiredOnce() {
        AtomicLong expired = new AtomicLong();
        replicaA.onUnmatched(NS, (reason, count) -> expired.addAndGet(count));
        long expiry = T0 + Duration.ofHours(1).toMillis();
        replicaA.apply(JoinOperation.prediction(NS, "on-time", 1), T0);
        replicaA.sweepNow(NS, expiry + 120_000);
        assertThat(expired.get()).isEqualTo(1);

        replicaB.apply(JoinOperation.prediction(NS, "lagging", 1), T0 + 10_000);
        replicaA.sweepNow(NS, expiry + 180_000);
        assertThat(expired.get()).isEqualTo(1);
        assertThat(replicaA.pending(NS)).isEqualTo(1);
        replicaA.sweepNow(NS, expiry + Duration.ofHours(1).toMillis() + 120_000);

        assertThat(expired.get()).isEqualTo(2);
        assertThat(replicaA.pending(NS)).isZero();
        assertThat(replicaB.apply(JoinOperation.actual(NS, "lagging", 1), expiry + Duration.ofHours(1).toMillis() + 120_000)
                .outcome()).isEqualTo(JoinOutcome.UNKNOWN);
    }

    /** A replica that never stored a prediction still sees the pending count of all, after its sweep. */
    @Test
    void thePendingCountIsTheNamespacesAcrossReplicas() {
        replicaA.apply(List.of(JoinOperation.prediction(NS, "a", 1), JoinOperation.prediction(NS, "b", 1)), T0);
        assertThat(replicaB.pending(NS)).isZero();

        replicaB.sweepNow(NS, T0);

        assertThat(replicaB.pending(NS)).isEqualTo(2);
        Map<UnmatchedReason, Long> none = new EnumMap<>(UnmatchedReason.class);
        replicaB.onUnmatched(NS, (reason, count) -> none.merge(reason, count, Long::sum));
        assertThat(replicaB.apply(JoinOperation.actual(NS, "a", 1), T0)).isEqualTo(JoinResult.joined(1, 1, 0));
        assertThat(replicaA.apply(JoinOperation.actual(NS, "a", 1), T0).outcome()).isEqualTo(JoinOutcome.DUPLICATE);
        assertThat(replicaA.pending(NS)).isEqualTo(1);
        assertThat(none).isEmpty();
    }

    private static List<List<JoinOperation>> batches(List<JoinOperation> operations, int size) {
        List<List<JoinOperation>> batches = new ArrayList<>();
        for (int from = 0; from < operations.size(); from += size) {
            batches.add(operations.subList(from, Math.min(operations.size(), from + size)));
        }
        return batches;
    }

    private interface Task {
        List<JoinResult> run(int k) throws Exception;
    }

    /** Runs tasks 0..count-1 on 8 threads released at once; returns every result. */
    private static List<JoinResult> onEightThreads(int count, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<JoinResult>>> parts = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                Callable<List<JoinResult>> part = () -> {
                    start.await();
                    List<JoinResult> results = new ArrayList<>();
                    for (int k = thread; k < count; k += 8) {
                        results.addAll(task.run(k));
                    }
                    return results;
                };
                parts.add(pool.submit(part));
            }
            start.countDown();
            List<JoinResult> all = new ArrayList<>();
            for (Future<List<JoinResult>> part : parts) {
                all.addAll(part.get(2, TimeUnit.MINUTES));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
