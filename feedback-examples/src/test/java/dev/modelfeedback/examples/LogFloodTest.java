package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends requests Jetty warns about, each quoting 7 KB of its input, must not decide
 * how long the server's log lines are or how fast its log grows. The example server runs as it
 * would in production, in a process of its own started through {@link Main}, its standard error
 * (where it logs) going to a file.
 */
final class LogFloodTest {

    private static final int REQUESTS = 1_000;
    private static final String BAD_HOST = "GET / HTTP/1.1\r\nHost: a b" + "X".repeat(7_000) + "\r\n\r\n";
    private static final String HOST_PORT = ":WARN:org.eclipse.jetty.util.HostPort:";
    private static final Pattern SUPPRESSED = Pattern.compile(": (\\d+) lines suppressed in \\d+ s \\(this logger writes"
            + " at most 20 per 10 s\\)$");
    /** The longest line the server writes, in code points ({@code BoundedLog.MAX_LINE_CODE_POINTS}). */
    private static final int MAX_LINE = 512;
    private static final int PER_WINDOW = 20;
    private static final int WINDOW_SECONDS = 10;

    private Process server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    void aFloodOfBadHostHeadersAddsAFewBoundedLinesAndCountsTheRest(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        server = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", "0")
                .redirectError(log.toFile()).start();
        URI base = CompletableFuture.supplyAsync(this::readUri).get(120, TimeUnit.SECONDS);
        long before = Files.size(log);

        long start = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            RawHttp.Answer answer = RawHttp.exchange(base, BAD_HOST);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).isEqualTo("{\"error\":\"Bad Request\"}");
        }
        server.destroy(); // SIGTERM: the shutdown hooks run, the last summary is written
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;

        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        long grown = Files.size(log) - before;
        List<String> shown = lines.stream().filter(line -> line.contains(HOST_PORT + "http")
                && line.contains(": Bad Authority: [a bXXX")).toList();
        List<String> summaries = lines.stream().filter(line -> line.contains(HOST_PORT)
                && SUPPRESSED.matcher(line).find()).toList();
        long suppressed = summaries.stream().mapToLong(LogFloodTest::suppressedIn).sum();
        long windows = (long) (seconds / WINDOW_SECONDS) + 1;

        int longest = lines.stream().mapToInt(line -> line.codePointCount(0, line.length())).max().orElse(0);
        assertThat(longest).as("code points of the longest line").isLessThanOrEqualTo(MAX_LINE);
        // every flood line and summary at the longest, and Jetty's few lines of stopping
        assertThat(grown).as("bytes the log grew by in %.1f s", seconds)
                .isLessThanOrEqualTo((PER_WINDOW + 1) * windows * (MAX_LINE + 1) + 20 * (MAX_LINE + 1));
        assertThat(shown.size() + suppressed).as("lines shown plus lines counted").isEqualTo(REQUESTS);
        assertThat(shown.size()).isBetween(PER_WINDOW, (int) (PER_WINDOW * windows));
        assertThat(summaries).hasSizeBetween(1, (int) windows);
        assertThat(shown).allSatisfy(line -> assertThat(line).endsWith("XXX... (7020 chars)"));
        assertThat(lines).noneMatch(line -> line.startsWith("SLF4J"));
    }

    private static long suppressedIn(String line) {
        Matcher matcher = SUPPRESSED.matcher(line);
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    /** The server's address from its first lines; the rest of its output is drained so that it never blocks. */
    private URI readUri() {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String prefix = "model-feedback example server on ";
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(prefix)) {
                    Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "server-output");
                    drain.setDaemon(true);
                    drain.start();
                    return URI.create(line.substring(prefix.length()).trim());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("the server exited before it served");
    }
}
