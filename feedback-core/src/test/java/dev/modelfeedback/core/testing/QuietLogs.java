package dev.modelfeedback.core.testing;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps the {@code java.util.logging} records of a passing test off the console and prints them
 * when the test fails. Many tests provoke a warning or an error on purpose (a listener that throws,
 * a servlet started without its model set, a drift); printed on every run, those records bury
 * the few lines a reader of a red build needs.
 *
 * <p>On the first test class of the JVM, the root logger's console handlers are replaced by one
 * handler with the same level and formatter that keeps what they would have printed. Each test
 * class and each test (for a parameterized test, each invocation) has its own buffer; whatever any
 * thread logs goes to the innermost one running. A test that fails prints its buffer on standard
 * error, as the console handler would have; a class prints its own (what its
 * {@code @BeforeAll}/{@code @AfterAll} methods, static initializers and threads between its tests
 * logged) when it or one of its tests failed. What is logged between two classes, such as a
 * server's threads winding down, is kept with the next class, or printed at once when the class
 * before failed.
 *
 * <p>Only the root logger's handlers change: a handler a test attaches to a logger of its own
 * still receives every record. Another logging backend's output joins the same buffers through
 * {@link #keep(String)} (the servlet module's tests hand over Jetty's this way). Registered for every test through the service loader (this module's
 * test-jar carries {@code junit-platform.properties}, which turns extension autodetection on);
 * assumes tests run one at a time in a JVM, as they do here.
 */
public final class QuietLogs implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** Beyond this many records a buffer keeps the latest ones and counts the rest. */
    private static final int MAX_RECORDS = 10_000;

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QuietLogs.class);

    private static final Object LOCK = new Object();

    /** The buffers of what is running, innermost last. */
    private static final Deque<Buffer> RUNNING = new ArrayDeque<>();

    /** What was logged while no class ran; kept for the next class. */
    private static Buffer between = new Buffer("while no test class ran");

    private static boolean lastClassFailed;

    private static boolean installed;

    /** Whether a console handler was replaced; if none was, there is nothing to keep quiet. */
    private static boolean buffering;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
        Buffer buffer = new Buffer("in " + context.getRequiredTestClass().getName() + " outside its tests");
        synchronized (LOCK) {
            if (RUNNING.isEmpty()) {
                buffer.adopt(between);
                between = new Buffer("while no test class ran");
            }
            RUNNING.addLast(buffer);
        }
        context.getStore(NAMESPACE).put(Buffer.class, buffer);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Buffer buffer = new Buffer("by " + context.getRequiredTestClass().getName() + " " + context.getDisplayName());
        synchronized (LOCK) {
            RUNNING.addLast(buffer);
        }
        context.getStore(NAMESPACE).put(Buffer.class, buffer);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        finish(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        boolean failed = finish(context);
        synchronized (LOCK) {
            if (RUNNING.isEmpty()) {
                lastClassFailed = failed;
            }
        }
    }

    /** Ends the buffer of {@code context}, printing it if that context failed; whether it did. */
    private static boolean finish(ExtensionContext context) {
        Buffer buffer = context.getStore(NAMESPACE).remove(Buffer.class, Buffer.class);
        if (buffer == null) {
            return context.getExecutionException().isPresent();
        }
        boolean failed;
        synchronized (LOCK) {
            RUNNING.remove(buffer);
            failed = buffer.childFailed || context.getExecutionException().isPresent();
            if (failed && !RUNNING.isEmpty()) {
                RUNNING.peekLast().childFailed = true;
            }
        }
        if (failed) {
            buffer.print(System.err);
        }
        return failed;
    }

    /** Replaces the root logger's console handlers, once per JVM. */
    private static void install() {
        synchronized (LOCK) {
            if (installed) {
                return;
            }
            installed = true;
            Logger root = Logger.getLogger("");
            Level level = Level.INFO;
            Formatter formatter = new SimpleFormatter();
            boolean replaced = false;
            for (Handler handler : root.getHandlers()) {
                if (handler instanceof ConsoleHandler) {
                    level = handler.getLevel();
                    formatter = handler.getFormatter();
                    root.removeHandler(handler);
                    replaced = true;
                }
            }
            if (replaced) {
                root.addHandler(new BufferingHandler(level, formatter));
                buffering = true;
            }
        }
    }

    /**
     * Keeps {@code text}, log output already formatted by another logging backend (ending with a
     * line separator), with the {@code java.util.logging} records: printed on standard error only
     * if the test or class running when it was written fails.
     */
    public static void keep(String text) {
        install();
        synchronized (LOCK) {
            if (!buffering) {
                System.err.print(text);
                return;
            }
        }
        route(text);
    }

    /** Hands {@code text} to the innermost buffer running. */
    private static void route(String text) {
        synchronized (LOCK) {
            Buffer buffer = RUNNING.peekLast();
            if (buffer != null) {
                buffer.add(text);
            } else if (lastClassFailed) {
                System.err.print(text);
            } else {
                between.add(text);
            }
        }
    }

    /** Takes what the console handler would have printed, formatted at once as it would have been. */
    private static final class BufferingHandler extends Handler {

        BufferingHandler(Level level, Formatter formatter) {
            setLevel(level);
            setFormatter(formatter);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String text;
            try {
                text = getFormatter().format(record);
            } catch (RuntimeException e) {
                reportError(null, e, ErrorManager.FORMAT_FAILURE);
                return;
            }
            route(text);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** The formatted records of one class, one test, or the time between classes. */
    private static final class Buffer {

        /** Where the records come from, completing "log records written ...". */
        private final String origin;
        private final Deque<String> records = new ArrayDeque<>();
        private final List<Buffer> adopted = new ArrayList<>(1);
        private int dropped;
        private boolean childFailed;

        Buffer(String origin) {
            this.origin = origin;
        }

        /** Guarded by {@link #LOCK}. */
        void add(String record) {
            if (records.size() == MAX_RECORDS) {
                records.removeFirst();
                dropped++;
            }
            records.addLast(record);
        }

        /** Prints {@code earlier} with this buffer, before its own records. */
        void adopt(Buffer earlier) {
            if (!earlier.records.isEmpty()) {
                adopted.add(earlier);
            }
        }

        void print(PrintStream out) {
            StringBuilder text = new StringBuilder();
            synchronized (LOCK) {
                for (Buffer earlier : adopted) {
                    earlier.appendTo(text);
                }
                appendTo(text);
            }
            if (!text.isEmpty()) {
                out.print(text);
                out.flush();
            }
        }

        private void appendTo(StringBuilder text) {
            if (records.isEmpty()) {
                return;
            }
            text.append("---- log records written ").append(origin)
                    .append(", kept for a failure ----").append(System.lineSeparator());
            if (dropped > 0) {
                text.append("(").append(dropped).append(" earlier records dropped)").append(System.lineSeparator());
            }
            records.forEach(text::append);
            text.append("---- end of the log records written ").append(origin).append(" ----").append(System.lineSeparator());
        }
    }
}
