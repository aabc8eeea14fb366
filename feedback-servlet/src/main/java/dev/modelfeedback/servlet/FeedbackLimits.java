package dev.modelfeedback.servlet;

/**
 * Bounds on what one request may carry.
 *
 * @param maxBodyBytes the largest body accepted, enforced while reading (chunked bodies included),
 *     not only from {@code Content-Length}
 * @param maxBatchItems the most feedback items in one batch
 */
public record FeedbackLimits(long maxBodyBytes, int maxBatchItems) {

    /** 1 MiB bodies, batches of up to 10,000 items. */
    public static final FeedbackLimits DEFAULT = new FeedbackLimits(1024 * 1024, 10_000);

    /**
     * @throws IllegalArgumentException if a limit is not positive
     */
    public FeedbackLimits {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        if (maxBatchItems < 1) {
            throw new IllegalArgumentException("maxBatchItems must be positive, got " + maxBatchItems);
        }
    }
}
