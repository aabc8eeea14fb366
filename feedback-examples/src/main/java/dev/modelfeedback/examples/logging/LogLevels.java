package dev.modelfeedback.examples.logging;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The level from which each logger's records are written: a level for every logger, and levels of
 * their own for loggers whose names start with a prefix (the longest prefix wins, matched at a dot),
 * from the system properties {@value #ROOT_PROPERTY} and {@value #ROOT_PROPERTY}{@code .PREFIX}:
 * {@code -Dfeedback.log.level=DEBUG -Dfeedback.log.level.org.eclipse.jetty=INFO}.
 *
 * <p>Immutable and thread-safe.
 */
final class LogLevels {

    /** The system property with the level of every logger; {@code INFO} by default. */
    static final String ROOT_PROPERTY = "feedback.log.level";

    private final Level root;
    /** Prefix to level, for the longest match. */
    private final Map<String, Level> prefixes;
    private final Map<String, Level> resolved = new ConcurrentHashMap<>();

    /**
     * @param root the level of every logger without one of its own
     * @param prefixes levels of the loggers whose names start with a prefix
     */
    LogLevels(Level root, Map<String, Level> prefixes) {
        this.root = Objects.requireNonNull(root, "root");
        this.prefixes = Map.copyOf(prefixes);
    }

    /** {@code INFO} for every logger. */
    static final LogLevels INFO = new LogLevels(Level.INFO, Map.of());

    /**
     * The levels the system properties set.
     *
     * @throws IllegalArgumentException naming the property, if a value is not a level
     */
    static LogLevels from(Properties properties) {
        Level root = Level.INFO;
        Map<String, Level> prefixes = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.equals(ROOT_PROPERTY)) {
                root = parse(key, properties.getProperty(key));
            } else if (key.startsWith(ROOT_PROPERTY + ".") && key.length() > ROOT_PROPERTY.length() + 1) {
                prefixes.put(key.substring(ROOT_PROPERTY.length() + 1), parse(key, properties.getProperty(key)));
            }
        }
        return new LogLevels(root, prefixes);
    }

    private static Level parse(String key, String value) {
        return switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARN", "WARNING" -> Level.WARNING;
            case "ERROR" -> Level.ERROR;
            case "OFF" -> Level.OFF;
            default -> throw new IllegalArgumentException(key + " must be TRACE, DEBUG, INFO, WARN, ERROR or OFF, got '"
                    + value + "'");
        };
    }

    /** The level from which {@code logger}'s records are written. */
    Level threshold(String logger) {
        Level cached = resolved.get(logger);
        if (cached != null) {
            return cached;
        }
        Level level = root;
        int longest = -1;
        for (Map.Entry<String, Level> prefix : prefixes.entrySet()) {
            String p = prefix.getKey();
            boolean matches = logger.equals(p) || (logger.startsWith(p) && logger.charAt(p.length()) == '.');
            if (matches && p.length() > longest) {
                level = prefix.getValue();
                longest = p.length();
            }
        }
        if (resolved.size() < BoundedLog.MAX_LOGGERS) {
            resolved.put(logger, level);
        }
        return level;
    }

    /** Whether {@code logger}'s records at {@code level} are written. */
    boolean isEnabled(String logger, Level level) {
        Level threshold = threshold(logger);
        return threshold != Level.OFF && level != Level.OFF && level.getSeverity() >= threshold.getSeverity();
    }

    /** The level of every logger without one of its own. */
    Level root() {
        return root;
    }

    /** The levels of the loggers whose names start with a prefix. */
    Map<String, Level> prefixes() {
        return prefixes;
    }
}
