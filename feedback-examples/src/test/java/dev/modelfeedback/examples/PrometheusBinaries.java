package dev.modelfeedback.examples;

import static org.junit.jupiter.api.Assertions.fail;

import dev.modelfeedback.core.testing.RequiredProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code prometheus} and {@code promtool} binaries (Debian package {@code prometheus}).
 * Absent, the tests that need them are skipped with a printed notice, unless
 * {@code -Dfeedback.requirePrometheus=true} (set by CI) makes them fail instead.
 */
final class PrometheusBinaries {

    static final String REQUIRE_PROPERTY = "feedback.requirePrometheus";

    /** Where the shipped monitoring files live, relative to this module. */
    static final Path MONITORING = Path.of("monitoring").toAbsolutePath();

    private PrometheusBinaries() {
    }

    /** The binary's path; skips or fails the calling test when it is not installed. */
    static Path require(String name) {
        return RequiredProgram.require(REQUIRE_PROPERTY,
                name + " is not installed (Debian package 'prometheus'); the monitoring tests need it", name);
    }

    /** The outcome of a finished command. */
    record Result(int exitCode, String output) {
    }

    /** Runs a command to its end (at most 2 minutes), output and errors together. */
    static Result run(Path workingDir, String... command) throws IOException, InterruptedException {
        return run(workingDir, Duration.ofMinutes(2), command);
    }

    /**
     * Runs a command to its end, output and errors together; fails the test if it takes longer
     * than {@code timeout}, after killing it. The output goes to a file while the command runs, so
     * that waiting for the output can never outlast the timeout.
     */
    static Result run(Path workingDir, Duration timeout, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        Path output = Files.createTempFile("command", ".out");
        try {
            Process process = new ProcessBuilder(line).directory(workingDir.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                fail(String.join(" ", line) + " did not finish in " + timeout.toSeconds() + " s; its output:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
