package dev.modelfeedback.core;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.baseline.ReferencePeriod;
import dev.modelfeedback.core.drift.DriftDetector;
import dev.modelfeedback.core.drift.DriftListener;
import dev.modelfeedback.core.drift.DriftMonitor;
import dev.modelfeedback.core.drift.DriftStatus;
import dev.modelfeedback.core.join.Ids;
import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.join.JoinCounts;
import dev.modelfeedback.core.join.JoinMeters;
import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.JoinResult;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.join.PendingStoreUnavailableException;
import dev.modelfeedback.core.join.UnmatchedReason;
import dev.modelfeedback.core.matrix.ClassLabels;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.ConfusionCounter;
import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.matrix.ConfusionTally;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.matrix.Outcome;
import dev.modelfeedback.core.metrics.BaselineGauges;
import dev.modelfeedback.core.metrics.BinaryMeters;
import dev.modelfeedback.core.metrics.ClassMeters;
import dev.modelfeedback.core.metrics.MatrixMeters;
import dev.modelfeedback.core.metrics.MeterGroup;
import dev.modelfeedback.core.metrics.ScoreMeters;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.model.Texts;
import dev.modelfeedback.core.scores.ScoreCounter;
import dev.modelfeedback.core.scores.ScoreCounts;
import dev.modelfeedback.core.scores.ScoreTally;
import dev.modelfeedback.core.scores.Scores;
import dev.modelfeedback.core.window.FeedbackCounts;
import dev.modelfeedback.core.window.SlidingWindows;
import dev.modelfeedback.core.window.Window;
import dev.modelfeedback.core.window.WindowClock;
import dev.modelfeedback.core.window.WindowCounts;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Counts ground-truth feedback on one classifier into a confusion matrix and publishes it, with the
 * metrics derived from it, to a Micrometer registry; keeps recent time windows (by default the last
 * 5 minutes and the last hour) and an optional baseline to hold them against.
 *
 * <p>A model is binary (values 0 and 1, class 1 positive; accuracy, precision, recall and F1) unless
 * it declares its classes, 2 to {@value ClassLabels#MAX_CLASSES} labels; then it is counted into a
 * K&times;K matrix with per-class and averaged metrics. A binary model is the K = 2 case of the same
 * counting path, presented with the seed's meter names.
 *
 * <pre>{@code
 * MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * FeedbackRecorder recorder = FeedbackRecorder.builder(registry)
 *         .model("fraud", "v3")
 *         .baseline(Baseline.parse("accuracy=0.92"))   // optional
 *         .build();
 *
 * recorder.record(1, 0);          // predicted 1, turned out 0: a false positive
 * recorder.record(true, true);    // a true positive
 *
 * ClassificationSnapshot s = recorder.snapshot();
 * s.falsePositives();             // 1
 * s.precision();                  // 0.5
 * ModelStatus status = recorder.status();   // windows, intervals, baseline
 *
 * FeedbackRecorder intent = FeedbackRecorder.builder(registry)
 *         .model("intent", "v2")
 *         .classes("billing", "tech", "sales")
 *         .build();
 * intent.record("tech", "billing");  // predicted tech, turned out billing
 * intent.record(1, 0);               // the same, by class index
 * intent.matrix().recall(0);         // billing's recall
 * }</pre>
 *
 * <p>Thread-safe. {@link #record(int, int)} takes no lock and allocates nothing: it validates and
 * increments one {@link java.util.concurrent.atomic.LongAdder}; windows cost it nothing (see
 * {@link SlidingWindows}). Counters are registered at 0 when the recorder is built, so PromQL sums
 * never miss a series.
 *
 * <p>The registry is the caller's; the recorder never touches {@code Metrics.globalRegistry}.
 */
public final class FeedbackRecorder {

    /** The windows every recorder keeps unless told otherwise: the last 5 minutes and the last hour. */
    public static final List<Window> DEFAULT_WINDOWS = List.of(Window.FIVE_MINUTES, Window.ONE_HOUR);

    /** The drift detectors every recorder runs unless told otherwise: HDDM_A (see the README for why). */
    public static final List<Supplier<? extends DriftDetector>> DEFAULT_DRIFT_DETECTORS =
            List.of(DriftDetector::hddmA);

    /** Serializes check-then-register of recorders: building is rare, and the registry is the caller's to lock. */
    private static final Object REGISTRATION = new Object();

    private final ModelId model;
    private final ClassLabels classes;
    /** The number of classes: 2 for a binary model. */
    private final int k;
    private final boolean declaresClasses;
    private final ConfusionCounter counter;
    /** The scored feedback: a binary model's score of class 1, or one probability per declared class. */
    private final ScoreCounter scores;
    /** Whether the score meters are registered: with the first scored item, so that a model without scores costs no series. */
    private volatile boolean scoreMeters;
    /** Set by {@link #unregister()}: no meter is registered after it. */
    private boolean unregistered;
    /** Every meter of this recorder: its matrix's, its baseline's, its detectors', its joins'. */
    private final MeterGroup meters;
    private final WindowClock clock;
    private final SlidingWindows windows;
    private final DriftMonitor drift;
    /** Whether any drift detector runs: a final field the JIT folds, so none costs nothing. */
    private final boolean detectingDrift;
    private final PendingStore pendingStore;
    /** This model's namespace in the pending store: name@version, with its classes' fingerprint if it declares any. */
    private final String namespace;
    private final JoinMeters joinMeters;
    private final AtomicReference<Baseline> baseline;
    /** Open while a reference period collects its items; null once it has them, or if there is none. */
    private volatile @Nullable ReferencePeriod referencePeriod;

    /** Called by {@link Builder#build()} only, under its lock: it registers the meters in {@code meters}. */
    private FeedbackRecorder(Builder builder, MeterGroup meters) {
        this.model = builder.model;
        this.meters = meters;
        this.clock = builder.clock;
        this.declaresClasses = builder.classes != null;
        this.classes = declaresClasses ? builder.classes : ClassLabels.BINARY;
        this.k = classes.size();
        this.counter = ConfusionCounter.of(classes);
        this.scores = declaresClasses ? ScoreCounter.ofClasses(k) : ScoreCounter.binary();
        MatrixMeters matrixMeters = declaresClasses ? new ClassMeters(counter, classes) : new BinaryMeters(counter);
        matrixMeters.register(meters);
        List<Metric> kindMetrics = Metric.baselineMetrics(declaresClasses);
        this.baseline = new AtomicReference<>(builder.baseline.requireApplies(model, kindMetrics));
        ScoreCounter scoresSoFar = scores;
        this.referencePeriod = builder.referenceSize > 0
                ? new ReferencePeriod(builder.referenceSize, classes, kindMetrics, scoresSoFar::snapshot, baseline::set) : null;
        Set<Metric> baselineMetrics = builder.referenceSize > 0 ? EnumSet.copyOf(kindMetrics)
                : builder.baseline.values().keySet();
        BaselineGauges.register(meters, baselineMetrics, baseline);
        List<DriftDetector> detectors = builder.driftDetectors.stream().<DriftDetector>map(Supplier::get).toList();
        // The registry holds the drift monitor (through its gauges) and with it this description:
        // it must not hold the recorder, or a recorder dropped by its owner could never be collected.
        SlidingWindows[] windowsOnceBuilt = new SlidingWindows[1];
        ConfusionCounter matrix = counter;
        ScoreCounter scored = scores;
        Supplier<FeedbackCounts> live = () -> new FeedbackCounts(matrix.snapshot(), scored.snapshot());
        this.drift = new DriftMonitor(model, detectors, builder.driftListener, clock,
                () -> describeRecentQuality(windowsOnceBuilt[0], live));
        this.detectingDrift = !detectors.isEmpty();
        this.pendingStore = builder.pendingStore != null ? builder.pendingStore
                : new InMemoryPendingStore(builder.pendingCapacity, builder.pendingTtl);
        // A store keeps class indices: a model whose classes change (reordered, added, removed)
        // starts a namespace of its own rather than join old predictions by stale indices.
        this.namespace = declaresClasses ? model + "/classes-" + classes.fingerprint() : model.toString();
        drift.register(meters);
        this.joinMeters = new JoinMeters(meters, pendingStore, namespace);
        PendingStore store = pendingStore;
        String ns = namespace;
        DriftMonitor monitor = drift;
        boolean driftOn = detectingDrift;
        WindowClock time = clock;
        // The tick holds neither this recorder nor its windows, for the same reason as above.
        this.windows = new SlidingWindows(builder.windows, clock, live, () -> {
            if (driftOn) {
                monitor.tick();
            }
            store.sweep(ns, time.millis());
        });
        windowsOnceBuilt[0] = windows;
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
     * @param prediction what the model predicted: 0 or 1, or for a model with declared classes the
     *     index of the predicted class in {@link #classes()}
     * @param actual what turned out to be true, likewise
     * @throws IllegalArgumentException if a value is not one of the model's; nothing is counted then
     */
    public void record(int prediction, int actual) {
        requireClasses(prediction, actual);
        count(actual * k + prediction, prediction != actual);
    }

    /**
     * Counts one piece of scored feedback of a binary model.
     *
     * <pre>{@code
     * recorder.record(1, 0, 0.83);   // predicted 1 with probability 0.83; it was 0
     * }</pre>
     *
     * @param prediction what the model predicted: 0 or 1
     * @param actual what turned out to be true: 0 or 1
     * @param score the model's probability of class 1, from 0 to 1
     * @throws IllegalArgumentException if a value is not 0 or 1, or the score not a probability;
     *     nothing is counted then
     * @throws IllegalStateException if the model declares classes (give its {@link Scores})
     */
    public void record(int prediction, int actual, double score) {
        requireClasses(prediction, actual);
        requireBinaryScore(score);
        scores.record(actual, score);
        scored();
        count(actual * k + prediction, prediction != actual);
    }

    /**
     * Counts one piece of feedback with the model's scores, or without if {@code scores} is null.
     *
     * @param prediction the predicted class's index (binary: 0 or 1)
     * @param actual the actual class's index
     * @param scores the model's scores: for a binary model {@link Scores#binary}, else
     *     {@link Scores#ofClasses} with one probability per declared class (see {@link #scores(Map)})
     * @throws IllegalArgumentException if a value is not one of the model's, or the scores are not of
     *     its kind; nothing is counted then
     */
    public void record(int prediction, int actual, @Nullable Scores scores) {
        requireClasses(prediction, actual);
        if (scores == null) {
            count(actual * k + prediction, prediction != actual);
            return;
        }
        requireScores(scores);
        this.scores.record(prediction, actual, scores);
        scored();
        count(actual * k + prediction, prediction != actual);
    }

    /**
     * As {@link #record(int, int, Scores)}, by class label.
     *
     * @throws IllegalArgumentException naming the model and the label if a label is not declared, or
     *     if the scores are not of the model's kind; nothing is counted then
     */
    public void record(String prediction, String actual, @Nullable Scores scores) {
        record(classIndex("prediction", prediction), classIndex("actual", actual), scores);
    }

    /**
     * The scores of a model with declared classes, by label: one probability per class.
     *
     * <pre>{@code
     * intent.record("billing", "billing", intent.scores(Map.of("billing", 0.7, "tech", 0.2, "sales", 0.1)));
     * }</pre>
     *
     * @param probabilities each declared class's probability, 0 to 1, summing to 1 within
     *     {@value Scores#SUM_TOLERANCE}
     * @return the scores, in the classes' order
     * @throws IllegalArgumentException naming the label if one is not declared or missing, or a
     *     probability is out of range or they do not sum to 1
     * @throws IllegalStateException if the model is binary (its score is one number)
     */
    public Scores scores(Map<String, Double> probabilities) {
        if (!declaresClasses) {
            throw new IllegalStateException("model " + model + " is binary: its score is one number, the probability of 1");
        }
        double[] values = new double[k];
        Arrays.fill(values, Double.NaN);
        for (Map.Entry<String, Double> entry : probabilities.entrySet()) {
            int index = classes.indexOf(Objects.requireNonNull(entry.getKey(), "label"));
            if (index < 0) {
                throw new IllegalArgumentException("scores: " + Texts.quote(entry.getKey()) + " is not a class of model " + model);
            }
            values[index] = Scores.requireProbability("scores." + entry.getKey(),
                    Objects.requireNonNull(entry.getValue(), entry.getKey()));
        }
        for (int c = 0; c < k; c++) {
            if (Double.isNaN(values[c])) {
                throw new IllegalArgumentException("scores must give every class of model " + model + " a probability; "
                        + Texts.quote(classes.label(c)) + " has none");
            }
        }
        return Scores.ofClasses(values);
    }

    /** Checks a binary model's score. */
    private void requireBinaryScore(double score) {
        if (declaresClasses) {
            throw new IllegalStateException("model " + model + " declares " + k + " classes: give one probability per class");
        }
        Scores.requireProbability("score", score);
    }

    /**
     * Checks that scores are of this model's kind: one number for a binary model, one probability
     * per class for declared classes.
     *
     * @throws IllegalArgumentException if they are not
     */
    void requireScores(Scores scores) {
        if (scores.binary() == declaresClasses || (declaresClasses && scores.size() != k)) {
            throw new IllegalArgumentException(declaresClasses
                    ? "model " + model + " declares " + k + " classes: its scores are " + k + " probabilities, got " + scores
                    : "model " + model + " is binary: its score is one number, the probability of 1, got " + scores);
        }
    }

    /** Checks that a tally of scores is of this model's kind. */
    void requireScores(ScoreTally tally) {
        if (tally.binary() == declaresClasses || (declaresClasses && tally.rows() != k)) {
            throw new IllegalArgumentException("a tally of scores of another kind of model cannot count for model " + model);
        }
    }

    /** Registers the score meters with the first scored item. */
    private void scored() {
        if (!scoreMeters) {
            registerScoreMeters();
        }
    }

    private void registerScoreMeters() {
        synchronized (REGISTRATION) {
            if (scoreMeters || unregistered) {
                return;
            }
            new ScoreMeters(scores, classes, !declaresClasses).register(meters);
            scoreMeters = true;
        }
    }

    /**
     * Counts one piece of feedback by class label.
     *
     * @param prediction the predicted class, one of {@link #classes()} (a binary model's are
     *     {@code "0"} and {@code "1"})
     * @param actual the actual class
     * @throws IllegalArgumentException naming the model and the label if a label is not declared;
     *     nothing is counted then
     */
    public void record(String prediction, String actual) {
        record(classIndex("prediction", prediction), classIndex("actual", actual));
    }

    /**
     * Counts one piece of feedback of a two-class model, with {@code true} as the positive class
     * (for declared classes, the second).
     *
     * @param prediction what the model predicted
     * @param actual what turned out to be true
     * @throws IllegalStateException if the model has more than two classes
     */
    public void record(boolean prediction, boolean actual) {
        requireTwoClasses();
        count((actual ? 2 : 0) + (prediction ? 1 : 0), prediction != actual);
    }

    /**
     * Counts one piece of feedback of a two-class model already classified into its cell.
     *
     * @param outcome the confusion-matrix cell
     * @throws IllegalStateException if the model has more than two classes
     */
    public void record(Outcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        requireTwoClasses();
        count(outcome.cell(), !outcome.correct());
    }

    /** Counts one item into its cell, {@code actual * K + prediction}. */
    private void count(int cell, boolean error) {
        counter.increment(cell);
        ReferencePeriod period = referencePeriod;
        if (period != null && !period.offer(cell)) {
            referencePeriod = null;
        }
        if (detectingDrift) {
            drift.offer(error);
        }
    }

    /** Kept out of {@link #record(int, int)} so that the hot path stays small enough to inline. */
    private IllegalArgumentException invalid(int prediction, int actual) {
        boolean badPrediction = prediction < 0 || prediction >= k;
        String field = badPrediction ? "prediction" : "actual";
        int value = badPrediction ? prediction : actual;
        return declaresClasses
                ? new IllegalArgumentException(field + " must be a class index from 0 to " + (k - 1) + " of model "
                        + model + ", got " + value)
                : new IllegalArgumentException(field + " must be 0 or 1, got " + value);
    }

    /**
     * Checks a prediction and an actual value by class index.
     *
     * @throws IllegalArgumentException if a value is not one of the model's
     */
    void requireClasses(int prediction, int actual) {
        if ((prediction | actual) < 0 || prediction >= k || actual >= k) {
            throw invalid(prediction, actual);
        }
    }

    /** Checks a prediction alone by class index. */
    void requirePrediction(int prediction) {
        requireClasses(prediction, 0);
    }

    /** Checks an actual value alone by class index. */
    void requireActual(int actual) {
        requireClasses(0, actual);
    }

    /** Checks that a tally counts this model's classes. */
    void requireClasses(ConfusionTally tally) {
        if (tally.classes() != classes && !tally.classes().equals(classes)) {
            throw new IllegalArgumentException("a tally of " + tally.classes().labels() + " cannot count for model "
                    + model + " of classes " + classes.labels());
        }
    }

    private void requireTwoClasses() {
        if (k != 2) {
            throw new IllegalStateException("model " + model + " has " + k + " classes; record by class");
        }
    }

    /**
     * The index of a class label.
     *
     * @param field what the label is, for the message: {@code prediction} or {@code actual}
     * @param label the label
     * @return its index in {@link #classes()}
     * @throws IllegalArgumentException naming the model and the label if the model has no such class
     */
    public int classIndex(String field, String label) {
        int index = classes.indexOf(Objects.requireNonNull(label, field));
        if (index < 0) {
            throw new IllegalArgumentException(field + " " + Texts.quote(label) + " is not a class of model " + model);
        }
        return index;
    }

    /**
     * Stores a prediction at inference time, to be joined with its actual value by
     * {@link #recordActual} when the truth arrives. Nothing is counted yet.
     *
     * @param id the prediction's id, see {@link Ids}
     * @param prediction what the model predicted: 0 or 1, or a declared class's index
     * @return {@link JoinOutcome#PENDING}; {@link JoinOutcome#DUPLICATE} if the id already has this
     *     prediction; {@link JoinOutcome#CONFLICT} if it has another one (nothing changed then)
     * @throws IllegalArgumentException if the id or the prediction is invalid
     * @throws PendingStoreUnavailableException if a shared store cannot be reached; nothing changed
     */
    public JoinOutcome recordPrediction(String id, int prediction) {
        requirePrediction(prediction);
        return join(JoinOperation.prediction(namespace, id, prediction));
    }

    /**
     * As {@link #recordPrediction(String, int)}, by class label.
     *
     * @throws IllegalArgumentException if the id is invalid or the label not declared
     */
    public JoinOutcome recordPrediction(String id, String prediction) {
        return recordPrediction(id, classIndex("prediction", prediction));
    }

    /**
     * Stores a binary model's prediction with its score, both counted when the actual value
     * arrives; a repeat with another score is a {@link JoinOutcome#CONFLICT}.
     *
     * @param id the prediction's id
     * @param prediction 0 or 1
     * @param score the model's probability of class 1, from 0 to 1
     * @return as {@link #recordPrediction(String, int)}
     * @throws IllegalArgumentException if the id, the prediction or the score is invalid
     * @throws IllegalStateException if the model declares classes
     */
    public JoinOutcome recordPrediction(String id, int prediction, double score) {
        requirePrediction(prediction);
        requireBinaryScore(score);
        return join(JoinOperation.prediction(namespace, id, prediction, Scores.binary(score)));
    }

    /**
     * Stores a prediction with the model's scores (or none, if null), both counted when the actual
     * value arrives; a repeat with other scores is a {@link JoinOutcome#CONFLICT}.
     *
     * @param id the prediction's id
     * @param prediction the predicted class's index
     * @param scores the model's scores, of its kind
     * @return as {@link #recordPrediction(String, int)}
     * @throws IllegalArgumentException if the id, the prediction or the scores are invalid
     */
    public JoinOutcome recordPrediction(String id, int prediction, @Nullable Scores scores) {
        requirePrediction(prediction);
        if (scores != null) {
            requireScores(scores);
        }
        return join(JoinOperation.prediction(namespace, id, prediction, scores));
    }

    /**
     * As {@link #recordPrediction(String, int, Scores)}, by class label.
     *
     * @throws IllegalArgumentException if the id is invalid, the label not declared or the scores invalid
     */
    public JoinOutcome recordPrediction(String id, String prediction, @Nullable Scores scores) {
        return recordPrediction(id, classIndex("prediction", prediction), scores);
    }

    /**
     * Counts the feedback of a stored prediction, now that its actual value is known.
     *
     * @param id the prediction's id
     * @param actual what turned out to be true: 0 or 1, or a declared class's index
     * @return {@link JoinOutcome#MATCHED} (counted); {@link JoinOutcome#DUPLICATE} (the same actual
     *     value again: not counted again); {@link JoinOutcome#CONFLICT} (another actual value for a
     *     joined id: nothing changed); {@link JoinOutcome#UNKNOWN} or {@link JoinOutcome#EXPIRED}
     *     (no prediction to join: counted in {@code feedback_unmatched_total})
     * @throws IllegalArgumentException if the id or the actual value is invalid
     * @throws PendingStoreUnavailableException if a shared store cannot be reached; nothing changed
     */
    public JoinOutcome recordActual(String id, int actual) {
        requireActual(actual);
        return join(JoinOperation.actual(namespace, id, actual));
    }

    /**
     * As {@link #recordActual(String, int)}, by class label.
     *
     * @throws IllegalArgumentException if the id is invalid or the label not declared
     */
    public JoinOutcome recordActual(String id, String actual) {
        return recordActual(id, classIndex("actual", actual));
    }

    /**
     * Counts complete feedback once, whatever the retries: the same id with the same values again
     * is acknowledged and not counted; with other values it is a conflict and changes nothing. An
     * id that has a stored prediction is joined with it, if the predictions agree.
     *
     * @param id the feedback's id, for example the prediction's
     * @param prediction what the model predicted: 0 or 1, or a declared class's index
     * @param actual what turned out to be true, likewise
     * @return {@link JoinOutcome#MATCHED}, {@link JoinOutcome#DUPLICATE} or {@link JoinOutcome#CONFLICT}
     * @throws IllegalArgumentException if the id or a value is invalid
     * @throws PendingStoreUnavailableException if a shared store cannot be reached; nothing changed
     */
    public JoinOutcome record(String id, int prediction, int actual) {
        requireClasses(prediction, actual);
        return join(JoinOperation.inline(namespace, id, prediction, actual));
    }

    /**
     * As {@link #record(String, int, int)}, by class label.
     *
     * @throws IllegalArgumentException if the id is invalid or a label not declared
     */
    public JoinOutcome record(String id, String prediction, String actual) {
        return record(id, classIndex("prediction", prediction), classIndex("actual", actual));
    }

    /**
     * As {@link #record(String, int, int)}, with the model's scores (or none, if null): a retry with
     * other scores is a conflict.
     *
     * @throws IllegalArgumentException if the id, a value or the scores are invalid
     */
    public JoinOutcome record(String id, int prediction, int actual, @Nullable Scores scores) {
        requireClasses(prediction, actual);
        if (scores != null) {
            requireScores(scores);
        }
        return join(JoinOperation.inline(namespace, id, prediction, actual, scores));
    }

    private JoinOutcome join(JoinOperation operation) {
        JoinResult result = pendingStore.apply(operation, clock.millis());
        counted(result);
        return result.outcome();
    }

    /** Counts what a join decided: the feedback if complete, the id if unknown. */
    void counted(JoinResult result) {
        if (result.outcome() == JoinOutcome.MATCHED) {
            record(result.prediction(), result.actual(), result.scores());
        }
        joined(result);
    }

    /**
     * Counts what a join decided besides the feedback itself, which the caller counts: the label
     * delay of an actual value that joined its prediction, an unknown id.
     */
    void joined(JoinResult result) {
        if (result.hasLabelDelay()) {
            joinMeters.labelDelay(result.labelDelayMillis(), clock.millis());
        } else if (result.outcome() == JoinOutcome.UNKNOWN) {
            joinMeters.count(UnmatchedReason.UNKNOWN, 1);
        }
    }

    /** The time of this recorder's clock, for operations applied on its behalf. */
    long clockMillis() {
        return clock.millis();
    }

    /** The store this recorder's predictions wait in. */
    public PendingStore pendingStore() {
        return pendingStore;
    }

    /**
     * This model's namespace in its pending store: {@code name@version}, and for a model with
     * declared classes {@code name@version/classes-} and the {@linkplain ClassLabels#fingerprint()
     * fingerprint} of its classes.
     */
    public String namespace() {
        return namespace;
    }

    /** Pending predictions and unmatched feedback so far. */
    public JoinCounts joins() {
        return new JoinCounts(pendingStore.pending(namespace), joinMeters.count(UnmatchedReason.UNKNOWN),
                joinMeters.count(UnmatchedReason.EXPIRED), joinMeters.count(UnmatchedReason.EVICTED),
                joinMeters.labelDelay());
    }

    /**
     * Counts a tally of feedback at once, its items in their order (as the drift detectors see
     * them): one {@code LongAdder.add} per cell. To count several models' feedback all or nothing,
     * use a {@link FeedbackBatch}.
     *
     * @param items the items, of this model's classes; unchanged
     * @throws IllegalArgumentException if the tally's classes are not the model's
     */
    public void record(ConfusionTally items) {
        requireClasses(Objects.requireNonNull(items, "items"));
        add(items, null);
    }

    /** Adds a tallied batch, its items in order, and the scores of its scored items (or null for none). */
    void add(ConfusionTally tally, @Nullable ScoreTally scored) {
        if (scored != null && !scored.isEmpty()) {
            scores.add(scored);
            scored();
        }
        counter.add(tally);
        ReferencePeriod period = referencePeriod;
        if (period != null && !period.offer(tally)) {
            referencePeriod = null;
        }
        if (detectingDrift) {
            drift.offer(tally);
        }
    }

    /**
     * Reads a binary model's confusion matrix once and derives the metrics from that read.
     *
     * @return the counts so far and the metrics derived from them
     * @throws IllegalStateException if the model has more than two classes: read {@link #matrix()}
     */
    public ClassificationSnapshot snapshot() {
        return counter.binarySnapshot();
    }

    /**
     * Reads the confusion matrix once; every metric of the result is derived from that read.
     *
     * @return the K&times;K counts so far (a binary model's: classes {@code 0} and {@code 1})
     */
    public ConfusionMatrix matrix() {
        return counter.snapshot();
    }

    /**
     * Reads the scored feedback once; every score metric of the result is derived from that read.
     *
     * @return the scored feedback so far (none if no item carried scores)
     */
    public ScoreCounts scores() {
        return scores.snapshot();
    }

    /** An empty tally of this model's scores, for a batch ({@link FeedbackBatch#add(FeedbackRecorder, ConfusionTally, ScoreTally)}). */
    public ScoreTally newScoreTally() {
        return scores.newTally();
    }

    /** The model's classes: the declared ones, or {@link ClassLabels#BINARY}. */
    public ClassLabels classes() {
        return classes;
    }

    /** Whether the model declared its classes (and is presented per class), rather than being binary. */
    public boolean declaresClasses() {
        return declaresClasses;
    }

    /**
     * The lifetime counts, every window's counts and the baseline, from one read of the matrix.
     *
     * @return the model's status now
     */
    public ModelStatus status() {
        List<DriftStatus> detectors = drift.statuses();
        FeedbackCounts lifetime = new FeedbackCounts(counter.snapshot(), scores.snapshot());
        List<WindowCounts> counts = windows.counts(lifetime);
        return new ModelStatus(model, counts.isEmpty() ? clock.now() : counts.get(0).end(), lifetime.matrix(),
                lifetime.scores(), counts, baseline.get(), detectors, joins());
    }

    /** For the log line of a drift: the accuracy of the first window. */
    private static String describeRecentQuality(SlidingWindows windows, Supplier<FeedbackCounts> live) {
        FeedbackCounts now = live.get();
        List<WindowCounts> counts = windows.counts(now);
        if (counts.isEmpty()) {
            return "lifetime accuracy " + format(now.matrix());
        }
        return "accuracy over the last " + counts.get(0).window().name() + " " + format(counts.get(0).matrix());
    }

    private static String format(ConfusionMatrix counts) {
        return String.format(Locale.ROOT, "%.3f of %d feedbacks", counts.accuracy(), counts.total());
    }

    /**
     * One window's feedback bucket by bucket, oldest first, ending with the bucket now filling: for
     * a chart of recent quality.
     *
     * @param window one of {@link #windows()}
     * @return up to {@value Window#BUCKETS} + 1 buckets
     * @throws IllegalArgumentException if the recorder keeps no such window
     */
    public List<WindowCounts> buckets(Window window) {
        return windows.buckets(window, new FeedbackCounts(counter.snapshot(), scores.snapshot()));
    }

    /** The windows this recorder keeps. */
    public List<Window> windows() {
        return windows.windows();
    }

    /** How many samples the drift detectors have been fed, after draining what is queued: for tests. */
    long driftSamples() {
        return drift.samples();
    }

    /** The names of the drift detectors this recorder runs, in order. */
    public List<String> driftDetectors() {
        return drift.statuses().stream().map(DriftStatus::detector).toList();
    }

    /** The baseline now: {@link Baseline#NONE} if none is set or a reference period is still open. */
    public Baseline baseline() {
        return baseline.get();
    }

    /** The model this recorder counts for. */
    public ModelId model() {
        return model;
    }

    /**
     * Removes this recorder's meters from the registry and stops ticking its windows. Recording
     * afterwards still counts into {@link #snapshot()} and {@link #status()} but is no longer
     * published.
     */
    public void unregister() {
        synchronized (REGISTRATION) {
            unregistered = true;
            meters.removeAll();
        }
        windows.close();
    }

    @Override
    public String toString() {
        return "FeedbackRecorder[" + model + ", " + (declaresClasses ? matrix() : snapshot()) + "]";
    }

    /**
     * Configures a {@link FeedbackRecorder}. Not thread-safe; build once at start-up. Every setting
     * but the model may be set again, replacing the earlier value (so that a {@link ModelSet} can
     * apply settings for every model, then settings for one).
     */
    public static final class Builder {

        private final MeterRegistry registry;
        private ModelId model = ModelId.DEFAULT;
        private boolean modelSet;
        private @Nullable ClassLabels classes;
        private List<Window> windows = DEFAULT_WINDOWS;
        private WindowClock clock = WindowClock.system();
        private Baseline baseline = Baseline.NONE;
        private long referenceSize;
        private List<Supplier<? extends DriftDetector>> driftDetectors = DEFAULT_DRIFT_DETECTORS;
        private DriftListener driftListener = DriftListener.NONE;
        private @Nullable PendingStore pendingStore;
        private long pendingCapacity = PendingStore.DEFAULT_CAPACITY;
        private Duration pendingTtl = PendingStore.DEFAULT_TTL;
        /** Which in-memory store setting was given, if any: it cannot apply to a store of one's own. */
        private @Nullable String pendingSetting;

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
         * Declares the model's classes, which makes it a multi-class model counted into a
         * K&times;K matrix: {@code model_confusion_total{actual, predicted}} and per-class metrics.
         * Without this the model is binary (values 0 and 1). Costs K&sup2; + 3K + 6 series.
         *
         * @param labels 2 to {@value ClassLabels#MAX_CLASSES} distinct, non-empty labels of at most
         *     {@value ClassLabels#MAX_LABEL_CODE_POINTS} code points without control characters, in
         *     the order of the matrix's rows and columns
         * @return this builder
         * @throws IllegalArgumentException naming the model and the label, if the declaration is invalid
         */
        public Builder classes(String... labels) {
            return classes(Arrays.asList(labels));
        }

        /**
         * As {@link #classes(String...)}, from a list.
         *
         * @param labels the labels
         * @return this builder
         * @throws IllegalArgumentException naming the model and the label, if the declaration is invalid
         */
        public Builder classes(List<String> labels) {
            this.classes = ClassLabels.ofModel(model.toString(), labels);
            return this;
        }

        /** Whether classes were declared, so far. */
        boolean declaresClasses() {
            return classes != null;
        }

        /**
         * The time windows to keep; by default {@link #DEFAULT_WINDOWS}, the last 5 minutes and the
         * last hour. Each costs nothing on the record path and a fixed memory: 31 snapshots of the
         * matrix (about 5 KiB for a binary model, 270 KiB for one of 32 classes).
         *
         * @param spans each window's span, a whole number of 30 seconds from 30 s to 30 days; none
         *     for no windows
         * @return this builder
         * @throws IllegalArgumentException if a span is out of range or given twice
         */
        public Builder windows(Duration... spans) {
            this.windows = Window.list(Arrays.asList(spans));
            return this;
        }

        /**
         * The time the windows see; by default {@link WindowClock#system()}. Tests pass a
         * {@link WindowClock#manual manual clock}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(WindowClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * What the model is expected to achieve, measured offline; replaces a reference period.
         * Published as {@code model_baseline{metric}} for each metric it sets.
         *
         * @param baseline the values of any of {@link Metric#BINARY} (accuracy, precision, recall,
         *     F1) for a binary model, of {@link Metric#CLASSES} (accuracy, macro F1) for one with
         *     declared classes, and of {@link Metric#SCORES} (ROC AUC, log loss) for either;
         *     {@link #build()} refuses a metric of the other kind
         * @return this builder
         */
        public Builder baseline(Baseline baseline) {
            this.baseline = Objects.requireNonNull(baseline, "baseline");
            this.referenceSize = 0;
            return this;
        }

        /**
         * Takes the baseline from live data: the metrics of the first {@code items} feedback items
         * (a reference period); replaces an offline baseline. Until the period is complete the
         * baseline is empty and {@code model_baseline} is NaN. A batch that crosses the last item is
         * taken whole.
         *
         * @param items how many feedback items the reference period holds, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code items} is less than 1
         */
        public Builder baselineFromFirst(long items) {
            this.referenceSize = ReferencePeriod.requireValidSize(items);
            this.baseline = Baseline.NONE;
            return this;
        }

        /**
         * The drift detectors to run on the error stream (error = the prediction differed from the
         * truth), each fed every sample in arrival order off the record path; by default
         * {@link #DEFAULT_DRIFT_DETECTORS}. Replaces an earlier setting.
         *
         * <pre>{@code
         * builder.driftDetectors(DriftDetector::hddmA, () -> new Adwin(0.001, 32, 5, 5, 10));
         * builder.driftDetectors();   // none
         * }</pre>
         *
         * @param factories one per detector, each making a new detector
         * @return this builder
         * @throws IllegalArgumentException if two detectors have the same name
         */
        @SafeVarargs
        public final Builder driftDetectors(Supplier<? extends DriftDetector>... factories) {
            List<Supplier<? extends DriftDetector>> list = new ArrayList<>(factories.length);
            for (Supplier<? extends DriftDetector> factory : factories) {
                list.add(Objects.requireNonNull(factory, "factory"));
            }
            return driftDetectors(list);
        }

        /**
         * As {@link #driftDetectors(Supplier[])}, from a list.
         *
         * @param factories one per detector, each making a new detector
         * @return this builder
         * @throws IllegalArgumentException if two detectors have the same name
         */
        public Builder driftDetectors(List<? extends Supplier<? extends DriftDetector>> factories) {
            this.driftDetectors = DriftDetector.distinct(factories);
            return this;
        }

        /**
         * The most predictions (and remembered ids) the in-memory pending store holds for this
         * model; by default {@link PendingStore#DEFAULT_CAPACITY}. When full, the oldest
         * makes room and a pending one counts as evicted. 38 to 47 bytes each (measured at 1 and 10
         * million pending, README "Delayed labels: joins and memory").
         *
         * @param capacity from 16 to 2^31 - 1
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder pendingCapacity(long capacity) {
            InMemoryPendingStore.requireValidSettings(capacity, pendingTtl);
            this.pendingCapacity = capacity;
            this.pendingSetting = "pendingCapacity";
            return this;
        }

        /**
         * How long the in-memory pending store keeps a prediction waiting for its actual value; by
         * default {@link PendingStore#DEFAULT_TTL}. Ids are remembered for twice as long,
         * to recognize retries.
         *
         * @param ttl whole seconds, from 1 s to 365 days
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder pendingTtl(Duration ttl) {
            InMemoryPendingStore.requireValidSettings(pendingCapacity, ttl);
            this.pendingTtl = ttl;
            this.pendingSetting = "pendingTtl";
            return this;
        }

        /**
         * A pending store of your own, for example one shared by replicas, instead of a new
         * in-memory one; {@link #pendingCapacity} and {@link #pendingTtl} then do not apply, and
         * {@link #build()} refuses a builder given both (in a {@link ModelSet}, whose models share
         * the set's store, set them on {@link ModelSet.Builder} instead).
         *
         * @param store the store
         * @return this builder
         */
        public Builder pendingStore(PendingStore store) {
            this.pendingStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Told of every state change of the drift detectors; replaces an earlier listener.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder driftListener(DriftListener listener) {
            this.driftListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the recorder and registers its meters, counters at 0.
         *
         * @return the recorder
         * @throws IllegalStateException if the registry already has a recorder for this model and
         *     version: two recorders would silently share one series; or if both a pending store of
         *     one's own and a setting of the in-memory store were given, which could not apply
         * @throws IllegalArgumentException if the baseline sets a metric the kind of model does not
         *     have (macro F1 of a binary model, precision of one with classes), naming the model
         */
        public FeedbackRecorder build() {
            if (pendingStore != null && pendingSetting != null) {
                throw new IllegalStateException(pendingSetting + " sets the recorder's own in-memory pending store, but model "
                        + model + " keeps its predictions in " + pendingStore
                        + "; set it on that store (for a ModelSet, on ModelSet.Builder)");
            }
            // Check-then-register must be atomic, or two threads could build the same model and
            // the loser would count into a matrix no meter reads. Building is rare; the lock is cheap.
            synchronized (REGISTRATION) {
                if (registered(BinaryMeters.TRUE_POSITIVES) || registered(ClassMeters.CONFUSION)) {
                    throw new IllegalStateException("a recorder for model " + Texts.quote(model.name())
                            + " version " + Texts.quote(model.version()) + " is already registered in this registry");
                }
                MeterGroup meters = new MeterGroup(registry, model);
                try {
                    return new FeedbackRecorder(this, meters);
                } catch (RuntimeException e) {
                    // A meter the registry refused: leave none of this recorder's behind.
                    meters.removeAll();
                    throw e;
                }
            }
        }

        private boolean registered(String meter) {
            return registry.find(meter)
                    .tag(MeterGroup.TAG_MODEL, model.name())
                    .tag(MeterGroup.TAG_MODEL_VERSION, model.version())
                    .meter() != null;
        }
    }
}
