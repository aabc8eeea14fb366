package dev.modelfeedback.core;

/**
 * Helpers for putting untrusted values, such as request input, into error messages.
 *
 * <p>Thread-safe (stateless).
 */
public final class Texts {

    private static final int MAX_QUOTED = 64;

    private Texts() {
    }

    /**
     * Quotes a value for an error message, cut to a bounded length with control characters
     * escaped, so that hostile input can neither flood a log nor forge log lines.
     *
     * @param value the untrusted value
     * @return the value in single quotes, at most 64 characters of it
     */
    public static String quote(String value) {
        StringBuilder quoted = new StringBuilder(Math.min(value.length(), MAX_QUOTED) + 8).append('\'');
        int end = Math.min(value.length(), MAX_QUOTED);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        if (value.length() > MAX_QUOTED) {
            quoted.append("...");
        }
        return quoted.append('\'').toString();
    }
}
