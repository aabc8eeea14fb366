package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --auth-token-file}: writes need one of the file's bearer tokens; a request without one is
 * refused with 401, counted, and changes nothing else. {@code /metrics} stays open unless
 * {@code --auth-metrics}.
 */
final class ExampleServerAuthTest {

    private static final String OPS = "ops-token-0123456789abcdef";
    private static final String CI = "ci-token-ZYXWVUTSRQPONMLK";
    private static final String CHALLENGE = "Bearer realm=\"model-feedback\"";
    private static final String INVALID = "Bearer realm=\"model-feedback\", error=\"invalid_token\"";
    private static final String MISSING_BODY =
            "{\"error\":\"this endpoint needs a bearer token: send Authorization: Bearer <token>\"}";
    private static final String INVALID_BODY = "{\"error\":\"the bearer token is not valid\"}";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ExampleServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(boolean metrics) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"),
                "# who may write, one bearer token per line\n" + OPS + "\n\n# the CI's replay\n" + CI + "\n",
                StandardCharsets.UTF_8);
        server = ExampleServer.start(Main.Arguments.parse(metrics
                ? new String[] {"serve", "--port", "0", "--auth-token-file", tokens.toString(), "--auth-metrics"}
                : new String[] {"serve", "--port", "0", "--auth-token-file", tokens.toString()}).server());
    }

    private HttpResponse<String> post(String path, String json, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> answer, String challenge, String body) {
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().allValues("WWW-Authenticate")).containsExactly(challenge);
        assertThat(answer.body()).isEqualTo(body);
    }

    private String metrics() throws IOException, InterruptedException {
        HttpResponse<String> answer = get("/metrics", "Authorization", "Bearer " + OPS);
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    @Test
    void feedbackNeedsATokenFromTheFile() throws Exception {
        start(false);

        HttpResponse<String> none = post("/feedback", "{\"prediction\":1,\"actual\":1}");
        HttpResponse<String> wrong = post("/feedback", "{\"prediction\":1,\"actual\":1}",
                "Authorization", "Bearer " + OPS.substring(0, OPS.length() - 1) + "g");
        HttpResponse<String> comment = post("/feedback", "{\"prediction\":1,\"actual\":1}",
                "Authorization", "Bearer # the CI's replay");
        HttpResponse<String> ops = post("/feedback", "{\"prediction\":1,\"actual\":1}", "Authorization", "Bearer " + OPS);
        HttpResponse<String> ci = post("/feedback", "[{\"prediction\":0,\"actual\":0},{\"prediction\":1,\"actual\":0}]",
                "Authorization", "Bearer " + CI);

        assertRefused(none, CHALLENGE, MISSING_BODY);
        assertRefused(wrong, INVALID, INVALID_BODY);
        assertRefused(comment, INVALID, INVALID_BODY);
        assertThat(ops.statusCode()).isEqualTo(200);
        assertThat(ci.statusCode()).isEqualTo(200);
        assertThat(server.models().recorder(null).snapshot())
                .isEqualTo(new dev.modelfeedback.core.matrix.ClassificationSnapshot(1, 1, 1, 0));
        assertThat(metrics().lines()).contains("feedback_rejected_total{reason=\"unauthorized\"} 3.0",
                "predict_rejected_total{reason=\"unauthorized\"} 0.0");
    }

    /** A refused prediction stores nothing: no id, nothing pending, counted in /predict's own counter. */
    @Test
    void predictNeedsATokenAndARefusalStoresNothing() throws Exception {
        start(false);

        HttpResponse<String> none = post("/predict", "{\"feature\":0.73}");
        HttpResponse<String> basic = post("/predict", "{\"feature\":0.73}", "Authorization", "Basic b3BzOnNlY3JldA==");
        HttpResponse<String> allowed = post("/predict", "{\"feature\":0.73}", "Authorization", "Bearer " + CI);

        assertRefused(none, CHALLENGE, MISSING_BODY);
        assertRefused(basic, CHALLENGE, "{\"error\":\"this endpoint needs a bearer token: send Authorization: Bearer"
                + " <token> (the Authorization header given uses another scheme)\"}");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).startsWith("{\"id\":\"");
        assertThat(server.models().recorder(null).joins().pending()).isEqualTo(1);
        assertThat(metrics().lines()).contains("predict_rejected_total{reason=\"unauthorized\"} 2.0",
                "feedback_rejected_total{reason=\"unauthorized\"} 0.0");
    }

    @Test
    void metricsStayOpenByDefault() throws Exception {
        start(false);

        HttpResponse<String> scrape = get("/metrics");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(scrape.body()).contains("feedback_rejected_total{reason=\"unauthorized\"} 0.0")
                .doesNotContain("metrics_rejected_total");
    }

    @Test
    void metricsNeedATokenWithAuthMetrics() throws Exception {
        start(true);

        HttpResponse<String> none = get("/metrics");
        HttpResponse<String> wrong = get("/metrics", "Authorization", "Bearer not-one-of-the-tokens");
        String scrape = metrics();

        assertRefused(none, CHALLENGE, MISSING_BODY);
        assertRefused(wrong, INVALID, INVALID_BODY);
        assertThat(scrape.lines()).contains("metrics_rejected_total{reason=\"unauthorized\"} 2.0",
                "feedback_rejected_total{reason=\"unauthorized\"} 0.0",
                "# HELP metrics_rejected_total Requests to /metrics refused, by reason.");
    }

    /** What a token protects is the endpoints; the server's own error pages ask for none. */
    @Test
    void pathsWithoutAnEndpointAnswerAsBefore() throws Exception {
        start(false);

        HttpResponse<String> unknown = get("/nope");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"Not Found\"}");
        assertThat(unknown.headers().firstValue("WWW-Authenticate")).isEmpty();
    }
}
