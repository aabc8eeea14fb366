package dev.modelfeedback.core.metrics;

import dev.modelfeedback.core.matrix.ClassLabels;
import dev.modelfeedback.core.matrix.ConfusionCounter;
import dev.modelfeedback.core.matrix.ConfusionMatrix;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
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
    /** The matrix the gauges read (6 averages and 3 per class), one snapshot per scrape. */
    private final ScrapeShare<ConfusionMatrix> shared;

    /**
     * @param counter the recorder's matrix
     * @param classes its classes
     */
    public ClassMeters(ConfusionCounter counter, ClassLabels classes) {
        this.counter = counter;
        this.classes = classes;
        this.shared = new ScrapeShare<>(counter::snapshot, 6 + 3 * classes.size());
    }

    @Override
    public void register(MeterGroup meters) {
        int k = classes.size();
        for (int actual = 0; actual < k; actual++) {
            for (int predicted = 0; predicted < k; predicted++) {
                int cell = actual * k + predicted;
                Tags tags = meters.tags().and(TAG_ACTUAL, classes.label(actual), TAG_PREDICTED, classes.label(predicted));
                meters.add(registry -> FunctionCounter.builder(CONFUSION, counter, c -> c.count(cell))
                        .description("Feedback by actual and predicted class: the confusion matrix, rows = actual.")
                        .tags(tags)
                        .register(registry));
            }
        }
        gauge(meters, BinaryMeters.ACCURACY, Tags.empty(), ConfusionMatrix::accuracy,
                "Share of feedback the model got right over the life of this process; NaN before any feedback.");
        gauge(meters, "model.balanced.accuracy", Tags.empty(), ConfusionMatrix::balancedAccuracy,
                "Mean recall over the classes with support, over the life of this process.");
        gauge(meters, "model.macro.precision", Tags.empty(), ConfusionMatrix::macroPrecision,
                "Mean precision over the classes ever predicted, over the life of this process.");
        gauge(meters, "model.macro.recall", Tags.empty(), ConfusionMatrix::macroRecall,
                "Mean recall over the classes with support, over the life of this process.");
        gauge(meters, "model.macro.f1", Tags.empty(), ConfusionMatrix::macroF1,
                "Mean F1 over the classes where it is defined, over the life of this process.");
        gauge(meters, "model.weighted.f1", Tags.empty(), ConfusionMatrix::weightedF1,
                "Mean F1 weighted by support, over the life of this process.");
        for (int c = 0; c < k; c++) {
            int index = c;
            Tags classTag = Tags.of(TAG_CLASS, classes.label(c));
            gauge(meters, "model.class.precision", classTag, m -> m.precision(index),
                    "Share of the predictions of this class that were right, over the life of this process;"
                            + " NaN before it is predicted.");
            gauge(meters, "model.class.recall", classTag, m -> m.recall(index),
                    "Share of the items of this class the model found, over the life of this process;"
                            + " NaN before one is seen.");
            gauge(meters, "model.class.f1", classTag, m -> m.f1(index),
                    "F1 of this class against all others, over the life of this process.");
        }
    }

    private void gauge(MeterGroup meters, String name, Tags extra, ToDoubleFunction<ConfusionMatrix> metric,
            String description) {
        meters.add(registry -> Gauge.builder(name, shared, m -> metric.applyAsDouble(m.read()))
                .description(description)
                .tags(meters.tags().and(extra))
                .strongReference(true)
                .register(registry));
    }
}
