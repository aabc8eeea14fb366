package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metadata IDEs complete {@code modelfeedback.*} from, as the build generates it into the jar. */
final class ConfigurationMetadataTest {

    private static JsonNode metadata() throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    private static Map<String, JsonNode> properties() throws IOException {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        metadata().get("properties").forEach(property -> properties.put(property.get("name").asText(), property));
        return properties;
    }

    @Test
    void describesEveryProperty() throws IOException {
        Map<String, JsonNode> properties = properties();

        assertThat(properties.keySet()).containsExactlyInAnyOrder(
                "modelfeedback.enabled", "modelfeedback.path", "modelfeedback.max-body-size",
                "modelfeedback.max-batch-items", "modelfeedback.body-timeout", "modelfeedback.status-page", "modelfeedback.default-model", "modelfeedback.create-on-demand",
                "modelfeedback.models", "modelfeedback.windows", "modelfeedback.drift-detectors",
                "modelfeedback.baseline.accuracy", "modelfeedback.baseline.precision", "modelfeedback.baseline.recall",
                "modelfeedback.baseline.f1", "modelfeedback.baseline.macro-f1", "modelfeedback.baseline.roc-auc",
                "modelfeedback.baseline.log-loss", "modelfeedback.baseline.from-first",
                "modelfeedback.pending.store", "modelfeedback.pending.capacity", "modelfeedback.pending.ttl",
                "modelfeedback.pending.redis.uri", "modelfeedback.pending.redis.username",
                "modelfeedback.pending.redis.password", "modelfeedback.pending.redis.key-prefix",
                "modelfeedback.pending.redis.command-timeout", "modelfeedback.pending.redis.connect-timeout",
                "modelfeedback.pending.redis.capacity", "modelfeedback.pending.redis.expected-ids");
        properties.forEach((name, property) -> assertThat(property.path("description").asText())
                .as(name).matches("[A-Z][^{}]+\\."));
        assertThat(properties.get("modelfeedback.enabled").get("description").asText()).startsWith("Whether ");
        assertThat(properties.get("modelfeedback.windows").get("description").asText()).startsWith("Comma-separated list");
    }

    @Test
    void showsTheDefaults() throws IOException {
        Map<String, JsonNode> properties = properties();

        assertThat(properties.get("modelfeedback.enabled").get("defaultValue").asBoolean()).isTrue();
        assertThat(properties.get("modelfeedback.path").get("defaultValue").asText()).isEqualTo("/feedback");
        assertThat(properties.get("modelfeedback.max-body-size").get("defaultValue").asText()).isEqualTo("1MB");
        assertThat(properties.get("modelfeedback.max-batch-items").get("defaultValue").asInt()).isEqualTo(10_000);
        assertThat(properties.get("modelfeedback.body-timeout").get("defaultValue").asText()).isEqualTo("10s");
        assertThat(properties.get("modelfeedback.status-page").get("defaultValue").asBoolean()).isTrue();
        assertThat(properties.get("modelfeedback.drift-detectors").get("defaultValue").toString()).contains("hddm_a");
        assertThat(properties.get("modelfeedback.pending.capacity").get("defaultValue").asLong()).isEqualTo(1_000_000);
        assertThat(properties.get("modelfeedback.pending.ttl").get("defaultValue").asText()).isEqualTo("24h");
        assertThat(properties.get("modelfeedback.pending.redis.capacity").get("defaultValue").asLong()).isEqualTo(1_000_000);
    }

    @Test
    void offersTheDriftDetectorsByName() throws IOException {
        List<String> values = new ArrayList<>();
        for (JsonNode hint : metadata().get("hints")) {
            if (hint.get("name").asText().equals("modelfeedback.drift-detectors")) {
                hint.get("values").forEach(value -> {
                    assertThat(value.path("description").asText()).isNotBlank();
                    values.add(value.get("value").asText());
                });
            }
        }

        assertThat(values).containsExactly("hddm_a", "adwin", "page_hinkley", "ddm", "none");
    }
}
