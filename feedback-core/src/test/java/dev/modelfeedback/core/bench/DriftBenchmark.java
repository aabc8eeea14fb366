package dev.modelfeedback.core.bench;

import dev.modelfeedback.core.drift.DriftDetector;
import dev.modelfeedback.core.drift.DriftState;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each drift detector's {@code update} on one thread, on a stationary stream at 10% error (a model
 * in production: detections are rare, so the cost is that of the steady state).
 *
 * <p>Run: {@code mvn -q -B -pl feedback-core -Pbench test -DskipTests -Djmh.args="DriftBenchmark"}.
 * Throughput in updates per microsecond.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class DriftBenchmark {

    private static final int STREAM = 1 << 16;

    @Param({"ddm", "hddm_a", "adwin", "page_hinkley"})
    public String detector;

    private final boolean[] errors = new boolean[STREAM];
    private DriftDetector instance;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < STREAM; i++) {
            errors[i] = random.nextDouble() < 0.1;
        }
        instance = DriftDetector.named(detector).get();
    }

    @Benchmark
    public DriftState update() {
        DriftState state = instance.update(errors[next]);
        next = (next + 1) & (STREAM - 1);
        return state;
    }
}
