package dev.modelfeedback.core.join;

import dev.modelfeedback.core.metrics.MeterGroup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code feedback_unmatched_total{reason}} (registered at 0), {@code feedback_pending_predictions{scope}}
 * and {@code feedback_label_delay_seconds} of one model. The store tells expired and evicted predictions; the recorder tells unknown ids.
 *
 * <p>Thread-safe.
 */
public final class JoinMeters {

    private final Map<UnmatchedReason, Counter> unmatched = new EnumMap<>(UnmatchedReason.class);
    private final LabelDelayMeter labelDelay;

    /**
     * Registers the meters of a recorder's joins in its group, and listens to the store for its
     * model's unmatched predictions.
     *
     * @param meters the recorder's meters
     * @param store where its predictions wait
     * @param namespace its namespace in the store
     */
    public JoinMeters(MeterGroup meters, PendingStore store, String namespace) {
        for (UnmatchedReason reason : UnmatchedReason.values()) {
            unmatched.put(reason, meters.add(registry -> Counter.builder("feedback.unmatched")
                    .description("Feedback that could not be counted for want of its other half: an actual value with no"
                            + " stored prediction (unknown), or a prediction that expired or was evicted before its actual"
                            + " value arrived.")
                    .tags(meters.tags()).tag("reason", reason.tag())
                    .register(registry)));
        }
        meters.add(registry -> Gauge.builder("feedback.pending.predictions", store, s -> s.pending(namespace))
                .description("Predictions stored by id that wait for their actual values: this replica's"
                        + " (scope replica, sum them) or every replica's (scope shared, take one).")
                .tags(meters.tags()).tag("scope", store.shared() ? "shared" : "replica")
                .strongReference(true).register(registry));
        labelDelay = new LabelDelayMeter(meters);
        store.onUnmatched(namespace, this::count);
    }

    /** Counts the delay of one actual value that joined its stored prediction. */
    public void labelDelay(long delayMillis, long nowMillis) {
        labelDelay.record(delayMillis, nowMillis);
    }

    public LabelDelay labelDelay() {
        return labelDelay.snapshot();
    }

    public void count(UnmatchedReason reason, long count) {
        unmatched.get(reason).increment(count);
    }

    public long count(UnmatchedReason reason) {
        return (long) unmatched.get(reason).count();
    }
}
