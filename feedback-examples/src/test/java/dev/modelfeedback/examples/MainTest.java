package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.ModelId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class MainTest {

    @Test
    void parsesServeOptions() {
        Main.Arguments parsed = Main.Arguments.parse(
                new String[] {"serve", "--port", "9090", "--host", "0.0.0.0", "--model", "fraud@v3", "--model", "churn", "--noop"});

        assertThat(parsed.help()).isFalse();
        assertThat(parsed.server()).isEqualTo(new ExampleServer.Options("0.0.0.0", 9090,
                List.of(new ModelId("fraud", "v3"), ModelId.of("churn")), true));
    }

    @Test
    void defaultsToLoopbackPort8080() {
        assertThat(Main.Arguments.parse(new String[0]).server()).isEqualTo(ExampleServer.Options.DEFAULT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--port x      | --port must be a whole number, got 'x'",
        "--port 70000  | port must be between 0 and 65535, got 70000",
        "--port        | --port needs a value",
        "--verbose     | unknown argument '--verbose'",
        "--model a@    | model version must be 1 to 64 characters long, got 0 characters",
    })
    void refusesBadArgumentsWithUsageAndStatus2(String line, String message) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(line.trim().split("\\s+"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: " + message + "\n").contains("usage:");
    }

    @Test
    void helpPrintsUsage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: java -jar feedback-examples.jar");
        assertThatThrownBy(() -> Main.Arguments.parse(new String[] {"--host"}))
                .hasMessage("--host needs a value");
    }
}
