package dev.modelfeedback.core.bench;

import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.scores.Scores;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The heap an in-memory pending store takes per pending prediction: heap used after full garbage
 * collections, before and after storing {@code N} predictions (default 1,000,000) under
 * 36-character UUID ids, divided by the predictions pending then, in a store of capacity {@code C}
 * (default 1,000,000: full at the default N; a larger one shows a store still growing). With a
 * third argument {@code scores}, each prediction carries a binary model's score (a random
 * probability); with {@code scores=K}, the scores of a model of K classes (2 to 32).
 *
 * <p>Run: {@code mvn -q -B -pl feedback-core -Pbench test -DskipTests
 * -Dbench.main=dev.modelfeedback.core.bench.PendingMemory -Djmh.args="N C [scores|scores=K]"}
 */
public final class PendingMemory {

    private PendingMemory() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long capacity = args.length > 1 ? Long.parseLong(args[1]) : PendingStore.DEFAULT_CAPACITY;
        int classes = args.length > 2 ? scoredClasses(args[2]) : 0;
        SplittableRandom random = new SplittableRandom(1);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        InMemoryPendingStore store = new InMemoryPendingStore(capacity, Duration.ofHours(24));
        // touch the namespace, so that what is measured is the entries, not the store's skeleton
        store.apply(JoinOperation.prediction("fraud@v3", "warm-up", 1), System.currentTimeMillis());
        long before = usedAfterGc(memory);
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            Scores scores = classes == 0 ? null : scores(random, classes);
            store.apply(JoinOperation.prediction("fraud@v3", UUID.randomUUID().toString(), i & 1, scores), now);
        }
        long after = usedAfterGc(memory);
        long pending = store.pending("fraud@v3");
        String kind = classes == 0 ? "without scores" : classes == 1 ? "with a binary score" : "with " + classes + " classes' scores";
        System.out.printf("capacity %,d: %,d pending predictions %s; heap before %,d B, after %,d B: "
                + "%.1f bytes per pending prediction%n", capacity, pending, kind, before, after,
                (after - before) / (double) pending);
    }

    /** 0 for no scores, 1 for a binary score ({@code scores}), else K ({@code scores=K}). */
    private static int scoredClasses(String argument) {
        if (argument.equals("scores")) {
            return 1;
        }
        int classes = argument.startsWith("scores=") ? Integer.parseInt(argument.substring(7)) : 0;
        if (classes < 2 || classes > JoinOperation.MAX_CLASSES) {
            throw new IllegalArgumentException("the third argument is scores or scores=K, K from 2 to "
                    + JoinOperation.MAX_CLASSES + ", got " + argument);
        }
        return classes;
    }

    /** A random binary score ({@code classes} 1), or random probabilities of that many classes. */
    private static Scores scores(SplittableRandom random, int classes) {
        if (classes == 1) {
            return Scores.binary(random.nextDouble());
        }
        double[] p = new double[classes];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            p[c] = random.nextDouble();
            sum += p[c];
        }
        for (int c = 0; c < classes; c++) {
            p[c] /= sum;
        }
        return Scores.ofClasses(p);
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
