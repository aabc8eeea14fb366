package dev.modelfeedback.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The detectors' documented behaviour, beyond the vectors: anchors, warnings, one-sidedness, parameters. */
final class DriftDetectorsTest {

    private static boolean[] stream(int length, IntPredicate error) {
        boolean[] stream = new boolean[length];
        for (int i = 0; i < length; i++) {
            stream[i] = error.test(i);
        }
        return stream;
    }

    private static List<Integer> indexesOf(DriftState wanted, Supplier<DriftDetector> factory, boolean[] stream) {
        DriftDetector detector = factory.get();
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            if (detector.update(stream[i]) == wanted) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    /** The reference values: the 0-based index of the first DRIFT for 1,000 correct then 1,000 wrong. */
    @ParameterizedTest(name = "{0} drifts at {1}")
    @CsvSource({"ddm, 1000", "hddm_a, 1003", "adwin, 1023", "page_hinkley, 1051"})
    void detectsTheReferenceStepWhereRiverDoes(String name, int index) {
        List<Integer> drifts = indexesOf(DriftState.DRIFT, DriftDetector.named(name), stream(2000, i -> i >= 1000));

        assertThat(drifts).first().isEqualTo(index);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ddm", "hddm_a", "adwin", "page_hinkley"})
    void raisesNoDriftOnAStationaryStreamAllErrorsOrAnImprovement(String name) {
        Supplier<DriftDetector> factory = DriftDetector.named(name);

        assertThat(indexesOf(DriftState.DRIFT, factory, stream(2000, i -> i % 10 == 9))).isEmpty();
        assertThat(indexesOf(DriftState.DRIFT, factory, stream(1000, i -> true))).isEmpty();
        assertThat(indexesOf(DriftState.DRIFT, factory, stream(2000, i -> i < 1000))).isEmpty();
        assertThat(indexesOf(DriftState.DRIFT, factory, stream(4000, i -> i < 2000 ? i % 3 == 0 : i % 10 == 0))).isEmpty();
    }

    /** DDM and HDDM_A have a warning zone, entered before a drift on a modest rise. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"ddm", "hddm_a"})
    void warnsBeforeADrift(String name) {
        boolean[] rise = DriftVectorsTest.Vector.load("warning-then-drift").input();
        List<Integer> drifts = indexesOf(DriftState.DRIFT, DriftDetector.named(name), rise);
        List<Integer> warnings = indexesOf(DriftState.WARNING, DriftDetector.named(name), rise);

        int firstDriftAfterTheChange = drifts.stream().filter(i -> i >= 2000).findFirst().orElseThrow();
        assertThat(warnings).anyMatch(i -> i >= 2000 && i < firstDriftAfterTheChange);
    }

    @Test
    void adwinAndPageHinkleyHaveNoWarningZone() {
        boolean[] rise = DriftVectorsTest.Vector.load("warning-then-drift").input();

        assertThat(indexesOf(DriftState.WARNING, DriftDetector::adwin, rise)).isEmpty();
        assertThat(indexesOf(DriftState.WARNING, DriftDetector::pageHinkley, rise)).isEmpty();
    }

    /** An improvement shrinks ADWIN's window, silently, and it carries on from there. */
    @Test
    void adwinShrinksItsWindowOnAnImprovementWithoutReportingIt() {
        Adwin adwin = new Adwin();
        for (int i = 0; i < 1023; i++) {
            adwin.update(i < 1000);
        }
        assertThat(adwin.width()).isEqualTo(1023);

        assertThat(adwin.update(false)).isEqualTo(DriftState.STABLE);   // update 1023: a cut, on an improvement
        assertThat(adwin.width()).isEqualTo(56);
        assertThat(adwin.update(false)).isEqualTo(DriftState.STABLE);
        assertThat(adwin.width()).isEqualTo(57);                        // not reset

        Adwin rising = new Adwin();
        for (int i = 0; i < 1023; i++) {
            rising.update(i >= 1000);
        }
        assertThat(rising.update(true)).isEqualTo(DriftState.DRIFT);
        assertThat(rising.estimation()).isEqualTo(24.0 / 56);
        rising.update(true);
        assertThat(rising.width()).isEqualTo(1);                        // reset, as river does
    }

    @Test
    void afterADriftADetectorStartsAfresh() {
        DriftDetector ddm = DriftDetector.ddm();
        for (int i = 0; i < 1000; i++) {
            ddm.update(false);
        }
        assertThat(ddm.update(true)).isEqualTo(DriftState.DRIFT);
        // a fresh DDM needs 31 samples before any test: errors alone do not drift it again before
        for (int i = 0; i < 30; i++) {
            assertThat(ddm.update(true)).isEqualTo(DriftState.STABLE);
        }
        assertThat(ddm.state()).isEqualTo(DriftState.STABLE);
    }

    @Test
    void namesAndFactories() {
        assertThat(DriftDetector.NAMES).containsExactly("ddm", "hddm_a", "adwin", "page_hinkley");
        for (String name : DriftDetector.NAMES) {
            DriftDetector detector = DriftDetector.named(name).get();
            assertThat(detector.name()).isEqualTo(name);
            assertThat(detector.state()).isEqualTo(DriftState.STABLE);
        }
        assertThat(DriftDetector.ddm()).isInstanceOf(Ddm.class);
        assertThat(DriftDetector.hddmA()).isInstanceOf(HddmA.class);
        assertThat(DriftDetector.adwin()).isInstanceOf(Adwin.class);
        assertThat(DriftDetector.pageHinkley()).isInstanceOf(PageHinkley.class);
        assertThat(DriftState.DRIFT.level()).isEqualTo(2);
        assertThatThrownBy(() -> DriftDetector.named("kswin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drift detector must be one of ddm, hddm_a, adwin, page_hinkley, got 'kswin'");
    }

    @Test
    void parametersOutOfRangeAreRefusedByName() {
        assertThatThrownBy(() -> new Ddm(-1, 2, 3)).hasMessage("warmStart must be at least 0, got -1");
        assertThatThrownBy(() -> new Ddm(30, 0, 3)).hasMessage("warningThreshold must be a positive number, got 0.0");
        assertThatThrownBy(() -> new Ddm(30, 3, 2)).hasMessage("driftThreshold must be a number above warningThreshold (3.0), got 2.0");
        assertThatThrownBy(() -> new HddmA(0, 0.005)).hasMessage("driftConfidence must be between 0 and 1, got 0.0");
        assertThatThrownBy(() -> new HddmA(0.01, 0.005))
                .hasMessage("warningConfidence must be at least driftConfidence (0.01) and below 1, got 0.005");
        assertThatThrownBy(() -> new Adwin(1.5, 32, 5, 5, 10)).hasMessage("delta must be between 0 and 1, got 1.5");
        assertThatThrownBy(() -> new Adwin(0.002, 0, 5, 5, 10)).hasMessage("clock must be at least 1, got 0");
        assertThatThrownBy(() -> new Adwin(0.002, 32, 1, 5, 10)).hasMessage("maxBuckets must be at least 2, got 1");
        assertThatThrownBy(() -> new Adwin(0.002, 32, 5, 0, 10)).hasMessage("minWindowLength must be at least 1, got 0");
        assertThatThrownBy(() -> new Adwin(0.002, 32, 5, 5, -1)).hasMessage("gracePeriod must be at least 0, got -1");
        assertThatThrownBy(() -> new PageHinkley(0, 0.005, 50, 0.9999)).hasMessage("minInstances must be at least 1, got 0");
        assertThatThrownBy(() -> new PageHinkley(30, -1, 50, 0.9999)).hasMessage("delta must be a number of at least 0, got -1.0");
        assertThatThrownBy(() -> new PageHinkley(30, 0.005, Double.NaN, 0.9999))
                .hasMessage("threshold must be a positive number, got NaN");
        assertThatThrownBy(() -> new PageHinkley(30, 0.005, 50, 1.5)).hasMessage("alpha must be in (0, 1], got 1.5");
    }

    @Test
    void configuredParametersChangeTheOutcome() {
        boolean[] step = stream(2000, i -> i >= 1000);

        // After j errors the upward sum has grown by about j * (1000 / (1000 + j) - 0.005): 10.9 after
        // 11 errors, the first to pass a threshold of 10 (index 1010); 50 needs 52 (index 1051).
        assertThat(indexesOf(DriftState.DRIFT, () -> new PageHinkley(30, 0.005, 10, 0.9999), step)).first()
                .isEqualTo(1010);
        // Looking for a cut at every sample instead of every 32nd finds the step sooner.
        assertThat(indexesOf(DriftState.DRIFT, () -> new Adwin(0.002, 1, 5, 5, 10), step).get(0))
                .isBetween(1001, 1022);
    }
}
