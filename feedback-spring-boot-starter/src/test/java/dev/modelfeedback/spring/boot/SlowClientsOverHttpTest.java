package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A thousand clients that send {@code POST /feedback} headers and then a byte a second, in a real
 * Boot application on embedded Tomcat (200 threads): the servlet waits for their bodies without
 * holding a thread, so feedback, its status and the scrape are answered meanwhile.
 */
@SpringBootTest(classes = FeedbackTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "modelfeedback.models.fraud.version=v3",
                // Longer than the test: the slow clients are still sending when it looks.
                "modelfeedback.body-timeout=5m",
                "management.endpoints.web.exposure.include=prometheus"})
final class SlowClientsOverHttpTest {

    @Value("${local.server.port}")
    private int port;
    @Autowired
    private ModelSet models;

    private final List<Socket> slow = new ArrayList<>();

    @AfterEach
    void hangUp() throws IOException {
        for (Socket socket : slow) {
            socket.close();
        }
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

    @Test
    void aThousandSlowBodiesLeaveFeedbackAndTheScrapeAnswering() throws Exception {
        for (int i = 0; i < 1000; i++) {
            Socket socket = new Socket("127.0.0.1", port);
            slow.add(socket);
            send(socket, "POST /feedback HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 200\r\n\r\n[");
        }
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        Http http = new Http(port);
        try {
            trickle.scheduleWithFixedDelay(() -> slow.forEach(socket -> send(socket, " ")), 1, 1, TimeUnit.SECONDS);

            Http.Answer counted = http.post("/feedback", "{\"prediction\":1,\"actual\":1}");
            Http.Answer status = http.get("/feedback");
            List<String> scrape = http.scrape();

            assertThat(counted.status()).as(counted.body()).isEqualTo(200);
            assertThat(status.status()).isEqualTo(200);
            assertThat(scrape).contains("true_positives_total{model=\"fraud\",model_version=\"v3\"} 1.0");
        } finally {
            trickle.shutdownNow();
            assertThat(trickle.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(models.recorder("fraud").snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
    }
}
