package dev.modelfeedback.core.window;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The time windows of one recorder. Recording costs nothing here: the recorder only counts its
 * lifetime matrix. At every bucket boundary each window keeps the lifetime counts of that moment in
 * a ring of {@value Window#BUCKETS} + 1 entries, and a window's counts are the live counts minus
 * those at its start. Memory is fixed whatever the traffic: {@value Window#BUCKETS} + 1 matrices
 * per window, about 5 KiB for a binary model and 270 KiB for one of 32 classes, and as many score
 * counts once a model has scored feedback (about 125 KiB per window for a binary model, 3.8 MiB for one
 * of 32 classes).
 *
 * <p>Boundaries are closed by the {@link WindowClock}'s ticks and by every read. A boundary keeps
 * the counts of the last capture taken at or before it, never after: if a tick comes late, the
 * feedback in between is counted as newer, so it stays in a window a little longer and never
 * leaves early.
 *
 * <pre>{@code
 * SlidingWindows windows = new SlidingWindows(List.of(Window.FIVE_MINUTES, Window.ONE_HOUR),
 *         WindowClock.system(), counter::counts);
 * List<WindowCounts> now = windows.counts(counter.snapshot());
 * }</pre>
 *
 * <p>Thread-safe: ticks and reads synchronize on this object; recording never does.
 */
public final class SlidingWindows {

    private final List<Window> windows;
    private final Ring[] rings;
    private final WindowClock clock;
    private final Supplier<FeedbackCounts> live;
    private final long createdAt;
    private final @Nullable Runnable onTick;
    private long lastCaptureAt;
    private FeedbackCounts lastCapture;

    /**
     * Creates the windows and registers them with the clock, which then closes their boundaries.
     *
     * @param windows the windows, none repeated; may be empty
     * @param clock the time the windows see
     * @param live reads the recorder's lifetime counts; zero now
     * @throws IllegalArgumentException if a window is repeated
     */
    public SlidingWindows(List<Window> windows, WindowClock clock, Supplier<FeedbackCounts> live) {
        this(windows, clock, live, null);
    }

    /**
     * As {@link #SlidingWindows(List, WindowClock, Supplier)}, with work to do at every tick of the
     * clock before the boundaries are closed (a recorder drains its drift detectors' buffer there).
     * With such work the windows are ticked even if there are none.
     *
     * @param onTick run at each tick, outside this object's lock, or {@code null}
     */
    public SlidingWindows(List<Window> windows, WindowClock clock, Supplier<FeedbackCounts> live,
            @Nullable Runnable onTick) {
        this.windows = List.copyOf(windows);
        if (this.windows.stream().distinct().count() != this.windows.size()) {
            throw new IllegalArgumentException("windows must not repeat, got " + this.windows);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.live = Objects.requireNonNull(live, "live");
        this.createdAt = clock.millis();
        this.lastCaptureAt = createdAt;
        this.lastCapture = live.get();
        this.rings = new Ring[this.windows.size()];
        for (int i = 0; i < rings.length; i++) {
            rings[i] = new Ring(this.windows.get(i).bucketWidth().toMillis(), createdAt, lastCapture);
        }
        this.onTick = onTick;
        if (rings.length > 0 || onTick != null) {
            clock.register(this);
        }
    }

    /** The windows, in the order given. */
    public List<Window> windows() {
        return windows;
    }

    /**
     * Every window's counts now.
     *
     * @param liveNow the recorder's lifetime counts, read just now
     * @return one entry per window, in the order of {@link #windows()}
     */
    public synchronized List<WindowCounts> counts(FeedbackCounts liveNow) {
        long now = advance(clock.millis(), liveNow);
        List<WindowCounts> counts = new ArrayList<>(rings.length);
        for (int i = 0; i < rings.length; i++) {
            Ring ring = rings[i];
            long startBoundary = Math.floorDiv(now, ring.width) - Window.BUCKETS;
            counts.add(new WindowCounts(windows.get(i), Instant.ofEpochMilli(ring.startOf(startBoundary, createdAt)),
                    Instant.ofEpochMilli(now), liveNow.minus(ring.at(startBoundary))));
        }
        return counts;
    }

    /**
     * One window's feedback bucket by bucket, oldest first: the closed buckets within its span
     * (none from before the windows were created) and the bucket now filling, which ends now.
     *
     * @param window one of {@link #windows()}
     * @param liveNow the recorder's lifetime counts, read just now
     * @return up to {@value Window#BUCKETS} + 1 entries
     * @throws IllegalArgumentException if {@code window} is not one of these windows
     */
    public synchronized List<WindowCounts> buckets(Window window, FeedbackCounts liveNow) {
        int index = windows.indexOf(window);
        if (index < 0) {
            throw new IllegalArgumentException("window " + window + " is not one of " + windows);
        }
        long now = advance(clock.millis(), liveNow);
        Ring ring = rings[index];
        long current = Math.floorDiv(now, ring.width);
        List<WindowCounts> buckets = new ArrayList<>(Window.BUCKETS + 1);
        for (long boundary = Math.max(current - Window.BUCKETS, ring.firstBoundary); boundary <= current; boundary++) {
            long start = ring.startOf(boundary, createdAt);
            long end = boundary == current ? now : (boundary + 1) * ring.width;
            FeedbackCounts after = boundary == current ? liveNow : ring.at(boundary + 1);
            buckets.add(new WindowCounts(window, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end),
                    after.minus(ring.at(boundary))));
        }
        return buckets;
    }

    /** Stops the clock's ticks for these windows; reads still work, closing boundaries as they go. */
    public void close() {
        clock.unregister(this);
    }

    /** Called by the clock: runs the tick's work, then closes the boundaries passed since the last capture. */
    void tick() {
        if (onTick != null) {
            onTick.run();
        }
        synchronized (this) {
            advance(clock.millis(), live.get());
        }
    }

    /** Closes the boundaries up to {@code now} and makes {@code liveNow} the last capture; returns now. */
    private long advance(long now, FeedbackCounts liveNow) {
        // A clock that goes back (an adjusted wall clock) is taken as standing still.
        long at = Math.max(now, lastCaptureAt);
        for (Ring ring : rings) {
            ring.close(at, liveNow, lastCapture);
        }
        lastCaptureAt = at;
        lastCapture = liveNow;
        return at;
    }

    /** The lifetime counts at one window's bucket boundaries, boundary k at k * width ms since the epoch. */
    private static final class Ring {

        private final long width;
        private final long firstBoundary;
        private final FeedbackCounts origin;
        private final FeedbackCounts[] slots = new FeedbackCounts[Window.BUCKETS + 1];
        private long lastBoundary;

        Ring(long width, long createdAt, FeedbackCounts origin) {
            this.width = width;
            this.firstBoundary = Math.floorDiv(createdAt, width);
            this.origin = origin;
            this.lastBoundary = firstBoundary;
        }

        /**
         * Closes every boundary up to {@code now}: one that falls exactly on {@code now} gets the
         * counts read now, the others the capture before (taken before they passed).
         */
        void close(long now, FeedbackCounts atNow, FeedbackCounts before) {
            long current = Math.floorDiv(now, width);
            // Older boundaries would be overwritten within this loop anyway.
            for (long boundary = Math.max(lastBoundary + 1, current - Window.BUCKETS); boundary <= current; boundary++) {
                slots[slot(boundary)] = boundary * width == now ? atNow : before;
            }
            lastBoundary = Math.max(lastBoundary, current);
        }

        /** The counts at a boundary within the ring, or the origin for one before the windows existed. */
        FeedbackCounts at(long boundary) {
            return boundary <= firstBoundary ? origin : slots[slot(boundary)];
        }

        /** When feedback counted from {@code boundary} on starts: the boundary, or creation if later. */
        long startOf(long boundary, long createdAt) {
            return boundary <= firstBoundary ? createdAt : boundary * width;
        }

        private static int slot(long boundary) {
            return (int) Math.floorMod(boundary, (long) Window.BUCKETS + 1);
        }
    }
}
