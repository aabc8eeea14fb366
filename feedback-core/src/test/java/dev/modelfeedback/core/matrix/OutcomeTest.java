package dev.modelfeedback.core.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class OutcomeTest {

    @ParameterizedTest(name = "prediction {0}, actual {1} is {2}")
    @CsvSource({
        "1, 1, TRUE_POSITIVE",
        "0, 0, TRUE_NEGATIVE",
        "1, 0, FALSE_POSITIVE",
        "0, 1, FALSE_NEGATIVE",
    })
    void mapsEachCell(int prediction, int actual, Outcome expected) {
        assertThat(Outcome.of(prediction, actual)).isEqualTo(expected);
        assertThat(Outcome.of(prediction == 1, actual == 1)).isEqualTo(expected);
        assertThat(expected.correct()).isEqualTo(prediction == actual);
        assertThat(expected.prediction()).isEqualTo(prediction);
        assertThat(expected.actual()).isEqualTo(actual);
    }

    @Test
    void isDeclaredInTheOneOrderUsedEverywhere() {
        assertThat(Outcome.values()).containsExactly(
                Outcome.TRUE_POSITIVE, Outcome.TRUE_NEGATIVE, Outcome.FALSE_POSITIVE, Outcome.FALSE_NEGATIVE);
        ClassificationSnapshot counts = new ClassificationSnapshot(1, 2, 3, 4);
        for (Outcome outcome : Outcome.values()) {
            assertThat(counts.count(outcome)).as(outcome.name()).isEqualTo(outcome.ordinal() + 1);
        }
    }

    @ParameterizedTest(name = "prediction {0}, actual {1}")
    @CsvSource(delimiter = '|', value = {
        "2 | 0 | prediction must be 0 or 1, got 2",
        "-1 | 1 | prediction must be 0 or 1, got -1",
        "0 | 2 | actual must be 0 or 1, got 2",
        "1 | -1 | actual must be 0 or 1, got -1",
        "2147483647 | 0 | prediction must be 0 or 1, got 2147483647",
        "0 | -2147483648 | actual must be 0 or 1, got -2147483648",
    })
    void rejectsValuesOtherThanZeroAndOne(int prediction, int actual, String message) {
        assertThatThrownBy(() -> Outcome.of(prediction, actual))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
