package dev.modelfeedback.core.metrics;

import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.ConfusionCounter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.util.function.ToDoubleFunction;

/**
 * Registers the meters of a binary model: the seed's presentation of its 2&times;2 matrix.
 *
 * <p>As scraped by Prometheus: {@code true_positives_total}, {@code true_negatives_total},
 * {@code false_positives_total}, {@code false_negatives_total} (counters) and
 * {@code model_accuracy}, {@code model_precision}, {@code model_recall}, {@code model_f1_score}
 * (gauges, lifetime of the process, NaN where undefined), each tagged {@code model} and
 * {@code model_version}.
 *
 * <p>The counters read the {@link ConfusionCounter}'s cells, so they exist (at 0) from the moment
 * of registering. The gauges hold the counter strongly: a gauge over a collected object would silently
 * report NaN. Each gauge reading takes one snapshot, so it is consistent with itself.
 */
public final class BinaryMeters implements MatrixMeters {

    public static final String TRUE_POSITIVES = "true.positives";
    public static final String TRUE_NEGATIVES = "true.negatives";
    public static final String FALSE_POSITIVES = "false.positives";
    public static final String FALSE_NEGATIVES = "false.negatives";
    public static final String ACCURACY = "model.accuracy";
    public static final String PRECISION = "model.precision";
    public static final String RECALL = "model.recall";
    public static final String F1_SCORE = "model.f1.score";

    /** The cells of the binary matrix, {@code actual * 2 + prediction}. */
    private static final int TN = 0;
    private static final int FP = 1;
    private static final int FN = 2;
    private static final int TP = 3;

    private final ConfusionCounter counter;

    /** @param counter the recorder's matrix, of two classes */
    public BinaryMeters(ConfusionCounter counter) {
        this.counter = counter;
    }

    @Override
    public void register(MeterGroup meters) {
        cell(meters, TRUE_POSITIVES, TP, "Feedback where the model predicted 1 and the actual value was 1.");
        cell(meters, TRUE_NEGATIVES, TN, "Feedback where the model predicted 0 and the actual value was 0.");
        cell(meters, FALSE_POSITIVES, FP, "Feedback where the model predicted 1 but the actual value was 0.");
        cell(meters, FALSE_NEGATIVES, FN, "Feedback where the model predicted 0 but the actual value was 1.");
        gauge(meters, ACCURACY, ClassificationSnapshot::accuracy,
                "Share of feedback the model got right over the life of this process; NaN before any feedback.");
        gauge(meters, PRECISION, ClassificationSnapshot::precision,
                "Share of the model's positive predictions that were right over the life of this process;"
                        + " NaN before any positive prediction.");
        gauge(meters, RECALL, ClassificationSnapshot::recall,
                "Share of actual positives the model found over the life of this process;"
                        + " NaN before any actual positive.");
        gauge(meters, F1_SCORE, ClassificationSnapshot::f1,
                "Harmonic mean of precision and recall, 2TP/(2TP+FP+FN), over the life of this process;"
                        + " NaN before any positive prediction or actual positive.");
    }

    private void cell(MeterGroup meters, String name, int cell, String description) {
        meters.add(registry -> FunctionCounter.builder(name, counter, c -> c.count(cell))
                .description(description)
                .tags(meters.tags())
                .register(registry));
    }

    private void gauge(MeterGroup meters, String name, ToDoubleFunction<ClassificationSnapshot> metric,
            String description) {
        meters.add(registry -> Gauge.builder(name, counter, c -> metric.applyAsDouble(c.binarySnapshot()))
                .description(description)
                .tags(meters.tags())
                .strongReference(true)
                .register(registry));
    }
}
