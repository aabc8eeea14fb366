package dev.modelfeedback.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A real HTTP/1.1 client for the contract tests: the JDK's {@link HttpClient}. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI base;
    private final URI feedback;

    Http(URI base) {
        this.base = base;
        this.feedback = base.resolve("/feedback");
    }

    URI base() {
        return base;
    }

    /** A response with its body as text. */
    record Answer(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String error() {
            return json().get("error").asText();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse("");
        }
    }

    Answer post(String json) {
        return post("application/json", json.getBytes(StandardCharsets.UTF_8), false);
    }

    /**
     * @param chunked send without Content-Length (chunked transfer encoding)
     */
    Answer post(@Nullable String contentType, byte[] body, boolean chunked) {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(feedback).timeout(Duration.ofSeconds(30))
                .POST(publisher);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    Answer get() {
        return send(HttpRequest.newBuilder(feedback).timeout(Duration.ofSeconds(30)).GET().build());
    }

    /**
     * @param query appended to {@code /feedback}, for example {@code ?history}, or empty
     * @param headers names and values, alternating
     */
    Answer get(String query, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(feedback + query)).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    Answer method(String method, String body) {
        return send(HttpRequest.newBuilder(feedback).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body.isEmpty()
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
