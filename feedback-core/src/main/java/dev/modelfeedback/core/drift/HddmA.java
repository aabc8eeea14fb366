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
        double inverseN = z.add(error ? 1.0 : 0.0);
        // Hoeffding's bound at z's count is sqrt(1 / (2n) * ln(1 / delta)); 1 / (2n) is exactly
        // (1 / n) / 2, so the division already made for the mean serves.
        double squaredBound = 0.5 * inverseN * logInverseDrift;
        if (cut.n() == 0) {
            moveCut(Math.sqrt(squaredBound));
        }
        // The cut point follows the mean down: it marks where the error rate was lowest.
        double cutSide = cut.mean() + cutBound;
        if (cutSide >= z.mean() && atLeastSumWithRoot(cutSide, z.mean(), squaredBound)) {
            moveCut(Math.sqrt(squaredBound));
        }
        if (cut.n() == z.n()) {
            state = DriftState.STABLE;
            return state;
        }
        // Has the mean risen significantly since the cut point?
        double m = (z.n() - cut.n()) / cut.n() * inverseN;
        double increase = z.mean() - cut.mean();
        if (increase > 0 && atLeastRoot(increase, m / 2 * logTwoOverDrift)) {
            state = DriftState.DRIFT;
        } else if (increase > 0 && atLeastRoot(increase, m / 2 * logTwoOverWarning)) {
            state = DriftState.WARNING;
        } else {
            state = DriftState.STABLE;
        }
        return state;
    }

    /*
     * The square roots are the cost of this detector; most comparisons are decided by squares. A
     * comparison is left to the square root, evaluated exactly as river evaluates it, only when the
     * squares are within ROUNDING_MARGIN of each other: rounding moves either side by about 1e-16
     * relatively, so every decision is the one the square root would make (for counts up to about
     * 10^18, where the bound itself shrinks towards the rounding).
     */
    private static final double ROUNDING_MARGIN = 1e-6;

    /** Whether {@code value >= Math.sqrt(square)}, for {@code value > 0}. */
    private static boolean atLeastRoot(double value, double square) {
        double squared = value * value;
        if (squared > square * (1 + ROUNDING_MARGIN)) {
            return true;
        }
        if (squared < square * (1 - ROUNDING_MARGIN)) {
            return false;
        }
        return value >= Math.sqrt(square);
    }

    /** Whether {@code a >= b + Math.sqrt(square)}, given {@code a >= b}. */
    private static boolean atLeastSumWithRoot(double a, double b, double square) {
        double gap = a - b;
        double squared = gap * gap;
        if (squared > square * (1 + ROUNDING_MARGIN)) {
            return true;
        }
        if (squared < square * (1 - ROUNDING_MARGIN)) {
            return false;
        }
        return a >= b + Math.sqrt(square);
    }

    private void moveCut(double bound) {
        cut.copyFrom(z);
        cutBound = bound;
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
