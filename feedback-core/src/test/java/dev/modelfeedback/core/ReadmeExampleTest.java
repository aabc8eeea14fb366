package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.drift.DriftDetector;
import dev.modelfeedback.core.drift.DriftState;
import dev.modelfeedback.core.window.WindowCounts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's examples, verbatim between the markers, so that they keep compiling and stay true. */
final class ReadmeExampleTest {

    @Test
    void singleModelExample() {
        // README: single-model
        MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry)
                .model("fraud", "v3")           // tags model="fraud", model_version="v3"
                .build();                       // counters registered at 0 now

        recorder.record(1, 0);                  // predicted 1, truth was 0: a false positive
        recorder.record(true, true);            // booleans work too: a true positive

        ClassificationSnapshot s = recorder.snapshot();
        System.out.printf("accuracy=%.3f precision=%.3f recall=%.3f f1=%.3f%n",
                s.accuracy(), s.precision(), s.recall(), s.f1());
        // accuracy=0.500 precision=0.500 recall=1.000 f1=0.667
        // README: end

        assertThat(s).isEqualTo(new ClassificationSnapshot(1, 0, 1, 0));
        assertThat(String.format("accuracy=%.3f precision=%.3f recall=%.3f f1=%.3f",
                s.accuracy(), s.precision(), s.recall(), s.f1()))
                .isEqualTo("accuracy=0.500 precision=0.500 recall=1.000 f1=0.667");
    }

    @Test
    void multiModelExample() {
        MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // README: multi-model
        ModelSet models = ModelSet.builder(registry)
                .model("fraud", "v3")
                .model("churn", "v1")
                .defaultModel("fraud")          // feedback that names no model goes here
                .build();

        models.recorder("churn").record(0, 1);  // a known model
        models.recorder(null).record(1, 1);     // the default model
        // models.recorder("spam") throws UnknownModelException: no new series from input
        // README: end

        assertThat(models.recorder("churn").snapshot().falseNegatives()).isEqualTo(1);
        assertThat(models.recorder("fraud").snapshot().truePositives()).isEqualTo(1);
    }

    @Test
    void windowsExample() {
        MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // README: windows
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry)
                .model("fraud", "v3")
                .windows(Duration.ofMinutes(5), Duration.ofHours(1))    // the default
                .baseline(Baseline.parse("accuracy=0.92,recall=0.85"))  // measured offline
                .build();

        ModelStatus status = recorder.status();  // lifetime and windows from one read
        for (WindowCounts window : status.windows()) {
            ClassificationSnapshot counts = window.counts();
            ConfidenceInterval accuracy = counts.interval(Metric.ACCURACY);
            boolean worse = status.significantlyBelowBaseline(counts, Metric.ACCURACY);
            System.out.printf("%s: accuracy %.3f [%.3f, %.3f] from %d feedbacks%s%n", window.window().name(),
                    counts.accuracy(), accuracy.lower(), accuracy.upper(), counts.total(), worse ? ", below baseline" : "");
        }
        // README: end

        assertThat(status.windows()).extracting(w -> w.window().name()).containsExactly("5m", "1h");
        assertThat(registry.get("model.baseline").tag("metric", "recall").gauge().value()).isEqualTo(0.85);
        recorder.unregister();
    }

    @Test
    void driftExample() {
        MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // README: drift
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry)
                .model("fraud", "v3")
                .driftDetectors(DriftDetector::hddmA, DriftDetector::adwin)  // default: HDDM_A alone
                .driftListener(event -> {
                    if (event.current() == DriftState.DRIFT) {
                        System.out.println(event.detector() + " saw the error rate of " + event.model() + " rise");
                    }
                })
                .build();
        // README: end

        assertThat(recorder.driftDetectors()).containsExactly("hddm_a", "adwin");
        recorder.unregister();
    }

    @Test
    void readmeShowsTheseExamplesVerbatim() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/modelfeedback/core/ReadmeExampleTest.java"));
        String readme = Files.readString(Path.of("../README.md"));
        Matcher snippet = Pattern.compile("// README: [a-z-]+\n(.*?)\n\s*// README: end", Pattern.DOTALL).matcher(source);
        int found = 0;
        while (snippet.find()) {
            String code = snippet.group(1).stripIndent();
            assertThat(readme).as("README.md must show this example verbatim").contains(code);
            found++;
        }
        assertThat(found).isEqualTo(4);
    }
}
