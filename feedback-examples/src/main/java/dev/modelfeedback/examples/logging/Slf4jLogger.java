package dev.modelfeedback.examples.logging;

import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger (Jetty's, Lettuce's, Micrometer's) that writes to a {@link BoundedLog}.
 *
 * <p>Thread-safe.
 */
final class Slf4jLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    private final transient BoundedLog log;
    /*
     * Whether each level is enabled, decided once: the levels of a log never change, and Jetty asks
     * isDebugEnabled() many times per request (a fifth of a busy server's samples went to the
     * lookup before these fields).
     */
    private final boolean trace;
    private final boolean debug;
    private final boolean info;
    private final boolean warn;
    private final boolean error;

    Slf4jLogger(String name, BoundedLog log) {
        this.name = name;
        this.log = log;
        this.trace = log.isEnabled(name, Level.TRACE);
        this.debug = log.isEnabled(name, Level.DEBUG);
        this.info = log.isEnabled(name, Level.INFO);
        this.warn = log.isEnabled(name, Level.WARNING);
        this.error = log.isEnabled(name, Level.ERROR);
    }

    @Override
    public boolean isTraceEnabled() {
        return trace;
    }

    @Override
    public boolean isDebugEnabled() {
        return debug;
    }

    @Override
    public boolean isInfoEnabled() {
        return info;
    }

    @Override
    public boolean isWarnEnabled() {
        return warn;
    }

    @Override
    public boolean isErrorEnabled() {
        return error;
    }

    @Override
    protected @Nullable String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(org.slf4j.event.Level level, @Nullable Marker marker,
            @Nullable String messagePattern, Object @Nullable [] arguments, @Nullable Throwable throwable) {
        Level mapped = switch (level) {
            case TRACE -> Level.TRACE;
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARN -> Level.WARNING;
            case ERROR -> Level.ERROR;
        };
        log.log(name, mapped, MessageFormatter.basicArrayFormat(messagePattern, arguments), throwable);
    }
}
