package dev.modelfeedback.core.window;

import java.time.Instant;

/**
 * The time that {@link SlidingWindows} see, and what closes their bucket boundaries as it passes.
 *
 * <ul>
 *   <li>{@link #system()}: the wall clock. One shared daemon thread, {@code model-feedback-windows},
 *       closes the boundaries of every live set of windows once a second; it runs only while there
 *       are windows to tick and holds them weakly, so dropped recorders are collected.
 *   <li>{@link #manual(Instant)}: time moves only when a test says so, and every boundary passed
 *       is closed at once: windows become exact to the millisecond.
 * </ul>
 *
 * <p>Thread-safe.
 */
public abstract sealed class WindowClock permits SystemWindowClock, ManualWindowClock {

    WindowClock() {
    }

    /** The wall clock, ticked once a second by a shared daemon thread. */
    public static WindowClock system() {
        return SystemWindowClock.INSTANCE;
    }

    /**
     * A clock for tests, standing at {@code start} until {@linkplain ManualWindowClock#advance advanced}.
     *
     * @param start the time it shows
     * @return a new manual clock
     */
    public static ManualWindowClock manual(Instant start) {
        return new ManualWindowClock(start);
    }

    /** The current time, in milliseconds since the epoch. */
    public abstract long millis();

    /** The current time. */
    public Instant now() {
        return Instant.ofEpochMilli(millis());
    }

    /** Starts ticking {@code windows}. */
    abstract void register(SlidingWindows windows);

    /** Stops ticking {@code windows}. */
    abstract void unregister(SlidingWindows windows);
}
