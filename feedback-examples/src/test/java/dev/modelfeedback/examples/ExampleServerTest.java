package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelfeedback.core.model.ModelId;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class ExampleServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newHttpClient();
    private ExampleServer server;

    @BeforeEach
    void start() throws Exception {
        server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0));
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
    void predictAnswersWithAnIdAndStoresThePredictionForItsActual() throws Exception {
        HttpResponse<String> high = post("/predict", "{\"feature\":0.73}");
        HttpResponse<String> low = post("/predict", "{\"feature\":0.2}");
        HttpResponse<String> edge = post("/predict", "{\"feature\":0.5}");

        assertThat(high.statusCode()).isEqualTo(200);
        assertThat(high.body()).matches("\\{\"id\":\"[0-9a-f-]{36}\",\"prediction\":1,\"model\":\"default\","
                + "\"model_version\":\"unknown\"}");
        assertThat(JSON.readTree(low.body()).get("prediction").asInt()).isZero();
        assertThat(JSON.readTree(edge.body()).get("prediction").asInt()).isEqualTo(1);
        assertThat(server.models().recorder(null).snapshot().total()).isZero();
        assertThat(server.models().recorder(null).joins().pending()).isEqualTo(3);

        String id = JSON.readTree(high.body()).get("id").asText();
        HttpResponse<String> joined = post("/feedback", "{\"id\":\"" + id + "\",\"actual\":0}");
        assertThat(joined.statusCode()).isEqualTo(200);
        assertThat(server.models().recorder(null).snapshot()).isEqualTo(
                new dev.modelfeedback.core.matrix.ClassificationSnapshot(0, 0, 1, 0));
        assertThat(server.models().recorder(null).joins().pending()).isEqualTo(2);
    }

    @Test
    void predictRefusesBadInputWith400() throws Exception {
        assertThat(post("/predict", "{\"feature\":\"high\"}").body()).isEqualTo("{\"error\":\"feature must be a number\"}");
        assertThat(post("/predict", "{}").body()).isEqualTo("{\"error\":\"feature is required\"}");
        assertThat(post("/predict", "{\"feature\":1,\"x\":2}").body())
                .isEqualTo("{\"error\":\"unknown field 'x'; expected feature\"}");
        assertThat(post("/predict", "[1]").body()).isEqualTo("{\"error\":\"body must be a JSON object {\\\"feature\\\": <number>}\"}");
        assertThat(post("/predict", "{\"feature\":1e999}").body()).isEqualTo("{\"error\":\"feature must be a finite number\"}");
        assertThat(post("/predict", "{\"feature\":").statusCode()).isEqualTo(400);
        assertThat(rejected("predict_rejected_total", "invalid_request")).isEqualTo(5);
        assertThat(rejected("predict_rejected_total", "malformed_json")).isEqualTo(1);
    }

    /** The same reading and refusal code as /feedback: UTF-8 only, media type, size while streaming. */
    @Test
    void predictIsAsStrictAsFeedback() throws Exception {
        byte[] utf16 = "{\"feature\":0.73}".getBytes(StandardCharsets.UTF_16LE);
        HttpResponse<String> wide = send("/predict", "application/json", HttpRequest.BodyPublishers.ofByteArray(utf16));
        HttpResponse<String> plain = send("/predict", "text/plain", HttpRequest.BodyPublishers.ofString("{\"feature\":1}"));
        HttpResponse<String> latin1 = send("/predict", "application/json; charset=ISO-8859-1",
                HttpRequest.BodyPublishers.ofString("{\"feature\":1}"));
        HttpResponse<String> chunked = send("/predict", "application/json", HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(("{\"feature\":1}" + " ".repeat(5000)).getBytes(StandardCharsets.UTF_8))));
        HttpResponse<String> getPredict = get("/predict");

        assertThat(wide.statusCode()).isEqualTo(400);
        assertThat(wide.body()).isEqualTo("{\"error\":\"malformed JSON: body must be encoded in UTF-8\"}");
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(plain.body()).isEqualTo("{\"error\":\"Content-Type must be application/json, got 'text/plain'\"}");
        assertThat(latin1.statusCode()).isEqualTo(415);
        assertThat(latin1.body()).isEqualTo("{\"error\":\"charset must be UTF-8, got 'iso-8859-1'\"}");
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).isEqualTo("{\"error\":\"request body is larger than the limit of 4096 bytes\"}");
        assertThat(getPredict.statusCode()).isEqualTo(405);
        assertThat(getPredict.headers().firstValue("Allow")).contains("POST, OPTIONS");
        assertThat(getPredict.body()).isEqualTo("{\"error\":\"method 'GET' is not allowed; use POST, OPTIONS\"}");
        for (HttpResponse<String> refused : List.of(wide, plain, latin1, chunked, getPredict)) {
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).isEqualToIgnoringCase("application/json;charset=UTF-8"));
        }
        assertThat(rejected("predict_rejected_total", "malformed_json")).isEqualTo(1);
        assertThat(rejected("predict_rejected_total", "unsupported_media_type")).isEqualTo(2);
        assertThat(rejected("predict_rejected_total", "too_large")).isEqualTo(1);
        assertThat(rejected("predict_rejected_total", "method_not_allowed")).isEqualTo(1);
        assertThat(rejected("feedback_rejected_total", "malformed_json")).isZero();
    }

    /** The server's own error pages: JSON naming the status, no stack trace, no version, no echo. */
    @Test
    void errorPagesRevealNothing() throws Exception {
        try (ExampleServer throwing = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0),
                context -> context.addServlet(new ServletHolder(new FailingServlet()), "/fail"))) {
            HttpResponse<String> unknownPath = client.send(HttpRequest.newBuilder(
                    throwing.uri().resolve("/nope%3Cscript%3E")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> postMetrics = client.send(HttpRequest.newBuilder(throwing.uri().resolve("/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> failed = client.send(HttpRequest.newBuilder(throwing.uri().resolve("/fail"))
                    .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(unknownPath.statusCode()).isEqualTo(404);
            assertThat(unknownPath.body()).isEqualTo("{\"error\":\"Not Found\"}");
            assertThat(postMetrics.statusCode()).isEqualTo(405);
            assertThat(postMetrics.body()).isEqualTo("{\"error\":\"Method Not Allowed\"}");
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).isEqualTo("{\"error\":\"Server Error\"}");
            for (HttpResponse<String> page : List.of(unknownPath, postMetrics, failed)) {
                assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).isEqualToIgnoringCase("application/json;charset=UTF-8"));
                assertThat(page.headers().firstValue("Server")).isEmpty();
                assertThat(page.headers().firstValue("X-Powered-By")).isEmpty();
                assertThat(page.body()).doesNotContain("Jetty").doesNotContain("secret").doesNotContain("Exception")
                        .doesNotContain("\tat ").doesNotContain("script");
            }
        }
    }

    /** Stands for any bug in a servlet: an exception whose message must not reach the client. */
    private static final class FailingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            throw new IllegalStateException("secret detail of a failure");
        }
    }

    private double rejected(String counter, String reason) throws IOException, InterruptedException {
        String line = counter + "{reason=\"" + reason + "\"} ";
        return get("/metrics").body().lines().filter(l -> l.startsWith(line))
                .mapToDouble(l -> Double.parseDouble(l.substring(line.length()))).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + line));
    }

    private HttpResponse<String> send(String path, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(server.uri().resolve(path)).header("Content-Type", contentType)
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getFeedbackShowsTheJsonSnapshot() throws Exception {
        post("/feedback", "{\"prediction\":0,\"actual\":0}");

        HttpResponse<String> feedback = get("/feedback");

        assertThat(feedback.statusCode()).isEqualTo(200);
        assertThat(feedback.body()).startsWith("{\"models\":[{\"model\":\"default\",\"model_version\":\"unknown\","
                + "\"verdict\":{\"state\":\"healthy\",\"reasons\":[]},\"metrics\":{\"accuracy\":1.0,\"precision\":null,\"recall\":null,\"f1\":null},"
                + "\"counts\":{\"true_positives\":0,\"true_negatives\":1,\"false_positives\":0,\"false_negatives\":0},"
                + "\"windows\":{\"5m\":{\"start\":");
        JsonNode windows = JSON.readTree(feedback.body()).at("/models/0/windows");
        assertThat(windows.properties()).extracting(Map.Entry::getKey).containsExactly("5m", "1h", "lifetime");
        for (JsonNode window : windows) {
            assertThat(window.at("/counts/true_negatives").asLong()).isEqualTo(1);
            assertThat(window.at("/intervals/accuracy/1").asDouble()).isEqualTo(1.0);
            assertThat(window.at("/intervals/precision").isNull()).isTrue();
        }
    }

    @Test
    void servesTheModelsItIsGiven() throws Exception {
        try (ExampleServer two = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0)
                .withModels(List.of(new ModelId("fraud", "v3"), new ModelId("churn", "v1"))))) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(two.uri().resolve("/feedback"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prediction\":1,\"actual\":1,\"model\":\"churn\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(two.models().recorder("churn").snapshot().truePositives()).isEqualTo(1);
            assertThat(two.models().pendingStore()).isSameAs(two.models().recorder("fraud").pendingStore());
            assertThat(two.uri()).isNotEqualTo(URI.create("http://127.0.0.1:0/"));
        }
    }

    @Test
    void baselinesApplyToEveryModelAndModelsOfTheirOwn() throws Exception {
        ExampleServer.Options options = Main.Arguments.parse(new String[] {"serve", "--port", "0",
            "--model", "fraud@v3", "--model", "churn@v1", "--baseline", "accuracy=0.9,f1=0.8",
            "--baseline", "fraud:accuracy=0.95"}).server();
        try (ExampleServer two = ExampleServer.start(options)) {
            String metrics = client.send(HttpRequest.newBuilder(two.uri().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            assertThat(metrics.lines()).contains(
                    "model_baseline{metric=\"accuracy\",model=\"fraud\",model_version=\"v3\"} 0.95",
                    "model_baseline{metric=\"accuracy\",model=\"churn\",model_version=\"v1\"} 0.9",
                    "model_baseline{metric=\"f1\",model=\"churn\",model_version=\"v1\"} 0.8");
            assertThat(metrics).doesNotContain("model_baseline{metric=\"f1\",model=\"fraud\"");
        }
    }

    @Test
    void aReferencePeriodBecomesTheBaselineOnceFull() throws Exception {
        try (ExampleServer reference = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0).withBaselineFromFirst(4))) {
            HttpResponse<String> fed = client.send(HttpRequest.newBuilder(reference.uri().resolve("/feedback"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"prediction\":1,\"actual\":1},{\"prediction\":1,\"actual\":1},"
                            + "{\"prediction\":0,\"actual\":0},{\"prediction\":0,\"actual\":1}]"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String status = client.send(HttpRequest.newBuilder(reference.uri().resolve("/feedback")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            assertThat(fed.statusCode()).isEqualTo(200);
            assertThat(status).contains("\"baseline\":{\"accuracy\":0.75,\"precision\":1.0,"
                    + "\"recall\":0.6666666666666666,\"f1\":0.8}");
        }
    }
}
