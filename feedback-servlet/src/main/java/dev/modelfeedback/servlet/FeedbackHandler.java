package dev.modelfeedback.servlet;

import dev.modelfeedback.core.FeedbackBatch;
import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.FeedbackRecorders;
import dev.modelfeedback.core.Texts;
import dev.modelfeedback.core.UnknownModelException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The container-free logic of {@code /feedback}: checks the media type and size, parses the body
 * strictly, counts it all-or-nothing and renders the JSON answer. {@link FeedbackServlet} only
 * translates between HTTP and this class.
 *
 * <p>Guarantees: an answer with status 200 is produced only after every item is counted; an error
 * only when nothing was counted; no input yields a 5xx or a stack trace. Refusals are counted in
 * {@code feedback_rejected_total} and logged at DEBUG without a stack trace, so bad input cannot
 * flood the log.
 *
 * <p>Thread-safe.
 */
public final class FeedbackHandler {

    /** The methods {@code /feedback} answers, for the {@code Allow} header. */
    public static final String ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS";

    private static final String JSON = "application/json";
    private static final System.Logger LOG = System.getLogger(FeedbackHandler.class.getName());

    private final FeedbackRecorders recorders;
    private final FeedbackLimits limits;
    private final FeedbackJson json = new FeedbackJson();
    private final FeedbackRequestParser parser;
    private final RejectionMetrics rejections;

    /**
     * @param recorders the models this endpoint feeds
     * @param limits the size limits of one request
     */
    public FeedbackHandler(FeedbackRecorders recorders, FeedbackLimits limits) {
        this.recorders = Objects.requireNonNull(recorders, "recorders");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.parser = new FeedbackRequestParser(json, limits.maxBatchItems());
        this.rejections = new RejectionMetrics(recorders.registry());
    }

    /**
     * An answer: status and JSON body.
     *
     * @param status the HTTP status
     * @param body the JSON body, UTF-8
     * @param rejection why the request was refused, or {@code null} if it was not
     */
    public record Response(int status, byte[] body, @Nullable RejectionReason rejection) {
    }

    /**
     * Handles {@code POST /feedback}.
     *
     * @param contentType the request's {@code Content-Type}, or {@code null} if absent
     * @param contentLength the declared length, or -1 if unknown (chunked)
     * @param body the request body; read at most one byte past the limit
     * @return the answer to send; if the body could not be read (the connection failed), a 400
     *     that may never reach the client, and nothing was counted
     */
    public Response post(@Nullable String contentType, long contentLength, InputStream body) {
        try {
            requireJson(contentType);
            if (contentLength > limits.maxBodyBytes()) {
                throw tooLarge();
            }
            ParsedFeedback parsed;
            try {
                parsed = parser.parse(new BoundedInputStream(body, limits.maxBodyBytes()));
            } catch (BoundedInputStream.LimitExceededException e) {
                throw tooLarge();
            } catch (IOException e) {
                throw new RejectedFeedbackException(RejectionReason.UNREADABLE_BODY,
                        "request body could not be read to its end; nothing was counted");
            }
            FeedbackBatch batch = new FeedbackBatch();
            for (ParsedFeedback.ModelTally tally : parsed.tallies()) {
                batch.add(recorderFor(parsed, tally), tally.counts());
            }
            batch.commit();
            return new Response(200, json.recorded(parsed.items(), batch.recorders()), null);
        } catch (RejectedFeedbackException e) {
            return reject(e.reason(), e.getMessage());
        }
    }

    /** Handles {@code GET /feedback}: every model's metrics and counts. */
    public Response get() {
        return new Response(200, json.models(recorders.all()), null);
    }

    /**
     * Answers a method {@code /feedback} does not support.
     *
     * @param method the request's method
     * @return a 405 answer; send it with an {@code Allow: }{@value #ALLOWED_METHODS} header
     */
    public Response methodNotAllowed(String method) {
        return reject(RejectionReason.METHOD_NOT_ALLOWED,
                "method " + Texts.quote(method) + " is not allowed; use " + ALLOWED_METHODS);
    }

    private FeedbackRecorder recorderFor(ParsedFeedback parsed, ParsedFeedback.ModelTally tally)
            throws RejectedFeedbackException {
        try {
            return recorders.recorder(tally.model());
        } catch (UnknownModelException e) {
            throw new RejectedFeedbackException(RejectionReason.UNKNOWN_MODEL,
                    parsed.where(tally.firstItem()) + e.getMessage());
        } catch (IllegalArgumentException e) {
            // a model this server would create on demand, but whose name is not a safe label value
            throw new RejectedFeedbackException(RejectionReason.INVALID_FEEDBACK,
                    parsed.where(tally.firstItem()) + e.getMessage());
        }
    }

    private RejectedFeedbackException tooLarge() {
        return new RejectedFeedbackException(RejectionReason.TOO_LARGE,
                "request body is larger than the limit of " + limits.maxBodyBytes() + " bytes");
    }

    private Response reject(RejectionReason reason, String message) {
        rejections.count(reason);
        LOG.log(Level.DEBUG, () -> "feedback rejected (" + reason.tag() + "): " + message);
        return new Response(reason.status(), json.error(message), reason);
    }

    /** Accepts {@code application/json} with no charset or a UTF-8 one, as JSON requires. */
    private static void requireJson(@Nullable String contentType) throws RejectedFeedbackException {
        if (contentType == null || contentType.isBlank()) {
            throw new RejectedFeedbackException(RejectionReason.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json, got none");
        }
        int semicolon = contentType.indexOf(';');
        int typeEnd = semicolon < 0 ? contentType.length() : semicolon;
        if (!isJson(contentType, typeEnd)) {
            throw new RejectedFeedbackException(RejectionReason.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json, got " + Texts.quote(contentType));
        }
        if (semicolon >= 0) {
            requireUtf8Charset(contentType.substring(semicolon + 1));
        }
    }

    /** Whether {@code contentType} up to {@code end} is {@code application/json}, ignoring case and spaces. */
    private static boolean isJson(String contentType, int end) {
        int start = 0;
        while (start < end && contentType.charAt(start) == ' ') {
            start++;
        }
        while (end > start && contentType.charAt(end - 1) == ' ') {
            end--;
        }
        return end - start == JSON.length() && contentType.regionMatches(true, start, JSON, 0, JSON.length());
    }

    private static void requireUtf8Charset(String parameters) throws RejectedFeedbackException {
        for (String parameter : parameters.split(";")) {
            int eq = parameter.indexOf('=');
            String name = (eq < 0 ? parameter : parameter.substring(0, eq)).trim();
            if (name.equalsIgnoreCase("charset")) {
                // Containers differ in whether they keep the client's case; answer in one.
                String charset = eq < 0 ? "" : parameter.substring(eq + 1).trim().replace("\"", "").toLowerCase(Locale.ROOT);
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    throw new RejectedFeedbackException(RejectionReason.UNSUPPORTED_MEDIA_TYPE,
                            "charset must be UTF-8, got " + Texts.quote(charset));
                }
            }
        }
    }
}
