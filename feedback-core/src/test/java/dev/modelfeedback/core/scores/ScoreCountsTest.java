package dev.modelfeedback.core.scores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelfeedback.core.matrix.ConfidenceInterval;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Binary score metrics from the buckets against straightforward computations over the items and scikit-learn. */
class ScoreCountsTest {

    /** A stream of scored binary items. */
    record Stream100k(String name, int[] actual, double[] score) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Streams of 100,000 items from models whose log-odds spread within a class ranges from 0.5
     * (a weak model, AUC 0.64) to 6 (an over-confident one), at prevalences from 0.5 to 0.01, and
     * Beta scores rounded to 0.01 (ties) with exact 0s and 1s.
     */
    static Stream<Stream100k> streams() {
        return Stream.of(
                logistic("weak calibrated, prevalence 0.5", 1, 0.5, 0.5, 1),
                logistic("fair calibrated, prevalence 0.5", 2, 1, 0.5, 1),
                logistic("fair calibrated, prevalence 0.1", 3, 1, 0.1, 1),
                logistic("strong calibrated, prevalence 0.1", 4, 2, 0.1, 1),
                logistic("strong calibrated, prevalence 0.01", 5, 2, 0.01, 1),
                logistic("very strong calibrated, prevalence 0.01", 6, 3, 0.01, 1),
                logistic("fair under-confident, prevalence 0.3", 7, 1, 0.3, 0.5),
                logistic("strong over-confident, prevalence 0.5", 8, 2, 0.5, 3),
                logistic("very strong over-confident, prevalence 0.1", 9, 3, 0.1, 2),
                beta("beta, rounded to 0.01, with 0s and 1s", 10));
    }

    static Stream100k logistic(String name, long seed, double separation, double prevalence, double confidence) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 100_000;
        int[] actual = new int[n];
        double[] score = new double[n];
        double offset = Math.log(prevalence / (1 - prevalence));
        for (int i = 0; i < n; i++) {
            actual[i] = random.nextDouble() < prevalence ? 1 : 0;
            double x = gaussian(random) + (actual[i] == 1 ? separation / 2 : -separation / 2);
            score[i] = 1 / (1 + Math.exp(-(confidence * separation * x + offset)));
        }
        return new Stream100k(name, actual, score);
    }

    private static Stream100k beta(String name, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 100_000;
        int[] actual = new int[n];
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            actual[i] = random.nextDouble() < 0.3 ? 1 : 0;
            // Beta(5, 2) for positives, Beta(2, 5) for negatives, as order statistics of uniforms
            double s = betaSample(random, actual[i] == 1 ? 5 : 2, actual[i] == 1 ? 2 : 5);
            score[i] = i % 50 == 0 ? actual[i] : i % 50 == 1 ? 1 - actual[i] : Math.round(s * 100) / 100.0;
        }
        return new Stream100k(name, actual, score);
    }

    private static double betaSample(SplittableRandom random, int a, int b) {
        double[] u = new double[a + b - 1];
        for (int i = 0; i < u.length; i++) {
            u[i] = random.nextDouble();
        }
        java.util.Arrays.sort(u);
        return u[a - 1];
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static ScoreCounts count(int[] actual, double[] score) {
        ScoreTally tally = ScoreTally.ofBinary();
        for (int i = 0; i < actual.length; i++) {
            tally.add(actual[i], score[i]);
        }
        return tally.counts();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void rocAucAndAveragePrecisionFromTheBucketsAreWithinTheirTolerancesOfTheExactValues(Stream100k stream) {
        ScoreCounts counts = count(stream.actual(), stream.score());

        assertThat(counts.rocAuc()).isCloseTo(ScoreReference.rocAuc(stream.actual(), stream.score()), within(1e-3));
        assertThat(counts.averagePrecision())
                .isCloseTo(ScoreReference.averagePrecision(stream.actual(), stream.score()), within(5e-3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void rocAucAndItsDeLongIntervalAreExactlyThoseOfTheItemsTiedByBucket(Stream100k stream) {
        ScoreCounts counts = count(stream.actual(), stream.score());
        double[] tied = ScoreReference.bucketed(stream.score());

        assertThat(counts.rocAuc()).isCloseTo(ScoreReference.rocAuc(stream.actual(), tied), within(1e-12));
        double[] delong = ScoreReference.delong(stream.actual(), tied);
        ConfidenceInterval interval = counts.rocAucInterval();
        assertThat(interval.lower()).isCloseTo(delong[0], within(1e-9));
        assertThat(interval.upper()).isCloseTo(delong[1], within(1e-9));
        assertThat(interval.lower()).isLessThan(counts.rocAuc());
        assertThat(interval.upper()).isGreaterThan(counts.rocAuc());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void logLossBrierAndCalibrationErrorAreExact(Stream100k stream) {
        ScoreCounts counts = count(stream.actual(), stream.score());

        assertThat(counts.n()).isEqualTo(stream.actual().length);
        assertRelative(counts.logLoss(), ScoreReference.logLoss(stream.actual(), stream.score()));
        assertRelative(counts.brier(), ScoreReference.brier(stream.actual(), stream.score()));
        assertRelative(counts.calibrationError(),
                ScoreReference.calibrationError(ScoreReference.positives(stream.actual()), stream.score()));
    }

    @Test
    void reliabilityTableHoldsEachBinsCountMeanScoreAndObservedRate() {
        ScoreTally tally = ScoreTally.ofBinary();
        tally.add(1, 0.95);
        tally.add(0, 0.95);
        tally.add(1, 0.85);
        tally.add(0, 0.05);
        tally.add(0, 0.0);
        tally.add(1, 1.0);

        List<ReliabilityBin> table = tally.counts().reliability();

        assertThat(table).hasSize(10);
        assertThat(table.get(0)).isEqualTo(new ReliabilityBin(0.0, 0.1, 2, 0.025, 0.0));
        assertThat(table.get(8)).isEqualTo(new ReliabilityBin(0.8, 0.9, 1, 0.85, 1.0));
        assertThat(table.get(9).n()).isEqualTo(3);
        assertThat(table.get(9).meanScore()).isCloseTo((0.95 + 0.95 + 1.0) / 3, within(1e-15));
        assertThat(table.get(9).observed()).isEqualTo(2 / 3.0);
        assertThat(table.get(4).n()).isZero();
        assertThat(table.get(4).meanScore()).isNaN();
        assertThat(table.get(4).observed()).isNaN();
        // ECE = sum over bins of |positives - score sum| / n = (|0 - 0.05| + |1 - 0.85| + |2 - 2.9|) / 6
        assertThat(tally.counts().calibrationError()).isCloseTo((0.05 + 0.15 + 0.9) / 6, within(1e-15));
    }

    @Test
    void undefinedIsNaN() {
        ScoreCounts none = ScoreCounts.noneBinary();
        assertThat(none.n()).isZero();
        assertThat(List.of(none.rocAuc(), none.averagePrecision(), none.logLoss(), none.brier(), none.calibrationError()))
                .allMatch(v -> v.isNaN());
        assertThat(none.rocAucInterval().defined()).isFalse();

        ScoreTally onlyNegatives = ScoreTally.ofBinary();
        onlyNegatives.add(0, 0.2);
        onlyNegatives.add(0, 0.4);
        ScoreCounts negatives = onlyNegatives.counts();
        assertThat(negatives.rocAuc()).isNaN();
        assertThat(negatives.averagePrecision()).isNaN();
        assertThat(negatives.logLoss()).isCloseTo((-Math.log(0.8) - Math.log(0.6)) / 2, within(1e-15));

        ScoreTally onlyPositives = ScoreTally.ofBinary();
        onlyPositives.add(1, 0.7);
        assertThat(onlyPositives.counts().rocAuc()).isNaN();
        assertThat(onlyPositives.counts().averagePrecision()).isEqualTo(1.0);
        assertThat(onlyPositives.counts().rocAucInterval().defined()).isFalse();
    }

    @Test
    void scoresOfZeroAndOneAreClippedInLogLossAndRankedAtTheEnds() {
        ScoreTally tally = ScoreTally.ofBinary();
        tally.add(1, 0.0);   // as wrong as can be: -ln(1e-15)
        tally.add(0, 1.0);
        tally.add(1, 1.0);   // right: -ln(1 - 1e-15)
        tally.add(0, 0.0);
        ScoreCounts counts = tally.counts();

        double wrong = -Math.log(1e-15);
        double right = -Math.log(1 - 1e-15);
        assertThat(counts.logLoss()).isEqualTo((wrong + -Math.log(1 - (1 - 1e-15)) + right + -Math.log(1 - 1e-15)) / 4);
        assertThat(counts.brier()).isEqualTo(0.5);
        assertThat(counts.rocAuc()).isEqualTo(0.5); // one pair right, one wrong, two tied
    }

    @Test
    void aLaterReadMinusAnEarlierIsTheItemsInBetween() {
        Stream100k stream = logistic("window", 11, 2, 0.2, 1);
        ScoreTally all = ScoreTally.ofBinary();
        ScoreTally later = ScoreTally.ofBinary();
        ScoreCounts earlier = null;
        for (int i = 0; i < stream.actual().length; i++) {
            if (i == 60_000) {
                earlier = all.counts();
            }
            all.add(stream.actual()[i], stream.score()[i]);
            if (i >= 60_000) {
                later.add(stream.actual()[i], stream.score()[i]);
            }
        }
        ScoreCounts window = all.counts().minus(Objects.requireNonNull(earlier));
        ScoreCounts expected = later.counts();

        assertThat(window.n()).isEqualTo(40_000);
        assertThat(window.rocAuc()).isEqualTo(expected.rocAuc());
        assertThat(window.rocAucInterval()).isEqualTo(expected.rocAucInterval());
        assertThat(window.averagePrecision()).isEqualTo(expected.averagePrecision());
        assertRelative(window.logLoss(), expected.logLoss());
        assertRelative(window.brier(), expected.brier());
        assertRelative(window.calibrationError(), expected.calibrationError());
    }

    @Test
    void matchesScikitLearnOnItsOwnFixture() throws IOException {
        Map<String, Double> expected = new HashMap<>();
        List<int[]> items = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (String line : lines("sklearn-binary.txt")) {
            String[] parts = line.split(" ");
            if (Character.isLetter(parts[0].charAt(0))) {
                expected.put(parts[0], Double.parseDouble(parts[1]));
            } else {
                items.add(new int[] {Integer.parseInt(parts[0])});
                scores.add(Double.parseDouble(parts[1]));
            }
        }
        int[] actual = items.stream().mapToInt(a -> a[0]).toArray();
        double[] score = scores.stream().mapToDouble(Double::doubleValue).toArray();
        ScoreCounts counts = count(actual, score);

        // the reference computations are scikit-learn's definitions...
        assertThat(ScoreReference.rocAuc(actual, score)).isCloseTo(expected.get("roc_auc"), within(1e-12));
        assertThat(ScoreReference.averagePrecision(actual, score)).isCloseTo(expected.get("average_precision"), within(1e-12));
        // ...and the counts are within their tolerances of them, exact for the sums
        assertThat(counts.rocAuc()).isCloseTo(expected.get("roc_auc"), within(1e-3));
        assertThat(counts.averagePrecision()).isCloseTo(expected.get("average_precision"), within(5e-3));
        assertRelative(counts.brier(), expected.get("brier"));
        assertRelative(counts.logLoss(), expected.get("log_loss"));
    }

    static List<String> lines(String resource) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                Objects.requireNonNull(ScoreCountsTest.class.getResourceAsStream(resource), resource), StandardCharsets.UTF_8))) {
            return reader.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
    }

    static void assertRelative(double actual, double expected) {
        assertThat(Math.abs(actual - expected)).as("%s vs %s", actual, expected)
                .isLessThanOrEqualTo(1e-9 * Math.abs(expected));
    }
}
