package dev.modelfeedback.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code /feedback} contract for models with declared classes, over real HTTP against each
 * real container by a subclass. The servlet serves {@code intent} (billing, tech, sales),
 * {@code digits} (classes {@code 0}, {@code 1}, {@code 2}) and the binary {@code fraud}, the default.
 */
abstract class MultiClassContractTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ManualWindowClock clock = WindowClock.manual(T0);
    private final ModelSet models = ModelSet.builder(registry)
            .eachModel(recorder -> recorder.clock(clock))
            .model("intent", "v2", recorder -> recorder.baseline(Baseline.parse("accuracy=0.95,macro_f1=0.9")))
            .model("digits", "v1")
            .model("fraud", "v3")
            .classes("intent", "billing", "tech", "sales")
            .classes("digits", "0", "1", "2")
            .defaultModel("fraud")
            .build();
    private ServletContainer container;
    private Http http;

    abstract ServletContainer newContainer();

    @BeforeEach
    void start() throws Exception {
        container = newContainer();
        http = new Http(container.start(new FeedbackServlet(models)));
    }

    @AfterEach
    void stop() {
        container.close();
    }

    private long[][] rows(String model) {
        return models.recorder(model).matrix().rows();
    }

    private static String item(String model, String prediction, String actual) {
        return "{\"model\":\"" + model + "\",\"prediction\":\"" + prediction + "\",\"actual\":\"" + actual + "\"}";
    }

    /** The seven items of the hand-worked case: see {@link #answersWithTheMatrixAndEveryMetricComputedByHand}. */
    private static String seven() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add(item("intent", "billing", "billing"));
        }
        items.add(item("intent", "tech", "billing"));
        items.add(item("intent", "tech", "tech"));
        items.add(item("intent", "tech", "tech"));
        items.add(item("intent", "sales", "tech"));
        return "[" + String.join(",", items) + "]";
    }

    @Test
    void countsAnItemByLabelAndAnswersWithTheModelsMatrixAndHeadlineMetrics() {
        Http.Answer answer = http.post("{\"model\":\"intent\",\"prediction\":\"tech\",\"actual\":\"billing\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"recorded\":1,\"model\":\"intent\",\"model_version\":\"v2\","
                + "\"classes\":[\"billing\",\"tech\",\"sales\"],\"confusion\":[[0,1,0],[0,0,0],[0,0,0]],"
                + "\"metrics\":{\"accuracy\":0.0,\"macro_f1\":0.0}}");
        assertThat(rows("intent")).isEqualTo(new long[][] {{0, 1, 0}, {0, 0, 0}, {0, 0, 0}});
    }

    /**
     * By hand: rows billing [3, 1, 0], tech [0, 2, 1], sales [0, 0, 0]. Accuracy 5/7; billing P 1,
     * R 3/4, F1 6/7; tech P 2/3, R 2/3, F1 2/3; sales P 0, R undefined, F1 0.
     */
    @Test
    void answersWithTheMatrixAndEveryMetricComputedByHand() {
        assertThat(http.post(seven()).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(10));
        assertThat(http.post(item("intent", "sales", "sales")).status()).isEqualTo(200);

        JsonNode intent = modelStatus(http.get().json(), "intent");

        JsonNode hour = intent.get("windows").get("1h");
        assertThat(hour.get("classes").toString()).isEqualTo("[\"billing\",\"tech\",\"sales\"]");
        assertThat(hour.get("confusion").toString()).isEqualTo("[[3,1,0],[0,2,1],[0,0,1]]");
        JsonNode fiveMinutes = intent.get("windows").get("5m");
        assertThat(fiveMinutes.get("confusion").toString()).isEqualTo("[[0,0,0],[0,0,0],[0,0,1]]");
        assertThat(fiveMinutes.get("per_class").get("billing").get("recall").isNull()).isTrue();
        assertThat(fiveMinutes.get("per_class").get("billing").get("recall_interval").isNull()).isTrue();

        JsonNode perClass = hour.get("per_class");
        assertThat(perClass.get("billing").get("precision").asDouble()).isEqualTo(1.0);
        assertThat(perClass.get("billing").get("recall").asDouble()).isEqualTo(0.75);
        assertThat(perClass.get("billing").get("f1").asDouble()).isCloseTo(6.0 / 7, within(1e-12));
        assertThat(perClass.get("billing").get("support").asLong()).isEqualTo(4);
        assertThat(perClass.get("tech").get("precision").asDouble()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(perClass.get("sales").get("precision").asDouble()).isEqualTo(0.5);
        assertThat(perClass.get("sales").get("recall").asDouble()).isEqualTo(1.0);
        assertThat(perClass.get("sales").get("f1").asDouble()).isCloseTo(2.0 / 3, within(1e-12));
        // Wilson 95% interval (z = 1.96) of 3 of 4: centre (3 + z²/2)/(4 + z²), half-width z·sqrt(3·1/4 + z²/4)/(4 + z²)
        double z = 1.96;
        double centre = (3 + z * z / 2) / (4 + z * z);
        double half = z * Math.sqrt(3.0 * 1 / 4 + z * z / 4) / (4 + z * z);
        assertThat(perClass.get("billing").get("recall_interval").get(0).asDouble()).isCloseTo(centre - half, within(1e-12));
        assertThat(perClass.get("billing").get("recall_interval").get(1).asDouble()).isCloseTo(centre + half, within(1e-12));

        JsonNode metrics = hour.get("metrics");
        assertThat(metrics.get("accuracy").asDouble()).isCloseTo(6.0 / 8, within(1e-12));
        assertThat(metrics.get("balanced_accuracy").asDouble()).isCloseTo((0.75 + 2.0 / 3 + 1) / 3, within(1e-12));
        assertThat(metrics.get("macro_precision").asDouble()).isCloseTo((1 + 2.0 / 3 + 0.5) / 3, within(1e-12));
        assertThat(metrics.get("macro_f1").asDouble()).isCloseTo((6.0 / 7 + 2.0 / 3 + 2.0 / 3) / 3, within(1e-12));
        assertThat(metrics.get("weighted_f1").asDouble())
                .isCloseTo((4 * 6.0 / 7 + 3 * 2.0 / 3 + 1 * 2.0 / 3) / 8, within(1e-12));
        // kappa: p_o = 6/8, p_e = (4·3 + 3·3 + 1·2)/64 = 23/64; scikit-learn gives 0.6097560975609756
        assertThat(metrics.get("cohen_kappa").asDouble()).isCloseTo((6.0 / 8 - 23.0 / 64) / (1 - 23.0 / 64), within(1e-12));
        // scikit-learn's matthews_corrcoef of these items
        assertThat(metrics.get("mcc").asDouble()).isCloseTo(0.6257827179021986, within(1e-12));
        assertThat(hour.get("intervals").get("accuracy").size()).isEqualTo(2);
        assertThat(hour.get("intervals").has("precision")).isFalse();
        // 6 of 8 right: the upper bound 0.93 is under 0.95
        assertThat(hour.get("below_baseline").get("accuracy").asBoolean()).isTrue();
        assertThat(intent.get("baseline").toString()).isEqualTo("{\"accuracy\":0.95,\"macro_f1\":0.9}");
        assertThat(intent.get("verdict").get("state").asText()).isEqualTo("below_baseline");
        assertThat(intent.get("windows").get("lifetime").get("confusion")).isEqualTo(hour.get("confusion"));

        JsonNode fraud = modelStatus(http.get().json(), "fraud");
        assertThat(fraud.get("counts").toString())
                .isEqualTo("{\"true_positives\":0,\"true_negatives\":0,\"false_positives\":0,\"false_negatives\":0}");
        assertThat(fraud.has("confusion")).isFalse();
    }

    private static JsonNode modelStatus(JsonNode status, String model) {
        for (JsonNode entry : status.get("models")) {
            if (entry.get("model").asText().equals(model)) {
                return entry;
            }
        }
        throw new AssertionError("no model " + model + " in " + status);
    }

    @Test
    void anIntegerIsTheLabelItsDecimalTextIs() {
        Http.Answer answer = http.post("[{\"model\":\"digits\",\"prediction\":2,\"actual\":\"2\"},"
                + "{\"model\":\"digits\",\"prediction\":\"0\",\"actual\":1}]");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(rows("digits")).isEqualTo(new long[][] {{0, 0, 0}, {1, 0, 0}, {0, 0, 1}});
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        {"model":"intent","prediction":"Tech","actual":"billing"}       | prediction must be a class of model 'intent', got the string 'Tech'
        {"model":"intent","prediction":"tech","actual":"refund"}        | actual must be a class of model 'intent', got the string 'refund'
        {"model":"intent","prediction":1,"actual":"billing"}            | prediction must be a class of model 'intent', got 1
        {"model":"intent","prediction":"tech","actual":true}            | actual must be a class of model 'intent', got true
        {"model":"intent","prediction":"tech","actual":null}            | actual must be a class of model 'intent', got null
        {"model":"intent","prediction":["tech"],"actual":"billing"}     | prediction must be a class of model 'intent', got an array
        {"model":"intent","prediction":"te\\nch","actual":"billing"}    | prediction must be a class of model 'intent', got the string 'te\\u000ach'
        {"model":"intent","prediction":"tech"}                          | actual is required
        {"prediction":"tech","model":"intent","prediction":"tech","actual":"tech"} | duplicate field 'prediction'
        {"model":"digits","prediction":3,"actual":0}                    | prediction must be a class of model 'digits', got 3
        {"model":"digits","prediction":1.0,"actual":0}                  | prediction must be a class of model 'digits', got 1.0
        {"model":"digits","prediction":0,"actual":99999999999999999999} | actual must be a class of model 'digits', got 99999999999999999999
        {"model":"fraud","prediction":"tech","actual":1}                | prediction must be 0 or 1, got the string 'tech'
        {"model":"intent","prediction":{"a":1},"actual":"tech"}         | prediction must be a class of model 'intent', got an object
        {"prediction":{"prediction":1},"actual":0}                      | prediction must be 0 or 1, got an object
        {"model":"intent","prediction":"tech","actual":[1,{"x":2}]}     | actual must be a class of model 'intent', got an array
        {"prediction":1,"actual":"1"}                                   | actual must be 0 or 1, got the string '1'
        [{"model":"intent","prediction":"tech","actual":"tech"},{"model":"intent","prediction":"tech","actual":"x"}] | item 1: actual must be a class of model 'intent', got the string 'x'
        """)
    void refusesAValueTheModelDoesNotHaveNamingTheFieldAndCountsNothing(String body, String error) {
        http.post(item("intent", "sales", "sales"));
        double rejectedBefore = registry.get("feedback.rejected").tag("reason", "invalid_feedback").counter().count();

        Http.Answer answer = http.post(body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo(error);
        assertThat(answer.body()).doesNotContain("billing\",").doesNotContain("Exception");
        assertThat(rows("intent")).isEqualTo(new long[][] {{0, 0, 0}, {0, 0, 0}, {0, 0, 1}});
        assertThat(rows("digits")).isEqualTo(new long[3][3]);
        assertThat(models.recorder("fraud").snapshot()).isEqualTo(ClassificationSnapshot.EMPTY);
        assertThat(registry.get("feedback.rejected").tag("reason", "invalid_feedback").counter().count())
                .isEqualTo(rejectedBefore + 1);
    }

    /** A model that will be refused is refused as such, not for values judged against the wrong kind. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        {"model":"intent","model_version":"v9","prediction":"tech","actual":"billing"} | unknown version 'v9' of model 'intent'
        {"model":"nope","prediction":"tech","actual":"billing"}                        | unknown model 'nope'
        [{"model":"intent","prediction":"tech","actual":"tech"},{"model":"nope","prediction":"a","actual":"b"}] | item 1: unknown model 'nope'
        """)
    void aLabelForAModelNotServedIsAnUnknownModel(String body, String error) {
        Http.Answer answer = http.post(body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo(error);
        assertThat(rows("intent")).isEqualTo(new long[3][3]);
        assertThat(registry.get("feedback.rejected").tag("reason", "unknown_model").counter().count()).isEqualTo(1);
    }

    @Test
    void aBatchFeedsBinaryAndMultiClassModelsTogetherWhereverTheModelIsNamed() {
        Http.Answer answer = http.post("[{\"prediction\":\"tech\",\"actual\":\"sales\",\"model\":\"intent\"},"
                + "{\"prediction\":1,\"actual\":1},"
                + "{\"actual\":2,\"prediction\":2,\"model\":\"digits\"},"
                + "{\"prediction\":\"billing\",\"model\":\"intent\",\"actual\":\"billing\"}]");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("recorded").asInt()).isEqualTo(4);
        assertThat(answer.json().get("models")).hasSize(3);
        assertThat(rows("intent")).isEqualTo(new long[][] {{1, 0, 0}, {0, 0, 0}, {0, 1, 0}});
        assertThat(rows("digits")).isEqualTo(new long[][] {{0, 0, 0}, {0, 0, 0}, {0, 0, 1}});
        assertThat(models.recorder("fraud").snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
    }

    @Test
    void delayedLabelsJoinByIdWithDuplicatesConflictsAndUnknownIds() {
        assertThat(http.post("{\"model\":\"intent\",\"id\":\"t-1\",\"prediction\":\"tech\"}").status()).isEqualTo(202);
        assertThat(http.post("{\"model\":\"intent\",\"id\":\"t-1\",\"prediction\":\"tech\"}").json()
                .get("duplicate").asBoolean()).isTrue();
        Http.Answer conflict = http.post("{\"model\":\"intent\",\"id\":\"t-1\",\"prediction\":\"sales\"}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.error()).isEqualTo("id 't-1' was already recorded with a different prediction");
        assertThat(rows("intent")).isEqualTo(new long[3][3]);

        clock.advance(Duration.ofMinutes(2));
        Http.Answer joined = http.post("{\"model\":\"intent\",\"id\":\"t-1\",\"actual\":\"billing\"}");
        assertThat(joined.status()).as(joined.body()).isEqualTo(200);
        assertThat(joined.json().get("recorded").asInt()).isEqualTo(1);
        assertThat(joined.json().get("confusion").toString()).isEqualTo("[[0,1,0],[0,0,0],[0,0,0]]");
        assertThat(http.post("{\"model\":\"intent\",\"id\":\"t-1\",\"actual\":\"billing\"}").json()
                .get("duplicate").asBoolean()).isTrue();
        assertThat(http.post("{\"model\":\"intent\",\"id\":\"t-1\",\"actual\":\"sales\"}").status()).isEqualTo(409);
        Http.Answer unknown = http.post("{\"model\":\"intent\",\"id\":\"t-9\",\"actual\":\"sales\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("reason").asText()).isEqualTo("unknown");
        Http.Answer bad = http.post("{\"model\":\"intent\",\"id\":\"t-2\",\"prediction\":\"refund\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).isEqualTo("prediction must be a class of model 'intent', got the string 'refund'");

        assertThat(rows("intent")).isEqualTo(new long[][] {{0, 1, 0}, {0, 0, 0}, {0, 0, 0}});
        JsonNode intent = modelStatus(http.get().json(), "intent");
        assertThat(intent.get("pending").asInt()).isZero();
        assertThat(intent.get("label_delay").get("joined").asInt()).isEqualTo(1);
        assertThat(intent.get("unmatched").get("unknown").asInt()).isEqualTo(1);
    }

    @Test
    void aBatchWithIdsIsAllOrNothingAcrossKinds() {
        http.post("{\"model\":\"intent\",\"id\":\"t-1\",\"prediction\":\"tech\"}");

        Http.Answer answer = http.post("[{\"model\":\"intent\",\"prediction\":\"sales\",\"actual\":\"sales\"},"
                + "{\"prediction\":1,\"actual\":0},"
                + "{\"model\":\"intent\",\"id\":\"t-1\",\"prediction\":\"billing\",\"actual\":\"billing\"}]");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.error()).isEqualTo("item 2: id 't-1' was already recorded with different values");
        assertThat(rows("intent")).isEqualTo(new long[3][3]);
        assertThat(models.recorder("fraud").snapshot()).isEqualTo(ClassificationSnapshot.EMPTY);
    }

    @Test
    void historyBucketsCarryAccuracyForEveryKind() {
        http.post(seven());

        JsonNode history = http.get("?history").json();

        JsonNode intent = null;
        for (JsonNode model : history.get("models")) {
            if (model.get("model").asText().equals("intent")) {
                intent = model;
            }
        }
        JsonNode bucket = intent.get("windows").get(0).get("buckets").get(0);
        assertThat(bucket.get("feedbacks").asInt()).isEqualTo(7);
        assertThat(bucket.get("accuracy").asDouble()).isCloseTo(5.0 / 7, within(1e-12));
    }
}
