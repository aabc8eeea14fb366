package dev.modelfeedback.core.scores;

/**
 * One row of the reliability table: the scored items whose score fell in one
 * {@link CalibrationBins calibration bin}.
 *
 * @param lower the bin's lower bound, inclusive
 * @param upper the bin's upper bound (exclusive but for the last bin's 1)
 * @param n how many items
 * @param meanScore their mean score; NaN if there are none
 * @param observed the share of them that were positive (binary: actual 1; declared classes: the
 *     prediction was right); NaN if there are none
 */
public record ReliabilityBin(double lower, double upper, long n, double meanScore, double observed) {
}
