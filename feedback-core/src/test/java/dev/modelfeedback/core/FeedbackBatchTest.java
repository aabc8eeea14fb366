package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

final class FeedbackBatchTest {

    private final ModelSet recorders = ModelSet.builder(new SimpleMeterRegistry())
            .model("fraud", "v3").model("churn", "v1").build();
    private final FeedbackRecorder fraud = recorders.recorder("fraud");
    private final FeedbackRecorder churn = recorders.recorder("churn");

    @Test
    void countsNothingUntilCommittedThenEverything() {
        FeedbackBatch batch = new FeedbackBatch()
                .add(fraud, 1, 1).add(fraud, 1, 1).add(fraud, 0, 1)
                .add(churn, 0, 0).add(churn, 1, 0);

        assertThat(batch.size()).isEqualTo(5);
        assertThat(fraud.snapshot()).isEqualTo(ClassificationSnapshot.EMPTY);
        assertThat(churn.snapshot()).isEqualTo(ClassificationSnapshot.EMPTY);

        batch.commit();

        assertThat(fraud.snapshot()).isEqualTo(new ClassificationSnapshot(2, 0, 0, 1));
        assertThat(churn.snapshot()).isEqualTo(new ClassificationSnapshot(0, 1, 1, 0));
    }

    @Test
    void aBadItemIsRefusedAndLeavesTheBatchAsItWas() {
        FeedbackBatch batch = new FeedbackBatch().add(fraud, 1, 1);

        assertThatThrownBy(() -> batch.add(fraud, 1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actual must be 0 or 1, got 2");
        assertThat(batch.size()).isEqualTo(1);
        assertThat(fraud.snapshot().total()).isZero();
    }

    @Test
    void aBatchIsCommittedOnce() {
        FeedbackBatch batch = new FeedbackBatch().add(fraud, 0, 0);
        batch.commit();

        assertThatThrownBy(batch::commit)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("batch was already committed");
        assertThatThrownBy(() -> batch.add(fraud, 0, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("batch was already committed");
        assertThat(fraud.snapshot()).isEqualTo(new ClassificationSnapshot(0, 1, 0, 0));
    }
}
