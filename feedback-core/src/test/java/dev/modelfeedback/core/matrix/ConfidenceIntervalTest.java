package dev.modelfeedback.core.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class ConfidenceIntervalTest {

    private static final double TOLERANCE = 0.00005;

    @ParameterizedTest(name = "{0} of {1}: [{2}, {3}]")
    @CsvSource({
        "160, 200, 0.7391, 0.8495",
        "8, 10, 0.4902, 0.9433",
        "80, 100, 0.7112, 0.8666",
        "0, 5, 0, 0.4345",
        "5, 5, 0.5655, 1",
        "100, 150, 0.5879, 0.7371",
    })
    void wilsonMatchesTheReferenceValues(long successes, long trials, double lower, double upper) {
        ConfidenceInterval interval = ConfidenceInterval.wilson(successes, trials);

        assertThat(interval.lower()).isCloseTo(lower, within(TOLERANCE));
        assertThat(interval.upper()).isCloseTo(upper, within(TOLERANCE));
        assertThat(interval.defined()).isTrue();
    }

    @Test
    void boundsAreExactlyZeroAndOneAtTheExtremes() {
        assertThat(ConfidenceInterval.wilson(0, 5).lower()).isEqualTo(0.0);
        assertThat(ConfidenceInterval.wilson(5, 5).upper()).isEqualTo(1.0);
        assertThat(ConfidenceInterval.wilson(0, 1_000_000).lower()).isEqualTo(0.0);
        assertThat(ConfidenceInterval.wilson(1_000_000, 1_000_000).upper()).isEqualTo(1.0);
    }

    @Test
    void noTrialsIsUndefinedNotZero() {
        ConfidenceInterval none = ConfidenceInterval.wilson(0, 0);

        assertThat(none).isEqualTo(ConfidenceInterval.UNDEFINED);
        assertThat(none.lower()).isNaN();
        assertThat(none.upper()).isNaN();
        assertThat(none.defined()).isFalse();
    }

    @Test
    void refusesImpossibleCounts() {
        assertThatThrownBy(() -> ConfidenceInterval.wilson(6, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("need 0 <= successes <= trials, got 6 of 5");
        assertThatThrownBy(() -> ConfidenceInterval.wilson(-1, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Each metric's interval counts its own trials: all feedback, TP + FP, TP + FN. */
    @Test
    void eachMetricHasTheIntervalOfItsOwnDenominator() {
        ClassificationSnapshot counts = new ClassificationSnapshot(8, 152, 2, 38); // 160 of 200 right

        assertThat(counts.interval(Metric.ACCURACY)).isEqualTo(ConfidenceInterval.wilson(160, 200));
        assertThat(counts.interval(Metric.PRECISION)).isEqualTo(ConfidenceInterval.wilson(8, 10));
        assertThat(counts.interval(Metric.RECALL)).isEqualTo(ConfidenceInterval.wilson(8, 46));
        assertThat(counts.interval(Metric.F1)).isEqualTo(ConfidenceInterval.UNDEFINED);
        assertThat(new ClassificationSnapshot(0, 3, 0, 0).interval(Metric.PRECISION).defined()).isFalse();
        assertThat(new ClassificationSnapshot(0, 3, 0, 0).interval(Metric.RECALL).defined()).isFalse();
    }
}
