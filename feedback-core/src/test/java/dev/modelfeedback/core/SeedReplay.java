package dev.modelfeedback.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The seed's simulation as test data: every "Feedback sent" line and the metrics printed after
 * it. The seed's first request was counted as (0, 0) before it failed, so a replay starts with
 * {@link #FIRST_UNREPORTED_PREDICTION}/{@link #FIRST_UNREPORTED_ACTUAL}.
 */
public final class SeedReplay {

    public static final int FIRST_UNREPORTED_PREDICTION = 0;
    public static final int FIRST_UNREPORTED_ACTUAL = 0;

    /** The tolerance of the seed's 3-decimal output. */
    public static final double TOLERANCE = 0.0005;

    /**
     * One step of the replay.
     *
     * @param line the 1-based line of the step among the seed's feedback lines
     */
    public record Step(int line, int prediction, int actual,
            double accuracy, double precision, double recall, double f1) {
    }

    private SeedReplay() {
    }

    /** The 39 steps, in the seed's order. */
    public static List<Step> steps() {
        try (InputStream in = Objects.requireNonNull(SeedReplay.class.getResourceAsStream("seed-replay.csv"));
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> lines = reader.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            return java.util.stream.IntStream.range(0, lines.size()).mapToObj(i -> {
                String[] f = lines.get(i).split(",");
                return new Step(i + 1, Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                        Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4]), Double.parseDouble(f[5]));
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
