/**
 * Delayed ground truth: predictions stored by id at inference time and joined with the actual
 * value when it arrives, and idempotency keys that make every retry safe.
 *
 * <p>Start with {@link dev.modelfeedback.core.join.PendingStore} and its in-memory default,
 * {@link dev.modelfeedback.core.join.InMemoryPendingStore}; a recorder uses them through
 * {@code recordPrediction}, {@code recordActual} and {@code record(id, prediction, actual)}.
 */
@NullMarked
package dev.modelfeedback.core.join;

import org.jspecify.annotations.NullMarked;
