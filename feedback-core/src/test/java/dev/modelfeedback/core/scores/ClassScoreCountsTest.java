package dev.modelfeedback.core.scores;

import static dev.modelfeedback.core.scores.ScoreCountsTest.assertRelative;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Score metrics of a model with declared classes: one-vs-rest per class, top-label calibration. */
class ClassScoreCountsTest {

    private final List<Integer> actual = new ArrayList<>();
    private final List<double[]> probabilities = new ArrayList<>();
    private double[] sklearnAuc;
    private double[] sklearnAveragePrecision;
    private double sklearnMacroAuc;

    ClassScoreCountsTest() throws IOException {
        for (String line : ScoreCountsTest.lines("sklearn-classes.txt")) {
            String[] parts = line.split(" ");
            double[] values = Arrays.stream(parts).skip(1).mapToDouble(Double::parseDouble).toArray();
            switch (parts[0]) {
                case "roc_auc" -> sklearnAuc = values;
                case "average_precision" -> sklearnAveragePrecision = values;
                case "macro_roc_auc" -> sklearnMacroAuc = values[0];
                default -> {
                    actual.add(Integer.parseInt(parts[0]));
                    probabilities.add(values);
                }
            }
        }
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    private ScoreCounts count() {
        ScoreTally tally = ScoreTally.ofClasses(3);
        for (int i = 0; i < actual.size(); i++) {
            tally.add(argmax(probabilities.get(i)), actual.get(i), Scores.ofClasses(probabilities.get(i)));
        }
        return tally.counts();
    }

    @Test
    void oneVersusRestRocAucAndAveragePrecisionMatchScikitLearnWithinTheirTolerances() {
        ScoreCounts counts = count();

        assertThat(counts.rows()).isEqualTo(3);
        for (int c = 0; c < 3; c++) {
            int[] positive = new int[actual.size()];
            double[] score = new double[actual.size()];
            for (int i = 0; i < actual.size(); i++) {
                positive[i] = actual.get(i) == c ? 1 : 0;
                score[i] = probabilities.get(i)[c];
            }
            assertThat(ScoreReference.rocAuc(positive, score)).isCloseTo(sklearnAuc[c], within(1e-12));
            assertThat(counts.rocAuc(c)).as("class %d", c).isCloseTo(sklearnAuc[c], within(1e-3));
            assertThat(counts.rocAuc(c)).isCloseTo(ScoreReference.rocAuc(positive, ScoreReference.bucketed(score)), within(1e-12));
            assertThat(counts.averagePrecision(c)).isCloseTo(sklearnAveragePrecision[c], within(5e-3));
            double[] delong = ScoreReference.delong(positive, ScoreReference.bucketed(score));
            assertThat(counts.rocAucInterval(c).lower()).isCloseTo(delong[0], within(1e-9));
            assertThat(counts.rocAucInterval(c).upper()).isCloseTo(delong[1], within(1e-9));
        }
        assertThat(counts.rocAuc()).isCloseTo(sklearnMacroAuc, within(1e-3));
        assertThat(counts.rocAuc()).isCloseTo((counts.rocAuc(0) + counts.rocAuc(1) + counts.rocAuc(2)) / 3, within(1e-15));
        // the macro's interval: the mean of the classes' bounds
        assertThat(counts.rocAucInterval().lower()).isCloseTo((counts.rocAucInterval(0).lower()
                + counts.rocAucInterval(1).lower() + counts.rocAucInterval(2).lower()) / 3, within(1e-15));
        assertThat(counts.rocAucInterval().upper()).isCloseTo((counts.rocAucInterval(0).upper()
                + counts.rocAucInterval(1).upper() + counts.rocAucInterval(2).upper()) / 3, within(1e-15));
    }

    @Test
    void logLossBrierAndTopLabelCalibrationErrorAreExact() {
        ScoreCounts counts = count();
        double logLoss = 0;
        double brier = 0;
        boolean[] right = new boolean[actual.size()];
        double[] top = new double[actual.size()];
        for (int i = 0; i < actual.size(); i++) {
            double[] p = probabilities.get(i);
            logLoss -= Math.log(Math.min(Math.max(p[actual.get(i)], 1e-15), 1 - 1e-15));
            for (int c = 0; c < 3; c++) {
                double y = c == actual.get(i) ? 1 : 0;
                brier += (p[c] - y) * (p[c] - y);
            }
            right[i] = argmax(p) == actual.get(i);
            top[i] = p[argmax(p)];
        }
        assertThat(counts.n()).isEqualTo(actual.size());
        assertRelative(counts.logLoss(), logLoss / actual.size());
        assertRelative(counts.brier(), brier / actual.size());
        assertRelative(counts.calibrationError(), ScoreReference.calibrationError(right, top));
    }

    @Test
    void aClassNeverSeenHasNoRocAucAndTheMacroSkipsIt() {
        ScoreTally tally = ScoreTally.ofClasses(3);
        tally.add(0, 0, new double[] {0.8, 0.1, 0.1});
        tally.add(1, 1, new double[] {0.3, 0.6, 0.1});
        tally.add(0, 1, new double[] {0.5, 0.4, 0.1});
        ScoreCounts counts = tally.counts();

        assertThat(counts.rocAuc(2)).isNaN();            // class 2 never the actual one
        assertThat(counts.averagePrecision(2)).isNaN();
        assertThat(counts.rocAuc(0)).isEqualTo(1.0);     // 0.8 above 0.3 and 0.5
        assertThat(counts.rocAuc(1)).isEqualTo(1.0);     // 0.6 and 0.4 above 0.1
        assertThat(counts.rocAuc()).isEqualTo(1.0);
    }

    @Test
    void scoresAreCheckedAsAProbabilityDistribution() {
        assertThatThrownBy(() -> Scores.ofClasses(0.7, 0.2)).hasMessage("scores must sum to 1 (within 1.0E-6), got 0.8999999999999999");
        assertThatThrownBy(() -> Scores.ofClasses(1.5, -0.5)).hasMessage("scores[0] must be a probability from 0 to 1, got 1.5");
        assertThatThrownBy(() -> Scores.ofClasses(Double.NaN, 1)).hasMessage("scores[0] must be a probability from 0 to 1, got NaN");
        assertThatThrownBy(() -> Scores.ofClasses(1)).hasMessage("scores need one probability per class, at least 2, got 1");
        assertThatThrownBy(() -> Scores.binary(1.0000001)).hasMessage("score must be a probability from 0 to 1, got 1.0000001");
        assertThat(Scores.ofClasses(0.7, 0.2, 0.1 + 5e-7).size()).isEqualTo(3);
        assertThat(Scores.binary(0.25)).isEqualTo(Scores.binary(0.25)).isNotEqualTo(Scores.binary(0.5));
    }
}
