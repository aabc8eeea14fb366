package dev.modelfeedback.core.model;

import org.jspecify.annotations.Nullable;

/**
 * A model as feedback names it: a name, or none for the default model of a
 * {@link dev.modelfeedback.core.ModelSet}, and a version, or none where the name has only one.
 *
 * @param name the model's name, or {@code null} for the default model
 * @param version the model's version, or {@code null} for the only version the name has
 */
public record ModelRef(@Nullable String name, @Nullable String version) {

    /** The default model, in its only version. */
    public static final ModelRef DEFAULT = new ModelRef(null, null);

    /** The only version of a named model. */
    public static ModelRef named(@Nullable String name) {
        return name == null ? DEFAULT : new ModelRef(name, null);
    }

    @Override
    public String toString() {
        return (name == null ? "(default)" : name) + (version == null ? "" : "@" + version);
    }
}
