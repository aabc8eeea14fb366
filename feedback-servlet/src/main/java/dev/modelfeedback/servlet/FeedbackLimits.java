package dev.modelfeedback.servlet;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what one request may carry.
 *
 * @param maxBodyBytes the largest body accepted, enforced while reading (chunked bodies included),
 *     not only from {@code Content-Length}
 * @param maxBatchItems the most feedback items in one batch
 * @param bodyTimeout the longest a client may take to send its body, from the request's arrival
 *     to its last byte; later, the request is answered {@code 408} and nothing is counted (see
 *     {@link BodyReceiver})
 */
public record FeedbackLimits(long maxBodyBytes, int maxBatchItems, Duration bodyTimeout) {

    /** The default deadline for a body: ample for 1 MiB from a model server in the same network. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);

    /** 1 MiB bodies, batches of up to 10,000 items, bodies within 10 seconds. */
    public static final FeedbackLimits DEFAULT = new FeedbackLimits(1024 * 1024, 10_000, DEFAULT_BODY_TIMEOUT);

    /**
     * With the default body deadline.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public FeedbackLimits(long maxBodyBytes, int maxBatchItems) {
        this(maxBodyBytes, maxBatchItems, DEFAULT_BODY_TIMEOUT);
    }

    /**
     * @throws IllegalArgumentException if a limit is not positive, or the deadline is under a
     *     millisecond
     */
    public FeedbackLimits {
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        if (bodyTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("bodyTimeout must be at least 1 ms, got " + bodyTimeout);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        if (maxBatchItems < 1) {
            throw new IllegalArgumentException("maxBatchItems must be positive, got " + maxBatchItems);
        }
    }
}
