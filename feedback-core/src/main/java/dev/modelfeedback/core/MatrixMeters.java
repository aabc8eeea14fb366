package dev.modelfeedback.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * How a kind of model presents its matrix to a registry: {@link ConfusionMatrixMetrics} for a
 * binary model (the seed's names), {@link ClassMatrixMetrics} for declared classes.
 */
sealed interface MatrixMeters extends MeterBinder permits ConfusionMatrixMetrics, ClassMatrixMetrics {

    /** Removes every meter {@link #bindTo} registered. */
    void unbind(MeterRegistry registry);
}
