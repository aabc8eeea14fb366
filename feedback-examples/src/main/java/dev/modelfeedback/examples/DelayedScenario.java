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
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The simulator's delayed-labels scenario, as a model server lives it: predictions first, through
 * {@code POST /predict}, each answered with an id under which the server stores it; the truth
 * later, through {@code POST /feedback} with only the id and the actual value, in shuffled order,
 * some never (they expire), some twice (a retry: acknowledged, not counted), one conflicting, and
 * one for an id never predicted. Prints what it sent and what the server answered.
 *
 * <p>Not thread-safe; one run at a time.
 */
final class DelayedScenario {

    /** How many predictions are made. */
    static final int PREDICTIONS = 20;
    /** How many of them never get their actual value. */
    static final int NEVER = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Predicted(String id, int prediction, int actual) {
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI feedback;
    private final URI predict;
    private final long seed;
    private final PrintStream out;
    private int failures;

    /**
     * @param feedback the {@code /feedback} URL; {@code /predict} is next to it
     * @param seed the seed of the features, the truths and the order
     * @param out where the report goes
     */
    DelayedScenario(URI feedback, long seed, PrintStream out) {
        this.feedback = feedback;
        this.predict = feedback.resolve("/predict");
        this.seed = seed;
        this.out = out;
    }

    /**
     * Runs the scenario.
     *
     * @return how many requests failed (answered otherwise than expected, or not at all)
     */
    int run() throws InterruptedException {
        out.println("=== Scenario: delayed labels ===");
        SplittableRandom random = new SplittableRandom(seed);
        List<Predicted> predicted = new ArrayList<>();
        String model = "default";
        String version = "unknown";
        for (int i = 0; i < PREDICTIONS; i++) {
            double feature = Math.round(random.nextDouble() * 100) / 100.0;
            JsonNode answer = post(predict, "{\"feature\":" + feature + "}", 200);
            if (answer == null) {
                continue;
            }
            int prediction = answer.path("prediction").asInt();
            // the truth agrees with the toy model's rule 85% of the time
            int truth = (feature >= 0.5 ? 1 : 0) ^ (random.nextDouble() < 0.15 ? 1 : 0);
            predicted.add(new Predicted(answer.path("id").asText(), prediction, truth));
            model = answer.path("model").asText();
            version = answer.path("model_version").asText();
        }
        out.println("Predicted " + predicted.size() + " times through " + predict + " (model " + model + "@" + version
                + "); each answer carried an id, under which the server stored the prediction as pending.");
        if (predicted.size() <= NEVER + 2) {
            out.println("Too few predictions were made to go on.");
            return failures;
        }
        List<Predicted> arriving = new ArrayList<>(predicted);
        Collections.shuffle(arriving, new Random(seed));
        List<Predicted> joined = arriving.subList(0, arriving.size() - NEVER);
        out.println("The truth arrives later, in another order; " + NEVER + " predictions never get theirs:");
        for (Predicted item : joined) {
            send("actual " + item.actual() + " for " + item.id(), actual(item.id(), item.actual(), model, version), 200);
        }
        Predicted retried = joined.get(0);
        send("actual " + retried.actual() + " for " + retried.id() + " again (a retry)",
                actual(retried.id(), retried.actual(), model, version), 200);
        Predicted contradicted = joined.get(1);
        send("actual " + (1 - contradicted.actual()) + " for " + contradicted.id() + " (contradicting the first)",
                actual(contradicted.id(), 1 - contradicted.actual(), model, version), 409);
        send("actual 1 for never-predicted", actual("never-predicted", 1, model, version), 404);
        JsonNode status = status(model, version);
        out.println("Now: " + joined.size() + " joined and counted once each, "
                + status.path("pending").asLong() + " pending; unmatched " + status.path("unmatched")
                + ". The pending ones expire after the server's time-to-live (--pending-ttl) and then count as"
                + " feedback_unmatched_total{reason=\"expired\"}.");
        JsonNode delay = status.path("label_delay");
        JsonNode p90 = delay.get("p90_seconds");
        out.println((p90 != null && p90.isNumber() && p90.asDouble() <= 1.0 ? "Every label arrived within a second"
                : "The labels took a median of " + seconds(delay.get("median_seconds")) + " and a 90th percentile of "
                        + seconds(p90) + " to arrive")
                + " (\"label_delay\" in GET /feedback; in Prometheus feedback_label_delay_seconds, a histogram from a"
                + " second to 30 days: in production, hours to weeks).");
        out.println();
        out.flush();
        return failures;
    }

    private static String seconds(@Nullable JsonNode value) {
        return value == null || !value.isNumber() ? "n/a" : FeedbackSimulator.format(value) + " s";
    }

    private static String actual(String id, int actual, String model, String version) {
        return "{\"id\":\"" + id + "\",\"actual\":" + actual + ",\"model\":\"" + model + "\",\"model_version\":\""
                + version + "\"}";
    }

    /** Sends one feedback and prints the answer in a line. */
    private void send(String what, String body, int expected) throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(feedback).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode answer = JSON.readTree(response.body());
            String meaning;
            if (response.statusCode() == 200 && answer.path("duplicate").asBoolean()) {
                meaning = "a duplicate, not counted again";
            } else if (response.statusCode() == 200) {
                meaning = "counted; Accuracy=" + FeedbackSimulator.format(answer.path("metrics").get("accuracy"));
            } else {
                meaning = answer.path("error").asText() + (answer.has("reason") ? " (" + answer.path("reason").asText() + ")" : "");
            }
            out.println("  " + what + " -> " + response.statusCode() + " " + meaning);
            if (response.statusCode() != expected) {
                failures++;
            }
        } catch (IOException e) {
            out.println("  " + what + " -> Error: " + e.getClass().getSimpleName());
            failures++;
        }
    }

    private @Nullable JsonNode post(URI uri, String body, int expected) throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                out.println("Error: " + uri + " answered " + response.statusCode() + " " + response.body());
                failures++;
                return null;
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            out.println("Error: " + uri + ": " + e.getClass().getSimpleName());
            failures++;
            return null;
        }
    }

    private JsonNode status(String model, String version) throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(feedback).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode candidate : JSON.readTree(response.body()).path("models")) {
                if (candidate.path("model").asText().equals(model)
                        && candidate.path("model_version").asText().equals(version)) {
                    return candidate;
                }
            }
        } catch (IOException e) {
            out.println("Error reading the status: " + e.getClass().getSimpleName());
            failures++;
        }
        return JSON.createObjectNode();
    }
}
