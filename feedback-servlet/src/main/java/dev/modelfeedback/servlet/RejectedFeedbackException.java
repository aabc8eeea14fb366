package dev.modelfeedback.servlet;

/**
 * A request the handler refuses, with the reason and a message for the client that names what is
 * wrong. Carries no stack trace: it is control flow for bad input, not a fault, and an attacker
 * sending bad input must not make the server pay for stack walks.
 */
final class RejectedFeedbackException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectionReason reason;

    RejectedFeedbackException(RejectionReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    RejectionReason reason() {
        return reason;
    }
}
