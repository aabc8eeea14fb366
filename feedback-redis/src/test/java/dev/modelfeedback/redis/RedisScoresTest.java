package dev.modelfeedback.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.JoinResult;
import dev.modelfeedback.core.join.UnmatchedReason;
import dev.modelfeedback.core.scores.Scores;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scores in Redis, byte for byte: an entry without scores is written exactly as before scores, one
 * with scores is its integer, a NUL byte and each probability's 64 bits; a replica of the version
 * before scores (its scripts kept in the test resources as {@code before-scores/}) reads a scored
 * entry as the same entry without scores; and a reply recorded for a caller that stopped waiting
 * hands the scores back exactly. Each test in its own key prefix, all at fixed times.
 */
final class RedisScoresTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final Duration TTL = Duration.ofHours(1);
    /** The expiry of what is stored at {@link #T0}: 1767229200, so a binary entry is 14137833600 + state. */
    private static final long EXPIRY = T0 / 1000 + TTL.toSeconds();
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
    private String prefix;
    private RedisPendingStore store;
    private int rawCalls;

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
        prefix = "scores" + ++prefixes + ":";
        // 100 ids: one bucket, prefix + namespace + ":0000"
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

    private byte[] bucket(String namespace) {
        return bytes(prefix + namespace + ":0000");
    }

    private byte @Nullable [] entry(String namespace, String id) {
        return raw.hget(bucket(namespace), IdDigest.of(id));
    }

    /** An entry as documented: the integer in decimal, then, with scores, a NUL byte and each probability's bits. */
    private static byte[] documented(long integer, String... bitsInHex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(Long.toString(integer)));
        if (bitsInHex.length > 0) {
            out.write(0);
            for (String bits : bitsInHex) {
                out.writeBytes(HexFormat.of().parseHex(bits));
            }
        }
        return out.toByteArray();
    }

    @Test
    void entriesWithScoresAppendTheirBitsAndEntriesWithoutAreWrittenAsBefore() {
        store.apply(List.of(JoinOperation.prediction(NS, "p0", 0), JoinOperation.prediction(NS, "p1", 1,
                Scores.binary(0.25)), JoinOperation.inline(NS, "i10", 1, 0, Scores.binary(-0.0)),
                JoinOperation.prediction(NS, "p1-one", 1, Scores.binary(1.0))), T0);
        store.apply(List.of(JoinOperation.prediction("intent@v2", "p2", 2, Scores.ofClasses(0.5, 0.25, 0.25)),
                JoinOperation.inline("intent@v2", "i31", 3, 1, Scores.ofClasses(0.1, 0.2, 0.3, 0.4))), T0);

        // without scores, the integer as before: expiry * 8 + state
        assertThat(entry(NS, "p0")).isEqualTo(documented(EXPIRY * 8 + 1));
        // 0.25 is 0x3fd0000000000000; -0.0 keeps its sign bit
        assertThat(entry(NS, "p1")).isEqualTo(documented(EXPIRY * 8 + 2, "3fd0000000000000"));
        assertThat(entry(NS, "i10")).isEqualTo(documented(EXPIRY * 8 + 6, "8000000000000000"));
        assertThat(entry(NS, "p1-one")).isEqualTo(documented(EXPIRY * 8 + 2, "3ff0000000000000"));
        // a class index above 1: the negative integer, then one double per class
        assertThat(entry("intent@v2", "p2")).isEqualTo(documented(-((EXPIRY * 1024 + 2) * 8 + 7),
                "3fe0000000000000", "3fd0000000000000", "3fd0000000000000"));
        assertThat(entry("intent@v2", "i31")).isEqualTo(documented(-((EXPIRY * 1024 + 32 + 3) * 8 + 5),
                "3fb999999999999a", "3fc999999999999a", "3fd3333333333333", "3fd999999999999a"));
        // values of up to 64 bytes: the buckets stay compact
        assertThat(raw.objectEncoding(bucket(NS))).isEqualTo("listpack");
        assertThat(raw.objectEncoding(bucket("intent@v2"))).isEqualTo("listpack");

        // joined, an entry keeps its scores
        assertThat(store.apply(JoinOperation.actual(NS, "p1", 1), T0 + 2000))
                .isEqualTo(JoinResult.joined(1, 1, 2000, Scores.binary(0.25)));
        assertThat(entry(NS, "p1")).isEqualTo(documented(EXPIRY * 8 + 7, "3fd0000000000000"));
        // expired, it keeps no prediction and no scores
        assertThat(store.sweepNow(NS, EXPIRY * 1000)).isEqualTo(2);
        assertThat(entry(NS, "p1-one")).isEqualTo(documented(EXPIRY * 8 + 3));
        assertThat(store.apply(JoinOperation.prediction(NS, "p1-one", 1, Scores.binary(0.5)), EXPIRY * 1000))
                .isEqualTo(JoinResult.of(JoinOutcome.PENDING));
        assertThat(entry(NS, "p1-one")).isEqualTo(documented((EXPIRY + TTL.toSeconds()) * 8 + 2, "3fe0000000000000"));
    }

    /** Runs a script of this version or of the one before scores on the raw connection; returns its reply. */
    private List<Object> run(String script, List<byte[]> args) {
        return raw.eval(Script.load(script, false).text(), ScriptOutputType.MULTI, new byte[0][],
                args.toArray(byte[][]::new));
    }

    /**
     * apply.lua's arguments for operations on {@link #NS}, as a store of this version (with
     * {@code withScores}) or of the one before sends them; the result is recorded under
     * {@code opId} of {@code opKey}.
     */
    private List<byte[]> applyArgs(List<JoinOperation> operations, long nowMillis, byte[] opKey, byte[] opId,
            boolean withScores) {
        List<byte[]> args = new ArrayList<>(List.of(bytes(prefix), bytes(Long.toString(nowMillis / 1000)),
                bytes(Long.toString(TTL.toSeconds())), bytes("0"), bytes("60"), bytes("0"), bytes("1000000"), opKey, opId,
                bytes("60000"), bytes("1"), bytes(NS)));
        for (JoinOperation operation : operations) {
            Scores scores = withScores ? operation.scores() : null;
            byte[] op = new byte[4 + IdDigest.LENGTH + ScoreBytes.length(scores)];
            op[2] = (byte) (operation.prediction() + 1);
            op[3] = (byte) (operation.actual() + 1);
            IdDigest.write(operation.id(), op, 4);
            ScoreBytes.write(scores, op, 4 + IdDigest.LENGTH);
            args.add(op);
        }
        return args;
    }

    /** Runs the apply.lua of the version before scores as its replica did; returns its results. */
    private List<JoinResult> applyBeforeScores(List<JoinOperation> operations, long nowMillis) {
        byte[] opKey = bytes(prefix + "#op:" + nowMillis / 1000);
        byte[] opId = bytes("before-scores-" + ++rawCalls);
        List<Object> reply = run("before-scores/apply.lua", applyArgs(operations, nowMillis, opKey, opId, false));
        raw.hdel(opKey, opId);
        assertThat((Long) reply.get(0)).as("the script's status").isZero();
        // its results: outcome + 8 * (p + 32 * a) + 8192 * (seconds waited + 1)
        List<JoinResult> results = new ArrayList<>();
        for (Object value : reply.subList(4 + 3 * (int) (long) (Long) reply.get(3), reply.size())) {
            long result = (Long) value;
            JoinOutcome outcome = OUTCOMES[(int) (result & 7)];
            int p = (int) (result >>> 3) & 31;
            int a = (int) (result >>> 8) & 31;
            long waited = (result >>> 13) - 1;
            results.add(outcome != JoinOutcome.MATCHED ? JoinResult.of(outcome)
                    : waited < 0 ? JoinResult.matched(p, a) : JoinResult.joined(p, a, waited * 1000));
        }
        return results;
    }

    /** Runs the sweep.lua of the version before scores; returns how many predictions it found expired. */
    private long sweepBeforeScores(long nowMillis) {
        List<Object> reply = run("before-scores/sweep.lua", List.of(bytes(prefix), bytes(NS),
                bytes(Long.toString(nowMillis / 1000)), bytes(Long.toString(TTL.toSeconds())), bytes("2000")));
        return (Long) reply.get(4);
    }

    @Test
    void aReplicaOfTheVersionBeforeScoresReadsAScoredEntryAsTheSameEntryWithoutScores() {
        Scores score = Scores.binary(0.8);
        assertThat(store.apply(List.of(JoinOperation.prediction(NS, "pending", 1, score),
                JoinOperation.prediction(NS, "joined-there", 0, score), JoinOperation.inline(NS, "inline", 1, 0, score),
                JoinOperation.prediction(NS, "due", 1, score)), T0).results())
                .containsExactly(JoinResult.of(JoinOutcome.PENDING), JoinResult.of(JoinOutcome.PENDING),
                        JoinResult.matched(1, 0, score), JoinResult.of(JoinOutcome.PENDING));

        // the previous version judges by the class alone, and joins without the scores, dropping them
        assertThat(applyBeforeScores(List.of(JoinOperation.prediction(NS, "pending", 1),
                JoinOperation.inline(NS, "inline", 1, 0), JoinOperation.actual(NS, "joined-there", 1)), T0 + 5000))
                .containsExactly(JoinResult.of(JoinOutcome.DUPLICATE), JoinResult.of(JoinOutcome.DUPLICATE),
                        JoinResult.joined(0, 1, 5000));
        assertThat(entry(NS, "joined-there")).isEqualTo(documented(EXPIRY * 8 + 5));
        assertThat(entry(NS, "pending")).isEqualTo(documented(EXPIRY * 8 + 2, "3fe999999999999a"));

        // this version: the scores it kept, and none where the previous one rewrote the entry
        assertThat(store.apply(List.of(JoinOperation.actual(NS, "joined-there", 1),
                JoinOperation.prediction(NS, "pending", 1, score), JoinOperation.inline(NS, "inline", 1, 0, score),
                JoinOperation.actual(NS, "pending", 1)), T0 + 6000).results())
                .containsExactly(JoinResult.of(JoinOutcome.DUPLICATE), JoinResult.of(JoinOutcome.DUPLICATE),
                        JoinResult.of(JoinOutcome.DUPLICATE), JoinResult.joined(1, 1, 6000, score));
        assertThat(store.apply(JoinOperation.prediction(NS, "joined-there", 0, score), T0 + 6000))
                .isEqualTo(JoinResult.of(JoinOutcome.CONFLICT));

        // its sweep notices a scored prediction's expiry once, like any other
        assertThat(sweepBeforeScores(EXPIRY * 1000)).isEqualTo(1);
        assertThat(entry(NS, "due")).isEqualTo(documented(EXPIRY * 8 + 3));
        assertThat(store.sweepNow(NS, EXPIRY * 1000)).isZero();
        assertThat(store.apply(JoinOperation.actual(NS, "due", 1), EXPIRY * 1000))
                .isEqualTo(JoinResult.of(JoinOutcome.EXPIRED));
        assertThat(store.pending(NS)).isZero();
    }

    /** A reply as text, to compare: numbers in decimal, strings (scores) as their bytes in hexadecimal. */
    private static List<String> text(List<Object> reply) {
        List<String> text = new ArrayList<>();
        for (int i = 0; i < reply.size(); i++) {
            Object value = reply.get(i);
            // the time (elements 1 and 2) is always the current one
            text.add(i == 1 || i == 2 ? "time" : value instanceof byte[] b ? "x" + HexFormat.of().formatHex(b)
                    : value.toString());
        }
        return text;
    }

    /**
     * The reply apply.lua records for a caller that stops waiting: asked again (resolve.lua), or
     * sent again (apply.lua with the same operation id), it is the same reply, scores and all.
     */
    @Test
    void aRecordedReplyHandsTheScoresBackExactly() {
        Scores three = Scores.ofClasses(0.1, Math.nextUp(0.2), 0.7);
        byte[] opKey = bytes(prefix + "#op:" + T0 / 1000);
        List<JoinOperation> operations = List.of(JoinOperation.prediction(NS, "a", 1, Scores.binary(-0.0)),
                JoinOperation.actual(NS, "a", 0), JoinOperation.inline(NS, "b", 2, 2, three),
                JoinOperation.inline(NS, "c", 0, 1));
        List<byte[]> args = applyArgs(operations, T0, opKey, bytes("op-1"), true);

        List<Object> reply = run("apply.lua", args);

        // results: outcome + 8 if scored + 16 * (p + 32 * a) + 16384 * (seconds waited + 1); then the scores
        assertThat(text(reply)).containsExactly("0", "time", "time", "1", "0", "0", "0", "0",
                Long.toString(1 + 8 + 16 * 1 + 16384), Long.toString(1 + 8 + 16 * (2 + 32 * 2)), Long.toString(1 + 16 * 32),
                "x8000000000000000", "x" + HexFormat.of().formatHex(bytesOf(three)));
        assertThat(text(run("apply.lua", args))).isEqualTo(text(reply));
        assertThat(text(run("resolve.lua", List.of(opKey, bytes("op-1"), bytes("60000"))))).isEqualTo(text(reply));
        assertThat(store.apply(List.of(JoinOperation.inline(NS, "a", 1, 0, Scores.binary(-0.0)),
                JoinOperation.inline(NS, "b", 2, 2, three)), T0).results()).containsOnly(JoinResult.of(JoinOutcome.DUPLICATE));
    }

    private static byte[] bytesOf(Scores scores) {
        byte[] bytes = new byte[ScoreBytes.length(scores)];
        ScoreBytes.write(scores, bytes, 0);
        return bytes;
    }
}
