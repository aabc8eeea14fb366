package dev.modelfeedback.servlet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.modelfeedback.core.ClassificationSnapshot;
import dev.modelfeedback.core.FeedbackRecorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;

/**
 * The writers of every successful {@code /feedback} answer body; errors are
 * {@link JsonResponse#error}'s.
 *
 * <p>Thread-safe: the factory is immutable after construction and every call makes its own
 * generator.
 */
final class FeedbackJson {

    private final JsonFactory factory = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    /** {@code {"recorded": n, ...}}: the model's metrics and counts if one model was fed, else a list. */
    byte[] recorded(int items, Collection<FeedbackRecorder> recorders) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("recorded", items);
            if (recorders.size() == 1) {
                writeModelFields(g, recorders.iterator().next());
            } else {
                writeModels(g, recorders);
            }
            g.writeEndObject();
        });
    }

    /** {@code {"models": [...]}}: every model's metrics and counts. */
    byte[] models(Collection<FeedbackRecorder> recorders) {
        return write(g -> {
            g.writeStartObject();
            writeModels(g, recorders);
            g.writeEndObject();
        });
    }

    private static void writeModels(JsonGenerator g, Collection<FeedbackRecorder> recorders) throws IOException {
        g.writeArrayFieldStart("models");
        for (FeedbackRecorder recorder : recorders) {
            g.writeStartObject();
            writeModelFields(g, recorder);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeModelFields(JsonGenerator g, FeedbackRecorder recorder) throws IOException {
        ClassificationSnapshot s = recorder.snapshot();
        g.writeStringField("model", recorder.model().name());
        g.writeStringField("model_version", recorder.model().version());
        g.writeObjectFieldStart("metrics");
        writeMetric(g, "accuracy", s.accuracy());
        writeMetric(g, "precision", s.precision());
        writeMetric(g, "recall", s.recall());
        writeMetric(g, "f1", s.f1());
        g.writeEndObject();
        g.writeObjectFieldStart("counts");
        g.writeNumberField("true_positives", s.truePositives());
        g.writeNumberField("true_negatives", s.trueNegatives());
        g.writeNumberField("false_positives", s.falsePositives());
        g.writeNumberField("false_negatives", s.falseNegatives());
        g.writeEndObject();
    }

    /** Undefined metrics are JSON null: NaN is not JSON, and 0 would be a lie. */
    private static void writeMetric(JsonGenerator g, String name, double value) throws IOException {
        if (Double.isNaN(value)) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }

    private interface Body {
        void write(JsonGenerator generator) throws IOException;
    }

    private byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = factory.createGenerator(out)) {
            body.write(generator);
        } catch (IOException e) {
            // Writing to memory does not fail; reaching this is a bug, not bad input.
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
