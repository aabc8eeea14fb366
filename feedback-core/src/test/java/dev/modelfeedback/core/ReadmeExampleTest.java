package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.drift.DriftDetector;
import dev.modelfeedback.core.drift.DriftState;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.window.WindowCounts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's examples, verbatim between the markers, so that they keep compiling and stay true. */
final class ReadmeExampleTest {

    /** What the examples print to {@code System.out}, checked instead of printed on the build's console. */
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream console;

    @BeforeEach
    void captureSystemOut() {
        console = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreSystemOut() {
        System.setOut(console);
    }

    private List<String> printedLines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

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
        assertThat(printedLines()).as("what the README says it prints")
                .containsExactly("accuracy=0.500 precision=0.500 recall=1.000 f1=0.667");
    }

    @Test
    void multiModelExample() {
        // README: multi-model
        MeterRegistry registry = new SimpleMeterRegistry();    // your application's registry
        ModelSet models = ModelSet.builder(registry)
                .model("fraud", "v3")
                .model("churn", "v1")
                .model("ranker", "v1")          // two versions of one model, side by side:
                .model("ranker", "v2")          // the champion and its challenger
                .defaultModel("fraud")          // feedback that names no model goes here
                .build();

        models.recorder("churn").record(0, 1);  // a known model
        models.recorder(null).record(1, 1);     // the default model
        models.recorder("ranker", "v2").record(1, 0);   // a name with several versions needs one
        // models.recorder("spam") throws UnknownModelException: no new series from input
        // README: end

        assertThat(models.recorder("churn").snapshot().falseNegatives()).isEqualTo(1);
        assertThat(models.recorder("fraud").snapshot().truePositives()).isEqualTo(1);
        assertThat(models.recorder("ranker", "v2").snapshot().falsePositives()).isEqualTo(1);
        assertThat(models.recorder("ranker", "v1").snapshot().total()).isZero();
    }

    @Test
    void windowsExample() {
        // README: windows
        MeterRegistry registry = new SimpleMeterRegistry();    // your application's registry
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
        assertThat(printedLines()).containsExactly("5m: accuracy NaN [NaN, NaN] from 0 feedbacks",
                "1h: accuracy NaN [NaN, NaN] from 0 feedbacks");
        assertThat(registry.get("model.baseline").tag("metric", "recall").gauge().value()).isEqualTo(0.85);
        recorder.unregister();
    }

    @Test
    void driftExample() {
        // README: drift
        MeterRegistry registry = new SimpleMeterRegistry();    // your application's registry
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
        assertThat(printedLines()).as("no feedback, no drift").isEmpty();
        recorder.unregister();
    }

    /** The verdict example: a challenger whose 5-minute accuracy fell below its baseline. */
    @Test
    void verdictExample() {
        // README: verdict
        ModelSet models = ModelSet.builder(new SimpleMeterRegistry()).model("ranker", "v3").model("ranker", "v4").build();
        FeedbackRecorder challenger = models.recorder("ranker", "v4");
        Verdict verdict = challenger.status().verdict();
        if (verdict.state() != Verdict.State.HEALTHY) {
            verdict.reasons().forEach(reason -> System.out.println(reason.message()));
            // accuracy over the last 5m is 0.785 (95% interval 0.772 to 0.798), below the baseline 0.850
            // hddm_a detected a drift at 2026-12-02T16:20:05Z, after 2102 feedbacks
        }
        // README: end

        assertThat(verdict.state()).isEqualTo(Verdict.State.NO_FEEDBACK);
        assertThat(verdict.reasons()).isEmpty();
    }

    @Test
    void multiClassExample() {
        // README: multi-class
        MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FeedbackRecorder intent = FeedbackRecorder.builder(registry)
                .model("intent", "v2")
                .classes("billing", "tech", "sales")    // rows and columns of the matrix, in this order
                .build();                               // all 9 model_confusion_total cells at 0 now

        intent.record("tech", "billing");       // predicted tech, truth was billing
        intent.record("tech", "tech");
        intent.record(2, 2);                    // by index into the declared classes: sales, sales

        ConfusionMatrix m = intent.matrix();    // rows = actual, columns = predicted
        System.out.printf("accuracy=%.3f macro_f1=%.3f billing recall=%.3f tech precision=%.3f%n",
                m.accuracy(), m.macroF1(), m.recall(0), m.precision(1));
        // accuracy=0.667 macro_f1=0.556 billing recall=0.000 tech precision=0.500
        // intent.record("refund", "tech") throws: prediction 'refund' is not a class of model intent@v2
        // README: end

        assertThat(printedLines()).containsExactly(
                "accuracy=0.667 macro_f1=0.556 billing recall=0.000 tech precision=0.500");
        assertThat(m.rows()).isEqualTo(new long[][] {{0, 1, 0}, {0, 1, 0}, {0, 0, 1}});
        assertThatThrownBy(() -> intent.record("refund", "tech")).hasMessage(
                "prediction 'refund' is not a class of model intent@v2");
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
        assertThat(found).isEqualTo(6);
    }
}
