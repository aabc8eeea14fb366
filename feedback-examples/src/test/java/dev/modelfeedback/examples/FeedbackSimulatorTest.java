package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.SeedReplay;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class FeedbackSimulatorTest {

    static final Clock SEED_CLOCK = Clock.fixed(Instant.parse("2026-01-01T19:26:12Z"), ZoneOffset.UTC);

    private ExampleServer server;

    @BeforeEach
    void start() throws Exception {
        server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String simulate(URI feedback, int runs) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int failures = new FeedbackSimulator(feedback, ModelTarget.DEFAULT, Duration.ZERO,
                new PrintStream(out, true, StandardCharsets.UTF_8), SEED_CLOCK).run(runs);
        assertThat(failures).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void replaysTheSeedAndPrintsItsMetricsLinesExactly() throws Exception {
        List<String> lines = simulate(server.uri().resolve("/feedback"), 2).lines().toList();

        List<String> sent = lines.stream().filter(l -> l.contains("Feedback sent")).toList();
        List<String> metrics = lines.stream().filter(l -> l.startsWith("Current Metrics:")).toList();
        assertThat(sent).hasSize(40);
        assertThat(metrics).hasSize(40);
        // The seed's first request was counted but printed no line; every other line is the seed's.
        assertThat(sent.get(0)).isEqualTo("[19:26:12] Feedback sent - Prediction: 0, Actual: 0");
        List<String> expected = new ArrayList<>();
        List<String> expectedSent = new ArrayList<>();
        for (SeedReplay.Step step : SeedReplay.steps()) {
            expectedSent.add("[19:26:12] Feedback sent - Prediction: " + step.prediction() + ", Actual: " + step.actual());
            expected.add(String.format(Locale.ROOT, "Current Metrics: Accuracy=%.3f, Precision=%.3f, Recall=%.3f, F1=%.3f",
                    step.accuracy(), step.precision(), step.recall(), step.f1()));
        }
        assertThat(sent.subList(1, 40)).isEqualTo(expectedSent);
        assertThat(metrics.subList(1, 40)).isEqualTo(expected);
        assertThat(metrics.get(39)).isEqualTo("Current Metrics: Accuracy=0.850, Precision=0.900, Recall=0.818, F1=0.857");
        assertThat(server.models().recorder(null).snapshot()).isEqualTo(new ClassificationSnapshot(18, 16, 2, 4));
    }

    @Test
    void printsTheSeedsHeadersAndScenarios() throws Exception {
        String output = simulate(server.uri().resolve("/feedback"), 1);

        assertThat(output).startsWith("""
                Starting feedback simulation...
                This will send 20 feedback requests with varying accuracy patterns
                You can monitor the metrics in Prometheus (http://localhost:9090)
                Query to watch: model_accuracy

                === Scenario 1: Good Predictions ===
                [19:26:12] Feedback sent - Prediction: 0, Actual: 0
                Current Metrics: Accuracy=1.000, Precision=n/a, Recall=n/a, F1=n/a
                [19:26:12] Feedback sent - Prediction: 1, Actual: 1
                Current Metrics: Accuracy=1.000, Precision=1.000, Recall=1.000, F1=1.000
                """);
        assertThat(output).contains("=== Scenario 2: Mixed Performance ===", "=== Scenario 3: Poor Performance ===",
                "=== Scenario 4: Recovery ===");
    }

    @Test
    void reportsFailedRequestsAndKeepsGoing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int failures = new FeedbackSimulator(server.uri().resolve("/feedback"), ModelTarget.parse("spam"), Duration.ZERO,
                new PrintStream(out, true, StandardCharsets.UTF_8), SEED_CLOCK).run(1);

        assertThat(failures).isEqualTo(20);
        assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("Error sending feedback:")))
                .hasSize(20)
                .first().isEqualTo("Error sending feedback: HTTP 400 {\"error\":\"unknown model 'spam'\"}");
    }

    @Test
    void reportsAnUnreachableServer() throws Exception {
        URI nowhere = server.uri().resolve("/feedback");
        server.close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int failures = new FeedbackSimulator(nowhere, ModelTarget.DEFAULT, Duration.ZERO,
                new PrintStream(out, true, StandardCharsets.UTF_8), SEED_CLOCK).run(1);

        assertThat(failures).isEqualTo(20);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Error sending feedback: ConnectException");
        server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0));
    }

    /**
     * After each run, the windows the seed could not show, and the verdict: 34 of 40 right is
     * [0.709, 0.929], not significantly below 0.85.
     */
    @Test
    void showsTheRecentWindowsAgainstTheBaselineAfterEachRun() throws Exception {
        try (ExampleServer withBaseline = ExampleServer.start(
                ExampleServer.Options.DEFAULT.withPort(0).withBaseline(Main.DEMO_BASELINE))) {
            List<String> lines = simulate(withBaseline.uri().resolve("/feedback"), 2).lines().toList();

            int header = lines.lastIndexOf("Recent accuracy of default@unknown (GET " + withBaseline.uri().resolve("/feedback")
                    + "), with 95% Wilson intervals, against its baseline 0.850:");
            assertThat(header).isPositive();
            assertThat(lines.subList(header + 1, header + 5)).containsExactly(
                    "  5m        Accuracy=0.850 [0.709, 0.929] from 40 feedbacks: not significantly below the baseline",
                    "  1h        Accuracy=0.850 [0.709, 0.929] from 40 feedbacks: not significantly below the baseline",
                    "  lifetime  Accuracy=0.850 [0.709, 0.929] from 40 feedbacks: not significantly below the baseline",
                    "Verdict: healthy");
            assertThat(lines.stream().filter(l -> l.startsWith("Recent accuracy of default"))).hasSize(2);
        }
    }
}
