package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.drift.DriftEvent;
import dev.modelfeedback.core.drift.DriftState;
import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.matrix.ClassLabels;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.matrix.ConfusionTally;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import dev.modelfeedback.core.window.WindowCounts;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A recorder of a model with declared classes: the same counting path as a binary model's, with the
 * K&times;K matrix, its meters, its windows, its joins and its drift. Expected values are worked by
 * hand below; {@link ConfusionMatrixTest} checks the metrics themselves against scikit-learn.
 */
final class MultiClassRecorderTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ManualWindowClock clock = WindowClock.manual(T0);

    private FeedbackRecorder intent() {
        return FeedbackRecorder.builder(registry).model("intent", "v2").clock(clock)
                .classes("billing", "tech", "sales").build();
    }

    /**
     * Seven items: billing right three times and once taken for tech; tech right twice and once
     * taken for sales; sales never the truth.
     */
    private static void recordSeven(FeedbackRecorder recorder) {
        for (int i = 0; i < 3; i++) {
            recorder.record("billing", "billing");
        }
        recorder.record("tech", "billing");
        recorder.record(1, 1);
        recorder.record(1, 1);
        recorder.record(2, 1);
    }

    private double cell(String actual, String predicted) {
        return registry.get("model.confusion").tag("model", "intent").tag("model_version", "v2")
                .tag("actual", actual).tag("predicted", predicted).functionCounter().count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tag("model", "intent").tags(tags).gauge().value();
    }

    @Test
    void registersEveryCellAtZeroAndTheGaugesAsNaN() {
        intent();

        for (String actual : List.of("billing", "tech", "sales")) {
            for (String predicted : List.of("billing", "tech", "sales")) {
                assertThat(cell(actual, predicted)).isZero();
            }
        }
        assertThat(gauge("model.accuracy")).isNaN();
        assertThat(gauge("model.macro.f1")).isNaN();
        assertThat(gauge("model.class.recall", "class", "sales")).isNaN();
        // K² + 3K + 6 matrix meters; none of the binary model's names
        long matrixMeters = registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName)
                .filter(name -> name.equals("model.confusion") || name.startsWith("model.class.")
                        || List.of("model.accuracy", "model.balanced.accuracy", "model.macro.precision",
                                "model.macro.recall", "model.macro.f1", "model.weighted.f1").contains(name))
                .count();
        assertThat(matrixMeters).isEqualTo(9 + 9 + 6);
        assertThat(registry.find("true.positives").meters()).isEmpty();
        assertThat(registry.find("model.precision").meters()).isEmpty();
    }

    @Test
    void countsByLabelAndByIndexIntoOneMatrix() {
        FeedbackRecorder recorder = intent();

        recordSeven(recorder);

        ConfusionMatrix m = recorder.matrix();
        assertThat(m.rows()).isEqualTo(new long[][] {{3, 1, 0}, {0, 2, 1}, {0, 0, 0}});
        assertThat(cell("billing", "tech")).isEqualTo(1);
        assertThat(cell("tech", "sales")).isEqualTo(1);
        assertThat(cell("tech", "tech")).isEqualTo(2);
        // by hand: accuracy 5/7; billing P 3/3 R 3/4 F1 6/7; tech P 2/3 R 2/3 F1 2/3; sales P 0/1, R undefined, F1 0
        assertThat(gauge("model.accuracy")).isCloseTo(5.0 / 7, within(1e-12));
        assertThat(gauge("model.class.precision", "class", "billing")).isEqualTo(1.0);
        assertThat(gauge("model.class.recall", "class", "billing")).isCloseTo(0.75, within(1e-12));
        assertThat(gauge("model.class.f1", "class", "billing")).isCloseTo(6.0 / 7, within(1e-12));
        assertThat(gauge("model.class.precision", "class", "sales")).isZero();
        assertThat(gauge("model.class.recall", "class", "sales")).isNaN();
        assertThat(gauge("model.class.f1", "class", "sales")).isZero();
        assertThat(gauge("model.balanced.accuracy")).isCloseTo((0.75 + 2.0 / 3) / 2, within(1e-12));
        assertThat(gauge("model.macro.precision")).isCloseTo((1 + 2.0 / 3 + 0) / 3, within(1e-12));
        assertThat(gauge("model.macro.recall")).isCloseTo((0.75 + 2.0 / 3) / 2, within(1e-12));
        assertThat(gauge("model.macro.f1")).isCloseTo((6.0 / 7 + 2.0 / 3 + 0) / 3, within(1e-12));
        assertThat(gauge("model.weighted.f1")).isCloseTo((4 * 6.0 / 7 + 3 * 2.0 / 3) / 7, within(1e-12));
        assertThat(recorder.declaresClasses()).isTrue();
        assertThat(recorder.classes().labels()).containsExactly("billing", "tech", "sales");
    }

    /** A scrape reads every gauge once; they share one read of the matrix, so they agree. */
    @Test
    void theGaugesOfOneScrapeReadOneMatrixAndTheNextScrapeANewOne() {
        FeedbackRecorder recorder = intent();
        recorder.record("billing", "billing");
        List<Meter> gauges = registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("model.class.") || m.getId().getName().startsWith("model.macro")
                        || m.getId().getName().equals("model.accuracy") || m.getId().getName().startsWith("model.balanced")
                        || m.getId().getName().startsWith("model.weighted"))
                .toList();
        assertThat(gauges).hasSize(6 + 3 * 3);

        double firstAccuracy = gauge("model.accuracy");
        recorder.record("tech", "billing");     // between two reads of one scrape
        List<Double> rest = gauges.stream().skip(1).map(m -> ((io.micrometer.core.instrument.Gauge) m).value()).toList();

        assertThat(firstAccuracy).isEqualTo(1.0);
        // the rest of that scrape still sees one item, billing found
        assertThat(gauge("model.class.recall", "class", "billing")).isEqualTo(0.5);   // the next scrape's first read
        assertThat(rest).doesNotContain(0.5);
    }

    @Test
    void anUndeclaredLabelOrIndexIsRefusedNamingTheModelAndCountsNothing() {
        FeedbackRecorder recorder = intent();

        assertThatThrownBy(() -> recorder.record("Tech", "billing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prediction 'Tech' is not a class of model intent@v2");
        assertThatThrownBy(() -> recorder.record("tech", "refund"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actual 'refund' is not a class of model intent@v2");
        assertThatThrownBy(() -> recorder.record(3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prediction must be a class index from 0 to 2 of model intent@v2, got 3");
        assertThatThrownBy(() -> recorder.record(0, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actual must be a class index from 0 to 2 of model intent@v2, got -1");
        assertThatThrownBy(() -> recorder.record(true, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("model intent@v2 has 3 classes; record by class");
        assertThatThrownBy(recorder::snapshot).isInstanceOf(IllegalStateException.class);
        assertThat(recorder.matrix().total()).isZero();
    }

    @Test
    void aBinaryModelTakesItsValuesAsTheLabels0And1() {
        FeedbackRecorder fraud = FeedbackRecorder.builder(registry).model("fraud", "v3").build();

        fraud.record("1", "0");

        assertThat(fraud.snapshot()).isEqualTo(new ClassificationSnapshot(0, 0, 1, 0));
        assertThat(fraud.declaresClasses()).isFalse();
        assertThat(fraud.matrix().rows()).isEqualTo(new long[][] {{0, 1}, {0, 0}});
        assertThatThrownBy(() -> fraud.record("tech", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prediction 'tech' is not a class of model fraud@v3");
        assertThatThrownBy(() -> fraud.record(2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prediction must be 0 or 1, got 2");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"empty", "duplicate", "one", "too many", "too long", "control"})
    void aBadDeclarationNamesTheModelAndTheLabel(String kind) {
        List<String> labels = switch (kind) {
            case "empty" -> List.of("billing", "");
            case "duplicate" -> List.of("billing", "tech", "billing");
            case "one" -> List.of("billing");
            case "too many" -> IntStream.range(0, 33).mapToObj(i -> "c" + i).toList();
            case "too long" -> List.of("billing", "x".repeat(65));
            default -> List.of("billing", "te\nch");
        };
        String expected = switch (kind) {
            case "empty" -> "model intent@v2: a class label must not be empty";
            case "duplicate" -> "model intent@v2: class 'billing' is declared twice";
            case "one" -> "model intent@v2: classes must be 2 to 32 labels, got 1";
            case "too many" -> "model intent@v2: classes must be 2 to 32 labels, got 33";
            case "too long" -> "model intent@v2: class '" + "x".repeat(64) + "...' is longer than 64 code points (65)";
            default -> "model intent@v2: class 'te\\u000ach' has a control character";
        };
        FeedbackRecorder.Builder builder = FeedbackRecorder.builder(registry).model("intent", "v2");

        assertThatThrownBy(() -> builder.classes(labels))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(expected);
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void thirtyTwoClassesAreTheCapAndEveryCellCountsApart() {
        List<String> labels = IntStream.range(0, 32).mapToObj(i -> "class" + i).toList();
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("wide", "v1").classes(labels).build();

        for (int p = 0; p < 32; p++) {
            for (int a = 0; a < 32; a++) {
                for (int n = 0; n <= (p * 32 + a) % 3; n++) {
                    recorder.record(p, a);
                }
            }
        }

        ConfusionMatrix m = recorder.matrix();
        for (int p = 0; p < 32; p++) {
            for (int a = 0; a < 32; a++) {
                assertThat(m.count(a, p)).as("actual %d, predicted %d", a, p).isEqualTo((p * 32 + a) % 3 + 1);
            }
        }
        assertThat(registry.find("model.confusion").meters()).hasSize(32 * 32);
        assertThat(ClassLabels.MAX_CLASSES).isEqualTo(JoinOperation.MAX_CLASSES);
    }

    @Test
    void windowsAndStatusCarryTheMatrix() {
        FeedbackRecorder recorder = intent();
        recorder.record("tech", "tech");
        clock.advance(Duration.ofMinutes(10));
        recorder.record("sales", "billing");

        ModelStatus status = recorder.status();

        assertThat(status.lifetime().rows()).isEqualTo(new long[][] {{0, 0, 1}, {0, 1, 0}, {0, 0, 0}});
        WindowCounts fiveMinutes = status.windows().get(0);
        assertThat(fiveMinutes.matrix().rows()).isEqualTo(new long[][] {{0, 0, 1}, {0, 0, 0}, {0, 0, 0}});
        assertThat(status.windows().get(1).matrix()).isEqualTo(status.lifetime());
        assertThatThrownBy(fiveMinutes::counts).isInstanceOf(IllegalStateException.class);
        assertThat(recorder.buckets(status.windows().get(1).window()).stream()
                .mapToLong(b -> b.matrix().total()).sum()).isEqualTo(2);
    }

    @Test
    void aBaselineHoldsAccuracyAndMacroF1AndJudgesEachWindow() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("intent", "v2").clock(clock)
                .classes("billing", "tech", "sales").baseline(Baseline.parse("accuracy=0.9,macro_f1=0.8")).build();
        for (int i = 0; i < 40; i++) {
            recorder.record(i % 2, (i + 1) % 3 == 0 ? 2 : i % 2);
        }

        ModelStatus status = recorder.status();

        // 27 of 40 right: Wilson upper bound 0.80 < 0.9
        assertThat(status.lifetime().accuracy()).isCloseTo(27.0 / 40, within(1e-12));
        assertThat(status.significantlyBelowBaseline(status.windows().get(0).matrix(), Metric.ACCURACY)).isTrue();
        assertThat(status.verdict().state()).isEqualTo(Verdict.State.BELOW_BASELINE);
        assertThat(registry.get("model.baseline").tag("metric", "macro_f1").gauge().value()).isEqualTo(0.8);
        assertThatThrownBy(() -> FeedbackRecorder.builder(registry).model("intent", "v3").classes("a", "b", "c")
                .baseline(Baseline.parse("precision=0.9")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a baseline of model intent@v3 may set accuracy, macro_f1, roc_auc, log_loss, not precision");
        assertThatThrownBy(() -> FeedbackRecorder.builder(registry).model("fraud", "v1")
                .baseline(Baseline.parse("macro_f1=0.9")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a baseline of model fraud@v1 may set accuracy, precision, recall, f1, roc_auc, log_loss, not macro_f1");
    }

    @Test
    void aReferencePeriodTakesAccuracyAndMacroF1() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("intent", "v2").clock(clock)
                .classes("billing", "tech", "sales").baselineFromFirst(7).build();

        recordSeven(recorder);

        assertThat(recorder.baseline().values()).containsOnlyKeys(Metric.ACCURACY, Metric.MACRO_F1);
        assertThat(recorder.baseline().value(Metric.ACCURACY).getAsDouble()).isCloseTo(5.0 / 7, within(1e-12));
        assertThat(recorder.baseline().value(Metric.MACRO_F1).getAsDouble())
                .isCloseTo((6.0 / 7 + 2.0 / 3) / 3, within(1e-12));
        assertThat(registry.find("model.baseline").meters()).hasSize(4); // and roc_auc, log_loss: NaN without scores
        assertThat(registry.get("model.baseline").tag("metric", "roc_auc").gauge().value()).isNaN();
    }

    @Test
    void delayedLabelsJoinByLabelWithDuplicatesConflictsAndUnknownIds() {
        FeedbackRecorder recorder = intent();

        assertThat(recorder.recordPrediction("t-1", "tech")).isEqualTo(JoinOutcome.PENDING);
        assertThat(recorder.recordPrediction("t-1", "tech")).isEqualTo(JoinOutcome.DUPLICATE);
        assertThat(recorder.recordPrediction("t-1", "sales")).isEqualTo(JoinOutcome.CONFLICT);
        assertThat(recorder.matrix().total()).isZero();

        clock.advance(Duration.ofMinutes(3));
        assertThat(recorder.recordActual("t-1", "billing")).isEqualTo(JoinOutcome.MATCHED);
        assertThat(recorder.recordActual("t-1", "billing")).isEqualTo(JoinOutcome.DUPLICATE);
        assertThat(recorder.recordActual("t-1", "sales")).isEqualTo(JoinOutcome.CONFLICT);
        assertThat(recorder.recordActual("t-2", "sales")).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(recorder.record("t-3", "sales", "sales")).isEqualTo(JoinOutcome.MATCHED);
        assertThat(recorder.record("t-3", "sales", "sales")).isEqualTo(JoinOutcome.DUPLICATE);
        assertThat(recorder.record("t-3", "sales", "tech")).isEqualTo(JoinOutcome.CONFLICT);

        assertThat(recorder.matrix().rows()).isEqualTo(new long[][] {{0, 1, 0}, {0, 0, 0}, {0, 0, 1}});
        assertThat(recorder.joins().unknown()).isEqualTo(1);
        assertThat(recorder.joins().labelDelay().count()).isEqualTo(1);
        assertThatThrownBy(() -> recorder.recordPrediction("t-4", "refund"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prediction 'refund' is not a class of model intent@v2");
        assertThatThrownBy(() -> recorder.recordActual("t-4", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actual must be a class index from 0 to 2 of model intent@v2, got 3");
        assertThat(recorder.joins().pending()).isZero();
    }

    /** Every pair of the 32 class indices survives the store's 5-bit fields, pending and joined. */
    @Test
    void theInMemoryStoreKeepsEveryClassIndexOfThirtyTwoClasses() {
        List<String> labels = IntStream.range(0, 32).mapToObj(i -> "c" + i).toList();
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("wide", "v1").classes(labels).build();
        List<Integer> order = new ArrayList<>(IntStream.range(0, 32 * 32).boxed().toList());
        Collections.shuffle(order, new java.util.Random(19));

        for (int pair : order) {
            assertThat(recorder.recordPrediction("id-" + pair, pair / 32)).isEqualTo(JoinOutcome.PENDING);
        }
        for (int pair : order) {
            assertThat(recorder.recordPrediction("id-" + pair, (pair / 32 + 1) % 32)).as("pair %d", pair)
                    .isEqualTo(JoinOutcome.CONFLICT);
            assertThat(recorder.recordActual("id-" + pair, pair % 32)).isEqualTo(JoinOutcome.MATCHED);
            assertThat(recorder.recordActual("id-" + pair, pair % 32)).isEqualTo(JoinOutcome.DUPLICATE);
            assertThat(recorder.recordActual("id-" + pair, (pair + 1) % 32)).isEqualTo(JoinOutcome.CONFLICT);
        }

        ConfusionMatrix m = recorder.matrix();
        for (int p = 0; p < 32; p++) {
            for (int a = 0; a < 32; a++) {
                assertThat(m.count(a, p)).as("actual %d, predicted %d", a, p).isEqualTo(1);
            }
        }
    }

    /** A store keeps class indices: a model whose classes change must not join by the old ones. */
    @Test
    void aModelWhoseClassesChangeJoinsNothingStoredUnderItsOldClasses() {
        InMemoryPendingStore store = new InMemoryPendingStore();
        FeedbackRecorder before = FeedbackRecorder.builder(new SimpleMeterRegistry()).model("intent", "v2")
                .classes("billing", "tech", "sales").pendingStore(store).build();
        FeedbackRecorder after = FeedbackRecorder.builder(new SimpleMeterRegistry()).model("intent", "v2")
                .classes("tech", "billing", "sales").pendingStore(store).build();
        FeedbackRecorder binary = FeedbackRecorder.builder(new SimpleMeterRegistry()).model("intent", "v2")
                .pendingStore(store).build();

        assertThat(before.recordPrediction("t-1", "billing")).isEqualTo(JoinOutcome.PENDING);

        assertThat(after.recordActual("t-1", "billing")).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(binary.recordActual("t-1", 1)).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(before.recordActual("t-1", "tech")).isEqualTo(JoinOutcome.MATCHED);
        assertThat(before.namespace()).isEqualTo("intent@v2/classes-"
                + String.format("%08x", List.of("billing", "tech", "sales").hashCode()));
        assertThat(after.namespace()).isNotEqualTo(before.namespace());
        assertThat(binary.namespace()).isEqualTo("intent@v2");
        assertThat(after.matrix().total()).isZero();
        assertThat(before.matrix().count(1, 0)).isEqualTo(1);   // actual tech, predicted billing
    }

    @Test
    void aBatchKeepsCompleteItemsAfterAnIdAsIndicesAndCountsThemInOrder() {
        FeedbackRecorder intent = intent();
        FeedbackBatch batch = new FeedbackBatch().addPrediction(intent, "t-1", 1);
        for (int i = 0; i < 300; i++) {
            batch.add(intent, i % 3, (i + 1) % 3);
        }
        batch.addActual(intent, "t-1", 1);

        assertThat(batch.commit()).containsExactly(JoinOutcome.PENDING, JoinOutcome.MATCHED);

        assertThat(intent.matrix().rows()).isEqualTo(new long[][] {{0, 0, 100}, {100, 1, 0}, {0, 100, 0}});
    }

    @Test
    void modelsCreatedOnDemandAreBinaryEvenWhenEveryModelIsGivenClasses() {
        ModelSet models = ModelSet.builder(registry).createOnDemand(5)
                .eachModel(recorder -> recorder.classes("spam", "ham")).build();

        assertThatThrownBy(() -> models.recorder("new"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("model new@unknown would be created on demand with classes (set for every model);"
                        + " models created on demand are binary: declare a model with classes by name");
        assertThat(models.all()).isEmpty();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void driftDetectorsSeeTheErrorStream() {
        List<DriftEvent> events = new CopyOnWriteArrayList<>();
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("intent", "v2").clock(clock)
                .classes("billing", "tech", "sales").driftListener(events::add).build();
        for (int i = 0; i < 1000; i++) {
            recorder.record(i % 3, i % 3);
        }
        for (int i = 0; i < 30; i++) {
            recorder.record((i + 1) % 3, i % 3);
        }
        clock.advance(Duration.ofSeconds(1));

        assertThat(recorder.driftSamples()).isEqualTo(1030);
        assertThat(events).extracting(DriftEvent::current).contains(DriftState.DRIFT);
    }

    @Test
    void aBatchCountsMultiClassAndBinaryModelsTogetherOrNotAtAll() {
        FeedbackRecorder intent = intent();
        FeedbackRecorder fraud = FeedbackRecorder.builder(registry).model("fraud", "v3").build();
        ConfusionTally tally = new ConfusionTally(intent.classes()).add(1, 0).add(2, 2);

        FeedbackBatch batch = new FeedbackBatch().add(intent, tally).add(fraud, 1, 1).add(intent, 0, 0);
        assertThatThrownBy(() -> batch.add(intent, 0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actual must be a class index from 0 to 2 of model intent@v2, got 3");
        assertThatThrownBy(() -> batch.add(fraud, new ConfusionTally(intent.classes())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a tally of [billing, tech, sales] cannot count for model fraud@v3 of classes [0, 1]");
        batch.commit();

        assertThat(intent.matrix().rows()).isEqualTo(new long[][] {{1, 1, 0}, {0, 0, 0}, {0, 0, 1}});
        assertThat(fraud.snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
    }

    @Test
    void aModelSetDeclaresClassesByName() {
        ModelSet models = ModelSet.builder(registry).model("intent", "v2").model("intent", "v3").model("fraud", "v3")
                .classes("intent", "billing", "tech", "sales").defaultModel("fraud").build();

        assertThat(models.versions("intent")).allSatisfy(r -> assertThat(r.classes().labels())
                .containsExactly("billing", "tech", "sales"));
        assertThat(models.recorder("fraud").declaresClasses()).isFalse();
        assertThat(registry.find("model.confusion").meters()).hasSize(18);
        assertThatThrownBy(() -> ModelSet.builder(new SimpleMeterRegistry()).model("fraud", "v3")
                .classes("intent", "a", "b").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("classes are declared for model 'intent', which is not declared; declared: fraud");
        assertThatThrownBy(() -> ModelSet.builder(new SimpleMeterRegistry()).classes("intent", "a", "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'intent': class 'a' is declared twice");
    }

    @Test
    void unregisteringRemovesTheMatrixMeters() {
        FeedbackRecorder recorder = intent();

        recorder.unregister();

        assertThat(registry.find("model.confusion").meters()).isEmpty();
        assertThat(registry.find("model.class.f1").meters()).isEmpty();
        assertThat(FeedbackRecorder.builder(registry).model("intent", "v2").classes("a", "b").build().classes().size())
                .isEqualTo(2);
    }

    @Test
    void aSecondRecorderOfTheSameModelIsRefusedWhateverItsKind() {
        intent();

        assertThatThrownBy(() -> FeedbackRecorder.builder(registry).model("intent", "v2").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a recorder for model 'intent' version 'v2' is already registered in this registry");
    }
}
