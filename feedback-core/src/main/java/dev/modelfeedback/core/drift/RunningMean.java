package dev.modelfeedback.core.drift;

/**
 * An incremental mean computed exactly as river's {@code stats.Mean} does for unit weights, so that
 * the detectors built on it agree with river's bit for bit: {@code n += 1; mean += (1 / n) * (x - mean)}.
 */
final class RunningMean {

    private double n;
    private double mean;

    /** Adds a value; returns {@code 1 / n}, which callers reuse rather than divide again. */
    double add(double x) {
        n += 1.0;
        double inverse = 1.0 / n;
        mean += inverse * (x - mean);
        return inverse;
    }

    double n() {
        return n;
    }

    double mean() {
        return mean;
    }

    void copyFrom(RunningMean other) {
        n = other.n;
        mean = other.mean;
    }

    void clear() {
        n = 0;
        mean = 0;
    }
}
