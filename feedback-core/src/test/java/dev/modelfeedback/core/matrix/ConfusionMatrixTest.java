package dev.modelfeedback.core.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The multi-class matrix against scikit-learn: {@code multiclass/sklearn-vectors.txt} holds
 * confusion matrices of random and hand-made label streams with scikit-learn's metrics of the same
 * streams (written by {@code multiclass/generate.py}).
 */
final class ConfusionMatrixTest {

    private static final String VECTORS = "/dev/modelfeedback/core/multiclass/sklearn-vectors.txt";

    private record Case(String name, ClassLabels classes, long[][] rows, Map<String, Double> expected) {
    }

    @TestFactory
    Stream<DynamicTest> everyMetricEqualsScikitLearns() throws IOException {
        return readCases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            ConfusionMatrix m = ConfusionMatrix.of(c.classes(), c.rows());
            Map<String, ToDoubleFunction<ConfusionMatrix>> metrics = new LinkedHashMap<>();
            metrics.put("accuracy", ConfusionMatrix::accuracy);
            metrics.put("balanced_accuracy", ConfusionMatrix::balancedAccuracy);
            metrics.put("macro_precision", ConfusionMatrix::macroPrecision);
            metrics.put("macro_recall", ConfusionMatrix::macroRecall);
            metrics.put("macro_f1", ConfusionMatrix::macroF1);
            metrics.put("weighted_precision", ConfusionMatrix::weightedPrecision);
            metrics.put("weighted_recall", ConfusionMatrix::weightedRecall);
            metrics.put("weighted_f1", ConfusionMatrix::weightedF1);
            metrics.put("cohen_kappa", ConfusionMatrix::cohenKappa);
            metrics.put("mcc", ConfusionMatrix::mcc);
            for (int k = 0; k < c.classes().size(); k++) {
                int cls = k;
                metrics.put("precision." + k, x -> x.precision(cls));
                metrics.put("recall." + k, x -> x.recall(cls));
                metrics.put("f1." + k, x -> x.f1(cls));
                metrics.put("support." + k, x -> x.support(cls));
            }
            assertThat(c.expected().keySet()).containsExactlyInAnyOrderElementsOf(metrics.keySet());
            metrics.forEach((key, metric) -> {
                double expected = c.expected().get(key);
                double actual = metric.applyAsDouble(m);
                if (Double.isNaN(expected)) {
                    assertThat(actual).as(key).isNaN();
                } else {
                    assertThat(actual).as(key).isCloseTo(expected, within(1e-12));
                }
            });
        }));
    }

    @Test
    void theVectorsCoverEveryKindOfUndefinedValue() throws IOException {
        List<Case> cases = readCases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(14);
        assertThat(cases).anySatisfy(c -> assertThat(c.expected()).containsEntry("precision.2", Double.NaN));
        assertThat(cases).anySatisfy(c -> assertThat(c.expected()).containsEntry("recall.2", Double.NaN));
        assertThat(cases).anySatisfy(c -> assertThat(c.expected()).containsEntry("f1.0", Double.NaN));
        assertThat(cases).anySatisfy(c -> assertThat(c.expected()).containsEntry("mcc", Double.NaN));
        assertThat(cases).anySatisfy(c -> assertThat(c.expected()).containsEntry("cohen_kappa", Double.NaN));
        assertThat(cases).anySatisfy(c -> assertThat(c.classes().size()).isEqualTo(ClassLabels.MAX_CLASSES));
    }

    @Test
    void rowsAreActualAndColumnsPredicted() {
        ConfusionMatrix m = ConfusionMatrix.of(ClassLabels.of("a", "b", "c"), new long[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});

        assertThat(m.count(0, 2)).isEqualTo(3);
        assertThat(m.support(0)).isEqualTo(6);
        assertThat(m.predictedCount(0)).isEqualTo(12);
        assertThat(m.total()).isEqualTo(45);
        assertThat(m.accuracy()).isEqualTo(15.0 / 45);
        assertThat(m.recall(2)).isEqualTo(9.0 / 24);
        assertThat(m.precision(2)).isEqualTo(9.0 / 18);
        assertThat(m.rows()).isDeepEqualTo(new long[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
    }

    @Test
    void noFeedbackLeavesEveryMetricUndefined() {
        ConfusionMatrix m = ConfusionMatrix.empty(ClassLabels.of("a", "b"));

        assertThat(m.accuracy()).isNaN();
        assertThat(m.macroF1()).isNaN();
        assertThat(m.weightedF1()).isNaN();
        assertThat(m.cohenKappa()).isNaN();
        assertThat(m.mcc()).isNaN();
        assertThat(m.accuracyInterval()).isEqualTo(ConfidenceInterval.UNDEFINED);
    }

    @Test
    void intervalsAreWilsonsOfAccuracyAndOfEachClasssRecall() {
        ConfusionMatrix m = ConfusionMatrix.of(ClassLabels.of("a", "b"), new long[][] {{8, 2}, {1, 9}});

        assertThat(m.accuracyInterval()).isEqualTo(ConfidenceInterval.wilson(17, 20));
        assertThat(m.recallInterval(0)).isEqualTo(ConfidenceInterval.wilson(8, 10));
    }

    @Test
    void minusGivesTheFeedbackInBetween() {
        ClassLabels classes = ClassLabels.of("a", "b");
        ConfusionMatrix later = ConfusionMatrix.of(classes, new long[][] {{5, 1}, {2, 7}});
        ConfusionMatrix earlier = ConfusionMatrix.of(classes, new long[][] {{1, 1}, {0, 3}});

        assertThat(later.minus(earlier)).isEqualTo(ConfusionMatrix.of(classes, new long[][] {{4, 0}, {2, 4}}));
        assertThatThrownBy(() -> later.minus(ConfusionMatrix.empty(ClassLabels.of("a", "c"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badShapesAndNegativeCountsAreRefused() {
        ClassLabels classes = ClassLabels.of("a", "b");

        assertThatThrownBy(() -> ConfusionMatrix.of(classes, new long[][] {{1, 2}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 rows, got 1");
        assertThatThrownBy(() -> ConfusionMatrix.of(classes, new long[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1 must have 2 counts");
        assertThatThrownBy(() -> ConfusionMatrix.of(classes, new long[][] {{1, 2}, {-3, 0}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count of actual 'b', predicted 'a' must not be negative, got -3");
    }

    private static List<Case> readCases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(ConfusionMatrixTest.class.getResourceAsStream(VECTORS), VECTORS);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String name = null;
            ClassLabels classes = null;
            List<long[]> rows = new ArrayList<>();
            Map<String, Double> expected = new LinkedHashMap<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] words = line.split(" ");
                switch (words[0]) {
                    case "case" -> name = words[1];
                    case "classes" -> classes = ClassLabels.of(Arrays.copyOfRange(words, 1, words.length));
                    case "row" -> rows.add(Arrays.stream(words, 1, words.length).mapToLong(Long::parseLong).toArray());
                    case "end" -> {
                        cases.add(new Case(name, classes, rows.toArray(long[][]::new), Map.copyOf(expected)));
                        rows.clear();
                        expected.clear();
                    }
                    default -> expected.put(words[0], words[1].equals("nan") ? Double.NaN : Double.parseDouble(words[1]));
                }
            }
        }
        return cases;
    }
}
