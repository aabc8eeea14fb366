package dev.modelfeedback.core.drift.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the reference detectors themselves: against the anchor indexes, against the detection
 * indexes river publishes in its docstrings and tests for the same configurations, and against
 * the committed vector files, so the test data cannot silently diverge from the reference.
 */
final class ReferenceDetectorsTest {

    private static final String VECTORS = "/dev/modelfeedback/core/drift/vectors/";
    private static final String RIVER = "/dev/modelfeedback/core/drift/river/";

    static List<String> vectorNames() {
        return List.of("anchor-step", "anchor-stationary", "anchor-all-errors", "step-10-to-30",
                "step-5-to-15", "gradual-10-to-40", "improvement-30-to-10", "improvement-all-to-none",
                "stationary-20", "recurring", "warning-then-drift");
    }

    // ------------------------------------------------------------------ anchors

    @ParameterizedTest
    @CsvSource({"ddm, 1000", "hddm_a, 1003", "adwin, 1023", "page_hinkley, 1051"})
    void anchorStepDriftsOnceAtTheKnownIndex(String detector, int index) {
        boolean[] input = repeat(1000, false, 1000, true);
        assertThat(vector("anchor-step").input()).isEqualTo(input);

        assertThat(driftIndexes(ReferenceDetectors.run(detector, input))).containsExactly(index);
    }

    @ParameterizedTest
    @MethodSource("detectorNames")
    void anchorsWithoutAnIncreaseNeverDrift(String detector) {
        boolean[] everyTenth = new boolean[2000];
        for (int i = 0; i < everyTenth.length; i++) {
            everyTenth[i] = i % 10 == 9;
        }
        boolean[] allErrors = repeat(1000, true, 0, false);
        assertThat(vector("anchor-stationary").input()).isEqualTo(everyTenth);
        assertThat(vector("anchor-all-errors").input()).isEqualTo(allErrors);

        assertThat(ReferenceDetectors.run(detector, everyTenth)).doesNotContain("D");
        assertThat(ReferenceDetectors.run(detector, allErrors)).doesNotContain("D");
    }

    static List<String> detectorNames() {
        return ReferenceDetectors.NAMES;
    }

    // ------------------------------------------------------------------ river's published numbers

    /** The docstrings of DDM and HDDMA print a warning once, then not again until a drift. */
    @Test
    void ddmAndHddmaReproduceRiversDocstrings() {
        boolean[] input = riverStream("ddm-hddma-docstring.txt");
        assertThat(input).hasSize(2000);

        assertThat(docstringOutput(ReferenceDetectors.run("ddm", input))).isEqualTo("W1084 D1334 W1492");
        assertThat(docstringOutput(ReferenceDetectors.run("hddm_a", input))).isEqualTo("W451 D1206");
    }

    @Test
    void ddmAndHddmaReproduceRiversDataStream2() {
        boolean[] input = riverStream("data-stream-2.txt");
        assertThat(input).hasSize(2000);

        assertThat(driftIndexes(ReferenceDetectors.run("ddm", input))).containsExactly(1049);
        assertThat(driftIndexes(ReferenceDetectors.run("hddm_a", input))).containsExactly(1047);
    }

    /** Only river's {@code mode="up"} check applies; its two-sided checks test other configurations. */
    @Test
    void pageHinkleyReproducesRiversDataStream3InModeUp() {
        boolean[] input = riverStream("data-stream-3.txt");
        assertThat(input).hasSize(2000);

        assertThat(driftIndexes(ReferenceDetectors.run("page_hinkley", input))).containsExactly(588, 1681);
    }

    /** river's {@code DDM()} on {@code np.ones(1000)}: p + s never exceeds its own minimum. */
    @Test
    void ddmNeverDriftsOnAllErrorsAsInRiver() {
        assertThat(ReferenceDetectors.run("ddm", repeat(1000, true, 0, false))).doesNotContain("D");
    }

    /**
     * river's ADWIN regression test "no drift on a constant stream" (5000 x 1.0). The rule that
     * only increases drift cannot change the outcome here: on a constant stream every split has
     * equal means, so no split passes and the sign is never consulted.
     */
    @Test
    void adwinNeverDriftsOnAConstantStreamAsInRiver() {
        assertThat(ReferenceDetectors.run("adwin", repeat(5000, true, 0, false))).doesNotContain("D");
    }

    // ------------------------------------------------------------------ the deliberate ADWIN rule

    /**
     * On 1000 errors then 1000 successes, the check at update 1023 finds a split with the older
     * part worse: the window shrinks as in river, but no drift is reported and the shrunk window
     * is kept instead of being discarded on the next update.
     */
    @Test
    void adwinShrinksOnAnImprovementWithoutReportingOrResetting() {
        ReferenceDetectors.Adwin adwin = new ReferenceDetectors.Adwin();
        for (int i = 0; i < 1000; i++) {
            assertThat(adwin.update(true)).isEqualTo(ReferenceDetectors.STABLE);
        }
        for (int i = 1000; i < 1023; i++) {
            adwin.update(false);
        }
        assertThat(adwin.width()).isEqualTo(1023.0);

        assertThat(adwin.update(false)).isEqualTo(ReferenceDetectors.STABLE);
        // The same 17 deletions as for the increase below: the split test is symmetric in the sign.
        double shrunk = adwin.width();
        assertThat(shrunk).isEqualTo(56.0);

        adwin.update(false);
        assertThat(adwin.width()).isEqualTo(shrunk + 1.0);
    }

    /** The mirror image: an increase drifts at update 1023 and the next update starts afresh. */
    @Test
    void adwinReportsAnIncreaseAndStartsAfreshOnTheNextUpdate() {
        ReferenceDetectors.Adwin adwin = new ReferenceDetectors.Adwin();
        for (int i = 0; i < 1000; i++) {
            adwin.update(false);
        }
        for (int i = 1000; i < 1023; i++) {
            assertThat(adwin.update(true)).isEqualTo(ReferenceDetectors.STABLE);
        }

        assertThat(adwin.update(true)).isEqualTo(ReferenceDetectors.DRIFT);
        // river: the first passing split is 704 zeros | 320 newer points; 17 buckets go, 56 points stay.
        assertThat(adwin.width()).isEqualTo(56.0);

        assertThat(adwin.update(true)).isEqualTo(ReferenceDetectors.STABLE);
        assertThat(adwin.width()).isEqualTo(1.0);
    }

    // ------------------------------------------------------------------ the vector files

    @ParameterizedTest
    @MethodSource("vectorNames")
    void vectorFileEqualsTheReferenceOnItsInput(String name) {
        VectorFile vector = vector(name);
        assertThat(vector.states().keySet()).containsExactlyElementsOf(ReferenceDetectors.NAMES);
        for (String detector : ReferenceDetectors.NAMES) {
            assertThat(vector.states().get(detector))
                    .as("%s, %s", name, detector)
                    .isEqualTo(ReferenceDetectors.run(detector, vector.input()));
        }
        assertThat(vector.states().get("adwin")).as("%s: ADWIN has no warning", name).doesNotContain("W");
        assertThat(vector.states().get("page_hinkley")).as("%s: Page-Hinkley has no warning", name).doesNotContain("W");
    }

    @Test
    void generatorReproducesEveryVectorFile() {
        List<VectorGenerator.Vector> generated = VectorGenerator.vectors();
        assertThat(generated).extracting(VectorGenerator.Vector::name).containsExactlyElementsOf(vectorNames());
        for (VectorGenerator.Vector vector : generated) {
            assertThat(resource(VECTORS + vector.name() + ".txt")).as(vector.name()).isEqualTo(vector.render());
        }
    }

    @ParameterizedTest
    @CsvSource({"improvement-30-to-10, 2000", "improvement-all-to-none, 1000"})
    void noDetectorDriftsAfterAnImprovement(String name, int change) {
        VectorFile vector = vector(name);
        for (String detector : ReferenceDetectors.NAMES) {
            assertThat(vector.states().get(detector).substring(change)).as("%s, %s", name, detector).doesNotContain("D");
        }
    }

    @Test
    void warningThenDriftShowsAWarningAfterTheStepBeforeTheFirstDrift() {
        VectorFile vector = vector("warning-then-drift");
        int step = VectorGenerator.WARNING_STEP_LENGTH;
        for (String detector : List.of("ddm", "hddm_a")) {
            String states = vector.states().get(detector);
            int firstDrift = states.indexOf(ReferenceDetectors.DRIFT);
            assertThat(firstDrift).as(detector).isGreaterThanOrEqualTo(step);
            assertThat(states.substring(step, firstDrift)).as(detector).contains("W");
        }
    }

    @Test
    void rejectsAnUnknownDetector() {
        assertThatThrownBy(() -> ReferenceDetectors.run("eddm", new boolean[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ helpers

    /** A parsed vector file: the input bits and the state line of each detector, in file order. */
    private record VectorFile(boolean[] input, Map<String, String> states) {
    }

    private static VectorFile vector(String name) {
        List<String> lines = resource(VECTORS + name + ".txt").lines().toList();
        int first = 0;
        while (first < lines.size() && lines.get(first).startsWith("# ")) {
            first++;
        }
        assertThat(first).as("%s: description", name).isPositive();
        List<String> data = lines.subList(first, lines.size());
        assertThat(data).as("%s: data lines", name).hasSize(1 + ReferenceDetectors.NAMES.size());

        String bits = value(data.get(0), "input");
        assertThat(bits).as("%s: input", name).matches("[01]+");
        Map<String, String> states = new LinkedHashMap<>();
        for (int i = 0; i < ReferenceDetectors.NAMES.size(); i++) {
            String detector = ReferenceDetectors.NAMES.get(i);
            String line = value(data.get(i + 1), detector);
            assertThat(line).as("%s: %s", name, detector).matches("[SWD]+").hasSameSizeAs(bits);
            states.put(detector, line);
        }
        return new VectorFile(toBooleans(bits), states);
    }

    private static String value(String line, String key) {
        assertThat(line).startsWith(key + " ");
        return line.substring(key.length() + 1);
    }

    private static boolean[] riverStream(String file) {
        List<String> data = resource(RIVER + file).lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(data).as(file).hasSize(1);
        assertThat(data.get(0)).as(file).matches("[01]+");
        return toBooleans(data.get(0));
    }

    private static boolean[] toBooleans(String bits) {
        boolean[] input = new boolean[bits.length()];
        for (int i = 0; i < input.length; i++) {
            input[i] = bits.charAt(i) == '1';
        }
        return input;
    }

    private static boolean[] repeat(int firstLength, boolean first, int secondLength, boolean second) {
        boolean[] input = new boolean[firstLength + secondLength];
        Arrays.fill(input, 0, firstLength, first);
        Arrays.fill(input, firstLength, input.length, second);
        return input;
    }

    private static List<Integer> driftIndexes(String states) {
        return IntStream.range(0, states.length()).filter(i -> states.charAt(i) == ReferenceDetectors.DRIFT)
                .boxed().toList();
    }

    /** What river's docstring loop prints: the first warning, then nothing more until a drift. */
    private static String docstringOutput(String states) {
        List<String> printed = new ArrayList<>();
        boolean printWarning = true;
        for (int i = 0; i < states.length(); i++) {
            char state = states.charAt(i);
            if (state == ReferenceDetectors.WARNING && printWarning) {
                printed.add("W" + i);
                printWarning = false;
            }
            if (state == ReferenceDetectors.DRIFT) {
                printed.add("D" + i);
                printWarning = true;
            }
        }
        return String.join(" ", printed);
    }

    private static String resource(String path) {
        try (InputStream in = Objects.requireNonNull(ReferenceDetectorsTest.class.getResourceAsStream(path), path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
