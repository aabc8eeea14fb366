package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class PrometheusScrapeTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** The sample lines of a scrape, without comments, sorted for a stable comparison. */
    private List<String> samples() {
        return registry.scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).sorted().toList();
    }

    @Test
    void exposesTheDocumentedNamesTagsAndValues() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("fraud", "v3").build();
        recorder.record(1, 1);
        recorder.record(1, 1);
        recorder.record(1, 1);
        recorder.record(0, 0);
        recorder.record(1, 0);
        recorder.record(0, 1);
        recorder.record(0, 1);
        recorder.record(0, 0);

        // TP=3, TN=2, FP=1, FN=2: accuracy 5/8, precision 3/4, recall 3/5, f1 6/9
        assertThat(samples()).containsExactlyInAnyOrderElementsOf(
                driftLines("fraud", "v3",
                "false_negatives_total{model=\"fraud\",model_version=\"v3\"} 2.0",
                "false_positives_total{model=\"fraud\",model_version=\"v3\"} 1.0",
                "model_accuracy{model=\"fraud\",model_version=\"v3\"} 0.625",
                "model_f1_score{model=\"fraud\",model_version=\"v3\"} " + (6.0 / 9.0),
                "model_precision{model=\"fraud\",model_version=\"v3\"} 0.75",
                "model_recall{model=\"fraud\",model_version=\"v3\"} 0.6",
                "true_negatives_total{model=\"fraud\",model_version=\"v3\"} 2.0",
                "true_positives_total{model=\"fraud\",model_version=\"v3\"} 3.0"));
    }

    @Test
    void typesAndHelpTextsAreDeclared() {
        FeedbackRecorder.builder(registry).build();
        String scrape = registry.scrape();

        assertThat(scrape)
                .contains("# TYPE true_positives_total counter")
                .contains("# TYPE false_negatives_total counter")
                .contains("# TYPE model_accuracy gauge")
                .contains("# TYPE model_f1_score gauge")
                .contains("# HELP true_positives_total Feedback where the model predicted 1 and the actual value was 1.");
    }

    @Test
    void undefinedGaugesAreNaNAndCountersStartAtZero() {
        FeedbackRecorder.builder(registry).build();

        assertThat(samples()).containsExactlyInAnyOrderElementsOf(driftLines("default", "unknown",
                "false_negatives_total{model=\"default\",model_version=\"unknown\"} 0.0",
                "false_positives_total{model=\"default\",model_version=\"unknown\"} 0.0",
                "model_accuracy{model=\"default\",model_version=\"unknown\"} NaN",
                "model_f1_score{model=\"default\",model_version=\"unknown\"} NaN",
                "model_precision{model=\"default\",model_version=\"unknown\"} NaN",
                "model_recall{model=\"default\",model_version=\"unknown\"} NaN",
                "true_negatives_total{model=\"default\",model_version=\"unknown\"} 0.0",
                "true_positives_total{model=\"default\",model_version=\"unknown\"} 0.0"));
    }

    @Test
    void twoModelsInOneRegistryKeepSeparateSeries() {
        ModelSet recorders = ModelSet.builder(registry)
                .model("fraud", "v3").model("churn", "v1").build();
        recorders.recorder("fraud").record(1, 1);
        recorders.recorder("churn").record(0, 1);
        recorders.recorder("churn").record(0, 0);

        List<String> both = new ArrayList<>(driftLines("churn", "v1"));
        both.addAll(driftLines("fraud", "v3",
                "false_negatives_total{model=\"churn\",model_version=\"v1\"} 1.0",
                "false_negatives_total{model=\"fraud\",model_version=\"v3\"} 0.0",
                "false_positives_total{model=\"churn\",model_version=\"v1\"} 0.0",
                "false_positives_total{model=\"fraud\",model_version=\"v3\"} 0.0",
                "model_accuracy{model=\"churn\",model_version=\"v1\"} 0.5",
                "model_accuracy{model=\"fraud\",model_version=\"v3\"} 1.0",
                "model_f1_score{model=\"churn\",model_version=\"v1\"} 0.0",
                "model_f1_score{model=\"fraud\",model_version=\"v3\"} 1.0",
                "model_precision{model=\"churn\",model_version=\"v1\"} NaN",
                "model_precision{model=\"fraud\",model_version=\"v3\"} 1.0",
                "model_recall{model=\"churn\",model_version=\"v1\"} 0.0",
                "model_recall{model=\"fraud\",model_version=\"v3\"} 1.0",
                "true_negatives_total{model=\"churn\",model_version=\"v1\"} 1.0",
                "true_negatives_total{model=\"fraud\",model_version=\"v3\"} 0.0",
                "true_positives_total{model=\"churn\",model_version=\"v1\"} 0.0",
                "true_positives_total{model=\"fraud\",model_version=\"v3\"} 1.0"));
        assertThat(samples()).containsExactlyInAnyOrderElementsOf(both);
    }

    /**
     * {@code lines} and the series every model has from the start, at rest: its default drift
     * detector's (HDDM_A) and its joins', the label delay's histogram among them.
     */
    private static List<String> driftLines(String model, String version, String... lines) {
        String tags = "model=\"" + model + "\",model_version=\"" + version + "\"";
        List<String> all = new ArrayList<>(List.of(lines));
        all.add("feedback_pending_predictions{" + tags + ",scope=\"replica\"} 0.0");
        all.add("feedback_unmatched_total{" + tags + ",reason=\"evicted\"} 0.0");
        all.add("feedback_unmatched_total{" + tags + ",reason=\"expired\"} 0.0");
        all.add("feedback_unmatched_total{" + tags + ",reason=\"unknown\"} 0.0");
        for (String le : List.of("1.0", "10.0", "60.0", "300.0", "900.0", "3600.0", "10800.0", "21600.0", "43200.0",
                "86400.0", "172800.0", "259200.0", "604800.0", "1209600.0", "2592000.0", "+Inf")) {
            all.add("feedback_label_delay_seconds_bucket{" + tags + ",le=\"" + le + "\"} 0");
        }
        all.add("feedback_label_delay_seconds_count{" + tags + "} 0");
        all.add("feedback_label_delay_seconds_sum{" + tags + "} 0.0");
        all.add("feedback_label_delay_seconds_max{" + tags + "} 0.0");
        all.add("model_drift_detected_total{detector=\"hddm_a\"," + tags + "} 0.0");
        all.add("model_drift_samples_dropped_total{" + tags + "} 0.0");
        all.add("model_drift_state{detector=\"hddm_a\"," + tags + "} 0.0");
        all.add("model_drift_warnings_total{detector=\"hddm_a\"," + tags + "} 0.0");
        return all;
    }
}
