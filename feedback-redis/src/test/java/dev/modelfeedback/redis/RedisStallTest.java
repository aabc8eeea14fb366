package dev.modelfeedback.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.PendingStoreUnavailableException;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The window between Redis running a script and the store reading its answer: a replica that
 * stalls, a connection that breaks, a request that reaches Redis after the store gave up. Whatever
 * happens in it, an operation Redis applied is counted exactly once and never answered as
 * unavailable, and an operation answered as unavailable is never applied. The failures are made
 * by a relay between the store and a real redis-server, at the moments the test chooses.
 */
final class RedisStallTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration LIMIT = Duration.ofSeconds(20);
    /** What the store sends for a script: EVALSHA, or EVAL. */
    private static final String EVAL = "\r\nEVAL";

    private RedisServer redis;
    private RedisRelay relay;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        resources.add(redis);
        relay = RedisRelay.to(redis);
        resources.add(relay);
    }

    @AfterEach
    void close() throws Exception {
        relay.releaseReplies();
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private RedisPendingStore store(String uri) {
        RedisPendingStore store = RedisPendingStore.builder(uri).commandTimeout(TIMEOUT).connectTimeout(TIMEOUT).build();
        resources.add(store);
        return store;
    }

    /** A model's recorder on the store; its clock stands still, so that no background sweep runs. */
    private static FeedbackRecorder recorder(RedisPendingStore store) {
        ManualWindowClock clock = WindowClock.manual(T0);
        ModelSet models = ModelSet.builder(new SimpleMeterRegistry()).eachModel(recorder -> recorder.clock(clock))
                .model("fraud", "v3").pendingStore(store).build();
        return models.recorder("fraud");
    }

    /** How many scripts Redis has run so far (not counting those it refused, such as unknown ones). */
    private long scriptCalls() {
        long calls = 0;
        Matcher matcher = Pattern.compile("cmdstat_eval(?:sha)?:calls=(\\d+),.*failed_calls=(\\d+)")
                .matcher(redis.call("INFO", "commandstats"));
        while (matcher.find()) {
            calls += Long.parseLong(matcher.group(1)) - Long.parseLong(matcher.group(2));
        }
        return calls;
    }

    /**
     * A prediction stored, and an actual value for an unknown id: Redis has loaded both scripts
     * (predictions, and actual values alone), so that the next operation runs at once.
     */
    private static void warmUp(FeedbackRecorder recorder, String id) {
        assertThat(recorder.recordPrediction(id, 1)).isEqualTo(JoinOutcome.PENDING);
        assertThat(recorder.recordActual("never-predicted", 1)).isEqualTo(JoinOutcome.UNKNOWN);
    }

    /**
     * A replica stalls after sending its operation (a pause of its JVM, a saturated machine): Redis
     * runs the script, and its answer arrives after the command timeout. The store does not answer
     * unavailable: it asks Redis for the operation's result, and counts it.
     */
    @Test
    void anAnswerThatArrivesAfterTheTimeoutIsStillCountedOnceAndNotAnsweredUnavailable() throws Exception {
        RedisPendingStore store = store(relay.uri());
        FeedbackRecorder recorder = recorder(store);
        warmUp(recorder, "p-1");

        relay.holdReplies();
        int sent = relay.requestsContaining(EVAL);
        CompletableFuture<JoinOutcome> joined = CompletableFuture.supplyAsync(() -> recorder.recordActual("p-1", 1));
        // the operation, then (after the timeout) the store's question about it
        RedisRelay.await("the store to give up waiting", LIMIT,
                () -> joined.isDone() || relay.requestsContaining(EVAL) >= sent + 2);
        relay.releaseReplies();

        assertThat(joined.get(LIMIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(JoinOutcome.MATCHED);
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
        assertThat(recorder.recordActual("p-1", 1)).isEqualTo(JoinOutcome.DUPLICATE);
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
    }

    /**
     * The connection breaks after Redis ran the script and before its answer arrived: the store
     * learns the result over the next connection, and counts it.
     */
    @Test
    void aConnectionThatBreaksAfterRedisRanTheScriptStillCountsTheOperationOnce() throws Exception {
        RedisPendingStore store = store(relay.uri());
        FeedbackRecorder recorder = recorder(store);
        warmUp(recorder, "p-2");

        relay.holdReplies();
        long ran = scriptCalls();
        CompletableFuture<JoinOutcome> joined = CompletableFuture.supplyAsync(() -> recorder.recordActual("p-2", 0));
        RedisRelay.await("Redis to run the script", LIMIT, () -> scriptCalls() > ran);
        relay.cutOpenConnections();
        relay.releaseReplies();

        assertThat(joined.get(LIMIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(JoinOutcome.MATCHED);
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(0, 0, 1, 0));
        assertThat(recorder.recordActual("p-2", 0)).isEqualTo(JoinOutcome.DUPLICATE);
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(0, 0, 1, 0));
    }

    /**
     * A request that reaches Redis only after the store answered unavailable (it waited in a
     * broken connection's buffers) is refused by the script, so that "unavailable" stays "nothing
     * was applied". This is a replica's first operation: no estimate of Redis's clock yet, so no
     * deadline; the claim the store left on the operation's id is what refuses it.
     */
    @Test
    void anOperationThatReachesRedisAfterTheStoreGaveUpIsNotApplied() throws Exception {
        RedisPendingStore direct = store(redis.uri());
        // the script is loaded: the late request runs it rather than failing for want of it
        assertThat(direct.apply(JoinOperation.prediction("other@1", "warm-up", 1), T0.toEpochMilli()).outcome())
                .isEqualTo(JoinOutcome.PENDING);
        RedisPendingStore store = store(relay.uri());
        RedisRelay.await("the store to connect", LIMIT, store::isConnected);

        relay.holdRequestsOfOpenConnections();
        CompletableFuture<JoinOutcome> stored = CompletableFuture.supplyAsync(
                () -> store.apply(JoinOperation.prediction("fraud@v3", "late", 1), T0.toEpochMilli()).outcome());
        RedisRelay.await("the operation to be sent", LIMIT, () -> relay.requestsContaining(EVAL) >= 1);
        relay.cutOpenConnections();
        assertThatThrownBy(() -> stored.get(LIMIT.toSeconds(), TimeUnit.SECONDS))
                .cause().isInstanceOf(PendingStoreUnavailableException.class);

        long ran = scriptCalls();
        relay.releaseRequests();
        RedisRelay.await("Redis to run the late request", LIMIT, () -> scriptCalls() > ran);

        assertThat(direct.apply(JoinOperation.actual("fraud@v3", "late", 1), T0.toEpochMilli()).outcome())
                .isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(store.apply(JoinOperation.prediction("fraud@v3", "late", 0), T0.toEpochMilli()).outcome())
                .isEqualTo(JoinOutcome.PENDING);
    }
}
