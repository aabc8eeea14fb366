package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.servlet.RejectionReason;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The starter in a real Spring Boot application: embedded Tomcat on a random port, Boot's own
 * registry and {@code /actuator/prometheus}, real HTTP. Two models come from properties. Each test
 * gets a fresh application, so "before the first request" means it.
 */
@SpringBootTest(classes = {FeedbackTestApplication.class, ChargebackListener.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "modelfeedback.models.fraud.version=v3",
                "modelfeedback.models.fraud.baseline.accuracy=0.9",
                "modelfeedback.models.churn.version=v1",
                "modelfeedback.default-model=fraud",
                "modelfeedback.max-batch-items=3",
                "management.endpoints.web.exposure.include=prometheus"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
final class StarterOverHttpTest {

    private static final String FRAUD = "model=\"fraud\",model_version=\"v3\"";
    private static final String CHURN = "model=\"churn\",model_version=\"v1\"";

    @Value("${local.server.port}")
    private int port;
    @Autowired
    private ModelSet models;
    @Autowired
    private MeterRegistry registry;
    @Autowired
    private ChargebackListener chargebacks;

    private Http http;

    @BeforeEach
    void connect() {
        http = new Http(port);
    }

    private ClassificationSnapshot counts(String model) {
        return models.recorder(model).snapshot();
    }

    @Test
    void propertiesDeclareTheModels() {
        assertThat(models.all()).extracting(recorder -> recorder.model().toString())
                .containsExactly("churn@v1", "fraud@v3");
        assertThat(models.defaultModel()).contains("fraud");
        assertThat(models.recorder("fraud").baseline()).isEqualTo(Baseline.parse("accuracy=0.9"));
        assertThat(models.recorder("churn").baseline()).isEqualTo(Baseline.NONE);
        assertThat(models.registry()).isSameAs(registry);
        assertThat(models.pendingStore()).isInstanceOfSatisfying(InMemoryPendingStore.class, store -> {
            assertThat(store.capacity()).isEqualTo(1_000_000);
            assertThat(store.ttl()).isEqualTo(Duration.ofHours(24));
        });
    }

    /** The scrape is the application's first request: nothing has touched the servlet yet. */
    @Test
    void everyFeedbackSeriesExistsBeforeTheFirstRequest() {
        List<String> expected = new ArrayList<>();
        for (String model : List.of(FRAUD, CHURN)) {
            for (String counter : List.of("true_positives", "true_negatives", "false_positives", "false_negatives")) {
                expected.add(counter + "_total{" + model + "} 0.0");
            }
            for (String gauge : List.of("accuracy", "precision", "recall", "f1_score")) {
                expected.add("model_" + gauge + "{" + model + "} NaN");
            }
            expected.add("feedback_pending_predictions{" + model + ",scope=\"replica\"} 0.0");
            expected.add("model_drift_state{detector=\"hddm_a\"," + model + "} 0.0");
        }
        expected.add("model_baseline{metric=\"accuracy\"," + FRAUD + "} 0.9");
        // Every reason /feedback refuses for (all but the other endpoints' invalid_request).
        Stream.of(RejectionReason.values()).filter(reason -> reason != RejectionReason.INVALID_REQUEST)
                .forEach(reason -> expected.add("feedback_rejected_total{reason=\"" + reason.tag() + "\"} 0.0"));

        List<String> scrape = http.scrape();

        assertThat(scrape).containsAll(expected);
        assertThat(scrape).filteredOn(line -> line.startsWith("feedback_rejected_total"))
                .hasSize(RejectionReason.values().length - 1);
        assertThat(scrape).noneMatch(line -> line.startsWith("http_server_requests_seconds_count")
                && line.contains("uri=\"/feedback\""));
    }

    @Test
    void postCountsIntoBootsRegistryAndShowsInTheScrape() {
        Http.Answer fraud = http.post("/feedback", "{\"prediction\":1,\"actual\":0}");
        Http.Answer churn = http.post("/feedback", "[{\"prediction\":1,\"actual\":1,\"model\":\"churn\"},"
                + "{\"prediction\":0,\"actual\":0,\"model\":\"churn\"}]");

        assertThat(fraud.status()).isEqualTo(200);
        assertThat(fraud.body()).isEqualTo("{\"recorded\":1,\"model\":\"fraud\",\"model_version\":\"v3\","
                + "\"metrics\":{\"accuracy\":0.0,\"precision\":0.0,\"recall\":null,\"f1\":0.0},"
                + "\"counts\":{\"true_positives\":0,\"true_negatives\":0,\"false_positives\":1,\"false_negatives\":0}}");
        assertThat(churn.status()).isEqualTo(200);
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(0, 0, 1, 0));
        assertThat(counts("churn")).isEqualTo(new ClassificationSnapshot(1, 1, 0, 0));
        assertThat(registry.get("false.positives").tag("model", "fraud").functionCounter().count()).isEqualTo(1.0);
        assertThat(http.scrape()).contains(
                "false_positives_total{" + FRAUD + "} 1.0",
                "true_positives_total{" + FRAUD + "} 0.0",
                "model_accuracy{" + FRAUD + "} 0.0",
                "true_positives_total{" + CHURN + "} 1.0",
                "true_negatives_total{" + CHURN + "} 1.0",
                "model_accuracy{" + CHURN + "} 1.0");
    }

    @Test
    void badBodyIs400AndCountsNothing() {
        Http.Answer answer = http.post("/feedback", "{\"prediction\":2,\"actual\":0}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"error\":\"prediction must be 0 or 1, got 2\"}");
        assertThat(counts("fraud")).isEqualTo(ClassificationSnapshot.EMPTY);
        assertThat(counts("churn")).isEqualTo(ClassificationSnapshot.EMPTY);
        assertThat(http.scrape()).contains(
                "feedback_rejected_total{reason=\"invalid_feedback\"} 1.0",
                "true_positives_total{" + FRAUD + "} 0.0",
                "true_negatives_total{" + FRAUD + "} 0.0",
                "false_positives_total{" + FRAUD + "} 0.0",
                "false_negatives_total{" + FRAUD + "} 0.0");
    }

    @Test
    void batchLimitComesFromTheProperty() {
        String item = "{\"prediction\":1,\"actual\":1}";

        Http.Answer answer = http.post("/feedback", "[" + String.join(",", item, item, item, item) + "]");

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).isEqualTo("{\"error\":\"batch has more than 3 items\"}");
        assertThat(counts("fraud")).isEqualTo(ClassificationSnapshot.EMPTY);
        assertThat(http.post("/feedback", "[" + String.join(",", item, item, item) + "]").status()).isEqualTo(200);
        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(3, 0, 0, 0));
    }

    @Test
    void requestMetricsTagTheServletsPath() {
        http.post("/feedback", "{\"prediction\":1,\"actual\":1}");
        http.post("/feedback", "{\"prediction\":7,\"actual\":1}");

        List<String> requests = http.scrape().stream()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{")).toList();

        assertThat(requests).filteredOn(line -> line.contains("uri=\"/feedback\""))
                .hasSize(2)
                .anyMatch(line -> line.contains("status=\"200\"") && line.endsWith(" 1"))
                .anyMatch(line -> line.contains("status=\"400\"") && line.endsWith(" 1"));
        assertThat(requests).noneMatch(line -> line.contains("uri=\"UNKNOWN\""));
    }

    @Test
    void aBeanOfTheApplicationRecordsInProcess() {
        chargebacks.onChargeback(true);
        chargebacks.onChargeback(false);
        http.post("/feedback", "{\"prediction\":1,\"actual\":1}");

        assertThat(counts("fraud")).isEqualTo(new ClassificationSnapshot(2, 0, 0, 1));
        assertThat(http.scrape()).contains(
                "true_positives_total{" + FRAUD + "} 2.0",
                "false_negatives_total{" + FRAUD + "} 1.0");
        assertThat(http.get("/feedback").body()).contains("\"model\":\"fraud\",\"model_version\":\"v3\","
                + "\"verdict\":{\"state\":\"healthy\",\"reasons\":[]},\"metrics\":{\"accuracy\":0.6666666666666666,\"precision\":1.0,\"recall\":0.6666666666666666,"
                + "\"f1\":0.8},\"counts\":{\"true_positives\":2,\"true_negatives\":0,\"false_positives\":0,"
                + "\"false_negatives\":1}");
    }
}
