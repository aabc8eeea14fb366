package dev.modelfeedback.core.bench;

import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.join.JoinOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Delayed labels: one {@code recordPrediction} and its {@code recordActual} per operation, with
 * 36-character UUID ids, through the default in-memory store (and the default windows and drift
 * detector). Throughput in pairs per microsecond; with 2 threads, JMH reports the aggregate. The
 * default capacity, 1,000,000 per model, holds a table larger than most caches; a capacity of
 * 10,000 shows the cost of the work alone.
 *
 * <p>Run: {@code mvn -q -B -pl feedback-core -Pbench test -DskipTests -Djmh.args="JoinBenchmark"}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class JoinBenchmark {

    /** The recorder every thread shares, as in a server. */
    @State(Scope.Benchmark)
    public static class Shared {
        /** The store's capacity: in steady state it is full, and every pair evicts the oldest entry. */
        @Param({"1000000", "10000"})
        public long capacity;
        FeedbackRecorder recorder;
        final AtomicLong threads = new AtomicLong();

        @Setup(Level.Trial)
        public void setUp() {
            recorder = FeedbackRecorder.builder(new SimpleMeterRegistry()).pendingCapacity(capacity).build();
        }
    }

    /**
     * Each thread's own fresh ids, 36 characters in the shape of a UUID: the thread's number, then a
     * counter in hex. Making one (about 15 ns) is part of what is measured, so the figures understate
     * the store's speed a little; a fresh id per pair keeps the store in its steady state (full after
     * a million pairs, evicting the oldest), never answering duplicates.
     */
    @State(Scope.Thread)
    public static class Ids {
        private static final char[] HEX = "0123456789abcdef".toCharArray();
        private final char[] id = "00000000-0000-0000-0000-000000000000".toCharArray();
        private long counter;

        @Setup(Level.Trial)
        public void setUp(Shared shared) {
            long thread = shared.threads.incrementAndGet();
            for (int i = 7; i >= 0; i--) {
                id[i] = HEX[(int) (thread >>> (4 * (7 - i))) & 15];
            }
        }

        String nextId() {
            long value = counter++;
            for (int i = 35; i >= 24; i--) {
                id[i] = HEX[(int) value & 15];
                value >>>= 4;
            }
            for (int i = 22; i >= 19; i--) {
                id[i] = HEX[(int) value & 15];
                value >>>= 4;
            }
            return new String(id);
        }
    }

    @Benchmark
    public JoinOutcome predictionThenActual(Shared shared, Ids ids) {
        String id = ids.nextId();
        shared.recorder.recordPrediction(id, 1);
        return shared.recorder.recordActual(id, 1);
    }

    @Benchmark
    @Threads(2)
    public JoinOutcome predictionThenActualTwoThreads(Shared shared, Ids ids) {
        String id = ids.nextId();
        shared.recorder.recordPrediction(id, 1);
        return shared.recorder.recordActual(id, 1);
    }
}
