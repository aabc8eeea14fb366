package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.redis.RedisPendingStore;
import dev.modelfeedback.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter with {@code modelfeedback.pending.store=redis} against a real {@code redis-server},
 * over real HTTP, with the Lettuce version Spring Boot manages.
 */
@SpringBootTest(classes = FeedbackTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"modelfeedback.pending.store=redis", "management.endpoints.web.exposure.include=prometheus"})
final class RedisStoreOverHttpTest {

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

    @DynamicPropertySource
    static void redisUri(DynamicPropertyRegistry properties) {
        properties.add("modelfeedback.pending.redis.uri", () -> redis.uri());
    }

    @Value("${local.server.port}")
    private int port;
    @Autowired
    private ModelSet models;

    @Test
    void predictionsWaitInRedisAndActualsJoinThemOnce() {
        Http http = new Http(port);

        Http.Answer stored = http.post("/feedback", "[{\"id\":\"p1\",\"prediction\":1},{\"id\":\"p2\",\"prediction\":0}]");
        Http.Answer joined = http.post("/feedback", "{\"id\":\"p1\",\"actual\":1}");
        Http.Answer again = http.post("/feedback", "{\"id\":\"p1\",\"actual\":1}");

        assertThat(models.pendingStore()).isInstanceOf(RedisPendingStore.class);
        assertThat(stored.status()).isEqualTo(202);
        assertThat(joined.status()).isEqualTo(200);
        assertThat(joined.body()).startsWith("{\"recorded\":1,\"pending\":0,");
        assertThat(again.body()).startsWith("{\"recorded\":0,\"pending\":0,\"duplicate\":true,");
        assertThat(models.recorder(null).snapshot().truePositives()).isEqualTo(1);
        assertThat(redis.call("HGET", "mf:default@unknown", "p")).isEqualTo("1");
        assertThat(http.scrape()).contains(
                "feedback_pending_predictions{model=\"default\",model_version=\"unknown\",scope=\"shared\"} 1.0");
    }
}
