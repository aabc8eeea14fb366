package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class ExampleServerTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private ExampleServer server;

    @BeforeEach
    void start() throws Exception {
        server = ExampleServer.start(new ExampleServer.Options("127.0.0.1", 0, List.of(), false));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(server.uri().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(server.uri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesFeedbackAndExposesTheResultOnMetrics() throws Exception {
        assertThat(post("/feedback", "[{\"prediction\":1,\"actual\":1},{\"prediction\":1,\"actual\":1},"
                + "{\"prediction\":1,\"actual\":0},{\"prediction\":0,\"actual\":1}]").statusCode()).isEqualTo(200);
        assertThat(post("/feedback", "{\"prediction\":2,\"actual\":1}").statusCode()).isEqualTo(400);

        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        String tags = "{model=\"default\",model_version=\"unknown\"}";
        assertThat(metrics.body().lines()).contains(
                "true_positives_total" + tags + " 2.0",
                "true_negatives_total" + tags + " 0.0",
                "false_positives_total" + tags + " 1.0",
                "false_negatives_total" + tags + " 1.0",
                "model_accuracy" + tags + " 0.5",
                "model_precision" + tags + " " + (2.0 / 3.0),
                "model_recall" + tags + " " + (2.0 / 3.0),
                "model_f1_score" + tags + " " + (2.0 / 3.0),
                "feedback_rejected_total{reason=\"invalid_feedback\"} 1.0");
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");
    }

    @Test
    void predictAnswersWithTheToyModelAndRecordsNothing() throws Exception {
        HttpResponse<String> high = post("/predict", "{\"feature\":0.73}");
        HttpResponse<String> low = post("/predict", "{\"feature\":0.2}");
        HttpResponse<String> edge = post("/predict", "{\"feature\":0.5}");

        assertThat(high.statusCode()).isEqualTo(200);
        assertThat(high.body()).isEqualTo("{\"prediction\":1,\"model\":\"default\",\"model_version\":\"unknown\"}");
        assertThat(low.body()).isEqualTo("{\"prediction\":0,\"model\":\"default\",\"model_version\":\"unknown\"}");
        assertThat(edge.body()).startsWith("{\"prediction\":1,");
        assertThat(server.recorders().recorder(null).snapshot().total()).isZero();
    }

    @Test
    void predictRefusesBadInputWith400() throws Exception {
        assertThat(post("/predict", "{\"feature\":\"high\"}").body()).isEqualTo("{\"error\":\"feature must be a number\"}");
        assertThat(post("/predict", "{}").body()).isEqualTo("{\"error\":\"feature is required\"}");
        assertThat(post("/predict", "{\"feature\":1,\"x\":2}").body())
                .isEqualTo("{\"error\":\"unknown field 'x'; expected feature\"}");
        assertThat(post("/predict", "[1]").statusCode()).isEqualTo(400);
        assertThat(post("/predict", "{\"feature\":1e999}").body()).isEqualTo("{\"error\":\"feature must be a finite number\"}");
        assertThat(post("/predict", "{\"feature\":").statusCode()).isEqualTo(400);
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(server.uri().resolve("/predict"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(("{\"feature\":1}" + " ".repeat(5000)).getBytes())))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).isEqualTo("{\"error\":\"request body is larger than 4096 bytes\"}");
    }

    @Test
    void getFeedbackShowsTheJsonSnapshot() throws Exception {
        post("/feedback", "{\"prediction\":0,\"actual\":0}");

        HttpResponse<String> feedback = get("/feedback");

        assertThat(feedback.statusCode()).isEqualTo(200);
        assertThat(feedback.body()).isEqualTo("{\"models\":[{\"model\":\"default\",\"model_version\":\"unknown\","
                + "\"metrics\":{\"accuracy\":1.0,\"precision\":null,\"recall\":null,\"f1\":null},"
                + "\"counts\":{\"true_positives\":0,\"true_negatives\":1,\"false_positives\":0,\"false_negatives\":0}}]}");
    }

    @Test
    void servesTheModelsItIsGiven() throws Exception {
        try (ExampleServer two = ExampleServer.start(new ExampleServer.Options("127.0.0.1", 0,
                List.of(new ModelId("fraud", "v3"), new ModelId("churn", "v1")), false))) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(two.uri().resolve("/feedback"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prediction\":1,\"actual\":1,\"model\":\"churn\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(two.recorders().recorder("churn").snapshot().truePositives()).isEqualTo(1);
            assertThat(two.uri()).isNotEqualTo(URI.create("http://127.0.0.1:0/"));
        }
    }
}
