package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.drift.DriftDetector;
import dev.modelfeedback.core.drift.DriftState;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.model.ModelId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's drift scenario over HTTP against the example server running all four detectors:
 * what it reports equals what the detectors compute from the same stream in process.
 */
final class DriftScenarioTest {

    @Test
    void reportsWhereEachDetectorFiredRelativeToTheRise() throws Exception {
        DriftScenario.Settings settings = DriftScenario.Settings.DEFAULT;
        try (ExampleServer server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0)
                .withDriftDetectors(DriftDetector.NAMES))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int failures = new DriftScenario(server.uri().resolve("/feedback"), ModelTarget.DEFAULT, null, settings,
                    new PrintStream(out, true, StandardCharsets.UTF_8)).run();

            assertThat(failures).isZero();
            List<String> expected = new ArrayList<>(List.of("=== Scenario: drift ===",
                    "Model default@unknown: 2000 feedbacks at 10.0% error, then 2000 at 30.0% (seed 1); the rise is at its feedback 2001."));
            for (String name : DriftDetector.NAMES) {
                expected.add(expectedLine(name, settings));
            }
            assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactlyElementsOf(expected);
            assertThat(server.models().recorder(null).snapshot().total()).isEqualTo(4000);
        }
    }

    /**
     * A challenger and its champion, two versions of one model on the same traffic: the champion's
     * detectors see its own stream (the same draws at the rate before the rise), and the two count apart.
     */
    @Test
    void feedsAChampionBesideTheChallengerAndReportsBoth() throws Exception {
        DriftScenario.Settings settings = new DriftScenario.Settings(1, 0.1, 0.4, 600, 600);
        DriftScenario.Settings championStream = new DriftScenario.Settings(1, 0.1, 0.1, 600, 600);
        try (ExampleServer server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0)
                .withModels(List.of(new ModelId("ranker", "v1"), new ModelId("ranker", "v2")))
                .withDriftDetectors(List.of("hddm_a", "ddm")))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int failures = new DriftScenario(server.uri().resolve("/feedback"), ModelTarget.parse("ranker@v2"),
                    ModelTarget.parse("ranker@v1"), settings, new PrintStream(out, true, StandardCharsets.UTF_8)).run();

            assertThat(failures).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly("=== Scenario: drift ===",
                    "Model ranker@v2: 600 feedbacks at 10.0% error, then 600 at 40.0% (seed 1); the rise is at its feedback 601.",
                    expectedLine("hddm_a", settings), expectedLine("ddm", settings),
                    "Beside it, its champion ranker@v1 got the same traffic at 10.0% error throughout:",
                    expectedLine("hddm_a", championStream), expectedLine("ddm", championStream));
            long championErrors = 0;
            long challengerErrors = 0;
            for (int i = 0; i < 1200; i++) {
                championErrors += championStream.errors()[i] ? 1 : 0;
                challengerErrors += settings.errors()[i] ? 1 : 0;
            }
            ClassificationSnapshot champion = server.models().recorder("ranker", "v1").snapshot();
            ClassificationSnapshot challenger = server.models().recorder("ranker", "v2").snapshot();
            assertThat(champion.total()).isEqualTo(1200);
            assertThat(champion.falsePositives() + champion.falseNegatives()).isEqualTo(championErrors);
            assertThat(challenger.falsePositives() + challenger.falseNegatives()).isEqualTo(challengerErrors);
        }
    }

    /** The line for one detector, from running it in process on the scenario's stream. */
    private static String expectedLine(String name, DriftScenario.Settings settings) {
        boolean[] errors = settings.errors();
        DriftDetector detector = DriftDetector.named(name).get();
        StringBuilder line = new StringBuilder(String.format("  %-13s ", name));
        int found = 0;
        for (int i = 0; i < errors.length; i++) {
            if (detector.update(errors[i]) == DriftState.DRIFT) {
                long offset = i - settings.before();
                line.append(found++ == 0 ? "drift at feedback " : ", ").append(i + 1).append(": ")
                        .append(offset < 0 ? -offset + " before the rise (a false alarm)" : offset + " after the rise");
            }
        }
        return found == 0 ? line.append("no drift").toString() : line.toString();
    }

    @Test
    void theStreamIsSeededAndRespectsItsRates() {
        DriftScenario.Settings settings = new DriftScenario.Settings(42, 0.0, 1.0, 500, 500);
        boolean[] errors = settings.errors();

        assertThat(errors).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(errors[i]).as("item %d", i).isEqualTo(i >= 500);
        }
        assertThat(new DriftScenario.Settings(7, 0.1, 0.3, 100, 100).errors())
                .isEqualTo(new DriftScenario.Settings(7, 0.1, 0.3, 100, 100).errors());
    }
}
