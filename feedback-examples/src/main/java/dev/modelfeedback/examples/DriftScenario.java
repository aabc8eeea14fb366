package dev.modelfeedback.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The simulator's drift scenario: a model whose error rate rises at a known feedback, sent to a
 * {@code /feedback} endpoint in small batches, and where each of the server's drift detectors fired
 * relative to that rise, read back from {@code GET /feedback}.
 *
 * <pre>{@code
 * Scenario: drift. Model default: 2000 feedbacks at 10% error, then 2000 at 30% (seed 1); the rise is at its feedback 2041.
 *   hddm_a        drift at feedback 2142: 101 after the rise
 * }</pre>
 *
 * <p>Not thread-safe; one run at a time.
 */
final class DriftScenario {

    /** Items per request: small, so that two drifts of one detector rarely fall in one request. */
    static final int BATCH = 20;

    /**
     * The stream: {@code before} feedbacks at one error rate, then {@code after} at another.
     *
     * @param seed the seed of the random errors
     * @param rateBefore the error rate before the change, 0 to 1
     * @param rateAfter the error rate after it, 0 to 1
     * @param before feedbacks before the change, at least 1
     * @param after feedbacks after it, at least 1
     */
    record Settings(long seed, double rateBefore, double rateAfter, int before, int after) {

        /** 2,000 feedbacks at 10% error, then 2,000 at 30%, seed 1. */
        static final Settings DEFAULT = new Settings(1, 0.10, 0.30, 2000, 2000);

        /**
         * @throws IllegalArgumentException if a rate is outside [0, 1] or a length below 1
         */
        Settings {
            requireRate("the rate before the change", rateBefore);
            requireRate("the rate after the change", rateAfter);
            if (before < 1 || after < 1) {
                throw new IllegalArgumentException("both lengths must be at least 1, got " + before + " and " + after);
            }
        }

        private static void requireRate(String what, double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException(what + " must be between 0 and 1, got " + rate);
            }
        }

        /** Whether each feedback of the stream is an error, drawn with {@link SplittableRandom}. */
        boolean[] errors() {
            SplittableRandom random = new SplittableRandom(seed);
            boolean[] errors = new boolean[before + after];
            for (int i = 0; i < errors.length; i++) {
                errors[i] = random.nextDouble() < (i < before ? rateBefore : rateAfter);
            }
            return errors;
        }

        String describe() {
            return before + " feedbacks at " + percent(rateBefore) + " error, then " + after + " at "
                    + percent(rateAfter) + " (seed " + seed + ")";
        }

        private static String percent(double rate) {
            return Math.round(rate * 1000) / 10.0 + "%";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI feedback;
    private final @Nullable String model;
    private final Settings settings;
    private final PrintStream out;

    /**
     * @param feedback the {@code /feedback} URL
     * @param model the model to name in each item, or {@code null} for the server's default
     * @param settings the stream
     * @param out where the report goes
     */
    DriftScenario(URI feedback, @Nullable String model, Settings settings, PrintStream out) {
        this.feedback = feedback;
        this.model = model;
        this.settings = settings;
        this.out = out;
    }

    /**
     * Sends the stream and reports each detector's drifts relative to the change.
     *
     * @return how many requests failed
     */
    int run() throws InterruptedException {
        boolean[] errors = settings.errors();
        // The first item alone: its answer names the model the server counts for, whose state
        // before the scenario is then read.
        String fed = send(errors, 0, 1);
        if (fed == null) {
            report(null, 0, Map.of(), Map.of());
            return 1;
        }
        JsonNode before = status(fed);
        long base = total(before) - 1;
        Map<String, Long> seen = new LinkedHashMap<>();
        before.path("drift").properties().forEach(d -> seen.put(d.getKey(), d.getValue().path("detected").asLong()));
        Map<String, List<Long>> drifts = new LinkedHashMap<>();
        int failures = 0;
        for (int start = 1; start < errors.length; start += BATCH) {
            if (send(errors, start, Math.min(errors.length, start + BATCH)) == null) {
                failures++;
                continue;
            }
            for (Map.Entry<String, JsonNode> detector : status(fed).path("drift").properties()) {
                long detected = detector.getValue().path("detected").asLong();
                if (detected > seen.getOrDefault(detector.getKey(), 0L)) {
                    drifts.computeIfAbsent(detector.getKey(), k -> new ArrayList<>())
                            .add(detector.getValue().path("last_drift_feedback").asLong() - base);
                }
                seen.put(detector.getKey(), detected);
            }
        }
        report(fed, base, seen, drifts);
        return failures;
    }

    private void report(@Nullable String fed, long base, Map<String, Long> detectors, Map<String, List<Long>> drifts) {
        out.println("=== Scenario: drift ===");
        if (fed == null) {
            out.println("No feedback was accepted; nothing to report.");
            return;
        }
        long rise = settings.before() + 1;
        out.println("Model " + fed + ": " + settings.describe() + "; the rise is at its feedback " + (base + rise) + ".");
        for (String detector : detectors.keySet()) {
            List<Long> at = drifts.getOrDefault(detector, List.of());
            StringBuilder line = new StringBuilder(String.format("  %-13s ", detector));
            if (at.isEmpty()) {
                line.append("no drift");
            }
            for (int i = 0; i < at.size(); i++) {
                long offset = at.get(i) - rise;
                line.append(i == 0 ? "drift at feedback " : ", ").append(base + at.get(i)).append(": ")
                        .append(offset < 0 ? -offset + " before the rise (a false alarm)" : offset + " after the rise");
            }
            out.println(line);
        }
        out.flush();
    }

    /** Sends items [from, to); returns the model the server counted them for, or null on failure. */
    private @Nullable String send(boolean[] errors, int from, int to) throws InterruptedException {
        StringBuilder body = new StringBuilder("[");
        for (int i = from; i < to; i++) {
            int actual = i % 2;
            int prediction = errors[i] ? 1 - actual : actual;
            body.append(i == from ? "" : ",").append("{\"prediction\":").append(prediction).append(",\"actual\":").append(actual)
                    .append(model == null ? "" : ",\"model\":\"" + model + "\"").append('}');
        }
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(feedback).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                out.println("Error sending feedback: HTTP " + response.statusCode() + " " + response.body());
                return null;
            }
            return JSON.readTree(response.body()).path("model").asText(null);
        } catch (IOException e) {
            out.println("Error sending feedback: " + e.getClass().getSimpleName());
            return null;
        }
    }

    private JsonNode status(String fed) throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(feedback).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode candidate : JSON.readTree(response.body()).path("models")) {
                if (candidate.path("model").asText().equals(fed)) {
                    return candidate;
                }
            }
        } catch (IOException e) {
            out.println("Error reading the drift detectors: " + e.getClass().getSimpleName());
        }
        return JSON.createObjectNode();
    }

    private static long total(JsonNode status) {
        long total = 0;
        for (JsonNode count : status.path("counts")) {
            total += count.asLong();
        }
        return total;
    }
}
