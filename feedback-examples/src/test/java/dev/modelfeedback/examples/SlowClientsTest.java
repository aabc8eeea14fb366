package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A thousand clients that send the headers of a {@code POST} to {@code /feedback} or
 * {@code /predict} and then a byte a second, against the example server (Jetty, 200 threads): no
 * endpoint stops answering while they last.
 */
final class SlowClientsTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Socket> slow = new ArrayList<>();
    private ExampleServer server;

    @BeforeEach
    void start() throws Exception {
        server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0));
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : slow) {
            socket.close();
        }
        server.close();
    }

    private static void send(Socket socket, String text) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        URI uri = server.uri().resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        request = json.isEmpty() ? request.GET()
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aThousandSlowBodiesLeaveEveryEndpointAnswering() throws Exception {
        URI base = server.uri();
        for (int i = 0; i < 1000; i++) {
            Socket socket = new Socket(base.getHost(), base.getPort());
            slow.add(socket);
            send(socket, "POST " + (i % 2 == 0 ? "/feedback" : "/predict") + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{");
        }
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            trickle.scheduleWithFixedDelay(() -> slow.forEach(socket -> send(socket, " ")), 1, 1, TimeUnit.SECONDS);

            HttpResponse<String> counted = send("POST", "/feedback", "{\"prediction\":1,\"actual\":1}");
            HttpResponse<String> predicted = send("POST", "/predict", "{\"feature\":0.9}");
            HttpResponse<String> scrape = send("GET", "/metrics", "");

            assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body().lines())
                    .contains("true_positives_total{model=\"default\",model_version=\"unknown\"} 1.0");
        } finally {
            trickle.shutdownNow();
            assertThat(trickle.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
