/**
 * The confusion matrix of a model of any number of classes, binary being the two-class case: the
 * declared {@link dev.modelfeedback.core.matrix.ClassLabels}, the live
 * {@link dev.modelfeedback.core.matrix.ConfusionCounter}, the {@link dev.modelfeedback.core.matrix.ConfusionTally}
 * that gathers a batch, and the immutable {@link dev.modelfeedback.core.matrix.ConfusionMatrix} with
 * every metric derived from it ({@link dev.modelfeedback.core.matrix.ClassificationSnapshot} is a
 * binary model's view of it, {@link dev.modelfeedback.core.matrix.Outcome} its four cells).
 */
@NullMarked
package dev.modelfeedback.core.matrix;

import org.jspecify.annotations.NullMarked;
