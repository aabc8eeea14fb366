package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.drift.DriftDetector;
import dev.modelfeedback.core.drift.DriftEvent;
import dev.modelfeedback.core.drift.DriftState;
import dev.modelfeedback.core.drift.DriftStatus;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Drift detection wired into a recorder: meters, listener, log line, ordering, concurrency. */
final class RecorderDriftTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ManualWindowClock clock = WindowClock.manual(T0);
    private final List<DriftEvent> events = new CopyOnWriteArrayList<>();

    private double meter(String name, String detector) {
        var search = registry.find(name).tag("detector", detector);
        return name.equals("model.drift.state") ? search.gauge().value() : search.functionCounter().count();
    }

    /** 1,000 right answers then 4 wrong: HDDM_A, the default, drifts on the 1,004th feedback. */
    private static void degrade(FeedbackRecorder recorder) {
        for (int i = 0; i < 1000; i++) {
            recorder.record(1, 1);
        }
        for (int i = 0; i < 4; i++) {
            recorder.record(0, 1);
        }
    }

    @Test
    void aDegradationMovesTheStateToDriftCountsItAndTellsTheListenerOncePerChange() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("fraud", "v3").clock(clock)
                .driftListener(events::add).build();
        assertThat(meter("model.drift.state", "hddm_a")).isZero();

        clock.advance(Duration.ofSeconds(90));
        degrade(recorder);

        assertThat(meter("model.drift.state", "hddm_a")).isEqualTo(2);
        assertThat(meter("model.drift.detected", "hddm_a")).isEqualTo(1);
        assertThat(events).containsExactly(new DriftEvent(new ModelId("fraud", "v3"), "hddm_a", DriftState.STABLE,
                DriftState.DRIFT, 1004, T0.plusSeconds(90)));
        DriftStatus status = recorder.status().drift().get(0);
        assertThat(status).isEqualTo(new DriftStatus("hddm_a", DriftState.DRIFT, 1, 0, T0.plusSeconds(90), 1004));

        recorder.record(1, 1); // the detector starts afresh
        assertThat(meter("model.drift.state", "hddm_a")).isZero();
        assertThat(meter("model.drift.detected", "hddm_a")).isEqualTo(1);
        assertThat(events).hasSize(2);
        assertThat(events.get(1).previous()).isEqualTo(DriftState.DRIFT);
        assertThat(events.get(1).current()).isEqualTo(DriftState.STABLE);
        assertThat(events.get(1).feedbackCount()).isEqualTo(1005);
    }

    @Test
    void everyDetectorHasItsOwnSeriesAndWarningsAreCounted() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock)
                .driftDetectors(DriftDetector::ddm, DriftDetector::hddmA, DriftDetector::adwin, DriftDetector::pageHinkley)
                .driftListener(events::add).build();
        boolean[] rise = loadWarningThenDrift();
        for (boolean error : rise) {
            recorder.record(error ? 0 : 1, 1);
        }

        assertThat(recorder.driftDetectors()).containsExactly("ddm", "hddm_a", "adwin", "page_hinkley");
        for (String detector : DriftDetector.NAMES) {
            long drifts = events.stream().filter(e -> e.detector().equals(detector) && e.current() == DriftState.DRIFT).count();
            long warnings = events.stream().filter(e -> e.detector().equals(detector) && e.current() == DriftState.WARNING).count();
            assertThat(meter("model.drift.detected", detector)).as(detector).isEqualTo(drifts).isPositive();
            assertThat(meter("model.drift.warnings", detector)).as(detector).isEqualTo(warnings);
        }
        assertThat(meter("model.drift.warnings", "ddm")).isPositive();
        assertThat(meter("model.drift.warnings", "hddm_a")).isPositive();
        assertThat(meter("model.drift.warnings", "adwin")).isZero();
    }

    private static boolean[] loadWarningThenDrift() {
        return dev.modelfeedback.core.drift.DriftVectorsTestAccess.input("warning-then-drift");
    }

    @Test
    void aDriftIsLoggedOnceAtWarnWithTheRecentAccuracy() {
        Logger logger = Logger.getLogger(FeedbackRecorder.class.getName());
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("fraud", "v3").clock(clock).build();
            degrade(recorder);
            recorder.status(); // drains what is queued
            recorder.status();
        } finally {
            logger.removeHandler(capture);
        }

        assertThat(logged).hasSize(1);
        assertThat(logged.get(0).getLevel()).isEqualTo(Level.WARNING);
        assertThat(logged.get(0).getMessage()).isEqualTo("drift detected by hddm_a in model fraud version v3 after"
                + " 1004 feedbacks; accuracy over the last 5m 0.996 of 1004 feedbacks");
    }

    @Test
    void aListenerThatThrowsDoesNotBreakRecording() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock)
                .driftListener(event -> {
                    throw new IllegalStateException("listener bug");
                }).build();

        degrade(recorder);
        degrade(recorder);

        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(2000, 0, 0, 8));
        assertThat(meter("model.drift.detected", "hddm_a")).isEqualTo(2);
    }

    /** A batch reaches the detectors in item order, as if its items had been recorded one by one. */
    @Test
    void aBatchFeedsItsItemsInOrder() {
        List<Boolean> seen = new ArrayList<>();
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock)
                .driftDetectors(() -> new Recording(seen)).build();
        FeedbackBatch batch = new FeedbackBatch();
        List<Boolean> sent = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            boolean error = i % 7 == 3 || i % 11 == 0;
            batch.add(recorder, error ? 1 : 0, 0);
            sent.add(error);
        }
        batch.commit();

        recorder.status();
        assertThat(seen).isEqualTo(sent);
    }

    /** Eight threads record at once; every sample reaches the detectors exactly once, or is counted as dropped. */
    @Test
    void eightThreadsFeedEverySampleExactlyOnce() throws Exception {
        List<Boolean> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock)
                .driftDetectors(() -> new Recording(seen)).build();
        int threads = 8;
        int perThread = 100_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        recorder.record(i % 5 == 0 ? 1 : 0, 0); // one error in five
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        recorder.status();

        long total = (long) threads * perThread;
        long dropped = (long) registry.get("model.drift.samples.dropped").functionCounter().count();
        long errorsSeen = seen.stream().filter(e -> e).count();
        assertThat(recorder.snapshot()).isEqualTo(new ClassificationSnapshot(0, total * 4 / 5, total / 5, 0));
        assertThat(seen.size() + dropped).isEqualTo(total);
        assertThat(errorsSeen).isBetween(total / 5 - dropped, total / 5);
        assertThat(recorder.driftSamples()).isEqualTo(seen.size());
    }

    @Test
    void noDetectorsMeansNoDriftMetersAndNoCost() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).driftDetectors().build();
        degrade(recorder);

        assertThat(registry.find("model.drift.state").meters()).isEmpty();
        assertThat(registry.find("model.drift.samples.dropped").meters()).isEmpty();
        assertThat(recorder.status().drift()).isEmpty();
        assertThatThrownBy(() -> FeedbackRecorder.builder(registry).driftDetectors(DriftDetector::ddm, DriftDetector::ddm))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drift detectors must have distinct names, got [ddm, ddm]");
    }

    /**
     * Samples queued when traffic stops reach the detectors at the clock's tick: the first tick
     * after recording leaves them to the recording threads, the next one drains them.
     */
    @Test
    void theClocksTickDrainsWhatTrafficLeftQueued() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).driftListener(events::add).build();
        degrade(recorder);              // the drift is on the 1,004th sample; drains happen every 32
        for (int i = 0; i < 10; i++) {
            recorder.record(1, 1);
        }
        assertThat(events).isEmpty();   // the last 22 samples are still queued

        clock.advance(Duration.ofSeconds(1)); // a manual clock ticks before and after it moves

        assertThat(events).extracting(DriftEvent::current).containsExactly(DriftState.DRIFT, DriftState.STABLE);
        assertThat(recorder.driftSamples()).isEqualTo(1014);
    }

    /** A detector's name becomes a label value and a word in the log, so it follows the model name's rules. */
    @Test
    void aDetectorWhoseNameCouldForgeTheLogIsRefused() {
        assertThatThrownBy(() -> FeedbackRecorder.builder(registry).clock(clock)
                .driftDetectors(() -> new Recording(new ArrayList<>(), "mine\nWARNING: forged")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drift detector name must start with a letter or digit and contain only letters, digits"
                        + " and . _ - + :, got 'mine\\u000aWARNING: forged'");
        assertThat(registry.getMeters()).as("nothing registered by the refused build").isEmpty();
    }

    /** Records the samples it is fed; never drifts. */
    private static final class Recording implements DriftDetector {
        private final List<Boolean> seen;
        private final String name;

        Recording(List<Boolean> seen) {
            this(seen, "recording");
        }

        Recording(List<Boolean> seen, String name) {
            this.seen = seen;
            this.name = name;
        }

        @Override
        public DriftState update(boolean error) {
            seen.add(error);
            return DriftState.STABLE;
        }

        @Override
        public DriftState state() {
            return DriftState.STABLE;
        }

        @Override
        public String name() {
            return name;
        }
    }
}
