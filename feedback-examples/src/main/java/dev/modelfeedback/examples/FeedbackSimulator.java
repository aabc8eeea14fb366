package dev.modelfeedback.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Replays the seed's feedback simulation against a {@code /feedback} endpoint and prints what the
 * seed printed: {@code [HH:mm:ss] Feedback sent - Prediction: 1, Actual: 1} and
 * {@code Current Metrics: Accuracy=1.000, Precision=1.000, Recall=1.000, F1=1.000} (a metric that
 * is still undefined prints {@code n/a}). A failed request is reported and the replay goes on.
 *
 * <p>The seed recorded two runs of four scenarios (good, mixed, poor, recovery) of five requests
 * each; run {@code k} replays the seed's run {@code k}, alternating after the second. Two runs
 * against a fresh server end at the seed's last line: Accuracy=0.850, Precision=0.900,
 * Recall=0.818, F1=0.857.
 *
 * <p>Not thread-safe; one simulation at a time.
 */
final class FeedbackSimulator {

    /** One feedback: what the model predicted and what was true. */
    record Step(int prediction, int actual) {
    }

    /** A named group of feedback, as the seed printed them. */
    record Scenario(String name, List<Step> steps) {
    }

    private static final List<List<Scenario>> SEED_RUNS = List.of(
            List.of(
                    // the seed's first request answered 500, but was counted as (0, 0)
                    scenario("Good Predictions", 0, 0, 1, 1, 1, 1, 1, 1, 0, 0),
                    scenario("Mixed Performance", 1, 1, 0, 0, 1, 1, 1, 1, 0, 0),
                    scenario("Poor Performance", 0, 1, 0, 1, 0, 0, 0, 0, 1, 0),
                    scenario("Recovery", 0, 1, 1, 1, 0, 0, 0, 0, 1, 1)),
            List.of(
                    scenario("Good Predictions", 1, 1, 0, 0, 0, 0, 0, 0, 1, 1),
                    scenario("Mixed Performance", 1, 1, 1, 1, 0, 0, 1, 1, 1, 1),
                    scenario("Poor Performance", 0, 0, 1, 1, 1, 1, 0, 1, 1, 0),
                    scenario("Recovery", 0, 0, 1, 1, 1, 1, 0, 0, 0, 0)));

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI feedback;
    private final ModelTarget model;
    private final Duration delay;
    private final PrintStream out;
    private final Clock clock;
    /** The model the server counted the last feedback for, from its answer: name and version. */
    private @Nullable String fedModel;
    private @Nullable String fedVersion;

    /**
     * @param feedback the {@code /feedback} URL
     * @param model the model to name in each item
     * @param delay the pause after each request
     * @param out where the seed's lines go
     * @param clock the clock of the {@code [HH:mm:ss]} stamps
     */
    FeedbackSimulator(URI feedback, ModelTarget model, Duration delay, PrintStream out, Clock clock) {
        this.feedback = feedback;
        this.model = model;
        this.delay = delay;
        this.out = out;
        this.clock = clock;
    }

    private static Scenario scenario(String name, int... pairs) {
        Step[] steps = new Step[pairs.length / 2];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = new Step(pairs[2 * i], pairs[2 * i + 1]);
        }
        return new Scenario(name, List.of(steps));
    }

    /** The seed's scenarios of run {@code run} (1-based). */
    static List<Scenario> seedRun(int run) {
        return SEED_RUNS.get((run - 1) % SEED_RUNS.size());
    }

    /**
     * Replays {@code runs} runs.
     *
     * @return how many requests failed
     */
    int run(int runs) throws InterruptedException {
        int failures = 0;
        for (int run = 1; run <= runs; run++) {
            List<Scenario> scenarios = seedRun(run);
            int requests = scenarios.stream().mapToInt(s -> s.steps().size()).sum();
            out.println("Starting feedback simulation...");
            out.println("This will send " + requests + " feedback requests with varying accuracy patterns");
            out.println("You can monitor the metrics in Prometheus (http://localhost:9090)");
            out.println("Query to watch: model_accuracy");
            for (int s = 0; s < scenarios.size(); s++) {
                out.println();
                out.println("=== Scenario " + (s + 1) + ": " + scenarios.get(s).name() + " ===");
                for (Step step : scenarios.get(s).steps()) {
                    if (!send(step)) {
                        failures++;
                    }
                    Thread.sleep(delay.toMillis());
                }
            }
            out.println();
            printWindows();
        }
        out.flush();
        return failures;
    }

    /**
     * What the seed could not show: the model's recent windows from {@code GET /feedback}, each
     * with its 95% interval and the baseline held against it.
     */
    private void printWindows() throws InterruptedException {
        if (fedModel == null) {
            return;
        }
        JsonNode status;
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(feedback).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            status = findModel(JSON.readTree(response.body()), fedModel, fedVersion);
        } catch (IOException e) {
            out.println("Error reading the windows: " + e.getClass().getSimpleName());
            return;
        }
        if (status == null) {
            return;
        }
        JsonNode baseline = status.path("baseline").path("accuracy");
        out.println("Recent accuracy of " + fedModel + (fedVersion == null ? "" : "@" + fedVersion) + " (GET " + feedback + "), with 95% Wilson intervals"
                + (baseline.isNumber() ? ", against its baseline " + format(baseline) : "") + ":");
        status.path("windows").properties().forEach(window -> {
            JsonNode w = window.getValue();
            JsonNode interval = w.path("intervals").path("accuracy");
            long n = 0;
            for (JsonNode count : w.path("counts")) {
                n += count.asLong();
            }
            String line = String.format("  %-9s Accuracy=%s [%s, %s] from %d feedback%s", window.getKey(),
                    format(w.path("metrics").get("accuracy")), format(interval.get(0)), format(interval.get(1)), n,
                    n == 1 ? "" : "s");
            JsonNode below = w.path("below_baseline").path("accuracy");
            if (below.isBoolean()) {
                line += below.asBoolean() ? ": significantly BELOW the baseline" : ": not significantly below the baseline";
            }
            out.println(line);
        });
        List<String> verdict = VerdictReport.lines(status.path("verdict"));
        out.println("Verdict: " + verdict.get(0));
        verdict.subList(1, verdict.size()).forEach(reason -> out.println("  " + reason));
        out.println();
    }

    private static @Nullable JsonNode findModel(JsonNode status, String model, @Nullable String version) {
        for (JsonNode candidate : status.path("models")) {
            if (candidate.path("model").asText().equals(model)
                    && (version == null || candidate.path("model_version").asText().equals(version))) {
                return candidate;
            }
        }
        return null;
    }

    private boolean send(Step step) throws InterruptedException {
        String body = "{\"prediction\":" + step.prediction() + ",\"actual\":" + step.actual() + model.fields() + "}";
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(feedback)
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            out.println("Error sending feedback: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return false;
        }
        if (response.statusCode() != 200) {
            out.println("Error sending feedback: HTTP " + response.statusCode() + " " + response.body());
            return false;
        }
        out.println("[" + LocalTime.now(clock).format(TIME) + "] Feedback sent - Prediction: " + step.prediction()
                + ", Actual: " + step.actual());
        try {
            JsonNode answer = JSON.readTree(response.body());
            fedModel = answer.path("model").asText(null);
            fedVersion = answer.path("model_version").asText(null);
            JsonNode metrics = answer.path("metrics");
            out.println("Current Metrics: Accuracy=" + format(metrics.get("accuracy"))
                    + ", Precision=" + format(metrics.get("precision"))
                    + ", Recall=" + format(metrics.get("recall"))
                    + ", F1=" + format(metrics.get("f1")));
        } catch (IOException e) {
            out.println("Error reading metrics: " + e.getMessage());
            return false;
        }
        return true;
    }

    /**
     * Three decimals, rounded as the seed's Python printed them: half-even on the double's exact
     * value, so 13/16 = 0.8125 prints 0.812 (Java's {@code %.3f} would print 0.813).
     */
    static String format(@Nullable JsonNode metric) {
        if (metric == null || !metric.isNumber()) {
            return "n/a";
        }
        return new BigDecimal(metric.asDouble()).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
    }
}
