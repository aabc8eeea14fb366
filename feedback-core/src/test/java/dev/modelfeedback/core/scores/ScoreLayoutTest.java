package dev.modelfeedback.core.scores;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScoreLayoutTest {

    @Test
    void boundsAreTheLogisticFunctionAtTenthsOfLogOddsRoundedToFourDigitsOfTheTail() {
        assertThat(ScoreLayout.labels()).hasSize(ScoreLayout.BUCKETS).endsWith("+Inf");
        assertThat(ScoreLayout.labels().get(119)).isEqualTo("0.5");
        assertThat(ScoreLayout.labels().get(118)).isEqualTo("0.475"); // 1 / (1 + e^(1/10)) = 0.47502...
        assertThat(ScoreLayout.labels().get(120)).isEqualTo("0.525");
        assertThat(ScoreLayout.labels().get(0)).isEqualTo("0.00000679"); // 1 / (1 + e^(119/10)) = 6.7904e-6
        assertThat(ScoreLayout.labels().get(238)).isEqualTo("0.99999321");
        for (int i = 0; i < ScoreLayout.BUCKETS - 1; i++) {
            double expected = 1 / (1 + Math.exp(-(i - 119) / 10.0));
            double tail = Math.min(expected, 1 - expected);
            assertThat(ScoreLayout.upper(i)).as("bound %d", i).isCloseTo(expected, org.assertj.core.data.Offset.offset(tail * 5e-4));
            assertThat(Double.parseDouble(ScoreLayout.labels().get(i))).isEqualTo(ScoreLayout.upper(i));
            if (i > 0) {
                assertThat(ScoreLayout.upper(i)).isGreaterThan(ScoreLayout.upper(i - 1));
            }
        }
        assertThat(ScoreLayout.upper(ScoreLayout.BUCKETS - 1)).isEqualTo(1.0);
    }

    @Test
    void bucketOfAgreesWithAScanOfTheBoundsEverywhere() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 2_000_000; i++) {
            double score = switch (i % 4) {
                case 0 -> random.nextDouble();
                case 1 -> Math.pow(10, -12 * random.nextDouble());        // the low tail
                case 2 -> 1 - Math.pow(10, -12 * random.nextDouble());    // the high tail
                default -> ScoreLayout.upper(random.nextInt(ScoreLayout.BUCKETS)); // exactly on a bound
            };
            assertThat(ScoreLayout.bucketOf(score)).as("score %s", score).isEqualTo(ScoreLayout.scan(score));
        }
        for (int b = 0; b < ScoreLayout.BUCKETS - 1; b++) {
            double bound = ScoreLayout.upper(b);
            assertThat(ScoreLayout.bucketOf(bound)).isEqualTo(b);            // le: a bound is in its bucket
            assertThat(ScoreLayout.bucketOf(Math.nextUp(bound))).isEqualTo(b + 1);
            assertThat(ScoreLayout.bucketOf(Math.nextDown(bound))).isEqualTo(ScoreLayout.scan(Math.nextDown(bound)));
        }
        assertThat(ScoreLayout.bucketOf(0.0)).isZero();
        assertThat(ScoreLayout.bucketOf(Double.MIN_VALUE)).isZero();
        assertThat(ScoreLayout.bucketOf(1.0)).isEqualTo(ScoreLayout.BUCKETS - 1);
        assertThat(ScoreLayout.bucketOf(Math.nextDown(1.0))).isEqualTo(ScoreLayout.BUCKETS - 1);
    }

    @Test
    void calibrationBinsAreTenthsWithTheLastClosed() {
        assertThat(CalibrationBins.binOf(0.0)).isZero();
        assertThat(CalibrationBins.binOf(0.0999)).isZero();
        assertThat(CalibrationBins.binOf(0.1)).isEqualTo(1);
        assertThat(CalibrationBins.binOf(0.95)).isEqualTo(9);
        assertThat(CalibrationBins.binOf(1.0)).isEqualTo(9);
        assertThat(CalibrationBins.labels()).containsExactly("0.0-0.1", "0.1-0.2", "0.2-0.3", "0.3-0.4", "0.4-0.5",
                "0.5-0.6", "0.6-0.7", "0.7-0.8", "0.8-0.9", "0.9-1.0");
    }
}
