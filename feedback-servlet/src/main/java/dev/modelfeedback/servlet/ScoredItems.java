package dev.modelfeedback.servlet;

import dev.modelfeedback.core.FeedbackBatch;
import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.matrix.ConfusionTally;
import dev.modelfeedback.core.scores.ScoreTally;
import dev.modelfeedback.core.scores.Scores;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The scores of one model's items in one request body, gathered while it is parsed, their values
 * already checked. The first scored item is kept as its values; from the second on they are added
 * to a {@link ScoreTally}. Most scored requests carry one item, and that one is counted as such
 * ({@link FeedbackRecorder#record(int, int, Scores)}), without filling and adding a tally of
 * 2 &times; {@value dev.modelfeedback.core.scores.ScoreLayout#BUCKETS} buckets per row.
 *
 * <p>Not thread-safe: one belongs to one request's parse.
 */
final class ScoredItems {

    /** 0 for a binary model, else how many classes it declares. */
    private final int classes;
    private int firstPrediction = -1;
    private int firstActual = -1;
    private @Nullable Scores first;
    private @Nullable ScoreTally tally;

    private ScoredItems(int classes) {
        this.classes = classes;
    }

    /** The scores of a binary model's items. */
    static ScoredItems binary() {
        return new ScoredItems(0);
    }

    /** The scores of the items of a model of {@code classes} declared classes. */
    static ScoredItems ofClasses(int classes) {
        return new ScoredItems(classes);
    }

    /**
     * Adds a binary model's scored item.
     *
     * @param prediction 0 or 1
     * @param actual 0 or 1
     * @param score the probability of class 1, from 0 to 1
     */
    void add(int prediction, int actual, double score) {
        if (first == null) {
            keepFirst(prediction, actual, Scores.binary(score));
        } else {
            tally().add(actual, score);
        }
    }

    /**
     * Adds a scored item of a model with declared classes.
     *
     * @param prediction the predicted class's index
     * @param actual the actual class's index
     * @param probabilities one per class in the classes' order, summing to 1; read, not kept (at
     *     least as long as the model has classes, the rest unread)
     */
    void add(int prediction, int actual, double[] probabilities) {
        if (first == null) {
            keepFirst(prediction, actual, Scores.ofClasses(Arrays.copyOf(probabilities, classes)));
        } else {
            tally().add(prediction, actual, probabilities);
        }
    }

    private void keepFirst(int prediction, int actual, Scores scores) {
        firstPrediction = prediction;
        firstActual = actual;
        first = scores;
    }

    /** Every scored item as one tally. */
    ScoreTally tally() {
        ScoreTally all = tally;
        if (all == null) {
            all = classes == 0 ? ScoreTally.ofBinary() : ScoreTally.ofClasses(classes);
            if (first != null) {
                all.add(firstPrediction, firstActual, first);
            }
            tally = all;
        }
        return all;
    }

    /**
     * Counts a model's items with these scores, all or nothing.
     *
     * @param recorder the model's recorder
     * @param items every item of the model, scored or not, these scores' among them
     */
    void record(FeedbackRecorder recorder, ConfusionTally items) {
        Scores only = first;
        if (tally == null && only != null && items.total() == 1) {
            recorder.record(firstPrediction, firstActual, only);
        } else {
            new FeedbackBatch().add(recorder, items, tally()).commit();
        }
    }
}
