package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** {@code modelfeedback.models.NAME.versions}: a champion and its challenger served side by side over HTTP. */
@SpringBootTest(classes = FeedbackTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "modelfeedback.models.ranker.versions=v1,v2",
                "management.endpoints.web.exposure.include=prometheus"})
final class VersionsOverHttpTest {

    @Value("${local.server.port}")
    private int port;
    @Autowired
    private ModelSet models;

    @Test
    void eachItemNamesItsVersionAndEachVersionHasItsSeries() {
        Http http = new Http(port);

        Http.Answer fed = http.post("/feedback", "[{\"prediction\":1,\"actual\":1,\"model_version\":\"v1\"},"
                + "{\"prediction\":1,\"actual\":0,\"model_version\":\"v2\"}]");
        Http.Answer withoutVersion = http.post("/feedback", "{\"prediction\":1,\"actual\":1}");

        assertThat(fed.status()).isEqualTo(200);
        assertThat(withoutVersion.status()).isEqualTo(400);
        assertThat(withoutVersion.body())
                .isEqualTo("{\"error\":\"model 'ranker' has several versions: name one with model_version\"}");
        assertThat(models.recorder("ranker", "v1").snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
        assertThat(models.recorder("ranker", "v2").snapshot()).isEqualTo(new ClassificationSnapshot(0, 0, 1, 0));
        assertThat(http.scrape()).contains(
                "true_positives_total{model=\"ranker\",model_version=\"v1\"} 1.0",
                "false_positives_total{model=\"ranker\",model_version=\"v2\"} 1.0",
                "true_positives_total{model=\"ranker\",model_version=\"v2\"} 0.0");
    }
}
