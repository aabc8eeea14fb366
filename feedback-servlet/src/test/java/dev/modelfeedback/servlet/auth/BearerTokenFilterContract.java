package dev.modelfeedback.servlet.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.servlet.FeedbackServlet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BearerTokenFilter} in front of the real {@link FeedbackServlet} at {@code /feedback}, over
 * real HTTP, on each real container (a subclass each). Two tokens are accepted.
 */
abstract class BearerTokenFilterContract {

    static final String FIRST = "first-token-0123456789";
    static final String SECOND = "second-token-abcdefghij";
    static final String ONE_ITEM = "{\"prediction\":1,\"actual\":1}";
    static final String CHALLENGE = "Bearer realm=\"model-feedback\"";
    static final String INVALID_CHALLENGE = "Bearer realm=\"model-feedback\", error=\"invalid_token\"";
    static final String MISSING_BODY =
            "{\"error\":\"this endpoint needs a bearer token: send Authorization: Bearer <token>\"}";
    static final String OTHER_SCHEME_BODY = "{\"error\":\"this endpoint needs a bearer token: send Authorization:"
            + " Bearer <token> (the Authorization header given uses another scheme)\"}";
    static final String INVALID_BODY = "{\"error\":\"the bearer token is not valid\"}";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ModelSet models = ModelSet.builder(registry).build();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private FilteredContainer container;
    private URI base;

    abstract FilteredContainer newContainer();

    private void start(Map<String, HttpServlet> servlets, FilteredContainer.FilterSpec filter,
            Map<String, Object> attributes) throws Exception {
        container = newContainer();
        base = container.start(servlets, filter, attributes);
    }

    private void startFeedback() throws Exception {
        start(Map.of("/feedback", new FeedbackServlet(models)), FilteredContainer.FilterSpec.of(
                BearerTokenFilter.builder(BearerTokens.of(List.of(FIRST, SECOND))).countIn(registry).build()), Map.of());
    }

    @AfterEach
    void stop() {
        if (container != null) {
            container.close();
        }
    }

    /**
     * Sends and waits at most a minute: the client's own timeout does not cover every wait (with
     * {@code Expect: 100-continue} it can wait for ever for a server that answers and closes).
     */
    private HttpResponse<String> send(HttpRequest.Builder request) {
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(
                request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        try {
            return answer.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the request failed", e.getCause());
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new AssertionError("no answer within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request;
    }

    private double unauthorized() {
        return registry.get("feedback.rejected").tag("reason", "unauthorized").counter().count();
    }

    private long counted() {
        return models.all().get(0).snapshot().total();
    }

    private static void assertRefused(HttpResponse<String> answer, String challenge, String body) {
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().allValues("WWW-Authenticate")).containsExactly(challenge);
        assertThat(answer.body()).isEqualTo(body);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).isEqualToIgnoringCase("application/json;charset=UTF-8"));
        assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void refusesARequestWithoutATokenWith401AndAChallengeCountingNothing() throws Exception {
        startFeedback();

        HttpResponse<String> answer = send(post("/feedback", ONE_ITEM));

        assertRefused(answer, CHALLENGE, MISSING_BODY);
        assertThat(unauthorized()).isEqualTo(1.0);
        assertThat(counted()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "Bearer wrong-token-0123456789",
        "Bearer first-token-0123456789x",
        "Bearer irst-token-0123456789",
        "Bearer first-token-012345678",
        "Bearer FIRST-TOKEN-0123456789",
        "Bearer first-token-0123456789 second-token-abcdefghij",
        "Bearer first-token-0123456789,",
        "Bearer",
        "Bearer =",
    })
    void refusesATokenItDoesNotKnowAsInvalid(String authorization) throws Exception {
        startFeedback();

        HttpResponse<String> answer = send(post("/feedback", ONE_ITEM, "Authorization", authorization));

        assertRefused(answer, INVALID_CHALLENGE, INVALID_BODY);
        assertThat(answer.body()).doesNotContain("token-");
        assertThat(unauthorized()).isEqualTo(1.0);
        assertThat(counted()).isZero();
    }

    /** Another scheme is no bearer token at all: challenged without an error code (RFC 6750, 3.1). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Basic dXNlcjpwYXNzd29yZA==", "first-token-0123456789", "Token first-token-0123456789"})
    void refusesAnotherSchemeWithThePlainChallenge(String authorization) throws Exception {
        startFeedback();

        HttpResponse<String> answer = send(post("/feedback", ONE_ITEM, "Authorization", authorization));

        assertRefused(answer, CHALLENGE, OTHER_SCHEME_BODY);
        assertThat(unauthorized()).isEqualTo(1.0);
        assertThat(counted()).isZero();
    }

    @Test
    void letsThroughEachTokenWithTheSchemeInAnyCase() throws Exception {
        startFeedback();

        List<HttpResponse<String>> answers = List.of(
                send(post("/feedback", ONE_ITEM, "Authorization", "Bearer " + FIRST)),
                send(post("/feedback", ONE_ITEM, "Authorization", "bearer " + SECOND)),
                send(post("/feedback", ONE_ITEM, "Authorization", "BEARER  " + FIRST)));

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200);
        assertThat(answers).allSatisfy(answer -> assertThat(answer.headers().firstValue("WWW-Authenticate")).isEmpty());
        assertThat(counted()).isEqualTo(3);
        assertThat(unauthorized()).isZero();
    }

    @Test
    void refusesTwoAuthorizationHeadersEvenIfBothAreRight() throws Exception {
        startFeedback();

        HttpResponse<String> answer = send(post("/feedback", ONE_ITEM,
                "Authorization", "Bearer " + FIRST, "Authorization", "Bearer " + SECOND));

        assertRefused(answer, INVALID_CHALLENGE, INVALID_BODY);
        assertThat(counted()).isZero();
    }

    @Test
    void protectsReadsTooAndAnswersHeadWithoutABody() throws Exception {
        startFeedback();

        HttpResponse<String> get = send(HttpRequest.newBuilder(base.resolve("/feedback")).GET());
        HttpResponse<String> head = send(HttpRequest.newBuilder(base.resolve("/feedback"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(base.resolve("/feedback"))
                .header("Authorization", "Bearer " + SECOND).GET());

        assertRefused(get, CHALLENGE, MISSING_BODY);
        assertThat(head.statusCode()).isEqualTo(401);
        assertThat(head.headers().allValues("WWW-Authenticate")).containsExactly(CHALLENGE);
        assertThat(head.body()).isEmpty();
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).startsWith("{\"models\":[");
        assertThat(unauthorized()).isEqualTo(2.0);
    }

    /** The path as the container decodes it: an encoded letter does not walk around the filter. */
    @Test
    void anEncodedPathIsProtectedAsTheServletItReaches() throws Exception {
        startFeedback();

        HttpResponse<String> answer = send(post("/%66eedback", ONE_ITEM));

        assertRefused(answer, CHALLENGE, MISSING_BODY);
        assertThat(counted()).isZero();
    }

    /** The refused body is read and dropped, so the client reads the 401 instead of a reset. */
    @Test
    void aLargeBodyWithoutATokenGetsThe401() throws Exception {
        startFeedback();
        String batch = "[" + (ONE_ITEM + ",").repeat(20_000) + ONE_ITEM + "]";

        HttpResponse<String> answer = send(post("/feedback", batch));
        HttpResponse<String> after = send(post("/feedback", ONE_ITEM, "Authorization", "Bearer " + FIRST));

        assertThat(batch.length()).isGreaterThan(500_000);
        assertRefused(answer, CHALLENGE, MISSING_BODY);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(counted()).isEqualTo(1);
    }

    @Test
    void aClientWaitingFor100ContinueGetsThe401() throws Exception {
        startFeedback();

        HttpResponse<String> answer = send(post("/feedback", ONE_ITEM).expectContinue(true));

        assertRefused(answer, CHALLENGE, MISSING_BODY);
        assertThat(counted()).isZero();
    }

    /** One counter for the servlet and the filter: same name, tags and description, one HELP line. */
    @Test
    void countsInTheFeedbackServletsOwnCounter() throws Exception {
        startFeedback();
        send(post("/feedback", ONE_ITEM));
        send(post("/feedback", "{\"prediction\":2,\"actual\":1}", "Authorization", "Bearer " + FIRST));

        List<Counter> counters = List.copyOf(registry.find("feedback.rejected").counters());
        String scrape = registry.scrape();

        assertThat(counters).filteredOn(c -> "unauthorized".equals(c.getId().getTag("reason"))).hasSize(1);
        assertThat(counters).extracting(c -> c.getId().getDescription()).containsOnly(
                BearerTokenFilter.FEEDBACK_REJECTED_DESCRIPTION);
        assertThat(counters).extracting(c -> c.getId().getTags().size()).containsOnly(1);
        assertThat(scrape.lines().filter(line -> line.startsWith("# HELP feedback_rejected_total "))).containsExactly(
                "# HELP feedback_rejected_total " + BearerTokenFilter.FEEDBACK_REJECTED_DESCRIPTION);
        assertThat(scrape.lines()).contains("feedback_rejected_total{reason=\"unauthorized\"} 1.0",
                "feedback_rejected_total{reason=\"invalid_feedback\"} 1.0");
    }

    /** Servlets behind it may go asynchronous (FeedbackServlet reads bodies without blocking). */
    @Test
    void letsAnAsynchronousServletAnswer() throws Exception {
        start(Map.of("/feedback", new AsyncServlet()), FilteredContainer.FilterSpec.of(
                BearerTokenFilter.builder(BearerTokens.of(List.of(FIRST))).countIn(registry).build()), Map.of());

        HttpResponse<String> allowed = send(HttpRequest.newBuilder(base.resolve("/feedback"))
                .header("Authorization", "Bearer " + FIRST).GET());
        HttpResponse<String> refused = send(HttpRequest.newBuilder(base.resolve("/feedback")).GET());

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).isEqualTo("answered asynchronously");
        assertRefused(refused, CHALLENGE, MISSING_BODY);
    }

    /** As {@code web.xml} declares it: the token file and the realm from init parameters, the registry from the model set. */
    @Test
    void worksDeclaredWithInitParameters(@TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "# writers\n" + SECOND + "\n", StandardCharsets.UTF_8);
        start(Map.of("/feedback", new FeedbackServlet()), FilteredContainer.FilterSpec.declared(Map.of(
                BearerTokenFilter.TOKEN_FILE_PARAM, tokens.toString(), BearerTokenFilter.REALM_PARAM, "fraud team")),
                Map.of(FeedbackServlet.MODELS_ATTRIBUTE, models));

        HttpResponse<String> refused = send(post("/feedback", ONE_ITEM, "Authorization", "Bearer " + FIRST));
        HttpResponse<String> allowed = send(post("/feedback", ONE_ITEM, "Authorization", "Bearer " + SECOND));

        assertRefused(refused, "Bearer realm=\"fraud team\", error=\"invalid_token\"", INVALID_BODY);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(counted()).isEqualTo(1);
        assertThat(unauthorized()).isEqualTo(1.0);
    }

    /** Stands for a servlet that answers from another thread. */
    private static final class AsyncServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            AsyncContext async = request.startAsync();
            async.start(() -> {
                try {
                    HttpServletResponse answer = (HttpServletResponse) async.getResponse();
                    answer.setContentType("text/plain;charset=UTF-8");
                    answer.getWriter().write("answered asynchronously");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    async.complete();
                }
            });
        }
    }
}
