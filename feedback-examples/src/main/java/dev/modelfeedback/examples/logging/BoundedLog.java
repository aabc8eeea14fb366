package dev.modelfeedback.examples.logging;

import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where every log record of the example server ends up, Jetty's and ours alike: one line per
 * record (and a bounded stack trace), each line at most {@value #MAX_LINE_CODE_POINTS} code points,
 * and at most {@value #RECORDS_PER_WINDOW} records per logger in {@value #WINDOW_SECONDS} seconds.
 *
 * <p>Why: request input reaches log messages (Jetty warns about a bad {@code Host} header and
 * quotes it whole), so a client that sends many bad requests decides how fast the log grows and
 * what its lines say. Here a message is cut after {@value #MAX_MESSAGE_CODE_POINTS} code points
 * ({@code ... (7012 chars)} says how long it was), every character that could end a line or
 * disguise text is escaped as {@code \}{@code uXXXX}, and a logger that logs more than its share
 * of a window has the rest counted instead of written; one line per window then says how many were
 * suppressed ({@code 980 lines suppressed in 10 s}), at the next record of that logger, on
 * {@link #flushEndedWindows()}, or on {@link #flushAll()}.
 *
 * <pre>{@code
 * BoundedLog log = new BoundedLog(System.err, LogLevels.fromSystemProperties(), Clock.systemDefaultZone());
 * log.log("org.eclipse.jetty.util.HostPort", Level.WARNING, "Bad Authority: [a bXXXX...]", null);
 * }</pre>
 *
 * <p>Thread-safe: records are written whole, one at a time.
 */
final class BoundedLog {

    /** The most code points of a message written, escapes included. */
    static final int MAX_MESSAGE_CODE_POINTS = 300;
    /** The most code points of a logger's name written. */
    static final int MAX_LOGGER_CODE_POINTS = 100;
    /** The most code points of a thread's name written. */
    static final int MAX_THREAD_CODE_POINTS = 40;
    /** The longest line written: timestamp, level, logger, thread, message and the note of its cut. */
    static final int MAX_LINE_CODE_POINTS = 512;
    /** The most records a logger writes in one window. */
    static final int RECORDS_PER_WINDOW = 20;
    /** The length of a window, in seconds. */
    static final int WINDOW_SECONDS = 10;
    /** The most lines of a stack trace written under a record. */
    static final int MAX_TRACE_LINES = 30;
    /** Beyond this many loggers, the rest share one budget: logger names come from code, but bound them anyway. */
    static final int MAX_LOGGERS = 1_000;

    private static final long WINDOW_MILLIS = WINDOW_SECONDS * 1000L;
    private static final String SHARED_BUDGET = "(other loggers)";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final PrintStream out;
    private final LogLevels levels;
    private final Clock clock;
    private final DateTimeFormatter timestamps;
    private final Map<String, Budget> budgets = new HashMap<>();

    /** One logger's window: when it began, what it wrote, what it suppressed. */
    private static final class Budget {
        long windowStart;
        int written;
        int suppressed;
        Level worstSuppressed = Level.TRACE;

        Budget(long windowStart) {
            this.windowStart = windowStart;
        }
    }

    /**
     * @param out where lines go
     * @param levels which records are written at all
     * @param clock the time of each line and of the windows
     */
    BoundedLog(PrintStream out, LogLevels levels, Clock clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.levels = Objects.requireNonNull(levels, "levels");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timestamps = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(clock.getZone());
    }

    /** Whether a record of {@code logger} at {@code level} would be written (if its logger's budget allows). */
    boolean isEnabled(String logger, Level level) {
        return levels.isEnabled(logger, level);
    }

    /** The levels this log writes. */
    LogLevels levels() {
        return levels;
    }

    /**
     * Writes a record, if its level is enabled and its logger has budget left in this window.
     *
     * @param logger the logger's name
     * @param level the record's level
     * @param message the message, already formatted; may hold request input
     * @param thrown the failure to show under it, or {@code null}
     */
    void log(String logger, Level level, @Nullable String message, @Nullable Throwable thrown) {
        if (!levels.isEnabled(logger, level)) {
            return;
        }
        String thread = Thread.currentThread().getName();
        synchronized (budgets) {
            long now = clock.millis();
            String key = budgets.containsKey(logger) || budgets.size() < MAX_LOGGERS ? logger : SHARED_BUDGET;
            Budget budget = budgets.computeIfAbsent(key, k -> new Budget(now));
            if (now - budget.windowStart >= WINDOW_MILLIS) {
                endWindow(key, budget, now);
                budget.windowStart = now;
            }
            if (budget.written >= RECORDS_PER_WINDOW) {
                budget.suppressed++;
                if (level.getSeverity() > budget.worstSuppressed.getSeverity()) {
                    budget.worstSuppressed = level;
                }
                return;
            }
            budget.written++;
            StringBuilder lines = new StringBuilder(256);
            line(lines, now, level, logger, thread, String.valueOf(message));
            if (thrown != null) {
                trace(lines, thrown);
            }
            out.print(lines);
            out.flush();
        }
    }

    /** Writes the summary of every window that has ended with lines suppressed. */
    void flushEndedWindows() {
        synchronized (budgets) {
            long now = clock.millis();
            budgets.forEach((logger, budget) -> {
                if (budget.suppressed > 0 && now - budget.windowStart >= WINDOW_MILLIS) {
                    endWindow(logger, budget, now);
                    budget.windowStart = now;
                }
            });
        }
    }

    /** Writes the summary of every window with lines suppressed, ended or not: before the process exits. */
    void flushAll() {
        synchronized (budgets) {
            long now = clock.millis();
            budgets.forEach((logger, budget) -> {
                if (budget.suppressed > 0) {
                    endWindow(logger, budget, now);
                    budget.windowStart = now;
                }
            });
        }
    }

    /** Says what a window suppressed, if anything, and starts a new one. */
    private void endWindow(String logger, Budget budget, long now) {
        if (budget.suppressed > 0) {
            long seconds = Math.max(1, (now - budget.windowStart + 999) / 1000);
            StringBuilder summary = new StringBuilder(160);
            line(summary, now, budget.worstSuppressed, logger, Thread.currentThread().getName(),
                    budget.suppressed + " lines suppressed in " + seconds + " s (this logger writes at most "
                            + RECORDS_PER_WINDOW + " per " + WINDOW_SECONDS + " s)");
            out.print(summary);
            out.flush();
        }
        budget.written = 0;
        budget.suppressed = 0;
        budget.worstSuppressed = Level.TRACE;
    }

    private void line(StringBuilder to, long millis, Level level, String logger, String thread, String message) {
        to.append(timestamps.format(Instant.ofEpochMilli(millis))).append(':').append(name(level)).append(':');
        bounded(to, logger, MAX_LOGGER_CODE_POINTS, false);
        to.append(':');
        bounded(to, thread, MAX_THREAD_CODE_POINTS, false);
        to.append(": ");
        bounded(to, message, MAX_MESSAGE_CODE_POINTS, true);
        to.append('\n');
    }

    /** A stack trace of at most {@value #MAX_TRACE_LINES} lines, each as bounded as a message. */
    private static void trace(StringBuilder to, Throwable thrown) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int lines = 0;
        int omitted = 0;
        String heading = "  ";
        for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
            StackTraceElement[] frames = t.getStackTrace();
            if (lines < MAX_TRACE_LINES) {
                to.append(heading);
                bounded(to, String.valueOf(t), MAX_MESSAGE_CODE_POINTS, true);
                to.append('\n');
                lines++;
            } else {
                omitted++;
            }
            for (StackTraceElement frame : frames) {
                if (lines < MAX_TRACE_LINES) {
                    to.append("    at ");
                    bounded(to, frame.toString(), MAX_MESSAGE_CODE_POINTS, true);
                    to.append('\n');
                    lines++;
                } else {
                    omitted++;
                }
            }
            heading = "  Caused by: ";
        }
        if (omitted > 0) {
            to.append("    ... ").append(omitted).append(" more lines\n");
        }
    }

    private static String name(Level level) {
        return switch (level) {
            case ALL, TRACE -> "TRACE";
            case DEBUG -> "DEBUG";
            case INFO -> "INFO";
            case WARNING -> "WARN";
            case ERROR, OFF -> "ERROR";
        };
    }

    /**
     * Appends at most {@code max} code points of {@code text}, counting an escape as the six it
     * takes, and, if {@code noteCut}, says how long the text was when it is cut.
     */
    static void bounded(StringBuilder to, String text, int max, boolean noteCut) {
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            boolean unsafe = isUnsafe(c);
            int width = unsafe ? 6 : 1;
            if (used + width > max) {
                break;
            }
            if (unsafe) {
                to.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                        .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            } else {
                to.appendCodePoint(c);
            }
            used += width;
            i += Character.charCount(c);
        }
        if (i < text.length()) {
            to.append("...");
            if (noteCut) {
                to.append(" (").append(text.codePointCount(0, text.length())).append(" chars)");
            }
        }
    }

    /**
     * The characters that could end a line, forge one or make text read differently from how it is
     * stored: the same set as {@code dev.modelfeedback.core.model.Texts#escape} (a test holds them equal).
     */
    static boolean isUnsafe(int c) {
        return c < 0x20
                || (c >= 0x7f && c <= 0x9f)                  // DEL and the C1 controls, NEL (U+0085) among them
                || c == 0x2028 || c == 0x2029                // line and paragraph separators
                || c == 0x061c || c == 0x200e || c == 0x200f // bidi marks
                || (c >= 0x202a && c <= 0x202e)              // bidi embeddings and overrides
                || (c >= 0x2066 && c <= 0x2069)              // bidi isolates
                || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE); // a lone surrogate
    }
}
