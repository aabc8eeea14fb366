package dev.modelfeedback.servlet;

import dev.modelfeedback.core.FeedbackBatch;
import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.UnknownModelException;
import dev.modelfeedback.core.join.JoinConflictException;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.PendingStoreUnavailableException;
import dev.modelfeedback.core.model.ModelRef;
import dev.modelfeedback.core.model.Texts;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The container-free logic of {@code /feedback}: reads the body strictly ({@link JsonBodyReader}),
 * checks the feedback format, counts it all-or-nothing and renders the JSON answer.
 * {@link FeedbackServlet} only translates between HTTP and this class.
 *
 * <p>Guarantees: an answer with status 200 is produced only after every item is counted; an error
 * only when nothing was counted; no input yields a stack trace, and none yields a 5xx unless the
 * server itself is at fault. Refusals are counted in {@code feedback_rejected_total} and logged at
 * DEBUG without a stack trace, so bad input cannot flood the log; what the server is configured
 * with (its models) appears in that log line, never in the answer.
 *
 * <p>Thread-safe.
 */
public final class FeedbackHandler {

    /** The methods {@code /feedback} answers, for the {@code Allow} header. */
    public static final String ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS";

    /** The reasons {@code /feedback} refuses for: all but the other endpoints' invalid request. */
    static final Set<RejectionReason> REASONS = EnumSet.complementOf(EnumSet.of(RejectionReason.INVALID_REQUEST));

    private static final int MAX_MODELS_IN_LOG = 20;
    private static final System.Logger LOG = System.getLogger(FeedbackHandler.class.getName());

    private final ModelSet models;
    private final JsonBodyReader reader;
    private final FeedbackRequestParser parser;
    private final FeedbackJson json = new FeedbackJson();
    private final RequestRefusals refusals;

    /**
     * @param models the models this endpoint feeds
     * @param limits the size limits of one request
     */
    public FeedbackHandler(ModelSet models, FeedbackLimits limits) {
        this.models = Objects.requireNonNull(models, "models");
        Objects.requireNonNull(limits, "limits");
        this.reader = new JsonBodyReader(limits.maxBodyBytes());
        this.parser = new FeedbackRequestParser(limits.maxBatchItems(), models.defaultModel().orElse(null),
                new DeclaredClasses(models));
        this.refusals = new RequestRefusals(models.registry(), "feedback.rejected",
                "Feedback requests refused, by reason. A refused request counts no feedback.", REASONS, LOG);
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
    public JsonResponse post(@Nullable String contentType, long contentLength, InputStream body) {
        return post(contentType, contentLength, List.of(), body);
    }

    /**
     * Handles {@code POST /feedback} with a body that may be coded.
     *
     * @param contentType the request's {@code Content-Type}, or {@code null} if absent
     * @param contentLength the declared length, or -1 if unknown (chunked)
     * @param codings the codings the body was sent with ({@link ContentCoding#of}); only gzip is decoded
     * @param body the request body as it arrived; read at most one byte past the limit
     * @return the answer to send, as {@link #post(String, long, InputStream)} gives it
     */
    public JsonResponse post(@Nullable String contentType, long contentLength, List<String> codings, InputStream body) {
        ParsedFeedback parsed;
        List<FeedbackRecorder> recorders;
        try {
            parsed = reader.read(contentType, contentLength, codings, body, parser.newReading());
        } catch (RejectedRequestException e) {
            return refusals.refuse(e);
        }
        try {
            recorders = models.recorders(parsed.models());
        } catch (UnknownModelException e) {
            String where = e.index() < 0 ? "" : parsed.where(parsed.firstItemNaming(parsed.models().get(e.index())));
            return refusals.refuse(new RejectedRequestException(RejectionReason.UNKNOWN_MODEL, where + e.getMessage()),
                    () -> "; " + e.detail() + "; models served: " + served());
        } catch (RuntimeException e) {
            // A valid request the server cannot serve, e.g. a model to create on demand that other
            // code already registered in the registry: the server's fault, told only to its log.
            return refusals.serverError("feedback for models " + parsed.models().stream()
                    .map(FeedbackHandler::describe).collect(Collectors.joining(", ")) + " could not be counted", e);
        }
        if (parsed.hasIds()) {
            return joined(parsed, recorders);
        }
        if (recorders.size() == 1) {
            // The common case, one model: counted directly, without gathering a batch first.
            parsed.tallies().get(0).record(recorders.get(0));
            return JsonResponse.ok(200, json.recorded(parsed.items(), recorders));
        }
        FeedbackBatch batch = new FeedbackBatch();
        for (int i = 0; i < recorders.size(); i++) {
            parsed.tallies().get(i).addTo(batch, recorders.get(i));
        }
        batch.commit();
        return JsonResponse.ok(200, json.recorded(parsed.items(), batch.recorders()));
    }

    /**
     * A request with ids: its operations are applied to the pending store as one with the rest of
     * the items; a conflict refuses it whole.
     */
    private JsonResponse joined(ParsedFeedback parsed, List<FeedbackRecorder> recorders) {
        List<ModelRef> names = parsed.models();
        FeedbackBatch batch = new FeedbackBatch();
        int counted = 0;
        for (int i = 0; i < parsed.tallies().size(); i++) {
            parsed.tallies().get(i).addTo(batch, recorders.get(i));
            counted += (int) parsed.tallies().get(i).items().total();
        }
        List<ParsedFeedback.Item> joins = new ArrayList<>();
        boolean onlyPredictions = parsed.tallies().isEmpty();
        for (ParsedFeedback.Item item : parsed.ordered()) {
            FeedbackRecorder recorder = recorders.get(names.indexOf(item.model()));
            String id = item.id();
            if (id == null) {
                batch.add(recorder, item.prediction(), item.actual(), item.scores());
                counted++;
                onlyPredictions = false;
            } else if (item.actual() < 0) {
                batch.addPrediction(recorder, id, item.prediction(), item.scores());
                joins.add(item);
            } else {
                if (item.prediction() < 0) {
                    batch.addActual(recorder, id, item.actual());
                } else {
                    batch.add(recorder, id, item.prediction(), item.actual(), item.scores());
                }
                joins.add(item);
                onlyPredictions = false;
            }
        }
        List<JoinOutcome> outcomes;
        try {
            outcomes = batch.commit();
        } catch (JoinConflictException e) {
            ParsedFeedback.Item conflicting = joins.get(e.operation());
            return refusals.refuse(new RejectedRequestException(RejectionReason.CONFLICT,
                    parsed.where(conflicting.index()) + e.getMessage()));
        } catch (PendingStoreUnavailableException e) {
            return refusals.refuse(new RejectedRequestException(RejectionReason.STORE_UNAVAILABLE,
                    "the store of pending predictions is unavailable; nothing was counted, send the request again later"),
                    () -> ": " + e.getMessage());
        }
        int pending = 0;
        List<FeedbackJson.NotCounted> notCounted = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            JoinOutcome outcome = outcomes.get(i);
            switch (outcome) {
                case MATCHED -> counted++;
                case PENDING -> pending++;
                default -> notCounted.add(new FeedbackJson.NotCounted(joins.get(i).index(),
                        Objects.requireNonNull(joins.get(i).id()), outcome));
            }
        }
        if (!parsed.batch()) {
            JoinOutcome outcome = outcomes.get(0);
            String id = Texts.quote(Objects.requireNonNull(joins.get(0).id()));
            if (outcome == JoinOutcome.UNKNOWN) {
                return JsonResponse.of(404, json.unmatched("no prediction is stored for id " + id, outcome));
            }
            if (outcome == JoinOutcome.EXPIRED) {
                return JsonResponse.of(404, json.unmatched("the prediction for id " + id
                        + " expired before its actual value arrived", outcome));
            }
        }
        boolean duplicate = !parsed.batch() && outcomes.get(0) == JoinOutcome.DUPLICATE;
        int status = onlyPredictions && pending > 0 ? 202 : 200;
        return JsonResponse.of(status, json.joined(counted, pending, duplicate, parsed.batch(), notCounted,
                batch.recorders()));
    }

    /** Handles {@code GET /feedback}: every model's metrics and counts, windows, intervals, scores and baseline. */
    public JsonResponse get() {
        return JsonResponse.ok(200, json.status(models.all()));
    }

    /**
     * Handles {@code GET /feedback?history}: every model's windows bucket by bucket, with each
     * bucket's accuracy and interval, for the status page's chart.
     */
    public JsonResponse history() {
        return JsonResponse.ok(200, json.history(models.all()));
    }

    /**
     * Answers a method {@code /feedback} does not support.
     *
     * @param method the request's method
     * @return a 405 answer; send it with an {@code Allow: }{@value #ALLOWED_METHODS} header
     */
    public JsonResponse methodNotAllowed(String method) {
        return refusals.refuse(new RejectedRequestException(RejectionReason.METHOD_NOT_ALLOWED,
                "method " + Texts.quote(method) + " is not allowed; use " + ALLOWED_METHODS));
    }

    /**
     * Answers a read whose query the endpoint does not understand, for example {@code ?format=xml};
     * not counted, as reads are not.
     *
     * @param message what is wrong, with untrusted text quoted
     * @return a 400 answer
     */
    public JsonResponse badQuery(String message) {
        return JsonResponse.error(RejectionReason.INVALID_REQUEST, message);
    }

    /** The refusals of this endpoint, for the parts of the servlet that refuse before the handler runs. */
    RequestRefusals refusals() {
        return refusals;
    }

    /**
     * Answers a request that failed inside the server, not because of its input.
     *
     * @param what what was being done, for the log
     * @param cause the failure, logged at ERROR with its stack trace
     * @return a 500 answer without details
     */
    public JsonResponse serverError(String what, RuntimeException cause) {
        return refusals.serverError(what, cause);
    }

    /** A model as the request named it, quoted for the log. */
    private static String describe(ModelRef model) {
        return (model.name() == null ? "(default)" : Texts.quote(model.name()))
                + (model.version() == null ? "" : " version " + Texts.quote(model.version()));
    }

    private String served() {
        List<FeedbackRecorder> all = models.all();
        String names = all.stream().limit(MAX_MODELS_IN_LOG).map(r -> r.model().toString())
                .collect(Collectors.joining(", "));
        return all.size() > MAX_MODELS_IN_LOG ? names + ", ... (" + all.size() + " in all)" : names;
    }
}
