package dev.modelfeedback.core.baseline;

import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.model.Texts;
import dev.modelfeedback.core.scores.ScoreCounts;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What the model is expected to achieve: the values of some of accuracy, precision, recall and F1
 * (binary models) or of accuracy and macro F1 (models with declared classes), and of ROC AUC and
 * log loss (either kind, from scored feedback), measured offline (on validation data) or over a
 * reference period of live feedback. Live performance is held against it: live is
 * {@linkplain #significantlyExceeds significantly below the baseline} in a metric when the upper
 * bound of its 95% interval (Wilson's; DeLong's for ROC AUC) is under the baseline value, so a few
 * unlucky feedbacks never count as a decline. Log loss, F1 and macro F1 have no interval: their
 * baselines are shown beside the live values, never judged.
 *
 * <pre>{@code
 * Baseline offline = Baseline.parse("accuracy=0.92,recall=0.85");
 * offline.value(Metric.ACCURACY);                        // OptionalDouble[0.92]
 * offline.significantlyExceeds(Metric.ACCURACY, lastHour); // whether live is significantly lower
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Baseline {

    /** No baseline: nothing to compare against. */
    public static final Baseline NONE = new Baseline(new EnumMap<>(Metric.class));

    private final Map<Metric, Double> values;

    private Baseline(EnumMap<Metric, Double> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * A baseline of the given values.
     *
     * @param values a value in [0, 1] per metric (log loss: a finite number of at least 0), any subset
     * @return the baseline
     * @throws IllegalArgumentException if a value is out of its range or not a number
     */
    public static Baseline of(Map<Metric, Double> values) {
        EnumMap<Metric, Double> copy = new EnumMap<>(Metric.class);
        values.forEach((metric, value) -> {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(value, metric.key());
            if (metric == Metric.LOG_LOSS) {
                if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException("baseline log_loss must be a finite number of at least 0, got " + value);
                }
            } else if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("baseline " + metric.key() + " must be between 0 and 1, got " + value);
            }
            copy.put(metric, value);
        });
        return new Baseline(copy);
    }

    /**
     * Parses {@code METRIC=VALUE[,METRIC=VALUE...]}, for example {@code accuracy=0.92,f1=0.8}.
     *
     * @param text the values
     * @return the baseline
     * @throws IllegalArgumentException naming the part that is not a known metric, not a number in
     *     [0, 1], or given twice
     */
    public static Baseline parse(String text) {
        EnumMap<Metric, Double> values = new EnumMap<>(Metric.class);
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("baseline must be METRIC=VALUE[,METRIC=VALUE...], got " + Texts.quote(text));
            }
            Metric metric = Metric.ofKey(part.substring(0, eq).trim());
            String number = part.substring(eq + 1).trim();
            double value;
            try {
                value = Double.parseDouble(number);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("baseline " + metric.key() + " must be a number "
                        + (metric == Metric.LOG_LOSS ? "of at least 0" : "between 0 and 1") + ", got " + Texts.quote(number), e);
            }
            if (values.put(metric, value) != null) {
                throw new IllegalArgumentException("baseline " + metric.key() + " is given twice in " + Texts.quote(text));
            }
        }
        return of(values);
    }

    /**
     * The baseline of a reference period: every metric the counts define.
     *
     * @param counts the feedback of the reference period
     * @return the baseline; a metric the counts leave undefined is absent
     */
    public static Baseline of(ClassificationSnapshot counts) {
        return of(counts.matrix(), Metric.BINARY);
    }

    /**
     * The baseline of a reference period: each of {@code metrics} that the counts define.
     *
     * @param counts the feedback of the reference period
     * @param metrics the metrics to take, for example {@link Metric#CLASSES}
     * @return the baseline; a metric the counts leave undefined is absent
     */
    public static Baseline of(ConfusionMatrix counts, Collection<Metric> metrics) {
        EnumMap<Metric, Double> values = new EnumMap<>(Metric.class);
        for (Metric metric : metrics) {
            double value = metric.of(counts);
            if (!Double.isNaN(value)) {
                values.put(metric, value);
            }
        }
        return new Baseline(values);
    }

    /**
     * The baseline of a reference period: each of {@code metrics} that the feedback defines, the
     * score metrics from its scored items.
     *
     * @param counts the feedback of the reference period
     * @param scores its scored items
     * @param metrics the metrics to take
     * @return the baseline; a metric the feedback leaves undefined is absent
     */
    public static Baseline of(ConfusionMatrix counts, ScoreCounts scores, Collection<Metric> metrics) {
        EnumMap<Metric, Double> values = new EnumMap<>(Metric.class);
        for (Metric metric : metrics) {
            double value = LiveMetrics.value(metric, counts, scores);
            if (!Double.isNaN(value)) {
                values.put(metric, value);
            }
        }
        return new Baseline(values);
    }

    /** The baseline value of one metric, if set. */
    public OptionalDouble value(Metric metric) {
        Double value = values.get(metric);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** The values set, by metric, in the order accuracy, precision, recall, F1, macro F1, ROC AUC, log loss. */
    public Map<Metric, Double> values() {
        return values;
    }

    /** Whether no value is set. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * Whether this baseline of {@code metric} is significantly above what {@code live} shows: the
     * upper bound of the live metric's 95% Wilson interval is under the baseline. Never for F1
     * (which has no such interval), for a metric without a baseline value, or without live trials.
     *
     * @param metric the metric
     * @param live the live feedback, for example of the last hour
     * @return whether live is significantly below the baseline
     */
    public boolean significantlyExceeds(Metric metric, ClassificationSnapshot live) {
        return significantlyExceeds(metric, live.matrix());
    }

    /**
     * As {@link #significantlyExceeds(Metric, ClassificationSnapshot)}, for a matrix of any number
     * of classes.
     *
     * @param metric the metric
     * @param live the live feedback
     * @return whether live is significantly below the baseline
     */
    public boolean significantlyExceeds(Metric metric, ConfusionMatrix live) {
        Double value = values.get(metric);
        if (value == null) {
            return false;
        }
        ConfidenceInterval interval = metric.interval(live);
        return interval.defined() && interval.upper() < value;
    }

    /**
     * As {@link #significantlyExceeds(Metric, ConfusionMatrix)}, for any metric including ROC AUC
     * (the upper bound of its DeLong interval under the baseline).
     *
     * @param metric the metric
     * @param live the live feedback
     * @param scores the same feedback's scored items
     * @return whether live is significantly below the baseline
     */
    public boolean significantlyExceeds(Metric metric, ConfusionMatrix live, ScoreCounts scores) {
        Double value = values.get(metric);
        if (value == null) {
            return false;
        }
        ConfidenceInterval interval = LiveMetrics.interval(metric, live, scores);
        return interval.defined() && interval.upper() < value;
    }

    /**
     * This baseline if each of its metrics applies to a model that has those metrics.
     *
     * @param model the model, for the message
     * @param metrics the model's metrics, {@link Metric#baselineMetrics(boolean)}
     * @return this baseline
     * @throws IllegalArgumentException naming the model and the first metric that does not apply
     */
    public Baseline requireApplies(ModelId model, Collection<Metric> metrics) {
        for (Metric metric : values.keySet()) {
            if (!metrics.contains(metric)) {
                throw new IllegalArgumentException("a baseline of model " + model + " may set "
                        + metrics.stream().map(Metric::key).collect(Collectors.joining(", ")) + ", not " + metric.key());
            }
        }
        return this;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Baseline that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Baseline" + values;
    }
}
