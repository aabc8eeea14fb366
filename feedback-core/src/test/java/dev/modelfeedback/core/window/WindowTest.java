package dev.modelfeedback.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class WindowTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "PT5M, 5m, PT10S",
        "PT1H, 1h, PT2M",
        "PT30S, 30s, PT1S",
        "PT90S, 90s, PT3S",
        "PT24H, 1d, PT48M",
        "P2D, 2d, PT1H36M",
    })
    void isNamedAndBucketedBySpan(Duration span, String name, Duration width) {
        Window window = Window.of(span);

        assertThat(window.name()).isEqualTo(name);
        assertThat(window.bucketWidth()).isEqualTo(width);
        assertThat(window.bucketWidth().multipliedBy(Window.BUCKETS)).isEqualTo(span);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PT29S", "PT45S", "PT1M0.5S", "P31D", "PT0S", "PT-5M"})
    void refusesSpansWithoutWholeSecondBuckets(Duration span) {
        assertThatThrownBy(() -> Window.of(span))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a window's span must be a whole number of 30 seconds from 30s to 30d, got ");
    }
}
