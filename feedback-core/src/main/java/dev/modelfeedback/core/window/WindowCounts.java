package dev.modelfeedback.core.window;

import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.scores.ScoreCounts;
import java.time.Instant;

/**
 * The feedback of one window at one moment.
 *
 * @param window the window
 * @param start where the counted feedback starts: the bucket boundary at or before {@code end}
 *     minus the span (or when the recorder started, if later)
 * @param end when the counts were read
 * @param matrix the feedback in between, with the metrics and intervals derived from it
 * @param scores the scored feedback in between, with the score metrics derived from it
 */
public record WindowCounts(Window window, Instant start, Instant end, ConfusionMatrix matrix, ScoreCounts scores) {

    /** The window of a span of counts. */
    WindowCounts(Window window, Instant start, Instant end, FeedbackCounts counts) {
        this(window, start, end, counts.matrix(), counts.scores());
    }

    /**
     * The feedback in between as a binary model's counts.
     *
     * @return the counts, with the metrics and intervals derived from them
     * @throws IllegalStateException if the model has more than two classes
     */
    public ClassificationSnapshot counts() {
        return matrix.binary();
    }
}
