package dev.modelfeedback.core.drift;

/**
 * DDM, the Drift Detection Method (Gama, Medas, Castillo and Rodrigues, 2004): models the error
 * count as binomial and watches {@code p + s}, the error rate plus its standard deviation, against
 * the lowest {@code p_min + s_min} seen. Warning when it exceeds {@code p_min + 2 s_min}, drift when
 * it exceeds {@code p_min + 3 s_min}, from the 31st sample on.
 *
 * <p>Good at abrupt changes, cheap (one square root per sample); slow on gradual drift, and blind
 * for a while after a quiet start: with no error in the warm-up, {@code s_min} is 0 and the first
 * error is a drift. Identical to river's {@code drift.binary.DDM}; one-sided by construction.
 *
 * <p>Not thread-safe.
 */
public final class Ddm implements DriftDetector {

    /** Samples before the first test: river's default. */
    public static final int DEFAULT_WARM_START = 30;
    /** Standard deviations above the minimum for a warning. */
    public static final double DEFAULT_WARNING_THRESHOLD = 2.0;
    /** Standard deviations above the minimum for a drift. */
    public static final double DEFAULT_DRIFT_THRESHOLD = 3.0;

    private final int warmStart;
    private final double warningThreshold;
    private final double driftThreshold;

    private final RunningMean p = new RunningMean();
    private double pMin;
    private double sMin;
    private double psMin;
    private DriftState state = DriftState.STABLE;

    /** DDM with river's defaults. */
    public Ddm() {
        this(DEFAULT_WARM_START, DEFAULT_WARNING_THRESHOLD, DEFAULT_DRIFT_THRESHOLD);
    }

    /**
     * @param warmStart samples before the first test, at least 0
     * @param warningThreshold standard deviations above the minimum for a warning, more than 0
     * @param driftThreshold standard deviations above the minimum for a drift, more than the warning's
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public Ddm(int warmStart, double warningThreshold, double driftThreshold) {
        if (warmStart < 0) {
            throw new IllegalArgumentException("warmStart must be at least 0, got " + warmStart);
        }
        if (!(warningThreshold > 0) || Double.isInfinite(warningThreshold)) {
            throw new IllegalArgumentException("warningThreshold must be a positive number, got " + warningThreshold);
        }
        if (!(driftThreshold > warningThreshold) || Double.isInfinite(driftThreshold)) {
            throw new IllegalArgumentException("driftThreshold must be a number above warningThreshold ("
                    + warningThreshold + "), got " + driftThreshold);
        }
        this.warmStart = warmStart;
        this.warningThreshold = warningThreshold;
        this.driftThreshold = driftThreshold;
        reset();
    }

    @Override
    public DriftState update(boolean error) {
        if (state == DriftState.DRIFT) {
            reset();
        }
        p.add(error ? 1.0 : 0.0);
        double pi = p.mean();
        double si = Math.sqrt(pi * (1 - pi) / p.n());
        if (p.n() > warmStart) {
            if (pi + si <= psMin) {
                pMin = pi;
                sMin = si;
                psMin = pMin + sMin;
            }
            if (pi + si > pMin + driftThreshold * sMin) {
                state = DriftState.DRIFT;
            } else if (pi + si > pMin + warningThreshold * sMin) {
                state = DriftState.WARNING;
            } else {
                state = DriftState.STABLE;
            }
        }
        return state;
    }

    @Override
    public DriftState state() {
        return state;
    }

    @Override
    public String name() {
        return "ddm";
    }

    private void reset() {
        p.clear();
        pMin = Double.POSITIVE_INFINITY;
        sMin = Double.POSITIVE_INFINITY;
        psMin = Double.POSITIVE_INFINITY;
        state = DriftState.STABLE;
    }

    @Override
    public String toString() {
        return "Ddm[warmStart=" + warmStart + ", warning=" + warningThreshold + ", drift=" + driftThreshold + "]";
    }
}
