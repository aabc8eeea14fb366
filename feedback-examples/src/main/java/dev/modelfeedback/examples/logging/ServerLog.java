package dev.modelfeedback.examples.logging;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The example server's log: SLF4J (Jetty, Lettuce, Micrometer) and {@code java.util.logging}
 * (model-feedback's {@code System.Logger}) both written through one {@link BoundedLog} to standard
 * error, so that no request can make a line long or the log fast.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     ServerLog.install();   // before anything logs
 *     ...
 * }
 * }</pre>
 *
 * <p>Levels come from system properties: {@code -Dfeedback.log.level=DEBUG}, or for some loggers
 * only, {@code -Dfeedback.log.level.dev.modelfeedback=DEBUG}. An {@code slf4j.provider} the user
 * set is left as it is.
 *
 * <p>Thread-safe.
 */
public final class ServerLog {

    private static final Object LOCK = new Object();
    private static @Nullable BoundedLog log;
    private static boolean installed;
    /** {@code java.util.logging} holds its loggers weakly: a level set on a collected one would be lost. */
    private static final List<Logger> CONFIGURED = new ArrayList<>();

    private ServerLog() {
    }

    /**
     * Makes the bounded log this process's only log. Call it first, before anything logs; calls
     * after the first do nothing.
     *
     * @throws IllegalArgumentException naming the system property, if a level is not one
     */
    public static void install() {
        synchronized (LOCK) {
            if (installed) {
                return;
            }
            BoundedLog bounded = log();
            if (System.getProperty("slf4j.provider") == null) {
                // SLF4J says at INFO which provider it was told to load; only its warnings matter.
                if (System.getProperty("slf4j.internal.verbosity") == null) {
                    System.setProperty("slf4j.internal.verbosity", "WARN");
                }
                System.setProperty("slf4j.provider", Slf4jProvider.class.getName());
            }
            LogManager.getLogManager().reset();
            Logger root = Logger.getLogger("");
            root.setLevel(JulHandler.jul(bounded.levels().root()));
            for (Map.Entry<String, System.Logger.Level> prefix : bounded.levels().prefixes().entrySet()) {
                Logger logger = Logger.getLogger(prefix.getKey());
                logger.setLevel(JulHandler.jul(prefix.getValue()));
                CONFIGURED.add(logger);
            }
            root.addHandler(new JulHandler(bounded));

            // A flood that stops still gets its summary line, within a second of its window's end.
            ScheduledExecutorService summaries = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "log-summaries");
                thread.setDaemon(true);
                return thread;
            });
            summaries.scheduleWithFixedDelay(bounded::flushEndedWindows, 1, 1, TimeUnit.SECONDS);
            Runtime.getRuntime().addShutdownHook(new Thread(bounded::flushAll, "log-summaries-at-exit"));
            installed = true;
        }
    }

    /** The process's bounded log, on standard error, with the levels of the system properties. */
    static BoundedLog log() {
        synchronized (LOCK) {
            BoundedLog current = log;
            if (current == null) {
                current = new BoundedLog(System.err, LogLevels.from(System.getProperties()), Clock.systemDefaultZone());
                log = current;
            }
            return current;
        }
    }
}
