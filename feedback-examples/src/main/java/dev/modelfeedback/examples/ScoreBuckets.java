package dev.modelfeedback.examples;

import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.metrics.ScoreMeters;
import dev.modelfeedback.core.scores.RankMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A binary model's score bucket counters as a Prometheus scrape of the server shows them,
 * {@code model_score_buckets_total{actual, le}} (scored feedback with that actual value and a score
 * at most {@code le}, cumulative over {@code le}), and the ROC AUC of what was counted between two
 * scrapes, with its 95% interval: what a recording rule computes from the counters' increase. {@code GET /feedback} gives
 * ROC AUC over the life of the process and its windows only, and a lifetime ROC AUC cannot be
 * taken apart into the AUC of its halves the way log loss (a sum) can: the counts can.
 *
 * <p>Immutable.
 */
final class ScoreBuckets {

    /** The counter's name in the Prometheus text format: {@code model_score_buckets_total}. */
    static final String SERIES = ScoreMeters.SCORE_BUCKET.replace('.', '_') + "_total";

    /** No scored feedback. */
    static final ScoreBuckets NONE = new ScoreBuckets(new TreeMap<>());

    /** Per upper bound, ascending: the cumulative count of actual 0 at index 0, of actual 1 at index 1. */
    private final NavigableMap<Double, long[]> cumulative;

    private ScoreBuckets(NavigableMap<Double, long[]> cumulative) {
        this.cumulative = cumulative;
    }

    /**
     * The counters of one model in a scrape.
     *
     * @param scrape the Prometheus text format, as {@code GET /metrics} answers it
     * @param model the model's name ({@code model} tag)
     * @param version its version ({@code model_version} tag)
     * @return the counts; {@link #NONE} if the scrape holds no such series (no scored feedback yet)
     * @throws IllegalArgumentException if a series of the counter is not in the text format
     */
    static ScoreBuckets parse(String scrape, String model, String version) {
        NavigableMap<Double, long[]> cumulative = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(SERIES + "{")) {
                continue;
            }
            int end = labelsEnd(line, SERIES.length() + 1);
            Map<String, String> labels = labels(line.substring(SERIES.length() + 1, end));
            if (!model.equals(labels.get("model")) || !version.equals(labels.get("model_version"))) {
                continue;
            }
            String le = labels.get("le");
            String actual = labels.get("actual");
            if (le == null || !("0".equals(actual) || "1".equals(actual))) {
                throw new IllegalArgumentException("a series of " + SERIES + " without le or actual 0 or 1: " + line);
            }
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            String[] rest = line.substring(end + 1).trim().split(" ");
            cumulative.computeIfAbsent(bound, b -> new long[2])[Integer.parseInt(actual)] =
                    Math.round(Double.parseDouble(rest[0]));
        }
        return cumulative.isEmpty() ? NONE : new ScoreBuckets(cumulative);
    }

    /** The index of the {@code '}'} that closes the labels opened before {@code from}. */
    private static int labelsEnd(String line, int from) {
        boolean quoted = false;
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '}') {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated labels: " + line);
    }

    /** {@code name="value",...}, the values unescaped. */
    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            if (eq < 0 || eq + 1 >= text.length() || text.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("labels not name=\"value\": " + text);
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < text.length() && text.charAt(j) != '"'; j++) {
                char c = text.charAt(j);
                if (c == '\\' && j + 1 < text.length()) {
                    char escaped = text.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            labels.put(text.substring(i, eq).trim(), value.toString());
            i = j + 1;
            if (i < text.length() && text.charAt(i) == ',') {
                i++;
            }
        }
        return labels;
    }

    /** How many scored items: the {@code +Inf} buckets of both actual values. */
    long n() {
        return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue()[0] + cumulative.lastEntry().getValue()[1];
    }

    /**
     * The counts since an earlier scrape of the same server.
     *
     * @param earlier the earlier counts
     * @return what was counted in between
     */
    ScoreBuckets minus(ScoreBuckets earlier) {
        NavigableMap<Double, long[]> difference = new TreeMap<>();
        cumulative.forEach((bound, counts) -> {
            long[] before = earlier.cumulative.getOrDefault(bound, new long[2]);
            difference.put(bound, new long[] {counts[0] - before[0], counts[1] - before[1]});
        });
        return difference.isEmpty() ? NONE : new ScoreBuckets(difference);
    }

    /**
     * ROC AUC: the probability that an item with actual 1 scores above one with actual 0, two items
     * in one bucket counting one half, as core computes it.
     *
     * @return NaN without an item of each actual value
     */
    double rocAuc() {
        long[][] counts = perBucket();
        return RankMetrics.rocAuc(counts[0], counts[1]);
    }

    /**
     * The 95% interval of {@link #rocAuc()} from DeLong's variance, as core computes it.
     *
     * @return {@link ConfidenceInterval#UNDEFINED} with fewer than two items of either actual value
     */
    ConfidenceInterval rocAucInterval() {
        long[][] counts = perBucket();
        return RankMetrics.rocAucInterval(counts[0], counts[1]);
    }

    /** Each bucket's own counts, ascending: of actual 0 in row 0, of actual 1 in row 1. */
    private long[][] perBucket() {
        long[][] counts = new long[2][cumulative.size()];
        long[] previous = new long[2];
        int b = 0;
        for (long[] upTo : cumulative.values()) {
            counts[0][b] = upTo[0] - previous[0];
            counts[1][b] = upTo[1] - previous[1];
            previous = upTo;
            b++;
        }
        return counts;
    }
}
