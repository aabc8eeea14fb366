package dev.modelfeedback.core.join;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How long a model's predictions waited for their actual values: the time from a prediction's
 * arrival in the pending store to the arrival of the actual value that joined it, over every join
 * since the recorder was built. A label pipeline that stalls shows here (the last join grows old,
 * pending predictions pile up) while the quality metrics still look healthy.
 *
 * <p>The median and the 90th percentile are read from the histogram's buckets ({@link #BUCKETS}) by
 * linear interpolation within the bucket that holds them, as PromQL's {@code histogram_quantile}
 * reads {@code feedback_label_delay_seconds}: the page and Prometheus agree. A quantile past the last
 * bound is that bound. Only feedback joined by id has a delay; complete feedback has none.
 *
 * @param count joins measured
 * @param medianSeconds the median delay in seconds; NaN without joins
 * @param p90Seconds the 90th percentile in seconds; NaN without joins
 * @param lastJoinAt when the last actual value joined its prediction, or {@code null} if none did
 */
public record LabelDelay(long count, double medianSeconds, double p90Seconds, @Nullable Instant lastJoinAt) {

    /** The upper bounds of the histogram's buckets, from a second to a month; the last bucket is unbounded. */
    public static final List<Duration> BUCKETS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(10),
            Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1),
            Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(2),
            Duration.ofDays(3), Duration.ofDays(7), Duration.ofDays(14), Duration.ofDays(30));

    /** No join yet. */
    public static final LabelDelay NONE = new LabelDelay(0, Double.NaN, Double.NaN, null);

    /**
     * The quantile {@code q} of a histogram of {@link #BUCKETS}, as {@code histogram_quantile} reads it.
     *
     * @param q the quantile, 0 to 1
     * @param counts the count of each bucket (not cumulative), {@code BUCKETS.size() + 1} of them,
     *     the last one past the last bound
     * @return the quantile in seconds; NaN if the counts are all 0
     */
    static double quantile(double q, long[] counts) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < BUCKETS.size(); i++) {
            long inBucket = counts[i];
            if (inBucket > 0 && below + inBucket >= rank) {
                double lower = i == 0 ? 0 : seconds(BUCKETS.get(i - 1));
                double upper = seconds(BUCKETS.get(i));
                return lower + (upper - lower) * (rank - below) / inBucket;
            }
            below += inBucket;
        }
        return seconds(BUCKETS.get(BUCKETS.size() - 1));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
