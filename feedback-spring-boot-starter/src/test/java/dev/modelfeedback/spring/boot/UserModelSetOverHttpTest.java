package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An application that builds its own {@link ModelSet}: the starter serves it at {@code /feedback}
 * and ignores the model properties.
 */
@SpringBootTest(classes = {FeedbackTestApplication.class, UserModelSetOverHttpTest.OwnModels.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "modelfeedback.models.fraud.version=v3",
                "management.endpoints.web.exposure.include=prometheus"})
final class UserModelSetOverHttpTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class OwnModels {
        @Bean
        ModelSet ownModels(MeterRegistry registry) {
            return ModelSet.builder(registry).model("spam", "v9").build();
        }
    }

    @Value("${local.server.port}")
    private int port;
    @Autowired
    private ModelSet models;
    @Autowired
    private MeterRegistry registry;

    @Test
    void theApplicationsModelSetWins() {
        Http http = new Http(port);

        Http.Answer answer = http.post("/feedback", "{\"prediction\":1,\"actual\":1}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).startsWith("{\"recorded\":1,\"model\":\"spam\",\"model_version\":\"v9\",");
        assertThat(models.all()).extracting(recorder -> recorder.model().toString()).containsExactly("spam@v9");
        assertThat(models.recorder("spam").snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
        assertThat(registry.find("true.positives").tag("model", "fraud").meter()).isNull();
        assertThat(http.scrape()).contains("true_positives_total{model=\"spam\",model_version=\"v9\"} 1.0")
                .noneMatch(line -> line.contains("model=\"fraud\""));
    }
}
