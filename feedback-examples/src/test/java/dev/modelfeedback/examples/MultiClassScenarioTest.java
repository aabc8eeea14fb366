package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.model.ModelId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulator's multi-class scenario over HTTP against the example server: the recalls it prints
 * are those of the stream it sent, counted here item by item, and the server's matrix holds every item.
 */
final class MultiClassScenarioTest {

    private static final List<String> CLASSES = MultiClassScenario.DEMO_CLASSES;

    @Test
    void printsEachClasssRecallBeforeAndAfterFromTheServersCounts() throws Exception {
        try (ExampleServer server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0)
                .withModels(List.of(new ModelId("intent", "v1"), new ModelId("fraud", "v3")))
                .withClasses(Map.of("intent", CLASSES)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int failures = new MultiClassScenario(server.uri().resolve("/feedback"), ModelTarget.parse("intent"), 7,
                    new PrintStream(out, true, StandardCharsets.UTF_8)).run();

            assertThat(failures).isZero();
            List<MultiClassScenario.Item> items = MultiClassScenario.stream(4, 7);
            List<String> expected = new ArrayList<>(List.of("=== Scenario: multiclass ===",
                    "Model intent@v1: 2000 feedbacks over 4 classes at 90% recall each, then 2000 with tech at 50% (seed 7).",
                    "  class        recall before  recall after"));
            long[][] rows = new long[4][4];
            for (int c = 0; c < 4; c++) {
                expected.add(String.format(Locale.ROOT, "  %-12s %13s %13s%s", CLASSES.get(c),
                        recall(items.subList(0, 2000), c), recall(items.subList(2000, 4000), c),
                        c == 1 ? "  <- degraded" : ""));
            }
            for (MultiClassScenario.Item item : items) {
                rows[item.actual()][item.predicted()]++;
            }
            ConfusionMatrix served = server.models().recorder("intent").matrix();
            assertThat(served.rows()).isEqualTo(rows);
            expected.add(String.format(Locale.ROOT,
                    "Lifetime on the server: accuracy %.3f, macro F1 %.3f, balanced accuracy %.3f.",
                    served.accuracy(), served.macroF1(), served.balancedAccuracy()));
            assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactlyElementsOf(expected);
            // the degraded class is visibly worse after the change, the others are not
            assertThat(Double.parseDouble(recall(items.subList(2000, 4000), 1))).isLessThan(0.6);
            assertThat(Double.parseDouble(recall(items.subList(2000, 4000), 0))).isGreaterThan(0.85);
            assertThat(server.models().recorder("fraud").snapshot().total()).isZero();
        }
    }

    @Test
    void saysHowToStartTheServerWhenTheModelHasNoClasses() throws Exception {
        try (ExampleServer server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int failures = new MultiClassScenario(server.uri().resolve("/feedback"), ModelTarget.DEFAULT, 1,
                    new PrintStream(out, true, StandardCharsets.UTF_8)).run();

            assertThat(failures).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly("=== Scenario: multiclass ===",
                    "Model default@unknown does not declare classes; start the server with --model default --classes"
                            + " default:billing,tech,sales,account and name it with --model.");
            assertThat(server.models().recorder(null).snapshot().total()).isZero();
        }
    }

    private static String recall(List<MultiClassScenario.Item> items, int c) {
        long support = items.stream().filter(item -> item.actual() == c).count();
        long right = items.stream().filter(item -> item.actual() == c && item.predicted() == c).count();
        return String.format(Locale.ROOT, "%.3f", (double) right / support);
    }
}
