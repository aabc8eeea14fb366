/**
 * The engine of model-feedback: counts ground-truth feedback on a classifier's predictions (binary,
 * or of declared classes) into a confusion matrix, publishes it to a Micrometer
 * {@link io.micrometer.core.instrument.MeterRegistry}, and derives its metrics.
 *
 * <p>Start with {@link dev.modelfeedback.core.FeedbackRecorder} for one model, or
 * {@link dev.modelfeedback.core.ModelSet} for a server that serves several. One package per
 * concern below: {@code matrix} (counting and metrics), {@code window} (recent time windows),
 * {@code baseline}, {@code drift}, {@code join} (delayed labels), {@code metrics} (the meters),
 * {@code model} (names).
 */
@NullMarked
package dev.modelfeedback.core;

import org.jspecify.annotations.NullMarked;
