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

    Slf4jLogger(String name, BoundedLog log) {
        this.name = name;
        this.log = log;
    }

    @Override
    public boolean isTraceEnabled() {
        return log.isEnabled(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return log.isEnabled(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return log.isEnabled(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return log.isEnabled(name, Level.WARNING);
    }

    @Override
    public boolean isErrorEnabled() {
        return log.isEnabled(name, Level.ERROR);
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
