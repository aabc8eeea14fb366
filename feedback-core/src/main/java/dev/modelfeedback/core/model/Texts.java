package dev.modelfeedback.core.model;

/**
 * Helpers for putting untrusted values, such as request input, into answers and log lines.
 *
 * <p>Thread-safe (stateless).
 */
public final class Texts {

    /** The most code points of one value that {@link #quote(String)} shows. */
    public static final int MAX_QUOTED = 64;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Texts() {
    }

    /**
     * Quotes a value for an error message: at most {@value #MAX_QUOTED} code points of it, with
     * {@link #escape(String, int) every character that could forge or disguise text} escaped.
     *
     * @param value the untrusted value
     * @return the value in single quotes, followed by {@code ...} inside the quotes if it was cut
     */
    public static String quote(String value) {
        return '\'' + escape(value, MAX_QUOTED) + '\'';
    }

    /**
     * Bounds and escapes untrusted text so that it can neither flood a log, forge a log line, nor
     * make text read differently from how it is stored. Escaped as {@code \}{@code uXXXX}: C0 and C1
     * control characters and DEL; the line and paragraph separators U+2028 and U+2029; the bidi
     * controls U+061C, U+200E, U+200F, U+202A to U+202E and U+2066 to U+2069; and lone surrogates.
     * The cut falls between code points, never inside a surrogate pair.
     *
     * @param value the untrusted text
     * @param maxCodePoints how many code points to keep at most
     * @return the escaped text, ending in {@code ...} if it was cut
     */
    public static String escape(String value, int maxCodePoints) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), maxCodePoints) + 8);
        int i = 0;
        int kept = 0;
        while (i < value.length() && kept < maxCodePoints) {
            int codePoint = value.codePointAt(i);
            if (isUnsafe(codePoint)) {
                out.append("\\u").append(HEX[(codePoint >> 12) & 0xf]).append(HEX[(codePoint >> 8) & 0xf])
                        .append(HEX[(codePoint >> 4) & 0xf]).append(HEX[codePoint & 0xf]);
            } else {
                out.appendCodePoint(codePoint);
            }
            i += Character.charCount(codePoint);
            kept++;
        }
        if (i < value.length()) {
            out.append("...");
        }
        return out.toString();
    }

    private static boolean isUnsafe(int c) {
        return c < 0x20
                || (c >= 0x7f && c <= 0x9f)                  // DEL and the C1 controls, NEL (U+0085) among them
                || c == 0x2028 || c == 0x2029                // line and paragraph separators
                || c == 0x061c || c == 0x200e || c == 0x200f // bidi marks
                || (c >= 0x202a && c <= 0x202e)              // bidi embeddings and overrides
                || (c >= 0x2066 && c <= 0x2069)              // bidi isolates
                || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE); // a lone surrogate
    }
}
