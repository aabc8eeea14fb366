package dev.modelfeedback.servlet;

import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.model.Texts;
import dev.modelfeedback.servlet.page.AcceptHeader;
import dev.modelfeedback.servlet.page.StatusPage;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A drop-in servlet for {@code POST /feedback} (one item or a batch) and {@code GET /feedback}
 * (every model's metrics: JSON for programs, and for a browser, whose {@code Accept} header
 * prefers HTML, a {@linkplain StatusPage status page} that draws the same JSON). It only
 * translates HTTP; {@link FeedbackHandler} holds the logic.
 *
 * <p>Programmatic registration, for example on embedded Jetty:
 * <pre>{@code
 * ModelSet models = ModelSet.builder(registry).model("fraud", "v3").build();
 * context.addServlet(new ServletHolder(new FeedbackServlet(models)), "/feedback");
 * }</pre>
 *
 * <p>Declarative registration ({@code web.xml}): use the no-arg constructor and, before the
 * servlet starts, put the {@link ModelSet} in the {@code ServletContext} attribute
 * {@value #MODELS_ATTRIBUTE}. Optional init parameters {@value #MAX_BODY_BYTES_PARAM},
 * {@value #MAX_BATCH_ITEMS_PARAM} and {@value #BODY_TIMEOUT_MILLIS_PARAM} override
 * {@link FeedbackLimits#DEFAULT}; {@value #STATUS_PAGE_PARAM} {@code false} turns the status page
 * off (browsers then get the JSON too).
 *
 * <p>Register it as async-supported (Spring Boot does by default; {@code
 * <async-supported>true</async-supported>} in {@code web.xml}): bodies are then received without
 * holding a thread while the client sends them, within {@link FeedbackLimits#bodyTimeout()}
 * (see {@link BodyReceiver}). A body may be sent gzip-compressed ({@code Content-Encoding: gzip});
 * the limit applies to it before and after decoding.
 *
 * <p>{@code GET} also answers {@code ?history} (every model's windows bucket by bucket: the
 * page's chart), {@code ?format=json} (the JSON, whatever the {@code Accept} header) and
 * {@code ?asset=NAME} (the page's script, style and charting library).
 *
 * <p>Thread-safe, as servlets must be.
 */
public final class FeedbackServlet extends HttpServlet {

    /** The {@code ServletContext} attribute the no-arg constructor reads its model set from. */
    public static final String MODELS_ATTRIBUTE = "dev.modelfeedback.servlet.ModelSet";
    /** Init parameter: the largest request body, in bytes. */
    public static final String MAX_BODY_BYTES_PARAM = "maxBodyBytes";
    /** Init parameter: the most items in one batch. */
    public static final String MAX_BATCH_ITEMS_PARAM = "maxBatchItems";
    /** Init parameter: the longest a client may take to send its body, in milliseconds. */
    public static final String BODY_TIMEOUT_MILLIS_PARAM = "bodyTimeoutMillis";
    /** Init parameter: {@code true} (the default) or {@code false}, whether browsers get the status page. */
    public static final String STATUS_PAGE_PARAM = "statusPage";

    private static final long serialVersionUID = 1L;

    private transient @Nullable ModelSet models;
    private transient @Nullable FeedbackLimits limits;
    private transient @Nullable Boolean statusPageEnabled;
    private transient @Nullable FeedbackHandler handler;
    private transient @Nullable StatusPage statusPage;
    private transient @Nullable BodyReceiver receiver;

    /** For {@code web.xml}: the model set comes from the {@value #MODELS_ATTRIBUTE} context attribute. */
    public FeedbackServlet() {
    }

    /**
     * @param models the models this endpoint feeds
     */
    public FeedbackServlet(ModelSet models) {
        this(models, FeedbackLimits.DEFAULT);
    }

    /**
     * @param models the models this endpoint feeds
     * @param limits the size limits of one request
     */
    public FeedbackServlet(ModelSet models, FeedbackLimits limits) {
        this(models, limits, true);
    }

    /**
     * @param models the models this endpoint feeds
     * @param limits the size limits of one request
     * @param statusPage whether a browser gets the status page ({@code false}: the JSON, as programs do)
     */
    public FeedbackServlet(ModelSet models, FeedbackLimits limits, boolean statusPage) {
        this.models = Objects.requireNonNull(models, "models");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.statusPageEnabled = statusPage;
    }

    @Override
    public void init() throws ServletException {
        ModelSet served = models;
        if (served == null) {
            Object attribute = getServletContext().getAttribute(MODELS_ATTRIBUTE);
            if (!(attribute instanceof ModelSet found)) {
                throw new ServletException("FeedbackServlet needs a ModelSet: set the ServletContext attribute "
                        + MODELS_ATTRIBUTE + " before the servlet starts, or construct it with one"
                        + (attribute == null ? "" : "; the attribute holds a " + attribute.getClass().getName()));
            }
            served = found;
        }
        FeedbackLimits configured = limits != null ? limits : limitsFromInitParameters();
        boolean page = statusPageEnabled != null ? statusPageEnabled : statusPageFromInitParameter();
        handler = new FeedbackHandler(served, configured);
        receiver = new BodyReceiver(configured, handler.refusals(), FeedbackHandler.ALLOWED_METHODS);
        statusPage = page ? new StatusPage() : null;
    }

    private boolean statusPageFromInitParameter() throws ServletException {
        String value = getInitParameter(STATUS_PAGE_PARAM);
        if (value == null || value.trim().equals("true")) {
            return true;
        }
        if (value.trim().equals("false")) {
            return false;
        }
        throw new ServletException("invalid FeedbackServlet init parameter: " + STATUS_PAGE_PARAM
                + " must be true or false, got " + Texts.quote(value));
    }

    private FeedbackLimits limitsFromInitParameters() throws ServletException {
        try {
            return new FeedbackLimits(
                    longParameter(MAX_BODY_BYTES_PARAM, FeedbackLimits.DEFAULT.maxBodyBytes()),
                    Math.toIntExact(longParameter(MAX_BATCH_ITEMS_PARAM, FeedbackLimits.DEFAULT.maxBatchItems())),
                    Duration.ofMillis(longParameter(BODY_TIMEOUT_MILLIS_PARAM, FeedbackLimits.DEFAULT_BODY_TIMEOUT.toMillis())));
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
        BodyReceiver bodies = receiver;
        if (h == null || bodies == null) {
            throw new IllegalStateException("FeedbackServlet was not initialized");
        }
        String method = request.getMethod();
        switch (method) {
            case "OPTIONS" -> {
                response.setHeader("Allow", FeedbackHandler.ALLOWED_METHODS);
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }
            case "POST" -> {
                response.setHeader("Accept-Encoding", ContentCoding.ACCEPTED);
                String contentType = request.getContentType();
                long contentLength = request.getContentLengthLong();
                List<String> codings = ContentCoding.of(request);
                bodies.receive(request, response, body -> h.post(contentType, contentLength, codings, body));
            }
            case "GET", "HEAD" -> {
                if (!servedByStatusPage(request, response, method)) {
                    answer(request, response, method, read(h, request));
                }
            }
            default -> answer(request, response, method, h.methodNotAllowed(method));
        }
    }

    private static JsonResponse read(FeedbackHandler h, HttpServletRequest request) {
        try {
            String format = request.getParameter("format");
            if (format != null && !format.equals("json")) {
                return h.badQuery("format must be json, got " + Texts.quote(format));
            }
            return request.getParameter("history") != null ? h.history() : h.get();
        } catch (RuntimeException e) {
            // A fault of ours must not reach the container, whose error page may show a stack trace.
            return h.serverError(Texts.quote(request.getMethod()) + " /feedback failed", e);
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, String method, JsonResponse answer)
            throws IOException {
        if (statusPage != null && (method.equals("GET") || method.equals("HEAD"))) {
            response.setHeader("Vary", "Accept");
        }
        answer.writeTo(response, method, FeedbackHandler.ALLOWED_METHODS);
    }

    /** Answers with the status page or one of its assets, if that is what the request asks for. */
    private boolean servedByStatusPage(HttpServletRequest request, HttpServletResponse response, String method)
            throws IOException {
        StatusPage page = statusPage;
        if (page == null) {
            return false;
        }
        String asset = request.getParameter("asset");
        if (asset != null) {
            page.writeAsset(asset, request.getHeader("If-None-Match"), response, method);
            return true;
        }
        if (request.getParameter("history") == null && request.getParameter("format") == null
                && AcceptHeader.prefersHtml(request.getHeader("Accept"))) {
            page.writePage(response, method);
            return true;
        }
        return false;
    }
}
