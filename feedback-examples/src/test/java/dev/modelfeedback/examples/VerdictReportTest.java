package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelfeedback.core.Verdict;
import dev.modelfeedback.core.model.ModelId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The console's closing verdicts are the JSON's, which the status page renders: after the drift
 * scenario the challenger is below its baseline and drifted, its champion healthy, and the lines
 * say exactly what {@code GET /feedback} and the core's {@link Verdict} say.
 */
final class VerdictReportTest {

    @Test
    void printsEveryModelsVerdictAsTheServerGivesIt() throws Exception {
        ExampleServer.Options options = ExampleServer.Options.DEFAULT.withPort(0).withBaseline(Main.DEMO_BASELINE)
                .withModels(List.of(Main.DEMO_CHAMPION, Main.DEMO_CHALLENGER)).withDriftDetectors(List.of("hddm_a"));
        try (ExampleServer server = ExampleServer.start(options)) {
            URI feedback = server.uri().resolve("/feedback");
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            assertThat(new DriftScenario(feedback, ModelTarget.parse("ranker@v2"), ModelTarget.parse("ranker@v1"),
                    DriftScenario.Settings.DEFAULT, quiet).run()).isZero();
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            assertThat(VerdictReport.print(feedback, new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();

            Verdict champion = server.models().recorder("ranker", "v1").status().verdict();
            Verdict challenger = server.models().recorder("ranker", "v2").status().verdict();
            assertThat(champion.state()).isEqualTo(Verdict.State.HEALTHY);
            assertThat(challenger.state()).isEqualTo(Verdict.State.BELOW_BASELINE);
            assertThat(challenger.reasons()).extracting(Verdict.Reason::state).containsExactly(
                    Verdict.State.BELOW_BASELINE, Verdict.State.BELOW_BASELINE, Verdict.State.DRIFT_DETECTED);
            List<String> expected = new ArrayList<>();
            expected.add("Verdicts (GET " + feedback + " \"verdict\"; the status page shows the same):");
            expected.add("  ranker@v1   healthy");
            expected.add("  ranker@v2   below baseline");
            for (Verdict.Reason reason : challenger.reasons()) {
                expected.add(" ".repeat(16) + reason.message());
            }
            assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactlyElementsOf(expected);
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(feedback)
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString()).body();
            JsonNode json = new ObjectMapper().readTree(body);
            assertThat(json.path("models").get(1).path("verdict").path("reasons").get(2).path("message").asText())
                    .isEqualTo(challenger.reasons().get(2).message());
            assertThat(new ModelId("ranker", "v2").toString()).isEqualTo(VerdictReport.name(json.path("models").get(1)));
        }
    }
}
