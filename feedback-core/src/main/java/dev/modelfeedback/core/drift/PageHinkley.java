package dev.modelfeedback.core.drift;

/**
 * The Page-Hinkley test (Page, 1954), upward: accumulates the error's deviations from its running
 * mean, less a tolerance {@code delta}, fading older ones by {@code alpha}, and signals a drift when
 * the sum rises more than {@code threshold} above its minimum, from the 30th sample on.
 *
 * <p>The cheapest of the four (no square root, no window); its delay depends on how far the error
 * rate rises (a few hundred samples for 10% to 30%) and its threshold is in units of the stream,
 * so it suits large, sustained rises. Identical to river's {@code drift.PageHinkley} with
 * {@code mode="up"}. No warning zone.
 *
 * <p>Not thread-safe.
 */
public final class PageHinkley implements DriftDetector {

    /** Samples before the first test: river's default. */
    public static final int DEFAULT_MIN_INSTANCES = 30;
    /** The tolerated deviation per sample: river's default. */
    public static final double DEFAULT_DELTA = 0.005;
    /** The rise of the cumulative sum that is a drift: river's default. */
    public static final double DEFAULT_THRESHOLD = 50.0;
    /** The fading factor of the cumulative sum: river's default, 1 - 0.0001. */
    public static final double DEFAULT_ALPHA = 1 - 0.0001;

    private final int minInstances;
    private final double delta;
    private final double threshold;
    private final double alpha;

    private final RunningMean mean = new RunningMean();
    private double sum;
    private double minSum;
    private DriftState state = DriftState.STABLE;

    /** Page-Hinkley with river's defaults. */
    public PageHinkley() {
        this(DEFAULT_MIN_INSTANCES, DEFAULT_DELTA, DEFAULT_THRESHOLD, DEFAULT_ALPHA);
    }

    /**
     * @param minInstances samples before the first test, at least 1
     * @param delta the tolerated deviation per sample, at least 0
     * @param threshold the rise that is a drift, more than 0
     * @param alpha the fading factor, in (0, 1]
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public PageHinkley(int minInstances, double delta, double threshold, double alpha) {
        if (minInstances < 1) {
            throw new IllegalArgumentException("minInstances must be at least 1, got " + minInstances);
        }
        if (!(delta >= 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("delta must be a number of at least 0, got " + delta);
        }
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold must be a positive number, got " + threshold);
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
        }
        this.minInstances = minInstances;
        this.delta = delta;
        this.threshold = threshold;
        this.alpha = alpha;
        reset();
    }

    @Override
    public DriftState update(boolean error) {
        if (state == DriftState.DRIFT) {
            reset();
        }
        double x = error ? 1.0 : 0.0;
        mean.add(x);
        sum = alpha * sum + (x - mean.mean()) - delta;
        if (sum < minSum) {
            minSum = sum;
        }
        if (mean.n() >= minInstances) {
            state = sum - minSum > threshold ? DriftState.DRIFT : DriftState.STABLE;
        }
        return state;
    }

    @Override
    public DriftState state() {
        return state;
    }

    @Override
    public String name() {
        return "page_hinkley";
    }

    private void reset() {
        mean.clear();
        sum = 0;
        minSum = Double.POSITIVE_INFINITY;
        state = DriftState.STABLE;
    }

    @Override
    public String toString() {
        return "PageHinkley[minInstances=" + minInstances + ", delta=" + delta + ", threshold=" + threshold
                + ", alpha=" + alpha + "]";
    }
}
