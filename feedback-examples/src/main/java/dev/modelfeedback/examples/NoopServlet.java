package dev.modelfeedback.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The floor of the HTTP benchmark: a POST servlet on the same Jetty that reads the body and
 * answers a small JSON object, counting nothing. What {@code /feedback} costs beyond it is ours.
 * Mounted at {@code /noop} only with {@code --noop}.
 */
final class NoopServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final byte[] ANSWER = "{\"recorded\":1}".getBytes(StandardCharsets.UTF_8);

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        InputStream body = request.getInputStream();
        byte[] buffer = new byte[8192];
        while (body.read(buffer) >= 0) {
            // drain: a real endpoint has to read what it is sent
        }
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(ANSWER.length);
        response.getOutputStream().write(ANSWER);
    }
}
