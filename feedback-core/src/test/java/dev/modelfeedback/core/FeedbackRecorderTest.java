package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.Outcome;
import dev.modelfeedback.core.model.ModelId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class FeedbackRecorderTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @ParameterizedTest(name = "prediction {0}, actual {1} counts into {2}")
    @CsvSource({
        "1, 1, true.positives",
        "0, 0, true.negatives",
        "1, 0, false.positives",
        "0, 1, false.negatives",
    })
    void eachPairCountsIntoExactlyItsOwnCounter(int prediction, int actual, String counter) {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("fraud", "v3").build();

        recorder.record(prediction, actual);
        recorder.record(prediction == 1, actual == 1);

        for (String name : new String[] {"true.positives", "true.negatives", "false.positives", "false.negatives"}) {
            double expected = name.equals(counter) ? 2 : 0;
            assertThat(registry.get(name).tag("model", "fraud").tag("model_version", "v3").functionCounter().count())
                    .as(name).isEqualTo(expected);
        }
        Outcome outcome = Outcome.of(prediction, actual);
        assertThat(recorder.snapshot().count(outcome)).isEqualTo(2);
        assertThat(recorder.snapshot().total()).isEqualTo(2);
    }

    @Test
    void countersExistAtZeroAndGaugesAreNaNBeforeFeedback() {
        FeedbackRecorder.builder(registry).build();

        assertThat(registry.get("true.positives").tag("model", "default").tag("model_version", "unknown")
                .functionCounter().count()).isZero();
        assertThat(registry.get("false.negatives").functionCounter().count()).isZero();
        assertThat(registry.get("model.accuracy").gauge().value()).isNaN();
        assertThat(registry.get("model.f1.score").gauge().value()).isNaN();
        assertThat(registry.getMeters()).hasSize(ModelSetTest.METERS_PER_MODEL);
    }

    @Test
    void gaugesFollowTheCounts() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).build();
        recorder.record(1, 1);
        recorder.record(1, 0);
        recorder.record(0, 1);
        recorder.record(0, 0);
        recorder.record(1, 1);

        // TP=2, TN=1, FP=1, FN=1
        assertThat(registry.get("model.accuracy").gauge().value()).isEqualTo(3.0 / 5);
        assertThat(registry.get("model.precision").gauge().value()).isEqualTo(2.0 / 3);
        assertThat(registry.get("model.recall").gauge().value()).isEqualTo(2.0 / 3);
        assertThat(registry.get("model.f1.score").gauge().value()).isEqualTo(4.0 / 6);
    }

    @Test
    void gaugesSurviveGarbageCollectionOfTheRecorder() throws InterruptedException {
        WeakReference<FeedbackRecorder> recorder = recordOnceAndForget(registry);

        // Collection is only requested, never forced: ask until the recorder is gone, bounded.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (recorder.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(recorder.get()).as("the recorder was garbage-collected").isNull();
        assertThat(registry.get("model.accuracy").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("model.f1.score").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("true.positives").functionCounter().count()).isEqualTo(1.0);
    }

    /** In its own frame, so that no local variable of the test keeps the recorder reachable. */
    private static WeakReference<FeedbackRecorder> recordOnceAndForget(MeterRegistry registry) {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).build();
        recorder.record(1, 1);
        return new WeakReference<>(recorder);
    }

    @ParameterizedTest(name = "record({0}, {1})")
    @CsvSource(delimiter = '|', value = {
        "2 | 0 | prediction must be 0 or 1, got 2",
        "-1 | 0 | prediction must be 0 or 1, got -1",
        "0 | 2 | actual must be 0 or 1, got 2",
        "1 | -1 | actual must be 0 or 1, got -1",
        "7 | 9 | prediction must be 0 or 1, got 7",
    })
    void invalidValuesThrowAndCountNothing(int prediction, int actual, String message) {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).build();
        recorder.record(1, 1);

        assertThatThrownBy(() -> recorder.record(prediction, actual))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
    }

    @Test
    void aSecondRecorderForTheSameModelAndVersionIsRefused() {
        FeedbackRecorder first = FeedbackRecorder.builder(registry).model("fraud", "v3").build();

        assertThatThrownBy(() -> FeedbackRecorder.builder(registry).model("fraud", "v3").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a recorder for model 'fraud' version 'v3' is already registered in this registry");
        first.record(1, 1);
        assertThat(registry.get("true.positives").functionCounter().count()).isEqualTo(1.0);
    }

    @Test
    void anotherVersionOfTheSameModelIsItsOwnSeries() {
        FeedbackRecorder v3 = FeedbackRecorder.builder(registry).model("fraud", "v3").build();
        FeedbackRecorder v4 = FeedbackRecorder.builder(registry).model("fraud", "v4").build();
        v3.record(1, 1);
        v4.record(0, 1);

        assertThat(registry.get("true.positives").tag("model_version", "v3").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("true.positives").tag("model_version", "v4").functionCounter().count()).isZero();
        assertThat(registry.get("false.negatives").tag("model_version", "v4").functionCounter().count()).isEqualTo(1);
    }

    @Test
    void unregisterRemovesTheMetersAndAllowsANewRecorder() {
        FeedbackRecorder old = FeedbackRecorder.builder(registry).model("fraud", "v3").build();
        old.unregister();
        assertThat(registry.getMeters()).isEmpty();

        FeedbackRecorder fresh = FeedbackRecorder.builder(registry).model("fraud", "v3").build();
        fresh.record(0, 0);
        assertThat(registry.get("true.negatives").functionCounter().count()).isEqualTo(1);
    }

    @Test
    void theModelCanBeSetOnlyOnce() {
        FeedbackRecorder.Builder builder = FeedbackRecorder.builder(registry).model("fraud", "v3");

        assertThatThrownBy(() -> builder.model("churn", "v1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model was already set to fraud@v3");
    }

    @Test
    void aNullRegistryIsRefused() {
        assertThatThrownBy(() -> FeedbackRecorder.builder(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("registry");
    }

    @Test
    void describesItself() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("fraud", "v3").build();
        recorder.record(Outcome.FALSE_POSITIVE);
        assertThat(recorder).hasToString(
                "FeedbackRecorder[fraud@v3, ClassificationSnapshot[truePositives=0, trueNegatives=0,"
                        + " falsePositives=1, falseNegatives=0]]");
        assertThat(recorder.model()).isEqualTo(new ModelId("fraud", "v3"));
    }
}
