package dev.modelfeedback.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.redis.RedisPendingStore;
import dev.modelfeedback.redis.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /feedback} with the Redis store on real Jetty and Tomcat over real HTTP: replicas that
 * share one Redis, and Redis stopped while requests arrive (503, nothing counted, recovery).
 */
final class RedisStoreServletTest {

    private static final String UNAVAILABLE =
            "the store of pending predictions is unavailable; nothing was counted, send the request again later";

    private RedisServer redis;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start(RedisServer.Options.DEFAULT.appendFsyncAlways());
        resources.add(redis);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /** One replica: its own registry, models, store and container, on the shared Redis. */
    private final class Replica {
        final MeterRegistry registry = new SimpleMeterRegistry();
        final RedisPendingStore store;
        final ModelSet models;
        final Http http;

        Replica(String container) throws Exception {
            store = RedisPendingStore.builder(redis.uri()).commandTimeout(Duration.ofMillis(500)).build();
            resources.add(store);
            models = ModelSet.builder(registry).model("fraud", "v3").pendingStore(store).build();
            ServletContainer server = container.equals("jetty") ? new JettyContainer() : new TomcatContainer();
            resources.add(server);
            http = new Http(server.start(new FeedbackServlet(models)));
        }

        ClassificationSnapshot counts() {
            return models.recorder("fraud").snapshot();
        }

        double refusedAsUnavailable() {
            return registry.get("feedback.rejected").tag("reason", "store_unavailable").counter().count();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    void aPredictionOnOneReplicaIsJoinedOnceByAnActualOnAnother(String container) throws Exception {
        Replica a = new Replica(container);
        Replica b = new Replica(container);

        assertThat(a.http.post("[" + JoinContract.prediction("p1", 1) + "," + JoinContract.prediction("p2", 0) + "]")
                .status()).isEqualTo(202);
        Http.Answer joined = b.http.post("[" + JoinContract.actual("p1", 1) + "," + JoinContract.actual("p2", 1) + "]");
        Http.Answer again = a.http.post(JoinContract.actual("p1", 1));

        assertThat(joined.status()).isEqualTo(200);
        assertThat(joined.json().get("recorded").asInt()).isEqualTo(2);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        assertThat(b.counts()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 1));
        assertThat(a.counts()).isEqualTo(ClassificationSnapshot.EMPTY);
    }

    /** The same inline feedback sent to both replicas at once, 100 times over: counted once in all. */
    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    void theSameInlineIdSentToTwoReplicasAtOnceCountsOnce(String container) throws Exception {
        Replica a = new Replica(container);
        Replica b = new Replica(container);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 100; round++) {
                String body = JoinContract.inline("order-" + round, 1, 1);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> statuses = new ArrayList<>();
                for (Replica replica : List.of(a, b, a, b)) {
                    Callable<Integer> send = () -> {
                        start.await();
                        return replica.http.post(body).status();
                    };
                    statuses.add(pool.submit(send));
                }
                start.countDown();
                for (Future<Integer> status : statuses) {
                    assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(200);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(a.counts().truePositives() + b.counts().truePositives()).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    void redisStoppedIs503AndCountsNothingThenRecordingResumesWhenItIsBack(String container) throws Exception {
        Replica replica = new Replica(container);
        assertThat(replica.http.post(JoinContract.prediction("p1", 1)).status()).isEqualTo(202);
        String batch = "[{\"prediction\":1,\"actual\":1}," + JoinContract.actual("p1", 1) + "]";

        redis.stop();
        Http.Answer refused = replica.http.post(batch);
        Http.Answer single = replica.http.post(JoinContract.prediction("p2", 0));
        Http.Answer status = replica.http.get();

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.error()).isEqualTo(UNAVAILABLE);
        assertThat(single.status()).isEqualTo(503);
        assertThat(single.error()).isEqualTo(UNAVAILABLE);
        assertThat(replica.counts()).isEqualTo(ClassificationSnapshot.EMPTY);
        assertThat(replica.refusedAsUnavailable()).isEqualTo(2);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("models").get(0).get("pending").asInt()).isEqualTo(1);

        redis.restart();
        Http.Answer retried = retryWhile503(() -> replica.http.post(batch));

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().get("recorded").asInt()).isEqualTo(2);
        assertThat(replica.counts()).isEqualTo(new ClassificationSnapshot(2, 0, 0, 0));
        assertThat(replica.http.post(JoinContract.actual("p2", 0)).status()).isEqualTo(404);
    }

    /** Sends again while the answer is 503, as a client would; gives up after 15 seconds. */
    private static Http.Answer retryWhile503(Supplier<Http.Answer> send) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Http.Answer answer = send.get();
        while (answer.status() == 503 && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
            answer = send.get();
        }
        return answer;
    }
}
