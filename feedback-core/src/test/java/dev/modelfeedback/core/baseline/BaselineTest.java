package dev.modelfeedback.core.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.Metric;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class BaselineTest {

    @Test
    void parsesAnySubsetOfTheMetrics() {
        Baseline baseline = Baseline.parse("accuracy=0.92, F1 = 0.8");

        assertThat(baseline.values()).containsExactly(Map.entry(Metric.ACCURACY, 0.92), Map.entry(Metric.F1, 0.8));
        assertThat(baseline.value(Metric.ACCURACY)).isEqualTo(OptionalDouble.of(0.92));
        assertThat(baseline.value(Metric.PRECISION)).isEmpty();
        assertThat(Baseline.NONE.isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "accuracy | baseline must be METRIC=VALUE[,METRIC=VALUE...], got 'accuracy'",
        "auc=0.9 | metric must be accuracy, precision, recall, f1, macro_f1, roc_auc or log_loss, got 'auc'",
        "accuracy=high | baseline accuracy must be a number between 0 and 1, got 'high'",
        "accuracy=1.5 | baseline accuracy must be between 0 and 1, got 1.5",
        "recall=-0.1 | baseline recall must be between 0 and 1, got -0.1",
        "accuracy=NaN | baseline accuracy must be between 0 and 1, got NaN",
        "accuracy=0.9,accuracy=0.8 | baseline accuracy is given twice in 'accuracy=0.9,accuracy=0.8'",
        "accuracy=0.9, | baseline must be METRIC=VALUE[,METRIC=VALUE...], got 'accuracy=0.9,'",
    })
    void refusesWhatIsNotABaseline(String text, String message) {
        assertThatThrownBy(() -> Baseline.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void aReferencePeriodsBaselineHasTheMetricsItsCountsDefine() {
        assertThat(Baseline.of(new ClassificationSnapshot(6, 2, 1, 1)).values()).containsExactly(
                Map.entry(Metric.ACCURACY, 0.8), Map.entry(Metric.PRECISION, 6.0 / 7),
                Map.entry(Metric.RECALL, 6.0 / 7), Map.entry(Metric.F1, 12.0 / 14));
        // no positive prediction and no actual positive: only accuracy is defined
        assertThat(Baseline.of(new ClassificationSnapshot(0, 4, 0, 0)).values())
                .containsExactly(Map.entry(Metric.ACCURACY, 1.0));
    }

    /**
     * Significantly below means the upper Wilson bound is under the baseline. 160 of 200 right:
     * [0.7391, 0.8495]; 8 of 10 right: [0.4902, 0.9433].
     */
    @Test
    void liveIsSignificantlyBelowOnlyWhenItsWholeIntervalIs() {
        ClassificationSnapshot manyAt80 = new ClassificationSnapshot(80, 80, 20, 20);
        ClassificationSnapshot fewAt80 = new ClassificationSnapshot(4, 4, 1, 1);
        Baseline ninety = Baseline.parse("accuracy=0.9");

        assertThat(ninety.significantlyExceeds(Metric.ACCURACY, manyAt80)).isTrue();
        assertThat(ninety.significantlyExceeds(Metric.ACCURACY, fewAt80)).isFalse();
        assertThat(Baseline.parse("accuracy=0.849").significantlyExceeds(Metric.ACCURACY, manyAt80)).isFalse();
        assertThat(Baseline.parse("accuracy=0.8496").significantlyExceeds(Metric.ACCURACY, manyAt80)).isTrue();
        // precision 80/100: [0.7112, 0.8666]
        assertThat(Baseline.parse("precision=0.87").significantlyExceeds(Metric.PRECISION, manyAt80)).isTrue();
        assertThat(Baseline.parse("precision=0.86").significantlyExceeds(Metric.PRECISION, manyAt80)).isFalse();
        // no value for the metric, no interval for F1, no trials: never
        assertThat(ninety.significantlyExceeds(Metric.RECALL, manyAt80)).isFalse();
        assertThat(Baseline.parse("f1=0.99").significantlyExceeds(Metric.F1, manyAt80)).isFalse();
        assertThat(ninety.significantlyExceeds(Metric.ACCURACY, ClassificationSnapshot.EMPTY)).isFalse();
    }
}
