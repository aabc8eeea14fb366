package dev.modelfeedback.servlet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The refusals of one endpoint: counts each in a counter tagged {@code reason} (all registered at
 * 0, so alerts and dashboards see every series), logs it, and renders the JSON error answer.
 *
 * <pre>{@code
 * RequestRefusals refusals = new RequestRefusals(registry, "feedback.rejected",
 *         "Feedback requests refused, by reason.", EnumSet.allOf(RejectionReason.class), logger);
 * JsonResponse answer = refusals.refuse(rejected);   // counted, logged at DEBUG, {"error": ...}
 * }</pre>
 *
 * <p>Bad input is logged at DEBUG without a stack trace, so a flood of it cannot flood the log;
 * {@link #serverError} logs at ERROR with the cause and answers without any detail.
 *
 * <p>Thread-safe.
 */
public final class RequestRefusals {

    private static final String SERVER_ERROR_MESSAGE = "the server could not handle this request; nothing was counted";

    private final Map<RejectionReason, Counter> counters = new EnumMap<>(RejectionReason.class);
    private final Logger log;

    /**
     * Registers one counter per reason, at 0.
     *
     * @param registry the registry to count in
     * @param meterName the counter's name, for example {@code feedback.rejected}
     * @param description the counter's description, a full sentence
     * @param reasons the reasons this endpoint can refuse for
     * @param log where refusals are logged
     */
    public RequestRefusals(MeterRegistry registry, String meterName, String description,
            Set<RejectionReason> reasons, Logger log) {
        Objects.requireNonNull(registry, "registry");
        this.log = Objects.requireNonNull(log, "log");
        for (RejectionReason reason : reasons) {
            counters.put(reason, Counter.builder(meterName)
                    .description(description)
                    .tag("reason", reason.tag())
                    .register(registry));
        }
    }

    /**
     * Counts and logs a refusal of bad input and renders its answer.
     *
     * @param rejected the refusal
     * @return the answer: the reason's status and {@code {"error": ...}}
     */
    public JsonResponse refuse(RejectedRequestException rejected) {
        return refuse(rejected, () -> "");
    }

    /**
     * As {@link #refuse(RejectedRequestException)}, with more for the log than for the client.
     *
     * @param rejected the refusal
     * @param logDetail what the server's operator should also see (for example the models it
     *     serves); computed only if DEBUG is enabled
     * @return the answer
     */
    public JsonResponse refuse(RejectedRequestException rejected, Supplier<String> logDetail) {
        RejectionReason reason = rejected.reason();
        count(reason);
        log.log(Level.DEBUG, () -> "request refused (" + reason.tag() + "): " + rejected.getMessage()
                + logDetail.get());
        return JsonResponse.error(reason, rejected.getMessage());
    }

    /**
     * Counts and logs a failure that is not the client's fault, and answers 500 without details.
     *
     * @param what what the server was doing, for the log
     * @param cause the failure, logged with its stack trace
     * @return the answer: 500, {@code {"error": "the server could not handle this request; ..."}}
     */
    public JsonResponse serverError(String what, Throwable cause) {
        count(RejectionReason.SERVER_ERROR);
        log.log(Level.ERROR, what + "; answered 500, nothing was counted", cause);
        return JsonResponse.error(RejectionReason.SERVER_ERROR, SERVER_ERROR_MESSAGE);
    }

    private void count(RejectionReason reason) {
        Counter counter = counters.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException("this endpoint does not count refusals for " + reason);
        }
        counter.increment();
    }
}
