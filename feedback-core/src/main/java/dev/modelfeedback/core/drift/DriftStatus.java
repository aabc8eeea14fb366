package dev.modelfeedback.core.drift;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One drift detector of a model, as of the last sample it saw.
 *
 * @param detector the detector's name, such as {@code hddm_a}
 * @param state its state after the last sample
 * @param detected how many drifts it has signalled
 * @param warnings how many times it has entered its warning zone
 * @param lastDriftAt when it last signalled a drift, or {@code null} if never
 * @param lastDriftFeedback how many feedback items the detectors had seen at its last drift, that one
 *     included; 0 if never
 */
public record DriftStatus(String detector, DriftState state, long detected, long warnings, @Nullable Instant lastDriftAt,
        long lastDriftFeedback) {
}
