package dev.modelfeedback.core;

/**
 * Thrown when feedback names a model that a {@link FeedbackRecorders} does not serve and may not
 * create: not on the allowlist, over the cap, or missing where no default model exists.
 */
public final class UnknownModelException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    UnknownModelException(String message) {
        super(message);
    }
}
