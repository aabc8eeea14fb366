package dev.modelfeedback.examples;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.join.PendingStoreUnavailableException;
import dev.modelfeedback.core.model.Texts;
import dev.modelfeedback.servlet.BodyReceiver;
import dev.modelfeedback.servlet.FeedbackLimits;
import dev.modelfeedback.servlet.JsonBodyReader;
import dev.modelfeedback.servlet.JsonResponse;
import dev.modelfeedback.servlet.RejectedRequestException;
import dev.modelfeedback.servlet.RejectionReason;
import dev.modelfeedback.servlet.RequestRefusals;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /predict} with {@code {"feature": 0.73}}: the toy model's prediction under a new id,
 * {@code {"id": "4f1c...", "prediction": 1, "model": "default", "model_version": "unknown"}}. The
 * prediction is stored as pending under that id; the truth arrives later, through
 * {@code /feedback} as {@code {"id": "4f1c...", "actual": 0}}, and is joined with it.
 *
 * <p>Bodies are read by the servlet module's {@link JsonBodyReader}, so {@code /predict} is exactly
 * as strict as {@code /feedback} (media type, UTF-8, size checked while reading, parser limits) and
 * refuses in the same shape, counted in {@code predict_rejected_total{reason}}.
 */
final class PredictServlet extends HttpServlet {

    static final String ALLOWED_METHODS = "POST, OPTIONS";
    /** The counter of refusals, {@code predict_rejected_total{reason}}; {@code --auth-token-file} counts in it too. */
    static final String REJECTED = "predict.rejected";
    /** Its description. */
    static final String REJECTED_DESCRIPTION = "Prediction requests refused, by reason.";
    /** A request to a one-feature model is tiny; 4 KiB leaves room and bounds the cost of abuse. */
    static final int MAX_BODY_BYTES = 4096;

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(PredictServlet.class.getName());
    private static final Set<RejectionReason> REASONS = EnumSet.of(RejectionReason.MALFORMED_JSON,
            RejectionReason.UNREADABLE_BODY, RejectionReason.INVALID_REQUEST, RejectionReason.TOO_LARGE,
            RejectionReason.UNSUPPORTED_MEDIA_TYPE, RejectionReason.METHOD_NOT_ALLOWED, RejectionReason.STORE_UNAVAILABLE,
            RejectionReason.UNAUTHORIZED, RejectionReason.BODY_TIMEOUT, RejectionReason.SERVER_ERROR);
    private static final JsonFactory JSON = new JsonFactory();

    private final transient JsonBodyReader reader = new JsonBodyReader(MAX_BODY_BYTES);
    private final transient RequestRefusals refusals;
    private final transient BodyReceiver bodies;
    private final transient ThresholdModel model;
    private final transient FeedbackRecorder recorder;

    PredictServlet(ThresholdModel model, FeedbackRecorder recorder, MeterRegistry registry) {
        this.model = model;
        this.recorder = recorder;
        this.refusals = new RequestRefusals(registry, REJECTED, REJECTED_DESCRIPTION, REASONS, LOG);
        // As /feedback does: a slow client holds no thread, and its body has a deadline.
        this.bodies = new BodyReceiver(new FeedbackLimits(MAX_BODY_BYTES, 1), refusals, ALLOWED_METHODS);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            response.setHeader("Allow", ALLOWED_METHODS);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        if (!method.equals("POST")) {
            refusals.refuse(new RejectedRequestException(RejectionReason.METHOD_NOT_ALLOWED,
                    "method " + Texts.quote(method) + " is not allowed; use " + ALLOWED_METHODS))
                    .writeTo(response, method, ALLOWED_METHODS);
            return;
        }
        String contentType = request.getContentType();
        long contentLength = request.getContentLengthLong();
        bodies.receive(request, response, body -> predict(contentType, contentLength, body));
    }

    private JsonResponse predict(@Nullable String contentType, long contentLength, InputStream body) {
        try {
            double feature = reader.read(contentType, contentLength, body, PredictServlet::readFeature);
            int prediction = model.predict(feature);
            String id = UUID.randomUUID().toString();
            recorder.recordPrediction(id, prediction);
            return JsonResponse.ok(200, prediction(id, prediction));
        } catch (RejectedRequestException e) {
            return refusals.refuse(e);
        } catch (PendingStoreUnavailableException e) {
            return refusals.refuse(new RejectedRequestException(RejectionReason.STORE_UNAVAILABLE,
                    "the store of pending predictions is unavailable; no prediction was made, send the request"
                            + " again later"), () -> ": " + e.getMessage());
        }
    }

    /** Reads exactly {@code {"feature": <finite number>}}. */
    private static double readFeature(JsonParser parser) throws IOException, RejectedRequestException {
        JsonToken root = parser.nextToken();
        if (root != JsonToken.START_OBJECT) {
            throw invalid(root == null ? "request body is empty; expected {\"feature\": <number>}"
                    : "body must be a JSON object {\"feature\": <number>}");
        }
        Double feature = null;
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!field.equals("feature")) {
                throw invalid("unknown field " + Texts.quote(field) + "; expected feature");
            }
            if (feature != null) {
                throw invalid("duplicate field 'feature'");
            }
            if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                throw invalid("feature must be a number");
            }
            feature = parser.getDoubleValue();
            if (!Double.isFinite(feature)) {
                throw invalid("feature must be a finite number");
            }
        }
        if (feature == null) {
            throw invalid("feature is required");
        }
        if (parser.nextToken() != null) {
            throw new RejectedRequestException(RejectionReason.MALFORMED_JSON,
                    "unexpected content after the JSON value" + JsonBodyReader.at(parser.currentTokenLocation()));
        }
        return feature;
    }

    private static RejectedRequestException invalid(String message) {
        return new RejectedRequestException(RejectionReason.INVALID_REQUEST, message);
    }

    private byte[] prediction(String id, int prediction) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeNumberField("prediction", prediction);
            g.writeStringField("model", recorder.model().name());
            g.writeStringField("model_version", recorder.model().version());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
