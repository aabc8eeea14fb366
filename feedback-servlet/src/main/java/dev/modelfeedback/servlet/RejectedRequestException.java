package dev.modelfeedback.servlet;

import java.util.Objects;

/**
 * A request refused for bad input, with the reason and a message for the client that names what is
 * wrong (the field, the item, the value and what was expected). Carries no stack trace: it is
 * control flow for bad input, not a fault, and a client sending bad input must not make the server
 * pay for stack walks.
 */
public final class RejectedRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectionReason reason;

    /**
     * @param reason why the request is refused; decides the status and the metric's tag
     * @param message what is wrong, for the client; untrusted text in it must be
     *     {@linkplain dev.modelfeedback.core.model.Texts#quote(String) quoted}
     */
    public RejectedRequestException(RejectionReason reason, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the request was refused. */
    public RejectionReason reason() {
        return reason;
    }
}
