package dev.modelfeedback.core.metrics;

/**
 * How a kind of model presents its matrix to a registry: {@link BinaryMeters} for a binary model
 * (the seed's names), {@link ClassMeters} for declared classes.
 */
public sealed interface MatrixMeters permits BinaryMeters, ClassMeters {

    /** Registers the matrix's meters in the recorder's group. */
    void register(MeterGroup meters);
}
