package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

final class SeedReplayTest {

    @Test
    void replayMatchesEveryMetricsLineOfTheSeed() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(new SimpleMeterRegistry()).build();
        recorder.record(SeedReplay.FIRST_UNREPORTED_PREDICTION, SeedReplay.FIRST_UNREPORTED_ACTUAL);

        List<SeedReplay.Step> steps = SeedReplay.steps();
        assertThat(steps).hasSize(39);
        for (SeedReplay.Step step : steps) {
            recorder.record(step.prediction(), step.actual());
            ClassificationSnapshot s = recorder.snapshot();
            String where = "after seed line " + step.line();
            assertThat(s.accuracy()).as(where + " accuracy").isCloseTo(step.accuracy(), within(SeedReplay.TOLERANCE));
            assertThat(s.precision()).as(where + " precision").isCloseTo(step.precision(), within(SeedReplay.TOLERANCE));
            assertThat(s.recall()).as(where + " recall").isCloseTo(step.recall(), within(SeedReplay.TOLERANCE));
            assertThat(s.f1()).as(where + " f1").isCloseTo(step.f1(), within(SeedReplay.TOLERANCE));
        }
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(18, 16, 2, 4));
    }
}
