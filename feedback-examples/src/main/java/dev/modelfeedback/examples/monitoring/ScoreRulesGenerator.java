package dev.modelfeedback.examples.monitoring;

import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.metrics.BaselineGauges;
import dev.modelfeedback.core.metrics.ScoreMeters;
import dev.modelfeedback.core.scores.CalibrationBins;
import dev.modelfeedback.core.scores.ScoreLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code feedback-examples/monitoring/score-rules.yml}: the Prometheus recording rules and
 * alerts of scored feedback (ROC AUC with its DeLong interval, log loss, Brier score, calibration
 * error), summed over every replica, over the last 5 minutes, the last hour and the replicas'
 * lifetime. PromQL cannot pair a score bucket with the one below it by its {@code le} label, so the
 * file holds one small rule per bucket for that, made here from {@link ScoreLayout#labels()}; the
 * metric and label names come from {@link ScoreMeters}. The file's header explains the rules.
 *
 * <pre>{@code
 * java -cp feedback-examples/target/feedback-examples.jar \
 *     dev.modelfeedback.examples.monitoring.ScoreRulesGenerator [feedback-examples/monitoring/score-rules.yml]
 * }</pre>
 *
 * <p>Stateless; {@link #rules()} returns the same text on every call.
 */
public final class ScoreRulesGenerator {

    /** Where {@link #main} writes without an argument, from the repository's root. */
    public static final Path DEFAULT_OUTPUT = Path.of("feedback-examples", "monitoring", "score-rules.yml");

    /** The alert on calibration: the hour's expected calibration error above this... */
    static final String CALIBRATION_ERROR_THRESHOLD = "0.1";
    /** ... on at least this many scored items in the hour. */
    static final int CALIBRATION_MIN_ITEMS = 1000;
    /** The alert on ROC AUC judges a row with at least this many positives and as many negatives in the hour. */
    static final int AUC_MIN_ITEMS = 10;

    /** A window the rules are computed over: its name in the rule names and how it reads a counter. */
    private record Window(String group, String counts, String ratio, String range, String description) {

        /** The window's count of a counter of one replica: its increase, or for the lifetime its value. */
        String of(String counter) {
            return range.isEmpty() ? counter : "increase(" + counter + "[" + range + "])";
        }
    }

    private static final List<Window> WINDOWS = List.of(
            new Window("5m", "increase5m", "ratio_rate5m", "5m", "the last 5 minutes"),
            new Window("1h", "increase1h", "ratio_rate1h", "1h", "the last hour"),
            new Window("lifetime", "lifetime", "ratio_lifetime", "",
                    "the lifetime: the counters' own values, everything the replicas running now have counted since"
                            + " they started"));

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z_]+)}");

    private ScoreRulesGenerator() {
    }

    /**
     * Writes the rules.
     *
     * @param args optionally the file to write; else {@link #DEFAULT_OUTPUT}
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if more than one argument is given
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 1) {
            throw new IllegalArgumentException("expected at most one argument, the file to write, got " + args.length);
        }
        Path output = args.length == 0 ? DEFAULT_OUTPUT : Path.of(args[0]);
        Files.writeString(output, rules(), StandardCharsets.UTF_8);
        System.out.println("wrote " + output);
    }

    /** The Prometheus name of a Micrometer counter. */
    static String counter(String micrometerName) {
        return micrometerName.replace('.', '_') + "_total";
    }

    /** The text of {@code score-rules.yml}. */
    public static String rules() {
        StringBuilder out = new StringBuilder(header());
        out.append("groups:\n");
        for (Window window : WINDOWS) {
            window(out, window);
        }
        alerts(out);
        return out.toString();
    }

    private static String header() {
        List<String> labels = ScoreLayout.labels();
        return render("""
                # Recording rules and alerts of scored feedback: ROC AUC with its 95% DeLong interval, log loss,
                # Brier score and expected calibration error, summed over every replica before any division, over
                # three windows: the last 5 minutes (rate5m, increase5m), the last hour (rate1h, increase1h) and the
                # lifetime (the counters' own values summed: everything the replicas running now have counted since
                # they started; the fleet's counterpart of each process's gauges
                # ${gauges}).
                #
                # GENERATED by dev.modelfeedback.examples.monitoring.ScoreRulesGenerator from the core's score layout;
                # do not edit by hand. Regenerate, from the repository's root:
                #   java -cp feedback-examples/target/feedback-examples.jar \\
                #       dev.modelfeedback.examples.monitoring.ScoreRulesGenerator
                # ScoreRulesGeneratorTest fails while this file differs from what the generator writes.
                #
                # Names follow rules.yml (level:metric:operations, labels model and model_version kept). Results:
                #   model:roc_auc:ratio_rate5m             ROC AUC of a binary model's score; with declared classes the
                #                                          mean of the classes' one-vs-rest AUC where defined
                #   model:roc_auc_lower95:ratio_rate5m     its 95% DeLong bounds (binary models; the mean over classes
                #   model:roc_auc_upper95:ratio_rate5m     has none)
                #   model_class:roc_auc:ratio_rate5m       per declared class (label class): its one-vs-rest AUC ...
                #   model_class:roc_auc_lower95:ratio_rate5m, model_class:roc_auc_upper95:ratio_rate5m   ... and bounds
                #   model:log_loss:ratio_rate5m            mean log loss (natural log)
                #   model:brier_score:ratio_rate5m         mean Brier score
                #   model:calibration_error:ratio_rate5m   expected calibration error over the ten bins
                #   model:scored:increase5m                scored items
                #   model_bin:calibration_items:increase5m, model_bin:calibration_positives:increase5m,
                #   model_bin:calibration_score_sum:increase5m   per calibration bin (label bin): the reliability table
                # and the same with rate1h / increase1h, and ratio_lifetime / lifetime. Undefined is absent, never
                # 0 or NaN: no AUC without a positive and a negative, no bounds with fewer than 2 of either, no
                # ratio while the window holds no scored item.
                #
                # ROC AUC from the buckets. ${binary_buckets}{actual, le} (binary models) and
                # ${class_buckets}{class, positive, le} (declared classes, one-vs-rest) count scored
                # items with a score at most le, cumulatively, in ${bucket_count} buckets (${first_le} to ${last_finite_le}, +Inf).
                # A row is what one AUC is computed on: a binary model's score of class 1 (no class label), or
                # a declared class's probability, the items of that class (positive="true") against the others'
                # ("false"); level model_row. Per row, with P_b and N_b the positives and negatives of bucket b,
                # N_<b the negatives below it, P_<=b the positives up to it, P and N the totals:
                #   AUC = sum_b P_b (N_<b + N_b / 2) / (P N)          (a pair in one bucket is a tie: one half)
                #   var = S10 / P + S01 / N                              (DeLong)
                #     S10 = sum_b P_b (theta_b - AUC)^2 / (P - 1),   theta_b = (N_<b + N_b / 2) / N
                #     S01 = sum_b N_b (phi_b - AUC)^2 / (N - 1),     phi_b = 1 - (P_<=b - P_b / 2) / P
                #   bounds = AUC -/+ ${z} sqrt(var), clipped to [0, 1]
                # as the core's RankMetrics computes them; the variance needs counts, so every window works on
                # increase(), not rate(). N_<b + N_b / 2 is the cumulative count at b less half the bucket's own.
                # PromQL cannot pair a series with the one of the next le, so each window has one rule per bucket
                # (model_row:score_bucket_items:*, the bucket's own items: its cumulative count less the one
                # below, le set by the rule); with them every sum above is one rule over all buckets at once,
                # matched on le.
                #
                # Cost, per window and per row (1 for a binary model, K for K declared classes): recorded series
                #   2 x ${bucket_count} cumulative counts (model_row:score_buckets:*), 2 x ${bucket_count} counts per bucket
                #   (model_row:score_bucket_items:*), 8 totals and results per row, 34 per model (scored items, the
                #   two sums, 30 calibration bins, calibration error) and with classes their mean AUC: 1002 per
                #   binary model and window, ~3000 for the three windows; 968 K + 35 per window for K classes
                #   (a replica exports 2 x ${bucket_count} K + ~40 of the kind). The raw buckets of every
                #   replica are read once per window and evaluation (the first rule of each group); every other
                #   rule reads recorded series at one instant, the per-bucket ones two series per row each. The
                #   hour's read is the expensive one (every sample of the hour of each bucket series of each
                #   replica): with many scored models give group model-feedback.scores.1h a longer interval
                #   (interval: 1m); its values move slowly and the alerts wait 10 minutes anyway. The alternative
                #   to the per-bucket rules, one expression shifting le by ${finite_bounds} label_replace() joined by "or",
                #   stores no per-bucket counts but costs time quadratic in the chain and is unreadable.
                """, Map.of(
                "gauges", "model_roc_auc, model_log_loss, model_brier_score, model_calibration_error",
                "binary_buckets", counter(ScoreMeters.SCORE_BUCKET),
                "class_buckets", counter(ScoreMeters.CLASS_SCORE_BUCKET),
                "bucket_count", Integer.toString(ScoreLayout.BUCKETS),
                "finite_bounds", Integer.toString(ScoreLayout.BUCKETS - 1),
                "first_le", labels.get(0),
                "last_finite_le", labels.get(labels.size() - 2),
                "z", Double.toString(ConfidenceInterval.Z_95)));
    }

    private static void window(StringBuilder out, Window window) {
        Map<String, String> v = variables(window);
        out.append(render("""

                  - name: model-feedback.scores.${group}
                    rules:
                      # Over ${description}.
                      # Every row's cumulative bucket counts, summed over replicas: a binary model's actual="1"
                      # becomes positive="true", actual="0" positive="false".
                      - record: ${buckets}
                        expr: >
                          sum by (model, model_version, positive, le) (
                            label_replace(label_replace(${binary_raw},
                              "positive", "true", "actual", "1"), "positive", "false", "actual", "0")
                          )
                          or sum by (model, model_version, class, positive, le) (${class_raw})
                      # Each bucket's own items: its cumulative count less the one below (the first bucket's are its count).
                """, v));
        List<String> labels = ScoreLayout.labels();
        out.append(render("""
                      - {record: ${bucket_items}, labels: {le: "${le}"}, expr: '${buckets}{le="${le}"}'}
                """, with(v, "le", labels.get(0))));
        for (int b = 1; b < labels.size(); b++) {
            Map<String, String> pair = with(with(v, "le", labels.get(b)), "below", labels.get(b - 1));
            out.append(render("""
                      - {record: ${bucket_items}, labels: {le: "${le}"}, expr: '${buckets}{le="${le}"} - ignoring (le) ${buckets}{le="${below}"}'}
                """, pair));
        }
        out.append(render("""
                      # Each row's positives (positive="true") and negatives ("false").
                      - record: ${items}
                        expr: sum without (le) (${buckets}{le="+Inf"})
                      # sum_b P_b (N_<b + N_b / 2): the positive-negative pairs ranked right, a tie counting one half.
                      - record: ${pairs}
                        expr: >
                          sum by (model, model_version, class) (
                            ${bucket_items}{positive="true"}
                            * ignoring (positive)
                            (${buckets}{positive="false"} - ${bucket_items}{positive="false"} / 2)
                          )
                      # Each row's ROC AUC; no series without a positive or without a negative. increase()
                      # extrapolates each series by its own factor, so a window's per-bucket counts can miss
                      # by a hair (even below 0): clamp() keeps the AUC a probability, and clamp_min() below
                      # keeps a variance that is 0 (every pair in order) from a hair below it and a NaN
                      # bound. Exact counts (the lifetime) never reach either clamp.
                      - record: ${row_auc}
                        expr: >
                          clamp(
                            ${pairs}
                            / (${items}{positive="true"} * ignoring (positive) ${items}{positive="false"} > 0),
                            0, 1
                          )
                      # DeLong's variance of each row's AUC, S10 / P + S01 / N; no series with fewer than 2
                      # positives or 2 negatives.
                      - record: ${row_variance}
                        expr: >
                          clamp_min(
                            sum by (model, model_version, class) (
                              ${bucket_items}{positive="true"}
                              * ignoring (positive) (
                                (${buckets}{positive="false"} - ${bucket_items}{positive="false"} / 2)
                                / on (model, model_version, class) group_left () ${items}{positive="false"}
                                - on (model, model_version, class) group_left () ${row_auc}
                              ) ^ 2
                            )
                            / on (model, model_version, class) ((${items}{positive="true"} >= 2) - 1)
                            / on (model, model_version, class) ${items}{positive="true"}
                            + on (model, model_version, class)
                            sum by (model, model_version, class) (
                              ${bucket_items}{positive="false"}
                              * ignoring (positive) (
                                1
                                - (${buckets}{positive="true"} - ${bucket_items}{positive="true"} / 2)
                                / on (model, model_version, class) group_left () ${items}{positive="true"}
                                - on (model, model_version, class) group_left () ${row_auc}
                              ) ^ 2
                            )
                            / on (model, model_version, class) ((${items}{positive="false"} >= 2) - 1)
                            / on (model, model_version, class) ${items}{positive="false"},
                            0
                          )
                      # A binary model's AUC, or the mean over a model's classes where theirs is defined (sum and
                      # count, as the core divides, not avg(), whose running mean rounds differently).
                      - record: model:roc_auc:${ratio}
                        expr: >
                          ${row_auc}{class=""}
                          or sum by (model, model_version) (${row_auc}{class!=""})
                          / count by (model, model_version) (${row_auc}{class!=""})
                      - record: model:roc_auc_lower95:${ratio}
                        expr: clamp_min(${row_auc}{class=""} - ${z} * sqrt(${row_variance}{class=""}), 0)
                      - record: model:roc_auc_upper95:${ratio}
                        expr: clamp_max(${row_auc}{class=""} + ${z} * sqrt(${row_variance}{class=""}), 1)
                      - record: model_class:roc_auc:${ratio}
                        expr: ${row_auc}{class!=""}
                      - record: model_class:roc_auc_lower95:${ratio}
                        expr: clamp_min(${row_auc}{class!=""} - ${z} * sqrt(${row_variance}{class!=""}), 0)
                      - record: model_class:roc_auc_upper95:${ratio}
                        expr: clamp_max(${row_auc}{class!=""} + ${z} * sqrt(${row_variance}{class!=""}), 1)
                      # Log loss and Brier score: the sums over the scored items; no series without one.
                      - record: ${scored}
                        expr: sum by (model, model_version) (${scored_raw})
                      - record: model:log_loss:${ratio}
                        expr: sum by (model, model_version) (${log_loss_raw}) / (${scored} > 0)
                      - record: model:brier_score:${ratio}
                        expr: sum by (model, model_version) (${brier_raw}) / (${scored} > 0)
                      # Calibration, per bin (label bin, "${first_bin}" to "${last_bin}"): items, positives (binary: actual 1;
                      # declared classes: predicted right) and the sum of their scores (of the predicted class).
                      - record: ${bin_items}
                        expr: sum by (model, model_version, bin) (${bin_items_raw})
                      - record: ${bin_positives}
                        expr: sum by (model, model_version, bin) (${bin_positives_raw})
                      - record: ${bin_score_sum}
                        expr: sum by (model, model_version, bin) (${bin_score_sum_raw})
                      # Expected calibration error: sum over bins of |positives - score sum|, over all scored items.
                      - record: model:calibration_error:${ratio}
                        expr: >
                          sum by (model, model_version) (abs(${bin_positives} - ${bin_score_sum}))
                          / (${scored} > 0)
                """, v));
    }

    private static void alerts(StringBuilder out) {
        Map<String, String> v = new LinkedHashMap<>(variables(WINDOWS.get(1)));
        v.put("baseline", BaselineGauges.NAME.replace('.', '_'));
        v.put("auc_min", Integer.toString(AUC_MIN_ITEMS));
        v.put("ece_threshold", CALIBRATION_ERROR_THRESHOLD);
        v.put("ece_min", Integer.toString(CALIBRATION_MIN_ITEMS));
        out.append(render("""

                  - name: model-feedback.scores.alerts
                    rules:
                      # ROC AUC significantly below the model's baseline (model_baseline{metric="roc_auc"}), across
                      # all replicas, over the last hour, as ModelBelowBaseline in rules.yml does for accuracy:
                      # binary models when the upper bound of the hour's 95% DeLong interval is under the baseline.
                      # The interval is a large-sample one: with a handful of items it can shrink to a point (2
                      # positives all below 2 negatives give [0, 0]), so the hour must also hold at least ${auc_min}
                      # positives and ${auc_min} negatives. Declared classes: the macro AUC has no interval of its own;
                      # the mean of the classes' upper bounds bounds it (each class's AUC under its bound puts the
                      # mean under theirs; a false alarm needs some class above its bound, at most K x 2.5% for K
                      # classes), on at least ${auc_min} positives and negatives of every class. Replicas with
                      # reference-period baselines each have their own; the alert compares with their mean.
                      - alert: ModelAucBelowBaseline
                        expr: >
                          model:roc_auc_upper95:${ratio}
                          < on (model, model_version) avg by (model, model_version) (${baseline}{metric="roc_auc"})
                          and on (model, model_version) min by (model, model_version) (${items}{class=""}) >= ${auc_min}
                          or
                          sum by (model, model_version) (model_class:roc_auc_upper95:${ratio})
                          / count by (model, model_version) (model_class:roc_auc_upper95:${ratio})
                          < on (model, model_version) avg by (model, model_version) (${baseline}{metric="roc_auc"})
                          and on (model, model_version) min by (model, model_version) (${items}{class!=""}) >= ${auc_min}
                        for: 10m
                        labels:
                          severity: warning
                        annotations:
                          summary: "Model {{ $labels.model }} {{ $labels.model_version }}: ROC AUC significantly below its baseline"
                          description: >
                            Over the last hour, across all replicas, the ROC AUC of {{ $labels.model }} (version
                            {{ $labels.model_version }}) is at most {{ printf "%.3f" $value }} (the upper bound of its 95%
                            DeLong interval; with declared classes the mean of the classes' bounds), below its baseline,
                            on at least ${auc_min} positives and ${auc_min} negatives, for 10 minutes.

                      # Miscalibrated: over the last hour, across all replicas, the expected calibration error is
                      # above ${ece_threshold} on at least ${ece_min} scored items. An ECE of ${ece_threshold} means the scores are off from
                      # the observed frequencies by 10 points on average, enough to misplace any decision taken
                      # on a threshold of the score (a "0.8" that comes true 70% of the time); ranking metrics
                      # (AUC) do not see it. Sampling alone gives a calibrated model an expected ECE of at most
                      # sqrt(10 / n) / 2 over n items (positives - score sum of a bin of m items has a standard
                      # deviation of at most sqrt(m) / 2): 0.05 at n = ${ece_min}, half the threshold, so the guard
                      # keeps noise from firing it. Edit both to suit the model.
                      - alert: ModelMiscalibrated
                        expr: >
                          model:calibration_error:${ratio} > ${ece_threshold}
                          and on (model, model_version) ${scored} >= ${ece_min}
                        for: 10m
                        labels:
                          severity: warning
                        annotations:
                          summary: 'Model {{ $labels.model }} {{ $labels.model_version }}: calibration error {{ printf "%.3f" $value }} over 1h'
                          description: >
                            Over the last hour, across all replicas, the scores of {{ $labels.model }} (version
                            {{ $labels.model_version }}) were off from the observed frequencies by {{ printf "%.3f" $value }}
                            on average (expected calibration error over ten bins, above ${ece_threshold}), on at least ${ece_min}
                            scored items, for 10 minutes: thresholds on the score no longer mean what they did.
                """, v));
    }

    private static Map<String, String> variables(Window window) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("group", window.group());
        v.put("description", window.description());
        v.put("ratio", window.ratio());
        v.put("binary_raw", window.of(counter(ScoreMeters.SCORE_BUCKET)));
        v.put("class_raw", window.of(counter(ScoreMeters.CLASS_SCORE_BUCKET)));
        v.put("scored_raw", window.of(counter(ScoreMeters.SCORED)));
        v.put("log_loss_raw", window.of(counter(ScoreMeters.LOG_LOSS_SUM)));
        v.put("brier_raw", window.of(counter(ScoreMeters.BRIER_SUM)));
        v.put("bin_items_raw", window.of(counter(ScoreMeters.CALIBRATION_ITEMS)));
        v.put("bin_positives_raw", window.of(counter(ScoreMeters.CALIBRATION_POSITIVES)));
        v.put("bin_score_sum_raw", window.of(counter(ScoreMeters.CALIBRATION_SCORE_SUM)));
        v.put("buckets", "model_row:score_buckets:" + window.counts());
        v.put("bucket_items", "model_row:score_bucket_items:" + window.counts());
        v.put("items", "model_row:score_items:" + window.counts());
        v.put("pairs", "model_row:score_pairs:" + window.counts());
        v.put("row_auc", "model_row:roc_auc:" + window.ratio());
        v.put("row_variance", "model_row:roc_auc_variance:" + window.ratio());
        v.put("scored", "model:scored:" + window.counts());
        v.put("bin_items", "model_bin:calibration_items:" + window.counts());
        v.put("bin_positives", "model_bin:calibration_positives:" + window.counts());
        v.put("bin_score_sum", "model_bin:calibration_score_sum:" + window.counts());
        v.put("z", Double.toString(ConfidenceInterval.Z_95));
        v.put("first_bin", CalibrationBins.labels().get(0));
        v.put("last_bin", CalibrationBins.labels().get(CalibrationBins.BINS - 1));
        return v;
    }

    private static Map<String, String> with(Map<String, String> variables, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(variables);
        copy.put(name, value);
        return copy;
    }

    /** The template with each {@code ${name}} replaced; a name without a value is a bug here. */
    private static String render(String template, Map<String, String> variables) {
        Matcher matcher = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = variables.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for ${" + matcher.group(1) + "}");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(out).toString();
    }
}
