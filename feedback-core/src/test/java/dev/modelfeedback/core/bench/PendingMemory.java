package dev.modelfeedback.core.bench;

import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.join.PendingStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.UUID;

/**
 * The heap an in-memory pending store takes per pending prediction: heap used after full garbage
 * collections, before and after storing {@code N} predictions (default 1,000,000) under
 * 36-character UUID ids, divided by the predictions pending then, in a store of capacity {@code C}
 * (default 1,000,000: full at the default N; a larger one shows a store still growing).
 *
 * <p>Run: {@code mvn -q -B -pl feedback-core -Pbench test -DskipTests
 * -Dbench.main=dev.modelfeedback.core.bench.PendingMemory -Djmh.args="N C"}
 */
public final class PendingMemory {

    private PendingMemory() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long capacity = args.length > 1 ? Long.parseLong(args[1]) : PendingStore.DEFAULT_CAPACITY;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        InMemoryPendingStore store = new InMemoryPendingStore(capacity, Duration.ofHours(24));
        // touch the namespace, so that what is measured is the entries, not the store's skeleton
        store.apply(JoinOperation.prediction("fraud@v3", "warm-up", 1), System.currentTimeMillis());
        long before = usedAfterGc(memory);
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            store.apply(JoinOperation.prediction("fraud@v3", UUID.randomUUID().toString(), i & 1), now);
        }
        long after = usedAfterGc(memory);
        long pending = store.pending("fraud@v3");
        System.out.printf("capacity %,d: %,d pending predictions; heap before %,d B, after %,d B: "
                + "%.1f bytes per pending prediction%n", capacity, pending, before, after, (after - before) / (double) pending);
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
