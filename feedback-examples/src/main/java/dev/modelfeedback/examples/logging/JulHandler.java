package dev.modelfeedback.examples.logging;

import java.lang.System.Logger.Level;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Hands {@code java.util.logging} records (and so {@code System.Logger}'s, model-feedback's own) to
 * a {@link BoundedLog}.
 *
 * <p>Thread-safe.
 */
final class JulHandler extends Handler {

    /** Only for {@link Formatter#formatMessage}: parameters and resource bundles, no layout. */
    private final Formatter messages = new SimpleFormatter();
    private final BoundedLog log;

    JulHandler(BoundedLog log) {
        this.log = log;
        setLevel(java.util.logging.Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
        log.log(logger, level(record.getLevel()), messages.formatMessage(record), record.getThrown());
    }

    /** The level a {@code java.util.logging} level stands for, as {@code System.Logger} maps them. */
    static Level level(java.util.logging.Level jul) {
        int value = jul.intValue();
        if (value >= java.util.logging.Level.SEVERE.intValue()) {
            return Level.ERROR;
        }
        if (value >= java.util.logging.Level.WARNING.intValue()) {
            return Level.WARNING;
        }
        if (value >= java.util.logging.Level.INFO.intValue()) {
            return Level.INFO;
        }
        if (value >= java.util.logging.Level.FINE.intValue()) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }

    /** The {@code java.util.logging} level from which records of {@code level} pass. */
    static java.util.logging.Level jul(Level level) {
        return switch (level) {
            case ALL -> java.util.logging.Level.ALL;
            case TRACE -> java.util.logging.Level.FINER;
            case DEBUG -> java.util.logging.Level.FINE;
            case INFO -> java.util.logging.Level.INFO;
            case WARNING -> java.util.logging.Level.WARNING;
            case ERROR -> java.util.logging.Level.SEVERE;
            case OFF -> java.util.logging.Level.OFF;
        };
    }

    @Override
    public void flush() {
        // BoundedLog flushes every record it writes.
    }

    @Override
    public void close() {
        // The stream is the process's; it stays open.
    }
}
