package dev.modelfeedback.servlet;

import dev.modelfeedback.core.ConfusionTally;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request body that passed the wire-format checks, tallied per model in order of first
 * appearance, each model's items in their order. Nothing is counted yet.
 *
 * @param items how many feedback items the body held
 * @param batch whether the body was an array (errors then name item indexes)
 * @param tallies one entry per distinct model; items that named none count for the default model,
 *     or, where there is none, for {@code null}
 */
record ParsedFeedback(int items, boolean batch, List<ModelTally> tallies) {

    /**
     * The items of one model.
     *
     * @param model the model's name, or {@code null} if the items named none and there is no default
     * @param firstItem the index of the first of them, for error messages
     * @param items the items, in order
     */
    record ModelTally(@Nullable String model, int firstItem, ConfusionTally items) {
    }

    /** The model names, one per tally, in the same order; {@code null} for the default model. */
    List<@Nullable String> modelNames() {
        if (tallies.size() == 1) {
            return Collections.singletonList(tallies.get(0).model());
        }
        return tallies.stream().map(ModelTally::model).toList();
    }

    /** The first item of {@code model} ({@code null}: of no model), or -1 if there is none. */
    int firstItemNaming(@Nullable String model) {
        for (ModelTally tally : tallies) {
            if (Objects.equals(tally.model(), model)) {
                return tally.firstItem();
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
