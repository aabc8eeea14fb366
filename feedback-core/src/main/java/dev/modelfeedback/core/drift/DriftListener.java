package dev.modelfeedback.core.drift;

/**
 * Told of every state change of a recorder's drift detectors, once per change, in the order of the
 * error stream: to page someone, roll a model back, or start retraining.
 *
 * <pre>{@code
 * FeedbackRecorder.builder(registry)
 *         .driftListener(event -> {
 *             if (event.current() == DriftState.DRIFT) {
 *                 alerts.send(event.model() + ": " + event.detector() + " saw the error rate rise");
 *             }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>Called on whichever thread drains the detectors' buffer, often a thread recording feedback:
 * keep it short and hand slow work to an executor. An exception it throws is logged and does not
 * break recording.
 */
@FunctionalInterface
public interface DriftListener {

    /** Ignores every event. */
    DriftListener NONE = event -> { };

    /**
     * @param event the change
     */
    void onChange(DriftEvent event);
}
