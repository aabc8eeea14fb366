package dev.modelfeedback.core.bench;

import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.ModelStatus;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.scores.ScoreCounts;
import dev.modelfeedback.core.scores.Scores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process cost of counting feedback, against a bare {@link LongAdder#increment()} as the
 * floor, all in one run so that the ratios compare like with like.
 *
 * <p>Run: {@code mvn -q -B -pl feedback-core -Pbench test -DskipTests} (see README, Performance).
 * Throughput in operations per microsecond; with 2 threads, JMH reports the aggregate.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RecordBenchmark {

    /**
     * One recorder shared by every benchmark thread, as in a server, with the defaults: windows of
     * the last 5 minutes and the last hour on the system clock, ticking in the background, and the
     * default drift detector, HDDM_A. At the end of each run it prints how many samples the
     * detector was fed and how many were dropped.
     */
    @State(Scope.Benchmark)
    public static class Shared {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final FeedbackRecorder recorder = FeedbackRecorder.builder(registry).build();

        @TearDown(Level.Trial)
        public void reportDrops() {
            long recorded = recorder.snapshot().total();
            double dropped = registry.get("model.drift.samples.dropped").functionCounter().count();
            System.out.printf("%n[drift] recorded %d, samples dropped %.0f%n", recorded, dropped);
        }
    }

    /** The same without drift detection, to show what the default detector costs. */
    @State(Scope.Benchmark)
    public static class NoDrift {
        final FeedbackRecorder recorder = FeedbackRecorder.builder(new SimpleMeterRegistry()).driftDetectors().build();
    }

    /** A model with four declared classes, without drift detection, as {@link NoDrift}. */
    @State(Scope.Benchmark)
    public static class MultiClass {
        final FeedbackRecorder recorder = FeedbackRecorder.builder(new SimpleMeterRegistry()).model("intent", "v2")
                .classes("billing", "tech", "sales", "account").driftDetectors().build();
    }

    /** The labels a thread records for the multi-class model, by index and by label: fields, as in {@link Feedback}. */
    @State(Scope.Thread)
    public static class ClassFeedback {
        int prediction = 1;
        int actual = 0;
        String predictionLabel = "tech";
        String actualLabel = "billing";
    }

    /** The floor's adder, in a state of its own so that each benchmark sets up only what it measures. */
    @State(Scope.Benchmark)
    public static class Floor {
        final LongAdder adder = new LongAdder();
    }

    /**
     * The values a thread records: fields, not constants, so the JIT cannot fold the validation
     * away. Each thread records one cell, as the floor increments one adder.
     */
    @State(Scope.Thread)
    public static class Feedback {
        int prediction = 1;
        int actual = 0;
    }

    /**
     * Scored values a thread records: 1,024 scores drawn once, taken in turn, so that the buckets,
     * bins and logs vary as in a real stream.
     */
    @State(Scope.Thread)
    public static class ScoredFeedback {
        final double[] scores = new SplittableRandom(7).doubles(1024).toArray();
        final int[] actuals = new SplittableRandom(8).ints(1024, 0, 2).toArray();
        int next;
    }

    /** A model with scored feedback, without drift detection, as {@link NoDrift}; scored once so that its meters exist. */
    @State(Scope.Benchmark)
    public static class Scored {
        final FeedbackRecorder recorder = FeedbackRecorder.builder(new SimpleMeterRegistry()).driftDetectors().build();
        final FeedbackRecorder intent = FeedbackRecorder.builder(new SimpleMeterRegistry()).model("intent", "v2")
                .classes("billing", "tech", "sales", "account").driftDetectors().build();
        final Scores intentScores = Scores.ofClasses(0.55, 0.25, 0.15, 0.05);

        @Setup(Level.Trial)
        public void fill() {
            SplittableRandom random = new SplittableRandom(9);
            for (int i = 0; i < 100_000; i++) {
                int actual = random.nextInt(2);
                recorder.record(actual, actual, Math.min(1, random.nextDouble() * 0.8 + actual * 0.2));
                intent.record(actual, actual, intentScores);
            }
        }
    }

    @Benchmark
    public void recordScored(Scored scored, ScoredFeedback feedback) {
        int i = feedback.next++ & 1023;
        int actual = feedback.actuals[i];
        double score = feedback.scores[i];
        scored.recorder.record(score >= 0.5 ? 1 : 0, actual, score);
    }

    @Benchmark
    @Threads(2)
    public void recordScoredTwoThreads(Scored scored, ScoredFeedback feedback) {
        int i = feedback.next++ & 1023;
        int actual = feedback.actuals[i];
        double score = feedback.scores[i];
        scored.recorder.record(score >= 0.5 ? 1 : 0, actual, score);
    }

    @Benchmark
    public void recordMultiClassScored(Scored scored, ClassFeedback feedback) {
        scored.intent.record(feedback.prediction, feedback.actual, scored.intentScores);
    }

    /** What GET /feedback reads of a scored model's scores: its lifetime score counts. */
    @Benchmark
    public ScoreCounts scoreSnapshot(Scored scored) {
        return scored.recorder.scores();
    }

    /** What GET /feedback reads per scored model: lifetime and both windows, matrix and scores. */
    @Benchmark
    public ModelStatus statusScored(Scored scored) {
        return scored.recorder.status();
    }

    @Benchmark
    public void longAdderIncrement(Floor floor) {
        floor.adder.increment();
    }

    @Benchmark
    public void record(Shared shared, Feedback feedback) {
        shared.recorder.record(feedback.prediction, feedback.actual);
    }

    @Benchmark
    public void recordWithoutDriftDetection(NoDrift noDrift, Feedback feedback) {
        noDrift.recorder.record(feedback.prediction, feedback.actual);
    }

    @Benchmark
    public void recordMultiClassByIndex(MultiClass multiClass, ClassFeedback feedback) {
        multiClass.recorder.record(feedback.prediction, feedback.actual);
    }

    @Benchmark
    public void recordMultiClassByLabel(MultiClass multiClass, ClassFeedback feedback) {
        multiClass.recorder.record(feedback.predictionLabel, feedback.actualLabel);
    }

    @Benchmark
    @Threads(2)
    public void longAdderIncrementTwoThreads(Floor floor) {
        floor.adder.increment();
    }

    @Benchmark
    @Threads(2)
    public void recordTwoThreads(Shared shared, Feedback feedback) {
        shared.recorder.record(feedback.prediction, feedback.actual);
    }

    /**
     * Thread 1 records false positives, thread 2 true positives: no CAS ever fails. Fields that are
     * not final, as in {@link Feedback}: a {@code final int} with a constant initializer is a
     * compile-time constant, which would let the JIT fold the validation away.
     */
    @State(Scope.Thread)
    public static class DistinctFeedback {
        private static final AtomicInteger NEXT = new AtomicInteger();
        int prediction = 1;
        int actual = NEXT.getAndIncrement() & 1;
    }

    /** Guards against false sharing between cells, which only shows when threads record different outcomes. */
    @Benchmark
    @Threads(2)
    public void recordTwoThreadsDistinctOutcomes(Shared shared, DistinctFeedback feedback) {
        shared.recorder.record(feedback.prediction, feedback.actual);
    }

    @Benchmark
    public ClassificationSnapshot snapshot(Shared shared) {
        return shared.recorder.snapshot();
    }

    /** What GET /feedback reads per model: lifetime and both windows. */
    @Benchmark
    public ModelStatus status(Shared shared) {
        return shared.recorder.status();
    }
}
