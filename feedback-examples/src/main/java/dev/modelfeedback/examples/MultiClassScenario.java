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
import java.util.Locale;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The simulator's multi-class scenario: a model with declared classes gets a stream over its
 * classes in which every class is recognized 90% of the time, until halfway one class (the second
 * declared) drops to 50%. The per-class recall before and after is computed from the server's own
 * counts, read back from {@code GET /feedback}: the lifetime matrix at halfway, and what the second
 * half added to it.
 *
 * <pre>{@code
 * === Scenario: multiclass ===
 * Model intent@v1: 2000 feedbacks over 4 classes at 90% recall each, then 2000 with tech at 50% (seed 1).
 *   class       recall before  recall after
 *   billing             0.894         0.904
 *   tech                0.906         0.492  <- degraded
 * }</pre>
 *
 * <p>Not thread-safe; one run at a time.
 */
final class MultiClassScenario {

    /** The classes {@code demo} declares for its multi-class model, and the scenario's usual ones. */
    static final List<String> DEMO_CLASSES = List.of("billing", "tech", "sales", "account");

    /** Items per request. */
    static final int BATCH = 100;
    /** Feedbacks in each half. */
    static final int HALF = 2000;
    /** The recall of every class before the change, and of the others after it. */
    static final double RECALL = 0.9;
    /** The degraded class's recall after the change. */
    static final double DEGRADED_RECALL = 0.5;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScenarioClient client;
    private final URI feedback;
    private final ModelTarget model;
    private final long seed;
    private final PrintStream out;

    /**
     * @param feedback the {@code /feedback} URL
     * @param model the model with declared classes
     * @param seed the seed of the random stream
     * @param out where the report goes
     */
    MultiClassScenario(URI feedback, ModelTarget model, long seed, PrintStream out) {
        this.feedback = feedback;
        this.model = model;
        this.seed = seed;
        this.out = out;
        this.client = new ScenarioClient(feedback, model, out);
    }

    /** One item: the actual class and the predicted one, as indices into the model's classes. */
    record Item(int actual, int predicted) {
    }

    /**
     * The stream over {@code k} classes: actual classes uniform; each recognized with probability
     * {@link #RECALL}, else taken for another class drawn uniformly; from item {@link #HALF} on,
     * class 1 with probability {@link #DEGRADED_RECALL}.
     */
    static List<Item> stream(int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Item> items = new ArrayList<>(2 * HALF);
        for (int i = 0; i < 2 * HALF; i++) {
            int actual = random.nextInt(k);
            double recall = i >= HALF && actual == 1 ? DEGRADED_RECALL : RECALL;
            int predicted = actual;
            if (random.nextDouble() >= recall) {
                predicted = (actual + 1 + random.nextInt(k - 1)) % k;
            }
            items.add(new Item(actual, predicted));
        }
        return items;
    }

    /**
     * Sends the stream and reports each class's recall before and after the change.
     *
     * @return how many requests failed
     */
    int run() throws InterruptedException {
        out.println("=== Scenario: multiclass ===");
        JsonNode status = client.status();
        if (status == null) {
            return 1;
        }
        List<String> classes = new ArrayList<>();
        status.path("classes").forEach(label -> classes.add(label.asText()));
        String name = status.path("model").asText() + "@" + status.path("model_version").asText();
        if (classes.size() < 2) {
            out.println("Model " + name + " does not declare classes; start the server with --model "
                    + status.path("model").asText() + " --classes " + status.path("model").asText() + ":"
                    + String.join(",", DEMO_CLASSES) + " and name it with --model.");
            return 1;
        }
        List<Item> items = stream(classes.size(), seed);
        long[][] start = confusion(status, classes.size());
        int failures = send(items.subList(0, HALF), classes);
        JsonNode middle = client.status();
        failures += send(items.subList(HALF, 2 * HALF), classes);
        JsonNode end = client.status();
        if (middle == null || end == null) {
            return failures + 1;
        }
        long[][] before = minus(confusion(middle, classes.size()), start);
        long[][] after = minus(confusion(end, classes.size()), confusion(middle, classes.size()));
        out.println("Model " + name + ": " + HALF + " feedbacks over " + classes.size() + " classes at "
                + percent(RECALL) + " recall each, then " + HALF + " with " + classes.get(1) + " at "
                + percent(DEGRADED_RECALL) + " (seed " + seed + ").");
        out.println(String.format(Locale.ROOT, "  %-12s %13s %13s", "class", "recall before", "recall after"));
        for (int c = 0; c < classes.size(); c++) {
            out.println(String.format(Locale.ROOT, "  %-12s %13s %13s%s", classes.get(c), recall(before, c),
                    recall(after, c), c == 1 ? "  <- degraded" : ""));
        }
        JsonNode lifetime = end.path("metrics");
        out.println(String.format(Locale.ROOT, "Lifetime on the server: accuracy %.3f, macro F1 %.3f, balanced accuracy %.3f.",
                lifetime.path("accuracy").asDouble(), lifetime.path("macro_f1").asDouble(),
                lifetime.path("balanced_accuracy").asDouble()));
        out.flush();
        return failures;
    }

    private static String percent(double rate) {
        return Math.round(rate * 100) + "%";
    }

    private static String recall(long[][] matrix, int c) {
        long support = 0;
        for (long count : matrix[c]) {
            support += count;
        }
        return support == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) matrix[c][c] / support);
    }

    private static long[][] confusion(JsonNode status, int k) {
        long[][] rows = new long[k][k];
        for (int a = 0; a < k; a++) {
            for (int p = 0; p < k; p++) {
                rows[a][p] = status.path("confusion").path(a).path(p).asLong();
            }
        }
        return rows;
    }

    private static long[][] minus(long[][] later, long[][] earlier) {
        long[][] difference = new long[later.length][];
        for (int a = 0; a < later.length; a++) {
            difference[a] = new long[later[a].length];
            for (int p = 0; p < later[a].length; p++) {
                difference[a][p] = later[a][p] - earlier[a][p];
            }
        }
        return difference;
    }

    /** Sends items in batches; returns how many requests failed. */
    private int send(List<Item> items, List<String> classes) throws InterruptedException {
        // Each label as a JSON string, escaped as JSON needs
        List<String> quoted = classes.stream().map(label -> JSON.getNodeFactory().textNode(label).toString()).toList();
        int failures = 0;
        for (int from = 0; from < items.size(); from += BATCH) {
            StringBuilder body = new StringBuilder("[");
            for (int i = from; i < Math.min(items.size(), from + BATCH); i++) {
                Item item = items.get(i);
                body.append(i == from ? "" : ",").append("{\"prediction\":").append(quoted.get(item.predicted()))
                        .append(",\"actual\":").append(quoted.get(item.actual())).append(model.fields()).append('}');
            }
            if (!client.post(body.append(']').toString())) {
                failures++;
            }
        }
        return failures;
    }
}
