package dev.modelfeedback.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How {@code POST /feedback} receives its body, on each real container: slowly sent bodies hold no
 * thread and meet a deadline, and encoded bodies are decoded or refused.
 */
class BodyReceptionTest {

    private static final String ITEM = "{\"prediction\":1,\"actual\":1}";

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ModelSet recorders = ModelSet.builder(registry).model("fraud", "v3").build();
    private final List<Socket> sockets = new ArrayList<>();
    private ServletContainer container;

    static Stream<Supplier<ServletContainer>> containers() {
        return Stream.of(named("Jetty", JettyContainer::new), named("Tomcat", TomcatContainer::new));
    }

    private static Supplier<ServletContainer> named(String name, Supplier<ServletContainer> factory) {
        return new Supplier<>() {
            @Override
            public ServletContainer get() {
                return factory.get();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private URI start(ServletContainer newContainer, Duration bodyTimeout) throws Exception {
        container = newContainer;
        FeedbackLimits limits = new FeedbackLimits(FeedbackLimits.DEFAULT.maxBodyBytes(),
                FeedbackLimits.DEFAULT.maxBatchItems(), bodyTimeout);
        return container.start(new FeedbackServlet(recorders, limits));
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (container != null) {
            container.close();
        }
    }

    private double rejected(RejectionReason reason) {
        return registry.get("feedback.rejected").tag("reason", reason.tag()).counter().count();
    }

    private ClassificationSnapshot counts() {
        return recorders.recorder("fraud").snapshot();
    }

    private Socket open(URI base) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        sockets.add(socket);
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static void send(Socket socket, String text) {
        send(socket, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void send(Socket socket, byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String head(String... headers) {
        StringBuilder head = new StringBuilder("POST /feedback HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write(body);
        }
        return zipped.toByteArray();
    }

    /**
     * A thousand clients send their headers and then one byte a second, never finishing: with
     * blocking reads each would hold one of the container's 200 threads and nothing else would be
     * answered. Waiting for bytes holds no thread, so others are answered meanwhile.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void aThousandSlowBodiesHoldNoThread(Supplier<ServletContainer> newContainer) throws Exception {
        URI base = start(newContainer.get(), Duration.ofMinutes(5));
        Http http = new Http(base);
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Socket socket = open(base);
            send(socket, head("Content-Type: application/json", "Content-Length: 200") + "[");
            slow.add(socket);
        }
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            trickle.scheduleWithFixedDelay(() -> slow.forEach(socket -> send(socket, " ")), 1, 1, TimeUnit.SECONDS);

            Http.Answer counted = http.post(ITEM);
            Http.Answer status = http.get();

            assertThat(counted.status()).as(counted.body()).isEqualTo(200);
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.json().get("models").get(0).get("counts").get("true_positives").asInt()).isEqualTo(1);
        } finally {
            trickle.shutdownNow();
            assertThat(trickle.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(counts()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void aBodyThatMissesItsDeadlineIsRefusedWith408AndCountsNothing(Supplier<ServletContainer> newContainer)
            throws Exception {
        URI base = start(newContainer.get(), Duration.ofSeconds(1));
        Socket socket = open(base);
        send(socket, head("Content-Type: application/json", "Content-Length: " + ITEM.length()) + ITEM.substring(0, 10));

        RawResponse late = RawResponse.read(socket.getInputStream());

        assertThat(late.status()).isEqualTo(408);
        assertThat(late.body()).isEqualTo(
                "{\"error\":\"the request body did not arrive within 1 second; nothing was counted\"}");
        assertThat(late.closes()).isTrue();
        assertThat(rejected(RejectionReason.BODY_TIMEOUT)).isEqualTo(1);
        assertThat(counts()).isEqualTo(ClassificationSnapshot.EMPTY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void aGzipBodyIsDecodedAndCounted(Supplier<ServletContainer> newContainer) throws Exception {
        URI base = start(newContainer.get(), FeedbackLimits.DEFAULT_BODY_TIMEOUT);
        byte[] body = gzip(("[" + ITEM + "," + ITEM + "]").getBytes(StandardCharsets.UTF_8));
        Socket socket = open(base);
        send(socket, head("Content-Type: application/json", "Content-Encoding: gzip", "Content-Length: " + body.length));
        send(socket, body);

        RawResponse answer = RawResponse.read(socket.getInputStream());

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(counts()).isEqualTo(new ClassificationSnapshot(2, 0, 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void encodedBodiesThatCannotBeDecodedAreRefusedAndCountNothing(Supplier<ServletContainer> newContainer)
            throws Exception {
        URI base = start(newContainer.get(), FeedbackLimits.DEFAULT_BODY_TIMEOUT);
        byte[] item = ITEM.getBytes(StandardCharsets.UTF_8);
        byte[] bomb = gzip(BadRequest.padded(1024 * 1024 + 1));

        assertThat(post(base, "gzip", item)).isEqualTo(new RawResponse(400, "",
                "{\"error\":\"request body is not valid gzip; nothing was counted\"}"));
        assertThat(post(base, "br", item)).isEqualTo(new RawResponse(415, "",
                "{\"error\":\"body coding 'br' is not supported; send the body as is or as gzip\"}"));
        assertThat(post(base, "gzip, x-custom", item)).isEqualTo(new RawResponse(415, "",
                "{\"error\":\"body coding 'x-custom' is not supported; send the body as is or as gzip\"}"));
        assertThat(post(base, "gzip", bomb)).isEqualTo(new RawResponse(413, "",
                "{\"error\":\"request body is larger than the limit of 1048576 bytes\"}"));

        assertThat(rejected(RejectionReason.UNREADABLE_BODY)).isEqualTo(1);
        assertThat(rejected(RejectionReason.UNSUPPORTED_MEDIA_TYPE)).isEqualTo(2);
        assertThat(rejected(RejectionReason.TOO_LARGE)).isEqualTo(1);
        assertThat(counts()).isEqualTo(ClassificationSnapshot.EMPTY);
    }

    /**
     * A gzip transfer coding under the chunked one: Jetty removes only the chunked coding and the
     * servlet decodes the gzip; Tomcat refuses a transfer coding it does not know itself, with
     * {@code 501}, as RFC 9112 says a server should. Either way, never gzip bytes read as JSON.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void aGzipTransferCodingIsDecodedOrRefusedByTheContainer(Supplier<ServletContainer> newContainer) throws Exception {
        boolean containerRefuses = newContainer.toString().equals("Tomcat");
        URI base = start(newContainer.get(), FeedbackLimits.DEFAULT_BODY_TIMEOUT);
        byte[] body = gzip(ITEM.getBytes(StandardCharsets.UTF_8));
        Socket socket = open(base);
        send(socket, head("Content-Type: application/json", "Transfer-Encoding: gzip, chunked"));
        send(socket, Integer.toHexString(body.length) + "\r\n");
        send(socket, body);
        send(socket, "\r\n0\r\n\r\n");

        RawResponse answer = RawResponse.read(socket.getInputStream());

        assertThat(answer.status()).isEqualTo(containerRefuses ? 501 : 200);
        assertThat(counts()).isEqualTo(containerRefuses ? ClassificationSnapshot.EMPTY : new ClassificationSnapshot(1, 0, 0, 0));
    }

    /** The status and body of a POST with {@code Content-Encoding: coding}; the head left out. */
    private RawResponse post(URI base, String coding, byte[] body) throws IOException {
        Socket socket = open(base);
        send(socket, head("Content-Type: application/json", "Content-Encoding: " + coding,
                "Content-Length: " + body.length));
        send(socket, body);
        RawResponse answer = RawResponse.read(socket.getInputStream());
        return new RawResponse(answer.status(), "", answer.body());
    }

    /** Deployed without async support, the servlet still receives bodies, and says once why it should not be. */
    @Test
    void withoutAsyncSupportBodiesAreReadBlockingAndAWarningSaysSo() throws Exception {
        try (LogCapture log = new LogCapture(BodyReceiver.class)) {
            Http http = new Http(start(new JettyContainer(false), FeedbackLimits.DEFAULT_BODY_TIMEOUT));

            assertThat(http.post(ITEM).status()).isEqualTo(200);
            assertThat(http.post(ITEM).status()).isEqualTo(200);
            assertThat(http.post("{\"prediction\":1}").status()).isEqualTo(400);

            assertThat(log.messages(Level.WARNING)).containsExactly("the servlet at /feedback is not registered as"
                    + " async-supported (or a filter before it is not): request bodies are read with blocking reads,"
                    + " without a deadline, so slow clients can hold every thread; register it with asyncSupported=true");
        }
        assertThat(counts()).isEqualTo(new ClassificationSnapshot(2, 0, 0, 0));
    }
}
