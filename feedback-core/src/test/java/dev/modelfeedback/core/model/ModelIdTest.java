package dev.modelfeedback.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

final class ModelIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"fraud", "churn-v2", "a", "Model_1.2", "team:fraud", "x+y", "0"})
    void acceptsLabelSafeNames(String name) {
        assertThat(new ModelId(name, name).name()).isEqualTo(name);
    }

    @Test
    void acceptsTheLongestName() {
        String longest = "m".repeat(64);
        assertThat(ModelId.of(longest).name()).hasSize(64);
    }

    static Iterable<Arguments> invalidNames() {
        return java.util.List.of(
                Arguments.of("", "model must be 1 to 64 characters long, got 0 characters"),
                Arguments.of("m".repeat(65), "model must be 1 to 64 characters long, got 65 characters"),
                Arguments.of("fraud model", "model must start with a letter or digit and contain only letters,"
                        + " digits and . _ - + :, got 'fraud model'"),
                Arguments.of("-fraud", "model must start with a letter or digit and contain only letters,"
                        + " digits and . _ - + :, got '-fraud'"),
                Arguments.of("fraud\nINFO forged", "model must start with a letter or digit and contain only"
                        + " letters, digits and . _ - + :, got 'fraud\\u000aINFO forged'"),
                Arguments.of("fraud\"}", "model must start with a letter or digit and contain only letters,"
                        + " digits and . _ - + :, got 'fraud\"}'"),
                Arguments.of("modèle", "model must start with a letter or digit and contain only letters,"
                        + " digits and . _ - + :, got 'modèle'"));
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void rejectsNamesThatAreNotSafeLabelValues(String name, String message) {
        assertThatThrownBy(() -> ModelId.of(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsAnInvalidVersion() {
        assertThatThrownBy(() -> new ModelId("fraud", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model version must be 1 to 64 characters long, got 0 characters");
        assertThatThrownBy(() -> new ModelId("fraud", "v 3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model version must start with a letter or digit and contain only letters,"
                        + " digits and . _ - + :, got 'v 3'");
    }

    @Test
    void defaultsToModelDefaultVersionUnknown() {
        assertThat(ModelId.DEFAULT).isEqualTo(new ModelId("default", "unknown"));
        assertThat(ModelId.of("fraud").version()).isEqualTo("unknown");
        assertThat(ModelId.DEFAULT).hasToString("default@unknown");
    }
}
