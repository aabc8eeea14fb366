package dev.modelfeedback.examples.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.model.Texts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

final class BoundedLogTest {

    private static final String LOGGER = "org.eclipse.jetty.util.HostPort";
    private static final String AT = "2026-01-01 00:00:00.000";

    /** A clock that moves only when told. */
    private static final class StepClock extends Clock {
        private long millis = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

        void advanceMillis(long step) {
            millis += step;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("one zone is enough here");
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final StepClock clock = new StepClock();
    private final BoundedLog log = new BoundedLog(new PrintStream(written, true, StandardCharsets.UTF_8),
            LogLevels.INFO, clock);
    private final String thread = Thread.currentThread().getName();

    private List<String> lines() {
        return written.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private String prefix(String level, String logger) {
        return AT + ":" + level + ":" + logger + ":" + thread + ": ";
    }

    @Test
    void cutsALongMessageAndSaysHowLongItWas() {
        String hostHeader = "a b" + "X".repeat(7_000);

        log.log(LOGGER, Level.WARNING, "Bad Authority: [" + hostHeader + "]", null);

        String message = "Bad Authority: [" + hostHeader + "]";
        assertThat(message).hasSize(7_020);
        assertThat(lines()).containsExactly(prefix("WARN", LOGGER) + message.substring(0, 300) + "... (7020 chars)");
    }

    @Test
    void writesAShortMessageWhole() {
        log.log("dev.modelfeedback.servlet.FeedbackHandler", Level.INFO, "all fine", null);

        assertThat(lines()).containsExactly(prefix("INFO", "dev.modelfeedback.servlet.FeedbackHandler") + "all fine");
    }

    /** A newline in request input must not start a line that looks like the server's own. */
    @Test
    void escapesWhatCouldForgeALine() {
        log.log(LOGGER, Level.WARNING, "Bad Authority: [x\r\n" + AT + ":INFO:dev.modelfeedback:main: all fine\u202e]", null);

        assertThat(lines()).containsExactly(prefix("WARN", LOGGER) + "Bad Authority: [x\\u000d\\u000a" + AT
                + ":INFO:dev.modelfeedback:main: all fine\\u202e]");
    }

    /** Every code point, and every lone surrogate, escaped exactly when the core's Texts escapes it. */
    @Test
    void escapesTheSameCharactersAsTheCore() {
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            String text = new String(Character.toChars(c));
            StringBuilder ours = new StringBuilder();
            BoundedLog.bounded(ours, text, 10, false);
            boolean escapedByCore = !Texts.escape(text, 10).equals(text);
            assertThat(!ours.toString().equals(text)).as("U+%04X", c).isEqualTo(escapedByCore);
        }
    }

    @Test
    void noLineIsLongerThanTheBoundWhateverItCarries() {
        String controls = "\u0000".repeat(5_000);
        String emoji = "\ud83d\ude00".repeat(5_000);
        String longName = "x".repeat(1_000);
        Thread named = new Thread(() -> {
            log.log(longName, Level.ERROR, controls, new IllegalStateException(emoji));
            log.log(LOGGER, Level.ERROR, emoji, null);
        }, "t".repeat(1_000));
        named.start();
        try {
            named.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }

        assertThat(named.isAlive()).isFalse();
        assertThat(lines()).hasSizeGreaterThan(3).allSatisfy(line ->
                assertThat(line.codePointCount(0, line.length())).isLessThanOrEqualTo(BoundedLog.MAX_LINE_CODE_POINTS));
        assertThat(lines().get(0)).startsWith(AT + ":ERROR:" + "x".repeat(100) + "...:" + "t".repeat(40) + "...: "
                + "\\u0000".repeat(50) + "... (5000 chars)");
    }

    @Test
    void writesAtMostItsShareOfAWindowAndThenSaysHowManyItSuppressed() {
        for (int i = 1; i <= 25; i++) {
            log.log(LOGGER, Level.WARNING, "flood " + i, null);
        }
        log.log("dev.modelfeedback.servlet.FeedbackHandler", Level.ERROR, "another logger's own share", null);
        clock.advanceMillis(9_999);
        log.log(LOGGER, Level.WARNING, "still the same window", null);
        clock.advanceMillis(1);
        log.log(LOGGER, Level.INFO, "a new window", null);

        List<String> lines = lines();
        assertThat(lines).hasSize(23);
        assertThat(lines.subList(0, 20)).allSatisfy(line -> assertThat(line).startsWith(prefix("WARN", LOGGER) + "flood "));
        assertThat(lines.get(19)).endsWith("flood 20");
        assertThat(lines.get(20)).endsWith("another logger's own share");
        assertThat(lines.get(21)).isEqualTo("2026-01-01 00:00:10.000:WARN:" + LOGGER + ":" + thread
                + ": 6 lines suppressed in 10 s (this logger writes at most 20 per 10 s)");
        assertThat(lines.get(22)).isEqualTo("2026-01-01 00:00:10.000:INFO:" + LOGGER + ":" + thread + ": a new window");
    }

    /** A flood that stops still gets its summary, once its window has ended, or before the process exits. */
    @Test
    void writesTheSummaryOfAQuietLoggerWhenItsWindowEnds() {
        for (int i = 1; i <= 21; i++) {
            log.log(LOGGER, Level.WARNING, "flood " + i, null);
        }
        clock.advanceMillis(9_000);
        log.flushEndedWindows();
        int beforeTheEnd = lines().size();
        clock.advanceMillis(1_500);
        log.flushEndedWindows();
        log.flushEndedWindows();
        for (int i = 1; i <= 22; i++) {
            log.log(LOGGER, Level.ERROR, "again " + i, null);
        }
        log.flushAll();

        List<String> lines = lines();
        assertThat(beforeTheEnd).isEqualTo(20);
        assertThat(lines).hasSize(42);
        assertThat(lines.get(20)).isEqualTo("2026-01-01 00:00:10.500:WARN:" + LOGGER + ":" + thread
                + ": 1 lines suppressed in 11 s (this logger writes at most 20 per 10 s)");
        assertThat(lines.get(41)).isEqualTo("2026-01-01 00:00:10.500:ERROR:" + LOGGER + ":" + thread
                + ": 2 lines suppressed in 1 s (this logger writes at most 20 per 10 s)");
    }

    @Test
    void boundsAStackTrace() {
        IllegalStateException cause = new IllegalStateException("root\ncause");
        RuntimeException thrown = new RuntimeException("outer", cause);
        thrown.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("a.B", "c", "B.java", 1), new StackTraceElement("a.B", "d", "B.java", 2)});
        StackTraceElement[] deep = new StackTraceElement[100];
        for (int i = 0; i < deep.length; i++) {
            deep[i] = new StackTraceElement("a.Deep", "level" + i, "Deep.java", i + 1);
        }
        cause.setStackTrace(deep);

        log.log(LOGGER, Level.ERROR, "failed", thrown);

        List<String> lines = lines();
        assertThat(lines).hasSize(1 + BoundedLog.MAX_TRACE_LINES + 1);
        assertThat(lines.subList(0, 6)).containsExactly(prefix("ERROR", LOGGER) + "failed",
                "  java.lang.RuntimeException: outer", "    at a.B.c(B.java:1)", "    at a.B.d(B.java:2)",
                "  Caused by: java.lang.IllegalStateException: root\\u000acause", "    at a.Deep.level0(Deep.java:1)");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("    ... 74 more lines");
    }

    @Test
    void writesOnlyTheLevelsItIsGiven() {
        Properties properties = new Properties();
        properties.setProperty(LogLevels.ROOT_PROPERTY, "WARN");
        properties.setProperty(LogLevels.ROOT_PROPERTY + ".dev.modelfeedback", "DEBUG");
        properties.setProperty(LogLevels.ROOT_PROPERTY + ".dev.modelfeedback.servlet.page", "off");
        BoundedLog configured = new BoundedLog(new PrintStream(written, true, StandardCharsets.UTF_8),
                LogLevels.from(properties), clock);

        configured.log("dev.modelfeedback.servlet.FeedbackHandler", Level.DEBUG, "refused", null);
        configured.log("dev.modelfeedback.servlet.page.StatusPage", Level.ERROR, "never", null);
        configured.log("dev.modelfeedbackx.Other", Level.INFO, "not a prefix at a dot", null);
        configured.log("org.eclipse.jetty.server.Server", Level.INFO, "started", null);
        configured.log("org.eclipse.jetty.server.Server", Level.WARNING, "warned", null);
        log.log("dev.modelfeedback.servlet.FeedbackHandler", Level.DEBUG, "not by default", null);

        assertThat(lines()).containsExactly(prefix("DEBUG", "dev.modelfeedback.servlet.FeedbackHandler") + "refused",
                prefix("WARN", "org.eclipse.jetty.server.Server") + "warned");
        assertThat(LogLevels.from(properties).prefixes()).isEqualTo(Map.of("dev.modelfeedback", Level.DEBUG,
                "dev.modelfeedback.servlet.page", Level.OFF));
        Properties wrong = new Properties();
        wrong.setProperty(LogLevels.ROOT_PROPERTY + ".org.eclipse.jetty", "LOUD");
        assertThatThrownBy(() -> LogLevels.from(wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("feedback.log.level.org.eclipse.jetty must be TRACE, DEBUG, INFO, WARN, ERROR or OFF, got 'LOUD'");
    }

    /** SLF4J's calls, as Jetty makes them: placeholders filled, a trailing exception shown as the failure. */
    @Test
    void writesSlf4jCalls() {
        Slf4jLogger jetty = new Slf4jLogger(LOGGER, log);

        jetty.warn("Bad {}: [{}]", "Authority", "a b" + "X".repeat(500));
        jetty.debug("not at INFO {}", 1);
        jetty.info("failed {}", "once", new IllegalArgumentException("why"));

        List<String> lines = lines();
        assertThat(jetty.isDebugEnabled()).isFalse();
        assertThat(jetty.isWarnEnabled()).isTrue();
        assertThat(lines.get(0)).isEqualTo(prefix("WARN", LOGGER) + ("Bad Authority: [a b" + "X".repeat(500))
                .substring(0, 300) + "... (520 chars)");
        assertThat(lines.get(1)).isEqualTo(prefix("INFO", LOGGER) + "failed once");
        assertThat(lines.get(2)).isEqualTo("  java.lang.IllegalArgumentException: why");
    }

    /** {@code java.util.logging} records (and {@code System.Logger}'s), parameters filled. */
    @Test
    void writesJavaUtilLoggingRecords() {
        Logger logger = Logger.getLogger("dev.modelfeedback.examples.logging.BoundedLogTest.jul");
        logger.setUseParentHandlers(false);
        JulHandler handler = new JulHandler(log);
        logger.addHandler(handler);
        try {
            logger.log(java.util.logging.Level.WARNING, "refused {0} from {1}", new Object[] {"x\ny", "client"});
            logger.log(java.util.logging.Level.FINE, "debug is off");
            logger.log(java.util.logging.Level.SEVERE, "failed", new IllegalStateException("why"));
        } finally {
            logger.removeHandler(handler);
        }

        List<String> lines = lines();
        assertThat(lines.subList(0, 3)).containsExactly(
                prefix("WARN", logger.getName()) + "refused x\\u000ay from client",
                prefix("ERROR", logger.getName()) + "failed",
                "  java.lang.IllegalStateException: why");
        assertThat(lines).hasSizeLessThanOrEqualTo(2 + BoundedLog.MAX_TRACE_LINES + 1);
        assertThat(lines.get(3)).startsWith("    at dev.modelfeedback.examples.logging.BoundedLogTest.writesJavaUtilLoggingRecords(");
        assertThat(JulHandler.level(java.util.logging.Level.CONFIG)).isEqualTo(Level.DEBUG);
        assertThat(JulHandler.level(java.util.logging.Level.FINEST)).isEqualTo(Level.TRACE);
    }
}
