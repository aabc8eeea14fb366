package dev.modelfeedback.servlet.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class BearerTokensTest {

    private static final String RULE = "; a token is letters, digits and -._~+/, then optionally = padding (RFC 6750)";

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("tokens"), content, StandardCharsets.UTF_8);
    }

    @Test
    void readsOneTokenPerLineIgnoringBlankLinesAndComments() throws Exception {
        BearerTokens tokens = BearerTokens.load(file("# writers of the fraud team\r\n\r\n"
                + "abcdefghijklmnop0123\r\n   \n  # rotated 2026-11\nABC.def_ghi~jkl+mno/pq==\n"));

        assertThat(tokens.size()).isEqualTo(2);
        assertThat(tokens.accepts("abcdefghijklmnop0123")).isTrue();
        assertThat(tokens.accepts("ABC.def_ghi~jkl+mno/pq==")).isTrue();
        assertThat(tokens.accepts("abcdefghijklmnop012")).isFalse();
        assertThat(tokens.accepts("abcdefghijklmnop01234")).isFalse();
        assertThat(tokens.accepts("ABC.def_ghi~jkl+mno/pq")).isFalse();
        assertThat(tokens.accepts("# writers of the fraud team")).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens).hasToString("BearerTokens[2 tokens]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "abcdefghijklmnop 0123        | line 1 | holds whitespace at column 17" + RULE,
        "abcdefghijklmnop0123\\n\\tabcdefghijklmnop | line 2 | holds whitespace at column 1" + RULE,
        "abcdefghijklmnop0123\\u0020  | line 1 | holds whitespace at column 21" + RULE,
        "abcdefghijklmnop\\u00a00     | line 1 | holds whitespace at column 17" + RULE,
        "abcdefghijklmnop\\u00070     | line 1 | holds a control character at column 17" + RULE,
        "abcd\\u00e9fghijklmnopq      | line 1 | holds a character a bearer token cannot hold at column 5" + RULE,
        "abcdefghijklmnop=x           | line 1 | holds '=' before its end (= is only padding) at column 17" + RULE,
        "abcdefghij:klmnop            | line 1 | holds a character a bearer token cannot hold at column 11" + RULE,
        "====                         | line 1 | is only = padding" + RULE,
        "\\n\\n# short\\nshort-token  | line 4 | is 11 characters long; it must have at least 16, or it can be guessed",
    })
    void refusesALineThatIsNotAToken(String content, String line, String problem) throws Exception {
        Path tokens = file(unescape(content.strip()) + "\n");

        assertThatThrownBy(() -> BearerTokens.load(tokens))
                .isInstanceOf(TokenFileException.class)
                .hasMessage(line + " of token file '" + tokens + "': the token " + problem)
                .hasMessageNotContaining("abcdefghijklmnop").hasMessageNotContaining("short-token");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"''", "'# only a comment\\n\\n   \\n'"})
    void refusesAFileWithoutAToken(String content) throws Exception {
        Path tokens = file(unescape(content));

        assertThatThrownBy(() -> BearerTokens.load(tokens)).isInstanceOf(TokenFileException.class)
                .hasMessage("token file '" + tokens + "' holds no token, only blank lines and # comments; put one"
                        + " bearer token on each line");
    }

    @Test
    void saysWhyAFileCannotBeRead() throws Exception {
        Path missing = dir.resolve("missing");
        Path latin1 = Files.write(dir.resolve("latin1"), "abcdefghijklmnop\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        byte[] large = new byte[(int) BearerTokens.MAX_FILE_BYTES + 1];
        Arrays.fill(large, (byte) 'a');
        Path huge = Files.write(dir.resolve("huge"), large);

        assertThatThrownBy(() -> BearerTokens.load(missing)).isInstanceOf(TokenFileException.class)
                .hasMessage("cannot read token file '" + missing + "': no such file");
        assertThatThrownBy(() -> BearerTokens.load(dir)).isInstanceOf(TokenFileException.class)
                .hasMessage("cannot read token file '" + dir + "': it is a directory");
        assertThatThrownBy(() -> BearerTokens.load(latin1)).isInstanceOf(TokenFileException.class)
                .hasMessage("cannot read token file '" + latin1 + "': it is not UTF-8 text");
        assertThatThrownBy(() -> BearerTokens.load(huge)).isInstanceOf(TokenFileException.class)
                .hasMessage("token file '" + huge + "' is larger than 1048576 bytes; it should hold bearer tokens,"
                        + " one per line");
    }

    @Test
    void takesTokensFromElsewhereAsStrictly() {
        BearerTokens tokens = BearerTokens.of(List.of("from-a-secret-store-01", "from-a-secret-store-02"));

        assertThat(tokens.accepts("from-a-secret-store-02")).isTrue();
        assertThat(tokens.accepts("from-a-secret-store-03")).isFalse();
        assertThat(BearerTokens.of(List.of("only-one-token-000")).toString()).isEqualTo("BearerTokens[1 token]");
        assertThatThrownBy(() -> BearerTokens.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at least one bearer token is needed, got none");
        assertThatThrownBy(() -> BearerTokens.of(List.of("from-a-secret-store-01", "from a secret store")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bearer token 2 of 2 holds whitespace at column 5" + RULE);
    }

    /** {@code \n}, {@code \t} and {@code \}{@code uXXXX} as Java writes them, for lines a CSV cannot hold. */
    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                if (next == 'n') {
                    out.append('\n');
                    i++;
                    continue;
                }
                if (next == 't') {
                    out.append('\t');
                    i++;
                    continue;
                }
                if (next == 'u') {
                    out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                    i += 5;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
