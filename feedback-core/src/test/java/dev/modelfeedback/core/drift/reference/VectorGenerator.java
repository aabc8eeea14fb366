package dev.modelfeedback.core.drift.reference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the drift detector test vectors: for each stream, its error bits and the state of every
 * reference detector after every update.
 *
 * <p>Random streams draw one {@code nextDouble()} per update from a {@link SplittableRandom} with
 * the seed named in the stream's description, and the update is an error iff the draw is below the
 * error rate of that update. The seeds are fixed, so the files are reproducible on any JVM.
 *
 * <p>To regenerate the files, from the repository root:
 * <pre>
 * javac -d feedback-core/target/vector-generator \
 *     feedback-core/src/test/java/dev/modelfeedback/core/drift/reference/ReferenceDetectors.java \
 *     feedback-core/src/test/java/dev/modelfeedback/core/drift/reference/VectorGenerator.java
 * java -cp feedback-core/target/vector-generator dev.modelfeedback.core.drift.reference.VectorGenerator \
 *     feedback-core/src/test/resources/dev/modelfeedback/core/drift/vectors
 * </pre>
 * With {@code --search-warning-seed} instead of a directory it prints the first seed from 1 on
 * for which the warning-then-drift stream has the property it exists for.
 */
public final class VectorGenerator {

    /** The step of the warning-then-drift stream, from this error rate ... */
    static final double WARNING_STEP_FROM = 0.10;
    /** ... to this one. */
    static final double WARNING_STEP_TO = 0.20;
    static final int WARNING_STEP_LENGTH = 2000;
    /** The first seed from 1 on that satisfies {@link #warnsBeforeDrifting}. */
    static final long WARNING_STEP_SEED = 2;

    private static final String STATES_LEGEND =
            "Lines: input (1 = error, 0 = no error), then the state of each reference detector after each"
            + " update (S stable, W warning, D drift).";

    /** One stream and how it was made. */
    record Vector(String name, List<String> description, boolean[] input) {

        /** The file content: description comments, the input bits, one line per detector. */
        String render() {
            StringBuilder text = new StringBuilder();
            for (String line : description) {
                text.append("# ").append(line).append('\n');
            }
            text.append("# ").append(STATES_LEGEND).append('\n');
            text.append("input ").append(bits(input)).append('\n');
            for (String detector : ReferenceDetectors.NAMES) {
                text.append(detector).append(' ').append(ReferenceDetectors.run(detector, input)).append('\n');
            }
            return text.toString();
        }
    }

    private VectorGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: VectorGenerator <output directory> | --search-warning-seed");
        }
        if (args[0].equals("--search-warning-seed")) {
            System.out.println(searchWarningSeed());
            return;
        }
        if (!warnsBeforeDrifting(warningStep(WARNING_STEP_SEED))) {
            throw new IllegalStateException("seed " + WARNING_STEP_SEED + " no longer shows a warning before the drift");
        }
        Path directory = Path.of(args[0]);
        Files.createDirectories(directory);
        for (Vector vector : vectors()) {
            Files.writeString(directory.resolve(vector.name() + ".txt"), vector.render(), StandardCharsets.UTF_8);
        }
    }

    /** Every vector, in a fixed order. */
    static List<Vector> vectors() {
        List<Vector> vectors = new ArrayList<>();
        vectors.add(new Vector("anchor-step", List.of(
                "Anchor: 1000 updates without an error, then 1000 errors. Deterministic.",
                "First drift: ddm 1000, hddm_a 1003, adwin 1023, page_hinkley 1051."),
                constant(1000, false, 1000, true)));
        vectors.add(new Vector("anchor-stationary", List.of(
                "Anchor: 2000 updates, update i is an error iff i % 10 == 9 (error rate 0.10). Deterministic.",
                "No drift from any detector."),
                everyTenth(2000)));
        vectors.add(new Vector("anchor-all-errors", List.of(
                "Anchor: 1000 errors. Deterministic.",
                "No drift from any detector: a constant stream has no change to detect."),
                constant(1000, true, 0, false)));
        vectors.add(random("step-10-to-30", 1, List.of(
                "Abrupt increase: 2000 updates at error rate 0.10, then 2000 at 0.30."),
                new Segment(2000, 0.10, 0.10), new Segment(2000, 0.30, 0.30)));
        vectors.add(random("step-5-to-15", 2, List.of(
                "Abrupt increase: 3000 updates at error rate 0.05, then 3000 at 0.15."),
                new Segment(3000, 0.05, 0.05), new Segment(3000, 0.15, 0.15)));
        vectors.add(random("gradual-10-to-40", 3, List.of(
                "Gradual increase: 1000 updates at error rate 0.10, then 2000 whose rate rises linearly",
                "(update j of the ramp, j = 0..1999, has rate 0.10 + (0.40 - 0.10) * j / 2000), then 1000 at 0.40."),
                new Segment(1000, 0.10, 0.10), new Segment(2000, 0.10, 0.40), new Segment(1000, 0.40, 0.40)));
        vectors.add(random("improvement-30-to-10", 4, List.of(
                "Improvement: 2000 updates at error rate 0.30, then 2000 at 0.10.",
                "A fall of the error rate is not a drift: no detector reports D after the change."),
                new Segment(2000, 0.30, 0.30), new Segment(2000, 0.10, 0.10)));
        vectors.add(new Vector("improvement-all-to-none", List.of(
                "Improvement: 1000 errors, then 1000 updates without an error. Deterministic.",
                "A fall of the error rate is not a drift: no detector reports D."),
                constant(1000, true, 1000, false)));
        vectors.add(random("stationary-20", 5, List.of(
                "Stationary: 6000 updates at error rate 0.20. Any D here is a false alarm of the detector",
                "on this sample and is part of the expected output."),
                new Segment(6000, 0.20, 0.20)));
        vectors.add(random("recurring", 6, List.of(
                "Recurring: 1500 updates at error rate 0.10, 1500 at 0.40, 1500 at 0.10, 1500 at 0.40."),
                new Segment(1500, 0.10, 0.10), new Segment(1500, 0.40, 0.40),
                new Segment(1500, 0.10, 0.10), new Segment(1500, 0.40, 0.40)));
        vectors.add(warningStep(WARNING_STEP_SEED));
        return vectors;
    }

    /**
     * A modest step, on which DDM and HDDM_A both warn after the change and before they first
     * report drift, and neither reports drift before the change.
     */
    static Vector warningStep(long seed) {
        return random("warning-then-drift", seed, List.of(
                "Modest step: " + WARNING_STEP_LENGTH + " updates at error rate " + WARNING_STEP_FROM
                        + ", then " + WARNING_STEP_LENGTH + " at " + WARNING_STEP_TO + ".",
                "The seed is the first from 1 on for which ddm and hddm_a each report no D before update "
                        + WARNING_STEP_LENGTH + " and at least one W",
                "at or after it and before their first D (VectorGenerator --search-warning-seed)."),
                new Segment(WARNING_STEP_LENGTH, WARNING_STEP_FROM, WARNING_STEP_FROM),
                new Segment(WARNING_STEP_LENGTH, WARNING_STEP_TO, WARNING_STEP_TO));
    }

    static boolean warnsBeforeDrifting(Vector vector) {
        for (String detector : List.of("ddm", "hddm_a")) {
            String states = ReferenceDetectors.run(detector, vector.input());
            int firstDrift = states.indexOf(ReferenceDetectors.DRIFT);
            int firstWarningAfterChange = states.indexOf(ReferenceDetectors.WARNING, WARNING_STEP_LENGTH);
            if (firstDrift < WARNING_STEP_LENGTH || firstWarningAfterChange < 0 || firstWarningAfterChange > firstDrift) {
                return false;
            }
        }
        return true;
    }

    private static long searchWarningSeed() {
        for (long seed = 1; ; seed++) {
            if (warnsBeforeDrifting(warningStep(seed))) {
                return seed;
            }
        }
    }

    /** A run of updates whose error rate goes linearly from {@code from} (inclusive) towards {@code to}. */
    private record Segment(int length, double from, double to) {
        double rate(int j) {
            return from + (to - from) * j / length;
        }
    }

    private static Vector random(String name, long seed, List<String> what, Segment... segments) {
        List<String> description = new ArrayList<>(what);
        description.add("Generated by VectorGenerator with java.util.SplittableRandom(" + seed + "):"
                + " one nextDouble() per update, an error iff it is below the update's rate.");
        int length = 0;
        for (Segment segment : segments) {
            length += segment.length();
        }
        SplittableRandom rng = new SplittableRandom(seed);
        boolean[] input = new boolean[length];
        int i = 0;
        for (Segment segment : segments) {
            for (int j = 0; j < segment.length(); j++) {
                input[i++] = rng.nextDouble() < segment.rate(j);
            }
        }
        return new Vector(name, description, input);
    }

    private static boolean[] constant(int firstLength, boolean first, int secondLength, boolean second) {
        boolean[] input = new boolean[firstLength + secondLength];
        for (int i = 0; i < input.length; i++) {
            input[i] = i < firstLength ? first : second;
        }
        return input;
    }

    private static boolean[] everyTenth(int length) {
        boolean[] input = new boolean[length];
        for (int i = 0; i < length; i++) {
            input[i] = i % 10 == 9;
        }
        return input;
    }

    static String bits(boolean[] input) {
        StringBuilder text = new StringBuilder(input.length);
        for (boolean error : input) {
            text.append(error ? '1' : '0');
        }
        return text.toString();
    }
}
