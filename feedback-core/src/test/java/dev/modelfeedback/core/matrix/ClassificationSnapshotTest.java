package dev.modelfeedback.core.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class ClassificationSnapshotTest {

    private static final double EXACT = 1e-12;

    @Test
    void derivesMetricsFromTheCounts() {
        // TP=40, TN=45, FP=10, FN=5 -> 100 items
        ClassificationSnapshot s = new ClassificationSnapshot(40, 45, 10, 5);
        assertThat(s.total()).isEqualTo(100);
        assertThat(s.accuracy()).isCloseTo(0.85, within(EXACT));
        assertThat(s.precision()).isCloseTo(0.8, within(EXACT));
        assertThat(s.recall()).isCloseTo(40.0 / 45.0, within(EXACT));
        // 2*0.8*(8/9) / (0.8 + 8/9) = 80/95
        assertThat(s.f1()).isCloseTo(80.0 / 95.0, within(EXACT));
    }

    @Test
    void everyMetricIsUndefinedWithoutFeedback() {
        ClassificationSnapshot s = ClassificationSnapshot.EMPTY;
        assertThat(s.total()).isZero();
        assertThat(s.accuracy()).isNaN();
        assertThat(s.precision()).isNaN();
        assertThat(s.recall()).isNaN();
        assertThat(s.f1()).isNaN();
    }

    @Test
    void precisionIsUndefinedWhenNothingWasPredictedPositive() {
        ClassificationSnapshot s = new ClassificationSnapshot(0, 3, 0, 2);
        assertThat(s.precision()).isNaN();
        assertThat(s.recall()).isEqualTo(0.0);
        assertThat(s.f1()).isEqualTo(0.0);
        assertThat(s.accuracy()).isCloseTo(0.6, within(EXACT));
    }

    @Test
    void recallIsUndefinedWhenNoActualPositiveWasSeen() {
        ClassificationSnapshot s = new ClassificationSnapshot(0, 3, 1, 0);
        assertThat(s.recall()).isNaN();
        assertThat(s.precision()).isEqualTo(0.0);
        assertThat(s.f1()).isEqualTo(0.0);
        assertThat(s.accuracy()).isCloseTo(0.75, within(EXACT));
    }

    @Test
    void onlyTrueNegativesLeaveF1Undefined() {
        ClassificationSnapshot s = new ClassificationSnapshot(0, 7, 0, 0);
        assertThat(s.accuracy()).isEqualTo(1.0);
        assertThat(s.precision()).isNaN();
        assertThat(s.recall()).isNaN();
        assertThat(s.f1()).isNaN();
    }

    @Test
    void f1IsZeroNotNaNWhenThereAreNoTruePositivesButErrors() {
        ClassificationSnapshot s = new ClassificationSnapshot(0, 0, 1, 1);
        assertThat(s.f1()).isEqualTo(0.0);
        assertThat(s.accuracy()).isEqualTo(0.0);
    }

    @Test
    void countsAreReadByCell() {
        ClassificationSnapshot s = new ClassificationSnapshot(1, 2, 3, 4);
        assertThat(s.count(Outcome.TRUE_POSITIVE)).isEqualTo(1);
        assertThat(s.count(Outcome.TRUE_NEGATIVE)).isEqualTo(2);
        assertThat(s.count(Outcome.FALSE_POSITIVE)).isEqualTo(3);
        assertThat(s.count(Outcome.FALSE_NEGATIVE)).isEqualTo(4);
    }

    @Test
    void largeCountsKeepTheirPrecision() {
        long big = 3_000_000_000L;
        ClassificationSnapshot s = new ClassificationSnapshot(big, big, big, big);
        assertThat(s.total()).isEqualTo(4 * big);
        assertThat(s.accuracy()).isEqualTo(0.5);
        assertThat(s.f1()).isEqualTo(0.5);
    }

    @ParameterizedTest(name = "{0} = -1")
    @CsvSource({
        "truePositives, -1, 0, 0, 0",
        "trueNegatives, 0, -1, 0, 0",
        "falsePositives, 0, 0, -1, 0",
        "falseNegatives, 0, 0, 0, -1",
    })
    void rejectsNegativeCounts(String field, long tp, long tn, long fp, long fn) {
        assertThatThrownBy(() -> new ClassificationSnapshot(tp, tn, fp, fn))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(field + " must not be negative, got -1");
    }
}
