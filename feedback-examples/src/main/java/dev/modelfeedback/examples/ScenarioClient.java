package dev.modelfeedback.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelfeedback.core.model.Texts;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the simulator's scenarios say to a server: batches of feedback posted to {@code /feedback},
 * and the scenario's model read back from {@code GET /feedback}. Failures are printed, never thrown.
 *
 * <p>Not thread-safe; one scenario at a time.
 */
final class ScenarioClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI feedback;
    private final ModelTarget model;
    private final PrintStream out;

    /**
     * @param feedback the {@code /feedback} URL
     * @param model the scenario's model
     * @param out where failures are printed
     */
    ScenarioClient(URI feedback, ModelTarget model, PrintStream out) {
        this.feedback = feedback;
        this.model = model;
        this.out = out;
    }

    /**
     * Posts one JSON body of feedback.
     *
     * @return whether it was counted (a {@code 200}); else the failure was printed
     */
    boolean post(String body) throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(feedback)
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                out.println("Error sending feedback: HTTP " + response.statusCode() + " " + response.body());
                return false;
            }
            return true;
        } catch (IOException e) {
            out.println("Error sending feedback: " + e.getClass().getSimpleName());
            return false;
        }
    }

    /** A GET of another URL of the server: its body, or null if it cannot be read or is not a {@code 200}. */
    @Nullable String get(URI url, String accept) throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The status of the scenario's model as the server gives it, or null (said why) if it cannot be read. */
    @Nullable JsonNode status() throws InterruptedException {
        JsonNode models;
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(feedback).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            models = JSON.readTree(response.body()).path("models");
        } catch (IOException e) {
            out.println("Error reading the server's models: " + e.getClass().getSimpleName());
            return null;
        }
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode candidate : models) {
            if ((model.name() == null || candidate.path("model").asText().equals(model.name()))
                    && (model.version() == null || candidate.path("model_version").asText().equals(model.version()))) {
                matching.add(candidate);
            }
        }
        if (matching.size() != 1) {
            out.println("The server serves " + (matching.isEmpty() ? "no" : matching.size()) + " model(s) matching "
                    + (model.name() == null ? "its default" : Texts.quote(model.name())
                            + (model.version() == null ? "" : " version " + Texts.quote(model.version())))
                    + "; name one with --model NAME[@VERSION].");
            return null;
        }
        return matching.get(0);
    }
}
