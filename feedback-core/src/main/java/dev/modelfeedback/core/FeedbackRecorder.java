package dev.modelfeedback.core;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Counts ground-truth feedback on one binary classifier into a confusion matrix and publishes it,
 * with accuracy, precision, recall and F1, to a Micrometer registry.
 *
 * <pre>{@code
 * MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("fraud", "v3").build();
 *
 * recorder.record(1, 0);          // predicted 1, turned out 0: a false positive
 * recorder.record(true, true);    // a true positive
 *
 * ClassificationSnapshot s = recorder.snapshot();
 * s.falsePositives();             // 1
 * s.precision();                  // 0.5
 * }</pre>
 *
 * <p>Thread-safe. {@link #record(int, int)} takes no lock and allocates nothing: it validates and
 * increments one {@link java.util.concurrent.atomic.LongAdder}. Counters are registered at 0 when the
 * recorder is built, so PromQL sums never miss a series.
 *
 * <p>The registry is the caller's; the recorder never touches {@code Metrics.globalRegistry}.
 */
public final class FeedbackRecorder {

    private final ModelId model;
    private final ConfusionCounter counter = new ConfusionCounter();
    private final ConfusionMatrixMetrics metrics;
    private final MeterRegistry registry;

    private FeedbackRecorder(MeterRegistry registry, ModelId model) {
        this.registry = registry;
        this.model = model;
        this.metrics = new ConfusionMatrixMetrics(counter, model);
    }

    /**
     * Starts building a recorder that registers its meters in {@code registry}.
     *
     * @param registry the registry to publish to; owned by the caller
     * @return a builder for model {@code default}, version {@code unknown}
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Counts one piece of feedback.
     *
     * @param prediction what the model predicted, 0 or 1
     * @param actual what turned out to be true, 0 or 1
     * @throws IllegalArgumentException if either value is not 0 or 1; nothing is counted then
     */
    public void record(int prediction, int actual) {
        counter.increment(Outcome.of(prediction, actual));
    }

    /**
     * Counts one piece of feedback, with {@code true} as the positive class.
     *
     * @param prediction what the model predicted
     * @param actual what turned out to be true
     */
    public void record(boolean prediction, boolean actual) {
        counter.increment(Outcome.of(prediction, actual));
    }

    /**
     * Counts one piece of feedback already classified into its cell.
     *
     * @param outcome the confusion-matrix cell
     */
    public void record(Outcome outcome) {
        counter.increment(Objects.requireNonNull(outcome, "outcome"));
    }

    /** Adds a tallied batch; {@link FeedbackBatch} is the public way in. */
    void add(ConfusionTally tally) {
        counter.add(tally);
    }

    /**
     * Reads the confusion matrix once and derives the metrics from that read.
     *
     * @return the counts so far and the metrics derived from them
     */
    public ClassificationSnapshot snapshot() {
        return counter.snapshot();
    }

    /** The model this recorder counts for. */
    public ModelId model() {
        return model;
    }

    /**
     * Removes this recorder's meters from the registry. Recording afterwards still counts into
     * {@link #snapshot()} but is no longer published.
     */
    public void unregister() {
        synchronized (registry) {
            metrics.unbind(registry);
        }
    }

    @Override
    public String toString() {
        return "FeedbackRecorder[" + model + ", " + snapshot() + "]";
    }

    /**
     * Configures a {@link FeedbackRecorder}. Not thread-safe; build once at start-up.
     */
    public static final class Builder {

        private final MeterRegistry registry;
        private ModelId model = ModelId.DEFAULT;
        private boolean modelSet;

        private Builder(MeterRegistry registry) {
            this.registry = registry;
        }

        /**
         * Names the model, which becomes the {@code model} and {@code model_version} tags.
         *
         * @param name the model's name, see {@link ModelId} for the allowed characters
         * @param version the model's version
         * @return this builder
         * @throws IllegalArgumentException if the name or version is invalid, or the model was
         *     already set
         */
        public Builder model(String name, String version) {
            return model(new ModelId(name, version));
        }

        /**
         * Names the model, which becomes the {@code model} and {@code model_version} tags.
         *
         * @param model the model
         * @return this builder
         * @throws IllegalArgumentException if the model was already set
         */
        public Builder model(ModelId model) {
            Objects.requireNonNull(model, "model");
            if (modelSet) {
                throw new IllegalArgumentException("model was already set to " + this.model);
            }
            this.model = model;
            this.modelSet = true;
            return this;
        }

        /**
         * Builds the recorder and registers its meters, counters at 0.
         *
         * @return the recorder
         * @throws IllegalStateException if the registry already has a recorder for this model and
         *     version: two recorders would silently share one series
         */
        public FeedbackRecorder build() {
            FeedbackRecorder recorder = new FeedbackRecorder(registry, model);
            // Check-then-register must be atomic, or two threads could build the same model and
            // the loser would count into a matrix no meter reads. Building is rare; the lock is cheap.
            synchronized (registry) {
                if (registry.find(ConfusionMatrixMetrics.TRUE_POSITIVES)
                        .tag(ConfusionMatrixMetrics.TAG_MODEL, model.name())
                        .tag(ConfusionMatrixMetrics.TAG_MODEL_VERSION, model.version())
                        .meter() != null) {
                    throw new IllegalStateException("a recorder for model " + Texts.quote(model.name())
                            + " version " + Texts.quote(model.version()) + " is already registered in this registry");
                }
                recorder.metrics.bindTo(registry);
            }
            return recorder;
        }
    }
}
