package dev.modelfeedback.core.drift;

/**
 * An incremental mean computed exactly as river's {@code stats.Mean} does for unit weights, so that
 * the detectors built on it agree with river's bit for bit: {@code n += 1; mean += (1 / n) * (x - mean)}.
 */
final class RunningMean {

    private double n;
    private double mean;

    void add(double x) {
        n += 1.0;
        mean += (1.0 / n) * (x - mean);
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
