/**
 * How a recorder presents itself to a Micrometer registry: a binary model with the seed's four
 * counters and gauges ({@link dev.modelfeedback.core.metrics.BinaryMeters}), a model with declared
 * classes with {@code model_confusion_total{actual, predicted}} and per-class gauges
 * ({@link dev.modelfeedback.core.metrics.ClassMeters}), and its baseline.
 */
@NullMarked
package dev.modelfeedback.core.metrics;

import org.jspecify.annotations.NullMarked;
