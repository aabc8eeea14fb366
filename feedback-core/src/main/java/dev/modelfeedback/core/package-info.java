/**
 * The engine of model-feedback: counts ground-truth feedback on a binary classifier's predictions
 * into a confusion matrix, publishes it to a Micrometer {@link io.micrometer.core.instrument.MeterRegistry},
 * and derives accuracy, precision, recall and F1.
 *
 * <p>Start with {@link dev.modelfeedback.core.FeedbackRecorder} for one model, or
 * {@link dev.modelfeedback.core.ModelSet} for a server that serves several.
 */
@NullMarked
package dev.modelfeedback.core;

import org.jspecify.annotations.NullMarked;
