/**
 * Scored feedback: the model's probabilities joined with the truth. A fixed layout of score buckets
 * per actual class ({@link dev.modelfeedback.core.scores.ScoreLayout}) gives ROC AUC with DeLong's
 * interval and average precision in bounded memory; exact sums give log loss and the Brier score;
 * ten equal-width {@link dev.modelfeedback.core.scores.CalibrationBins} give the expected
 * calibration error and the reliability table. {@link dev.modelfeedback.core.scores.ScoreCounter}
 * counts live, {@link dev.modelfeedback.core.scores.ScoreTally} gathers a batch, and the immutable
 * {@link dev.modelfeedback.core.scores.ScoreCounts} derives every metric.
 */
@NullMarked
package dev.modelfeedback.core.scores;

import org.jspecify.annotations.NullMarked;
