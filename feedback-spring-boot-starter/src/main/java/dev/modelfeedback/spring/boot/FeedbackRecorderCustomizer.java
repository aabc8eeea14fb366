package dev.modelfeedback.spring.boot;

import dev.modelfeedback.core.FeedbackRecorder;

/**
 * Settings that properties cannot express, applied to the recorder of every model of the
 * auto-configured {@code ModelSet}, declared or created on demand: a drift listener, say.
 *
 * <pre>{@code
 * @Bean
 * FeedbackRecorderCustomizer driftAlerts(AlertService alerts) {
 *     return recorder -> recorder.driftListener(event -> alerts.driftOf(event.model(), event.detector()));
 * }
 * }</pre>
 *
 * <p>Customizers run, in bean order, after the properties set for every model and before a
 * model's own properties ({@code modelfeedback.models.NAME.*}), which therefore win.
 */
@FunctionalInterface
public interface FeedbackRecorderCustomizer {

    /**
     * Adjusts the builder of one model's recorder.
     *
     * @param recorder the builder, its model already set; must not set the model again
     */
    void customize(FeedbackRecorder.Builder recorder);
}
