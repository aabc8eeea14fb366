/**
 * What a model is expected to achieve, and live performance held against it: an offline
 * {@link dev.modelfeedback.core.baseline.Baseline}, or one taken from a reference period of live feedback.
 */
@NullMarked
package dev.modelfeedback.core.baseline;

import org.jspecify.annotations.NullMarked;
