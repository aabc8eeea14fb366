package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** The harness that runs promtool and prometheus: its timeout must be able to fire. */
final class PrometheusBinariesTest {

    @Test
    void aCommandThatOutlivesItsTimeoutFailsTheTestAndIsKilled(@TempDir Path dir) {
        // Prints, then keeps its output open for far longer than the timeout.
        assertThatThrownBy(() -> PrometheusBinaries.run(dir, Duration.ofSeconds(1), "sh", "-c", "echo started; exec sleep 600"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("sh -c echo started; exec sleep 600 did not finish in 1 s; its output:\nstarted\n");
    }

    @Test
    void aCommandThatEndsInTimeGivesItsExitCodeAndOutput(@TempDir Path dir) throws Exception {
        PrometheusBinaries.Result result = PrometheusBinaries.run(dir, Duration.ofSeconds(30),
                "sh", "-c", "echo out; echo err >&2; exit 3");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).isEqualTo("out\nerr\n");
    }
}
