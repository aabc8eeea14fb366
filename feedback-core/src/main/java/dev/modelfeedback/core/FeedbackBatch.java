package dev.modelfeedback.core;

import dev.modelfeedback.core.join.JoinConflictException;
import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.JoinResult;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.join.PendingStoreUnavailableException;
import dev.modelfeedback.core.matrix.ConfusionTally;
import dev.modelfeedback.core.scores.ScoreTally;
import dev.modelfeedback.core.scores.Scores;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Feedback gathered first and counted all at once, so that a batch with one bad item counts
 * nothing; it may mix complete feedback, predictions stored by id, actual values joined by id and
 * inline feedback keyed by id.
 *
 * <pre>{@code
 * FeedbackBatch batch = new FeedbackBatch();
 * for (Item item : items) {
 *     batch.add(models.recorder(item.model()), item.prediction(), item.actual()); // may throw
 * }
 * batch.addActual(fraud, "8d1f0c3e-...", 1);  // joined with its stored prediction at commit
 * List<JoinOutcome> joins = batch.commit();   // counts everything, or nothing on a conflict
 * }</pre>
 *
 * <p>{@link #add} validates and tallies; nothing reaches a recorder until {@link #commit()}. A
 * batch without ids cannot fail to commit; with ids, its operations are applied to their pending
 * store as one, and a conflict (an id already recorded with other values) refuses the whole batch.
 * Each recorder receives its items in the order they were added, as its drift detectors will see
 * them. A concurrent reader may see part of a committed batch, never an item that was not committed.
 *
 * <p>Not thread-safe: one batch belongs to one thread, typically one request.
 */
public final class FeedbackBatch {

    /** Items added before the first operation by id, tallied per recorder (identity), in order first added. */
    private final Map<FeedbackRecorder, Tallies> tallies = new LinkedHashMap<>(4);
    /** Every item from the first operation by id on, in order. */
    private @Nullable List<Item> items;
    private @Nullable PendingStore store;
    private int size;
    private boolean committed;

    /**
     * One item after the first operation by id: an operation, a tally, or one piece of complete
     * feedback by class index (kept as two ints, not as a tally of K&sup2; cells of its own).
     */
    private record Item(FeedbackRecorder recorder, @Nullable ConfusionTally counted, @Nullable ScoreTally scored,
            @Nullable JoinOperation join, int prediction, int actual, @Nullable Scores scores) {

        static Item of(FeedbackRecorder recorder, int prediction, int actual, @Nullable Scores scores) {
            return new Item(recorder, null, null, null, prediction, actual, scores);
        }

        static Item of(FeedbackRecorder recorder, ConfusionTally counted, @Nullable ScoreTally scored) {
            return new Item(recorder, counted, scored, null, -1, -1, null);
        }

        static Item of(FeedbackRecorder recorder, JoinOperation join) {
            return new Item(recorder, null, null, join, -1, -1, null);
        }
    }

    /** One recorder's items: their matrix and, once one carries scores, their scores. */
    private static final class Tallies {
        final FeedbackRecorder recorder;
        final ConfusionTally counted;
        @Nullable ScoreTally scored;

        Tallies(FeedbackRecorder recorder) {
            this.recorder = recorder;
            this.counted = new ConfusionTally(recorder.classes());
        }

        void add(int prediction, int actual, @Nullable Scores scores) {
            counted.add(prediction, actual);
            if (scores != null) {
                scored().add(prediction, actual, scores);
            }
        }

        void add(ConfusionTally items, @Nullable ScoreTally scores) {
            counted.add(items);
            if (scores != null) {
                scored().addAll(scores);
            }
        }

        private ScoreTally scored() {
            if (scored == null) {
                scored = recorder.newScoreTally();
            }
            return scored;
        }

        void commit() {
            recorder.add(counted, scored);
        }
    }

    /**
     * Tallies one piece of feedback for {@code recorder}.
     *
     * @param recorder the model's recorder
     * @param prediction what the model predicted: 0 or 1, or for a model with declared classes the
     *     predicted class's index
     * @param actual what turned out to be true, likewise
     * @return this batch
     * @throws IllegalArgumentException if a value is not one of the model's; the batch is unchanged then
     * @throws IllegalStateException if the batch was already committed
     */
    public FeedbackBatch add(FeedbackRecorder recorder, int prediction, int actual) {
        return add(recorder, prediction, actual, (Scores) null);
    }

    /**
     * Tallies one piece of feedback with the model's scores (or none, if null) for {@code recorder}.
     *
     * @param recorder the model's recorder
     * @param prediction the predicted class's index (binary: 0 or 1)
     * @param actual the actual class's index
     * @param scores the model's scores, of its kind (see {@link FeedbackRecorder#record(int, int, Scores)})
     * @return this batch
     * @throws IllegalArgumentException if a value or the scores are not the model's; the batch is unchanged then
     * @throws IllegalStateException if the batch was already committed
     */
    public FeedbackBatch add(FeedbackRecorder recorder, int prediction, int actual, @Nullable Scores scores) {
        Objects.requireNonNull(recorder, "recorder");
        recorder.requireClasses(prediction, actual);
        if (scores != null) {
            recorder.requireScores(scores);
        }
        requireOpen();
        grow(1);
        if (items == null) {
            tally(recorder).add(prediction, actual, scores);
        } else {
            items.add(Item.of(recorder, prediction, actual, scores));
        }
        return this;
    }

    /**
     * Appends feedback already tallied, for example by a parser that validated it, in the order of
     * its items (the order the drift detectors will see).
     *
     * @param recorder the model's recorder
     * @param counted the items, of the model's classes; unchanged
     * @return this batch
     * @throws IllegalStateException if the batch was already committed
     * @throws IllegalArgumentException if the tally's classes are not the model's, or the batch
     *     would exceed {@link Integer#MAX_VALUE} items
     */
    public FeedbackBatch add(FeedbackRecorder recorder, ConfusionTally counted) {
        return add(recorder, counted, null);
    }

    /**
     * As {@link #add(FeedbackRecorder, ConfusionTally)}, with the scores of the tallied items that
     * carried them (a tally from {@link FeedbackRecorder#newScoreTally()}), or null for none.
     *
     * @return this batch
     * @throws IllegalArgumentException if a tally is not of the model's classes
     */
    public FeedbackBatch add(FeedbackRecorder recorder, ConfusionTally counted, @Nullable ScoreTally scored) {
        Objects.requireNonNull(recorder, "recorder");
        Objects.requireNonNull(counted, "counted");
        recorder.requireClasses(counted);
        if (scored != null) {
            recorder.requireScores(scored);
        }
        requireOpen();
        grow(counted.total());
        if (items == null) {
            tally(recorder).add(counted, scored);
        } else {
            ScoreTally scoredCopy = null;
            if (scored != null) {
                scoredCopy = recorder.newScoreTally();
                scoredCopy.addAll(scored);
            }
            items.add(Item.of(recorder, new ConfusionTally(recorder.classes()).add(counted), scoredCopy));
        }
        return this;
    }

    /**
     * Adds a prediction to store by id (see {@link FeedbackRecorder#recordPrediction}).
     *
     * @return this batch
     * @throws IllegalArgumentException if the id or prediction is invalid, or the recorder keeps its
     *     predictions in another store than the batch's other operations by id
     */
    public FeedbackBatch addPrediction(FeedbackRecorder recorder, String id, int prediction) {
        return addPrediction(recorder, id, prediction, null);
    }

    /**
     * Adds a prediction with the model's scores (or none, if null) to store by id (see
     * {@link FeedbackRecorder#recordPrediction(String, int, Scores)}).
     *
     * @return this batch
     * @throws IllegalArgumentException if the id, the prediction or the scores are invalid, or the store differs
     */
    public FeedbackBatch addPrediction(FeedbackRecorder recorder, String id, int prediction, @Nullable Scores scores) {
        recorder.requirePrediction(prediction);
        if (scores != null) {
            recorder.requireScores(scores);
        }
        return join(recorder, JoinOperation.prediction(recorder.namespace(), id, prediction, scores));
    }

    /**
     * Adds an actual value to join by id (see {@link FeedbackRecorder#recordActual}).
     *
     * @return this batch
     * @throws IllegalArgumentException if the id or actual value is invalid, or the store differs
     */
    public FeedbackBatch addActual(FeedbackRecorder recorder, String id, int actual) {
        recorder.requireActual(actual);
        return join(recorder, JoinOperation.actual(recorder.namespace(), id, actual));
    }

    /**
     * Adds inline feedback keyed by id (see {@link FeedbackRecorder#record(String, int, int)}).
     *
     * @return this batch
     * @throws IllegalArgumentException if the id or a value is invalid, or the store differs
     */
    public FeedbackBatch add(FeedbackRecorder recorder, String id, int prediction, int actual) {
        return add(recorder, id, prediction, actual, null);
    }

    /**
     * Adds inline feedback with the model's scores (or none, if null) keyed by id (see
     * {@link FeedbackRecorder#record(String, int, int, Scores)}).
     *
     * @return this batch
     * @throws IllegalArgumentException if the id, a value or the scores are invalid, or the store differs
     */
    public FeedbackBatch add(FeedbackRecorder recorder, String id, int prediction, int actual, @Nullable Scores scores) {
        recorder.requireClasses(prediction, actual);
        if (scores != null) {
            recorder.requireScores(scores);
        }
        return join(recorder, JoinOperation.inline(recorder.namespace(), id, prediction, actual, scores));
    }

    private FeedbackBatch join(FeedbackRecorder recorder, JoinOperation operation) {
        requireOpen();
        if (store != null && store != recorder.pendingStore()) {
            throw new IllegalArgumentException("the operations by id of one batch must share one pending store; "
                    + recorder.model() + " keeps its predictions in another");
        }
        grow(1);
        store = recorder.pendingStore();
        if (items == null) {
            items = new ArrayList<>();
        }
        items.add(Item.of(recorder, operation));
        return this;
    }

    /** The recorders this batch counts into, in the order they were first added. */
    public Set<FeedbackRecorder> recorders() {
        Map<FeedbackRecorder, Boolean> all = new LinkedHashMap<>();
        tallies.keySet().forEach(recorder -> all.put(recorder, true));
        if (items != null) {
            items.forEach(item -> all.put(item.recorder(), true));
        }
        return Collections.unmodifiableSet(all.keySet());
    }

    /** The number of items added so far. */
    public int size() {
        return size;
    }

    /**
     * Counts every item into its recorder; with operations by id, applies them to their store first,
     * all as one.
     *
     * @return the outcome of each operation by id, in the order added; empty if there were none
     * @throws IllegalStateException if the batch was already committed
     * @throws JoinConflictException if an operation conflicts with what is stored; nothing was
     *     counted, and the batch may not be committed again
     * @throws PendingStoreUnavailableException if the store cannot be reached; nothing was counted
     */
    public List<JoinOutcome> commit() {
        requireOpen();
        committed = true;
        List<Item> later = items;
        if (later == null) {
            tallies.values().forEach(Tallies::commit);
            return List.of();
        }
        List<JoinOperation> operations = new ArrayList<>();
        FeedbackRecorder clockOwner = null;
        for (Item item : later) {
            if (item.join() != null) {
                operations.add(item.join());
                clockOwner = item.recorder();
            }
        }
        PendingStore.Applied applied = Objects.requireNonNull(store).apply(operations,
                Objects.requireNonNull(clockOwner).clockMillis());
        if (applied.conflicted()) {
            JoinOperation conflicting = operations.get(applied.conflict());
            throw new JoinConflictException(applied.conflict(), "id '" + conflicting.id()
                    + "' was already recorded with " + (conflicting.hasActual() && !conflicting.hasPrediction()
                            ? "a different actual value" : conflicting.hasPrediction() && !conflicting.hasActual()
                            ? "a different prediction" : "different values"));
        }
        List<JoinOutcome> outcomes = new ArrayList<>(operations.size());
        int next = 0;
        for (Item item : later) {
            ConfusionTally counted = item.counted();
            if (counted != null) {
                tally(item.recorder()).add(counted, item.scored());
                continue;
            }
            if (item.join() == null) {
                tally(item.recorder()).add(item.prediction(), item.actual(), item.scores());
                continue;
            }
            JoinResult result = applied.results().get(next++);
            outcomes.add(result.outcome());
            if (result.outcome() == JoinOutcome.MATCHED) {
                tally(item.recorder()).add(result.prediction(), result.actual(), result.scores());
            }
            item.recorder().joined(result);
        }
        tallies.values().forEach(Tallies::commit);
        return outcomes;
    }

    private Tallies tally(FeedbackRecorder recorder) {
        return tallies.computeIfAbsent(recorder, Tallies::new);
    }

    private void grow(long items) {
        long newSize = size + items;
        if (newSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a batch holds at most " + Integer.MAX_VALUE + " items");
        }
        size = (int) newSize;
    }

    private void requireOpen() {
        if (committed) {
            throw new IllegalStateException("batch was already committed");
        }
    }
}
