/**
 * Naming models: a model's name and version ({@link dev.modelfeedback.core.model.ModelId}), as
 * feedback refers to one ({@link dev.modelfeedback.core.model.ModelRef}), the rules label values
 * follow, and how untrusted text is quoted in messages ({@link dev.modelfeedback.core.model.Texts}).
 */
@NullMarked
package dev.modelfeedback.core.model;

import org.jspecify.annotations.NullMarked;
