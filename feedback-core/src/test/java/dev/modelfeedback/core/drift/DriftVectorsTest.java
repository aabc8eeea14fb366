package dev.modelfeedback.core.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The production detectors against the test vectors: for every stream and detector, the state
 * after every update equals the one computed by the separately written reference
 * ({@code reference/ReferenceDetectors}), which itself reproduces river's published results.
 */
final class DriftVectorsTest {

    private static final List<String> STREAMS = List.of("anchor-step", "anchor-stationary", "anchor-all-errors",
            "step-10-to-30", "step-5-to-15", "gradual-10-to-40", "improvement-30-to-10", "improvement-all-to-none",
            "stationary-20", "recurring", "warning-then-drift");

    /** A vector file: the input line and, per detector, the expected states. */
    record Vector(String stream, boolean[] input, Map<String, String> expected) {

        static Vector load(String stream) {
            String path = "/dev/modelfeedback/core/drift/vectors/" + stream + ".txt";
            String text;
            try (InputStream in = Objects.requireNonNull(DriftVectorsTest.class.getResourceAsStream(path), path)) {
                text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalStateException(path, e);
            }
            boolean[] input = null;
            Map<String, String> expected = new LinkedHashMap<>();
            for (String line : text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
                String[] parts = line.split(" ", 2);
                if (parts[0].equals("input")) {
                    input = new boolean[parts[1].length()];
                    for (int i = 0; i < input.length; i++) {
                        input[i] = parts[1].charAt(i) == '1';
                    }
                } else {
                    expected.put(parts[0], parts[1]);
                }
            }
            return new Vector(stream, Objects.requireNonNull(input, "no input line in " + path), expected);
        }
    }

    static Stream<Arguments> streamsAndDetectors() {
        return STREAMS.stream().flatMap(stream -> DriftDetector.NAMES.stream().map(name -> Arguments.of(stream, name)));
    }

    private static String run(Supplier<DriftDetector> factory, boolean[] input) {
        DriftDetector detector = factory.get();
        StringBuilder states = new StringBuilder(input.length);
        for (boolean error : input) {
            DriftState state = detector.update(error);
            assertThat(detector.state()).isEqualTo(state);
            states.append(switch (state) {
                case STABLE -> 'S';
                case WARNING -> 'W';
                case DRIFT -> 'D';
            });
        }
        return states.toString();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("streamsAndDetectors")
    void equalsTheReferenceUpdateForUpdate(String stream, String detector) {
        Vector vector = Vector.load(stream);

        String actual = run(DriftDetector.named(detector), vector.input());

        String expected = vector.expected().get(detector);
        assertThat(actual).hasSameSizeAs(expected);
        int mismatch = firstMismatch(actual, expected);
        assertThat(mismatch).as("%s on %s: first differing update (expected %s)", detector, stream,
                mismatch < 0 ? "-" : expected.charAt(mismatch)).isEqualTo(-1);
    }

    private static int firstMismatch(String a, String b) {
        for (int i = 0; i < Math.min(a.length(), b.length()); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return a.length() == b.length() ? -1 : Math.min(a.length(), b.length());
    }
}
