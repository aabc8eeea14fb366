package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.redis.RedisRelay;
import dev.modelfeedback.redis.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two example servers, each its own JVM, sharing one real {@code redis-server} (its replies 5 ms
 * late, as from another host, so that most of a busy replica's requests wait for Redis), while one of them
 * is frozen (SIGSTOP, as a long pause or a starved host freezes a JVM) for longer than its Redis
 * command timeout, three times, with feedback in flight. Clients retry every 503, connection failure and
 * timeout on the other replica, as real clients do. Every item is then counted exactly once across
 * the two replicas' {@code /metrics}: an operation Redis applied while its replica was frozen is
 * not answered 503 (its retry would be a duplicate, never counted).
 */
final class ReplicaStallTest {

    private static final String MODEL = "{model=\"fraud\",model_version=\"v3\"}";
    /** Longer than the replicas' Redis command timeout (2 s). */
    private static final Duration FROZEN = Duration.ofMillis(2_600);
    private static final int PAUSES = 3;
    private static final int CLIENTS = 6;
    private static final int BATCH = 5;
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Replica> replicas = new ArrayList<>();
    private RedisServer redis;
    private RedisRelay relay;

    /** An example server in a process of its own, so that it can be frozen like a stalled replica. */
    private record Replica(Process process, URI base) {

        static Replica start(String store) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "serve", "--port", "0", "--store", store, "--model", "fraud@v3")
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String prefix = "model-feedback example server on ";
            List<String> seen = new ArrayList<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                seen.add(line);
                if (line.startsWith(prefix)) {
                    URI base = URI.create(line.substring(prefix.length()).trim());
                    Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "replica-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new Replica(process, base);
                }
            }
            throw new IllegalStateException("the replica exited before it served: " + String.join("\n", seen));
        }

        void signal(String name) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).as("kill -" + name).isZero();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Replica replica : replicas) {
            if (replica.process().isAlive()) {
                replica.signal("CONT");
                replica.process().destroyForcibly();
            }
        }
        if (relay != null) {
            relay.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void everyItemIsCountedOnceAcrossReplicasWhileOneIsFrozenThreeTimes() throws Exception {
        redis = RedisServer.start();
        relay = RedisRelay.to(redis);
        relay.replyLatency(Duration.ofMillis(5));
        ExecutorService starting = Executors.newFixedThreadPool(2);
        try {
            Future<Replica> first = starting.submit(() -> Replica.start(relay.uri()));
            Future<Replica> second = starting.submit(() -> Replica.start(relay.uri()));
            replicas.add(first.get(60, TimeUnit.SECONDS));
            replicas.add(second.get(60, TimeUnit.SECONDS));
        } finally {
            starting.shutdownNow();
        }
        Replica frozen = replicas.get(0);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger batches = new AtomicInteger();
        AtomicIntegerArray expected = new AtomicIntegerArray(4); // TP, TN, FP, FN
        Queue<String> refused = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            running.add(clients.submit(() -> {
                for (int round = 0; !stop.get(); round++) {
                    StringBuilder predictions = new StringBuilder("[");
                    StringBuilder actuals = new StringBuilder("[");
                    int[] cells = new int[4];
                    for (int i = 0; i < BATCH; i++) {
                        String id = "c" + client + "-" + round + "-" + i;
                        int prediction = (round + i) % 2;
                        int actual = (round * 3 + i + client) % 3 == 0 ? 0 : 1;
                        predictions.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id)
                                .append("\",\"prediction\":").append(prediction).append('}');
                        actuals.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id)
                                .append("\",\"actual\":").append(actual).append('}');
                        cells[prediction == 1 ? (actual == 1 ? 0 : 2) : (actual == 1 ? 3 : 1)]++;
                    }
                    // the prediction through one replica, its actual through the other
                    deliver(predictions.append(']').toString(), (client + round) % 2, refused);
                    deliver(actuals.append(']').toString(), (client + round + 1) % 2, refused);
                    for (int cell = 0; cell < 4; cell++) {
                        expected.addAndGet(cell, cells[cell]);
                    }
                    batches.incrementAndGet();
                }
                return null;
            }));
        }
        try {
            for (int pause = 0; pause < PAUSES; pause++) {
                int before = batches.get();
                await("feedback to flow", () -> batches.get() >= before + 20 || anyDone(running));
                frozen.signal("STOP");
                try {
                    Thread.sleep(FROZEN.toMillis()); // the stall itself: nothing to wait for
                } finally {
                    frozen.signal("CONT");
                }
            }
            int before = batches.get();
            await("feedback to flow after the last stall", () -> batches.get() >= before + 20 || anyDone(running));
        } finally {
            stop.set(true);
        }
        for (Future<?> client : running) {
            client.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        }
        clients.shutdown();

        assertThat(refused).as("answers other than 2xx and 503").isEmpty();
        int[] want = {expected.get(0), expected.get(1), expected.get(2), expected.get(3)};
        assertThat(want[0] + want[1] + want[2] + want[3]).isEqualTo(batches.get() * BATCH);
        // every answer came after its count; a request a client gave up on may still be answered
        settle(() -> sum(counts()) >= sum(want));
        assertThat(counts()).as("TP, TN, FP, FN summed over the replicas' /metrics").containsExactly(want);
        assertThat(frozen.process().isAlive()).isTrue();
    }

    /**
     * Posts until a replica answers 2xx: after a 503, a connection failure or a timeout, on the
     * other replica (a short pause first, as a client backs off).
     */
    private void deliver(String body, int first, Queue<String> refused) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            Replica replica = replicas.get((first + attempt) % 2);
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(replica.base().resolve("/feedback"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() / 100 == 2) {
                    return;
                }
                if (answer.statusCode() != 503) {
                    refused.add(answer.statusCode() + " " + answer.body());
                    return;
                }
            } catch (IOException e) {
                // a connection failure or a timeout: send it again
            }
            Thread.sleep(20);
        }
    }

    /** TP, TN, FP, FN, each summed over the replicas' {@code /metrics}. */
    private int[] counts() {
        int[] total = new int[4];
        String[] names = {"true_positives_total", "true_negatives_total", "false_positives_total", "false_negatives_total"};
        for (Replica replica : replicas) {
            String metrics;
            try {
                metrics = http.send(HttpRequest.newBuilder(replica.base().resolve("/metrics")).timeout(Duration.ofSeconds(10))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            for (String line : metrics.lines().toList()) {
                for (int cell = 0; cell < 4; cell++) {
                    if (line.startsWith(names[cell] + MODEL + " ")) {
                        total[cell] += (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            }
        }
        return total;
    }

    private static int sum(int[] cells) {
        return cells[0] + cells[1] + cells[2] + cells[3];
    }

    private static boolean anyDone(List<Future<?>> running) {
        return running.stream().anyMatch(Future::isDone);
    }

    /** Waits a while for the condition, without failing: the assertion after it says what is wrong. */
    private static void settle(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("still waiting after " + LIMIT.toSeconds() + " s for " + what)
                    .isNegative();
            Thread.sleep(10);
        }
    }
}
