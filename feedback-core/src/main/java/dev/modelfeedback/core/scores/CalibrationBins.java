package dev.modelfeedback.core.scores;

import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The ten equal-width bins of the expected calibration error and the reliability table: bin
 * {@code b} holds the scores with {@code min(floor(10 s), 9) = b}, so [0, 0.1), [0.1, 0.2), ...,
 * [0.9, 1].
 */
public final class CalibrationBins {

    /** How many bins. */
    public static final int BINS = 10;

    private static final List<String> LABELS = IntStream.range(0, BINS)
            .mapToObj(b -> String.format(Locale.ROOT, "%.1f-%.1f", lower(b), upper(b)))
            .toList();

    private CalibrationBins() {
    }

    /** The bin of a score in [0, 1]: {@code min(floor(10 s), 9)}. */
    public static int binOf(double score) {
        return Math.min((int) (BINS * score), BINS - 1);
    }

    /** A bin's lower bound, inclusive. */
    public static double lower(int bin) {
        return bin / (double) BINS;
    }

    /** A bin's upper bound, exclusive but for the last bin's 1. */
    public static double upper(int bin) {
        return (bin + 1) / (double) BINS;
    }

    /** Each bin as the {@code bin} label of Prometheus: {@code 0.0-0.1} ... {@code 0.9-1.0}. */
    public static List<String> labels() {
        return LABELS;
    }
}
