package dev.modelfeedback.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.model.Texts;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The simulator's scores scenario: a binary model sends its score (the probability of class 1)
 * with each feedback. For the first half the scores are calibrated: each item's actual value is
 * drawn as 1 with the probability its score states, so a score of 0.8 is right 80% of the time.
 * Halfway the model turns over-confident: the same ranking, each score's log-odds multiplied by
 * {@value #OVERCONFIDENCE}, so scores are pushed towards 0 and 1 while their order, and every
 * prediction at the 0.5 threshold, stays the same. ROC AUC, which sees only the order, stays
 * within noise; log loss, Brier score and the expected calibration error rise.
 *
 * <p>Each half's values come from the server's own counts: log loss, Brier score and ECE from
 * {@code GET /feedback} (the lifetime's {@code "scores"} at halfway, and what the second half
 * added to its sums and its reliability bins); ROC AUC and its 95% interval, which are not sums,
 * from the score bucket counters of {@code GET /metrics} beside it ({@link ScoreBuckets}), read at
 * the same moments. The lifetime line at the end is the server's over both halves: scores of two
 * calibrations ranked together, its ROC AUC is typically below either half's.
 *
 * <pre>{@code
 * === Scenario: scores ===
 * Model risk@v1: 2000 scored feedbacks with calibrated scores, then 2000 ranked alike but over-confident, log-odds x3 (seed 1).
 *   metric            before     after
 *   ROC AUC            0.933     0.912  (95% 0.922-0.943 and 0.899-0.925)
 *   log loss           0.293     0.544  <- miscalibrated
 *   Brier score        0.093     0.125  <- miscalibrated
 *   ECE                0.025     0.101  <- miscalibrated
 * Flagged: ROC AUC when its 95% interval after lies below the one before; the others when more than 10% above their value before.
 * Lifetime on the server: ROC AUC 0.904 (95% interval 0.893 to 0.914), average precision 0.807, log loss 0.418, Brier score 0.109, ECE 0.051.
 * }</pre>
 *
 * <p>Not thread-safe; one run at a time.
 */
final class ScoreScenario {

    /** Items per request. */
    static final int BATCH = 100;
    /** Feedbacks in each half. */
    static final int HALF = 2000;
    /** The mean of the latent log-odds: about 28% of the items are 1, a risk model's minority class. */
    static final double MEAN_LOG_ODDS = -2.0;
    /** The standard deviation of the latent log-odds: a ROC AUC about 0.92. */
    static final double SPREAD_LOG_ODDS = 3.0;
    /** What the second half multiplies each score's log-odds by. */
    static final double OVERCONFIDENCE = 3.0;
    /** A score metric is flagged when its value after is above its value before by more than this share of it. */
    static final double FLAGGED_RISE = 0.10;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScenarioClient client;
    private final URI feedback;
    private final URI metrics;
    private final ModelTarget model;
    private final long seed;
    private final PrintStream out;

    /**
     * @param feedback the {@code /feedback} URL; the score counters are read from {@code /metrics} on
     *     the same server
     * @param model the binary model
     * @param seed the seed of the random stream
     * @param out where the report goes
     */
    ScoreScenario(URI feedback, ModelTarget model, long seed, PrintStream out) {
        this.feedback = feedback;
        this.metrics = feedback.resolve("/metrics");
        this.model = model;
        this.seed = seed;
        this.out = out;
        this.client = new ScenarioClient(feedback, model, out);
    }

    /**
     * One item: the model's score and the actual value.
     *
     * @param score the probability of 1 the model gave
     * @param actual 0 or 1
     */
    record Item(double score, int actual) {

        /** The model's prediction: 1 when its score is at least 0.5. */
        int prediction() {
            return score >= 0.5 ? 1 : 0;
        }
    }

    /**
     * The stream: for each item a latent log-odds z, normal with mean {@link #MEAN_LOG_ODDS} and
     * standard deviation {@link #SPREAD_LOG_ODDS}, and the actual value 1 with probability
     * logistic(z); the score is logistic(z) for the first {@link #HALF} items, and
     * logistic({@link #OVERCONFIDENCE} z) after them. Drawn with {@link SplittableRandom}.
     */
    static List<Item> stream(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Item> items = new ArrayList<>(2 * HALF);
        for (int i = 0; i < 2 * HALF; i++) {
            double logOdds = MEAN_LOG_ODDS + SPREAD_LOG_ODDS * random.nextGaussian();
            int actual = random.nextDouble() < logistic(logOdds) ? 1 : 0;
            items.add(new Item(logistic(i < HALF ? logOdds : OVERCONFIDENCE * logOdds), actual));
        }
        return items;
    }

    private static double logistic(double logOdds) {
        return 1 / (1 + Math.exp(-logOdds));
    }

    /**
     * Sends the stream and reports each half's score metrics.
     *
     * @return how many requests failed
     */
    int run() throws InterruptedException {
        out.println("=== Scenario: scores ===");
        JsonNode status = client.status();
        if (status == null) {
            return 1;
        }
        String name = status.path("model").asText();
        String version = status.path("model_version").asText();
        if (status.has("classes")) {
            out.println("Model " + name + "@" + version + " declares classes; the scores scenario sends a binary model's"
                    + " score of 1: name a binary model with --model.");
            return 1;
        }
        List<Item> items = stream(seed);
        Snapshot start = new Snapshot(status, buckets(name, version));
        // The first request alone: a server that refuses it (one that does not take scores) would
        // refuse the rest the same way.
        if (send(items.subList(0, BATCH)) > 0) {
            out.println("No feedback was accepted; nothing to report.");
            return 1;
        }
        int failures = send(items.subList(BATCH, HALF));
        Snapshot middle = snapshot(name, version);
        failures += send(items.subList(HALF, 2 * HALF));
        Snapshot end = snapshot(name, version);
        if (middle == null || end == null) {
            return failures + 1;
        }
        if (middle.sums == null || end.sums == null) {
            out.println("The server's GET /feedback gives model " + name + "@" + version + " no \"scores\": it does not"
                    + " count scored feedback.");
            return failures + 1;
        }
        ScoreSums before = middle.sums.minus(start.sums);
        ScoreSums after = end.sums.minus(middle.sums);
        ScoreBuckets bucketsBefore = ScoreBuckets.NONE;
        ScoreBuckets bucketsAfter = ScoreBuckets.NONE;
        if (start.buckets != null && middle.buckets != null && end.buckets != null) {
            bucketsBefore = middle.buckets.minus(start.buckets);
            bucketsAfter = end.buckets.minus(middle.buckets);
        }
        out.println("Model " + name + "@" + version + ": " + HALF + " scored feedbacks with calibrated scores, then "
                + HALF + " ranked alike but over-confident, log-odds x" + (int) OVERCONFIDENCE + " (seed " + seed + ").");
        out.println(String.format(Locale.ROOT, "  %-14s %9s %9s", "metric", "before", "after"));
        aucRow(bucketsBefore, bucketsAfter);
        row("log loss", before.logLoss(), after.logLoss());
        row("Brier score", before.brier(), after.brier());
        row("ECE", before.calibrationError(), after.calibrationError());
        out.println("Flagged: ROC AUC when its 95% interval after lies below the one before; the others when more"
                + " than " + Math.round(FLAGGED_RISE * 100) + "% above their value before.");
        if (start.buckets == null || middle.buckets == null || end.buckets == null) {
            out.println("(ROC AUC of each half comes from the score counters of GET " + metrics
                    + ", which could not be read.)");
        } else if (end.buckets.n() == 0) {
            out.println("(ROC AUC of each half comes from the score counters of GET " + metrics + ", which hold"
                    + " none of model " + name + "@" + version + ".)");
        }
        JsonNode lifetime = lifetimeScores(end.status);
        JsonNode interval = lifetime.path("roc_auc_interval");
        out.println("Lifetime on the server: ROC AUC " + format(lifetime.path("roc_auc"))
                + (interval.isArray() ? " (95% interval " + format(interval.path(0)) + " to " + format(interval.path(1))
                        + ")" : "")
                + ", average precision " + format(lifetime.path("average_precision")) + ", log loss "
                + format(lifetime.path("log_loss")) + ", Brier score " + format(lifetime.path("brier")) + ", ECE "
                + format(lifetime.path("ece")) + ".");
        out.flush();
        return failures;
    }

    /** The ROC AUC row, with both halves' 95% intervals; flagged when the one after lies below the one before. */
    private void aucRow(ScoreBuckets before, ScoreBuckets after) {
        ConfidenceInterval intervalBefore = before.rocAucInterval();
        ConfidenceInterval intervalAfter = after.rocAucInterval();
        boolean both = intervalBefore.defined() && intervalAfter.defined();
        out.println(String.format(Locale.ROOT, "  %-14s %9s %9s%s%s", "ROC AUC", format(before.rocAuc()),
                format(after.rocAuc()), both ? "  (95% " + format(intervalBefore.lower()) + "-"
                        + format(intervalBefore.upper()) + " and " + format(intervalAfter.lower()) + "-"
                        + format(intervalAfter.upper()) + ")" : "",
                both && intervalAfter.upper() < intervalBefore.lower() ? "  <- ranks worse" : ""));
    }

    /** The row of a calibration metric; flagged when it rose by more than {@link #FLAGGED_RISE} of its value before. */
    private void row(String metric, double before, double after) {
        out.println(String.format(Locale.ROOT, "  %-14s %9s %9s%s", metric, format(before), format(after),
                after > before * (1 + FLAGGED_RISE) ? "  <- miscalibrated" : ""));
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String format(JsonNode value) {
        return value.isNumber() ? format(value.asDouble()) : "n/a";
    }

    /** The server's state at one moment: its JSON status and the score counters of its scrape (null if unreadable). */
    private static final class Snapshot {
        final JsonNode status;
        final @Nullable ScoreSums sums;
        final @Nullable ScoreBuckets buckets;

        Snapshot(JsonNode status, @Nullable ScoreBuckets buckets) {
            this.status = status;
            this.sums = ScoreSums.of(lifetimeScores(status));
            this.buckets = buckets;
        }
    }

    /** The lifetime's {@code "scores"} of a model's status; a missing node if it has none. */
    private static JsonNode lifetimeScores(JsonNode status) {
        return status.path("windows").path("lifetime").path("scores");
    }

    /**
     * A binary model's scored feedback summed up from its {@code "scores"} in {@code GET /feedback}:
     * the count, the sums of log loss and Brier score (count times mean), and per reliability bin the
     * items, the positives and the sum of the scores; what a later read minus an earlier one is the
     * sum of.
     */
    static final class ScoreSums {
        final long n;
        final double logLoss;
        final double brier;
        final long[] binItems;
        final long[] binPositives;
        final double[] binScores;

        private ScoreSums(long n, double logLoss, double brier, long[] binItems, long[] binPositives,
                double[] binScores) {
            this.n = n;
            this.logLoss = logLoss;
            this.brier = brier;
            this.binItems = binItems;
            this.binPositives = binPositives;
            this.binScores = binScores;
        }

        /** The sums of a {@code "scores"} object; null if it is missing (a server that does not count scores). */
        static @Nullable ScoreSums of(JsonNode scores) {
            if (!scores.isObject()) {
                return null;
            }
            long n = scores.path("n").asLong();
            JsonNode bins = scores.path("reliability");
            long[] items = new long[bins.size()];
            long[] positives = new long[bins.size()];
            double[] sums = new double[bins.size()];
            for (int b = 0; b < bins.size(); b++) {
                JsonNode bin = bins.path(b);
                items[b] = bin.path("n").asLong();
                positives[b] = Math.round(items[b] * bin.path("observed").asDouble());
                sums[b] = items[b] * bin.path("mean_score").asDouble();
            }
            return new ScoreSums(n, n * scores.path("log_loss").asDouble(), n * scores.path("brier").asDouble(), items,
                    positives, sums);
        }

        /** What was counted since an earlier read (no sums if it had none). */
        ScoreSums minus(@Nullable ScoreSums earlier) {
            if (earlier == null || earlier.n == 0) {
                return this;
            }
            long[] items = binItems.clone();
            long[] positives = binPositives.clone();
            double[] sums = binScores.clone();
            for (int b = 0; b < Math.min(items.length, earlier.binItems.length); b++) {
                items[b] -= earlier.binItems[b];
                positives[b] -= earlier.binPositives[b];
                sums[b] = items[b] == 0 ? 0 : sums[b] - earlier.binScores[b];
            }
            return new ScoreSums(n - earlier.n, logLoss - earlier.logLoss, brier - earlier.brier, items, positives, sums);
        }

        /** Mean log loss; NaN without items. */
        double logLoss() {
            return n == 0 ? Double.NaN : logLoss / n;
        }

        /** Mean Brier score; NaN without items. */
        double brier() {
            return n == 0 ? Double.NaN : brier / n;
        }

        /** The expected calibration error: the sum over bins of |positives - sum of scores|, over the items; NaN without items. */
        double calibrationError() {
            if (n == 0) {
                return Double.NaN;
            }
            double sum = 0;
            for (int b = 0; b < binItems.length; b++) {
                sum += Math.abs(binPositives[b] - binScores[b]);
            }
            return sum / n;
        }
    }

    /** The server's state now, or null (said why) if its status cannot be read. */
    private @Nullable Snapshot snapshot(String name, String version) throws InterruptedException {
        JsonNode status = client.status();
        return status == null ? null : new Snapshot(status, buckets(name, version));
    }

    /** The model's score counters in a scrape of {@code /metrics}; null if it cannot be read. */
    private @Nullable ScoreBuckets buckets(String name, String version) throws InterruptedException {
        String scrape = client.get(metrics, "text/plain");
        if (scrape == null) {
            return null;
        }
        try {
            return ScoreBuckets.parse(scrape, name, version);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Sends items in batches; returns how many requests failed. */
    private int send(List<Item> items) throws InterruptedException {
        int failures = 0;
        for (int from = 0; from < items.size(); from += BATCH) {
            StringBuilder body = new StringBuilder("[");
            for (int i = from; i < Math.min(items.size(), from + BATCH); i++) {
                Item item = items.get(i);
                body.append(i == from ? "" : ",").append("{\"prediction\":").append(item.prediction())
                        .append(",\"actual\":").append(item.actual()).append(",\"score\":").append(item.score())
                        .append(model.fields()).append('}');
            }
            if (!client.post(body.append(']').toString())) {
                failures++;
            }
        }
        return failures;
    }
}
