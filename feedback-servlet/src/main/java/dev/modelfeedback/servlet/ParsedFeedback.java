package dev.modelfeedback.servlet;

import dev.modelfeedback.core.FeedbackBatch;
import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.matrix.ConfusionTally;
import dev.modelfeedback.core.model.ModelRef;
import dev.modelfeedback.core.scores.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request body that passed the wire-format checks, tallied per model in order of first
 * appearance, each model's items in their order. Nothing is counted yet.
 *
 * @param items how many feedback items the body held
 * @param batch whether the body was an array (errors then name item indexes)
 * @param tallies the items before the first one with an id, one entry per distinct model; items that
 *     named none count for the default model, or, where there is none, for {@code null}
 * @param ordered every item from the first one with an id on, in order; empty if none has an id
 */
record ParsedFeedback(int items, boolean batch, List<ModelTally> tallies, List<Item> ordered) {

    /**
     * The items of one model.
     *
     * @param model the model's name (or {@code null} if the items named none and there is no
     *     default) and version (or {@code null} if they named none)
     * @param firstItem the index of the first of them, for error messages
     * @param items the items, in order
     * @param scores the scores of those items that carried them, or {@code null} if none did
     */
    record ModelTally(ModelRef model, int firstItem, ConfusionTally items, @Nullable ScoredItems scores) {

        /** Counts the items, with their scores, for the model's recorder. */
        void record(FeedbackRecorder recorder) {
            if (scores == null) {
                recorder.record(items);
            } else {
                scores.record(recorder, items);
            }
        }

        /** Adds the items, with their scores, to a batch for the model's recorder. */
        void addTo(FeedbackBatch batch, FeedbackRecorder recorder) {
            batch.add(recorder, items, scores == null ? null : scores.tally());
        }
    }

    /**
     * One item as sent, from the first with an id on.
     *
     * @param index its index in the body
     * @param model its model, as {@link ModelTally#model()}
     * @param id its id, or {@code null}
     * @param prediction the class index (0 or 1 for a binary model), or -1 if absent
     * @param actual the class index, or -1 if absent
     * @param scores the model's scores with the prediction, or {@code null} if it carried none
     */
    record Item(int index, ModelRef model, @Nullable String id, int prediction, int actual, @Nullable Scores scores) {
    }

    /** The distinct models named, in order of first appearance. */
    List<ModelRef> models() {
        if (tallies.size() == 1 && ordered.isEmpty()) {
            return List.of(tallies.get(0).model());
        }
        List<ModelRef> names = new ArrayList<>();
        for (ModelTally tally : tallies) {
            names.add(tally.model());
        }
        for (Item item : ordered) {
            if (!names.contains(item.model())) {
                names.add(item.model());
            }
        }
        return names;
    }

    /** Whether any item has an id. */
    boolean hasIds() {
        return !ordered.isEmpty();
    }

    /** The first item of {@code model}, or -1 if there is none. */
    int firstItemNaming(ModelRef model) {
        for (ModelTally tally : tallies) {
            if (Objects.equals(tally.model(), model)) {
                return tally.firstItem();
            }
        }
        for (Item item : ordered) {
            if (Objects.equals(item.model(), model)) {
                return item.index();
            }
        }
        return -1;
    }

    /** The prefix that places an error in the body: {@code "item 537: "} in a batch, else empty. */
    String where(int item) {
        return where(batch, item);
    }

    /** The same prefix while parsing; empty outside a batch item ({@code item < 0}). */
    static String where(boolean batch, int item) {
        return batch && item >= 0 ? "item " + item + ": " : "";
    }
}
