package dev.modelfeedback.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.JoinResult;
import dev.modelfeedback.core.join.PendingStore.Applied;
import dev.modelfeedback.core.join.UnmatchedReason;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Class indices 0 to 31 in Redis: every pair of prediction and actual value stored, joined and
 * answered exactly as the in-memory store answers it (the same operations go to both), expiry, the
 * sweep and eviction with large indices, and the entries as Redis holds them, byte for byte.
 * Each test in its own key prefix, all at fixed times (no waiting).
 */
final class RedisClassIndicesTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final Duration TTL = Duration.ofHours(1);
    /** The expiry of what is stored at {@link #T0}, in seconds. */
    private static final long EXPIRY = T0 / 1000 + TTL.toSeconds();
    private static final String NS = "digits@v1";
    private static final int K = JoinOperation.MAX_CLASSES;
    /** 4096 ids: 32 buckets (five bits), named by four hexadecimal digits. */
    private static final int BUCKET_BITS = 5;

    private static RedisServer redis;
    private static RedisClient client;
    private static StatefulRedisConnection<byte[], byte[]> connection;
    private static RedisCommands<byte[], byte[]> raw;
    private static int prefixes;

    private final Map<UnmatchedReason, Long> unmatched = new EnumMap<>(UnmatchedReason.class);
    private final Map<UnmatchedReason, Long> unmatchedInMemory = new EnumMap<>(UnmatchedReason.class);
    private final List<RedisPendingStore> stores = new ArrayList<>();
    private String prefix;
    private RedisPendingStore store;
    private InMemoryPendingStore memory;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        client = RedisClient.create(redis.uri());
        connection = client.connect(ByteArrayCodec.INSTANCE);
        raw = connection.sync();
    }

    @AfterAll
    static void stopRedis() {
        if (connection != null) {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void createStores() {
        prefix = "classes" + ++prefixes + ":";
        store = store(RedisPendingStore.builder(redis.uri()).keyPrefix(prefix).ttl(TTL).expectedIds(4096), unmatched);
        memory = new InMemoryPendingStore(1_000_000, TTL);
        memory.onUnmatched(NS, (reason, count) -> unmatchedInMemory.merge(reason, count, Long::sum));
    }

    @AfterEach
    void closeStores() {
        stores.forEach(RedisPendingStore::close);
    }

    private RedisPendingStore store(RedisPendingStore.Builder builder, Map<UnmatchedReason, Long> counts) {
        RedisPendingStore made = builder.build();
        stores.add(made);
        made.onUnmatched(NS, (reason, count) -> {
            synchronized (counts) {
                counts.merge(reason, count, Long::sum);
            }
        });
        return made;
    }

    /** Applies the operations to the Redis store and to the in-memory one, which must agree. */
    private Applied both(List<JoinOperation> operations, long nowMillis) {
        Applied inRedis = store.apply(operations, nowMillis);
        Applied inMemory = memory.apply(operations, nowMillis);
        Object what = operations.size() == 1 ? operations.get(0) : operations.size() + " operations";
        assertThat(inRedis).as("%s at %d", what, nowMillis).isEqualTo(inMemory);
        return inRedis;
    }

    private JoinResult one(JoinOperation operation, long nowMillis) {
        Applied applied = both(List.of(operation), nowMillis);
        return applied.conflicted() ? JoinResult.of(JoinOutcome.CONFLICT) : applied.results().get(0);
    }

    /** One operation per pair of class indices (prediction p, actual a), in the order p * 32 + a. */
    private static List<JoinOperation> pairs(BiFunction<Integer, Integer, JoinOperation> operation) {
        List<JoinOperation> operations = new ArrayList<>(K * K);
        for (int p = 0; p < K; p++) {
            for (int a = 0; a < K; a++) {
                operations.add(operation.apply(p, a));
            }
        }
        return operations;
    }

    private static String id(String kind, int p, int a) {
        return kind + "-" + p + "-" + a;
    }

    private static int other(int index) {
        return (index + 1) % K;
    }

    /** The entry Redis holds for an id, as its text; {@code null} for none. */
    private @Nullable String entry(String id) {
        byte[] digest = IdDigest.of(id);
        int k = (((digest[1] & 0xFF) << 16) | ((digest[2] & 0xFF) << 8) | (digest[3] & 0xFF)) % (1 << BUCKET_BITS);
        byte[] value = raw.hget(bytes(prefix + NS + ":" + String.format("%04x", k)), digest);
        return value == null ? null : new String(value, StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The documented entry of a pending prediction: the binary encoding for 0 and 1, negative above. */
    static long pendingEntry(long expiry, int p) {
        return p < 2 ? expiry * 8 + 1 + p : -((expiry * 1024 + p) * 8 + 7);
    }

    /** The documented entry of a joined id. */
    static long joinedEntry(long expiry, int p, int a) {
        return p < 2 && a < 2 ? expiry * 8 + 4 + 2 * p + a : -((expiry * 1024 + 32 * a + p) * 8 + 5);
    }

    static long expiredEntry(long expiry) {
        return expiry * 8 + 3;
    }

    @Test
    void everyPairOfClassIndicesIsStoredJoinedAndAnsweredAsInMemory() {
        List<JoinOperation> predictions = pairs((p, a) -> JoinOperation.prediction(NS, id("j", p, a), p));
        List<JoinOperation> actuals = pairs((p, a) -> JoinOperation.actual(NS, id("j", p, a), a));

        assertThat(both(predictions, T0).results()).hasSize(K * K).containsOnly(JoinResult.of(JoinOutcome.PENDING));
        assertThat(store.pending(NS)).isEqualTo(K * K).isEqualTo(memory.pending(NS));
        assertThat(both(predictions, T0 + 1000).results()).hasSize(K * K)
                .containsOnly(JoinResult.of(JoinOutcome.DUPLICATE));
        for (int p = 0; p < K; p++) {
            for (int a = 0; a < K; a++) {
                assertThat(one(JoinOperation.prediction(NS, id("j", p, a), other(p)), T0 + 1000))
                        .isEqualTo(JoinResult.of(JoinOutcome.CONFLICT));
                assertThat(entry(id("j", p, a))).isEqualTo(Long.toString(pendingEntry(EXPIRY, p)));
            }
        }
        // a batch that conflicts applies nothing: the actual before the conflict is not joined
        assertThat(both(List.of(JoinOperation.actual(NS, id("j", 31, 30), 30),
                JoinOperation.prediction(NS, id("j", 31, 30), 29)), T0 + 1000)).isEqualTo(Applied.conflictAt(1));

        List<JoinResult> joined = both(actuals, T0 + 7000).results();
        for (int p = 0; p < K; p++) {
            for (int a = 0; a < K; a++) {
                assertThat(joined.get(p * K + a)).isEqualTo(JoinResult.joined(p, a, 7000));
                assertThat(entry(id("j", p, a))).isEqualTo(Long.toString(joinedEntry(EXPIRY, p, a)));
            }
        }
        assertThat(store.pending(NS)).isZero();
        assertThat(memory.pending(NS)).isZero();

        assertThat(both(actuals, T0 + 8000).results()).containsOnly(JoinResult.of(JoinOutcome.DUPLICATE));
        assertThat(both(predictions, T0 + 8000).results()).containsOnly(JoinResult.of(JoinOutcome.DUPLICATE));
        assertThat(both(pairs((p, a) -> JoinOperation.inline(NS, id("j", p, a), p, a)), T0 + 8000).results())
                .containsOnly(JoinResult.of(JoinOutcome.DUPLICATE));
        for (int p = 0; p < K; p++) {
            for (int a = 0; a < K; a++) {
                String id = id("j", p, a);
                for (JoinOperation conflicting : List.of(JoinOperation.actual(NS, id, other(a)),
                        JoinOperation.prediction(NS, id, other(p)), JoinOperation.inline(NS, id, p, other(a)),
                        JoinOperation.inline(NS, id, other(p), a))) {
                    assertThat(one(conflicting, T0 + 8000)).isEqualTo(JoinResult.of(JoinOutcome.CONFLICT));
                }
                assertThat(entry(id)).isEqualTo(Long.toString(joinedEntry(EXPIRY, p, a)));
            }
        }
        assertThat(unmatched).isEmpty();
        assertThat(unmatchedInMemory).isEmpty();
    }

    @Test
    void inlineFeedbackOfEveryPairIsCountedOnceAndJoinsAnEqualPendingPrediction() {
        List<JoinOperation> inline = pairs((p, a) -> JoinOperation.inline(NS, id("i", p, a), p, a));
        List<JoinResult> matched = both(inline, T0).results();
        for (int p = 0; p < K; p++) {
            for (int a = 0; a < K; a++) {
                // inline feedback joined no stored prediction: no label delay
                assertThat(matched.get(p * K + a)).isEqualTo(JoinResult.matched(p, a));
                assertThat(matched.get(p * K + a).hasLabelDelay()).isFalse();
                assertThat(entry(id("i", p, a))).isEqualTo(Long.toString(joinedEntry(EXPIRY, p, a)));
            }
        }
        assertThat(both(inline, T0 + 1000).results()).containsOnly(JoinResult.of(JoinOutcome.DUPLICATE));
        assertThat(both(pairs((p, a) -> JoinOperation.actual(NS, id("i", p, a), a)), T0 + 1000).results())
                .containsOnly(JoinResult.of(JoinOutcome.DUPLICATE));
        assertThat(both(pairs((p, a) -> JoinOperation.prediction(NS, id("i", p, a), p)), T0 + 1000).results())
                .containsOnly(JoinResult.of(JoinOutcome.DUPLICATE));
        for (int p = 0; p < K; p++) {
            for (int a = 0; a < K; a++) {
                String id = id("i", p, a);
                for (JoinOperation conflicting : List.of(JoinOperation.inline(NS, id, other(p), a),
                        JoinOperation.inline(NS, id, p, other(a)), JoinOperation.actual(NS, id, other(a)),
                        JoinOperation.prediction(NS, id, other(p)))) {
                    assertThat(one(conflicting, T0 + 1000)).isEqualTo(JoinResult.of(JoinOutcome.CONFLICT));
                }
            }
        }
        assertThat(store.pending(NS)).isZero();

        // inline feedback for a pending prediction: joins it if the prediction is equal, else conflicts
        both(pairs((p, a) -> JoinOperation.prediction(NS, id("k", p, a), p)), T0);
        for (int p = 0; p < K; p++) {
            for (int a = 0; a < K; a++) {
                assertThat(one(JoinOperation.inline(NS, id("k", p, a), other(p), a), T0 + 3000))
                        .isEqualTo(JoinResult.of(JoinOutcome.CONFLICT));
            }
        }
        List<JoinResult> joined = both(pairs((p, a) -> JoinOperation.inline(NS, id("k", p, a), p, a)), T0 + 3000)
                .results();
        for (int p = 0; p < K; p++) {
            for (int a = 0; a < K; a++) {
                assertThat(joined.get(p * K + a)).isEqualTo(JoinResult.joined(p, a, 3000));
                assertThat(entry(id("k", p, a))).isEqualTo(Long.toString(joinedEntry(EXPIRY, p, a)));
            }
        }
        assertThat(store.pending(NS)).isZero();
        assertThat(memory.pending(NS)).isZero();
    }

    @Test
    void predictionsOfEveryClassExpireOnceAndJoinedIdsAreForgottenAtTheirHorizon() {
        List<JoinOperation> predictions = new ArrayList<>();
        List<JoinOperation> inline = new ArrayList<>();
        for (int p = 0; p < K; p++) {
            predictions.add(JoinOperation.prediction(NS, "e-" + p, p));
            inline.add(JoinOperation.inline(NS, "done-" + p, p, K - 1 - p));
        }
        both(predictions, T0);
        both(inline, T0);

        sweep(T0 + TTL.toMillis() - 1000);
        assertThat(unmatched).isEmpty();
        assertThat(store.pending(NS)).isEqualTo(K);
        sweep(T0 + TTL.toMillis());
        assertThat(unmatched).isEqualTo(Map.of(UnmatchedReason.EXPIRED, (long) K)).isEqualTo(unmatchedInMemory);
        assertThat(store.pending(NS)).isZero();
        for (int p = 0; p < K; p++) {
            // expired: the binary encoding's state 3, whatever the class was
            assertThat(entry("e-" + p)).isEqualTo(Long.toString(expiredEntry(EXPIRY))).isEqualTo("14137833603");
            assertThat(entry("done-" + p)).isEqualTo(Long.toString(joinedEntry(EXPIRY, p, K - 1 - p)));
        }
        for (int p = 0; p < K; p++) {
            assertThat(one(JoinOperation.actual(NS, "e-" + p, p), T0 + TTL.toMillis() + 1000))
                    .isEqualTo(JoinResult.of(JoinOutcome.EXPIRED));
            assertThat(one(JoinOperation.inline(NS, "done-" + p, p, K - 1 - p), T0 + TTL.toMillis() + 1000))
                    .isEqualTo(JoinResult.of(JoinOutcome.DUPLICATE));
        }
        sweep(T0 + TTL.toMillis() + 2000);
        assertThat(unmatched).isEqualTo(Map.of(UnmatchedReason.EXPIRED, (long) K)).isEqualTo(unmatchedInMemory);

        // twice the time-to-live after they were stored, the ids are forgotten: the sweep deletes
        // them once the minute of their expiry is past its horizon too
        sweep(T0 + 2 * TTL.toMillis() + 60_000);
        for (int p = 0; p < K; p++) {
            assertThat(entry("e-" + p)).isNull();
            assertThat(entry("done-" + p)).isNull();
            assertThat(one(JoinOperation.actual(NS, "done-" + p, K - 1 - p), T0 + 2 * TTL.toMillis() + 60_000))
                    .isEqualTo(JoinResult.of(JoinOutcome.UNKNOWN));
        }
        assertThat(unmatched).isEqualTo(Map.of(UnmatchedReason.EXPIRED, (long) K));
    }

    @Test
    void anOperationThatFindsAPredictionOfALargeClassExpiredCountsItOnce() {
        for (int p = 0; p < K; p++) {
            one(JoinOperation.prediction(NS, "late-" + p, p), T0);
        }
        for (int p = 0; p < K; p++) {
            assertThat(one(JoinOperation.actual(NS, "late-" + p, K - 1 - p), T0 + TTL.toMillis()))
                    .isEqualTo(JoinResult.of(JoinOutcome.EXPIRED));
            assertThat(entry("late-" + p)).isEqualTo(Long.toString(expiredEntry(EXPIRY)));
        }
        assertThat(unmatched).isEqualTo(Map.of(UnmatchedReason.EXPIRED, (long) K)).isEqualTo(unmatchedInMemory);
        sweep(T0 + TTL.toMillis() + 1000);
        assertThat(unmatched).isEqualTo(Map.of(UnmatchedReason.EXPIRED, (long) K));
        // a new prediction for an id whose prediction expired is stored anew, with its own time
        assertThat(one(JoinOperation.prediction(NS, "late-30", 17), T0 + TTL.toMillis() + 1000))
                .isEqualTo(JoinResult.of(JoinOutcome.PENDING));
        assertThat(entry("late-30")).isEqualTo(Long.toString(pendingEntry(EXPIRY + TTL.toSeconds() + 1, 17)));
        assertThat(one(JoinOperation.actual(NS, "late-30", 31), T0 + TTL.toMillis() + 6000))
                .isEqualTo(JoinResult.joined(17, 31, 5000));
    }

    private void sweep(long nowMillis) {
        store.sweepNow(NS, nowMillis);
        memory.sweep(NS, nowMillis);
    }

    @Test
    void entriesStayExactBelow2To53AtTheEndsOfTime() {
        // the latest time the scripts are given: 2^39 s, so that the largest entry is below 2^53
        long latest = RedisPendingStore.MAX_SECONDS + TTL.toSeconds();
        assertThat(store.apply(JoinOperation.prediction(NS, "far", 31), Long.MAX_VALUE))
                .isEqualTo(JoinResult.of(JoinOutcome.PENDING));
        assertThat(entry("far")).isEqualTo(Long.toString(pendingEntry(latest, 31))).isEqualTo("-4503599656861951");
        assertThat(store.apply(JoinOperation.actual(NS, "far", 30), Long.MAX_VALUE))
                .isEqualTo(JoinResult.joined(31, 30, 0));
        assertThat(entry("far")).isEqualTo(Long.toString(joinedEntry(latest, 31, 30)));
        assertThat(-joinedEntry(latest, 31, 31)).isLessThan(1L << 53);
        assertThat(store.apply(JoinOperation.inline(NS, "far-inline", 31, 31), Long.MAX_VALUE))
                .isEqualTo(JoinResult.matched(31, 31));
        assertThat(entry("far-inline")).isEqualTo(Long.toString(joinedEntry(latest, 31, 31)));
        // and the earliest: a time before 1970 counts as 1970
        assertThat(store.apply(JoinOperation.prediction(NS, "early", 17), -86_400_000L))
                .isEqualTo(JoinResult.of(JoinOutcome.PENDING));
        assertThat(entry("early")).isEqualTo(Long.toString(pendingEntry(TTL.toSeconds(), 17)));
        assertThat(store.apply(JoinOperation.actual(NS, "early", 3), 5000)).isEqualTo(JoinResult.joined(17, 3, 5000));
    }

    @Test
    void aPendingPredictionOfALargeClassThatLeavesForRoomIsCountedAsEvicted() {
        RedisPendingStore small = store(RedisPendingStore.builder(redis.uri()).keyPrefix(prefix + "small:").ttl(TTL)
                .capacity(4), unmatched);
        small.apply(List.of(JoinOperation.inline(NS, "joined", 30, 31), JoinOperation.prediction(NS, "old-0", 29),
                JoinOperation.prediction(NS, "old-1", 28), JoinOperation.prediction(NS, "old-2", 2)), T0);
        assertThat(small.pending(NS)).isEqualTo(3);

        List<JoinOperation> next = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            next.add(JoinOperation.prediction(NS, "new-" + i, 5 + i));
        }
        assertThat(small.apply(next, T0 + 1000).results()).containsOnly(JoinResult.of(JoinOutcome.PENDING));
        // the joined id left too, uncounted
        assertThat(unmatched).isEqualTo(Map.of(UnmatchedReason.EVICTED, 3L));
        assertThat(small.pending(NS)).isEqualTo(4);
        for (String id : List.of("joined", "old-0", "old-1", "old-2")) {
            assertThat(small.apply(JoinOperation.actual(NS, id, 31), T0 + 2000))
                    .isEqualTo(JoinResult.of(JoinOutcome.UNKNOWN));
        }
        for (int i = 0; i < 4; i++) {
            assertThat(small.apply(JoinOperation.actual(NS, "new-" + i, 31 - i), T0 + 2000))
                    .isEqualTo(JoinResult.joined(5 + i, 31 - i, 1000));
        }
        assertThat(small.pending(NS)).isZero();
    }
}
