package dev.modelfeedback.examples;

import org.jspecify.annotations.Nullable;

/**
 * A model as the simulator names it in the items it sends: {@code "model"} and
 * {@code "model_version"}, each left out when null.
 *
 * @param name the model's name, or {@code null} for the server's default model
 * @param version the version, or {@code null} for the name's only one
 */
record ModelTarget(@Nullable String name, @Nullable String version) {

    /** The server's default model. */
    static final ModelTarget DEFAULT = new ModelTarget(null, null);

    /** {@code NAME} or {@code NAME@VERSION}. */
    static ModelTarget parse(String model) {
        int at = model.indexOf('@');
        return at < 0 ? new ModelTarget(model, null) : new ModelTarget(model.substring(0, at), model.substring(at + 1));
    }

    /** The item fields that name this model, each with a leading comma; empty for the default model. */
    String fields() {
        return (name == null ? "" : ",\"model\":\"" + name + "\"")
                + (version == null ? "" : ",\"model_version\":\"" + version + "\"");
    }
}
