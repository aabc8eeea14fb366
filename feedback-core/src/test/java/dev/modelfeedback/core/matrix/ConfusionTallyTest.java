package dev.modelfeedback.core.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class ConfusionTallyTest {

    @Test
    void eachOutcomeCountsIntoItsOwnCellInTheSnapshotsOrder() {
        ConfusionTally tally = new ConfusionTally()
                .add(Outcome.TRUE_POSITIVE)
                .add(Outcome.TRUE_NEGATIVE, 2)
                .add(Outcome.FALSE_POSITIVE, 3)
                .add(Outcome.FALSE_NEGATIVE, 4);

        assertThat(tally.snapshot()).isEqualTo(new ClassificationSnapshot(1, 2, 3, 4));
        assertThat(tally.total()).isEqualTo(10);
        for (Outcome outcome : Outcome.values()) {
            assertThat(tally.count(outcome)).as(outcome.name()).isEqualTo(outcome.ordinal() + 1);
        }
    }

    @Test
    void addsAWholeMatrix() {
        ConfusionTally tally = new ConfusionTally().add(Outcome.FALSE_NEGATIVE)
                .add(new ClassificationSnapshot(5, 6, 7, 8));

        assertThat(tally.snapshot()).isEqualTo(new ClassificationSnapshot(5, 6, 7, 9));
    }

    @Test
    void refusesANegativeCountAndStaysAsItWas() {
        ConfusionTally tally = new ConfusionTally().add(Outcome.TRUE_POSITIVE);

        assertThatThrownBy(() -> tally.add(Outcome.TRUE_POSITIVE, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count must not be negative, got -1");
        assertThat(tally.snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
    }

    @Test
    void remembersWhichItemsWereErrorsInOrder() {
        ConfusionTally tally = new ConfusionTally().add(Outcome.TRUE_POSITIVE, 100).add(Outcome.FALSE_NEGATIVE)
                .add(Outcome.TRUE_NEGATIVE, 70).add(Outcome.FALSE_POSITIVE, 2);
        ConfusionTally appended = new ConfusionTally().add(Outcome.FALSE_POSITIVE).add(tally);

        assertThat(tally.isError(0)).isFalse();
        assertThat(tally.isError(99)).isFalse();
        assertThat(tally.isError(100)).isTrue();
        assertThat(tally.isError(170)).isFalse();
        assertThat(tally.isError(171)).isTrue();
        assertThat(tally.isError(172)).isTrue();
        assertThat(appended.snapshot()).isEqualTo(new ClassificationSnapshot(100, 70, 3, 1));
        assertThat(appended.isError(0)).isTrue();
        assertThat(appended.isError(101)).isTrue();
        assertThat(appended.isError(100)).isFalse();
        assertThat(appended.isError(173)).isTrue();
        assertThatThrownBy(() -> tally.isError(173)).isInstanceOf(IndexOutOfBoundsException.class);
        // correct items only, far past the first word of bits
        assertThat(new ConfusionTally().add(Outcome.TRUE_POSITIVE, 5000).isError(4999)).isFalse();
    }
}
