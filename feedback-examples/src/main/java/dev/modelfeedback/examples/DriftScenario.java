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
 * relative to that rise, read back from {@code GET /feedback}. Optionally a champion, another
 * version of the same model, gets the same traffic with its error rate unchanged, so that the two
 * can be compared side by side.
 *
 * <pre>{@code
 * === Scenario: drift ===
 * Model ranker@v2: 2000 feedbacks at 10.0% error, then 2000 at 30.0% (seed 1); the rise is at its feedback 2001.
 *   hddm_a        drift at feedback 2142: 141 after the rise
 * Beside it, its champion ranker@v1 got the same traffic at 10.0% error throughout:
 *   hddm_a        no drift
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

        static String percent(double rate) {
            return Math.round(rate * 1000) / 10.0 + "%";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI feedback;
    private final ModelTarget model;
    private final @Nullable ModelTarget champion;
    private final Settings settings;
    private final PrintStream out;

    /**
     * @param feedback the {@code /feedback} URL
     * @param model the model whose error rate rises
     * @param champion another version of the model, fed the same traffic at the rate before the rise
     *     throughout; {@code null} for none
     * @param settings the stream
     * @param out where the report goes
     */
    DriftScenario(URI feedback, ModelTarget model, @Nullable ModelTarget champion, Settings settings, PrintStream out) {
        this.feedback = feedback;
        this.model = model;
        this.champion = champion;
        this.settings = settings;
        this.out = out;
    }

    /** What the scenario learns of one model while it runs. */
    private static final class Watched {
        final String name;
        final String version;
        final long base;
        final Map<String, Long> seen = new LinkedHashMap<>();
        final Map<String, List<Long>> drifts = new LinkedHashMap<>();

        Watched(String name, String version, JsonNode before) {
            this.name = name;
            this.version = version;
            // the first item was sent already
            this.base = total(before) - 1;
            before.path("drift").properties().forEach(d -> seen.put(d.getKey(), d.getValue().path("detected").asLong()));
        }

        void update(JsonNode status) {
            for (Map.Entry<String, JsonNode> detector : status.path("drift").properties()) {
                long detected = detector.getValue().path("detected").asLong();
                if (detected > seen.getOrDefault(detector.getKey(), 0L)) {
                    drifts.computeIfAbsent(detector.getKey(), k -> new ArrayList<>())
                            .add(detector.getValue().path("last_drift_feedback").asLong() - base);
                }
                seen.put(detector.getKey(), detected);
            }
        }

        @Override
        public String toString() {
            return name + "@" + version;
        }
    }

    /**
     * Sends the stream and reports each detector's drifts relative to the change.
     *
     * @return how many requests failed
     */
    int run() throws InterruptedException {
        // The header first: the server's own log lines of the drifts come while the stream is sent.
        out.println("=== Scenario: drift ===");
        out.flush();
        boolean[] errors = settings.errors();
        // The champion draws the same numbers: until the rise the two err on the same items; after it
        // the champion keeps its rate.
        boolean[] championErrors = new Settings(settings.seed(), settings.rateBefore(), settings.rateBefore(),
                settings.before(), settings.after()).errors();
        // The first item alone (with the champion's): the answer names the model the server counts
        // for, whose state before the scenario is then read.
        JsonNode first = send(errors, championErrors, 0, 1);
        if (first == null) {
            out.println("No feedback was accepted; nothing to report.");
            return 1;
        }
        List<JsonNode> fed = new ArrayList<>();
        if (first.has("models")) {
            first.path("models").forEach(fed::add);
        } else {
            fed.add(first);
        }
        Watched watched = watch(fed.get(0));
        Watched watchedChampion = champion == null || fed.size() < 2 ? null : watch(fed.get(1));
        int failures = 0;
        for (int start = 1; start < errors.length; start += BATCH) {
            int end = Math.min(errors.length, start + BATCH);
            if (send(errors, championErrors, start, end) == null) {
                failures++;
                continue;
            }
            watched.update(status(watched));
            if (watchedChampion != null) {
                watchedChampion.update(status(watchedChampion));
            }
        }
        report(watched, watchedChampion);
        return failures;
    }

    /** Watches the model an answer names, from its state before the scenario's first item. */
    private Watched watch(JsonNode identity) throws InterruptedException {
        String name = identity.path("model").asText();
        String version = identity.path("model_version").asText();
        return new Watched(name, version, status(name, version));
    }

    private void report(Watched watched, @Nullable Watched watchedChampion) {
        long rise = settings.before() + 1;
        out.println("Model " + watched + ": " + settings.describe() + "; the rise is at its feedback "
                + (watched.base + rise) + ".");
        detectorLines(watched, rise);
        if (watchedChampion != null) {
            out.println("Beside it, its champion " + watchedChampion + " got the same traffic at "
                    + Settings.percent(settings.rateBefore()) + " error throughout:");
            detectorLines(watchedChampion, rise);
        }
        out.flush();
    }

    private void detectorLines(Watched watched, long rise) {
        for (String detector : watched.seen.keySet()) {
            List<Long> at = watched.drifts.getOrDefault(detector, List.of());
            StringBuilder line = new StringBuilder(String.format("  %-13s ", detector));
            if (at.isEmpty()) {
                line.append("no drift");
            }
            for (int i = 0; i < at.size(); i++) {
                long offset = at.get(i) - rise;
                line.append(i == 0 ? "drift at feedback " : ", ").append(watched.base + at.get(i)).append(": ")
                        .append(offset < 0 ? -offset + " before the rise (a false alarm)" : offset + " after the rise");
            }
            out.println(line);
        }
    }

    /** Sends items [from, to), to the model and its champion; the server's answer, or null if it failed. */
    private @Nullable JsonNode send(boolean[] errors, boolean[] championErrors, int from, int to) throws InterruptedException {
        StringBuilder body = new StringBuilder("[");
        for (int i = from; i < to; i++) {
            int actual = i % 2;
            int prediction = errors[i] ? 1 - actual : actual;
            body.append(i == from ? "" : ",").append("{\"prediction\":").append(prediction).append(",\"actual\":")
                    .append(actual).append(model.fields()).append('}');
            if (champion != null) {
                int championPrediction = championErrors[i] ? 1 - actual : actual;
                body.append(",{\"prediction\":").append(championPrediction).append(",\"actual\":").append(actual)
                        .append(champion.fields()).append('}');
            }
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
            return JSON.readTree(response.body());
        } catch (IOException e) {
            out.println("Error sending feedback: " + e.getClass().getSimpleName());
            return null;
        }
    }

    private JsonNode status(Watched watched) throws InterruptedException {
        return status(watched.name, watched.version);
    }

    private JsonNode status(String name, String version) throws InterruptedException {
        for (JsonNode candidate : statuses()) {
            if (candidate.path("model").asText().equals(name) && candidate.path("model_version").asText().equals(version)) {
                return candidate;
            }
        }
        return JSON.createObjectNode();
    }

    private JsonNode statuses() throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(feedback).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body()).path("models");
        } catch (IOException e) {
            out.println("Error reading the drift detectors: " + e.getClass().getSimpleName());
            return JSON.createArrayNode();
        }
    }

    private static long total(JsonNode status) {
        long total = 0;
        for (JsonNode count : status.path("counts")) {
            total += count.asLong();
        }
        return total;
    }
}
