package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code TRACE} echoes a request's headers ({@code Authorization}, {@code Cookie}) into the body:
 * the example server refuses it on every path, in its JSON shape, and never lists it in {@code Allow}.
 * Over a raw socket, which sends {@code TRACE} as a browser's script or a proxy would.
 */
final class ExampleServerTraceTest {

    private static final String SECRETS = "Authorization: Bearer s3cret-token-0123456789\r\nCookie: session=s3cret\r\n";

    private ExampleServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static RawHttp.Answer trace(URI base, String target) throws Exception {
        return RawHttp.exchange(base, "TRACE " + target + " HTTP/1.1\r\nHost: localhost\r\n" + SECRETS
                + "Connection: close\r\n\r\n");
    }

    private static RawHttp.Answer options(URI base, String target) throws Exception {
        return RawHttp.exchange(base, "OPTIONS " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    private static void assertRefused(RawHttp.Answer answer, String allow) {
        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.body()).isEqualTo("{\"error\":\"method 'TRACE' is not allowed; use " + allow + "\"}");
        assertThat(answer.header("Allow")).containsExactly(allow);
        assertThat(answer.header("Content-Type")).singleElement().satisfies(
                type -> assertThat(type).isEqualToIgnoringCase("application/json;charset=UTF-8"));
        assertThat(answer.body()).doesNotContain("s3cret").doesNotContain("Cookie").doesNotContain("TRACE /");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/                    | GET, HEAD, OPTIONS",
        "/metrics             | GET, HEAD, OPTIONS",
        "/feedback            | GET, HEAD, POST, OPTIONS",
        "/predict             | POST, OPTIONS",
        "/nope%3Cscript%3E    | GET, HEAD, OPTIONS",
        "/feedback?format=json | GET, HEAD, POST, OPTIONS",
    })
    void refusesTraceOnEveryPathAndNoAllowHeaderListsIt(String target, String allow) throws Exception {
        server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0));

        RawHttp.Answer traced = trace(server.uri(), target);
        RawHttp.Answer options = options(server.uri(), target);

        assertRefused(traced, allow);
        assertThat(options.status()).isBetween(200, 204);
        assertThat(options.header("Allow")).containsExactly(allow);
    }

    /** The absolute form a proxy sends, and HTTP/1.0, reach the same refusal. */
    @Test
    void refusesTraceInEveryFormOfTheRequestLine() throws Exception {
        server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0));
        URI base = server.uri();

        RawHttp.Answer absolute = RawHttp.exchange(base, "TRACE http://localhost:" + base.getPort()
                + "/metrics HTTP/1.1\r\nHost: localhost:" + base.getPort() + "\r\n" + SECRETS + "Connection: close\r\n\r\n");
        RawHttp.Answer http10 = RawHttp.exchange(base, "TRACE /metrics HTTP/1.0\r\n" + SECRETS + "\r\n");

        assertRefused(absolute, "GET, HEAD, OPTIONS");
        assertRefused(http10, "GET, HEAD, OPTIONS");
    }

    /** Counted where the endpoint counts its other refusals of a method, and nothing else changes. */
    @Test
    void countsTraceOnAnEndpointAsAMethodItDoesNotAllow() throws Exception {
        server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0));

        trace(server.uri(), "/feedback");
        trace(server.uri(), "/predict");
        trace(server.uri(), "/predict");
        trace(server.uri(), "/metrics");
        String metrics = RawHttp.exchange(server.uri(), "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close"
                + "\r\n\r\n").body();

        assertThat(metrics.lines()).contains("feedback_rejected_total{reason=\"method_not_allowed\"} 1.0",
                "predict_rejected_total{reason=\"method_not_allowed\"} 2.0");
        assertThat(metrics.lines().filter(line -> line.startsWith("# HELP feedback_rejected_total "))).containsExactly(
                "# HELP feedback_rejected_total Feedback requests refused, by reason. A refused request counts no feedback.");
        assertThat(server.models().recorder(null).snapshot().total()).isZero();
    }

    /** With tokens required, TRACE is still refused first: a 405, with nothing echoed, token or not. */
    @Test
    void refusesTraceBeforeAskingForAToken(@TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "s3cret-token-0123456789\n", StandardCharsets.UTF_8);
        server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0).withAuth(tokens, true));

        assertRefused(trace(server.uri(), "/feedback"), "GET, HEAD, POST, OPTIONS");
        assertRefused(trace(server.uri(), "/metrics"), "GET, HEAD, OPTIONS");
        assertRefused(RawHttp.exchange(server.uri(), "TRACE /predict HTTP/1.1\r\nHost: localhost\r\nConnection: close"
                + "\r\n\r\n"), "POST, OPTIONS");
    }
}
