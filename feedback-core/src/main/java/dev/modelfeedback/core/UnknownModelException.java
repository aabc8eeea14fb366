package dev.modelfeedback.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when feedback names a model that a {@link ModelSet} does not serve and may not create:
 * not on the allowlist, over the cap, or missing where no default model exists.
 *
 * <p>The message is safe to answer to the caller: it names the model asked for and nothing of the
 * server's configuration. {@link #detail()} says why, for the server's own log.
 */
public final class UnknownModelException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final @Nullable String model;
    private final String detail;

    UnknownModelException(@Nullable String model, String message, String detail) {
        super(message);
        this.model = model;
        this.detail = detail;
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
