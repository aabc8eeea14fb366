package dev.modelfeedback.core.window;

import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.scores.ScoreCounts;
import java.util.Objects;

/**
 * What a recorder has counted at one moment: its confusion matrix and its scored feedback. The
 * unit the windows keep at their boundaries.
 *
 * @param matrix the confusion matrix
 * @param scores the scored feedback
 */
public record FeedbackCounts(ConfusionMatrix matrix, ScoreCounts scores) {

    /**
     * @throws NullPointerException if a component is null
     */
    public FeedbackCounts {
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(scores, "scores");
    }

    /** The counts since {@code earlier}, a read of the same recorder before this one. */
    public FeedbackCounts minus(FeedbackCounts earlier) {
        return new FeedbackCounts(matrix.minus(earlier.matrix), scores.minus(earlier.scores));
    }
}
