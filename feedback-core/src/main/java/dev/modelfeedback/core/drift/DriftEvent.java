package dev.modelfeedback.core.drift;

import dev.modelfeedback.core.model.ModelId;
import java.time.Instant;

/**
 * A drift detector of one model changed state.
 *
 * @param model the model
 * @param detector the detector's name, such as {@code hddm_a}
 * @param previous the state before
 * @param current the state now
 * @param feedbackCount how many feedback items the detectors had seen, this one included
 * @param at when the change was seen
 */
public record DriftEvent(ModelId model, String detector, DriftState previous, DriftState current, long feedbackCount,
        Instant at) {
}
