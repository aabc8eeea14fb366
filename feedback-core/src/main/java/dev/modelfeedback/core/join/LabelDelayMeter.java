package dev.modelfeedback.core.join;

import dev.modelfeedback.core.metrics.MeterGroup;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code feedback_label_delay_seconds} of one model (a histogram with the buckets of
 * {@link LabelDelay#BUCKETS}, registered at 0), and the same counts kept here for
 * {@link LabelDelay}, whatever kind of registry the meter lives in (a step registry would reset
 * its own).
 *
 * <p>Thread-safe; {@link #record} takes no lock.
 */
public final class LabelDelayMeter {

    private static final long[] BOUNDS_MILLIS = LabelDelay.BUCKETS.stream().mapToLong(Duration::toMillis).toArray();

    private final LongAdder[] buckets = new LongAdder[BOUNDS_MILLIS.length + 1];
    private final Timer timer;
    private volatile long lastJoinMillis = -1;

    public LabelDelayMeter(MeterGroup meters) {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
        this.timer = meters.add(registry -> Timer.builder("feedback.label.delay")
                .description("Time from a prediction's arrival in the pending store to the arrival of the actual value"
                        + " that joined it (to the second): how late the labels come.")
                .tags(meters.tags())
                .serviceLevelObjectives(LabelDelay.BUCKETS.toArray(new Duration[0]))
                .register(registry));
    }

    /**
     * Counts one join.
     *
     * @param delayMillis how long the prediction waited
     * @param nowMillis when the actual value joined it
     */
    public void record(long delayMillis, long nowMillis) {
        int bucket = 0;
        while (bucket < BOUNDS_MILLIS.length && delayMillis > BOUNDS_MILLIS[bucket]) {
            bucket++;
        }
        buckets[bucket].increment();
        timer.record(delayMillis, TimeUnit.MILLISECONDS);
        lastJoinMillis = nowMillis;
    }

    public LabelDelay snapshot() {
        long[] counts = new long[buckets.length];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
            total += counts[i];
        }
        long last = lastJoinMillis;
        if (total == 0) {
            return LabelDelay.NONE;
        }
        return new LabelDelay(total, LabelDelay.quantile(0.5, counts), LabelDelay.quantile(0.9, counts),
                last < 0 ? null : Instant.ofEpochMilli(last));
    }
}
