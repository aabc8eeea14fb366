package dev.modelfeedback.redis;

import dev.modelfeedback.core.testing.RequiredProgram;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian package {@code redis-server}) for tests: started from the
 * {@code PATH} on a free port of 127.0.0.1 with a temporary data directory, and stopped, killed,
 * paused or restarted (same port, same data) on demand. Absent, the tests that need it are skipped
 * with a printed notice, unless {@code -Dfeedback.requireRedis=true} (set by CI) makes them fail.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start(RedisServer.Options.DEFAULT.appendFsyncAlways())) {
 *     RedisPendingStore store = RedisPendingStore.builder(redis.uri()).build();
 *     ...
 *     redis.kill();      // SIGKILL
 *     redis.restart();   // replays the append-only file
 * }
 * }</pre>
 *
 * <p>Not thread-safe: drive it from the test's thread.
 */
public final class RedisServer implements AutoCloseable {

    /** The system property that turns a missing {@code redis-server} from a skip into a failure. */
    public static final String REQUIRE_PROPERTY = "feedback.requireRedis";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    /**
     * How to run the server.
     *
     * @param appendOnly keep an append-only file, fsynced on every write ({@code appendfsync always})
     *     so that a write Redis acknowledged survives a kill; otherwise nothing is persisted
     * @param password the {@code requirepass}, or {@code null} for none
     * @param maxMemoryBytes {@code maxmemory} with {@code noeviction}, or 0 for no limit
     */
    public record Options(boolean appendOnly, String password, long maxMemoryBytes) {

        /** In memory only, no password, no memory limit. */
        public static final Options DEFAULT = new Options(false, null, 0);

        /** With an append-only file fsynced on every write. */
        public Options appendFsyncAlways() {
            return new Options(true, password, maxMemoryBytes);
        }

        /** With a password. */
        public Options withPassword(String required) {
            return new Options(appendOnly, required, maxMemoryBytes);
        }

        /** With {@code maxmemory} (and {@code maxmemory-policy noeviction}). */
        public Options withMaxMemory(long bytes) {
            return new Options(appendOnly, password, bytes);
        }
    }

    private final Path binary;
    private final Options options;
    private final Path dataDir;
    private final int port;
    private Process process;

    private RedisServer(Path binary, Options options, Path dataDir, int port) {
        this.binary = binary;
        this.options = options;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts a server with {@link Options#DEFAULT}. */
    public static RedisServer start() {
        return start(Options.DEFAULT);
    }

    /**
     * Starts a server; skips or fails the calling test when {@code redis-server} is not installed.
     *
     * @throws IllegalStateException if it does not answer within 20 seconds
     */
    public static RedisServer start(Options options) {
        Path binary = requireBinary();
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("redis-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            RedisServer server = new RedisServer(binary, options, dataDir, freePort());
            try {
                server.launch();
                return server;
            } catch (IllegalStateException e) {
                // Another process may have taken the free port between the probe and the start.
                server.kill();
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        delete(dataDir);
        throw failure;
    }

    /** The path of {@code redis-server}; skips or fails the calling test when it is not installed. */
    public static Path requireBinary() {
        return RequiredProgram.require(REQUIRE_PROPERTY,
                "redis-server is not installed (Debian package 'redis-server'); the Redis store tests need it",
                "redis-server");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dataDir.toString(),
                "--save", "", "--daemonize", "no", "--logfile", "redis.log", "--enable-debug-command", "local",
                "--appendonly", options.appendOnly() ? "yes" : "no", "--appendfsync", "always"));
        if (options.password() != null) {
            command.addAll(List.of("--requirepass", options.password()));
        }
        if (options.maxMemoryBytes() > 0) {
            command.addAll(List.of("--maxmemory", Long.toString(options.maxMemoryBytes()),
                    "--maxmemory-policy", "noeviction"));
        }
        try {
            process = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("redis.out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": " + log());
            }
            try {
                if (command("PING").equals("PONG")) {
                    return;
                }
            } catch (IOException | IllegalStateException e) {
                // not listening yet, or still loading its data
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server did not answer on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s: " + log());
    }

    /** The URI to give {@link RedisPendingStore#builder}: {@code redis://127.0.0.1:PORT/0}. */
    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** The TCP port, the same across restarts. */
    public int port() {
        return port;
    }

    /** The data directory (append-only file, log), the same across restarts. */
    public Path dataDir() {
        return dataDir;
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the server's process runs. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server as an operator would (SIGTERM: it finishes writing its files), and waits. */
    public void stop() {
        if (isRunning()) {
            process.destroy();
            waitForExit();
        }
    }

    /** Kills the server (SIGKILL): whatever it had not written to disk is lost. */
    public void kill() {
        if (isRunning()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** Freezes the server (SIGSTOP): connections stay open and nothing answers, as on a stalled host. */
    public void pause() {
        signal("STOP");
    }

    /** Thaws a paused server (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the server again, stopped or killed, on the same port with the same data directory. */
    public void restart() {
        if (isRunning()) {
            throw new IllegalStateException("redis-server still runs; stop() or kill() it first");
        }
        launch();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends one command and returns the reply as text: a status, an integer, a bulk string, or the
     * elements of an array one per line. A password of the {@link Options} is sent first.
     *
     * @throws IllegalStateException if Redis answers an error
     * @throws IOException if it cannot be reached
     */
    public String command(String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (options.password() != null) {
                write(out, "AUTH", options.password());
                read(in);
            }
            write(out, args);
            return read(in);
        }
    }

    /** {@link #command}, failing the test if Redis cannot be reached. */
    public String call(String... args) {
        try {
            return command(args);
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + " did not answer " + String.join(" ", args), e);
        }
    }

    private static void write(OutputStream out, String... args) throws IOException {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+', ':' -> {
                return line;
            }
            case '-' -> throw new IllegalStateException(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return "";
                }
                byte[] body = in.readNBytes(length + 2);
                return new String(body, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                List<String> elements = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    elements.add(read(in));
                }
                return String.join("\n", elements);
            }
            default -> throw new IOException("not a Redis reply: " + (char) type + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\r'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            line.write(b);
        }
        in.read();
        return line.toString(StandardCharsets.UTF_8);
    }

    /** One field of {@code INFO}, for example {@code used_memory} of section {@code memory}. */
    public long info(String section, String field) {
        for (String line : call("INFO", section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        throw new IllegalStateException("INFO " + section + " has no " + field);
    }

    /** The server's log so far. */
    public String log() {
        try {
            Path log = dataDir.resolve("redis.log");
            Path out = dataDir.resolve("redis.out");
            return (Files.exists(log) ? Files.readString(log) : "") + (Files.exists(out) ? Files.readString(out) : "");
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the server (a paused one too) and deletes its data directory. */
    @Override
    public void close() {
        if (isRunning()) {
            process.destroyForcibly();
            waitForExit();
        }
        delete(dataDir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "redis-server on port " + port + " in " + dataDir;
    }
}
