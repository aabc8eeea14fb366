package dev.modelfeedback.spring.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A real HTTP/1.1 client for the application under test: the JDK's {@link HttpClient}. Requests
 * are sent one after another, so they reuse one kept-alive connection, on which the server
 * finishes a request (its observation included) before it reads the next one.
 */
final class Http {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI base;

    Http(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** A response with its body as text. */
    record Answer(int status, String body, String contentType) {
    }

    Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    /** A GET with an {@code Accept} header, as a browser sends it. */
    Answer get(String path, String accept) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", accept).GET().build());
    }

    /** The sample lines of {@code GET /actuator/prometheus}, without comments. */
    List<String> scrape() {
        Answer answer = get("/actuator/prometheus");
        if (answer.status() != 200) {
            throw new IllegalStateException("scrape answered " + answer.status() + ": " + answer.body());
        }
        return answer.body().lines().filter(line -> !line.startsWith("#") && !line.isBlank()).toList();
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
