package dev.modelfeedback.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A real program the tests drive, found on the {@code PATH}. Absent, the calling test is skipped
 * with a printed {@code NOTICE: skipping: ...} line, unless a {@code -Dfeedback.require...=true}
 * property (set by CI) makes it fail instead. Shared by the monitoring, browser and Redis tests.
 */
public final class RequiredProgram {

    private RequiredProgram() {
    }

    /**
     * @param requireProperty the system property that turns a skip into a failure
     * @param notice what is missing and what needs it, for the notice and the failure
     * @param names the program's names, the first found wins
     * @return the program's path
     */
    public static Path require(String requireProperty, String notice, String... names) {
        for (String name : names) {
            Optional<Path> found = find(name);
            if (found.isPresent()) {
                return found.get();
            }
        }
        if (Boolean.getBoolean(requireProperty)) {
            fail(notice + ", and -D" + requireProperty + "=true requires them to run");
        }
        System.out.println("NOTICE: skipping: " + notice);
        Assumptions.abort(notice);
        throw new AssertionError("unreachable: abort throws");
    }

    private static Optional<Path> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
