package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.join.JoinCounts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator's delayed-labels scenario against the example server, over HTTP. */
final class DelayedScenarioTest {

    @Test
    void joinsLateActualsOnceAndReportsEveryAnswer() throws Exception {
        try (ExampleServer server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int failures = new DelayedScenario(server.uri().resolve("/feedback"), 1,
                    new PrintStream(out, true, StandardCharsets.UTF_8)).run();
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();

            assertThat(failures).isZero();
            assertThat(lines.get(0)).isEqualTo("=== Scenario: delayed labels ===");
            assertThat(lines.get(1)).contains(" (model default@unknown); each answer carried an id");
            assertThat(lines).filteredOn(l -> l.contains(" -> 200 counted; Accuracy=")).hasSize(16);
            assertThat(lines).filteredOn(l -> l.endsWith("again (a retry) -> 200 a duplicate, not counted again")).hasSize(1);
            assertThat(lines).filteredOn(l -> l.contains("(contradicting the first) -> 409 id '")
                    && l.endsWith("' was already recorded with a different actual value")).hasSize(1);
            assertThat(lines).contains("  actual 1 for never-predicted -> 404 no prediction is stored for id"
                    + " 'never-predicted' (unknown)");
            assertThat(lines).anyMatch(l -> l.startsWith("Now: 16 joined and counted once each, 4 pending; unmatched"
                    + " {\"unknown\":1,\"expired\":0,\"evicted\":0}."));
            assertThat(server.models().recorder(null).snapshot().total()).isEqualTo(16);
            JoinCounts joins = server.models().recorder(null).joins();
            assertThat(joins).isEqualTo(new JoinCounts(4, 1, 0, 0, joins.labelDelay()));
            assertThat(joins.labelDelay().count()).isEqualTo(16);
            // Labels come within a second here, or later on a busy machine: either line, with the histogram's name.
            assertThat(lines).anyMatch(l -> (l.startsWith("Every label arrived within a second (")
                    || l.startsWith("The labels took a median of ")) && l.contains("feedback_label_delay_seconds"));
        }
    }
}
