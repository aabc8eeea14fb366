package dev.modelfeedback.core.model;

import java.util.regex.Pattern;

/**
 * The identity of a deployed model: its name and version, which become the {@code model} and
 * {@code model_version} tags of every meter.
 *
 * <p>Both are validated because they become Prometheus label values and may come from request
 * input: 1 to {@value #MAX_LENGTH} characters, starting with a letter or digit, then letters,
 * digits, {@code .}, {@code _}, {@code -}, {@code +} or {@code :}.
 *
 * @param name the model's name, for example {@code fraud}
 * @param version the model's version, for example {@code v3}; {@value #UNKNOWN_VERSION} if unknown
 */
public record ModelId(String name, String version) {

    /** The name used when a server declares no model. */
    public static final String DEFAULT_NAME = "default";

    /** The version used when none is given (an empty label value would vanish in Prometheus). */
    public static final String UNKNOWN_VERSION = "unknown";

    /** The longest name or version accepted. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+:-]*");

    /** The model every recorder uses unless told otherwise: {@code default}, version {@code unknown}. */
    public static final ModelId DEFAULT = new ModelId(DEFAULT_NAME, UNKNOWN_VERSION);

    /**
     * @throws IllegalArgumentException if the name or version is empty, too long or has a
     *     character outside the allowed set
     */
    public ModelId {
        validate("model", name);
        validate("model version", version);
    }

    /** A model whose version is not known: version {@value #UNKNOWN_VERSION}. */
    public static ModelId of(String name) {
        return new ModelId(name, UNKNOWN_VERSION);
    }

    /**
     * Checks a model name without building an id.
     *
     * @param name the candidate name
     * @return the name
     * @throws IllegalArgumentException if it is not a valid model name
     */
    public static String requireValidName(String name) {
        validate("model", name);
        return name;
    }

    /**
     * Checks a model version without building an id.
     *
     * @param version the candidate version
     * @return the version
     * @throws IllegalArgumentException if it is not a valid model version
     */
    public static String requireValidVersion(String version) {
        validate("model_version", version);
        return version;
    }

    /**
     * Checks another label value by the same rules, for example a drift detector's name.
     *
     * @param what what the value is, for the message
     * @param value the candidate
     * @throws IllegalArgumentException if it breaks the rules
     */
    public static void requireValidLabel(String what, String value) {
        validate(what, value);
    }

    private static void validate(String what, String value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_LENGTH
                    + " characters long, got " + value.length() + " characters");
        }
        if (!ALLOWED.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must start with a letter or digit and contain only"
                    + " letters, digits and . _ - + :, got " + Texts.quote(value));
        }
    }

    @Override
    public String toString() {
        return name + "@" + version;
    }
}
