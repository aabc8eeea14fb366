package dev.modelfeedback.core.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class ClassLabelsTest {

    @Test
    void aClassIsItsPlaceInTheDeclaration() {
        ClassLabels classes = ClassLabels.of("billing", "tech", "sales");

        assertThat(classes.size()).isEqualTo(3);
        assertThat(classes.labels()).containsExactly("billing", "tech", "sales");
        assertThat(classes.indexOf("tech")).isEqualTo(1);
        assertThat(classes.label(2)).isEqualTo("sales");
    }

    @Test
    void labelsCompareExactly() {
        ClassLabels classes = ClassLabels.of("billing", "tech");

        assertThat(classes.indexOf("Tech")).isEqualTo(-1);
        assertThat(classes.indexOf("tech ")).isEqualTo(-1);
        assertThat(classes.indexOf("")).isEqualTo(-1);
    }

    @Test
    void aNumberNamesTheClassWhoseLabelIsItsDecimalText() {
        ClassLabels classes = ClassLabels.of("0", "1", "2", "07", "-3");

        assertThat(classes.indexOfNumber(2)).isEqualTo(2);
        assertThat(classes.indexOfNumber(-3)).isEqualTo(4);
        assertThat(classes.indexOfNumber(7)).isEqualTo(-1);
        assertThat(ClassLabels.of("billing", "tech").indexOfNumber(0)).isEqualTo(-1);
    }

    @Test
    void from2To32LabelsAreAccepted() {
        assertThat(ClassLabels.of("a", "b").size()).isEqualTo(2);
        List<String> most = IntStream.range(0, ClassLabels.MAX_CLASSES).mapToObj(i -> "c" + i).toList();
        assertThat(ClassLabels.of(most).size()).isEqualTo(32);
        assertThat(ClassLabels.of("é".repeat(64), "b").label(0)).hasSize(64);
        assertThat(ClassLabels.of("\uD83D\uDE00".repeat(64), "b").label(0)).hasSize(128);
    }

    @Test
    void badDeclarationsAreRefusedNamingTheLabel() {
        assertThatThrownBy(() -> ClassLabels.of("only"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("classes must be 2 to 32 labels, got 1");
        assertThatThrownBy(() -> ClassLabels.of(IntStream.range(0, 33).mapToObj(i -> "c" + i).toList()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("classes must be 2 to 32 labels, got 33");
        assertThatThrownBy(() -> ClassLabels.of("a", "tech", "tech"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("class 'tech' is declared twice");
        assertThatThrownBy(() -> ClassLabels.of("a", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a class label must not be empty");
        assertThatThrownBy(() -> ClassLabels.of("a", "x".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 64 code points (65)");
        assertThatThrownBy(() -> ClassLabels.of("a", "b\nc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("class 'b\\u000ac' has a control character");
    }

    @Test
    void equalDeclarationsAreEqual() {
        assertThat(ClassLabels.of("a", "b")).isEqualTo(ClassLabels.of(List.of("a", "b")))
                .isNotEqualTo(ClassLabels.of("b", "a"));
    }
}
