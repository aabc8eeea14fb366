package dev.modelfeedback.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.JoinResult;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.join.PendingStoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped, killed, stalled, never there, guarded by a password, full: the store fails as
 * unavailable within its timeout, applies nothing then, and recovers by itself.
 */
final class RedisOutageTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String NS = "fraud@v3";
    /** Slack for a loaded machine on top of a timeout, for "fails within the timeout" checks. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    /** How long Redis may take to be back after a restart, for the store to reconnect. */
    private static final Duration RECOVERY = Duration.ofSeconds(15);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private RedisServer redis(RedisServer.Options options) {
        RedisServer server = RedisServer.start(options);
        resources.add(server);
        return server;
    }

    private RedisPendingStore store(RedisServer server, Duration timeout) {
        return store(RedisPendingStore.builder(server.uri()).commandTimeout(timeout).connectTimeout(timeout));
    }

    private RedisPendingStore store(RedisPendingStore.Builder builder) {
        RedisPendingStore store = builder.build();
        resources.add(store);
        return store;
    }

    /** Fails the test if {@code call} does not throw {@link PendingStoreUnavailableException} within the bound. */
    private static PendingStoreUnavailableException unavailableWithin(Duration bound, Runnable call) {
        long started = System.nanoTime();
        PendingStoreUnavailableException[] thrown = new PendingStoreUnavailableException[1];
        assertThatThrownBy(call::run).isInstanceOfSatisfying(PendingStoreUnavailableException.class, e -> thrown[0] = e);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(bound);
        return thrown[0];
    }

    /** Calls until the store answers, as a client retrying its 503s would; fails after {@link #RECOVERY}. */
    private static <T> T once(Supplier<T> call) {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (PendingStoreUnavailableException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the store did not recover within " + RECOVERY.toSeconds() + " s", e);
                }
                sleep(50);
            }
        }
    }

    @Test
    void aStoppedRedisIsUnavailableAtOnceAppliesNothingAndTheStoreRecoversAfterARestart() {
        RedisServer redis = redis(RedisServer.Options.DEFAULT.appendFsyncAlways());
        Duration timeout = Duration.ofMillis(500);
        RedisPendingStore store = store(redis, timeout);
        assertThat(once(() -> store.apply(JoinOperation.prediction(NS, "before", 1), T0)).outcome())
                .isEqualTo(JoinOutcome.PENDING);

        redis.stop();

        List<JoinOperation> batch = List.of(JoinOperation.prediction(NS, "during", 1), JoinOperation.actual(NS, "before", 1));
        PendingStoreUnavailableException down = unavailableWithin(timeout.multipliedBy(2).plus(SLACK),
                () -> store.apply(batch, T0));
        // refused at once when the client saw the connection close; at the timeout had it not yet
        // (and then, unable to ask whether Redis ran it, saying so)
        assertThat(down.getMessage()).matches("Redis at \\Q" + redis.uri()
                + "\\E (is unavailable: .*|did not answer within the command timeout of 500 ms.*)");
        unavailableWithin(timeout.multipliedBy(2).plus(SLACK), () -> store.apply(JoinOperation.actual(NS, "before", 1), T0));
        store.sweep(NS, T0); // never throws, never waits
        assertThat(store.pending(NS)).isEqualTo(1);

        redis.restart();

        // nothing of the refused batch was applied: "before" is still pending, "during" unknown
        assertThat(once(() -> store.apply(JoinOperation.actual(NS, "before", 1), T0))).isEqualTo(JoinResult.joined(1, 1, 0));
        assertThat(store.apply(JoinOperation.actual(NS, "during", 1), T0).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(store.isConnected()).isTrue();
    }

    /**
     * A frozen Redis (SIGSTOP) answers nothing: the call fails at its timeout, and the question
     * whether it ran goes unanswered for as long again, so the store says that it cannot tell. When
     * Redis thaws it reads the call and runs it, late: the script sees that it starts past its
     * deadline and applies nothing; then the question, which claims the operation.
     */
    @Test
    void aStalledRedisTimesOutAndTheTimedOutCallIsNotAppliedWhenRedisThaws() {
        RedisServer redis = redis(RedisServer.Options.DEFAULT);
        Duration timeout = Duration.ofMillis(400);
        RedisPendingStore store = store(redis, timeout);
        once(() -> store.apply(JoinOperation.prediction(NS, "warm-up", 0), T0));

        redis.pause();
        PendingStoreUnavailableException stalled;
        try {
            stalled = unavailableWithin(timeout.multipliedBy(2).plus(SLACK), () -> store.apply(List.of(
                    JoinOperation.prediction(NS, "stalled", 1), JoinOperation.actual(NS, "warm-up", 0)), T0));
            sleep(600);
        } finally {
            redis.resume();
        }

        assertThat(stalled.getMessage()).isEqualTo("Redis at " + redis.uri()
                + " did not answer within the command timeout of 400 ms, nor, within as long again, to the question"
                + " whether it ran the operation: if it ran, it is not counted, and a retry is answered as a duplicate");
        assertThat(once(() -> store.apply(JoinOperation.actual(NS, "stalled", 1), T0)).outcome())
                .isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(store.apply(JoinOperation.actual(NS, "warm-up", 0), T0)).isEqualTo(JoinResult.joined(0, 0, 0));
    }

    @Test
    void acknowledgedPredictionsSurviveRedisKilledWithAppendFsyncAlways() {
        RedisServer redis = redis(RedisServer.Options.DEFAULT.appendFsyncAlways());
        RedisPendingStore store = store(redis, Duration.ofSeconds(2));
        int ids = 10_000;
        for (int from = 0; from < ids; from += 1000) {
            List<JoinOperation> batch = new ArrayList<>();
            for (int i = from; i < from + 1000; i++) {
                batch.add(JoinOperation.prediction(NS, "p-" + i, i % 2));
            }
            assertThat(once(() -> store.apply(batch, T0)).results()).containsOnly(JoinResult.of(JoinOutcome.PENDING));
        }

        redis.kill();
        redis.restart();

        int matched = 0;
        for (int from = 0; from < ids; from += 1000) {
            List<JoinOperation> batch = new ArrayList<>();
            for (int i = from; i < from + 1000; i++) {
                batch.add(JoinOperation.actual(NS, "p-" + i, 1));
            }
            for (JoinResult result : once(() -> store.apply(batch, T0 + 1000)).results()) {
                matched += result.outcome() == JoinOutcome.MATCHED ? 1 : 0;
            }
        }
        assertThat(matched).isEqualTo(ids);
        assertThat(store.pending(NS)).isZero();
    }

    @Test
    void aStoreBuiltWhileRedisIsDownWorksOnceRedisIsUp() {
        RedisServer redis = redis(RedisServer.Options.DEFAULT);
        redis.stop();
        Duration timeout = Duration.ofMillis(300);
        RedisPendingStore store = store(redis, timeout);

        PendingStoreUnavailableException down = unavailableWithin(timeout.plus(SLACK),
                () -> store.apply(JoinOperation.prediction(NS, "p", 1), T0));
        assertThat(down.getMessage()).startsWith("cannot connect to Redis at " + redis.uri());
        store.sweep(NS, T0);
        assertThat(store.pending(NS)).isZero();
        assertThat(store.isConnected()).isFalse();

        redis.restart();

        assertThat(once(() -> store.apply(JoinOperation.prediction(NS, "p", 1), T0)).outcome())
                .isEqualTo(JoinOutcome.PENDING);
        assertThat(store.apply(JoinOperation.actual(NS, "p", 1), T0)).isEqualTo(JoinResult.joined(1, 1, 0));
    }

    @Test
    void thePasswordIsSentAndAWrongOneIsUnavailableNamingTheCause() {
        RedisServer redis = redis(RedisServer.Options.DEFAULT.withPassword("s3cret-for-tests"));
        RedisPendingStore store = store(RedisPendingStore.builder(redis.uri()).password("s3cret-for-tests"));
        RedisPendingStore without = store(RedisPendingStore.builder(redis.uri()).commandTimeout(Duration.ofMillis(500)));
        RedisPendingStore wrong = store(RedisPendingStore.builder(redis.uri()).password("not-it")
                .commandTimeout(Duration.ofMillis(500)));

        assertThat(once(() -> store.apply(JoinOperation.prediction(NS, "p", 1), T0)).outcome())
                .isEqualTo(JoinOutcome.PENDING);
        assertThatThrownBy(() -> without.apply(JoinOperation.actual(NS, "p", 1), T0))
                .isInstanceOf(PendingStoreUnavailableException.class)
                .hasMessageStartingWith("cannot connect to Redis at " + redis.uri())
                .hasMessageContaining("NOAUTH");
        assertThatThrownBy(() -> wrong.apply(JoinOperation.actual(NS, "p", 1), T0))
                .isInstanceOf(PendingStoreUnavailableException.class)
                .hasMessageStartingWith("cannot connect to Redis at " + redis.uri())
                .hasMessageContaining("WRONGPASS");
        assertThat(store.apply(JoinOperation.actual(NS, "p", 1), T0)).isEqualTo(JoinResult.joined(1, 1, 0));
    }

    /** At maxmemory (noeviction) new ids are refused as unavailable, and actuals still join what is stored. */
    @Test
    void aFullRedisRefusesNewPredictionsButStillJoinsStoredOnes() {
        RedisServer redis = redis(RedisServer.Options.DEFAULT);
        RedisPendingStore store = store(redis, Duration.ofSeconds(2));
        List<JoinOperation> stored = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            stored.add(JoinOperation.prediction(NS, "stored-" + i, 1));
        }
        once(() -> store.apply(stored, T0));
        redis.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        redis.call("CONFIG", "SET", "maxmemory", Long.toString(redis.info("memory", "used_memory") + 256 * 1024));

        PendingStoreUnavailableException full = null;
        for (int batch = 0; batch < 200 && full == null; batch++) {
            List<JoinOperation> more = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                more.add(JoinOperation.prediction(NS, "more-" + batch + "-" + i, 0));
            }
            try {
                store.apply(more, T0);
            } catch (PendingStoreUnavailableException e) {
                full = e;
            }
        }

        assertThat(full).isNotNull();
        assertThat(full.getMessage()).startsWith("Redis at " + redis.uri() + " is full (maxmemory reached)");
        List<JoinOperation> actuals = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            actuals.add(JoinOperation.actual(NS, "stored-" + i, 1));
        }
        assertThat(store.apply(actuals, T0).results()).containsOnly(JoinResult.joined(1, 1, 0));
        redis.call("CONFIG", "SET", "maxmemory", "0");
        assertThat(store.apply(JoinOperation.prediction(NS, "after", 1), T0).outcome()).isEqualTo(JoinOutcome.PENDING);
    }

    @Test
    void closingReleasesTheConnectionAndLaterCallsAreRefused() {
        RedisServer redis = redis(RedisServer.Options.DEFAULT);
        PendingStore store = RedisPendingStore.builder(redis.uri()).build();
        once(() -> store.apply(JoinOperation.prediction(NS, "p", 1), T0));
        long clients = redis.info("clients", "connected_clients");

        store.close();

        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (redis.info("clients", "connected_clients") != clients - 1 && System.nanoTime() - deadline < 0) {
            sleep(20);
        }
        assertThat(redis.info("clients", "connected_clients")).isEqualTo(clients - 1);
        assertThatThrownBy(() -> store.apply(JoinOperation.actual(NS, "p", 1), T0))
                .isInstanceOf(IllegalStateException.class).hasMessage("the Redis pending store was closed");
        store.close(); // twice is harmless
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
