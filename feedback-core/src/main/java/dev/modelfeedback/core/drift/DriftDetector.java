package dev.modelfeedback.core.drift;

import java.util.List;
import java.util.function.Supplier;

/**
 * A sequential test on a model's error stream that signals a significant rise in its error rate.
 * Feed it one sample per piece of feedback, {@code true} when the prediction was wrong, in the order
 * the feedback arrived.
 *
 * <pre>{@code
 * DriftDetector detector = DriftDetector.hddmA();
 * for (boolean error : errors) {
 *     if (detector.update(error) == DriftState.DRIFT) {
 *         // the error rate rose; the detector starts afresh with the next sample
 *     }
 * }
 * }</pre>
 *
 * <p>The four implementations follow river's ({@code river.drift.binary.DDM},
 * {@code river.drift.binary.HDDM_A}, {@code river.drift.ADWIN}, {@code river.drift.PageHinkley})
 * update for update at their defaults, with one deliberate difference: an improvement (a fall in
 * the error rate) is never reported as {@link DriftState#DRIFT}.
 *
 * <p>Not thread-safe: a detector sees one ordered stream. A recorder feeds its detectors from a
 * buffer, off the record path.
 */
public interface DriftDetector {

    /**
     * Takes the next sample.
     *
     * @param error whether the prediction was wrong
     * @return the state after this sample
     */
    DriftState update(boolean error);

    /** The state after the last sample; {@link DriftState#STABLE} before any. */
    DriftState state();

    /**
     * The detector's name, the {@code detector} tag of its meters: {@code ddm}, {@code hddm_a},
     * {@code adwin} or {@code page_hinkley}.
     */
    String name();

    /** The names of the four detectors, as {@link #name()} gives them. */
    List<String> NAMES = List.of("ddm", "hddm_a", "adwin", "page_hinkley");

    /**
     * The factory of a detector with its defaults, by name: for configuration files.
     *
     * @param name {@code ddm}, {@code hddm_a}, {@code adwin} or {@code page_hinkley}
     * @return a factory of new detectors of that kind
     * @throws IllegalArgumentException for any other name
     */
    /**
     * Detector factories to run side by side, checked: the names of the detectors they make must
     * differ, as each becomes a label value.
     *
     * @param factories one per detector
     * @return the factories, an immutable copy
     * @throws IllegalArgumentException if two detectors have the same name
     */
    static List<Supplier<? extends DriftDetector>> distinct(List<? extends Supplier<? extends DriftDetector>> factories) {
        List<String> names = factories.stream().map(factory -> factory.get().name()).toList();
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("drift detectors must have distinct names, got " + names);
        }
        return List.copyOf(factories);
    }

    static Supplier<DriftDetector> named(String name) {
        return switch (name) {
            case "ddm" -> DriftDetector::ddm;
            case "hddm_a" -> DriftDetector::hddmA;
            case "adwin" -> DriftDetector::adwin;
            case "page_hinkley" -> DriftDetector::pageHinkley;
            default -> throw new IllegalArgumentException("drift detector must be one of " + String.join(", ", NAMES)
                    + ", got '" + name + "'");
        };
    }

    /** DDM with river's defaults: warm start 30, warning at 2 and drift at 3 standard deviations. */
    static DriftDetector ddm() {
        return new Ddm();
    }

    /** HDDM_A with river's defaults: drift confidence 0.001, warning confidence 0.005, increases only. */
    static DriftDetector hddmA() {
        return new HddmA();
    }

    /** ADWIN with river's defaults: delta 0.002, clock 32, 5 buckets per row, minimum window 5, grace 10. */
    static DriftDetector adwin() {
        return new Adwin();
    }

    /** Page-Hinkley with river's defaults: 30 instances, delta 0.005, threshold 50, alpha 0.9999, upward. */
    static DriftDetector pageHinkley() {
        return new PageHinkley();
    }
}
