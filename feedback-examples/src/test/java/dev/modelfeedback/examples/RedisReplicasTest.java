package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelfeedback.redis.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two example servers, each its own process, sharing one real {@code redis-server} (append-only,
 * fsync always) through {@code --store}: what replicas behind a load balancer live.
 */
class RedisReplicasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RedisServer redis;
    private Replica a;
    private Replica b;

    /** An example server in a process of its own, so that it can be killed like a crashed replica. */
    private record Replica(Process process, URI base) {

        static Replica start(String store) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "serve", "--port", "0", "--store", store, "--model", "fraud@v3")
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String prefix = "model-feedback example server on ";
            List<String> seen = new ArrayList<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                seen.add(line);
                if (line.startsWith(prefix)) {
                    URI base = URI.create(line.substring(prefix.length()).trim());
                    // keep draining its output, so that it never blocks on a full pipe
                    Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "replica-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new Replica(process, base);
                }
            }
            throw new IllegalStateException("the replica exited before it served: " + String.join("\n", seen));
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to Redis
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(137);
        }
    }

    @BeforeEach
    void start() throws IOException {
        redis = RedisServer.start(RedisServer.Options.DEFAULT.appendFsyncAlways());
        a = Replica.start(redis.uri());
        b = Replica.start(redis.uri());
    }

    @AfterEach
    void stop() {
        for (Replica replica : new Replica[] {a, b}) {
            if (replica != null) {
                replica.process().destroyForcibly();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private JsonNode post(Replica replica, String path, String body) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(replica.base().resolve(path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
        return JSON.readTree(answer.body());
    }

    private JsonNode counts(Replica replica) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(replica.base().resolve("/feedback"))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body()).at("/models/0/counts");
    }

    @Test
    void predictionsOnOneReplicaAreJoinedOnTheOtherOnceEvenAfterTheFirstIsKilled() throws Exception {
        List<String> ids = new ArrayList<>();
        List<Integer> predictions = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            JsonNode predicted = post(a, "/predict", "{\"feature\":" + (i % 10) / 10.0 + "}");
            ids.add(predicted.get("id").asText());
            predictions.add(predicted.get("prediction").asInt());
        }
        a.kill();

        StringBuilder actuals = new StringBuilder("[");
        int[] expected = new int[4]; // TP, TN, FP, FN
        for (int i = 0; i < ids.size(); i++) {
            int actual = i % 3 == 0 ? 0 : 1;
            actuals.append(i == 0 ? "" : ",").append("{\"id\":\"").append(ids.get(i)).append("\",\"actual\":").append(actual).append('}');
            int prediction = predictions.get(i);
            expected[prediction == 1 ? (actual == 1 ? 0 : 2) : (actual == 1 ? 3 : 1)]++;
        }
        actuals.append(']');
        JsonNode joined = post(b, "/feedback", actuals.toString());
        JsonNode again = post(b, "/feedback", actuals.toString());

        assertThat(joined.get("recorded").asInt()).isEqualTo(60);
        assertThat(joined.get("not_counted")).isEmpty();
        assertThat(again.get("recorded").asInt()).isZero();
        assertThat(again.get("not_counted")).hasSize(60).allSatisfy(item -> assertThat(item.get("outcome").asText()).isEqualTo("duplicate"));
        JsonNode counts = counts(b);
        assertThat(List.of(counts.get("true_positives").asInt(), counts.get("true_negatives").asInt(),
                counts.get("false_positives").asInt(), counts.get("false_negatives").asInt()))
                .containsExactly(expected[0], expected[1], expected[2], expected[3]);
        assertThat(expected[0] + expected[1] + expected[2] + expected[3]).isEqualTo(60);
    }

    @Test
    void theSameInlineIdSentToBothReplicasAtOnceCountsOnce() throws Exception {
        int duplicates = 0;
        for (int i = 0; i < 25; i++) {
            String item = "{\"id\":\"order-" + i + "\",\"prediction\":1,\"actual\":" + (i % 2) + "}";
            CompletableFuture<JsonNode> onA = CompletableFuture.supplyAsync(() -> postUnchecked(a, item));
            CompletableFuture<JsonNode> onB = CompletableFuture.supplyAsync(() -> postUnchecked(b, item));
            for (JsonNode answer : List.of(onA.get(30, TimeUnit.SECONDS), onB.get(30, TimeUnit.SECONDS))) {
                duplicates += answer.path("duplicate").asBoolean() ? 1 : 0;
            }
        }

        assertThat(duplicates).isEqualTo(25);
        JsonNode onA = counts(a);
        JsonNode onB = counts(b);
        assertThat(onA.get("true_positives").asInt() + onB.get("true_positives").asInt()).isEqualTo(12);
        assertThat(onA.get("false_positives").asInt() + onB.get("false_positives").asInt()).isEqualTo(13);
    }

    private JsonNode postUnchecked(Replica replica, String body) {
        try {
            return post(replica, "/feedback", body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
