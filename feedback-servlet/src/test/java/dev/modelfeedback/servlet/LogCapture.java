package dev.modelfeedback.servlet;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what one logger writes through {@code System.Logger}, which the JDK routes to
 * {@code java.util.logging} when no other backend is installed (as in these tests). Close to stop.
 */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final Level previousLevel;
    private final boolean previousUseParentHandlers;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture(Class<?> owner) {
        logger = Logger.getLogger(owner.getName());
        previousLevel = logger.getLevel();
        previousUseParentHandlers = logger.getUseParentHandlers();
        // Captured, not printed: an expected warning is no news to the reader of a build.
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /** The messages logged so far, at {@code level} (DEBUG is {@code FINE}). */
    List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
    }

    /** The records logged so far. */
    List<LogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previousLevel);
        logger.setUseParentHandlers(previousUseParentHandlers);
    }
}
