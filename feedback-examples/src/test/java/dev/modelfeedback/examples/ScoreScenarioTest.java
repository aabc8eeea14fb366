package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.scores.ScoreCounts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The simulator's scores scenario over HTTP against the example server: each half's ROC AUC, log
 * loss, Brier score and calibration error it prints are those of the items it sent, recomputed
 * here item by item (ROC AUC exactly, by ranks); the ranking metric holds while calibration breaks.
 */
final class ScoreScenarioTest {

    /**
     * How far the server's ROC AUC may be from the exact one: it counts the items of one score
     * bucket (a tenth of log-odds wide, and the tails below 6.8e-6 and above 1 - 6.8e-6) as tied,
     * also in its DeLong interval. The over-confident half puts a quarter of its scores in the
     * lowest bucket, where a few positives meet many negatives.
     */
    private static final double BUCKET_TIES = 0.002;
    /** Half the last printed digit. */
    private static final double PRINTED = 0.0005;
    /** How far apart the two halves' exact ROC AUC may be: three standard deviations of the difference at 2,000 items each. */
    private static final double AUC_NOISE = 0.03;
    /** How much the calibration error must rise: a calibrated half's is about 0.02, an over-confident one's about 0.09. */
    private static final double ECE_RISE = 0.05;

    private static final Pattern ROW = Pattern.compile("  (ROC AUC|log loss|Brier score|ECE) +(\\S+) +(\\S+)"
            + "(?:  \\(95% (\\S+)-(\\S+) and (\\S+)-(\\S+)\\))?(  <- (?:miscalibrated|ranks worse))?");
    private static final Pattern LIFETIME = Pattern.compile("Lifetime on the server: ROC AUC (\\S+) \\(95% interval (\\S+)"
            + " to (\\S+)\\), average precision (\\S+), log loss (\\S+), Brier score (\\S+), ECE (\\S+)\\.");

    @Test
    void printsEachHalfsScoreMetricsFromTheServersCountsAsTheItemsHaveThem() throws Exception {
        try (ExampleServer server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0)
                .withModels(List.of(new ModelId("risk", "v1"), new ModelId("fraud", "v3"))))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int failures = new ScoreScenario(server.uri().resolve("/feedback"), ModelTarget.parse("risk"), 1,
                    new PrintStream(out, true, StandardCharsets.UTF_8)).run();

            List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(failures).as(String.join("\n", lines)).isZero();
            assertReportsTheItems(lines, server.models().recorder("risk").scores());
            assertThat(server.models().recorder("risk").snapshot().total()).isEqualTo(4000);
            assertThat(server.models().recorder("fraud").snapshot().total()).isZero();
        }
    }

    /**
     * Checks a report of the default seed's run against the items, recomputed here, and its
     * lifetime line against the server's counts.
     */
    static void assertReportsTheItems(List<String> lines, ScoreCounts served) {
        List<ScoreScenario.Item> items = ScoreScenario.stream(1);
        List<ScoreScenario.Item> before = items.subList(0, 2000);
        List<ScoreScenario.Item> after = items.subList(2000, 4000);
        assertThat(lines).hasSize(9);
        assertThat(lines.subList(0, 3)).containsExactly("=== Scenario: scores ===",
                "Model risk@v1: 2000 scored feedbacks with calibrated scores, then 2000 ranked alike but"
                        + " over-confident, log-odds x3 (seed 1).",
                "  metric            before     after");
        double[][] exact = {
            {rocAuc(before), rocAuc(after)},
            {logLoss(before), logLoss(after)},
            {brier(before), brier(after)},
            {calibrationError(before), calibrationError(after)},
        };
        double[][] intervals = {rocAucInterval(before), rocAucInterval(after)};
        for (int r = 0; r < 4; r++) {
            Matcher row = ROW.matcher(lines.get(3 + r));
            assertThat(row.matches()).as(lines.get(3 + r)).isTrue();
            assertThat(row.group(1)).isEqualTo(List.of("ROC AUC", "log loss", "Brier score", "ECE").get(r));
            double tolerance = PRINTED + (r == 0 ? BUCKET_TIES : 1e-9);
            assertThat(Double.parseDouble(row.group(2))).as(row.group(1) + " before").isCloseTo(exact[r][0], within(tolerance));
            assertThat(Double.parseDouble(row.group(3))).as(row.group(1) + " after").isCloseTo(exact[r][1], within(tolerance));
            if (r == 0) {
                for (int bound = 0; bound < 4; bound++) {
                    assertThat(Double.parseDouble(row.group(4 + bound))).as("ROC AUC interval bound " + bound)
                            .isCloseTo(intervals[bound / 2][bound % 2], within(tolerance));
                }
                assertThat(row.group(8) != null).as("ROC AUC flagged").isEqualTo(intervals[1][1] < intervals[0][0]);
            } else {
                assertThat(row.group(4)).isNull();
                assertThat(row.group(8) != null).as(row.group(1) + " flagged").isEqualTo(exact[r][1] > 1.1 * exact[r][0]);
            }
        }
        assertThat(lines.get(7)).isEqualTo("Flagged: ROC AUC when its 95% interval after lies below the one before; the"
                + " others when more than 10% above their value before.");

        // the lifetime line is the server's own counts of all 4,000 items, and those are the items'
        ConfidenceInterval interval = served.rocAucInterval();
        assertThat(lines.get(8)).isEqualTo(String.format(Locale.ROOT, "Lifetime on the server: ROC AUC %.3f (95%%"
                + " interval %.3f to %.3f), average precision %.3f, log loss %.3f, Brier score %.3f, ECE %.3f.",
                served.rocAuc(), interval.lower(), interval.upper(), served.averagePrecision(), served.logLoss(),
                served.brier(), served.calibrationError()));
        Matcher lifetime = LIFETIME.matcher(lines.get(8));
        assertThat(lifetime.matches()).isTrue();
        assertThat(served.n()).isEqualTo(4000);
        assertThat(Double.parseDouble(lifetime.group(1))).isCloseTo(rocAuc(items), within(PRINTED + BUCKET_TIES));
        assertThat(Double.parseDouble(lifetime.group(5))).isCloseTo(logLoss(items), within(PRINTED + 1e-9));
        assertThat(Double.parseDouble(lifetime.group(6))).isCloseTo(brier(items), within(PRINTED + 1e-9));
        assertThat(Double.parseDouble(lifetime.group(7))).isCloseTo(calibrationError(items), within(PRINTED + 1e-9));

        // the story of the default seed: the ranking holds, the calibration breaks
        assertThat(exact[0][1]).isCloseTo(exact[0][0], within(AUC_NOISE));
        assertThat(exact[3][1] - exact[3][0]).isGreaterThan(ECE_RISE);
        assertThat(exact[1][1]).isGreaterThan(1.1 * exact[1][0]);
    }

    @Test
    void theOverConfidentHalfKeepsTheLatentOrderAndThePredictions() {
        List<ScoreScenario.Item> items = ScoreScenario.stream(1);

        assertThat(items).hasSize(4000);
        for (ScoreScenario.Item item : items.subList(2000, 4000)) {
            double logOdds = Math.log(item.score() / (1 - item.score()));
            double calibrated = 1 / (1 + Math.exp(-logOdds / ScoreScenario.OVERCONFIDENCE));
            // the latent score the item's actual value was drawn from, pushed towards 0 and 1
            assertThat(Math.abs(item.score() - 0.5)).isGreaterThanOrEqualTo(Math.abs(calibrated - 0.5) - 1e-12);
            assertThat(item.prediction()).isEqualTo(calibrated >= 0.5 ? 1 : 0);
        }
        assertThat(ScoreScenario.stream(1)).isEqualTo(items);
        assertThat(ScoreScenario.stream(2)).isNotEqualTo(items);
    }

    @Test
    void saysTheScenarioNeedsABinaryModel() throws Exception {
        try (ExampleServer server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0)
                .withModels(List.of(new ModelId("intent", "v1")))
                .withClasses(Map.of("intent", MultiClassScenario.DEMO_CLASSES)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int failures = new ScoreScenario(server.uri().resolve("/feedback"), ModelTarget.parse("intent"), 1,
                    new PrintStream(out, true, StandardCharsets.UTF_8)).run();

            assertThat(failures).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly("=== Scenario: scores ===",
                    "Model intent@v1 declares classes; the scores scenario sends a binary model's score of 1: name a"
                            + " binary model with --model.");
            assertThat(server.models().recorder("intent").matrix().total()).isZero();
        }
    }

    @Test
    void readsOneModelsScoreBucketsFromAScrapeAndTheRocAucOfTheirIncrease() {
        String earlier = """
                # HELP model_score_buckets_total Scored feedback with this actual value and a score of class 1 at most le.
                # TYPE model_score_buckets_total counter
                model_score_buckets_total{actual="0",le="0.25",model="risk",model_version="v1"} 1.0
                model_score_buckets_total{actual="0",le="0.5",model="risk",model_version="v1"} 1.0
                model_score_buckets_total{actual="0",le="+Inf",model="risk",model_version="v1"} 1.0
                model_score_buckets_total{actual="1",le="0.25",model="risk",model_version="v1"} 0.0
                model_score_buckets_total{actual="1",le="0.5",model="risk",model_version="v1"} 0.0
                model_score_buckets_total{actual="1",le="+Inf",model="risk",model_version="v1"} 1.0
                model_score_buckets_total{actual="0",le="+Inf",model="ri\\"sk",model_version="v1"} 7.0
                """;
        // since then: actual 0 at a score at most 0.25 (twice) and above 0.5; actual 1 in (0.25, 0.5] and above 0.5
        String later = """
                model_score_buckets_total{actual="0",le="0.25",model="risk",model_version="v1"} 3.0
                model_score_buckets_total{actual="0",le="0.5",model="risk",model_version="v1"} 3.0
                model_score_buckets_total{actual="0",le="+Inf",model="risk",model_version="v1"} 4.0
                model_score_buckets_total{actual="1",le="0.25",model="risk",model_version="v1"} 0.0
                model_score_buckets_total{actual="1",le="0.5",model="risk",model_version="v1"} 1.0
                model_score_buckets_total{actual="1",le="+Inf",model="risk",model_version="v1"} 3.0
                model_score_buckets_total{actual="0",le="0.5",model="risk",model_version="v2"} 9.0
                model_score_buckets_total{actual="0",le="+Inf",model="ri\\"sk",model_version="v1"} 7.0
                model_scored_total{model="risk",model_version="v1"} 7.0
                """;

        ScoreBuckets increase = ScoreBuckets.parse(later, "risk", "v1").minus(ScoreBuckets.parse(earlier, "risk", "v1"));

        assertThat(increase.n()).isEqualTo(5);
        // the positive in (0.25, 0.5] above two of the three negatives; the one above 0.5 above the
        // same two and tied with the third: (2 + 2.5) / (2 * 3)
        assertThat(increase.rocAuc()).isEqualTo(4.5 / 6);
        // DeLong: the positives' shares of negatives below, 2/3 and 2.5/3, vary by 1/72 over P - 1 = 1;
        // the negatives' shares of positives above, 1, 1 and 0.25, by 3/8 over N - 1 = 2
        assertThat(increase.rocAucInterval().lower()).isCloseTo(0.75 - 1.96 * Math.sqrt(1.0 / 72 / 2 + 3.0 / 8 / 2 / 3),
                within(1e-12));
        assertThat(increase.rocAucInterval().upper()).isEqualTo(1.0);
        assertThat(ScoreBuckets.parse(later, "ri\"sk", "v1").n()).isEqualTo(7);
        assertThat(ScoreBuckets.parse(later, "churn", "v1")).isSameAs(ScoreBuckets.NONE);
        assertThat(ScoreBuckets.NONE.rocAuc()).isNaN();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--seed x         | --seed must be a whole number, got 'x'",
        "--seed -1        | --seed must be at least 0, got -1",
        "--seed           | --seed needs a value",
        "--scenario score | --scenario must be seed, drift, delayed, multiclass or scores, got 'score'",
    })
    void refusesBadOptionsOfTheScenarioClearly(String options, String message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = ("simulate --scenario scores " + options).trim().split("\\s+");

        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: " + message + "\nusage:");
    }

    /** Exact ROC AUC: the Mann-Whitney statistic by ranks, ties sharing their mean rank. */
    private static double rocAuc(List<ScoreScenario.Item> items) {
        ScoreScenario.Item[] sorted = items.toArray(ScoreScenario.Item[]::new);
        Arrays.sort(sorted, (a, b) -> Double.compare(a.score(), b.score()));
        double positiveRanks = 0;
        long positives = 0;
        for (int i = 0; i < sorted.length;) {
            int j = i;
            while (j < sorted.length && sorted[j].score() == sorted[i].score()) {
                j++;
            }
            double rank = (i + 1 + j) / 2.0; // the mean of ranks i + 1 .. j
            for (int k = i; k < j; k++) {
                if (sorted[k].actual() == 1) {
                    positiveRanks += rank;
                    positives++;
                }
            }
            i = j;
        }
        long negatives = sorted.length - positives;
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * Exact 95% DeLong interval of ROC AUC, by ranks: the variance over positives of the share of
     * negatives below each and over negatives of the share of positives above each, ties one half.
     */
    private static double[] rocAucInterval(List<ScoreScenario.Item> items) {
        ScoreScenario.Item[] sorted = items.toArray(ScoreScenario.Item[]::new);
        Arrays.sort(sorted, (a, b) -> Double.compare(a.score(), b.score()));
        long positives = items.stream().filter(item -> item.actual() == 1).count();
        long negatives = items.size() - positives;
        double[] belowEachPositive = new double[(int) positives];
        double[] aboveEachNegative = new double[(int) negatives];
        int p = 0;
        int n = 0;
        long negativesBelow = 0;
        long positivesBelow = 0;
        for (int i = 0; i < sorted.length;) {
            int j = i;
            long tiedPositives = 0;
            while (j < sorted.length && sorted[j].score() == sorted[i].score()) {
                tiedPositives += sorted[j].actual();
                j++;
            }
            long tiedNegatives = (j - i) - tiedPositives;
            for (int k = i; k < j; k++) {
                if (sorted[k].actual() == 1) {
                    belowEachPositive[p++] = (negativesBelow + tiedNegatives / 2.0) / negatives;
                } else {
                    aboveEachNegative[n++] = (positives - positivesBelow - tiedPositives + tiedPositives / 2.0) / positives;
                }
            }
            negativesBelow += tiedNegatives;
            positivesBelow += tiedPositives;
            i = j;
        }
        double auc = Arrays.stream(belowEachPositive).average().orElseThrow();
        double s10 = Arrays.stream(belowEachPositive).map(v -> (v - auc) * (v - auc)).sum() / (positives - 1);
        double s01 = Arrays.stream(aboveEachNegative).map(v -> (v - auc) * (v - auc)).sum() / (negatives - 1);
        double half = 1.96 * Math.sqrt(s10 / positives + s01 / negatives);
        return new double[] {Math.max(0, auc - half), Math.min(1, auc + half)};
    }

    private static double logLoss(List<ScoreScenario.Item> items) {
        double sum = 0;
        for (ScoreScenario.Item item : items) {
            double p = Math.min(Math.max(item.score(), 1e-15), 1 - 1e-15);
            sum -= item.actual() == 1 ? Math.log(p) : Math.log(1 - p);
        }
        return sum / items.size();
    }

    private static double brier(List<ScoreScenario.Item> items) {
        double sum = 0;
        for (ScoreScenario.Item item : items) {
            sum += (item.score() - item.actual()) * (item.score() - item.actual());
        }
        return sum / items.size();
    }

    /** Ten bins [0, 0.1), ..., [0.9, 1]: the sum over bins of |actual 1s - sum of scores|, over the items. */
    private static double calibrationError(List<ScoreScenario.Item> items) {
        double[] ones = new double[10];
        double[] scores = new double[10];
        for (ScoreScenario.Item item : items) {
            int bin = Math.min((int) (item.score() * 10), 9);
            ones[bin] += item.actual();
            scores[bin] += item.score();
        }
        double sum = 0;
        for (int b = 0; b < 10; b++) {
            sum += Math.abs(ones[b] - scores[b]);
        }
        return sum / items.size();
    }
}
