package dev.modelfeedback.core.drift;

import java.util.Arrays;

/**
 * ADWIN, ADaptive WINdowing (Bifet and Gavaldà, 2007): keeps a window of recent samples, compressed
 * into an exponential histogram of buckets, and every {@code clock} samples looks for a cut into an
 * older and a newer part whose means differ by more than a bound that holds with confidence
 * {@code 1 - delta}; while one exists, the oldest bucket is dropped.
 *
 * <p>Finds both abrupt and gradual changes without a fixed window, with a rigorous false-alarm
 * bound; it costs the most of the four (a scan of the histogram every 32 samples) and reports at
 * most every 32 samples. Identical to river's {@code drift.ADWIN} (its Rust and last Cython
 * versions) with one deliberate difference: river's ADWIN is two-sided, and here a drift is
 * reported only when the first cut found has the higher error mean in the newer part. A cut on an
 * improvement still shrinks the window, silently, and the detector carries on with that window
 * instead of starting afresh. No warning zone.
 *
 * <p>Not thread-safe.
 */
public final class Adwin implements DriftDetector {

    /** river's default confidence parameter. */
    public static final double DEFAULT_DELTA = 0.002;
    /** river's default: look for a cut every 32 samples. */
    public static final int DEFAULT_CLOCK = 32;
    /** river's default: buckets per row of the histogram. */
    public static final int DEFAULT_MAX_BUCKETS = 5;
    /** river's default: the fewest samples on either side of a cut. */
    public static final int DEFAULT_MIN_WINDOW_LENGTH = 5;
    /** river's default: no cut is looked for while the window holds this many samples or fewer. */
    public static final int DEFAULT_GRACE_PERIOD = 10;

    /** See {@link #isCut}: how close a call must be for the square root to decide it. */
    private static final double ROUNDING_MARGIN = 1e-6;

    private final double delta;
    private final int clock;
    private final int maxBuckets;
    private final double minWindowLength;
    private final double gracePeriod;

    /*
     * The histogram: row r holds up to maxBuckets + 1 buckets of 2^r samples each, oldest first;
     * higher rows hold older samples. Each bucket keeps the sum of its samples and the sum of their
     * squared deviations from its mean.
     */
    private double[][] totals = new double[0][];
    private double[][] variances = new double[0][];
    private int[] counts = new int[0];
    private int rows;

    private double total;
    private double variance;
    private double width;
    private long tick;
    private DriftState state = DriftState.STABLE;

    /** ADWIN with river's defaults. */
    public Adwin() {
        this(DEFAULT_DELTA, DEFAULT_CLOCK, DEFAULT_MAX_BUCKETS, DEFAULT_MIN_WINDOW_LENGTH, DEFAULT_GRACE_PERIOD);
    }

    /**
     * @param delta the confidence parameter, in (0, 1): smaller means fewer false alarms and later detections
     * @param clock how many samples between looks for a cut, at least 1
     * @param maxBuckets buckets per row of the histogram, at least 2
     * @param minWindowLength the fewest samples on either side of a cut, at least 1
     * @param gracePeriod the window must hold more samples than this before a cut is looked for, at least 0
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public Adwin(double delta, int clock, int maxBuckets, int minWindowLength, int gracePeriod) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be between 0 and 1, got " + delta);
        }
        if (clock < 1) {
            throw new IllegalArgumentException("clock must be at least 1, got " + clock);
        }
        if (maxBuckets < 2) {
            throw new IllegalArgumentException("maxBuckets must be at least 2, got " + maxBuckets);
        }
        if (minWindowLength < 1) {
            throw new IllegalArgumentException("minWindowLength must be at least 1, got " + minWindowLength);
        }
        if (gracePeriod < 0) {
            throw new IllegalArgumentException("gracePeriod must be at least 0, got " + gracePeriod);
        }
        this.delta = delta;
        this.clock = clock;
        this.maxBuckets = maxBuckets;
        this.minWindowLength = minWindowLength;
        this.gracePeriod = gracePeriod;
        reset();
    }

    @Override
    public DriftState update(boolean error) {
        if (state == DriftState.DRIFT) {
            reset();
        }
        insert(error ? 1.0 : 0.0);
        state = cutFoundAnIncrease() ? DriftState.DRIFT : DriftState.STABLE;
        return state;
    }

    /** The number of samples in the window. */
    public long width() {
        return (long) width;
    }

    /** The mean of the window: its error rate; 0 when empty. */
    public double estimation() {
        return width > 0 ? total / width : 0;
    }

    @Override
    public DriftState state() {
        return state;
    }

    @Override
    public String name() {
        return "adwin";
    }

    private void insert(double value) {
        append(0, value, 0.0);
        width += 1.0;
        double increase = 0.0;
        if (width > 1.0) {
            double deviation = value - total / (width - 1.0);
            increase = (width - 1.0) * deviation * deviation / width;
        }
        variance += increase;
        total += value;
        compress();
    }

    /** Merges the two oldest buckets of every full row into one of the row above. */
    private void compress() {
        for (int row = 0; counts[row] == maxBuckets + 1; row++) {
            double size = (double) (1L << row);
            double t0 = totals[row][0];
            double t1 = totals[row][1];
            double mean0 = t0 / size;
            double mean1 = t1 / size;
            double merged = variances[row][0] + variances[row][1] + size * 0.5 * (mean0 - mean1) * (mean0 - mean1);
            append(row + 1, t0 + t1, merged);
            dropOldest(row, 2);
            if (counts[row + 1] <= maxBuckets) {
                break;
            }
        }
    }

    /**
     * Looks for cuts, oldest first, dropping the oldest bucket after each until none is left.
     * Returns whether the first cut found had the higher mean in the newer part.
     */
    private boolean cutFoundAnIncrease() {
        tick++;
        if (tick % clock != 0 || !(width > gracePeriod)) {
            return false;
        }
        int firstCut = 0; // -1: an improvement, +1: an increase
        boolean cutFound = true;
        while (cutFound) {
            cutFound = false;
            // Both depend only on the window, which changes only when a bucket is dropped.
            double deltaPrime = Math.log(2.0 * Math.log(width) / delta);
            double varianceOverWidth = variance / width;
            double n0 = 0;
            double n1 = width;
            double u0 = 0;
            double u1 = total;
            scan:
            for (int row = rows - 1; row >= 0; row--) {
                double size = (double) (1L << row);
                for (int k = 0; k < counts[row]; k++) {
                    n0 += size;
                    n1 -= size;
                    u0 += totals[row][k];
                    u1 -= totals[row][k];
                    if (row == 0 && k == counts[row] - 1) {
                        break scan; // the cut "everything | nothing" is never a cut
                    }
                    if (n1 >= minWindowLength && n0 >= minWindowLength) {
                        double meanDifference = u0 / n0 - u1 / n1;
                        if (isCut(n0, n1, meanDifference, deltaPrime, varianceOverWidth)) {
                            if (firstCut == 0) {
                                firstCut = meanDifference < 0 ? 1 : -1;
                            }
                            cutFound = true;
                            dropOldestSampleBucket();
                            break scan;
                        }
                    }
                }
            }
        }
        return firstCut > 0;
    }

    /**
     * Whether the means of the parts differ by more than ADWIN's bound, at confidence 1 - delta:
     * {@code |difference| > sqrt(2 h (variance / width) delta') + 2/3 delta' h}, with
     * {@code h = 1 / (n0 - minWindowLength + 1) + 1 / (n1 - minWindowLength + 1)} and
     * {@code delta' = ln(2 ln(width) / delta)}, evaluated as river evaluates it. The square root is
     * taken only for a close call: most candidates are decided by comparing squares, with a margin
     * (1e-6, relative) far beyond any rounding, and only where the square root term is not dwarfed
     * by the other.
     */
    private boolean isCut(double n0, double n1, double meanDifference, double deltaPrime, double varianceOverWidth) {
        double harmonic = 1.0 / (n0 - minWindowLength + 1) + 1.0 / (n1 - minWindowLength + 1);
        double underRoot = 2.0 * harmonic * varianceOverWidth * deltaPrime;
        double linear = 2.0 / 3.0 * deltaPrime * harmonic;
        double difference = Math.abs(meanDifference);
        if (difference <= linear) {
            return false; // the bound is at least its linear term
        }
        if (underRoot > 1e-12 * linear * linear) {
            double gap = difference - linear;
            double squared = gap * gap;
            if (squared > underRoot * (1 + ROUNDING_MARGIN)) {
                return true;
            }
            if (squared < underRoot * (1 - ROUNDING_MARGIN)) {
                return false;
            }
        }
        return difference > Math.sqrt(underRoot) + linear;
    }

    /** Drops the oldest bucket: the first of the top row. */
    private void dropOldestSampleBucket() {
        int last = rows - 1;
        double size = (double) (1L << last);
        double bucketTotal = totals[last][0];
        double mean = bucketTotal / size;
        width -= size;
        total -= bucketTotal;
        double windowMean = total / width;
        variance -= variances[last][0] + size * width * (mean - windowMean) * (mean - windowMean) / (size + width);
        dropOldest(last, 1);
        if (counts[last] == 0) {
            rows--;
        }
    }

    private void append(int row, double bucketTotal, double bucketVariance) {
        if (row == rows) {
            if (rows == counts.length) {
                int capacity = Math.max(4, rows * 2);
                totals = Arrays.copyOf(totals, capacity);
                variances = Arrays.copyOf(variances, capacity);
                counts = Arrays.copyOf(counts, capacity);
            }
            if (totals[row] == null) {
                totals[row] = new double[maxBuckets + 1];
                variances[row] = new double[maxBuckets + 1];
            }
            counts[row] = 0;
            rows++;
        }
        totals[row][counts[row]] = bucketTotal;
        variances[row][counts[row]] = bucketVariance;
        counts[row]++;
    }

    private void dropOldest(int row, int buckets) {
        int remaining = counts[row] - buckets;
        System.arraycopy(totals[row], buckets, totals[row], 0, remaining);
        System.arraycopy(variances[row], buckets, variances[row], 0, remaining);
        counts[row] = remaining;
    }

    private void reset() {
        rows = 0;
        total = 0;
        variance = 0;
        width = 0;
        tick = 0;
        state = DriftState.STABLE;
    }

    @Override
    public String toString() {
        return "Adwin[delta=" + delta + ", clock=" + clock + ", maxBuckets=" + maxBuckets + ", minWindowLength="
                + (long) minWindowLength + ", gracePeriod=" + (long) gracePeriod + "]";
    }
}
