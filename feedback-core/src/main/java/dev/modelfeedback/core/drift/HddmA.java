package dev.modelfeedback.core.drift;

/**
 * HDDM_A (Frías-Blanco, del Campo-Ávila, Ramos-Jiménez, Morales-Bueno, Ortiz-Díaz and
 * Caballero-Mota, 2015): compares the mean error since the start with the mean up to a cut point,
 * chosen where it was lowest, using Hoeffding's inequality, so its false alarm rate is bounded by
 * the confidence levels without assuming a distribution. Drift at confidence 0.001, warning at 0.005;
 * only increases of the error rate are tested.
 *
 * <p>Reacts within a few samples to an abrupt rise, handles gradual ones, costs a few square roots
 * per sample and keeps no window. Identical to river's {@code drift.binary.HDDM_A} with
 * {@code two_sided_test=False}.
 *
 * <p>Not thread-safe.
 */
public final class HddmA implements DriftDetector {

    /** river's default drift confidence. */
    public static final double DEFAULT_DRIFT_CONFIDENCE = 0.001;
    /** river's default warning confidence. */
    public static final double DEFAULT_WARNING_CONFIDENCE = 0.005;

    private final double driftConfidence;
    private final double warningConfidence;
    /** ln(1 / drift confidence), in every Hoeffding bound of the cut point. */
    private final double logInverseDrift;
    private final double logTwoOverDrift;
    private final double logTwoOverWarning;

    private final RunningMean z = new RunningMean();
    /** A copy of {@code z} at the cut point. */
    private final RunningMean cut = new RunningMean();
    /** The Hoeffding bound at the cut point's count, kept while the cut point stays. */
    private double cutBound;
    private DriftState state = DriftState.STABLE;

    /** HDDM_A with river's defaults. */
    public HddmA() {
        this(DEFAULT_DRIFT_CONFIDENCE, DEFAULT_WARNING_CONFIDENCE);
    }

    /**
     * @param driftConfidence the drift test's confidence level, in (0, 1)
     * @param warningConfidence the warning test's confidence level, in [driftConfidence, 1)
     * @throws IllegalArgumentException if a level is out of range
     */
    public HddmA(double driftConfidence, double warningConfidence) {
        if (!(driftConfidence > 0 && driftConfidence < 1)) {
            throw new IllegalArgumentException("driftConfidence must be between 0 and 1, got " + driftConfidence);
        }
        if (!(warningConfidence >= driftConfidence && warningConfidence < 1)) {
            throw new IllegalArgumentException("warningConfidence must be at least driftConfidence (" + driftConfidence
                    + ") and below 1, got " + warningConfidence);
        }
        this.driftConfidence = driftConfidence;
        this.warningConfidence = warningConfidence;
        this.logInverseDrift = Math.log(1.0 / driftConfidence);
        this.logTwoOverDrift = Math.log(2.0 / driftConfidence);
        this.logTwoOverWarning = Math.log(2.0 / warningConfidence);
    }

    @Override
    public DriftState update(boolean error) {
        if (state == DriftState.DRIFT) {
            reset();
        }
        z.add(error ? 1.0 : 0.0);
        if (cut.n() == 0) {
            moveCut();
        }
        // The cut point follows the mean down: it marks where the error rate was lowest.
        if (cut.mean() + cutBound >= z.mean() + hoeffding(z.n())) {
            moveCut();
        }
        if (meanIncreased(logTwoOverDrift)) {
            state = DriftState.DRIFT;
        } else if (meanIncreased(logTwoOverWarning)) {
            state = DriftState.WARNING;
        } else {
            state = DriftState.STABLE;
        }
        return state;
    }

    /** Whether the mean since the cut point is significantly above the mean up to it. */
    private boolean meanIncreased(double logTwoOverConfidence) {
        if (cut.n() == z.n()) {
            return false;
        }
        double m = (z.n() - cut.n()) / cut.n() * (1.0 / z.n());
        double bound = Math.sqrt(m / 2 * logTwoOverConfidence);
        return z.mean() - cut.mean() >= bound;
    }

    private double hoeffding(double n) {
        return Math.sqrt(1.0 / (2 * n) * logInverseDrift);
    }

    private void moveCut() {
        cut.copyFrom(z);
        cutBound = hoeffding(cut.n());
    }

    @Override
    public DriftState state() {
        return state;
    }

    @Override
    public String name() {
        return "hddm_a";
    }

    private void reset() {
        z.clear();
        cut.clear();
        cutBound = 0;
        state = DriftState.STABLE;
    }

    @Override
    public String toString() {
        return "HddmA[driftConfidence=" + driftConfidence + ", warningConfidence=" + warningConfidence + "]";
    }
}
