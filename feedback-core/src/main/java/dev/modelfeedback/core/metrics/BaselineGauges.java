package dev.modelfeedback.core.metrics;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.matrix.Metric;
import io.micrometer.core.instrument.Gauge;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code model_baseline{model, model_version, metric}}: the baseline of each metric that has one,
 * NaN while a reference period is still open. The gauges hold the baseline's holder strongly.
 */
public final class BaselineGauges {

    public static final String NAME = "model.baseline";

    private BaselineGauges() {
    }

    /**
     * Registers one gauge per metric in the recorder's group.
     *
     * @param meters the recorder's meters
     * @param metrics the metrics that have, or will have, a baseline
     * @param baseline holds the baseline now; the gauges hold it strongly
     */
    public static void register(MeterGroup meters, Set<Metric> metrics, AtomicReference<Baseline> baseline) {
        for (Metric metric : metrics) {
            meters.add(registry -> Gauge.builder(NAME, baseline, b -> b.get().value(metric).orElse(Double.NaN))
                    .description("The value the model is expected to reach in this metric, measured offline or over a"
                            + " reference period of live feedback; NaN until known.")
                    .tags(meters.tags())
                    .tag("metric", metric.key())
                    .strongReference(true)
                    .register(registry));
        }
    }
}
