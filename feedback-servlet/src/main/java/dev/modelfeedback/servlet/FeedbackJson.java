package dev.modelfeedback.servlet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.ModelStatus;
import dev.modelfeedback.core.Verdict;
import dev.modelfeedback.core.drift.DriftStatus;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.LabelDelay;
import dev.modelfeedback.core.matrix.ClassLabels;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.scores.ReliabilityBin;
import dev.modelfeedback.core.scores.ScoreCounts;
import dev.modelfeedback.core.window.Window;
import dev.modelfeedback.core.window.WindowCounts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /** An item of a request with ids that was not counted, and why. */
    record NotCounted(int item, String id, JoinOutcome outcome) {
    }

    /**
     * The answer to a request with ids: {@code recorded} (items counted), {@code pending}
     * (predictions stored), {@code duplicate: true} for a single repeat, {@code not_counted} (per
     * item of a batch: duplicates, unknown and expired ids), then the model's metrics and counts if
     * one model was fed, else a list.
     */
    byte[] joined(int recorded, int pending, boolean duplicate, boolean batch, List<NotCounted> notCounted,
            Collection<FeedbackRecorder> recorders) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("recorded", recorded);
            g.writeNumberField("pending", pending);
            if (duplicate) {
                g.writeBooleanField("duplicate", true);
            }
            if (batch) {
                g.writeArrayFieldStart("not_counted");
                for (NotCounted item : notCounted) {
                    g.writeStartObject();
                    g.writeNumberField("item", item.item());
                    g.writeStringField("id", item.id());
                    g.writeStringField("outcome", item.outcome().name().toLowerCase(Locale.ROOT));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (recorders.size() == 1) {
                writeModelFields(g, recorders.iterator().next());
            } else {
                writeModels(g, recorders);
            }
            g.writeEndObject();
        });
    }

    /** {@code {"error": message, "reason": "unknown"|"expired"}}: an actual value with no prediction to join. */
    byte[] unmatched(String message, JoinOutcome outcome) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeStringField("reason", outcome.name().toLowerCase(Locale.ROOT));
            g.writeEndObject();
        });
    }

    /**
     * {@code {"models": [...]}}: every model's lifetime metrics and counts, then its windows (each
     * with counts, metrics, 95% Wilson intervals, with a baseline whether it is significantly
     * below, and its {@code scores}), the lifetime among them, and its baseline if one is set.
     *
     * <p>Every window has {@code "scores"}, also a model's that never received a score ({@code n}
     * 0, every metric {@code null}, ten empty bins), so that a client needs no case for its
     * absence: {@code {"n", "roc_auc", "roc_auc_interval", "average_precision", "log_loss",
     * "brier", "ece", "reliability": [{"lower", "upper", "n", "mean_score", "observed"}, ... ten
     * bins]}}, undefined values {@code null} and the interval, DeLong's 95%, as {@code [lower,
     * upper]}. For a model with declared classes {@code roc_auc} and {@code average_precision} are
     * macro averages over the classes where they are defined, {@code roc_auc_interval} the mean of
     * the classes' lower bounds to the mean of their upper bounds (conservative; {@code null} if a
     * class with an AUC has no interval), the reliability bins are the predicted class's
     * probability against whether the prediction was right, and {@code "per_class": {label:
     * {"roc_auc", "roc_auc_interval", "average_precision"}}} holds each class against the rest.
     */
    byte[] status(Collection<FeedbackRecorder> recorders) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("models");
            for (FeedbackRecorder recorder : recorders) {
                writeStatus(g, recorder.status(), recorder.declaresClasses());
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * {@code {"models": [...]}}: per model, each of its windows bucket by bucket, oldest first (from
     * the recorder's start at the earliest, ending with the bucket still filling), each bucket with
     * its feedback count, accuracy and 95% Wilson interval: the status page's chart, which draws
     * the shortest window that reaches back to the first feedback. A model without windows has an
     * empty list.
     */
    byte[] history(Collection<FeedbackRecorder> recorders) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("models");
            for (FeedbackRecorder recorder : recorders) {
                g.writeStartObject();
                g.writeStringField("model", recorder.model().name());
                g.writeStringField("model_version", recorder.model().version());
                g.writeArrayFieldStart("windows");
                for (Window window : recorder.windows()) {
                    g.writeStartObject();
                    g.writeStringField("window", window.name());
                    g.writeNumberField("window_seconds", window.span().toSeconds());
                    g.writeNumberField("bucket_seconds", window.bucketWidth().toSeconds());
                    g.writeArrayFieldStart("buckets");
                    for (WindowCounts bucket : recorder.buckets(window)) {
                        writeBucket(g, bucket);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void writeBucket(JsonGenerator g, WindowCounts bucket) throws IOException {
        ConfusionMatrix counts = bucket.matrix();
        g.writeStartObject();
        g.writeStringField("start", bucket.start().toString());
        g.writeStringField("end", bucket.end().toString());
        g.writeNumberField("feedbacks", counts.total());
        writeMetric(g, "accuracy", counts.accuracy());
        writeInterval(g, "interval", counts.accuracyInterval());
        g.writeEndObject();
    }

    private static void writeStatus(JsonGenerator g, ModelStatus status, boolean declaresClasses) throws IOException {
        g.writeStartObject();
        g.writeStringField("model", status.model().name());
        g.writeStringField("model_version", status.model().version());
        writeVerdict(g, status.verdict());
        writeMetricsAndCounts(g, status.lifetime(), declaresClasses, false);
        g.writeObjectFieldStart("windows");
        for (WindowCounts window : status.windows()) {
            g.writeObjectFieldStart(window.window().name());
            g.writeStringField("start", window.start().toString());
            g.writeStringField("end", window.end().toString());
            writeWindow(g, status, window.matrix(), window.scores(), declaresClasses);
            g.writeEndObject();
        }
        g.writeObjectFieldStart("lifetime");
        writeWindow(g, status, status.lifetime(), status.scores(), declaresClasses);
        g.writeEndObject();
        g.writeEndObject();
        if (!status.baseline().isEmpty()) {
            g.writeObjectFieldStart("baseline");
            for (Map.Entry<Metric, Double> value : status.baseline().values().entrySet()) {
                g.writeNumberField(value.getKey().key(), value.getValue());
            }
            g.writeEndObject();
        }
        g.writeNumberField("pending", status.joins().pending());
        g.writeObjectFieldStart("unmatched");
        g.writeNumberField("unknown", status.joins().unknown());
        g.writeNumberField("expired", status.joins().expired());
        g.writeNumberField("evicted", status.joins().evicted());
        g.writeEndObject();
        LabelDelay delay = status.joins().labelDelay();
        g.writeObjectFieldStart("label_delay");
        g.writeNumberField("joined", delay.count());
        writeMetric(g, "median_seconds", delay.medianSeconds());
        writeMetric(g, "p90_seconds", delay.p90Seconds());
        if (delay.lastJoinAt() == null) {
            g.writeNullField("last_join_at");
        } else {
            g.writeStringField("last_join_at", delay.lastJoinAt().toString());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("drift");
        for (DriftStatus detector : status.drift()) {
            g.writeObjectFieldStart(detector.detector());
            g.writeStringField("state", detector.state().name());
            g.writeNumberField("detected", detector.detected());
            g.writeNumberField("warnings", detector.warnings());
            if (detector.lastDriftAt() == null) {
                g.writeNullField("last_drift_at");
                g.writeNullField("last_drift_feedback");
            } else {
                g.writeStringField("last_drift_at", detector.lastDriftAt().toString());
                g.writeNumberField("last_drift_feedback", detector.lastDriftFeedback());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * {@code "verdict": {"state": ..., "reasons": [...]}}: each reason with its {@code kind} (the
     * state it makes), what it names (window and metric, or detector), its values and a message.
     */
    private static void writeVerdict(JsonGenerator g, Verdict verdict) throws IOException {
        g.writeObjectFieldStart("verdict");
        g.writeStringField("state", verdict.state().key());
        g.writeArrayFieldStart("reasons");
        for (Verdict.Reason reason : verdict.reasons()) {
            g.writeStartObject();
            g.writeStringField("kind", reason.state().key());
            if (reason instanceof Verdict.BelowBaseline below) {
                g.writeStringField("window", below.window());
                g.writeStringField("metric", below.metric().key());
                g.writeNumberField("value", below.value());
                g.writeFieldName("interval");
                g.writeArray(new double[] {below.interval().lower(), below.interval().upper()}, 0, 2);
                g.writeNumberField("baseline", below.baseline());
            } else if (reason instanceof Verdict.DriftDetected drift) {
                g.writeStringField("detector", drift.detector());
                g.writeStringField("at", drift.at().toString());
                g.writeNumberField("feedback", drift.feedback());
            } else if (reason instanceof Verdict.DriftWarning warning) {
                g.writeStringField("detector", warning.detector());
            }
            g.writeStringField("message", reason.message());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeWindow(JsonGenerator g, ModelStatus status, ConfusionMatrix counts, ScoreCounts scores,
            boolean declaresClasses) throws IOException {
        writeMetricsAndCounts(g, counts, declaresClasses, true);
        g.writeObjectFieldStart("intervals");
        for (Metric metric : declaresClasses ? Metric.CLASSES : Metric.BINARY) {
            if (metric.hasInterval()) {
                writeInterval(g, metric.key(), metric.interval(counts));
            }
        }
        g.writeEndObject();
        if (!status.baseline().isEmpty()) {
            g.writeObjectFieldStart("below_baseline");
            for (Metric metric : status.baseline().values().keySet()) {
                if (metric.hasInterval()) {
                    g.writeBooleanField(metric.key(), status.significantlyBelowBaseline(counts, scores, metric));
                }
            }
            g.writeEndObject();
        }
        writeScores(g, scores, counts.classes());
    }

    /** A window's {@code "scores"}: see {@link #status}. */
    private static void writeScores(JsonGenerator g, ScoreCounts scores, ClassLabels classes) throws IOException {
        g.writeObjectFieldStart("scores");
        g.writeNumberField("n", scores.n());
        writeMetric(g, "roc_auc", scores.rocAuc());
        writeInterval(g, "roc_auc_interval", scores.rocAucInterval());
        writeMetric(g, "average_precision", scores.averagePrecision());
        writeMetric(g, "log_loss", scores.logLoss());
        writeMetric(g, "brier", scores.brier());
        writeMetric(g, "ece", scores.calibrationError());
        g.writeArrayFieldStart("reliability");
        for (ReliabilityBin bin : scores.reliability()) {
            g.writeStartObject();
            g.writeNumberField("lower", bin.lower());
            g.writeNumberField("upper", bin.upper());
            g.writeNumberField("n", bin.n());
            writeMetric(g, "mean_score", bin.meanScore());
            writeMetric(g, "observed", bin.observed());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (!scores.binary()) {
            g.writeObjectFieldStart("per_class");
            for (int c = 0; c < scores.rows(); c++) {
                g.writeObjectFieldStart(classes.label(c));
                writeMetric(g, "roc_auc", scores.rocAuc(c));
                writeInterval(g, "roc_auc_interval", scores.rocAucInterval(c));
                writeMetric(g, "average_precision", scores.averagePrecision(c));
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
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
        g.writeStringField("model", recorder.model().name());
        g.writeStringField("model_version", recorder.model().version());
        if (!recorder.declaresClasses()) {
            writeMetricsAndCounts(g, recorder.snapshot());
            return;
        }
        // The answer to a POST: the matrix and the metrics a baseline holds; GET /feedback has the rest.
        ConfusionMatrix matrix = recorder.matrix();
        writeClassesAndConfusion(g, matrix);
        g.writeObjectFieldStart("metrics");
        writeMetric(g, "accuracy", matrix.accuracy());
        writeMetric(g, "macro_f1", matrix.macroF1());
        g.writeEndObject();
    }

    private static void writeClassesAndConfusion(JsonGenerator g, ConfusionMatrix matrix) throws IOException {
        ClassLabels classes = matrix.classes();
        int k = classes.size();
        g.writeArrayFieldStart("classes");
        for (String label : classes.labels()) {
            g.writeString(label);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("confusion");
        for (int actual = 0; actual < k; actual++) {
            g.writeStartArray();
            for (int predicted = 0; predicted < k; predicted++) {
                g.writeNumber(matrix.count(actual, predicted));
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    /**
     * A binary model's {@code metrics} and {@code counts}, the seed's shape; a model with declared
     * classes: {@code classes}, {@code confusion} (rows = actual), {@code per_class} (with each
     * recall's interval in a window) and {@code metrics}. For {@code GET /feedback}.
     */
    private static void writeMetricsAndCounts(JsonGenerator g, ConfusionMatrix matrix, boolean declaresClasses,
            boolean withIntervals) throws IOException {
        if (!declaresClasses) {
            writeMetricsAndCounts(g, matrix.binary());
            return;
        }
        ClassLabels classes = matrix.classes();
        int k = classes.size();
        writeClassesAndConfusion(g, matrix);
        g.writeObjectFieldStart("per_class");
        for (int c = 0; c < k; c++) {
            g.writeObjectFieldStart(classes.label(c));
            writeMetric(g, "precision", matrix.precision(c));
            writeMetric(g, "recall", matrix.recall(c));
            writeMetric(g, "f1", matrix.f1(c));
            g.writeNumberField("support", matrix.support(c));
            if (withIntervals) {
                writeInterval(g, "recall_interval", matrix.recallInterval(c));
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeObjectFieldStart("metrics");
        writeMetric(g, "accuracy", matrix.accuracy());
        writeMetric(g, "balanced_accuracy", matrix.balancedAccuracy());
        writeMetric(g, "macro_precision", matrix.macroPrecision());
        writeMetric(g, "macro_recall", matrix.macroRecall());
        writeMetric(g, "macro_f1", matrix.macroF1());
        writeMetric(g, "weighted_precision", matrix.weightedPrecision());
        writeMetric(g, "weighted_recall", matrix.weightedRecall());
        writeMetric(g, "weighted_f1", matrix.weightedF1());
        writeMetric(g, "cohen_kappa", matrix.cohenKappa());
        writeMetric(g, "mcc", matrix.mcc());
        g.writeEndObject();
    }

    private static void writeInterval(JsonGenerator g, String name, ConfidenceInterval interval) throws IOException {
        g.writeFieldName(name);
        if (interval.defined()) {
            g.writeArray(new double[] {interval.lower(), interval.upper()}, 0, 2);
        } else {
            g.writeNull();
        }
    }

    private static void writeMetricsAndCounts(JsonGenerator g, ClassificationSnapshot s) throws IOException {
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
