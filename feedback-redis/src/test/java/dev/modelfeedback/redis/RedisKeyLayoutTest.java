package dev.modelfeedback.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The keys the store writes, as documented: names, types, compact encodings, and an expiry on each. */
final class RedisKeyLayoutTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static RedisServer redis;

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

    private static List<String> keys(String pattern) {
        return List.of(redis.call("KEYS", pattern).split("\n")).stream().filter(k -> !k.isEmpty()).sorted().toList();
    }

    @Test
    void aNamespaceHasAHashBucketsAndTheOrderOfExpiryAndEveryKeyExpiresByItself() {
        try (RedisPendingStore store = RedisPendingStore.builder(redis.uri()).keyPrefix("layout:")
                .ttl(Duration.ofHours(24)).expectedIds(1000).build()) {
            List<JoinOperation> predictions = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(3);
            for (int i = 0; i < 500; i++) {
                predictions.add(JoinOperation.prediction("fraud@v3", new UUID(random.nextLong(), random.nextLong())
                        .toString(), 1));
            }
            store.apply(predictions, T0);
            store.apply(JoinOperation.inline("fraud@v3", "order-1", 1, 1), T0 + 61_000);
            // each call's result waits in layout:#op:<second> until the call has read it
            RedisRelay.await("the results to be deleted once read", Duration.ofSeconds(20),
                    () -> keys("layout:#op:*").isEmpty());

            List<String> keys = keys("layout:*");
            // 1000 ids at about 128 a bucket: 8 buckets, named by four hexadecimal digits
            assertThat(keys).containsExactly("layout:fraud@v3", "layout:fraud@v3:0000", "layout:fraud@v3:0001",
                    "layout:fraud@v3:0002", "layout:fraud@v3:0003", "layout:fraud@v3:0004", "layout:fraud@v3:0005",
                    "layout:fraud@v3:0006", "layout:fraud@v3:0007", "layout:fraud@v3:q",
                    "layout:fraud@v3:q:" + (T0 / 1000 + 86_400), "layout:fraud@v3:q:" + (T0 / 1000 + 86_460));
            // n: the entries listed in the order of expiry, which the capacity bounds
            assertThat(redis.call("HGETALL", "layout:fraud@v3")).isEqualTo("b\n3\nw\n60\nn\n501\np\n500");
            assertThat(redis.call("TYPE", "layout:fraud@v3:0003")).isEqualTo("hash");
            assertThat(redis.call("OBJECT", "ENCODING", "layout:fraud@v3:0003")).isEqualTo("listpack");
            assertThat(redis.call("TYPE", "layout:fraud@v3:q")).isEqualTo("zset");
            assertThat(redis.call("LLEN", "layout:fraud@v3:q:" + (T0 / 1000 + 86_400))).isEqualTo("500");
            long buckets = 0;
            for (int b = 0; b < 8; b++) {
                buckets += Long.parseLong(redis.call("HLEN", String.format("layout:fraud@v3:%04x", b)));
            }
            assertThat(buckets).isEqualTo(501);
            for (String key : keys) {
                long ttl = Long.parseLong(redis.call("TTL", key));
                // twice the time-to-live, and a minute or two more: no key outlives its use
                assertThat(ttl).as(key).isBetween(2 * 86_400L, 2 * 86_400L + 200);
            }
            assertThat(store.apply(JoinOperation.actual("fraud@v3", "order-1", 1), T0).outcome())
                    .isEqualTo(JoinOutcome.DUPLICATE);
        }
    }

    @Test
    void aNamespaceKeepsTheLayoutItWasCreatedWithWhateverAReplicaIsConfiguredWith() {
        try (RedisPendingStore small = RedisPendingStore.builder(redis.uri()).keyPrefix("sized:").expectedIds(100).build();
                RedisPendingStore large = RedisPendingStore.builder(redis.uri()).keyPrefix("sized:")
                        .expectedIds(100_000_000).build()) {
            small.apply(JoinOperation.prediction("m@1", "first", 1), T0);

            for (int i = 0; i < 50; i++) {
                assertThat(large.apply(JoinOperation.prediction("m@1", "id-" + i, 0), T0).outcome())
                        .isEqualTo(JoinOutcome.PENDING);
            }

            assertThat(keys("sized:m@1:0*")).containsExactly("sized:m@1:0000");
            assertThat(large.apply(JoinOperation.actual("m@1", "first", 1), T0).outcome()).isEqualTo(JoinOutcome.MATCHED);
            // a namespace created by the large replica has 2^20 buckets, named by six digits
            large.apply(JoinOperation.prediction("big@1", "x", 1), T0);
            assertThat(keys("sized:big@1:*")).hasSize(3).anySatisfy(key -> assertThat(key).matches("sized:big@1:[0-9a-f]{6}"));
            assertThat(small.apply(JoinOperation.actual("big@1", "x", 1), T0).outcome()).isEqualTo(JoinOutcome.MATCHED);
        }
    }
}
