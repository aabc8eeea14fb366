package dev.modelfeedback.servlet;

import dev.modelfeedback.core.ClassificationSnapshot;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request body that passed the wire-format checks, tallied per model name in order of first
 * appearance. Nothing is counted yet.
 *
 * @param items how many feedback items the body held
 * @param batch whether the body was an array (errors then name item indexes)
 * @param tallies one entry per distinct model name, {@code null} for items that named none
 */
record ParsedFeedback(int items, boolean batch, List<ModelTally> tallies) {

    /**
     * The items that named one model.
     *
     * @param model the name as sent, or {@code null} for the default model
     * @param firstItem the index of the first item that named it, for error messages
     * @param counts how many of its items fell into each cell
     */
    record ModelTally(@Nullable String model, int firstItem, ClassificationSnapshot counts) {
    }

    /** The model names, one per tally, in the same order; {@code null} for the default model. */
    List<@Nullable String> modelNames() {
        return tallies.stream().map(ModelTally::model).toList();
    }

    /** The first item that named {@code model} ({@code null}: named none), or -1 if none did. */
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
