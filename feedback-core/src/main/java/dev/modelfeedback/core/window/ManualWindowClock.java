package dev.modelfeedback.core.window;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link WindowClock} for tests: it shows one instant until advanced, and closes every boundary
 * passed as it advances, so windows are exact.
 *
 * <pre>{@code
 * ManualWindowClock clock = WindowClock.manual(Instant.parse("2026-01-01T00:00:00Z"));
 * FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).build();
 * recorder.record(1, 1);
 * clock.advance(Duration.ofMinutes(6));   // the feedback has left the 5-minute window
 * }</pre>
 *
 * <p>Thread-safe. It holds its windows strongly: a test clock lives no longer than its test.
 */
public final class ManualWindowClock extends WindowClock {

    private final List<SlidingWindows> registered = new ArrayList<>();
    private long millis;

    ManualWindowClock(Instant start) {
        this.millis = Objects.requireNonNull(start, "start").toEpochMilli();
    }

    @Override
    public synchronized long millis() {
        return millis;
    }

    /**
     * Moves time forward and closes the boundaries passed. Everything recorded since the last
     * advance happened at the time the clock showed, before any boundary it now passes: a capture
     * taken just before the move makes every window exact.
     *
     * @param duration how far, zero or more
     * @throws IllegalArgumentException if the duration is negative
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a manual clock only moves forward, got " + duration);
        }
        // Outside this clock's lock: a tick takes the windows' lock, and reads take it before ours.
        registered().forEach(SlidingWindows::tick);
        synchronized (this) {
            millis = Math.addExact(millis, duration.toMillis());
        }
        registered().forEach(SlidingWindows::tick);
    }

    private synchronized List<SlidingWindows> registered() {
        return List.copyOf(registered);
    }

    @Override
    synchronized void register(SlidingWindows windows) {
        registered.add(windows);
    }

    @Override
    synchronized void unregister(SlidingWindows windows) {
        registered.remove(windows);
    }
}
