package dev.modelfeedback.core.matrix;

/**
 * A two-sided confidence interval of a proportion; both bounds NaN when it is undefined (no
 * trials).
 *
 * <p>{@link #wilson(long, long)} is the Wilson score interval, which unlike the normal
 * approximation stays inside [0, 1] and is trustworthy for small samples and proportions near 0
 * or 1: 160 of 200 gives [0.7391, 0.8495], 0 of 5 gives [0, 0.4345].
 *
 * @param lower the lower bound, in [0, 1] or NaN
 * @param upper the upper bound, in [0, 1] or NaN
 */
public record ConfidenceInterval(double lower, double upper) {

    /** z for a 95% two-sided interval. */
    public static final double Z_95 = 1.96;

    /** The interval of a proportion with no trials. */
    public static final ConfidenceInterval UNDEFINED = new ConfidenceInterval(Double.NaN, Double.NaN);

    /**
     * The 95% Wilson score interval of {@code successes} out of {@code trials}.
     *
     * @param successes how many trials succeeded, 0 to {@code trials}
     * @param trials how many trials, at least 0
     * @return the interval; {@link #UNDEFINED} when {@code trials} is 0
     * @throws IllegalArgumentException if the counts are negative or successes exceed trials
     */
    public static ConfidenceInterval wilson(long successes, long trials) {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials, got " + successes + " of " + trials);
        }
        if (trials == 0) {
            return UNDEFINED;
        }
        double n = trials;
        double p = successes / n;
        double z2 = Z_95 * Z_95;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2 * n)) / denominator;
        double halfWidth = Z_95 * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        // At p = 0 (or 1) the lower (or upper) bound is exactly 0 (or 1), which rounding would miss.
        double lower = successes == 0 ? 0 : center - halfWidth;
        double upper = successes == trials ? 1 : center + halfWidth;
        return new ConfidenceInterval(lower, upper);
    }

    /** Whether the interval is defined (there were trials). */
    public boolean defined() {
        return !Double.isNaN(lower);
    }
}
