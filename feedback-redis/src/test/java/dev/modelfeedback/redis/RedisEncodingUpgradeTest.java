package dev.modelfeedback.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.JoinResult;
import dev.modelfeedback.core.join.UnmatchedReason;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade from the version whose entries held binary values only: what that version
 * wrote is read with its meaning, binary entries are still written as it wrote them (the exact
 * integers), and its own script (kept in the test resources as {@code previous/apply.lua}) shares
 * one Redis with this version's. Keys as {@link RedisKeyLayoutTest} shows them; each test in its own
 * key prefix, all at fixed times.
 */
final class RedisEncodingUpgradeTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long S0 = T0 / 1000;
    private static final Duration TTL = Duration.ofHours(1);
    /** The expiry of what is stored at {@link #T0}: 1767229200. */
    private static final long EXPIRY = S0 + TTL.toSeconds();
    private static final String NS = "fraud@v3";
    /** The outcomes by the numbers the scripts answer. */
    private static final JoinOutcome[] OUTCOMES = {JoinOutcome.PENDING, JoinOutcome.MATCHED, JoinOutcome.DUPLICATE,
        JoinOutcome.CONFLICT, JoinOutcome.UNKNOWN, JoinOutcome.EXPIRED};

    private static RedisServer redis;
    private static RedisClient client;
    private static StatefulRedisConnection<byte[], byte[]> connection;
    private static RedisCommands<byte[], byte[]> raw;
    private static int prefixes;

    private final Map<UnmatchedReason, Long> unmatched = new EnumMap<>(UnmatchedReason.class);
    private final Script previous = Script.load("previous/apply.lua", false);
    private String prefix;
    private RedisPendingStore store;
    private int previousCalls;

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
    void createStore() {
        prefix = "upgrade" + ++prefixes + ":";
        // 100 ids: one bucket, prefix + NS + ":0000", as the hash of the namespace says (b 0)
        store = RedisPendingStore.builder(redis.uri()).keyPrefix(prefix).ttl(TTL).expectedIds(100).build();
        store.onUnmatched(NS, (reason, count) -> {
            synchronized (unmatched) {
                unmatched.merge(reason, count, Long::sum);
            }
        });
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String meta() {
        return prefix + NS;
    }

    private byte[] bucket() {
        return bytes(meta() + ":0000");
    }

    private @Nullable String entry(String id) {
        byte[] value = raw.hget(bucket(), IdDigest.of(id));
        return value == null ? null : new String(value, StandardCharsets.US_ASCII);
    }

    private String metaField(String field) {
        return new String(raw.hget(bytes(meta()), bytes(field)), StandardCharsets.US_ASCII);
    }

    /**
     * Writes entries as the previous version's apply.lua left them: each id's value in the bucket,
     * its digest in the list of its minute of expiry, in order, the minutes in the index, and the
     * namespace's hash (one bucket, minutes, the count of listed entries and of pending ones).
     */
    private void writePrevious(Map<String, Long> values, long pending) {
        for (Map.Entry<String, Long> entry : values.entrySet()) {
            byte[] digest = IdDigest.of(entry.getKey());
            long expiry = Math.floorDiv(entry.getValue(), 8);
            long slice = expiry - expiry % 60;
            raw.hset(bucket(), digest, bytes(Long.toString(entry.getValue())));
            raw.rpush(bytes(meta() + ":q:" + slice), digest);
            raw.zadd(bytes(meta() + ":q"), slice, bytes(Long.toString(slice)));
        }
        raw.hset(bytes(meta()), Map.of(bytes("b"), bytes("0"), bytes("w"), bytes("60"),
                bytes("n"), bytes(Long.toString(values.size())), bytes("p"), bytes(Long.toString(pending))));
    }

    @Test
    void entriesThePreviousVersionWroteAreReadWithTheirMeaning() {
        Map<String, Long> previousEntries = new LinkedHashMap<>();
        previousEntries.put("expired", S0 * 8 + 3);           // stored an hour before T0, its expiry noticed
        previousEntries.put("due", (S0 + 5) * 8 + 2);         // pending 1, due 5 s after T0, not yet noticed
        previousEntries.put("pending-0", EXPIRY * 8 + 1);     // stored at T0
        previousEntries.put("pending-1", EXPIRY * 8 + 2);
        previousEntries.put("pending-0-to-17", EXPIRY * 8 + 1);
        previousEntries.put("pending-1-again", EXPIRY * 8 + 2);
        for (int p = 0; p < 2; p++) {
            for (int a = 0; a < 2; a++) {
                previousEntries.put("joined-" + p + "-" + a, EXPIRY * 8 + 4 + 2 * p + a);
            }
        }
        writePrevious(previousEntries, 5);
        long now = T0 + 10_000;

        assertThat(store.sweepNow(NS, now)).isEqualTo(1);
        assertThat(unmatched).isEqualTo(Map.of(UnmatchedReason.EXPIRED, 1L));
        assertThat(store.pending(NS)).isEqualTo(4);
        assertThat(entry("due")).isEqualTo(Long.toString((S0 + 5) * 8 + 3));

        assertThat(store.apply(List.of(JoinOperation.actual(NS, "pending-0", 1),
                JoinOperation.actual(NS, "pending-1", 0), JoinOperation.actual(NS, "pending-0-to-17", 17),
                JoinOperation.prediction(NS, "pending-1-again", 1)), now).results())
                .containsExactly(JoinResult.joined(0, 1, 10_000), JoinResult.joined(1, 0, 10_000),
                        JoinResult.joined(0, 17, 10_000), JoinResult.of(JoinOutcome.DUPLICATE));
        assertThat(entry("pending-0")).isEqualTo("14137833605");
        assertThat(entry("pending-1")).isEqualTo("14137833606");
        assertThat(entry("pending-0-to-17")).isEqualTo("-14477141610757");
        assertThat(entry("pending-1-again")).isEqualTo("14137833602");
        assertThat(store.apply(JoinOperation.prediction(NS, "pending-1-again", 5), now))
                .isEqualTo(JoinResult.of(JoinOutcome.CONFLICT));
        assertThat(store.apply(JoinOperation.actual(NS, "pending-1-again", 31), now))
                .isEqualTo(JoinResult.joined(1, 31, 10_000));
        assertThat(store.pending(NS)).isZero();

        assertThat(store.apply(JoinOperation.actual(NS, "expired", 0), now))
                .isEqualTo(JoinResult.of(JoinOutcome.EXPIRED));
        assertThat(store.apply(JoinOperation.actual(NS, "due", 1), now)).isEqualTo(JoinResult.of(JoinOutcome.EXPIRED));
        for (int p = 0; p < 2; p++) {
            for (int a = 0; a < 2; a++) {
                String id = "joined-" + p + "-" + a;
                assertThat(store.apply(List.of(JoinOperation.actual(NS, id, a), JoinOperation.prediction(NS, id, p),
                        JoinOperation.inline(NS, id, p, a)), now).results())
                        .containsOnly(JoinResult.of(JoinOutcome.DUPLICATE));
                for (JoinOperation conflicting : List.of(JoinOperation.actual(NS, id, 1 - a),
                        JoinOperation.prediction(NS, id, 1 - p), JoinOperation.inline(NS, id, p, 1 - a),
                        JoinOperation.actual(NS, id, 31), JoinOperation.prediction(NS, id, 2 + p))) {
                    assertThat(store.apply(conflicting, now)).as(conflicting.toString())
                            .isEqualTo(JoinResult.of(JoinOutcome.CONFLICT));
                }
                assertThat(entry(id)).isEqualTo(Long.toString(EXPIRY * 8 + 4 + 2 * p + a));
            }
        }

        // past the horizon of their minute, the sweep forgets the two stored an hour before T0
        assertThat(store.sweepNow(NS, (S0 + 59 + TTL.toSeconds()) * 1000)).isZero();
        assertThat(entry("expired")).isNull();
        assertThat(entry("due")).isNull();
        assertThat(entry("pending-0")).isEqualTo("14137833605");
        assertThat(metaField("n")).isEqualTo("8");
        assertThat(metaField("p")).isEqualTo("0");
        assertThat(unmatched).isEqualTo(Map.of(UnmatchedReason.EXPIRED, 1L));
    }

    @Test
    void binaryEntriesAreWrittenAsThePreviousVersionWroteThemAndOthersApart() {
        store.apply(List.of(JoinOperation.prediction(NS, "p0", 0), JoinOperation.prediction(NS, "p1", 1),
                JoinOperation.inline(NS, "i00", 0, 0), JoinOperation.inline(NS, "i01", 0, 1),
                JoinOperation.inline(NS, "i10", 1, 0), JoinOperation.inline(NS, "i11", 1, 1),
                JoinOperation.prediction(NS, "p2", 2), JoinOperation.prediction(NS, "p31", 31),
                JoinOperation.inline(NS, "i02", 0, 2), JoinOperation.inline(NS, "i3130", 31, 30)), T0);

        // expiry * 8 + state, as before: 1767229200 * 8 = 14137833600
        assertThat(entry("p0")).isEqualTo("14137833601");
        assertThat(entry("p1")).isEqualTo("14137833602");
        assertThat(entry("i00")).isEqualTo("14137833604");
        assertThat(entry("i01")).isEqualTo("14137833605");
        assertThat(entry("i10")).isEqualTo("14137833606");
        assertThat(entry("i11")).isEqualTo("14137833607");
        // a class index of 2 or more: -((expiry * 1024 + 32 * a + p) * 8 + 7 pending, 5 joined)
        assertThat(entry("p2")).isEqualTo("-14477141606423");
        assertThat(entry("p31")).isEqualTo("-14477141606655");
        assertThat(entry("i02")).isEqualTo("-14477141606917");
        assertThat(entry("i3130")).isEqualTo("-14477141614333");
        // small hashes of integers: still a listpack
        assertThat(raw.objectEncoding(bucket())).isEqualTo("listpack");

        assertThat(store.apply(JoinOperation.actual(NS, "p1", 0), T0 + 1000)).isEqualTo(JoinResult.joined(1, 0, 1000));
        assertThat(entry("p1")).isEqualTo("14137833606");
        assertThat(store.apply(JoinOperation.actual(NS, "p31", 1), T0 + 1000))
                .isEqualTo(JoinResult.joined(31, 1, 1000));
        assertThat(entry("p31")).isEqualTo(Long.toString(-((EXPIRY * 1024 + 32 + 31) * 8 + 5)));
        // expired, whatever the class: expiry * 8 + 3
        assertThat(store.sweepNow(NS, EXPIRY * 1000)).isEqualTo(2);
        assertThat(entry("p0")).isEqualTo("14137833603");
        assertThat(entry("p2")).isEqualTo("14137833603");
        assertThat(unmatched).isEqualTo(Map.of(UnmatchedReason.EXPIRED, 2L));
    }

    /** Runs the previous version's apply.lua as its replica did, on the test's namespace; returns its reply. */
    private List<Object> previousApply(List<JoinOperation> operations, long nowMillis) {
        List<byte[]> args = new ArrayList<>(List.of(bytes(prefix), bytes(Long.toString(nowMillis / 1000)),
                bytes(Long.toString(TTL.toSeconds())), bytes("0"), bytes("60"), bytes("0"), bytes("1000000")));
        byte[] opKey = bytes(prefix + "#op:" + nowMillis / 1000);
        byte[] opId = bytes("previous-" + ++previousCalls);
        args.addAll(List.of(opKey, opId, bytes("60000"), bytes("1"), bytes(NS)));
        for (JoinOperation operation : operations) {
            byte[] op = new byte[3 + IdDigest.LENGTH];
            op[2] = (byte) (3 * (operation.prediction() + 1) + operation.actual() + 1);
            IdDigest.write(operation.id(), op, 3);
            args.add(op);
        }
        List<Object> reply = raw.eval(previous.text(), ScriptOutputType.MULTI, new byte[0][],
                args.toArray(byte[][]::new));
        raw.hdel(opKey, opId);
        return reply;
    }

    /** The results of a reply of the previous apply.lua: outcome * 4 + 2p + a + 32 * (seconds waited + 1). */
    private static List<JoinResult> previousResults(List<Object> reply) {
        assertThat((Long) reply.get(0)).as("the previous script's status").isZero();
        int first = 4 + 3 * (int) (long) (Long) reply.get(3);
        List<JoinResult> results = new ArrayList<>();
        for (Object value : reply.subList(first, reply.size())) {
            long result = (Long) value;
            int code = (int) (result & 31);
            long waited = (result >>> 5) - 1;
            JoinOutcome outcome = OUTCOMES[code >>> 2];
            results.add(outcome != JoinOutcome.MATCHED ? JoinResult.of(outcome)
                    : waited < 0 ? JoinResult.matched((code >>> 1) & 1, code & 1)
                    : JoinResult.joined((code >>> 1) & 1, code & 1, waited * 1000));
        }
        return results;
    }

    @Test
    void aReplicaOfThePreviousVersionSharesTheStoreForBinaryValues() {
        assertThat(previousResults(previousApply(List.of(JoinOperation.prediction(NS, "old-0", 0),
                JoinOperation.prediction(NS, "old-1", 1)), T0))).containsOnly(JoinResult.of(JoinOutcome.PENDING));
        assertThat(store.apply(List.of(JoinOperation.prediction(NS, "new-0", 0),
                JoinOperation.prediction(NS, "new-1", 1), JoinOperation.inline(NS, "inline", 1, 0)), T0).results())
                .containsExactly(JoinResult.of(JoinOutcome.PENDING), JoinResult.of(JoinOutcome.PENDING),
                        JoinResult.matched(1, 0));
        assertThat(entry("old-0")).isEqualTo(entry("new-0")).isEqualTo("14137833601");
        assertThat(entry("old-1")).isEqualTo(entry("new-1")).isEqualTo("14137833602");
        assertThat(metaField("p")).isEqualTo("4");

        // each joins what the other stored
        assertThat(store.apply(List.of(JoinOperation.actual(NS, "old-0", 1), JoinOperation.actual(NS, "old-1", 1)),
                T0 + 4000).results()).containsExactly(JoinResult.joined(0, 1, 4000), JoinResult.joined(1, 1, 4000));
        assertThat(previousResults(previousApply(List.of(JoinOperation.actual(NS, "new-0", 0),
                JoinOperation.actual(NS, "new-1", 0), JoinOperation.inline(NS, "inline", 1, 0),
                JoinOperation.actual(NS, "old-0", 1)), T0 + 4000)))
                .containsExactly(JoinResult.joined(0, 0, 4000), JoinResult.joined(1, 0, 4000),
                        JoinResult.of(JoinOutcome.DUPLICATE), JoinResult.of(JoinOutcome.DUPLICATE));
        assertThat((Long) previousApply(List.of(JoinOperation.inline(NS, "inline", 1, 1)), T0 + 4000).get(0))
                .as("a conflict").isEqualTo(-1);
        assertThat(store.apply(List.of(JoinOperation.actual(NS, "new-0", 0), JoinOperation.actual(NS, "old-1", 1)),
                T0 + 5000).results()).containsOnly(JoinResult.of(JoinOutcome.DUPLICATE));
        assertThat(store.apply(JoinOperation.actual(NS, "new-1", 1), T0 + 5000))
                .isEqualTo(JoinResult.of(JoinOutcome.CONFLICT));
        assertThat(metaField("p")).isEqualTo("0");
        assertThat(store.pending(NS)).isZero();

        // a class index above 1 the previous version cannot read: to it, a prediction past its
        // time-to-live (counted once as expired, keeping the pending count right) and forgotten
        store.apply(JoinOperation.prediction(NS, "class-31", 31), T0);
        assertThat(metaField("p")).isEqualTo("1");
        List<Object> reply = previousApply(List.of(JoinOperation.actual(NS, "class-31", 1)), T0 + 4000);
        assertThat(previousResults(reply)).containsExactly(JoinResult.of(JoinOutcome.UNKNOWN));
        assertThat(reply.subList(3, 7)).as("namespaces, then pending, expired and evicted")
                .containsExactly(1L, 0L, 1L, 0L);
        assertThat(entry("class-31")).isNull();
        assertThat(store.apply(JoinOperation.actual(NS, "class-31", 31), T0 + 5000))
                .isEqualTo(JoinResult.of(JoinOutcome.UNKNOWN));
        assertThat(store.pending(NS)).isZero();
    }
}
