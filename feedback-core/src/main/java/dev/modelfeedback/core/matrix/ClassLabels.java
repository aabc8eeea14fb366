package dev.modelfeedback.core.matrix;

import dev.modelfeedback.core.model.Texts;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The ordered, declared classes of a multi-class model: from 2 to {@value #MAX_CLASSES} distinct
 * labels. A class's index is its place in the declaration; confusion matrices, JSON and the
 * status page list the classes in this order.
 *
 * <pre>{@code
 * ClassLabels classes = ClassLabels.of("billing", "tech", "sales");
 * classes.indexOf("tech");      // 1
 * classes.indexOfNumber(2);     // -1: no label is "2"
 * }</pre>
 *
 * <p>A label is a non-empty string of at most {@value #MAX_LABEL_CODE_POINTS} code points without
 * control characters. Why at most {@value #MAX_CLASSES} classes: a model of K classes costs
 * K&sup2; confusion-matrix series in Prometheus per replica (plus 3K per-class gauges and 6 averages), 1,024 + 96 + 6 at
 * the cap.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClassLabels {

    /** The most classes a model may declare. */
    public static final int MAX_CLASSES = 32;

    /** The longest label, in code points. */
    public static final int MAX_LABEL_CODE_POINTS = 64;

    /**
     * The classes of a binary model, one that declares none: {@code 0} and {@code 1}, with
     * {@code 1} the positive class of precision, recall and F1.
     */
    public static final ClassLabels BINARY = of("0", "1");

    private final List<String> labels;
    private final Map<String, Integer> indexes;

    private ClassLabels(List<String> labels, Map<String, Integer> indexes) {
        this.labels = labels;
        this.indexes = indexes;
    }

    /**
     * Declares classes.
     *
     * @param labels the labels in order
     * @return the classes
     * @throws IllegalArgumentException if there are fewer than 2 or more than {@value #MAX_CLASSES}
     *     labels, or a label is empty, too long, has a control character or is repeated; the
     *     message names the label
     */
    public static ClassLabels of(String... labels) {
        return of(List.of(labels));
    }

    /**
     * The classes a model declares, a failure naming the model: {@code model intent@v2: class
     * 'billing' is declared twice}.
     *
     * @param model how to name the model in a message
     * @param labels the labels
     * @return the classes
     * @throws IllegalArgumentException naming the model and the label, as {@link #of(List)} would
     */
    public static ClassLabels ofModel(String model, List<String> labels) {
        try {
            return of(labels);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("model " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #of(String...)}, from a list.
     *
     * @param labels the labels in order
     * @return the classes
     */
    public static ClassLabels of(List<String> labels) {
        Objects.requireNonNull(labels, "labels");
        if (labels.size() < 2 || labels.size() > MAX_CLASSES) {
            throw new IllegalArgumentException("classes must be 2 to " + MAX_CLASSES + " labels, got " + labels.size());
        }
        Map<String, Integer> indexes = new HashMap<>(labels.size() * 2);
        for (int i = 0; i < labels.size(); i++) {
            String label = Objects.requireNonNull(labels.get(i), "label");
            requireValid(label);
            if (indexes.putIfAbsent(label, i) != null) {
                throw new IllegalArgumentException("class " + Texts.quote(label) + " is declared twice");
            }
        }
        return new ClassLabels(List.copyOf(labels), Map.copyOf(indexes));
    }

    private static void requireValid(String label) {
        if (label.isEmpty()) {
            throw new IllegalArgumentException("a class label must not be empty");
        }
        int codePoints = label.codePointCount(0, label.length());
        if (codePoints > MAX_LABEL_CODE_POINTS) {
            throw new IllegalArgumentException("class " + Texts.quote(label) + " is longer than "
                    + MAX_LABEL_CODE_POINTS + " code points (" + codePoints + ")");
        }
        if (label.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("class " + Texts.quote(label) + " has a control character");
        }
    }

    /** How many classes, K. */
    public int size() {
        return labels.size();
    }

    /** The labels in declared order. */
    public List<String> labels() {
        return labels;
    }

    /**
     * The label of a class.
     *
     * @param index from 0 to {@link #size()} - 1
     * @return its label
     * @throws IndexOutOfBoundsException if there is no such class
     */
    public String label(int index) {
        return labels.get(index);
    }

    /**
     * The index of a label, compared exactly (case-sensitive).
     *
     * @param label a label
     * @return its index, or -1 if it is not declared
     */
    public int indexOf(String label) {
        Integer index = indexes.get(label);
        return index == null ? -1 : index;
    }

    /**
     * The index of the class whose label is the decimal text of {@code number} ({@code 2} for
     * {@code "2"}; {@code "02"} and {@code "+2"} are other labels), as a JSON integer names a class.
     *
     * @param number a number
     * @return its class's index, or -1 if no label is its decimal text
     */
    public int indexOfNumber(long number) {
        return indexOf(Long.toString(number));
    }

    /**
     * A short, stable fingerprint of the labels in their order (eight hexadecimal digits of
     * {@link List#hashCode()}, which Java specifies): a store keeps class indices, and a model
     * whose classes change must not join predictions stored under the old list.
     */
    public String fingerprint() {
        return String.format(Locale.ROOT, "%08x", labels.hashCode());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClassLabels that && labels.equals(that.labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return "ClassLabels" + labels;
    }
}
