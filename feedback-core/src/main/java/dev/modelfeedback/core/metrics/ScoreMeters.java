package dev.modelfeedback.core.metrics;

import dev.modelfeedback.core.matrix.ClassLabels;
import dev.modelfeedback.core.scores.CalibrationBins;
import dev.modelfeedback.core.scores.ScoreCounter;
import dev.modelfeedback.core.scores.ScoreCounts;
import dev.modelfeedback.core.scores.ScoreLayout;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Registers the meters of a model's scored feedback, once its first scored item arrives (a model
 * that never sends a score costs no series). Counters, summable across replicas, from which the
 * recording rules compute fleet ROC AUC, log loss, Brier score and calibration error:
 * <ul>
 *   <li>binary: {@code model_score_buckets_total{actual, le}}, scored feedback with that actual
 *       value and a score at most {@code le} (cumulative, as a classic histogram's buckets, the
 *       {@link ScoreLayout} bounds and {@code +Inf}; not {@code _bucket}, a suffix the Prometheus
 *       client reserves for its own histograms); with declared classes
 *       {@code model_class_score_buckets_total{class, positive, le}}, the items of that class
 *       ({@code positive="true"}) or of the others ({@code "false"}) whose probability of the class
 *       is at most {@code le};
 *   <li>{@code model_scored_total}, {@code model_log_loss_sum_total}, {@code model_brier_score_sum_total};
 *   <li>per {@link CalibrationBins calibration bin} ({@code bin="0.0-0.1"} ...):
 *       {@code model_calibration_items_total}, {@code model_calibration_positives_total},
 *       {@code model_calibration_score_sum_total}.
 * </ul>
 * Gauges over the life of the process, NaN where undefined: {@code model_roc_auc},
 * {@code model_average_precision} (macro averages with declared classes, which also get
 * {@code model_class_roc_auc{class}} and {@code model_class_average_precision{class}}),
 * {@code model_log_loss}, {@code model_brier_score}, {@code model_calibration_error}.
 *
 * <p>Series: 2 &times; {@value ScoreLayout#BUCKETS} + 38 for a binary model, 2K &times;
 * {@value ScoreLayout#BUCKETS} + 2K + 38 for K declared classes. Every meter of one scrape reads one
 * snapshot.
 */
public final class ScoreMeters {

    public static final String SCORE_BUCKET = "model.score.buckets";
    public static final String CLASS_SCORE_BUCKET = "model.class.score.buckets";
    public static final String SCORED = "model.scored";
    public static final String LOG_LOSS_SUM = "model.log.loss.sum";
    public static final String BRIER_SUM = "model.brier.score.sum";
    public static final String CALIBRATION_ITEMS = "model.calibration.items";
    public static final String CALIBRATION_POSITIVES = "model.calibration.positives";
    public static final String CALIBRATION_SCORE_SUM = "model.calibration.score.sum";
    public static final String ROC_AUC = "model.roc.auc";
    public static final String AVERAGE_PRECISION = "model.average.precision";
    public static final String LOG_LOSS = "model.log.loss";
    public static final String BRIER = "model.brier.score";
    public static final String CALIBRATION_ERROR = "model.calibration.error";
    public static final String TAG_LE = "le";
    public static final String TAG_BIN = "bin";
    public static final String TAG_POSITIVE = "positive";

    private final ClassLabels classes;
    private final boolean binary;
    private final ScrapeShare<Cumulative> shared;

    /** One scrape's snapshot, with each row's buckets summed up to every bound. */
    private static final class Cumulative {
        final ScoreCounts counts;
        final long[] cumulative;

        Cumulative(ScoreCounts counts) {
            this.counts = counts;
            this.cumulative = new long[counts.rows() * 2 * ScoreLayout.BUCKETS];
            for (int row = 0; row < counts.rows(); row++) {
                for (int positive = 0; positive < 2; positive++) {
                    int offset = (2 * row + positive) * ScoreLayout.BUCKETS;
                    long sum = 0;
                    for (int b = 0; b < ScoreLayout.BUCKETS; b++) {
                        sum += counts.bucket(row, positive == 1, b);
                        cumulative[offset + b] = sum;
                    }
                }
            }
        }
    }

    /**
     * @param counter the recorder's scored feedback
     * @param classes the model's classes
     * @param binary whether the model is binary (else it declared its classes)
     */
    public ScoreMeters(ScoreCounter counter, ClassLabels classes, boolean binary) {
        this.classes = classes;
        this.binary = binary;
        int rows = binary ? 1 : classes.size();
        int readers = rows * 2 * ScoreLayout.BUCKETS + 3 + 3 * CalibrationBins.BINS + 5 + (binary ? 0 : 2 * rows);
        this.shared = new ScrapeShare<>(() -> new Cumulative(counter.snapshot()), readers);
    }

    /** Registers every meter in the group. */
    public void register(MeterGroup meters) {
        List<String> bounds = ScoreLayout.labels();
        int rows = binary ? 1 : classes.size();
        for (int row = 0; row < rows; row++) {
            for (int positive = 0; positive < 2; positive++) {
                Tags rowTags = binary ? Tags.of(ClassMeters.TAG_ACTUAL, Integer.toString(positive))
                        : Tags.of(ClassMeters.TAG_CLASS, classes.label(row), TAG_POSITIVE, Boolean.toString(positive == 1));
                int offset = (2 * row + positive) * ScoreLayout.BUCKETS;
                for (int b = 0; b < ScoreLayout.BUCKETS; b++) {
                    int index = offset + b;
                    counter(meters, binary ? SCORE_BUCKET : CLASS_SCORE_BUCKET, rowTags.and(TAG_LE, bounds.get(b)),
                            c -> c.cumulative[index], binary
                                    ? "Scored feedback with this actual value and a score of class 1 at most le."
                                    : "Scored feedback of this class (positive) or of the others, by its probability"
                                            + " of the class: at most le.");
                }
            }
        }
        counter(meters, SCORED, Tags.empty(), c -> c.counts.n(), "Feedback that carried the model's scores.");
        counter(meters, LOG_LOSS_SUM, Tags.empty(), c -> c.counts.logLossSum(),
                "Sum of the log loss of scored feedback (natural log, probabilities clipped to [1e-15, 1 - 1e-15]).");
        counter(meters, BRIER_SUM, Tags.empty(), c -> c.counts.brierSum(), "Sum of the Brier score of scored feedback.");
        List<String> bins = CalibrationBins.labels();
        for (int bin = 0; bin < CalibrationBins.BINS; bin++) {
            int b = bin;
            Tags binTag = Tags.of(TAG_BIN, bins.get(bin));
            counter(meters, CALIBRATION_ITEMS, binTag, c -> c.counts.binItems(b),
                    "Scored feedback whose score (declared classes: of the predicted class) fell in this bin.");
            counter(meters, CALIBRATION_POSITIVES, binTag, c -> c.counts.binPositives(b),
                    "Scored feedback of this bin that was positive (declared classes: predicted right).");
            counter(meters, CALIBRATION_SCORE_SUM, binTag, c -> c.counts.binScores(b),
                    "Sum of the scores of this bin's scored feedback.");
        }
        gauge(meters, ROC_AUC, Tags.empty(), ScoreCounts::rocAuc, binary
                ? "ROC AUC of the score over the life of this process; NaN before a scored positive and negative."
                : "Mean one-vs-rest ROC AUC over the classes where it is defined, over the life of this process.");
        gauge(meters, AVERAGE_PRECISION, Tags.empty(), ScoreCounts::averagePrecision, binary
                ? "Average precision (area under the precision-recall curve) over the life of this process."
                : "Mean one-vs-rest average precision over the classes, over the life of this process.");
        gauge(meters, LOG_LOSS, Tags.empty(), ScoreCounts::logLoss, "Mean log loss over the life of this process.");
        gauge(meters, BRIER, Tags.empty(), ScoreCounts::brier, "Mean Brier score over the life of this process.");
        gauge(meters, CALIBRATION_ERROR, Tags.empty(), ScoreCounts::calibrationError,
                "Expected calibration error over ten equal-width bins, over the life of this process.");
        if (!binary) {
            for (int c = 0; c < rows; c++) {
                int row = c;
                Tags classTag = Tags.of(ClassMeters.TAG_CLASS, classes.label(c));
                gauge(meters, "model.class.roc.auc", classTag, s -> s.rocAuc(row),
                        "ROC AUC of this class's probability against the other classes, over the life of this process.");
                gauge(meters, "model.class.average.precision", classTag, s -> s.averagePrecision(row),
                        "Average precision of this class against the others, over the life of this process.");
            }
        }
    }

    private void counter(MeterGroup meters, String name, Tags extra, ToDoubleFunction<Cumulative> value,
            String description) {
        meters.add(registry -> FunctionCounter.builder(name, shared, s -> value.applyAsDouble(s.read()))
                .description(description)
                .tags(meters.tags().and(extra))
                .register(registry));
    }

    private void gauge(MeterGroup meters, String name, Tags extra, ToDoubleFunction<ScoreCounts> metric,
            String description) {
        meters.add(registry -> Gauge.builder(name, shared, s -> metric.applyAsDouble(s.read().counts))
                .description(description)
                .tags(meters.tags().and(extra))
                .strongReference(true)
                .register(registry));
    }
}
