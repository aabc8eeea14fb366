package dev.modelfeedback.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when feedback names a model that a {@link ModelSet} does not serve and may not create:
 * not on the allowlist, over the cap, missing where no default model exists, a version that is not
 * served, or no version for a name served in several.
 *
 * <p>The message is safe to answer to the caller: it names the model asked for and nothing of the
 * server's configuration. {@link #detail()} says why, for the server's own log.
 */
public final class UnknownModelException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final @Nullable String model;
    private final String detail;
    private final int index;

    UnknownModelException(@Nullable String model, String message, String detail) {
        this(model, message, detail, -1);
    }

    private UnknownModelException(@Nullable String model, String message, String detail, int index) {
        super(message);
        this.model = model;
        this.detail = detail;
        this.index = index;
    }

    /** The same failure, placed at {@code index} in a list of models asked for at once (-1: none). */
    UnknownModelException at(int index) {
        if (index == this.index) {
            return this;
        }
        UnknownModelException placed = new UnknownModelException(model, getMessage(), detail, index);
        placed.setStackTrace(getStackTrace());
        return placed;
    }

    /**
     * Where the model that failed is in the list given to {@link ModelSet#recorders(java.util.List)},
     * or -1 if the failure came from asking for one model.
     */
    public int index() {
        return index;
    }

    /** The model name asked for, or {@code null} if the feedback named none and there is no default. */
    public @Nullable String model() {
        return model;
    }

    /** Why the model is not served, in terms of the server's configuration: for logs, not for callers. */
    public String detail() {
        return detail;
    }
}
