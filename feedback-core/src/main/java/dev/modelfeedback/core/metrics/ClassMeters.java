package dev.modelfeedback.core.metrics;

import dev.modelfeedback.core.matrix.ClassLabels;
import dev.modelfeedback.core.matrix.ConfusionCounter;
import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.model.ModelId;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Registers the meters of a model with declared classes: the K&times;K matrix and the metrics
 * derived from it. A model of K classes costs K&sup2; + 3K + 6 series.
 *
 * <p>As scraped by Prometheus: {@code model_confusion_total{actual, predicted}} (counters, all K&sup2;
 * cells at 0 from the start); {@code model_accuracy}, {@code model_balanced_accuracy},
 * {@code model_macro_precision}, {@code model_macro_recall}, {@code model_macro_f1},
 * {@code model_weighted_f1} (gauges over the life of the process, NaN where undefined); and
 * {@code model_class_precision{class}}, {@code model_class_recall{class}},
 * {@code model_class_f1{class}}; each tagged {@code model} and {@code model_version}.
 */
public final class ClassMeters implements MatrixMeters {

    public static final String CONFUSION = "model.confusion";
    public static final String TAG_ACTUAL = "actual";
    public static final String TAG_PREDICTED = "predicted";
    public static final String TAG_CLASS = "class";

    private final ConfusionCounter counter;
    private final ClassLabels classes;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();

    public ClassMeters(ConfusionCounter counter, ClassLabels classes, ModelId model) {
        this.counter = counter;
        this.classes = classes;
        this.tags = Tags.of(BinaryMeters.TAG_MODEL, model.name(),
                BinaryMeters.TAG_MODEL_VERSION, model.version());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        int k = classes.size();
        for (int actual = 0; actual < k; actual++) {
            for (int predicted = 0; predicted < k; predicted++) {
                int cell = actual * k + predicted;
                meters.add(FunctionCounter.builder(CONFUSION, counter, c -> c.count(cell))
                        .description("Feedback by actual and predicted class: the confusion matrix, rows = actual.")
                        .tags(tags)
                        .tag(TAG_ACTUAL, classes.label(actual))
                        .tag(TAG_PREDICTED, classes.label(predicted))
                        .register(registry));
            }
        }
        gauge(registry, BinaryMeters.ACCURACY, Tags.empty(), ConfusionMatrix::accuracy,
                "Share of feedback the model got right over the life of this process; NaN before any feedback.");
        gauge(registry, "model.balanced.accuracy", Tags.empty(), ConfusionMatrix::balancedAccuracy,
                "Mean recall over the classes with support, over the life of this process.");
        gauge(registry, "model.macro.precision", Tags.empty(), ConfusionMatrix::macroPrecision,
                "Mean precision over the classes ever predicted, over the life of this process.");
        gauge(registry, "model.macro.recall", Tags.empty(), ConfusionMatrix::macroRecall,
                "Mean recall over the classes with support, over the life of this process.");
        gauge(registry, "model.macro.f1", Tags.empty(), ConfusionMatrix::macroF1,
                "Mean F1 over the classes where it is defined, over the life of this process.");
        gauge(registry, "model.weighted.f1", Tags.empty(), ConfusionMatrix::weightedF1,
                "Mean F1 weighted by support, over the life of this process.");
        for (int c = 0; c < k; c++) {
            int index = c;
            Tags classTag = Tags.of(TAG_CLASS, classes.label(c));
            gauge(registry, "model.class.precision", classTag, m -> m.precision(index),
                    "Share of the predictions of this class that were right, over the life of this process;"
                            + " NaN before it is predicted.");
            gauge(registry, "model.class.recall", classTag, m -> m.recall(index),
                    "Share of the items of this class the model found, over the life of this process;"
                            + " NaN before one is seen.");
            gauge(registry, "model.class.f1", classTag, m -> m.f1(index),
                    "F1 of this class against all others, over the life of this process.");
        }
    }

    /** Removes every meter this binder registered. */
    @Override
    public void unbind(MeterRegistry registry) {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private void gauge(MeterRegistry registry, String name, Tags extra, ToDoubleFunction<ConfusionMatrix> metric,
            String description) {
        meters.add(Gauge.builder(name, counter, c -> metric.applyAsDouble(c.snapshot()))
                .description(description)
                .tags(tags.and(extra))
                .strongReference(true)
                .register(registry));
    }
}
