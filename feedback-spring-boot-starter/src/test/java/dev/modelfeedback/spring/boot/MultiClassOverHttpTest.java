package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** {@code modelfeedback.models.NAME.classes}: a multi-class model beside a binary one, over HTTP to the scrape. */
@SpringBootTest(classes = FeedbackTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "modelfeedback.models.intent.version=v2",
                "modelfeedback.models.intent.classes=billing,tech,sales",
                "modelfeedback.models.fraud.version=v3",
                "modelfeedback.default-model=fraud",
                "management.endpoints.web.exposure.include=prometheus"})
final class MultiClassOverHttpTest {

    @Value("${local.server.port}")
    private int port;
    @Autowired
    private ModelSet models;

    @Test
    void itemsCarryLabelsAndTheScrapeHasTheMatrixAndPerClassMetrics() {
        Http http = new Http(port);

        Http.Answer fed = http.post("/feedback", "[{\"model\":\"intent\",\"prediction\":\"tech\",\"actual\":\"billing\"},"
                + "{\"model\":\"intent\",\"prediction\":\"tech\",\"actual\":\"tech\"},{\"prediction\":1,\"actual\":1}]");
        Http.Answer undeclared = http.post("/feedback", "{\"model\":\"intent\",\"prediction\":\"refund\",\"actual\":\"tech\"}");

        assertThat(fed.status()).as(fed.body()).isEqualTo(200);
        assertThat(undeclared.status()).isEqualTo(400);
        assertThat(undeclared.body()).isEqualTo(
                "{\"error\":\"prediction must be a class of model 'intent', got the string 'refund'\"}");
        assertThat(models.recorder("intent").matrix().rows()).isEqualTo(new long[][] {{0, 1, 0}, {0, 1, 0}, {0, 0, 0}});
        assertThat(http.scrape()).contains(
                "model_confusion_total{actual=\"billing\",model=\"intent\",model_version=\"v2\",predicted=\"tech\"} 1.0",
                "model_confusion_total{actual=\"sales\",model=\"intent\",model_version=\"v2\",predicted=\"sales\"} 0.0",
                "model_class_recall{class=\"tech\",model=\"intent\",model_version=\"v2\"} 1.0",
                "model_class_precision{class=\"tech\",model=\"intent\",model_version=\"v2\"} 0.5",
                "model_accuracy{model=\"intent\",model_version=\"v2\"} 0.5",
                "model_macro_f1{model=\"intent\",model_version=\"v2\"} 0.3333333333333333",
                "true_positives_total{model=\"fraud\",model_version=\"v3\"} 1.0");
    }
}
