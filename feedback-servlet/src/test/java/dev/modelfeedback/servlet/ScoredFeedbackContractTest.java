package dev.modelfeedback.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.scores.ScoreCounts;
import dev.modelfeedback.core.scores.ScoreTally;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code /feedback} contract of scored feedback ({@code "score"} for binary models,
 * {@code "scores"} for models with declared classes), over real HTTP against each real container
 * by a subclass. The servlet serves the binary {@code fraud} (the default), {@code churn} and
 * {@code risk} (with a baseline of ROC AUC and log loss),
 * {@code intent} (billing, tech, sales) and {@code digits} (classes {@code 0}, {@code 1}, {@code 2});
 * some tests also start a server whose models are all binary, where the parser takes another path.
 * Expected metrics come from core's {@link ScoreTally} fed the same items in process, compared
 * double for double, or are worked out by hand.
 */
abstract class ScoredFeedbackContractTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<String> INTENT = List.of("billing", "tech", "sales");
    private static final String INTENT_SCORES = "{\"billing\":0.7,\"tech\":0.2,\"sales\":0.1}";

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ManualWindowClock clock = WindowClock.manual(T0);
    private final ModelSet models = ModelSet.builder(registry)
            .eachModel(recorder -> recorder.clock(clock))
            .model("fraud", "v3")
            .model("churn", "v1")
            .model("intent", "v2")
            .model("risk", "v1", recorder -> recorder.baseline(Baseline.parse("roc_auc=0.95,log_loss=0.2")))
            .model("digits", "v1")
            .classes("intent", INTENT)
            .classes("digits", "0", "1", "2")
            .defaultModel("fraud")
            .build();
    private ServletContainer container;
    private Http http;
    private @Nullable ServletContainer binaryOnlyContainer;
    private @Nullable ModelSet binaryOnlyModels;

    abstract ServletContainer newContainer();

    @BeforeEach
    void start() throws Exception {
        container = newContainer();
        http = new Http(container.start(new FeedbackServlet(models)));
    }

    @AfterEach
    void stop() {
        container.close();
        if (binaryOnlyContainer != null) {
            binaryOnlyContainer.close();
        }
    }

    /** A second server whose models, {@code fraud} (the default) and {@code churn}, are all binary. */
    private Http binaryOnly() throws Exception {
        binaryOnlyModels = ModelSet.builder(new SimpleMeterRegistry()).eachModel(recorder -> recorder.clock(clock))
                .model("fraud", "v3").model("churn", "v1").defaultModel("fraud").build();
        binaryOnlyContainer = newContainer();
        return new Http(binaryOnlyContainer.start(new FeedbackServlet(binaryOnlyModels)));
    }

    private static JsonNode model(JsonNode status, String name) {
        for (JsonNode entry : status.get("models")) {
            if (entry.get("model").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no model " + name + " in " + status);
    }

    private JsonNode scores(String model, String window) {
        return model(http.get().json(), model).get("windows").get(window).get("scores");
    }

    /** A window whose AUC interval lies under the baseline is below it; log loss, which has no interval, is never judged. */
    @Test
    void anAucBaselineIsJudgedByTheWindowsDeLongInterval() {
        StringBuilder body = new StringBuilder("[");
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        for (int i = 0; i < 400; i++) {  // scores that barely rank: AUC near 0.55
            int actual = random.nextInt(2);
            double score = Math.round((random.nextDouble() * 0.9 + actual * 0.1) * 1000) / 1000.0;
            body.append(i == 0 ? "" : ",").append("{\"model\":\"risk\",\"prediction\":").append(score >= 0.5 ? 1 : 0)
                    .append(",\"actual\":").append(actual).append(",\"score\":").append(score).append('}');
        }
        assertThat(http.post(body.append(']').toString()).status()).isEqualTo(200);

        JsonNode risk = model(http.get().json(), "risk");
        JsonNode hour = risk.get("windows").get("1h");
        assertThat(hour.get("scores").get("roc_auc_interval").get(1).asDouble()).isLessThan(0.95);
        assertThat(hour.get("below_baseline").toString()).isEqualTo("{\"roc_auc\":true}");
        assertThat(risk.get("baseline").toString()).isEqualTo("{\"roc_auc\":0.95,\"log_loss\":0.2}");
        assertThat(risk.get("verdict").get("state").asText()).isEqualTo("below_baseline");
        assertThat(risk.get("verdict").get("reasons").get(0).get("metric").asText()).isEqualTo("roc_auc");
    }

    private double rejected(String reason) {
        return registry.get("feedback.rejected").tag("reason", reason).counter().count();
    }

    @Test
    void countsAScoreWithItsItemAndShowsItInEveryWindow() {
        Http.Answer answer = http.post("{\"prediction\":1,\"actual\":0,\"score\":0.83}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).as("the answer to a POST is as it was").isEqualTo(
                "{\"recorded\":1,\"model\":\"fraud\",\"model_version\":\"v3\","
                        + "\"metrics\":{\"accuracy\":0.0,\"precision\":0.0,\"recall\":null,\"f1\":0.0},"
                        + "\"counts\":{\"true_positives\":0,\"true_negatives\":0,\"false_positives\":1,\"false_negatives\":0}}");
        assertThat(models.recorder("fraud").snapshot()).isEqualTo(new ClassificationSnapshot(0, 0, 1, 0));
        for (String window : List.of("5m", "1h", "lifetime")) {
            JsonNode scores = scores("fraud", window);
            assertThat(scores.get("n").asLong()).isEqualTo(1);
            // one negative: no ranking metric is defined
            assertThat(scores.get("roc_auc").isNull()).isTrue();
            assertThat(scores.get("roc_auc_interval").isNull()).isTrue();
            assertThat(scores.get("average_precision").isNull()).isTrue();
            assertThat(scores.get("log_loss").asDouble()).isEqualTo(-Math.log(1 - 0.83));
            assertThat(scores.get("brier").asDouble()).isEqualTo(0.83 * 0.83);
            assertThat(scores.get("ece").asDouble()).isEqualTo(0.83);
            assertThat(scores.get("reliability").get(8).toString())
                    .isEqualTo("{\"lower\":0.8,\"upper\":0.9,\"n\":1,\"mean_score\":0.83,\"observed\":0.0}");
        }
        assertThat(scores("churn", "lifetime").get("n").asLong()).isZero();
    }

    /**
     * Four items by hand: positives scored 0.9 and 0.4, negatives 0.2 and 0.6. ROC AUC 3/4 (0.4
     * ranks under 0.6); DeLong: each positive's share of negatives below is 1 and 1/2, each
     * negative's of positives above 1 and 1/2, so S10 = S01 = 1/8 and the variance 1/16 + 1/16,
     * the interval 0.75 - 1.96 sqrt(1/8) to 1 (clipped). Average precision, the second positive's
     * precision at the middle of its step from 1 of 2 to 2 of 3 selected: 1/2 * 1 + 1/2 * (1 - ln 1.4)
     * (scikit-learn's step gives 1/2 + 1/2 * 2/3). Brier (0.01 + 0.04 + 0.36 + 0.36) / 4;
     * ECE over the bins 0.2, 0.4, 0.6 and 0.9: (0.2 + 0.6 + 0.6 + 0.1) / 4.
     */
    @Test
    void writesEveryScoreMetricOfAHandWorkedStream() {
        Http.Answer answer = http.post("[{\"prediction\":1,\"actual\":1,\"score\":0.9},"
                + "{\"prediction\":0,\"actual\":0,\"score\":0.2},{\"prediction\":0,\"actual\":1,\"score\":0.4},"
                + "{\"prediction\":1,\"actual\":0,\"score\":0.6}]");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);

        JsonNode scores = scores("fraud", "lifetime");

        assertThat(scores.get("n").asLong()).isEqualTo(4);
        assertThat(scores.get("roc_auc").asDouble()).isEqualTo(0.75);
        assertThat(scores.get("roc_auc_interval").get(0).asDouble()).isCloseTo(0.75 - 1.96 * Math.sqrt(0.125), within(1e-12));
        assertThat(scores.get("roc_auc_interval").get(1).asDouble()).isEqualTo(1.0);
        assertThat(scores.get("average_precision").asDouble()).isCloseTo((1 + (1 - Math.log(1.4))) / 2, within(1e-12));
        assertThat(scores.get("log_loss").asDouble())
                .isCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.4)) / 4, within(1e-12));
        assertThat(scores.get("brier").asDouble()).isCloseTo(0.1925, within(1e-12));
        assertThat(scores.get("ece").asDouble()).isCloseTo(0.375, within(1e-12));
        String empty = ",\"n\":0,\"mean_score\":null,\"observed\":null}";
        assertThat(scores.get("reliability").toString()).isEqualTo("["
                + "{\"lower\":0.0,\"upper\":0.1" + empty + ",{\"lower\":0.1,\"upper\":0.2" + empty + ","
                + "{\"lower\":0.2,\"upper\":0.3,\"n\":1,\"mean_score\":0.2,\"observed\":0.0},"
                + "{\"lower\":0.3,\"upper\":0.4" + empty + ","
                + "{\"lower\":0.4,\"upper\":0.5,\"n\":1,\"mean_score\":0.4,\"observed\":1.0},"
                + "{\"lower\":0.5,\"upper\":0.6" + empty + ","
                + "{\"lower\":0.6,\"upper\":0.7,\"n\":1,\"mean_score\":0.6,\"observed\":0.0},"
                + "{\"lower\":0.7,\"upper\":0.8" + empty + ",{\"lower\":0.8,\"upper\":0.9" + empty + ","
                + "{\"lower\":0.9,\"upper\":1.0,\"n\":1,\"mean_score\":0.9,\"observed\":1.0}]");
        assertThat(scores.has("per_class")).isFalse();
        assertThat(scores.toString()).as("the fields, in order").startsWith("{\"n\":4,\"roc_auc\":0.75,\"roc_auc_interval\":[");
    }

    /** A stream of items as sent and as core counts them in process. */
    private record Stream(String body, ScoreTally expected) {
    }

    /**
     * {@code n} binary items: scores uniform in [0, 1) with a few at exactly 0 and 1, actual 1 with
     * the score's probability, predicted 1 from 0.5; every seventh item without a score.
     */
    private static Stream binaryStream(Random random, int n) {
        ScoreTally expected = ScoreTally.ofBinary();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double score = i % 97 == 0 ? 0.0 : i % 89 == 0 ? 1.0 : random.nextDouble();
            int actual = random.nextDouble() < score ? 1 : 0;
            int prediction = score >= 0.5 ? 1 : 0;
            if (i % 7 == 3) {
                items.add("{\"prediction\":" + prediction + ",\"actual\":" + actual + "}");
            } else {
                items.add("{\"prediction\":" + prediction + ",\"actual\":" + actual + ",\"score\":" + score + "}");
                expected.add(actual, score);
            }
        }
        return new Stream("[" + String.join(",", items) + "]", expected);
    }

    /**
     * {@code n} items of {@code intent}: probabilities normalized from uniforms, the actual class
     * drawn from them, the prediction their largest (every eleventh item another); the labels in
     * the object in varying order; every fifth item without scores.
     */
    private static Stream intentStream(Random random, int n) {
        ScoreTally expected = ScoreTally.ofClasses(INTENT.size());
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] raw = {random.nextDouble() + 0.01, random.nextDouble() + 0.01, random.nextDouble() + 0.01};
            double sum = raw[0] + raw[1] + raw[2];
            double[] p = {raw[0] / sum, raw[1] / sum, raw[2] / sum};
            double draw = random.nextDouble();
            int actual = draw < p[0] ? 0 : draw < p[0] + p[1] ? 1 : 2;
            int prediction = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
            if (i % 11 == 5) {
                prediction = (prediction + 1) % 3;
            }
            String item = "{\"model\":\"intent\",\"prediction\":\"" + INTENT.get(prediction) + "\",\"actual\":\""
                    + INTENT.get(actual) + "\"";
            if (i % 5 == 2) {
                items.add(item + "}");
                continue;
            }
            int first = i % 3;
            StringBuilder scores = new StringBuilder("{");
            for (int k = 0; k < 3; k++) {
                int c = (first + k) % 3;
                scores.append(k == 0 ? "" : ",").append('"').append(INTENT.get(c)).append("\":").append(p[c]);
            }
            items.add(item + ",\"scores\":" + scores.append('}') + "}");
            expected.add(prediction, actual, p);
        }
        return new Stream("[" + String.join(",", items) + "]", expected);
    }

    private static ScoreTally sum(ScoreTally first, ScoreTally second) {
        ScoreTally all = first.emptyCopy();
        all.addAll(first);
        all.addAll(second);
        return all;
    }

    /**
     * Two batches ten minutes apart: the 5-minute window holds the second (the lifetime's counts
     * minus those at its start, as the recorder subtracts them), the hour and the lifetime both.
     */
    @Test
    void aScoredBinaryStreamOverHttpGivesExactlyWhatCoreComputesInProcess() {
        Random random = new Random(20260101);
        Stream early = binaryStream(random, 3000);
        Stream late = binaryStream(random, 700);

        assertThat(http.post(early.body()).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(10));
        assertThat(http.post(late.body()).status()).isEqualTo(200);

        ScoreCounts lifetime = sum(early.expected(), late.expected()).counts();
        JsonNode fraud = model(http.get().json(), "fraud");
        ScoreJson.assertEquals(fraud.get("windows").get("lifetime").get("scores"), lifetime, List.of(), "lifetime");
        ScoreJson.assertEquals(fraud.get("windows").get("1h").get("scores"), lifetime, List.of(), "1h");
        ScoreJson.assertEquals(fraud.get("windows").get("5m").get("scores"),
                lifetime.minus(early.expected().counts()), List.of(), "5m");
        assertThat(fraud.get("windows").get("lifetime").get("scores").get("roc_auc").asDouble()).isBetween(0.7, 0.9);
        assertThat(models.recorder("fraud").matrix().total()).isEqualTo(3700);
    }

    @Test
    void aScoredMultiClassStreamOverHttpGivesExactlyWhatCoreComputesInProcess() {
        Random random = new Random(31);
        Stream early = intentStream(random, 2000);
        Stream late = intentStream(random, 500);

        assertThat(http.post(early.body()).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(10));
        assertThat(http.post(late.body()).status()).isEqualTo(200);

        ScoreCounts lifetime = sum(early.expected(), late.expected()).counts();
        JsonNode intent = model(http.get().json(), "intent");
        ScoreJson.assertEquals(intent.get("windows").get("lifetime").get("scores"), lifetime, INTENT, "lifetime");
        ScoreJson.assertEquals(intent.get("windows").get("1h").get("scores"), lifetime, INTENT, "1h");
        ScoreJson.assertEquals(intent.get("windows").get("5m").get("scores"),
                lifetime.minus(early.expected().counts()), INTENT, "5m");
        assertThat(lifetime.n()).as("every fifth item without scores").isEqualTo((2000 - 400) + (500 - 100));
        JsonNode scores = intent.get("windows").get("lifetime").get("scores");
        JsonNode perClass = scores.get("per_class");
        for (int bound = 0; bound < 2; bound++) {
            double sum = 0;
            for (String label : INTENT) {
                sum += perClass.get(label).get("roc_auc_interval").get(bound).asDouble();
            }
            assertThat(scores.get("roc_auc_interval").get(bound).asDouble())
                    .as("the macro AUC's interval: the mean of the classes' bounds").isEqualTo(sum / 3);
        }
    }

    /** A body of one scored item is counted as that item, not through a tally: the same values. */
    @Test
    void aSingleScoredItemGivesWhatCoreComputesInProcess() {
        Http.Answer answer = http.post("{\"model\":\"intent\",\"prediction\":\"tech\",\"actual\":\"sales\","
                + "\"scores\":{\"sales\":0.3,\"billing\":0.1,\"tech\":0.6}}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        ScoreTally expected = ScoreTally.ofClasses(3);
        expected.add(1, 2, new double[] {0.1, 0.6, 0.3});
        http.post("{\"prediction\":1,\"actual\":1,\"score\":0.625}");

        ScoreJson.assertEquals(scores("intent", "lifetime"), expected.counts(), INTENT, "intent");
        ScoreTally fraud = ScoreTally.ofBinary();
        fraud.add(1, 0.625);
        ScoreJson.assertEquals(scores("fraud", "lifetime"), fraud.counts(), List.of(), "fraud");
    }

    @Test
    void aModelThatNeverReceivedAScoreShowsScoresWithNoItems() {
        http.post("{\"model\":\"intent\",\"prediction\":\"tech\",\"actual\":\"tech\"}");

        JsonNode scores = scores("intent", "lifetime");

        String bins = ",\"n\":0,\"mean_score\":null,\"observed\":null}";
        String noClass = "{\"roc_auc\":null,\"roc_auc_interval\":null,\"average_precision\":null}";
        assertThat(scores.toString()).isEqualTo("{\"n\":0,\"roc_auc\":null,\"roc_auc_interval\":null,"
                + "\"average_precision\":null,\"log_loss\":null,\"brier\":null,\"ece\":null,\"reliability\":["
                + "{\"lower\":0.0,\"upper\":0.1" + bins + ",{\"lower\":0.1,\"upper\":0.2" + bins + ","
                + "{\"lower\":0.2,\"upper\":0.3" + bins + ",{\"lower\":0.3,\"upper\":0.4" + bins + ","
                + "{\"lower\":0.4,\"upper\":0.5" + bins + ",{\"lower\":0.5,\"upper\":0.6" + bins + ","
                + "{\"lower\":0.6,\"upper\":0.7" + bins + ",{\"lower\":0.7,\"upper\":0.8" + bins + ","
                + "{\"lower\":0.8,\"upper\":0.9" + bins + ",{\"lower\":0.9,\"upper\":1.0" + bins + "],"
                + "\"per_class\":{\"billing\":" + noClass + ",\"tech\":" + noClass + ",\"sales\":" + noClass + "}}");
        assertThat(model(http.get().json(), "digits").get("windows").get("5m").get("scores").get("per_class").size())
                .isEqualTo(3);
    }

    /**
     * Every form in one batch: complete items with and without scores for two kinds of model,
     * scores before the model is named, then a prediction stored by id and complete items after it
     * (kept in order with the operations by id).
     */
    @Test
    void aBatchCarriesScoresForEveryKindOfModelWhereverTheFieldsStand() {
        Http.Answer answer = http.post("[{\"score\":0.75,\"prediction\":1,\"actual\":1},"
                + "{\"prediction\":0,\"actual\":0},"
                + "{\"scores\":" + INTENT_SCORES + ",\"model\":\"intent\",\"prediction\":\"billing\",\"actual\":\"billing\"},"
                + "{\"model\":\"digits\",\"prediction\":2,\"actual\":\"1\",\"scores\":{\"2\":0.5,\"0\":0.25,\"1\":0.25}},"
                + "{\"id\":\"later\",\"prediction\":0},"
                + "{\"prediction\":0,\"actual\":1,\"score\":0.0,\"model\":\"churn\"},"
                + "{\"model\":\"intent\",\"prediction\":\"tech\",\"actual\":\"sales\",\"scores\":{\"billing\":0.1,"
                + "\"tech\":0.45,\"sales\":0.45}}]");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("recorded").asInt()).isEqualTo(6);
        assertThat(answer.json().get("pending").asInt()).isEqualTo(1);
        ScoreTally fraud = ScoreTally.ofBinary();
        fraud.add(1, 0.75);
        ScoreTally churn = ScoreTally.ofBinary();
        churn.add(1, 0.0);
        ScoreTally intent = ScoreTally.ofClasses(3);
        intent.add(0, 0, new double[] {0.7, 0.2, 0.1});
        intent.add(1, 2, new double[] {0.1, 0.45, 0.45});
        ScoreTally digits = ScoreTally.ofClasses(3);
        digits.add(2, 1, new double[] {0.25, 0.25, 0.5});
        ScoreJson.assertEquals(scores("fraud", "lifetime"), fraud.counts(), List.of(), "fraud");
        ScoreJson.assertEquals(scores("churn", "lifetime"), churn.counts(), List.of(), "churn");
        ScoreJson.assertEquals(scores("intent", "lifetime"), intent.counts(), INTENT, "intent");
        ScoreJson.assertEquals(scores("digits", "lifetime"), digits.counts(), List.of("0", "1", "2"), "digits");
        assertThat(scores("churn", "lifetime").get("log_loss").asDouble()).as("a score of 0 for a 1, clipped at 1e-15")
                .isEqualTo(-Math.log(1e-15));
        assertThat(models.recorder("fraud").snapshot()).isEqualTo(new ClassificationSnapshot(1, 1, 0, 0));
        assertThat(models.recorder("intent").matrix().rows()).isEqualTo(new long[][] {{1, 0, 0}, {0, 0, 0}, {0, 1, 0}});
    }

    /** Probabilities that sum to 1 within the tolerance are taken, as core takes them; an integer is a number. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        {"billing":0.7,"tech":0.2,"sales":0.1}          | 0.7  | 0.2 | 0.1
        {"billing":0.5,"tech":0.3,"sales":0.1999995}    | 0.5  | 0.3 | 0.1999995
        {"billing":0.5,"tech":0.3,"sales":0.2000009}    | 0.5  | 0.3 | 0.2000009
        {"sales":0,"tech":1,"billing":0}                | 0.0  | 1.0 | 0.0
        {"billing":1e-1,"tech":2E-1,"sales":0.7}        | 0.1  | 0.2 | 0.7
        {"billing":-0.0,"tech":0.5,"sales":0.5}         | 0.0  | 0.5 | 0.5
        """)
    void acceptsProbabilitiesThatSumToOneWithinTheTolerance(String scores, double billing, double tech, double sales) {
        Http.Answer answer = http.post("{\"model\":\"intent\",\"prediction\":\"tech\",\"actual\":\"tech\",\"scores\":"
                + scores + "}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        ScoreTally expected = ScoreTally.ofClasses(3);
        expected.add(1, 1, new double[] {billing, tech, sales});
        ScoreJson.assertEquals(scores("intent", "lifetime"), expected.counts(), INTENT, "intent");
    }

    /** Bad scores for a binary model, refused alike by a server that also serves classes and one that serves none. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        {"prediction":1,"actual":1,"score":true}               | score must be a probability from 0 to 1, got true
        {"prediction":1,"actual":1,"score":"0.5"}              | score must be a probability from 0 to 1, got the string '0.5'
        {"prediction":1,"actual":1,"score":1.5}                | score must be a probability from 0 to 1, got 1.5
        {"prediction":1,"actual":1,"score":-0.1}               | score must be a probability from 0 to 1, got -0.1
        {"prediction":1,"actual":1,"score":2}                  | score must be a probability from 0 to 1, got 2
        {"prediction":1,"actual":1,"score":1.0000001}          | score must be a probability from 0 to 1, got 1.0000001
        {"prediction":1,"actual":1,"score":null}               | score must be a probability from 0 to 1, got null
        {"prediction":1,"actual":1,"score":1e999}              | score must be a probability from 0 to 1, got 1e999
        {"prediction":1,"actual":1,"score":[0.5]}              | score must be a probability from 0 to 1, got an array
        {"prediction":1,"actual":1,"score":{"p":0.5}}          | score must be a probability from 0 to 1, got an object
        {"score":0.5,"prediction":1,"actual":1,"score":0.5}    | duplicate field 'score'
        {"prediction":1,"score":0.5}                           | actual is required
        {"id":"a","actual":1,"score":0.5}                      | score must come with a prediction, not with an actual value alone
        {"prediction":1,"actual":1,"scores":{"0":0.4,"1":0.6}} | scores are for models with declared classes; model 'fraud' is binary: send score, the probability of class 1
        {"model":"churn","prediction":1,"actual":1,"scores":{}} | scores are for models with declared classes; model 'churn' is binary: send score, the probability of class 1
        {"prediction":1,"actual":1,"scores":0.5}               | scores must be an object with the probability of each class by label, got 0.5
        {"prediction":1,"actual":1,"Score":0.5}                | unknown field 'Score'; expected prediction, actual and optionally id, model, model_version, score or scores
        [{"prediction":1,"actual":1,"score":0.5},{"prediction":1,"actual":1},{"prediction":0,"actual":1,"score":1.01}] | item 2: score must be a probability from 0 to 1, got 1.01
        [{"id":"x","prediction":1,"score":0.2},{"id":"y","prediction":1,"score":-1}] | item 1: score must be a probability from 0 to 1, got -1
        [{"id":"x","prediction":1,"score":0.2},{"id":"x","actual":1,"score":0.2}] | item 1: score must come with a prediction, not with an actual value alone
        """)
    void refusesABadScoreNamingTheFieldAndChangesNothing(String body, String error) throws Exception {
        assertRefusedWithoutChange(body, error);
        Http binary = binaryOnly();
        binary.post("[{\"prediction\":1,\"actual\":1,\"score\":0.9},{\"prediction\":0,\"actual\":0,\"score\":0.3}]");
        String before = binary.get().body();

        Http.Answer answer = binary.post(body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo(error);
        assertThat(binary.get().body()).isEqualTo(before);
        assertThat(binaryOnlyModels.recorder("fraud").scores().n()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        {"model":"intent","prediction":"tech","actual":"tech","score":0.5} | score is for binary models; model 'intent' declares classes: send scores, one probability per class
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":0.7,"tech":0.2,"sales":0.1},"score":0.5} | score is for binary models; model 'intent' declares classes: send scores, one probability per class
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":0.7,"tech":0.2,"refund":0.1}} | scores: 'refund' is not a class of model 'intent'
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":0.7,"tech":0.2,"Sales":0.1}}  | scores: 'Sales' is not a class of model 'intent'
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":0.8,"tech":0.2}}              | scores must give every class of model 'intent' a probability; 'sales' has none
        {"model":"intent","prediction":"tech","actual":"tech","scores":{}}                                      | scores must give every class of model 'intent' a probability; 'billing' has none
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":0.7,"billing":0.2,"tech":0.1}} | scores: duplicate class 'billing'
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":"0.7","tech":0.2,"sales":0.1}} | scores: 'billing' must be a probability from 0 to 1, got the string '0.7'
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":0.7,"tech":true,"sales":0.1}} | scores: 'tech' must be a probability from 0 to 1, got true
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":null,"tech":0.9,"sales":0.1}} | scores: 'billing' must be a probability from 0 to 1, got null
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":1.2,"tech":-0.1,"sales":-0.1}} | scores: 'billing' must be a probability from 0 to 1, got 1.2
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":0.7,"tech":0.4,"sales":-0.1}} | scores: 'sales' must be a probability from 0 to 1, got -0.1
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":[0.7],"tech":0.2,"sales":0.1}} | scores: 'billing' must be a probability from 0 to 1, got an array
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":0.7,"tech":0.2,"sales":0.2}}  | scores must sum to 1 (within 0.000001), got 1.0999999999999999
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":0.5,"tech":0.3,"sales":0.199998}} | scores must sum to 1 (within 0.000001), got 0.999998
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":0,"tech":0,"sales":0}}       | scores must sum to 1 (within 0.000001), got 0.0
        {"model":"intent","prediction":"tech","actual":"tech","scores":[0.7,0.2,0.1]}                           | scores must be an object with the probability of each class by label, got an array
        {"model":"intent","prediction":"tech","actual":"tech","scores":null}                                    | scores must be an object with the probability of each class by label, got null
        {"model":"intent","prediction":"tech","actual":"tech","scores":"billing"}                               | scores must be an object with the probability of each class by label, got the string 'billing'
        {"model":"intent","scores":{"billing":1},"prediction":"tech","actual":"tech","scores":{"billing":1}}    | duplicate field 'scores'
        {"model":"intent","id":"t-1","actual":"tech","scores":{"billing":0.7,"tech":0.2,"sales":0.1}}           | scores must come with a prediction, not with an actual value alone
        {"model":"intent","prediction":"tech","actual":"tech","scores":{"billing\\u202e":0.7,"tech":0.2,"sales":0.1}} | scores: 'billing\\u202e' is not a class of model 'intent'
        {"model":"digits","prediction":0,"actual":0,"scores":{"0":0.5,"1":0.5,"02":0.0}}                        | scores: '02' is not a class of model 'digits'
        {"model":"intent","prediction":"refund","actual":"tech","scores":{"billing":0.7,"tech":0.2,"sales":0.1}} | prediction must be a class of model 'intent', got the string 'refund'
        [{"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":0.7,"tech":0.2,"sales":0.1}},{"model":"intent","prediction":"tech","actual":"tech","scores":{"billing":0.7,"tech":0.2}}] | item 1: scores must give every class of model 'intent' a probability; 'sales' has none
        [{"id":"t-2","model":"intent","prediction":"tech","scores":{"billing":0.7,"tech":0.2,"sales":0.1}},{"prediction":1,"actual":0,"scores":{"billing":1}}] | item 1: scores are for models with declared classes; model 'fraud' is binary: send score, the probability of class 1
        """)
    void refusesBadScoresOfAModelWithClassesNamingFieldLabelAndItemAndChangesNothing(String body, String error) {
        assertRefusedWithoutChange(body, error);
    }

    @Test
    void refusesScoresForMoreClassesThanAModelMayDeclare() {
        StringBuilder scores = new StringBuilder("{");
        for (int c = 0; c < 33; c++) {
            scores.append(c == 0 ? "" : ",").append("\"c").append(c).append("\":0");
        }
        assertRefusedWithoutChange("{\"model\":\"intent\",\"prediction\":\"tech\",\"actual\":\"tech\",\"scores\":"
                + scores.append('}') + "}", "scores has more than 32 classes; a model declares at most 32");
    }

    /**
     * Posts scored items to every model so that a change would show, then {@code body}: it must be
     * refused with {@code error} and leave {@code GET /feedback} as it was.
     */
    private void assertRefusedWithoutChange(String body, String error) {
        assertThat(http.post("[{\"prediction\":1,\"actual\":1,\"score\":0.9},{\"prediction\":0,\"actual\":1,"
                + "\"model\":\"churn\",\"score\":0.4},{\"model\":\"intent\",\"prediction\":\"sales\",\"actual\":\"sales\","
                + "\"scores\":" + INTENT_SCORES + "},{\"model\":\"digits\",\"prediction\":0,\"actual\":0,\"scores\":"
                + "{\"0\":1,\"1\":0,\"2\":0}}]").status()).isEqualTo(200);
        String before = http.get().body();
        double rejectedBefore = rejected("invalid_feedback");

        Http.Answer answer = http.post(body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=UTF-8");
        assertThat(answer.error()).isEqualTo(error);
        assertThat(answer.body()).doesNotContain("Exception");
        assertThat(http.get().body()).isEqualTo(before);
        assertThat(models.recorder("fraud").scores().n()).isEqualTo(1);
        assertThat(models.recorder("intent").scores().n()).isEqualTo(1);
        assertThat(rejected("invalid_feedback")).isEqualTo(rejectedBefore + 1);
    }

    /**
     * A probability no model could take is refused as it is read; a kind or labels the model does
     * not have are judged once the model is known, so a model not served is refused as such.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        {"model":"nope","prediction":1,"actual":1,"score":0.5}                   | unknown_model    | unknown model 'nope'
        {"model":"nope","prediction":1,"actual":1,"scores":{"a":0.5,"b":0.5}}    | unknown_model    | unknown model 'nope'
        {"model":"fraud","model_version":"v9","prediction":1,"actual":1,"scores":{"0":0.5,"1":0.5}} | unknown_model | unknown version 'v9' of model 'fraud'
        {"model":"nope","prediction":1,"actual":1,"score":1.5}                   | invalid_feedback | score must be a probability from 0 to 1, got 1.5
        """)
    void aModelNotServedIsRefusedAsSuchUnlessTheScoreIsNoProbability(String body, String reason, String error)
            throws Exception {
        for (Http server : List.of(http, binaryOnly())) {
            Http.Answer answer = server.post(body);

            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.error()).isEqualTo(error);
        }
        assertThat(rejected(reason)).isEqualTo(1);
        assertThat(models.recorder("intent").scores().n()).isZero();
    }

    /** Scores with complete feedback after an id: counted with it in the same request, in order. */
    @Test
    void completeScoredItemsAfterAnIdAreCountedWithTheirScores() {
        Http.Answer answer = http.post("[{\"id\":\"p-1\",\"prediction\":1},{\"prediction\":1,\"actual\":1,\"score\":0.8},"
                + "{\"prediction\":0,\"actual\":1,\"score\":0.3}]");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        ScoreTally expected = ScoreTally.ofBinary();
        expected.add(1, 0.8);
        expected.add(1, 0.3);
        ScoreJson.assertEquals(scores("fraud", "lifetime"), expected.counts(), List.of(), "fraud");
        ConfidenceInterval interval = expected.counts().rocAucInterval();
        assertThat(interval.defined()).as("no negative").isFalse();
    }
}
