package dev.modelfeedback.core.drift.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test-only oracle for the four drift detectors, written independently of the production code so
 * that the two can be compared update for update.
 *
 * <p>Each detector is a direct transcription of its published algorithm, with the parameters,
 * comparisons, reset rule and floating-point operation order of the river library (0.25/0.26), so
 * that river's own published detection indexes are reproduced exactly:
 * <ul>
 *   <li>{@code ddm}: DDM, Gama, Medas, Castillo and Rodrigues, "Learning with Drift Detection",
 *       SBIA 2004; river {@code drift.binary.DDM(warm_start=30, warning_threshold=2,
 *       drift_threshold=3)}.</li>
 *   <li>{@code hddm_a}: HDDM_A, Frías-Blanco et al., "Online and non-parametric drift detection
 *       methods based on Hoeffding's bounds", IEEE TKDE 2015; river {@code drift.binary.HDDMA(
 *       drift_confidence=0.001, warning_confidence=0.005, two_sided_test=False)}.</li>
 *   <li>{@code adwin}: ADWIN, Bifet and Gavaldà, "Learning from Time-Changing Data with Adaptive
 *       Windowing", SDM 2007, with the exponential histogram of river's native
 *       {@code AdaptiveWindowing}; river {@code drift.ADWIN(delta=0.002, clock=32, max_buckets=5,
 *       min_window_length=5, grace_period=10)}, with one deliberate difference (see
 *       {@link Adwin}).</li>
 *   <li>{@code page_hinkley}: the Page-Hinkley test, Page, "Continuous Inspection Schemes",
 *       Biometrika 1954, in river's faded form {@code drift.PageHinkley(min_instances=30,
 *       delta=0.005, threshold=50, alpha=1-0.0001, mode="up")}.</li>
 * </ul>
 *
 * <p>Every detector reads one boolean per update, {@code true} meaning the prediction was wrong,
 * fed as 1.0 (error) or 0.0. The state after an update is {@code 'D'} when the update reports
 * drift, else {@code 'W'} when it reports a warning (DDM and HDDM_A only), else {@code 'S'}. As in
 * river, a detector that reported drift is rebuilt from scratch at the start of its next update,
 * so the drifting update itself still shows the state that led to the detection.
 */
public final class ReferenceDetectors {

    /** The detector names accepted by {@link #run}, in the order of the vector files. */
    public static final List<String> NAMES = List.of("ddm", "hddm_a", "adwin", "page_hinkley");

    public static final char STABLE = 'S';
    public static final char WARNING = 'W';
    public static final char DRIFT = 'D';

    private ReferenceDetectors() {
    }

    /**
     * Runs a fresh detector over a stream.
     *
     * @param detector one of {@link #NAMES}
     * @param errors one entry per update, {@code true} for an error
     * @return one state character per update
     */
    public static String run(String detector, boolean[] errors) {
        Detector d = create(detector);
        StringBuilder states = new StringBuilder(errors.length);
        for (boolean error : errors) {
            states.append(d.update(error));
        }
        return states.toString();
    }

    /** A fresh detector by name; each call returns an independent instance. */
    static Detector create(String detector) {
        return switch (detector) {
            case "ddm" -> new Ddm();
            case "hddm_a" -> new HddmA();
            case "adwin" -> new Adwin();
            case "page_hinkley" -> new PageHinkley();
            default -> throw new IllegalArgumentException("unknown detector: " + detector);
        };
    }

    /** One detector: consumes an update and returns the state after it. */
    interface Detector {
        char update(boolean error);
    }

    private static double value(boolean error) {
        return error ? 1.0 : 0.0;
    }

    private static char state(boolean drift, boolean warning) {
        return drift ? DRIFT : warning ? WARNING : STABLE;
    }

    /**
     * river's incremental mean. The count is a double and the step is "divide, then multiply",
     * because that rounding is what river's published indexes were produced with.
     */
    private static final class Mean {
        double n;
        double mean;

        void add(double x) {
            n += 1.0;
            mean += (1.0 / n) * (x - mean);
        }

        Mean copy() {
            Mean m = new Mean();
            m.n = n;
            m.mean = mean;
            return m;
        }
    }

    /**
     * DDM (Gama et al. 2004): tracks the error rate p and its binomial standard deviation s, keeps
     * the (p, s) at which p + s was lowest, and warns or drifts when p + s exceeds that minimum by
     * 2 or 3 minimum deviations.
     */
    static final class Ddm implements Detector {
        // Strictly more than 30 updates, as in river: the first evaluated update is the 31st after a reset.
        private static final double WARM_START = 30;
        private static final double WARNING_LEVEL = 2.0;
        private static final double DRIFT_LEVEL = 3.0;

        private Mean p;
        private double pMin;
        private double sMin;
        private double psMin;
        private boolean warning;
        private boolean drift;

        Ddm() {
            reset();
        }

        private void reset() {
            p = new Mean();
            pMin = Double.POSITIVE_INFINITY;
            sMin = Double.POSITIVE_INFINITY;
            psMin = Double.POSITIVE_INFINITY;
            warning = false;
            drift = false;
        }

        @Override
        public char update(boolean error) {
            if (drift) {
                reset();
            }
            p.add(value(error));
            double pi = p.mean;
            double n = p.n;
            double si = Math.sqrt(pi * (1 - pi) / n);
            // Before the warm-up ends neither flag is touched; both are false after a reset.
            if (n > WARM_START) {
                // "<=" lets a tie refresh the minimum; the minimum is updated before the tests,
                // so an update that sets a new minimum is compared with itself.
                if (pi + si <= psMin) {
                    pMin = pi;
                    sMin = si;
                    psMin = pMin + sMin;
                }
                warning = pi + si > pMin + WARNING_LEVEL * sMin;
                if (pi + si > pMin + DRIFT_LEVEL * sMin) {
                    drift = true;
                    warning = false;
                }
            }
            return state(drift, warning);
        }
    }

    /**
     * HDDM_A (Frías-Blanco et al. 2015), one-sided: compares the mean of the whole stream with the
     * mean of a prefix chosen where the Hoeffding upper bound of the prefix was lowest, and reports
     * an increase when the difference passes the Hoeffding bound for the two sample sizes.
     *
     * <p>The two-sided variant also tracks a prefix for decreases; with the one-sided test that
     * prefix never influences the result, so it is left out.
     */
    static final class HddmA implements Detector {
        private static final double DRIFT_CONFIDENCE = 0.001;
        private static final double WARNING_CONFIDENCE = 0.005;

        /** Global mean since the last reset. */
        private Mean z;
        /** Snapshot of {@code z} at the cut point for detecting an increase. */
        private Mean cut;
        private boolean warning;
        private boolean drift;

        HddmA() {
            reset();
        }

        private void reset() {
            z = new Mean();
            cut = new Mean();
            warning = false;
            drift = false;
        }

        // river always bounds the cut-point choice with the drift confidence, also for warnings.
        private static double hoeffding(double n) {
            return Math.sqrt(1.0 / (2 * n) * Math.log(1.0 / DRIFT_CONFIDENCE));
        }

        @Override
        public char update(boolean error) {
            if (drift) {
                reset();
            }
            z.add(value(error));
            if (cut.n == 0) {
                cut = z.copy();
            }
            if (cut.mean + hoeffding(cut.n) >= z.mean + hoeffding(z.n)) {
                cut = z.copy();
            }
            if (increased(DRIFT_CONFIDENCE)) {
                drift = true;
                warning = false;
            } else {
                drift = false;
                warning = increased(WARNING_CONFIDENCE);
            }
            return state(drift, warning);
        }

        private boolean increased(double confidence) {
            if (cut.n == z.n) {
                return false;
            }
            double m = (z.n - cut.n) / cut.n * (1.0 / z.n);
            double epsilon = Math.sqrt(m / 2 * Math.log(2.0 / confidence));
            return z.mean - cut.mean >= epsilon;
        }
    }

    /**
     * Page-Hinkley (Page 1954) as river computes it for {@code mode="up"}: a faded cumulative sum
     * of the deviations from the running mean, less a tolerance, and a drift when the sum rises
     * more than the threshold above its lowest value.
     */
    static final class PageHinkley implements Detector {
        private static final double MIN_INSTANCES = 30;
        private static final double DELTA = 0.005;
        private static final double THRESHOLD = 50.0;
        // Written as river writes it, so the constant has the same rounding.
        private static final double ALPHA = 1 - 0.0001;

        private Mean mean;
        private double sum;
        private double minSum;
        private boolean drift;

        PageHinkley() {
            reset();
        }

        private void reset() {
            mean = new Mean();
            sum = 0.0;
            minSum = Double.POSITIVE_INFINITY;
            drift = false;
        }

        @Override
        public char update(boolean error) {
            if (drift) {
                reset();
            }
            double x = value(error);
            mean.add(x);
            // The deviation is taken from the mean that already includes x.
            sum = ALPHA * sum + (x - mean.mean) - DELTA;
            if (sum < minSum) {
                minSum = sum;
            }
            // Below the minimum count the flag is not assigned; it is false after a reset.
            if (mean.n >= MIN_INSTANCES) {
                drift = sum - minSum > THRESHOLD;
            }
            return state(drift, false);
        }
    }

    /**
     * ADWIN (Bifet and Gavaldà 2007) with river's defaults: every 32nd update, once the window is
     * wider than 10, every split of the window into an older part W0 and a newer part W1 is tested,
     * oldest split first, and while some split passes, the oldest bucket is dropped and the scan
     * starts again.
     *
     * <p>The deliberate difference from river: only an increase of the error rate is a drift. The
     * sign of the first successful split of the update decides. If W1 has the higher mean the
     * update reports drift and, as in river, the next update starts from an empty window. If W0 has
     * the higher mean (an improvement) the buckets are still dropped exactly as in river, but the
     * update reports no drift and the shrunk window is kept.
     */
    static final class Adwin implements Detector {
        private Window window = new Window();
        private boolean drift;

        @Override
        public char update(boolean error) {
            if (drift) {
                window = new Window();
            }
            window.add(value(error));
            drift = window.cutFound && window.firstCutDeltaMean < 0;
            return state(drift, false);
        }

        /** The number of updates the window summarises, for tests of the reset rule. */
        double width() {
            return window.width;
        }
    }

    /**
     * The ADWIN window as an exponential histogram: row i holds up to {@code MAX_BUCKETS} buckets
     * of 2^i updates each (one more transiently, before a merge), row 0 the newest and, within a
     * row, entry 0 the oldest. The window's sum, width and sum of squared deviations are kept
     * incrementally, in river's operation order.
     */
    private static final class Window {
        private static final double DELTA = 0.002;
        private static final int CLOCK = 32;
        private static final int MAX_BUCKETS = 5;
        private static final double MIN_WINDOW_LENGTH = 5;
        private static final double GRACE_PERIOD = 10;

        private final List<Row> rows = new ArrayList<>();
        private double total;
        /** Sum of squared deviations from the mean, not divided by the width. */
        private double variance;
        private double width;
        private int tick;

        /** Whether the last {@link #add} found a split, and the sign data of its first one. */
        boolean cutFound;
        double firstCutDeltaMean;

        Window() {
            rows.add(new Row());
        }

        void add(double x) {
            insert(x);
            detect();
        }

        private void insert(double x) {
            rows.get(0).append(x, 0.0);
            width += 1.0;
            // Welford's update, against the mean before x is added.
            if (width > 1.0) {
                double d = x - total / (width - 1.0);
                variance += (width - 1.0) * d * d / width;
            }
            total += x;
            compress();
        }

        /** Merges the two oldest buckets of every full row into one bucket of the next row. */
        private void compress() {
            for (int i = 0; rows.get(i).size == MAX_BUCKETS + 1; i++) {
                Row row = rows.get(i);
                double n = bucketSize(i);
                double t0 = row.totals[0];
                double t1 = row.totals[1];
                double mu0 = t0 / n;
                double mu1 = t1 / n;
                // The parallel-variance term n0*n1*(mu0-mu1)^2/(n0+n1) with n0 == n1 == n.
                double v = row.variances[0] + row.variances[1] + n * 0.5 * (mu0 - mu1) * (mu0 - mu1);
                if (i + 1 == rows.size()) {
                    rows.add(new Row());
                }
                rows.get(i + 1).append(t0 + t1, v);
                row.dropOldest(2);
                if (rows.get(i + 1).size <= MAX_BUCKETS) {
                    break;
                }
            }
        }

        /** Removes the oldest bucket, which is the first of the last row. */
        private void deleteOldest() {
            int last = rows.size() - 1;
            Row row = rows.get(last);
            double n = bucketSize(last);
            double u = row.totals[0];
            double mu = u / n;
            width -= n;
            total -= u;
            double muWindow = total / width;
            variance -= row.variances[0] + n * width * (mu - muWindow) * (mu - muWindow) / (n + width);
            row.dropOldest(1);
            if (row.size == 0) {
                rows.remove(last);
            }
        }

        private void detect() {
            cutFound = false;
            firstCutDeltaMean = 0.0;
            tick++;
            if (tick % CLOCK != 0 || !(width > GRACE_PERIOD)) {
                return;
            }
            while (scanAndDrop()) {
                // Each successful scan dropped one bucket; scan the shrunk window again.
            }
        }

        /**
         * Tests the splits oldest first; at the first that passes, drops the oldest bucket and
         * returns true. The split that would leave W1 empty is never tested.
         */
        private boolean scanAndDrop() {
            double n0 = 0;
            double n1 = width;
            double u0 = 0;
            double u1 = total;
            for (int i = rows.size() - 1; i >= 0; i--) {
                Row row = rows.get(i);
                double size = bucketSize(i);
                for (int k = 0; k < row.size; k++) {
                    n0 += size;
                    n1 -= size;
                    u0 += row.totals[k];
                    u1 -= row.totals[k];
                    if (i == 0 && k == row.size - 1) {
                        return false;
                    }
                    double deltaMean = u0 / n0 - u1 / n1;
                    if (n1 >= MIN_WINDOW_LENGTH && n0 >= MIN_WINDOW_LENGTH && cutPasses(n0, n1, deltaMean)) {
                        if (!cutFound) {
                            cutFound = true;
                            firstCutDeltaMean = deltaMean;
                        }
                        deleteOldest();
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * The ADWIN bound with the whole window's variance, as river and MOA compute it: the
         * paper's delta' = delta / ln(width) enters as ln(2 ln(width) / delta), and the minimum
         * sub-window length is taken off both harmonic terms.
         */
        private boolean cutPasses(double n0, double n1, double deltaMean) {
            double deltaPrime = Math.log(2 * Math.log(width) / DELTA);
            double mRecip = 1.0 / (n0 - MIN_WINDOW_LENGTH + 1) + 1.0 / (n1 - MIN_WINDOW_LENGTH + 1);
            double epsilon = Math.sqrt(2 * mRecip * (variance / width) * deltaPrime)
                    + 2.0 / 3.0 * deltaPrime * mRecip;
            return Math.abs(deltaMean) > epsilon;
        }

        private static double bucketSize(int row) {
            return (double) (1L << row);
        }
    }

    /** One row of the histogram: bucket sums and squared-deviation sums, oldest first. */
    private static final class Row {
        final double[] totals = new double[Window.MAX_BUCKETS + 1];
        final double[] variances = new double[Window.MAX_BUCKETS + 1];
        int size;

        void append(double total, double variance) {
            totals[size] = total;
            variances[size] = variance;
            size++;
        }

        void dropOldest(int count) {
            int remaining = size - count;
            System.arraycopy(totals, count, totals, 0, remaining);
            System.arraycopy(variances, count, variances, 0, remaining);
            Arrays.fill(totals, remaining, size, 0.0);
            Arrays.fill(variances, remaining, size, 0.0);
            size = remaining;
        }
    }
}
