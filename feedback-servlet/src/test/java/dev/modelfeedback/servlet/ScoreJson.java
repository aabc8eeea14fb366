package dev.modelfeedback.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.scores.ReliabilityBin;
import dev.modelfeedback.core.scores.ScoreCounts;
import java.util.List;

/** Checks a window's {@code "scores"} in {@code GET /feedback} against core's {@link ScoreCounts}, double for double. */
final class ScoreJson {

    private ScoreJson() {
    }

    /**
     * Asserts that {@code json} holds exactly the values of {@code expected}: every metric the
     * same double (or {@code null} where it is NaN), every bin, and per class for declared classes.
     *
     * @param labels the model's classes in order, or an empty list for a binary model
     */
    static void assertEquals(JsonNode json, ScoreCounts expected, List<String> labels, String where) {
        assertThat(json.get("n").asLong()).as(where + " n").isEqualTo(expected.n());
        assertMetric(json.get("roc_auc"), expected.rocAuc(), where + " roc_auc");
        assertInterval(json.get("roc_auc_interval"), expected.rocAucInterval(), where + " roc_auc_interval");
        assertMetric(json.get("average_precision"), expected.averagePrecision(), where + " average_precision");
        assertMetric(json.get("log_loss"), expected.logLoss(), where + " log_loss");
        assertMetric(json.get("brier"), expected.brier(), where + " brier");
        assertMetric(json.get("ece"), expected.calibrationError(), where + " ece");
        List<ReliabilityBin> bins = expected.reliability();
        assertThat(json.get("reliability")).as(where + " reliability").hasSize(bins.size());
        for (int b = 0; b < bins.size(); b++) {
            JsonNode bin = json.get("reliability").get(b);
            ReliabilityBin want = bins.get(b);
            String at = where + " bin " + b;
            assertThat(bin.get("lower").asDouble()).as(at + " lower").isEqualTo(want.lower());
            assertThat(bin.get("upper").asDouble()).as(at + " upper").isEqualTo(want.upper());
            assertThat(bin.get("n").asLong()).as(at + " n").isEqualTo(want.n());
            assertMetric(bin.get("mean_score"), want.meanScore(), at + " mean_score");
            assertMetric(bin.get("observed"), want.observed(), at + " observed");
        }
        if (labels.isEmpty()) {
            assertThat(json.has("per_class")).as(where + " per_class").isFalse();
            return;
        }
        JsonNode perClass = json.get("per_class");
        assertThat(perClass.size()).as(where + " per_class").isEqualTo(labels.size());
        for (int c = 0; c < labels.size(); c++) {
            JsonNode row = perClass.get(labels.get(c));
            String at = where + " class " + labels.get(c);
            assertMetric(row.get("roc_auc"), expected.rocAuc(c), at + " roc_auc");
            assertInterval(row.get("roc_auc_interval"), expected.rocAucInterval(c), at + " roc_auc_interval");
            assertMetric(row.get("average_precision"), expected.averagePrecision(c), at + " average_precision");
        }
    }

    static void assertMetric(JsonNode value, double expected, String what) {
        if (Double.isNaN(expected)) {
            assertThat(value.isNull()).as(what + " is null, got " + value).isTrue();
        } else {
            assertThat(value.isNumber()).as(what + " is a number, got " + value).isTrue();
            assertThat(value.asDouble()).as(what).isEqualTo(expected);
        }
    }

    static void assertInterval(JsonNode value, ConfidenceInterval expected, String what) {
        if (!expected.defined()) {
            assertThat(value.isNull()).as(what + " is null, got " + value).isTrue();
        } else {
            assertThat(value.size()).as(what).isEqualTo(2);
            assertThat(value.get(0).asDouble()).as(what + " lower").isEqualTo(expected.lower());
            assertThat(value.get(1).asDouble()).as(what + " upper").isEqualTo(expected.upper());
        }
    }
}
