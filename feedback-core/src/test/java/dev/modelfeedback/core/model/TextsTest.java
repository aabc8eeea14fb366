package dev.modelfeedback.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class TextsTest {

    @Test
    void quotesPlainTextAsItIs() {
        assertThat(Texts.quote("fraud-v3.1")).isEqualTo("'fraud-v3.1'");
        assertThat(Texts.quote("Zürich 東京")).isEqualTo("'Zürich 東京'");
        assertThat(Texts.quote("")).isEqualTo("''");
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x00, 0x0a, 0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9f, 0x2028, 0x2029,
        0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069})
    void escapesCharactersThatForgeOrDisguiseText(int codePoint) {
        String hostile = "a" + (char) codePoint + "b";

        assertThat(Texts.quote(hostile)).isEqualTo("'a\\u" + String.format("%04x", codePoint) + "b'");
    }

    @Test
    void escapesLoneSurrogatesButKeepsPairs() {
        assertThat(Texts.quote("a\ud800b")).isEqualTo("'a\\ud800b'");
        assertThat(Texts.quote("a\udc00")).isEqualTo("'a\\udc00'");
        assertThat(Texts.quote("\ud83d\ude00")).isEqualTo("'\ud83d\ude00'");
    }

    @ParameterizedTest(name = "{0} code points")
    @CsvSource({"63", "64", "65"})
    void cutsAfter64CodePointsNeverInsideASurrogatePair(int length) {
        String emoji = "\ud83d\ude00"; // one code point, two chars
        String value = "x".repeat(length - 1) + emoji;

        String quoted = Texts.quote(value);

        if (length <= 64) {
            assertThat(quoted).isEqualTo("'" + value + "'");
        } else {
            assertThat(quoted).isEqualTo("'" + "x".repeat(64) + "...'");
        }
        assertThat(quoted.codePoints().filter(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)).isEmpty();
    }

    @Test
    void cutsAPairThatStraddlesTheLimitWhole() {
        String value = "x".repeat(63) + "\ud83d\ude00" + "y";

        assertThat(Texts.quote(value)).isEqualTo("'" + "x".repeat(63) + "\ud83d\ude00...'");
    }

    @Test
    void escapeBoundsLongText() {
        assertThat(Texts.escape("line one\nline two", 300)).isEqualTo("line one\\u000aline two");
        assertThat(Texts.escape("abcdef", 3)).isEqualTo("abc...");
    }
}
