package dev.modelfeedback.examples;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelfeedback.core.ModelId;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /predict} with {@code {"feature": 0.73}}: the toy model's prediction,
 * {@code {"prediction": 1, "model": "default", "model_version": "unknown"}}. It records nothing:
 * the truth arrives later, through {@code /feedback}.
 */
final class PredictServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY_BYTES = 4096;

    private final transient ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).maxNumberLength(64).build())
            .build());
    private final transient ThresholdModel model;
    private final transient ModelId modelId;

    PredictServlet(ThresholdModel model, ModelId modelId) {
        this.model = model;
        this.modelId = modelId;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // Read at most one byte past the limit, so a chunked body without Content-Length is bounded too.
        byte[] body = request.getContentLengthLong() > MAX_BODY_BYTES
                ? null : request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body == null || body.length > MAX_BODY_BYTES) {
            answer(response, 413, error("request body is larger than " + MAX_BODY_BYTES + " bytes"));
            return;
        }
        double feature;
        try (JsonParser parser = mapper.createParser(body)) {
            feature = readFeature(parser);
        } catch (IllegalArgumentException e) {
            answer(response, 400, error(e.getMessage()));
            return;
        } catch (JsonProcessingException e) {
            answer(response, 400, error("malformed JSON: " + e.getOriginalMessage()));
            return;
        }
        ObjectNode prediction = mapper.createObjectNode()
                .put("prediction", model.predict(feature))
                .put("model", modelId.name())
                .put("model_version", modelId.version());
        answer(response, 200, prediction);
    }

    /** Reads exactly {@code {"feature": <finite number>}}. */
    private static double readFeature(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("body must be a JSON object {\"feature\": <number>}");
        }
        Double feature = null;
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!field.equals("feature")) {
                throw new IllegalArgumentException("unknown field '" + field + "'; expected feature");
            }
            if (feature != null) {
                throw new IllegalArgumentException("duplicate field 'feature'");
            }
            if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new IllegalArgumentException("feature must be a number");
            }
            feature = parser.getDoubleValue();
            if (!Double.isFinite(feature)) {
                throw new IllegalArgumentException("feature must be a finite number");
            }
        }
        if (feature == null) {
            throw new IllegalArgumentException("feature is required");
        }
        if (parser.nextToken() != null) {
            throw new IllegalArgumentException("unexpected content after the JSON object");
        }
        return feature;
    }

    private ObjectNode error(String message) {
        return mapper.createObjectNode().put("error", message);
    }

    private void answer(HttpServletResponse response, int status, ObjectNode body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
