package dev.modelfeedback.core.drift;

import dev.modelfeedback.core.matrix.ConfusionTally;
import dev.modelfeedback.core.metrics.MeterGroup;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.window.WindowClock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A recorder's drift detectors, fed off the record path: {@link #offer} queues the error sample in
 * a lock-free {@link ErrorSampleBuffer} and, every {@value #DRAIN_EVERY} samples, drains it into
 * the detectors if no other thread is doing so ({@code tryLock}), as Caffeine drains its read
 * buffer. Recording never waits for a detector; a sample that finds its ring full (only when
 * recording outpaces the detectors for {@value #CAPACITY} samples) is dropped and counted in
 * {@code model_drift_samples_dropped_total}. Readers and the window clock's tick drain too, so
 * nothing stays queued for long when traffic stops.
 *
 * <p>Meters per detector: {@code model_drift_state} (0 stable, 1 warning, 2 drift),
 * {@code model_drift_detected_total}, {@code model_drift_warnings_total}.
 *
 * <p>Thread-safe.
 */
public final class DriftMonitor implements ErrorSampleBuffer.Sink {

    /** Samples queued at most per ring: 4 rings, 4 KiB per model. */
    static final int CAPACITY = 256;
    /** A drain is attempted every this many samples. */
    static final int DRAIN_EVERY = 32;

    /** The recorder's logger, where users look for a model's drift: the name, not the class, which is above this package. */
    private static final System.Logger LOG = System.getLogger("dev.modelfeedback.core.FeedbackRecorder");

    private final ModelId model;
    private final DriftDetector[] detectors;
    private final Tracked[] tracked;
    /** Each detector's state as the drainer last saw it; guarded by the drain lock, so read without fences. */
    private final DriftState[] states;
    private final ErrorSampleBuffer buffer = new ErrorSampleBuffer(CAPACITY);
    private final ReentrantLock drainLock = new ReentrantLock();
    private final LongAdder dropped = new LongAdder();
    private final DriftListener listener;
    private final WindowClock clock;
    private final Supplier<String> recentQuality;
    /** Samples fed to the detectors so far; guarded by the drain lock. */
    private long samples;
    /** Drains so far, and as seen at the last tick: the tick drains only when no one else has. */
    private volatile long drains;
    private long drainsAtLastTick;

    /** One detector's published state, read by meters and status without the lock. */
    private static final class Tracked {
        final String name;
        volatile DriftState state = DriftState.STABLE;
        volatile long detected;
        volatile long warnings;
        volatile long lastDriftAt = -1;
        volatile long lastDriftFeedback;

        Tracked(String name) {
            this.name = name;
        }
    }

    /**
     * @param recentQuality describes recent accuracy for the log line of a drift
     */
    public DriftMonitor(ModelId model, List<DriftDetector> detectors, DriftListener listener, WindowClock clock,
            Supplier<String> recentQuality) {
        this.model = model;
        this.detectors = detectors.toArray(new DriftDetector[0]);
        this.tracked = new Tracked[this.detectors.length];
        this.states = new DriftState[this.detectors.length];
        Arrays.fill(states, DriftState.STABLE);
        for (int i = 0; i < tracked.length; i++) {
            // A detector's name becomes a label value and appears in the log: the model name's rules.
            ModelId.requireValidLabel("drift detector name", this.detectors[i].name());
            tracked[i] = new Tracked(this.detectors[i].name());
        }
        this.listener = listener;
        this.clock = clock;
        this.recentQuality = recentQuality;
    }

    /** Queues one sample; on the record path. */
    public void offer(boolean error) {
        long position = buffer.offer(error);
        if (position < 0) {
            full(error);
        } else if ((position & (DRAIN_EVERY - 1)) == DRAIN_EVERY - 1) {
            tryDrain();
        }
    }

    /** Queues a batch's samples in item order. */
    public void offer(ConfusionTally tally) {
        long items = tally.total();
        for (long item = 0; item < items; item++) {
            boolean error = tally.isError(item);
            long position = buffer.offer(error);
            if (position < 0) {
                full(error);
            } else if ((position & (DRAIN_EVERY - 1)) == DRAIN_EVERY - 1) {
                tryDrain();
            }
        }
    }

    /** The buffer was full: drain it if no one else is, and offer once more before dropping. */
    private void full(boolean error) {
        tryDrain();
        if (buffer.offer(error) < 0) {
            dropped.increment();
        }
    }

    /** Drains the buffer unless another thread is draining it; never waits. */
    void tryDrain() {
        if (drainLock.tryLock()) {
            try {
                drainLocked();
            } finally {
                drainLock.unlock();
            }
        }
    }

    /**
     * The clock's tick, once a second: drains what traffic left queued, but only if no one drained
     * since the last tick, so that it never competes with threads that are recording.
     */
    public void tick() {
        long seen = drains;
        if (seen == drainsAtLastTick && buffer.hasPending()) {
            tryDrain();
        }
        drainsAtLastTick = drains;
    }

    /** Drains the buffer, waiting for a drain in progress: for readers, who want the latest state. */
    void drain() {
        drainLock.lock();
        try {
            drainAllLocked();
        } finally {
            drainLock.unlock();
        }
    }

    /** One bounded drain: at most what the buffer holds, so the draining thread soon gets back to its work. */
    private void drainLocked() {
        if (buffer.drain(this, ErrorSampleBuffer.STRIPES * CAPACITY) > 0) {
            drains++;
        }
    }

    /** Drains until nothing published is left: for readers, who want the latest state. */
    private void drainAllLocked() {
        while (buffer.drain(this, ErrorSampleBuffer.STRIPES * CAPACITY) > 0) {
            drains++;
        }
    }

    /** Feeds one sample to every detector; called under the drain lock, in queue order. */
    @Override
    public void accept(boolean error) {
        samples++;
        for (int i = 0; i < detectors.length; i++) {
            DriftState current = detectors[i].update(error);
            if (current != states[i]) {
                changed(tracked[i], states[i], current);
                states[i] = current;
            }
        }
    }

    private void changed(Tracked detector, DriftState previous, DriftState current) {
        long now = clock.millis();
        detector.state = current;
        if (current == DriftState.DRIFT) {
            detector.detected++;
            detector.lastDriftAt = now;
            detector.lastDriftFeedback = samples;
            LOG.log(Level.WARNING, () -> "drift detected by " + detector.name + " in model " + model.name()
                    + " version " + model.version() + " after " + samples + " feedbacks; " + recentQuality.get());
        } else if (current == DriftState.WARNING) {
            detector.warnings++;
        }
        try {
            listener.onChange(new DriftEvent(model, detector.name, previous, current, samples, Instant.ofEpochMilli(now)));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "a drift listener failed; recording goes on", e);
        }
    }

    /** Every detector's state, after draining what is queued. */
    public List<DriftStatus> statuses() {
        drain();
        List<DriftStatus> statuses = new ArrayList<>(tracked.length);
        for (Tracked detector : tracked) {
            long at = detector.lastDriftAt;
            statuses.add(new DriftStatus(detector.name, detector.state, detector.detected, detector.warnings,
                    at < 0 ? null : Instant.ofEpochMilli(at), detector.lastDriftFeedback));
        }
        return statuses;
    }

    private Tracked current(int index) {
        tryDrain();
        return tracked[index];
    }

    /** Samples dropped because the buffer was full. */
    long dropped() {
        return dropped.sum();
    }

    /** Samples fed to the detectors, after draining what is queued. */
    public long samples() {
        drain();
        drainLock.lock();
        try {
            return samples;
        } finally {
            drainLock.unlock();
        }
    }

    /** Registers the detectors' meters in the recorder's group: per detector its state, drifts and warnings. */
    public void register(MeterGroup meters) {
        for (int i = 0; i < tracked.length; i++) {
            int index = i;
            Tags tags = meters.tags().and("detector", tracked[i].name);
            // The gauge holds this monitor strongly, and with it what the counters read. Each read
            // first drains what is queued, without waiting, so a scrape sees the latest samples.
            meters.add(registry -> Gauge.builder("model.drift.state", this, m -> m.current(index).state.level())
                    .description("State of a drift detector on the model's error stream after its last sample:"
                            + " 0 stable, 1 warning, 2 drift.")
                    .tags(tags).strongReference(true).register(registry));
            meters.add(registry -> FunctionCounter.builder("model.drift.detected", this, m -> m.current(index).detected)
                    .description("Drifts signalled by a drift detector: significant rises in the model's error rate.")
                    .tags(tags).register(registry));
            meters.add(registry -> FunctionCounter.builder("model.drift.warnings", this, m -> m.current(index).warnings)
                    .description("Times a drift detector entered its warning zone (DDM and HDDM_A have one).")
                    .tags(tags).register(registry));
        }
        if (tracked.length > 0) {
            meters.add(registry -> FunctionCounter.builder("model.drift.samples.dropped", this, m -> m.dropped.sum())
                    .description("Feedback samples the drift detectors never saw because recording outpaced them"
                            + " and their buffer was full; the counts are unaffected.")
                    .tags(meters.tags()).register(registry));
        }
    }

    boolean isEmpty() {
        return detectors.length == 0;
    }
}
