package dev.modelfeedback.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.ConfusionTally;
import dev.modelfeedback.core.matrix.Outcome;
import dev.modelfeedback.core.scores.ScoreTally;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

final class SlidingWindowsTest {

    /** On every boundary of both default windows (a whole hour). */
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualWindowClock clock = WindowClock.manual(T0);
    private final ConfusionTally lifetime = new ConfusionTally();
    private final ScoreTally scored = ScoreTally.ofBinary();
    private final SlidingWindows windows = new SlidingWindows(List.of(Window.FIVE_MINUTES, Window.ONE_HOUR), clock,
            this::live);

    private synchronized FeedbackCounts live() {
        return new FeedbackCounts(lifetime.matrix(), scored.counts());
    }

    private synchronized void record(Outcome outcome, int times) {
        lifetime.add(outcome, times);
    }

    private long inWindow(Window window) {
        FeedbackCounts live = live();
        return windows.counts(live).stream().filter(c -> c.window().equals(window)).findFirst().orElseThrow()
                .counts().total();
    }

    /**
     * Feedback at a counts in a window of span S with buckets of width w from a on, until at least
     * a + S and at most a + S + w; with a manual clock it leaves exactly when its bucket's start
     * boundary leaves the window.
     */
    @Test
    void feedbackLeavesEachWindowAfterItsSpanToTheBucketWidthNeverBefore() {
        for (Window window : windows.windows()) {
            // a fresh start on a whole hour, a boundary of both: nothing left in any window
            clock.advance(Duration.ofHours(2).minusMillis(clock.millis() % Duration.ofHours(1).toMillis()));
            Instant arrival = clock.now().plusSeconds(1);
            clock.advance(Duration.ofSeconds(1));
            record(Outcome.TRUE_POSITIVE, 3);
            Duration step = window.bucketWidth().dividedBy(10);
            Instant stillIn = arrival.plus(window.span());
            Instant gone = arrival.plus(window.span()).plus(window.bucketWidth());
            Instant leftAt = null;
            while (clock.now().isBefore(gone.plus(window.bucketWidth()))) {
                long counted = inWindow(window);
                if (clock.now().isBefore(stillIn)) {
                    assertThat(counted).as("%s at +%s", window, Duration.between(arrival, clock.now())).isEqualTo(3);
                } else if (!clock.now().isBefore(gone)) {
                    assertThat(counted).as("%s at +%s", window, Duration.between(arrival, clock.now())).isZero();
                }
                if (leftAt == null && counted == 0) {
                    leftAt = clock.now();
                } else if (leftAt != null) {
                    assertThat(counted).as("once gone, gone").isZero();
                }
                clock.advance(step);
            }
            // arrival is 1 s after a boundary: it leaves when that boundary leaves, span + width - 1 s
            // later; the loop sees that at its first step from then on
            Instant exit = arrival.plus(window.span()).plus(window.bucketWidth()).minusSeconds(1);
            assertThat(leftAt).isBetween(exit, exit.plus(step).minusMillis(1));
        }
    }

    @Test
    void eachWindowCountsOnlyItsSpan() {
        record(Outcome.TRUE_POSITIVE, 1);            // at 0:00
        clock.advance(Duration.ofMinutes(10));
        record(Outcome.FALSE_POSITIVE, 2);           // at 0:10
        clock.advance(Duration.ofMinutes(54));
        record(Outcome.TRUE_NEGATIVE, 4);            // at 1:04
        clock.advance(Duration.ofMinutes(2));
        record(Outcome.FALSE_NEGATIVE, 8);           // at 1:06

        List<WindowCounts> counts = windows.counts(live());

        assertThat(counts).extracting(WindowCounts::window).containsExactly(Window.FIVE_MINUTES, Window.ONE_HOUR);
        // 5m: 1:01:00 to 1:06, from the boundary 1:01:00: TN and FN
        assertThat(counts.get(0).counts()).isEqualTo(new ClassificationSnapshot(0, 4, 0, 8));
        assertThat(counts.get(0).start()).isEqualTo(T0.plus(Duration.ofMinutes(61)));
        assertThat(counts.get(0).end()).isEqualTo(T0.plus(Duration.ofMinutes(66)));
        // 1h: from 0:06, so the FP at 0:10 is in, the TP at 0:00 is out
        assertThat(counts.get(1).counts()).isEqualTo(new ClassificationSnapshot(0, 4, 2, 8));
        assertThat(counts.get(1).start()).isEqualTo(T0.plus(Duration.ofMinutes(6)));
    }

    @Test
    void aWindowsScoresAreThoseScoredWithinIt() {
        scored(1, 0.9);
        clock.advance(Duration.ofMinutes(6));
        scored(0, 0.2);
        scored(1, 0.7);

        WindowCounts fiveMinutes = windows.counts(live()).get(0);
        WindowCounts hour = windows.counts(live()).get(1);

        assertThat(fiveMinutes.scores().n()).isEqualTo(2);
        assertThat(fiveMinutes.scores().brier()).isEqualTo((0.2 * 0.2 + 0.3 * 0.3) / 2);
        assertThat(fiveMinutes.scores().rocAuc()).isEqualTo(1.0);
        assertThat(hour.scores().n()).isEqualTo(3);
        assertThat(hour.scores().logLoss()).isEqualTo((-Math.log(0.9) - Math.log(0.8) - Math.log(0.7)) / 3);
    }

    private synchronized void scored(int actual, double score) {
        scored.add(actual, score);
    }

    @Test
    void beforeASpanHasPassedAWindowCountsFromCreation() {
        clock.advance(Duration.ofSeconds(15));
        record(Outcome.TRUE_POSITIVE, 2);

        WindowCounts fiveMinutes = windows.counts(live()).get(0);

        assertThat(fiveMinutes.counts().total()).isEqualTo(2);
        assertThat(fiveMinutes.start()).isEqualTo(T0);
    }

    @Test
    void bucketsShowTheFeedbackOfEachBucketOldestFirst() {
        record(Outcome.TRUE_POSITIVE, 1);           // bucket 0:00-0:02
        clock.advance(Duration.ofMinutes(3));
        record(Outcome.FALSE_POSITIVE, 2);          // bucket 0:02-0:04
        clock.advance(Duration.ofMinutes(4));
        record(Outcome.TRUE_NEGATIVE, 3);           // bucket 0:06-0:08, filling at 0:07

        List<WindowCounts> buckets = windows.buckets(Window.ONE_HOUR, live());

        assertThat(buckets).extracting(b -> b.counts().total()).containsExactly(1L, 2L, 0L, 3L);
        assertThat(buckets.get(0).start()).isEqualTo(T0);
        assertThat(buckets.get(0).end()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
        assertThat(buckets.get(3).start()).isEqualTo(T0.plus(Duration.ofMinutes(6)));
        assertThat(buckets.get(3).end()).isEqualTo(T0.plus(Duration.ofMinutes(7)));
        assertThat(buckets.get(1).counts()).isEqualTo(new ClassificationSnapshot(0, 0, 2, 0));

        clock.advance(Duration.ofHours(3));
        List<WindowCounts> later = windows.buckets(Window.ONE_HOUR, live());
        assertThat(later).hasSize(Window.BUCKETS + 1);
        assertThat(later).allSatisfy(b -> assertThat(b.counts().total()).isZero());
        assertThat(later.get(Window.BUCKETS).end()).isEqualTo(clock.now());
    }

    /** A late tick (or none) attributes feedback to a later bucket: it stays longer, never shorter. */
    @Test
    void boundariesMissedByTheClockKeepFeedbackLongerNotShorter() {
        ManualWindowClock silent = WindowClock.manual(T0);
        SlidingWindows unticked = new SlidingWindows(List.of(Window.FIVE_MINUTES), silent, this::live);
        unticked.close(); // no ticks: boundaries close only when read
        record(Outcome.TRUE_POSITIVE, 1);

        silent.advance(Duration.ofMinutes(4));
        assertThat(unticked.counts(live()).get(0).counts().total()).isEqualTo(1);
        silent.advance(Duration.ofMinutes(2));
        // the boundaries since 0:00 were never captured on time; the only capture is from 0:00,
        // before the feedback, so it is still counted at 0:06 rather than dropped early
        assertThat(unticked.counts(live()).get(0).counts().total()).isEqualTo(1);
        silent.advance(Duration.ofMinutes(6));
        assertThat(unticked.counts(live()).get(0).counts().total()).isZero();
    }

    @Test
    void aWindowIsNotRepeatedAndOnlyOwnWindowsHaveBuckets() {
        assertThatThrownBy(() -> new SlidingWindows(List.of(Window.ONE_HOUR, Window.of(Duration.ofMinutes(60))),
                clock, this::live))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("windows must not repeat, got [1h, 1h]");
        assertThatThrownBy(() -> windows.buckets(Window.of(Duration.ofMinutes(1)), live()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window 1m is not one of [5m, 1h]");
    }
}
