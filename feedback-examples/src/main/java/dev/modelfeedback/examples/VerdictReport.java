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
import java.util.List;
import java.util.Locale;

/**
 * Every model's verdict as {@code GET /feedback} gives it, in words: the same verdict the status
 * page shows, read from the same JSON, so the console and the page tell one story.
 *
 * <pre>{@code
 * Verdicts (GET /feedback "verdict"; the status page shows the same):
 *   ranker@v1   healthy
 *   ranker@v2   below baseline
 *                 accuracy over the last 5m is 0.800 (95% interval 0.787 to 0.812), below the baseline 0.850
 *                 hddm_a detected a drift at 2026-12-02T16:20:05Z, after 2142 feedbacks
 * }</pre>
 */
final class VerdictReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private VerdictReport() {
    }

    /**
     * Prints every model's verdict.
     *
     * @param feedback the {@code /feedback} URL
     * @param out where the lines go
     * @return 0, or 1 if the verdicts could not be read
     */
    static int print(URI feedback, PrintStream out) throws InterruptedException {
        JsonNode models;
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(feedback)
                    .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            models = JSON.readTree(response.body()).path("models");
        } catch (IOException e) {
            out.println("Error reading the verdicts: " + e.getClass().getSimpleName());
            return 1;
        }
        out.println("Verdicts (GET " + feedback + " \"verdict\"; the status page shows the same):");
        int width = 0;
        for (JsonNode model : models) {
            width = Math.max(width, name(model).length());
        }
        for (JsonNode model : models) {
            List<String> lines = lines(model.path("verdict"));
            out.println(String.format(Locale.ROOT, "  %-" + width + "s   %s", name(model), lines.get(0)));
            for (String reason : lines.subList(1, lines.size())) {
                out.println(" ".repeat(width + 7) + reason);
            }
        }
        out.flush();
        return 0;
    }

    /** {@code name@version}. */
    static String name(JsonNode model) {
        return model.path("model").asText() + "@" + model.path("model_version").asText();
    }

    /** The state in words, then each reason's message. */
    static List<String> lines(JsonNode verdict) {
        List<String> lines = new ArrayList<>();
        lines.add(verdict.path("state").asText("unknown").replace('_', ' '));
        for (JsonNode reason : verdict.path("reasons")) {
            lines.add(reason.path("message").asText());
        }
        return lines;
    }
}
