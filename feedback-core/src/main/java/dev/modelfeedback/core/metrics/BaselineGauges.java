package dev.modelfeedback.core.metrics;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.matrix.Metric;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code model_baseline{model, model_version, metric}}: the baseline of each metric that has one,
 * NaN while a reference period is still open. The gauges hold the baseline's holder strongly.
 */
public final class BaselineGauges {

    public static final String NAME = "model.baseline";

    private final List<Meter> meters = new ArrayList<>(4);

    public BaselineGauges(MeterRegistry registry, Tags modelTags, Set<Metric> metrics, AtomicReference<Baseline> baseline) {
        for (Metric metric : metrics) {
            meters.add(Gauge.builder(NAME, baseline, b -> b.get().value(metric).orElse(Double.NaN))
                    .description("The value the model is expected to reach in this metric, measured offline or over a"
                            + " reference period of live feedback; NaN until known.")
                    .tags(modelTags)
                    .tag("metric", metric.key())
                    .strongReference(true)
                    .register(registry));
        }
    }

    public void unbind(MeterRegistry registry) {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
