package dev.modelfeedback.servlet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An answer of a JSON endpoint: status and UTF-8 JSON body, and why the request was refused if it
 * was. Built without the servlet API (so handlers stay container-free) and written to a servlet
 * response by {@link #writeTo(HttpServletResponse, String, String)}.
 *
 * @param status the HTTP status
 * @param body the JSON body, UTF-8
 * @param rejection why the request was refused, or {@code null} if it was not
 */
public record JsonResponse(int status, byte[] body, @Nullable RejectionReason rejection) {

    private static final String JSON_UTF8 = "application/json;charset=UTF-8";
    private static final JsonFactory FACTORY = new JsonFactory();

    /**
     * @throws NullPointerException if the body is null
     */
    public JsonResponse {
        Objects.requireNonNull(body, "body");
    }

    /**
     * A successful answer.
     *
     * @param status a 2xx status
     * @param body the JSON body, UTF-8
     * @return the answer
     */
    public static JsonResponse ok(int status, byte[] body) {
        return new JsonResponse(status, body, null);
    }

    /**
     * An answer that is not a refusal: a success, or an outcome the client should act on (a 404
     * for an id with no stored prediction, say), counting nothing in the refusals.
     *
     * @param status the status
     * @param body the JSON body, UTF-8
     * @return the answer
     */
    public static JsonResponse of(int status, byte[] body) {
        return new JsonResponse(status, body, null);
    }

    /**
     * A refusal: the reason's status and {@code {"error": message}}.
     *
     * @param reason why the request is refused
     * @param message what is wrong, already safe to show (untrusted parts quoted)
     * @return the answer
     */
    public static JsonResponse error(RejectionReason reason, String message) {
        return new JsonResponse(reason.status(), errorBody(message), reason);
    }

    /**
     * The body of every error answer, {@code {"error": message}}, for error pages written outside
     * an endpoint (a container's error handler) to share the endpoints' shape.
     *
     * @param message what is wrong, already safe to show
     * @return the JSON, UTF-8
     */
    public static byte[] errorBody(String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + message.length());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        } catch (IOException e) {
            // Writing to memory does not fail; reaching this is a bug, not bad input.
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes this answer to a request: with a body unless the method is {@code HEAD};
     * {@code Cache-Control: no-store} unless it is a successful answer to a {@code POST} (which no
     * cache stores, so the header would only cost bytes on the hottest path); an {@code Allow}
     * header on a 405. What to do with the unread rest of a refused request's body is the caller's
     * ({@link BodyReceiver} drops it).
     *
     * @param response the servlet response, not yet committed
     * @param method the request's method
     * @param allow the methods for the {@code Allow} header of a 405
     * @throws IOException if the client went away
     */
    public void writeTo(HttpServletResponse response, String method, String allow) throws IOException {
        response.setStatus(status);
        response.setContentType(JSON_UTF8);
        if (rejection != null || !method.equals("POST")) {
            response.setHeader("Cache-Control", "no-store");
        }
        if (status == HttpServletResponse.SC_METHOD_NOT_ALLOWED) {
            response.setHeader("Allow", allow);
        }
        response.setContentLength(body.length);
        if (!method.equals("HEAD")) {
            response.getOutputStream().write(body);
        }
        if (rejection != null) {
            // Commit a refusal now: a container that saw the body fail to read (Tomcat) would
            // otherwise replace it with its own error page. Successes are left to the container to
            // complete in one write, which measurably matters for small answers.
            response.flushBuffer();
        }
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof JsonResponse that && status == that.status && rejection == that.rejection
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + Arrays.hashCode(body)) + Objects.hashCode(rejection);
    }

    @Override
    public String toString() {
        return "JsonResponse[" + status + ", " + new String(body, StandardCharsets.UTF_8) + "]";
    }
}
