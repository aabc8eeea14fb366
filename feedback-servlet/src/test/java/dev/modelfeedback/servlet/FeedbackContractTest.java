package dev.modelfeedback.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.SeedReplay;
import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.join.PendingStoreUnavailableException;
import dev.modelfeedback.core.join.UnmatchedListener;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP contract of {@code /feedback}, run over real HTTP against each real container by a
 * subclass. The servlet serves two models, {@code fraud} (the default) and {@code churn}.
 */
abstract class FeedbackContractTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ManualWindowClock clock = WindowClock.manual(T0);
    private final ModelSet recorders = ModelSet.builder(registry)
            .eachModel(recorder -> recorder.clock(clock))
            .model("fraud", "v3", recorder -> recorder.baseline(Baseline.parse("accuracy=0.9,f1=0.8")))
            .model("churn", "v1")
            .defaultModel("fraud")
            .build();
    private ServletContainer container;
    private Http http;

    abstract ServletContainer newContainer();

    /**
     * Whether the container closes the connection after a 400 or 413 even when the body was read
     * to its end: Tomcat does (having read up to 2 MiB of what is left, its maxSwallowSize), Jetty
     * keeps it.
     */
    abstract boolean closesTheConnectionAfterARefusal();

    @BeforeEach
    void start() throws Exception {
        container = newContainer();
        http = new Http(container.start(new FeedbackServlet(recorders)));
    }

    @AfterEach
    void stop() {
        container.close();
    }

    private ClassificationSnapshot counts(String model) {
        return recorders.recorder(model).snapshot();
    }

    private double rejected(RejectionReason reason) {
        return registry.get("feedback.rejected").tag("reason", reason.tag()).counter().count();
    }

    @Test
    void countsOneItemAndAnswersWithTheMetricsAfterIt() {
        Http.Answer answer = http.post("{\"prediction\":1,\"actual\":0}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=UTF-8");
        assertThat(answer.body()).isEqualTo("{\"recorded\":1,\"model\":\"fraud\",\"model_version\":\"v3\","
                + "\"metrics\":{\"accuracy\":0.0,\"precision\":0.0,\"recall\":null,\"f1\":0.0},"
                + "\"counts\":{\"true_positives\":0,\"true_negatives\":0,\"false_positives\":1,\"false_negatives\":0}}");
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(0, 0, 1, 0));
        assertThat(counts("churn")).isEqualTo(ClassificationSnapshot.EMPTY);
    }

    /** Status data must not be cached; the answer to a POST is not cached anyway, so it goes without. */
    @Test
    void statusAndRefusalsAreMarkedNoStore() {
        assertThat(http.get().header("Cache-Control")).isEqualTo("no-store");
        assertThat(http.method("HEAD", "").header("Cache-Control")).isEqualTo("no-store");
        assertThat(http.post("{\"prediction\":1}").header("Cache-Control")).isEqualTo("no-store");
        assertThat(http.post("{\"prediction\":1,\"actual\":1}").raw().headers().firstValue("Cache-Control")).isEmpty();
    }

    @Test
    void feedsTheModelTheItemNames() {
        Http.Answer answer = http.post("{\"model\":\"churn\",\"actual\":1,\"prediction\":1}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("model").asText()).isEqualTo("churn");
        assertThat(answer.json().get("model_version").asText()).isEqualTo("v1");
        assertThat(counts("churn")).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
        assertThat(counts("fraud")).isEqualTo(ClassificationSnapshot.EMPTY);
    }

    @Test
    void replaysTheSeedAndEveryAnswerMatchesTheSeedsMetrics() {
        assertThat(http.post("{\"prediction\":0,\"actual\":0}").status()).isEqualTo(200);

        for (SeedReplay.Step step : SeedReplay.steps()) {
            Http.Answer answer = http.post(
                    "{\"prediction\":" + step.prediction() + ",\"actual\":" + step.actual() + "}");
            assertThat(answer.status()).isEqualTo(200);
            JsonNode metrics = answer.json().get("metrics");
            String where = "after seed line " + step.line();
            assertThat(metrics.get("accuracy").asDouble()).as(where).isCloseTo(step.accuracy(), within(SeedReplay.TOLERANCE));
            assertThat(metrics.get("precision").asDouble()).as(where).isCloseTo(step.precision(), within(SeedReplay.TOLERANCE));
            assertThat(metrics.get("recall").asDouble()).as(where).isCloseTo(step.recall(), within(SeedReplay.TOLERANCE));
            assertThat(metrics.get("f1").asDouble()).as(where).isCloseTo(step.f1(), within(SeedReplay.TOLERANCE));
        }
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(18, 16, 2, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.modelfeedback.servlet.BadRequest#all")
    void refusesBadInputClearlyAndCountsNothing(BadRequest bad) {
        http.post("{\"prediction\":1,\"actual\":1}");
        http.post("{\"prediction\":0,\"actual\":1,\"model\":\"churn\"}");
        double rejectedBefore = rejected(bad.reason());

        Http.Answer answer = http.post(bad.contentType(), bad.body(), bad.chunked());

        assertThat(answer.status()).as(answer.body()).isEqualTo(bad.status());
        assertThat(answer.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=UTF-8");
        assertThat(answer.error()).isEqualTo(bad.error());
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
        assertThat(counts("churn")).isEqualTo(new ClassificationSnapshot(0, 0, 0, 1));
        assertThat(http.get().json().findValues("pending")).extracting(JsonNode::asInt).containsOnly(0);
        assertThat(rejected(bad.reason())).isEqualTo(rejectedBefore + 1);
    }

    @Test
    void countsABatchOfTenThousandExactly() {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) {
            // per 10 items: 4 TP, 3 TN, 2 FP, 1 FN
            String item = switch (i % 10) {
                case 0, 1, 2, 3 -> "{\"prediction\":1,\"actual\":1}";
                case 4, 5, 6 -> "{\"prediction\":0,\"actual\":0}";
                case 7, 8 -> "{\"prediction\":1,\"actual\":0}";
                default -> "{\"prediction\":0,\"actual\":1}";
            };
            batch.append(i == 0 ? "" : ",").append(item);
        }
        Http.Answer answer = http.post(batch.append(']').toString());

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("recorded").asInt()).isEqualTo(10_000);
        assertThat(answer.json().get("counts").get("true_positives").asLong()).isEqualTo(4000);
        assertThat(answer.json().get("metrics").get("accuracy").asDouble()).isEqualTo(0.7);
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(4000, 3000, 2000, 1000));
    }

    @Test
    void aBatchWithOneBadItemAtIndex537CountsNothing() {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            batch.append(i == 0 ? "" : ",")
                    .append(i == 537 ? "{\"prediction\":1,\"actual\":\"0\"}" : "{\"prediction\":1,\"actual\":1}");
        }
        Http.Answer answer = http.post(batch.append(']').toString());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo("item 537: actual must be 0 or 1, got the string '0'");
        assertThat(counts("fraud")).isEqualTo(ClassificationSnapshot.EMPTY);
    }

    @Test
    void aBatchMayFeedSeveralModelsAndAnswersForEach() {
        Http.Answer answer = http.post("[{\"prediction\":1,\"actual\":1},"
                + "{\"prediction\":0,\"actual\":1,\"model\":\"churn\"},"
                + "{\"prediction\":0,\"actual\":0,\"model\":\"fraud\"}]");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("recorded").asInt()).isEqualTo(3);
        assertThat(body.get("models")).hasSize(2);
        // in the order the batch first named them: the default (fraud), then churn
        assertThat(body.get("models").get(0).get("model").asText()).isEqualTo("fraud");
        assertThat(body.get("models").get(0).get("counts").get("true_negatives").asInt()).isEqualTo(1);
        assertThat(body.get("models").get(1).get("model").asText()).isEqualTo("churn");
        assertThat(body.get("models").get(1).get("metrics").get("precision").isNull()).isTrue();
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(1, 1, 0, 0));
        assertThat(counts("churn")).isEqualTo(new ClassificationSnapshot(0, 0, 0, 1));
    }

    @Test
    void acceptsTheUsualSpellingsOfTheJsonMediaType() {
        for (String type : List.of("application/json; charset=utf-8", "Application/JSON",
                "application/json;charset=\"UTF-8\"", "application/json; charset=UTF-8; q=1")) {
            assertThat(http.post(type, BadRequest.utf8("{\"prediction\":1,\"actual\":1}"), false).status())
                    .as(type).isEqualTo(200);
        }
        assertThat(counts("fraud").truePositives()).isEqualTo(4);
    }

    @Test
    void acceptsAChunkedBodyWithinTheLimit() {
        Http.Answer answer = http.post("application/json", BadRequest.utf8(BadRequest.batchOf(5000)), true);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(counts("fraud").truePositives()).isEqualTo(5000);
    }

    @Test
    void getShowsEveryModelWithItsWindowsIntervalsAndBaseline() {
        http.post("{\"prediction\":1,\"actual\":1,\"model\":\"churn\"}");
        clock.advance(Duration.ofMinutes(10));
        http.post("[{\"prediction\":0,\"actual\":0,\"model\":\"churn\"},{\"prediction\":1,\"actual\":0,\"model\":\"churn\"}]");

        Http.Answer answer = http.get();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=UTF-8");
        String churnWindow5m = "{\"start\":\"2026-01-01T00:05:00Z\",\"end\":\"2026-01-01T00:10:00Z\","
                + "\"metrics\":{\"accuracy\":0.5,\"precision\":0.0,\"recall\":null,\"f1\":0.0},"
                + "\"counts\":{\"true_positives\":0,\"true_negatives\":1,\"false_positives\":1,\"false_negatives\":0},"
                + "\"intervals\":{\"accuracy\":" + interval(1, 2) + ",\"precision\":" + interval(0, 1) + ",\"recall\":null},"
                + NO_SCORES + "}";
        String churnLifetime = "\"metrics\":{\"accuracy\":0.6666666666666666,\"precision\":0.5,\"recall\":1.0,"
                + "\"f1\":0.6666666666666666},"
                + "\"counts\":{\"true_positives\":1,\"true_negatives\":1,\"false_positives\":1,\"false_negatives\":0}";
        String churnLifetimeWindow = "{" + churnLifetime + ",\"intervals\":{\"accuracy\":" + interval(2, 3)
                + ",\"precision\":" + interval(1, 2) + ",\"recall\":" + interval(1, 1) + "}," + NO_SCORES + "}";
        String fraudEmpty = "\"metrics\":{\"accuracy\":null,\"precision\":null,\"recall\":null,\"f1\":null},"
                + "\"counts\":{\"true_positives\":0,\"true_negatives\":0,\"false_positives\":0,\"false_negatives\":0}";
        String fraudEmptyWindow = fraudEmpty + ",\"intervals\":{\"accuracy\":null,\"precision\":null,\"recall\":null},"
                + "\"below_baseline\":{\"accuracy\":false}," + NO_SCORES + "}";
        assertThat(answer.body()).isEqualTo("{\"models\":["
                + "{\"model\":\"churn\",\"model_version\":\"v1\",\"verdict\":{\"state\":\"healthy\",\"reasons\":[]},"
                + churnLifetime + ",\"windows\":{"
                + "\"5m\":" + churnWindow5m + ","
                + "\"1h\":{\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-01-01T00:10:00Z\"," + churnLifetimeWindow.substring(1) + ","
                + "\"lifetime\":" + churnLifetimeWindow + "}," + NO_DRIFT + "},"
                + "{\"model\":\"fraud\",\"model_version\":\"v3\",\"verdict\":{\"state\":\"no_feedback\",\"reasons\":[]},"
                + fraudEmpty + ",\"windows\":{"
                + "\"5m\":{\"start\":\"2026-01-01T00:05:00Z\",\"end\":\"2026-01-01T00:10:00Z\"," + fraudEmptyWindow + ","
                + "\"1h\":{\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-01-01T00:10:00Z\"," + fraudEmptyWindow + ","
                + "\"lifetime\":{" + fraudEmptyWindow + "},"
                + "\"baseline\":{\"accuracy\":0.9,\"f1\":0.8}," + NO_DRIFT + "}]}");
    }

    /**
     * 3 of 10 right: accuracy 0.3, its 95% Wilson interval far under the baseline 0.9 in both
     * windows; the verdict names each window and the metric, in the configured order.
     */
    @Test
    void getShowsTheVerdictWithEveryConditionThatHolds() {
        http.post("[" + "{\"prediction\":1,\"actual\":1},".repeat(3) + "{\"prediction\":1,\"actual\":0},".repeat(6)
                + "{\"prediction\":1,\"actual\":0}]");

        JsonNode fraud = http.get().json().get("models").get(1);

        JsonNode verdict = fraud.get("verdict");
        assertThat(verdict.get("state").asText()).isEqualTo("below_baseline");
        assertThat(verdict.get("reasons")).hasSize(2);
        ConfidenceInterval expected = ConfidenceInterval.wilson(3, 10);
        for (int i = 0; i < 2; i++) {
            JsonNode reason = verdict.get("reasons").get(i);
            String window = i == 0 ? "5m" : "1h";
            assertThat(reason.get("kind").asText()).isEqualTo("below_baseline");
            assertThat(reason.get("window").asText()).isEqualTo(window);
            assertThat(reason.get("metric").asText()).isEqualTo("accuracy");
            assertThat(reason.get("value").asDouble()).isEqualTo(0.3);
            assertThat(reason.get("interval").get(0).asDouble()).isEqualTo(expected.lower());
            assertThat(reason.get("interval").get(1).asDouble()).isEqualTo(expected.upper());
            assertThat(reason.get("baseline").asDouble()).isEqualTo(0.9);
            assertThat(reason.get("message").asText()).isEqualTo(String.format(java.util.Locale.ROOT,
                    "accuracy over the last %s is 0.300 (95%% interval %.3f to %.3f), below the baseline 0.900", window,
                    expected.lower(), expected.upper()));
        }
        assertThat(http.get().json().get("models").get(0).get("verdict").get("state").asText()).isEqualTo("no_feedback");
    }

    /** A prediction joined 2 minutes later: one delay in the bucket (60 s, 300 s], read as histogram_quantile does. */
    @Test
    void getShowsHowLongTheLabelsTookToArrive() {
        http.post("{\"id\":\"p-1\",\"prediction\":1}");
        clock.advance(Duration.ofMinutes(2));
        http.post("{\"id\":\"p-1\",\"actual\":1}");

        JsonNode delay = http.get().json().get("models").get(1).get("label_delay");

        assertThat(delay.get("joined").asLong()).isEqualTo(1);
        assertThat(delay.get("median_seconds").asDouble()).isEqualTo(60 + 240 * 0.5);
        assertThat(delay.get("p90_seconds").asDouble()).isEqualTo(60 + 240 * 0.9);
        assertThat(delay.get("last_join_at").asText()).isEqualTo("2026-01-01T00:02:00Z");
    }

    /** A champion and its challenger on the same traffic: each version counts its own, and each item names one. */
    @Test
    void versionsOfOneModelAreFedAndShownSideBySide() throws Exception {
        ModelSet versions = ModelSet.builder(registry).eachModel(recorder -> recorder.clock(clock))
                .model("ranker", "v3").model("ranker", "v4").build();
        try (ServletContainer container = newContainer()) {
            Http both = new Http(container.start(new FeedbackServlet(versions)));

            Http.Answer fed = both.post("[{\"prediction\":1,\"actual\":1,\"model_version\":\"v3\"},"
                    + "{\"prediction\":0,\"actual\":1,\"model\":\"ranker\",\"model_version\":\"v4\"}]");
            Http.Answer ambiguous = both.post("[{\"prediction\":1,\"actual\":1,\"model_version\":\"v4\"},"
                    + "{\"prediction\":1,\"actual\":1,\"model\":\"ranker\"}]");
            Http.Answer stored = both.post("{\"id\":\"p\",\"prediction\":1,\"model_version\":\"v4\"}");
            Http.Answer otherVersion = both.post("{\"id\":\"p\",\"actual\":1,\"model_version\":\"v3\"}");
            Http.Answer joined = both.post("{\"id\":\"p\",\"actual\":1,\"model_version\":\"v4\"}");

            assertThat(fed.status()).as(fed.body()).isEqualTo(200);
            assertThat(fed.json().get("models")).extracting(m -> m.get("model_version").asText()).containsExactly("v3", "v4");
            assertThat(ambiguous.status()).isEqualTo(400);
            assertThat(ambiguous.error()).isEqualTo("item 1: model 'ranker' has several versions: name one with model_version");
            assertThat(stored.status()).isEqualTo(202);
            assertThat(otherVersion.status()).isEqualTo(404);
            assertThat(joined.status()).isEqualTo(200);
            assertThat(versions.recorder("ranker", "v3").snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
            assertThat(versions.recorder("ranker", "v4").snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 1));
            JsonNode models = both.get().json().get("models");
            assertThat(models).extracting(m -> m.get("model").asText() + "@" + m.get("model_version").asText())
                    .containsExactly("ranker@v3", "ranker@v4");
            assertThat(models.get(1).get("counts").get("false_negatives").asLong()).isEqualTo(1);
        }
    }

    /** What Chromium sends when a person opens the URL. */
    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
            + "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "*/*", "application/json, text/html", "text/html;q=0.5, application/json",
        "application/*", "text/plain"})
    void programsGetTheJsonByteForByteWhateverTheyAccept(String accept) {
        http.post("[{\"prediction\":1,\"actual\":0},{\"prediction\":1,\"actual\":1,\"model\":\"churn\"}]");
        String withoutAccept = http.get().body();

        Http.Answer answer = http.get("", "Accept", accept);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=UTF-8");
        assertThat(answer.header("Vary")).isEqualTo("Accept");
        assertThat(answer.body()).isEqualTo(withoutAccept).startsWith("{\"models\":[{\"model\":\"churn\"");
        assertThat(http.get("?format=json", "Accept", BROWSER_ACCEPT).body()).isEqualTo(withoutAccept);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "?format=xml   | format must be json, got 'xml'",
        "?format=JSON  | format must be json, got 'JSON'",
        "?format=      | format must be json, got ''",
    })
    void aFormatOtherThanJsonIsRefused(String query, String error) {
        Http.Answer answer = http.get(query.strip(), "Accept", BROWSER_ACCEPT);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=UTF-8");
        assertThat(answer.error()).isEqualTo(error);
        // A question about the status, not a refused feedback: not counted.
        assertThat(registry.find("feedback.rejected").tag("reason", "invalid_request").counter()).isNull();
    }

    @Test
    void aBrowserGetsTheStatusPageWithAStrictPolicy() {
        Http.Answer page = http.get("", "Accept", BROWSER_ACCEPT);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualToIgnoringCase("text/html;charset=UTF-8");
        assertThat(page.header("Content-Security-Policy")).isEqualTo("default-src 'none'; script-src 'self'; "
                + "style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
                + "frame-ancestors 'none'");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.header("Vary")).isEqualTo("Accept");
        assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("<script src=\"?asset=status.js\" defer></script>")
                .doesNotContain("<script>").doesNotContain("style=").doesNotContain("http://").doesNotContain("https://");
    }

    @ParameterizedTest
    @CsvSource({"status.js, text/javascript;charset=UTF-8", "status.css, text/css;charset=UTF-8",
        "uPlot.js, text/javascript;charset=UTF-8", "uPlot.css, text/css;charset=UTF-8"})
    void servesThePagesAssetsFromTheJarAndRevalidatesThem(String asset, String contentType) {
        Http.Answer answer = http.get("?asset=" + asset);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualToIgnoringCase(contentType);
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(answer.header("ETag")).matches("\"[0-9a-f]{20}\"");
        assertThat(answer.body()).isNotEmpty().doesNotContain("sourceMappingURL=http");
        Http.Answer again = http.get("?asset=" + asset, "If-None-Match", answer.header("ETag"));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void anUnknownAssetIs404NamingIt() {
        Http.Answer answer = http.get("?asset=../../etc/passwd");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.error()).isEqualTo("no asset '../../etc/passwd'; the status page's assets are "
                + "status.css, status.js, uPlot.css, uPlot.js");
    }

    @Test
    void historyGivesEveryWindowBucketByBucketSinceTheStart() {
        http.post("[{\"prediction\":1,\"actual\":1},{\"prediction\":1,\"actual\":0}]");
        clock.advance(Duration.ofSeconds(25));
        http.post("{\"prediction\":0,\"actual\":0}");

        Http.Answer answer = http.get("?history", "Accept", BROWSER_ACCEPT);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=UTF-8");
        String churn5m = bucket("00:00:00", "00:00:10", 0, 0) + "," + bucket("00:00:10", "00:00:20", 0, 0) + ","
                + bucket("00:00:20", "00:00:25", 0, 0);
        String fraud5m = bucket("00:00:00", "00:00:10", 2, 1) + "," + bucket("00:00:10", "00:00:20", 0, 0) + ","
                + bucket("00:00:20", "00:00:25", 1, 1);
        assertThat(answer.body()).isEqualTo("{\"models\":["
                + "{\"model\":\"churn\",\"model_version\":\"v1\",\"windows\":["
                + "{\"window\":\"5m\",\"window_seconds\":300,\"bucket_seconds\":10,\"buckets\":[" + churn5m + "]},"
                + "{\"window\":\"1h\",\"window_seconds\":3600,\"bucket_seconds\":120,\"buckets\":["
                + bucket("00:00:00", "00:00:25", 0, 0) + "]}]},"
                + "{\"model\":\"fraud\",\"model_version\":\"v3\",\"windows\":["
                + "{\"window\":\"5m\",\"window_seconds\":300,\"bucket_seconds\":10,\"buckets\":[" + fraud5m + "]},"
                + "{\"window\":\"1h\",\"window_seconds\":3600,\"bucket_seconds\":120,\"buckets\":["
                + bucket("00:00:00", "00:00:25", 3, 2) + "]}]}]}");
    }

    /** One bucket of the history on 2026-01-01, with its accuracy and interval. */
    private static String bucket(String start, String end, long feedbacks, long right) {
        return "{\"start\":\"2026-01-01T" + start + "Z\",\"end\":\"2026-01-01T" + end + "Z\",\"feedbacks\":" + feedbacks
                + ",\"accuracy\":" + (feedbacks == 0 ? "null" : String.valueOf((double) right / feedbacks))
                + ",\"interval\":" + (feedbacks == 0 ? "null" : interval(right, feedbacks)) + "}";
    }

    @Test
    void theStatusPageCanBeTurnedOff() throws Exception {
        try (ServletContainer byConstructor = newContainer(); ServletContainer byInitParameter = newContainer()) {
            Http off = new Http(byConstructor.start(new FeedbackServlet(recorders, FeedbackLimits.DEFAULT, false)));
            Http offToo = new Http(byInitParameter.start(new FeedbackServlet(), Map.of(FeedbackServlet.MODELS_ATTRIBUTE, recorders),
                    Map.of(FeedbackServlet.STATUS_PAGE_PARAM, "false")));

            for (Http client : List.of(off, offToo)) {
                Http.Answer answer = client.get("", "Accept", BROWSER_ACCEPT);
                assertThat(answer.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=UTF-8");
                assertThat(answer.body()).isEqualTo(http.get().body());
                assertThat(answer.header("Vary")).isEmpty();
                assertThat(client.get("?asset=status.js").body()).isEqualTo(http.get().body());
            }
        }
    }

    @Test
    void anInvalidStatusPageParameterStopsTheServletFromStarting() {
        ServletContainer bare = newContainer();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> bare.start(new FeedbackServlet(),
                    Map.of(FeedbackServlet.MODELS_ATTRIBUTE, recorders), Map.of(FeedbackServlet.STATUS_PAGE_PARAM, "yes")))
                    .hasStackTraceContaining("invalid FeedbackServlet init parameter: statusPage must be true or false, got 'yes'");
        } finally {
            try {
                bare.close();
            } catch (IllegalStateException ignored) {
                // a container that failed to start may refuse to stop
            }
        }
    }

    /** 8 of 10 right against a baseline of 0.9 is noise; 80 of 100 right is a decline. */
    @Test
    void getMarksAWindowSignificantlyBelowTheBaseline() {
        http.post(BadRequest.batchOf(8).replace("]", ",{\"prediction\":1,\"actual\":0},{\"prediction\":0,\"actual\":1}]"));
        JsonNode fewAt80 = http.get().json().get("models").get(1);
        for (int i = 0; i < 9; i++) {
            http.post(BadRequest.batchOf(8).replace("]", ",{\"prediction\":1,\"actual\":0},{\"prediction\":0,\"actual\":1}]"));
        }
        JsonNode manyAt80 = http.get().json().get("models").get(1);

        assertThat(fewAt80.get("model").asText()).isEqualTo("fraud");
        assertThat(fewAt80.at("/windows/5m/below_baseline/accuracy").asBoolean()).isFalse();
        assertThat(fewAt80.at("/windows/5m/intervals/accuracy/0").asDouble()).isCloseTo(0.4902, within(0.0001));
        assertThat(fewAt80.at("/windows/5m/intervals/accuracy/1").asDouble()).isCloseTo(0.9433, within(0.0001));
        assertThat(manyAt80.at("/windows/5m/below_baseline/accuracy").asBoolean()).isTrue();
        assertThat(manyAt80.at("/windows/1h/below_baseline/accuracy").asBoolean()).isTrue();
        assertThat(manyAt80.at("/windows/lifetime/below_baseline/accuracy").asBoolean()).isTrue();
        assertThat(manyAt80.at("/windows/5m/intervals/accuracy/1").asDouble()).isCloseTo(0.8666, within(0.0001));
        assertThat(manyAt80.at("/windows/5m/below_baseline").has("f1")).isFalse();
    }

    /** 1,000 right answers, then 4 wrong, in one batch; every other item names the default model explicitly. */
    @Test
    void aDegradationInABatchIsDetectedInItemOrder() {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 1004; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"prediction\":").append(i < 1000 ? 1 : 0)
                    .append(",\"actual\":1").append(i % 2 == 0 ? ",\"model\":\"fraud\"}" : "}");
        }
        assertThat(http.post(batch.append(']').toString()).status()).isEqualTo(200);

        JsonNode drift = http.get().json().at("/models/1/drift/hddm_a"); // reading drains what is queued

        assertThat(drift.get("state").asText()).isEqualTo("DRIFT");
        assertThat(drift.get("detected").asLong()).isEqualTo(1);
        assertThat(drift.get("last_drift_feedback").asLong()).isEqualTo(1004);
        assertThat(drift.get("last_drift_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(registry.get("model.drift.state").tag("model", "fraud").gauge().value()).isEqualTo(2);
        assertThat(registry.get("model.drift.detected").tag("model", "fraud").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("model.drift.state").tag("model", "churn").gauge().value()).isZero();
    }

    /** The same items the other way round: an improvement, never a drift. */
    @Test
    void theSameItemsInTheOtherOrderAreNoDrift() {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 1004; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"prediction\":").append(i < 4 ? 0 : 1).append(",\"actual\":1}");
        }
        assertThat(http.post(batch.append(']').toString()).status()).isEqualTo(200);

        assertThat(http.get().json().at("/models/1/drift/hddm_a/detected").asLong()).isZero();
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(1000, 0, 0, 4));
    }

    @Test
    void aPredictionIsStoredThenJoinedByItsActualOnce() {
        Http.Answer stored = http.post(JoinContract.prediction("req-7", 1));
        Http.Answer again = http.post(JoinContract.prediction("req-7", 1));
        Http.Answer joined = http.post(JoinContract.actual("req-7", 0));
        Http.Answer retried = http.post(JoinContract.actual("req-7", 0));
        Http.Answer conflicting = http.post(JoinContract.actual("req-7", 1));

        assertThat(stored.status()).isEqualTo(202);
        assertThat(stored.json().get("recorded").asInt()).isZero();
        assertThat(stored.json().get("pending").asInt()).isEqualTo(1);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        assertThat(joined.status()).isEqualTo(200);
        assertThat(joined.body()).startsWith("{\"recorded\":1,\"pending\":0,\"model\":\"fraud\",\"model_version\":\"v3\","
                + "\"metrics\":{\"accuracy\":0.0,");
        assertThat(joined.json().at("/counts/false_positives").asInt()).isEqualTo(1);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().get("recorded").asInt()).isZero();
        assertThat(retried.json().get("duplicate").asBoolean()).isTrue();
        assertThat(conflicting.status()).isEqualTo(409);
        assertThat(conflicting.error()).isEqualTo("id 'req-7' was already recorded with a different actual value");
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(0, 0, 1, 0));
        assertThat(rejected(RejectionReason.CONFLICT)).isEqualTo(1);
    }

    @Test
    void anActualWithNoPredictionIsNotFoundWithItsReason() {
        http.post(JoinContract.prediction("old", 1));
        clock.advance(Duration.ofHours(25)); // past the default time-to-live of 24 hours

        Http.Answer unknown = http.post(JoinContract.actual("never-seen", 1));
        Http.Answer expired = http.post(JoinContract.actual("old", 1));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"no prediction is stored for id 'never-seen'\",\"reason\":\"unknown\"}");
        assertThat(expired.status()).isEqualTo(404);
        assertThat(expired.body()).isEqualTo("{\"error\":\"the prediction for id 'old' expired before its actual value"
                + " arrived\",\"reason\":\"expired\"}");
        assertThat(counts("fraud")).isEqualTo(ClassificationSnapshot.EMPTY);
        JsonNode fraud = http.get().json().get("models").get(1);
        assertThat(fraud.get("pending").asInt()).isZero();
        assertThat(fraud.get("unmatched").toString()).isEqualTo("{\"unknown\":1,\"expired\":1,\"evicted\":0}");
        assertThat(registry.get("feedback.unmatched").tag("model", "fraud").tag("reason", "expired").counter().count())
                .isEqualTo(1);
    }

    /** A store that can be taken down, as a shared store is when its server is unreachable. */
    private static final class SwitchableStore implements PendingStore {
        private final PendingStore store = new InMemoryPendingStore();
        private volatile boolean down;

        @Override
        public Applied apply(List<JoinOperation> operations, long nowMillis) {
            if (down) {
                throw new PendingStoreUnavailableException("connection refused (the store is down in this test)");
            }
            return store.apply(operations, nowMillis);
        }

        @Override
        public long pending(String namespace) {
            return store.pending(namespace);
        }

        @Override
        public void onUnmatched(String namespace, UnmatchedListener listener) {
            store.onUnmatched(namespace, listener);
        }
    }

    @Test
    void anUnreachableStoreIs503AndCountsNothingUntilItIsBack() throws Exception {
        SwitchableStore store = new SwitchableStore();
        MeterRegistry ownRegistry = new SimpleMeterRegistry();
        ModelSet shared = ModelSet.builder(ownRegistry).model("fraud", "v3").pendingStore(store).build();
        try (ServletContainer other = newContainer()) {
            Http client = new Http(other.start(new FeedbackServlet(shared)));
            client.post(JoinContract.prediction("p1", 1));
            String batch = "[{\"prediction\":1,\"actual\":1}," + JoinContract.actual("p1", 1) + "]";

            store.down = true;
            Http.Answer refused = client.post(batch);

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.error()).isEqualTo(
                    "the store of pending predictions is unavailable; nothing was counted, send the request again later");
            assertThat(shared.recorder("fraud").snapshot()).isEqualTo(ClassificationSnapshot.EMPTY);
            assertThat(ownRegistry.get("feedback.rejected").tag("reason", "store_unavailable").counter().count())
                    .isEqualTo(1);

            store.down = false;
            Http.Answer retried = client.post(batch);

            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.json().get("recorded").asInt()).isEqualTo(2);
            assertThat(shared.recorder("fraud").snapshot()).isEqualTo(new ClassificationSnapshot(2, 0, 0, 0));
        }
    }

    /** The same inline feedback sent 5 times at once by 5 clients: counted once, 4 duplicates. */
    @Test
    void concurrentRetriesOfInlineFeedbackCountOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            for (int round = 0; round < 20; round++) {
                String body = JoinContract.inline("order-" + round, 1, 1);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Http.Answer>> answers = new ArrayList<>();
                for (int c = 0; c < 5; c++) {
                    Http own = new Http(http.base());
                    answers.add(pool.submit(() -> {
                        go.await();
                        return own.post(body);
                    }));
                }
                go.countDown();
                int counted = 0;
                int duplicates = 0;
                for (Future<Http.Answer> answer : answers) {
                    Http.Answer a = answer.get(1, TimeUnit.MINUTES);
                    assertThat(a.status()).isEqualTo(200);
                    counted += a.json().get("recorded").asInt();
                    duplicates += a.json().path("duplicate").asBoolean() ? 1 : 0;
                }
                assertThat(counted).isEqualTo(1);
                assertThat(duplicates).isEqualTo(4);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(20, 0, 0, 0));
        Http.Answer conflict = http.post(JoinContract.inline("order-3", 0, 1));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.error()).isEqualTo("id 'order-3' was already recorded with different values");
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(20, 0, 0, 0));
    }

    @Test
    void aBatchMayMixTheFormsAndListsWhatWasNotCounted() {
        http.post("[" + JoinContract.prediction("a", 1) + "," + JoinContract.prediction("b", 0) + "]");
        http.post(JoinContract.actual("b", 0));

        Http.Answer answer = http.post("[{\"prediction\":1,\"actual\":1},"
                + JoinContract.actual("a", 1) + ","
                + JoinContract.actual("b", 0) + ","
                + JoinContract.actual("nobody", 1) + ","
                + JoinContract.inline("c", 0, 0) + ","
                + JoinContract.prediction("d", 1) + ","
                + "{\"id\":\"e\",\"prediction\":0,\"model\":\"churn\"}]");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("recorded").asInt()).isEqualTo(3);
        assertThat(answer.json().get("pending").asInt()).isEqualTo(2);
        assertThat(answer.json().get("not_counted").toString()).isEqualTo("[{\"item\":2,\"id\":\"b\",\"outcome\":\"duplicate\"},"
                + "{\"item\":3,\"id\":\"nobody\",\"outcome\":\"unknown\"}]");
        assertThat(answer.json().get("models")).hasSize(2);
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(2, 2, 0, 0));
        assertThat(http.get().json().at("/models/0/pending").asInt()).isEqualTo(1);
    }

    @Test
    void aConflictInABatchRefusesItWholeAndNamesTheItem() {
        http.post(JoinContract.inline("x", 1, 1));
        http.post(JoinContract.prediction("y", 0));

        Http.Answer answer = http.post("[{\"prediction\":0,\"actual\":0}," + JoinContract.actual("y", 1) + ","
                + JoinContract.inline("x", 1, 0) + "]");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.error()).isEqualTo("item 2: id 'x' was already recorded with different values");
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
        assertThat(http.post(JoinContract.actual("y", 1)).json().get("recorded").asInt()).isEqualTo(1);
    }

    @Test
    void onlyPredictionsAreAccepted() {
        Http.Answer answer = http.post("[" + JoinContract.prediction("p1", 1) + "," + JoinContract.prediction("p2", 1) + "]");

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().get("recorded").asInt()).isZero();
        assertThat(answer.json().get("pending").asInt()).isEqualTo(2);
        assertThat(answer.json().get("not_counted")).isEmpty();
        assertThat(registry.get("feedback.pending.predictions").tag("model", "fraud").gauge().value()).isEqualTo(2);
    }

    private static final String NO_DRIFT = "\"pending\":0,\"unmatched\":{\"unknown\":0,\"expired\":0,\"evicted\":0},"
            + "\"label_delay\":{\"joined\":0,\"median_seconds\":null,\"p90_seconds\":null,\"last_join_at\":null},"
            + "\"drift\":{\"hddm_a\":{\"state\":\"STABLE\",\"detected\":0,\"warnings\":0,"
            + "\"last_drift_at\":null,\"last_drift_feedback\":null}}";

    /** The bounds of the ten reliability bins as JSON writes them. */
    private static final String[] BIN_BOUNDS = {"0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0"};

    /** The scores of a binary model's window without a scored item: n 0, every metric null, ten empty bins. */
    static final String NO_SCORES = "\"scores\":{\"n\":0,\"roc_auc\":null,\"roc_auc_interval\":null,"
            + "\"average_precision\":null,\"log_loss\":null,\"brier\":null,\"ece\":null,\"reliability\":["
            + String.join(",", java.util.stream.IntStream.range(0, 10).mapToObj(b -> "{\"lower\":" + BIN_BOUNDS[b]
                    + ",\"upper\":" + BIN_BOUNDS[b + 1] + ",\"n\":0,\"mean_score\":null,\"observed\":null}").toList())
            + "]}";

    private static String interval(long successes, long trials) {
        ConfidenceInterval interval = ConfidenceInterval.wilson(successes, trials);
        return "[" + interval.lower() + "," + interval.upper() + "]";
    }

    @Test
    void headAndOptionsAnswerWithoutABody() {
        Http.Answer head = http.method("HEAD", "");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();

        Http.Answer options = http.method("OPTIONS", "");
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.header("Allow")).isEqualTo("GET, HEAD, POST, OPTIONS");
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"PUT", "DELETE", "PATCH"})
    void otherMethodsAre405WithAnAllowHeader(String method) {
        Http.Answer answer = http.method(method, "{\"prediction\":1,\"actual\":1}");

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.header("Allow")).isEqualTo("GET, HEAD, POST, OPTIONS");
        assertThat(answer.error()).isEqualTo("method '" + method + "' is not allowed; use GET, HEAD, POST, OPTIONS");
        assertThat(counts("fraud")).isEqualTo(ClassificationSnapshot.EMPTY);
        assertThat(rejected(RejectionReason.METHOD_NOT_ALLOWED)).isEqualTo(1);
    }

    @Test
    void sixteenClientsCountExactly() throws Exception {
        int clients = 16;
        int requestsPerClient = 200;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    Http own = new Http(http.base());
                    go.await();
                    for (int r = 0; r < requestsPerClient; r++) {
                        // each client: per 4 requests one TP, one TN, one FP for fraud, and a batch of 2 FN for churn
                        String body = switch (r % 4) {
                            case 0 -> "{\"prediction\":1,\"actual\":1}";
                            case 1 -> "{\"prediction\":0,\"actual\":0}";
                            case 2 -> "{\"prediction\":1,\"actual\":0,\"model\":\"fraud\"}";
                            default -> "[{\"prediction\":0,\"actual\":1,\"model\":\"churn\"},"
                                    + "{\"prediction\":0,\"actual\":1,\"model\":\"churn\"}]";
                        };
                        Http.Answer answer = own.post(body);
                        if (answer.status() != 200) {
                            throw new AssertionError("client " + client + " request " + r + ": " + answer.body());
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long quarter = clients * requestsPerClient / 4;
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(quarter, quarter, quarter, 0));
        assertThat(counts("churn")).isEqualTo(new ClassificationSnapshot(0, 0, 0, 2 * quarter));
    }

    @Test
    void aBodyCutShortByTheClientCountsNothing() throws Exception {
        String complete = "{\"prediction\":1,\"actual\":1}";
        try (Socket socket = new Socket(http.base().getHost(), http.base().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // Announces 100 bytes, sends a complete JSON object of 27, then hangs up its side.
            out.write(("POST /feedback HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\nConnection: close\r\n\r\n" + complete).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 400 ").doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(counts("fraud")).isEqualTo(ClassificationSnapshot.EMPTY);
        assertThat(rejected(RejectionReason.UNREADABLE_BODY)).isEqualTo(1);
    }

    /**
     * A refused body is read to its end before the answer goes out, so the client reads the 413
     * instead of a connection reset; on a container that keeps the connection after a refusal, it
     * carries the next request.
     */
    @Test
    void anOversizedBodyIsAnsweredInFullBeforeTheConnectionMovesOn() throws Exception {
        byte[] oversized = BadRequest.padded(1024 * 1024 + 1);
        String valid = "{\"prediction\":1,\"actual\":1}";
        try (Socket socket = new Socket(http.base().getHost(), http.base().getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /feedback HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + oversized.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(oversized);
            out.flush();
            RawResponse refused = RawResponse.read(socket.getInputStream());

            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.body()).isEqualTo("{\"error\":\"request body is larger than the limit of 1048576 bytes\"}");
            assertThat(refused.closes()).isEqualTo(closesTheConnectionAfterARefusal());
            if (!refused.closes()) {
                out.write(("POST /feedback HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + valid.length() + "\r\n\r\n" + valid).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(RawResponse.read(socket.getInputStream()).status()).isEqualTo(200);
                assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
            }
        }
    }

    /** A body declared far beyond the limit is not waited for: the 413 comes at once and closes the connection. */
    @Test
    void aHugeDeclaredBodyIsRefusedWithoutBeingRead() throws Exception {
        try (Socket socket = new Socket(http.base().getHost(), http.base().getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /feedback HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (64L * 1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawResponse refused = RawResponse.read(socket.getInputStream());

            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.closes()).isTrue();
            assertThat(refused.body()).isEqualTo("{\"error\":\"request body is larger than the limit of 1048576 bytes\"}");
        }
        assertThat(counts("fraud")).isEqualTo(ClassificationSnapshot.EMPTY);
    }

    @Test
    void undefinedMetricsAreNullNeverNaNOrZero() {
        Http.Answer answer = http.post("{\"prediction\":0,\"actual\":0}");

        assertThat(answer.body()).contains("\"metrics\":{\"accuracy\":1.0,\"precision\":null,\"recall\":null,\"f1\":null}");
        assertThat(answer.body()).doesNotContain("NaN");
    }

    /** The same contract through the no-arg constructor and the ServletContext attribute. */
    @Test
    void worksWhenDeclaredWithTheRecordersInAContextAttribute() throws Exception {
        try (ServletContainer declared = newContainer()) {
            Http viaAttribute = new Http(declared.start(new FeedbackServlet(),
                    Map.of(FeedbackServlet.MODELS_ATTRIBUTE, recorders),
                    Map.of(FeedbackServlet.MAX_BODY_BYTES_PARAM, "100")));

            assertThat(viaAttribute.post("{\"prediction\":1,\"actual\":1}").status()).isEqualTo(200);
            Http.Answer tooLarge = viaAttribute.post(BadRequest.batchOf(10));
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.error()).isEqualTo("request body is larger than the limit of 100 bytes");
        }
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
    }

    @Test
    void refusesToStartWithoutRecorders() {
        ServletContainer bare = newContainer();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> bare.start(new FeedbackServlet()))
                    .hasStackTraceContaining("FeedbackServlet needs a ModelSet: set the ServletContext"
                            + " attribute dev.modelfeedback.servlet.ModelSet before the servlet starts");
        } finally {
            try {
                bare.close();
            } catch (IllegalStateException ignored) {
                // a container that failed to start may refuse to stop
            }
        }
    }

    @Test
    void anUnknownModelIsNamedButTheServedModelsAreOnlyLogged() {
        try (LogCapture log = new LogCapture(FeedbackHandler.class)) {
            Http.Answer answer = http.post("{\"prediction\":1,\"actual\":1,\"model\":\"spam\"}");

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).isEqualTo("{\"error\":\"unknown model 'spam'\"}");
            assertThat(log.messages(java.util.logging.Level.FINE)).containsExactly(
                    "request refused (unknown_model): unknown model 'spam'; not on the allowlist;"
                            + " models served: churn@v1, fraud@v3");
        }
    }

    @Test
    void wordsQuotedFromTheBodyAreEscaped() {
        Http.Answer answer = http.post("{\"prediction\":tru\u202eX,\"actual\":1}");

        assertThat(answer.status()).isEqualTo(400);
        // Bytes past the word: 3 of "tru", 3 of U+202E, 1 of "X", 1 of the comma that ended it.
        assertThat(answer.error()).isEqualTo("malformed JSON at line 1, column " + BadRequest.wordColumn(15, 23)
                + ": unexpected word 'tru\\u202eX'; expected a value");
        assertThat(counts("fraud")).isEqualTo(ClassificationSnapshot.EMPTY);
    }

    /** A batch refused for its last item creates no model for the items before it. */
    @Test
    void modelsCreatedOnDemandAreAllOrNothingWithTheBatch() throws Exception {
        MeterRegistry own = new SimpleMeterRegistry();
        ModelSet onDemand = ModelSet.builder(own).createOnDemand(2).build();
        try (ServletContainer container = newContainer()) {
            Http client = new Http(container.start(new FeedbackServlet(onDemand)));

            Http.Answer overCap = client.post("[{\"prediction\":1,\"actual\":1,\"model\":\"a\"},"
                    + "{\"prediction\":1,\"actual\":1,\"model\":\"b\"},{\"prediction\":1,\"actual\":1,\"model\":\"c\"}]");
            Http.Answer badLater = client.post("[{\"prediction\":1,\"actual\":1,\"model\":\"a\"},"
                    + "{\"prediction\":1,\"actual\":7,\"model\":\"b\"}]");

            assertThat(overCap.status()).isEqualTo(400);
            assertThat(overCap.error()).isEqualTo("item 2: unknown model 'c'");
            assertThat(badLater.status()).isEqualTo(400);
            assertThat(badLater.error()).isEqualTo("item 1: actual must be 0 or 1, got 7");
            assertThat(onDemand.all()).isEmpty();
            assertThat(own.find("true.positives").meters()).isEmpty();

            assertThat(client.post("[{\"prediction\":1,\"actual\":1,\"model\":\"a\"},"
                    + "{\"prediction\":0,\"actual\":0,\"model\":\"b\"}]").status()).isEqualTo(200);
            assertThat(onDemand.all()).extracting(r -> r.model().name()).containsExactly("a", "b");
        }
    }

    /** Someone else's meters for a model the set would create: the server's fault, told only to its log. */
    @Test
    void aModelAlreadyRegisteredElsewhereIsAServerErrorWithoutDetails() throws Exception {
        MeterRegistry own = new SimpleMeterRegistry();
        ModelSet onDemand = ModelSet.builder(own).createOnDemand(5).build();
        dev.modelfeedback.core.FeedbackRecorder.builder(own).model("taken", "unknown").build();
        try (ServletContainer container = newContainer(); LogCapture log = new LogCapture(FeedbackHandler.class)) {
            Http client = new Http(container.start(new FeedbackServlet(onDemand)));

            Http.Answer answer = client.post("[{\"prediction\":1,\"actual\":1,\"model\":\"fresh\"},"
                    + "{\"prediction\":1,\"actual\":1,\"model\":\"taken\"}]");

            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.body()).isEqualTo(
                    "{\"error\":\"the server could not handle this request; nothing was counted\"}");
            assertThat(own.get("feedback.rejected").tag("reason", "server_error").counter().count()).isEqualTo(1);
            assertThat(onDemand.all()).isEmpty();
            assertThat(log.records()).anySatisfy(r -> {
                assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.SEVERE);
                assertThat(r.getMessage()).isEqualTo(
                        "feedback for models 'fresh', 'taken' could not be counted; answered 500, nothing was counted");
                assertThat(r.getThrown()).hasMessage(
                        "a recorder for model 'taken' version 'unknown' is already registered in this registry");
            });
        }
    }
}
