package dev.modelfeedback.servlet;

import dev.modelfeedback.core.FeedbackRecorders;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A drop-in servlet for {@code POST /feedback} (one item or a batch) and {@code GET /feedback}
 * (every model's metrics). It only translates HTTP; {@link FeedbackHandler} holds the logic.
 *
 * <p>Programmatic registration, for example on embedded Jetty:
 * <pre>{@code
 * FeedbackRecorders models = FeedbackRecorders.builder(registry).model("fraud", "v3").build();
 * context.addServlet(new ServletHolder(new FeedbackServlet(models)), "/feedback");
 * }</pre>
 *
 * <p>Declarative registration ({@code web.xml}): use the no-arg constructor and, before the
 * servlet starts, put the {@link FeedbackRecorders} in the {@code ServletContext} attribute
 * {@value #RECORDERS_ATTRIBUTE}. Optional init parameters {@value #MAX_BODY_BYTES_PARAM} and
 * {@value #MAX_BATCH_ITEMS_PARAM} override {@link FeedbackLimits#DEFAULT}.
 *
 * <p>Thread-safe, as servlets must be.
 */
public final class FeedbackServlet extends HttpServlet {

    /** The {@code ServletContext} attribute the no-arg constructor reads its recorders from. */
    public static final String RECORDERS_ATTRIBUTE = "dev.modelfeedback.servlet.FeedbackRecorders";
    /** Init parameter: the largest request body, in bytes. */
    public static final String MAX_BODY_BYTES_PARAM = "maxBodyBytes";
    /** Init parameter: the most items in one batch. */
    public static final String MAX_BATCH_ITEMS_PARAM = "maxBatchItems";

    private static final long serialVersionUID = 1L;
    private static final String JSON_UTF8 = "application/json;charset=UTF-8";

    private transient @Nullable FeedbackRecorders recorders;
    private transient @Nullable FeedbackLimits limits;
    private transient @Nullable FeedbackHandler handler;

    /** For {@code web.xml}: the recorders come from the {@value #RECORDERS_ATTRIBUTE} context attribute. */
    public FeedbackServlet() {
    }

    /**
     * @param recorders the models this endpoint feeds
     */
    public FeedbackServlet(FeedbackRecorders recorders) {
        this(recorders, FeedbackLimits.DEFAULT);
    }

    /**
     * @param recorders the models this endpoint feeds
     * @param limits the size limits of one request
     */
    public FeedbackServlet(FeedbackRecorders recorders, FeedbackLimits limits) {
        this.recorders = Objects.requireNonNull(recorders, "recorders");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public void init() throws ServletException {
        FeedbackRecorders models = recorders;
        if (models == null) {
            Object attribute = getServletContext().getAttribute(RECORDERS_ATTRIBUTE);
            if (!(attribute instanceof FeedbackRecorders found)) {
                throw new ServletException("FeedbackServlet needs a FeedbackRecorders: set the ServletContext attribute "
                        + RECORDERS_ATTRIBUTE + " before the servlet starts, or construct it with one"
                        + (attribute == null ? "" : "; the attribute holds a " + attribute.getClass().getName()));
            }
            models = found;
        }
        FeedbackLimits configured = limits != null ? limits : limitsFromInitParameters();
        handler = new FeedbackHandler(models, configured);
    }

    private FeedbackLimits limitsFromInitParameters() throws ServletException {
        try {
            return new FeedbackLimits(
                    longParameter(MAX_BODY_BYTES_PARAM, FeedbackLimits.DEFAULT.maxBodyBytes()),
                    Math.toIntExact(longParameter(MAX_BATCH_ITEMS_PARAM, FeedbackLimits.DEFAULT.maxBatchItems())));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ServletException("invalid FeedbackServlet init parameter: " + e.getMessage(), e);
        }
    }

    private long longParameter(String name, long fallback) {
        String value = getInitParameter(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        FeedbackHandler h = handler;
        if (h == null) {
            throw new IllegalStateException("FeedbackServlet was not initialized");
        }
        switch (request.getMethod()) {
            case "POST" -> send(response, h.post(request.getContentType(), request.getContentLengthLong(),
                    request.getInputStream()), true);
            case "GET" -> send(response, h.get(), true);
            case "HEAD" -> send(response, h.get(), false);
            case "OPTIONS" -> {
                response.setHeader("Allow", FeedbackHandler.ALLOWED_METHODS);
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }
            default -> send(response, h.methodNotAllowed(request.getMethod()), true);
        }
    }

    private static void send(HttpServletResponse response, FeedbackHandler.Response answer, boolean withBody)
            throws IOException {
        response.setStatus(answer.status());
        response.setContentType(JSON_UTF8);
        response.setHeader("Cache-Control", "no-store");
        if (answer.status() == HttpServletResponse.SC_METHOD_NOT_ALLOWED) {
            response.setHeader("Allow", FeedbackHandler.ALLOWED_METHODS);
        }
        if (answer.rejection() != null && answer.status() == HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE) {
            // The rest of the body was not read; do not make the container drain it.
            response.setHeader("Connection", "close");
        }
        response.setContentLength(answer.body().length);
        if (withBody) {
            response.getOutputStream().write(answer.body());
        }
        if (answer.rejection() != null) {
            // Commit a refusal now: a container that saw the body fail to read (Tomcat) would
            // otherwise replace it with its own error page. Successes are left to the container to
            // complete in one write, which measurably matters for small answers.
            response.flushBuffer();
        }
    }
}
