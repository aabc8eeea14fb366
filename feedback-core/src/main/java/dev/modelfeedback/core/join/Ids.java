package dev.modelfeedback.core.join;

import dev.modelfeedback.core.model.Texts;

/**
 * The rules for prediction ids: 1 to {@value #MAX_LENGTH} characters of {@code A-Z a-z 0-9} and
 * {@code . _ - : / + = ~}, enough for UUIDs, ULIDs, request ids, base64url and composite keys such
 * as {@code order:1234/line:2}, and nothing that needs escaping in a log, a URL or a Redis key.
 */
public final class Ids {

    /** The longest id accepted. */
    public static final int MAX_LENGTH = 128;

    private Ids() {
    }

    /**
     * Checks an id.
     *
     * @param id the candidate
     * @return the id
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static String requireValid(String id) {
        if (id == null) {
            throw new IllegalArgumentException("id must not be null");
        }
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("id must be 1 to " + MAX_LENGTH + " characters long, got "
                    + id.length() + " characters");
        }
        for (int i = 0; i < id.length(); i++) {
            if (!allowed(id.charAt(i))) {
                throw new IllegalArgumentException("id may contain only letters, digits and . _ - : / + = ~, got "
                        + Texts.quote(id));
            }
        }
        return id;
    }

    private static final boolean[] ALLOWED = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            ALLOWED[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ".-_:/+=~".indexOf(c) >= 0;
        }
    }

    private static boolean allowed(char c) {
        return c < 128 && ALLOWED[c];
    }
}
