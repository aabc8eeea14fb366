package dev.modelfeedback.servlet;

/**
 * Why a request was refused: the {@code reason} tag of {@code feedback_rejected_total} (and of the
 * example's {@code predict_rejected_total}) and the HTTP status answered. A small fixed set, so the
 * tag can never grow from input.
 */
public enum RejectionReason {
    /** The body is not well-formed JSON (syntax, truncation, invalid UTF-8, limits of the parser). */
    MALFORMED_JSON("malformed_json", 400),
    /** The body could not be read to its end: the connection failed or the transfer encoding was broken. */
    UNREADABLE_BODY("unreadable_body", 400),
    /** Well-formed JSON that breaks the feedback format: a missing, unknown, duplicate or wrong-typed field. */
    INVALID_FEEDBACK("invalid_feedback", 400),
    /** Well-formed JSON that breaks the format of an endpoint other than {@code /feedback}. */
    INVALID_REQUEST("invalid_request", 400),
    /** A model the server does not serve and may not create. */
    UNKNOWN_MODEL("unknown_model", 400),
    /** The body or the batch is larger than the configured limit. */
    TOO_LARGE("too_large", 413),
    /** The body is not declared as JSON in UTF-8. */
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    /** An id already recorded with other values: the request is refused whole and changes nothing. */
    CONFLICT("conflict", 409),
    /**
     * The shared store of pending predictions cannot be reached (for example Redis is down):
     * nothing was counted, and the same request may be sent again later.
     */
    STORE_UNAVAILABLE("store_unavailable", 503),
    /**
     * The request carries no credentials, or wrong ones, where the server requires them (the
     * example server's {@code --auth-token-file}): answered with {@code WWW-Authenticate}.
     */
    UNAUTHORIZED("unauthorized", 401),
    /** The body did not arrive in full within the server's deadline (a slow or stalled client). */
    BODY_TIMEOUT("body_timeout", 408),
    /** A method the endpoint does not answer. */
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    /**
     * Not the client's fault: the server could not serve a valid request (for example, a model to
     * be created on demand is already registered in the registry by other code). Nothing was
     * counted; the details are in the server's log, never in the answer.
     */
    SERVER_ERROR("server_error", 500);

    private final String tag;
    private final int status;

    RejectionReason(String tag, int status) {
        this.tag = tag;
        this.status = status;
    }

    /** The value of the {@code reason} tag. */
    public String tag() {
        return tag;
    }

    /** The HTTP status answered for this reason. */
    public int status() {
        return status;
    }
}
