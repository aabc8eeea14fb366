package dev.modelfeedback.core.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * How a kind of model presents its matrix to a registry: {@link BinaryMeters} for a
 * binary model (the seed's names), {@link ClassMeters} for declared classes.
 */
public sealed interface MatrixMeters extends MeterBinder permits BinaryMeters, ClassMeters {

    /** Removes every meter {@link #bindTo} registered. */
    public void unbind(MeterRegistry registry);
}
