package dev.modelfeedback.core.window;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A sliding time window, such as the last 5 minutes, kept as {@value #BUCKETS} buckets of equal
 * width: {@link #bucketWidth()} is its span / {@value #BUCKETS} (10 s for 5 minutes, 2 minutes for
 * an hour). It is the granularity with which feedback leaves the window: feedback is counted in a
 * window for at least its span and at most its span plus one bucket (plus up to one tick of the
 * {@linkplain WindowClock#system() system clock}, 1 s), never less.
 *
 * @param span how far back the window reaches: a whole number of 30 seconds, from 30 s to 30 days
 */
public record Window(Duration span) {

    /** The buckets of every window. */
    public static final int BUCKETS = 30;

    /** The shortest span: buckets of one second. */
    public static final Duration MIN_SPAN = Duration.ofSeconds(BUCKETS);

    /** The longest span. */
    public static final Duration MAX_SPAN = Duration.ofDays(30);

    /** The last 5 minutes. */
    public static final Window FIVE_MINUTES = new Window(Duration.ofMinutes(5));

    /** The last hour. */
    public static final Window ONE_HOUR = new Window(Duration.ofHours(1));

    /**
     * @throws IllegalArgumentException if the span is not a whole number of 30 seconds between
     *     30 s and 30 days
     */
    public Window {
        Objects.requireNonNull(span, "span");
        if (span.compareTo(MIN_SPAN) < 0 || span.compareTo(MAX_SPAN) > 0 || span.toMillis() % MIN_SPAN.toMillis() != 0) {
            throw new IllegalArgumentException("a window's span must be a whole number of 30 seconds from 30s to 30d, got "
                    + format(span));
        }
    }

    /**
     * A window of the given span.
     *
     * @param span the span
     * @return the window
     */
    public static Window of(Duration span) {
        return new Window(span);
    }

    /**
     * Windows of these spans, in order: what a recorder keeps.
     *
     * @param spans each a whole number of 30 seconds from 30 s to 30 days
     * @return the windows
     * @throws IllegalArgumentException if a span is out of range or given twice
     */
    public static List<Window> list(List<Duration> spans) {
        List<Window> windows = spans.stream().map(Window::of).toList();
        if (windows.stream().distinct().count() != windows.size()) {
            throw new IllegalArgumentException("windows must not repeat, got " + windows);
        }
        return windows;
    }

    /** The width of one bucket: the span / {@value #BUCKETS}. */
    public Duration bucketWidth() {
        return span.dividedBy(BUCKETS);
    }

    /** The window's name, the span in the largest whole unit: {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}. */
    public String name() {
        return format(span);
    }

    private static String format(Duration span) {
        long seconds = span.getSeconds();
        if (span.getNano() != 0 || seconds == 0) {
            return span.toString();
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    @Override
    public String toString() {
        return name();
    }
}
