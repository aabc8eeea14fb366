package dev.modelfeedback.examples;

import dev.modelfeedback.servlet.JsonResponse;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The example server's own error pages (an unknown path, a method a servlet does not answer, an
 * exception escaping a servlet): the same JSON shape as the endpoints' refusals, {@code {"error":
 * "Not Found"}}, naming only the status. Never a stack trace, an exception's message, the request's
 * URI or the server's version; the exception itself goes to the server's log.
 *
 * <p>Thread-safe (stateless).
 */
final class JsonErrorHandler extends ErrorHandler {

    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
        setShowOrigin(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
            Throwable cause, Callback callback) {
        String reason = HttpStatus.getMessage(code);
        byte[] body = JsonResponse.errorBody(reason == null ? "HTTP " + code : reason);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=UTF-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
