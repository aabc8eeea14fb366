package dev.modelfeedback.servlet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code feedback_rejected_total{reason=...}}: refused feedback requests, one counter per
 * {@link RejectionReason}, all registered at 0 so that alerts and dashboards see every series.
 *
 * <p>Thread-safe.
 */
final class RejectionMetrics {

    static final String NAME = "feedback.rejected";

    private final Map<RejectionReason, Counter> counters = new EnumMap<>(RejectionReason.class);

    RejectionMetrics(MeterRegistry registry) {
        for (RejectionReason reason : RejectionReason.values()) {
            counters.put(reason, Counter.builder(NAME)
                    .description("Feedback requests refused, by reason. A refused request counts no feedback.")
                    .tag("reason", reason.tag())
                    .register(registry));
        }
    }

    void count(RejectionReason reason) {
        counters.get(reason).increment();
    }
}
