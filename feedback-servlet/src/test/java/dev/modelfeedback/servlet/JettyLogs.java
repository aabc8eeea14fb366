package dev.modelfeedback.servlet;

import dev.modelfeedback.core.testing.QuietLogs;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.logging.JettyLoggerFactory;
import org.eclipse.jetty.logging.StdErrAppender;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Sends what Jetty logs during the tests to {@link QuietLogs}, so that it is printed only for a
 * test that fails, as the {@code java.util.logging} records are. Jetty logs through SLF4J; its own
 * provider ({@code jetty-slf4j-impl}, on the test class path of every module with this test-jar)
 * prints every server start and stop, and the warnings tests provoke on purpose, on standard error.
 * Its one appender, shared by all its loggers, is pointed at a stream that hands each line over.
 * Registered for every test through the service loader, like {@code QuietLogs}.
 */
public final class JettyLogs implements BeforeAllCallback {

    private static boolean redirected;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (JettyLogs.class) {
            if (redirected) {
                return;
            }
            redirected = true;
            if (LoggerFactory.getILoggerFactory() instanceof JettyLoggerFactory jetty
                    && jetty.getJettyLogger("org.eclipse.jetty").getAppender() instanceof StdErrAppender appender) {
                appender.setStream(new PrintStream(new LinesToQuietLogs(), true, StandardCharsets.UTF_8));
            }
        }
    }

    /** Hands over each complete line, so that a message split across writes stays whole. */
    private static final class LinesToQuietLogs extends OutputStream {

        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                QuietLogs.keep(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }
    }
}
