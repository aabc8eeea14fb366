package dev.modelfeedback.redis.bench;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.redis.RedisPendingStore;
import dev.modelfeedback.redis.RedisServer;
import dev.modelfeedback.servlet.FeedbackServlet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Joins per second over HTTP: {@code POST /feedback} with batches of 1,000 actual values, on
 * embedded Jetty with the Redis store, all on this machine (redis-server, Jetty and the clients
 * share its cores). Stores N predictions through the store first, then sends every batch once from
 * C client threads, and checks that all N were counted.
 *
 * <pre>
 * mvn -q -B -pl feedback-redis -Pbench test -DskipTests \
 *     -Dbench.main=dev.modelfeedback.redis.bench.RedisHttpThroughput -Dbench.args="1000000 4"
 * </pre>
 */
public final class RedisHttpThroughput {

    private static final int BATCH = 1000;

    private RedisHttpThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        try (RedisServer redis = RedisServer.start();
                RedisPendingStore store = RedisPendingStore.builder(redis.uri()).build()) {
            ModelSet models = ModelSet.builder(new SimpleMeterRegistry()).model("fraud", "v3").pendingStore(store).build();
            String namespace = models.recorder("fraud").namespace();
            List<String> bodies = preload(store, namespace, count);
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.addServlet(new ServletHolder(new FeedbackServlet(models)), "/feedback");
            server.setHandler(context);
            server.start();
            try {
                URI feedback = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/feedback");
                send(feedback, bodies.subList(0, Math.min(20, bodies.size())), clients); // warm-up
                double seconds = send(feedback, bodies.subList(Math.min(20, bodies.size()), bodies.size()), clients);
                long counted = models.recorder("fraud").snapshot().total();
                if (counted != count) {
                    throw new IllegalStateException("counted " + counted + " of " + count);
                }
                long measured = (long) (bodies.size() - Math.min(20, bodies.size())) * BATCH;
                System.out.printf(Locale.ROOT, "%d cores; %,d actuals in batches of %,d from %d client thread(s):"
                        + " %.2f s, %,.0f joins/s over HTTP%n", Runtime.getRuntime().availableProcessors(), measured,
                        BATCH, clients, seconds, measured / seconds);
            } finally {
                server.stop();
            }
        }
    }

    /** Stores the predictions; returns the JSON bodies of the batches of actual values, shuffled. */
    private static List<String> preload(RedisPendingStore store, String namespace, int count) {
        SplittableRandom random = new SplittableRandom(7);
        List<String> bodies = new ArrayList<>();
        List<JoinOperation> predictions = new ArrayList<>(BATCH);
        StringBuilder body = new StringBuilder("[");
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            String id = RedisMemory.uuid(random);
            predictions.add(JoinOperation.prediction(namespace, id, i & 1));
            body.append(body.length() == 1 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"actual\":")
                    .append((i >> 1) & 1).append('}');
            if (predictions.size() == BATCH || i == count - 1) {
                store.apply(predictions, now);
                predictions.clear();
                bodies.add(body.append(']').toString());
                body = new StringBuilder("[");
            }
        }
        Collections.shuffle(bodies, new Random(7));
        return bodies;
    }

    /** Sends every body once from the client threads; returns the seconds it took. */
    private static double send(URI feedback, List<String> bodies, int clients) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                parts.add(pool.submit(() -> {
                    for (int k = next.getAndIncrement(); k < bodies.size(); k = next.getAndIncrement()) {
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(feedback)
                                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(k))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() != 200) {
                            throw new IllegalStateException("status " + answer.statusCode() + ": " + answer.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
            return (System.nanoTime() - started) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }
}
