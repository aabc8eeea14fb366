package dev.modelfeedback.core.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.scores.Scores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store: the shared semantics of {@link PendingStoreContract}, then its capacity,
 * hashing, and the scores its table moves with their entries.
 */
final class InMemoryPendingStoreTest extends PendingStoreContract {

    @Override
    protected PendingStore newStore(Duration ttl) {
        return new InMemoryPendingStore(1_000_000, ttl);
    }

    @Test
    void forgetsEveryIdAfterTwiceTheTtl() {
        InMemoryPendingStore memory = (InMemoryPendingStore) store;
        for (int i = 0; i < 10; i++) {
            one(JoinOperation.prediction(NS, "p" + i, 1), T0);
        }
        one(JoinOperation.inline(NS, "inline", 1, 0), T0);
        assertThat(memory.size(NS)).isEqualTo(11);

        memory.sweep(NS, T0 + Duration.ofMinutes(119).toMillis());
        assertThat(memory.size(NS)).isEqualTo(11);
        memory.sweep(NS, T0 + Duration.ofMinutes(120).toMillis());

        assertThat(memory.size(NS)).isZero();
        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 10L));
    }

    @Test
    void aFullStoreEvictsTheOldestAndCountsPendingOnesAsEvicted() {
        InMemoryPendingStore small = new InMemoryPendingStore(32, Duration.ofHours(1));
        Map<UnmatchedReason, Long> counted = new EnumMap<>(UnmatchedReason.class);
        small.onUnmatched(NS, (reason, count) -> counted.merge(reason, count, Long::sum));

        for (int i = 0; i < 1000; i++) {
            small.apply(List.of(JoinOperation.prediction(NS, "id-" + i, i & 1)), T0 + i);
        }

        assertThat(small.size(NS)).isLessThanOrEqualTo(32).isEqualTo(small.pending(NS));
        assertThat(counted).containsExactly(Map.entry(UnmatchedReason.EVICTED, 1000 - small.pending(NS)));
        // the newest survive: the last prediction of each segment is still there
        // stored in the second of T0, joined 2 s later
        assertThat(small.apply(List.of(JoinOperation.actual(NS, "id-999", 1)), T0 + 2000).results().get(0))
                .isEqualTo(JoinResult.joined(1, 1, 2000));
    }

    @Test
    void sizeCountsEveryIdHeldAndPendingOnlyTheWaitingOnes() {
        InMemoryPendingStore memory = (InMemoryPendingStore) store;
        for (int i = 0; i < 20_000; i++) {
            one(i % 2 == 0 ? JoinOperation.prediction(NS, "id-" + i, 1) : JoinOperation.inline(NS, "id-" + i, 1, 1), T0);
        }
        for (int i = 0; i < 20_000; i += 4) {
            one(JoinOperation.actual(NS, "id-" + i, 0), T0);
        }

        assertThat(memory.size(NS)).isEqualTo(20_000);
        assertThat(memory.pending(NS)).isEqualTo(5_000);
    }

    @Test
    void idsAndSettingsAreChecked() {
        assertThatThrownBy(() -> JoinOperation.prediction(NS, "", 1))
                .hasMessage("id must be 1 to 128 characters long, got 0 characters");
        assertThatThrownBy(() -> JoinOperation.prediction(NS, "a b", 1))
                .hasMessage("id may contain only letters, digits and . _ - : / + = ~, got 'a b'");
        assertThatThrownBy(() -> JoinOperation.prediction(NS, "x".repeat(129), 1))
                .hasMessage("id must be 1 to 128 characters long, got 129 characters");
        assertThat(Ids.requireValid("order:1234/line:2~v=3+x_y.z-w")).isEqualTo("order:1234/line:2~v=3+x_y.z-w");
        assertThatThrownBy(() -> new InMemoryPendingStore(8, Duration.ofHours(1)))
                .hasMessage("capacity must be between 16 and 2147483647, got 8");
        assertThatThrownBy(() -> new InMemoryPendingStore(100, Duration.ofMillis(1500)))
                .hasMessage("ttl must be whole seconds from 1s to 365 days, got PT1.5S");
    }

    /** Two ids differing only in one character, or in length, have unrelated keys. */
    @Test
    void theHashSeparatesCloseIds() {
        List<long[]> keys = new ArrayList<>();
        long seed = IdHash.seed(NS);
        for (String id : List.of("a", "b", "aa", "a\\u0000", "0123456789abcdef", "0123456789abcdeg", "0123456789abcde")) {
            long[] key = new long[2];
            IdHash.hash(id, seed, key);
            for (long[] other : keys) {
                assertThat(key[0] != other[0] || key[1] != other[1]).as(id).isTrue();
            }
            keys.add(key);
        }
        long[] one = new long[2];
        long[] other = new long[2];
        IdHash.hash("id", IdHash.seed("a@1"), one);
        IdHash.hash("id", IdHash.seed("b@1"), other);
        assertThat(one[1]).isNotEqualTo(other[1]);
    }

    /**
     * Ids of one segment whose probes start at one slot of a table of 16 (a segment's first size):
     * stored in this order, they fill consecutive slots, and removing the first shifts the others
     * back, one slot each.
     */
    private static List<String> idsOfOneProbeRun(int count) {
        long seed = IdHash.seed(NS);
        long[] key = new long[2];
        List<String> ids = new ArrayList<>();
        for (int i = 0; ids.size() < count; i++) {
            String id = "run-" + i;
            IdHash.hash(id, seed, key);
            boolean segmentZero = (key[0] & (InMemoryPendingStore.SEGMENTS - 1)) == 0;
            boolean homeFive = (int) (((key[0] >>> 32) * 16) >>> 32) == 5;
            if (segmentZero && homeFive) {
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void removingAnEntryShiftsTheScoresOfItsProbeRunWithTheirEntries() {
        List<String> run = idsOfOneProbeRun(4);
        long later = T0 + TTL.toMillis() * 2 - 60_000;
        one(JoinOperation.prediction(NS, run.get(0), 1, Scores.binary(0.1)), T0);
        one(JoinOperation.prediction(NS, run.get(1), 1, Scores.binary(0.2)), later);
        one(JoinOperation.prediction(NS, run.get(2), 0), later);
        one(JoinOperation.inline(NS, run.get(3), 0, 1, Scores.binary(0.4)), later);

        // the first one's horizon: it is removed, and the three after it move back a slot
        long now = T0 + 2 * TTL.toMillis();
        store.sweep(NS, now);

        assertThat(((InMemoryPendingStore) store).size(NS)).isEqualTo(3);
        assertThat(one(JoinOperation.actual(NS, run.get(0), 1), now).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(one(JoinOperation.prediction(NS, run.get(1), 1, Scores.binary(0.1)), now).outcome())
                .isEqualTo(JoinOutcome.CONFLICT);
        assertThat(one(JoinOperation.prediction(NS, run.get(1), 1, Scores.binary(0.2)), now).outcome())
                .isEqualTo(JoinOutcome.DUPLICATE);
        assertThat(one(JoinOperation.actual(NS, run.get(1), 0), now)).isEqualTo(JoinResult.joined(1, 0, 60_000,
                Scores.binary(0.2)));
        assertThat(one(JoinOperation.actual(NS, run.get(2), 0), now)).isEqualTo(JoinResult.joined(0, 0, 60_000, null));
        assertThat(one(JoinOperation.inline(NS, run.get(3), 0, 1, Scores.binary(0.4)), now).outcome())
                .isEqualTo(JoinOutcome.DUPLICATE);
        assertThat(one(JoinOperation.inline(NS, run.get(3), 0, 1), now).outcome()).isEqualTo(JoinOutcome.CONFLICT);
    }

    @Test
    void evictionShiftsTheScoresOfTheEntriesLeftWithThem() {
        InMemoryPendingStore small = new InMemoryPendingStore(InMemoryPendingStore.SEGMENTS * 4, TTL);
        List<String> run = idsOfOneProbeRun(6);
        for (int i = 0; i < run.size(); i++) {
            small.apply(JoinOperation.prediction(NS, run.get(i), 1, i % 3 == 1 ? null : Scores.binary(i / 10.0)), T0);
        }

        // four entries a segment: the first two made room for the last two, which took their slots
        for (int i = 0; i < 2; i++) {
            assertThat(small.apply(JoinOperation.actual(NS, run.get(i), 1), T0).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        }
        for (int i = 2; i < run.size(); i++) {
            assertThat(small.apply(JoinOperation.actual(NS, run.get(i), 0), T0 + 5000))
                    .isEqualTo(JoinResult.joined(1, 0, 5000, i % 3 == 1 ? null : Scores.binary(i / 10.0)));
        }
    }

    /**
     * Ten thousand ids in each of two namespaces, every third without scores, interleaved with ids
     * stored earlier: the tables grow many times, then the earlier ids are forgotten (removals all
     * over the tables); every id left is a duplicate with its own scores only, and joins with them,
     * to the bit.
     */
    @Test
    void growthAndRemovalKeepEveryEntrysScores() {
        int count = 10_000;
        long later = T0 + TTL.toMillis() * 2 - 60_000;
        for (int i = 0; i < count; i++) {
            one(JoinOperation.prediction(NS, "early-" + i, 1, binaryScores(count - i)), T0);
            one(JoinOperation.prediction(CLASSES_NS, "early-" + i, 1, classScores(count - i)), T0);
        }
        for (int i = 0; i < count; i++) {
            one(JoinOperation.prediction(NS, "id-" + i, i & 1, binaryScores(i)), later);
            one(JoinOperation.prediction(CLASSES_NS, "id-" + i, i % 4, classScores(i)), later);
        }

        long now = T0 + 2 * TTL.toMillis();
        store.sweep(NS, now);
        store.sweep(CLASSES_NS, now);

        InMemoryPendingStore memory = (InMemoryPendingStore) store;
        assertThat(memory.size(NS)).isEqualTo(count);
        assertThat(memory.size(CLASSES_NS)).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            String id = "id-" + i;
            assertThat(one(JoinOperation.prediction(NS, id, i & 1, binaryScores(i + 1)), now).outcome()).as(id)
                    .isEqualTo(JoinOutcome.CONFLICT);
            assertThat(one(JoinOperation.prediction(NS, id, i & 1, binaryScores(i)), now).outcome()).as(id)
                    .isEqualTo(JoinOutcome.DUPLICATE);
            assertThat(one(JoinOperation.actual(NS, id, 1), now)).as(id)
                    .isEqualTo(JoinResult.joined(i & 1, 1, 60_000, binaryScores(i)));
            assertThat(one(JoinOperation.inline(CLASSES_NS, id, i % 4, 0, classScores(i)), now)).as(id)
                    .isEqualTo(JoinResult.joined(i % 4, 0, 60_000, classScores(i)));
        }
    }

    /** A binary score for id i, or none for every third: all different, neighbours a bit apart. */
    private static @Nullable Scores binaryScores(int i) {
        return i % 3 == 2 ? null : Scores.binary(i % 2 == 0 ? i / 100_000.0 : Math.nextUp(i / 100_000.0));
    }

    /** Four classes' scores for id i, or none for every third: all different. */
    private static @Nullable Scores classScores(int i) {
        double first = i / 100_000.0;
        return i % 3 == 0 ? null : Scores.ofClasses(first, 0.5 - first, 0.25, 0.25);
    }

    @Test
    void scoresOfAnotherKindThanANamespacesFirstAreRefused() {
        one(JoinOperation.prediction(NS, "binary", 1, Scores.binary(0.5)), T0);
        one(JoinOperation.prediction(CLASSES_NS, "classes", 1, Scores.ofClasses(0.5, 0.5)), T0);

        assertThatThrownBy(() -> store.apply(JoinOperation.prediction(NS, "other", 1, Scores.ofClasses(0.5, 0.5)), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("namespace fraud@v3 keeps scores of 1 number (a binary model's), got Scores[0.5, 0.5]");
        assertThatThrownBy(() -> store.apply(List.of(JoinOperation.prediction(CLASSES_NS, "new", 1),
                JoinOperation.inline(CLASSES_NS, "three", 1, 1, Scores.ofClasses(0.2, 0.3, 0.5))), T0))
                .hasMessage("namespace intent@v2/classes-3f2a keeps scores of 2 probabilities, got Scores[0.2, 0.3, 0.5]");
        assertThat(store.apply(JoinOperation.actual(CLASSES_NS, "new", 1), T0).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(store.pending(NS)).isEqualTo(1);
        assertThat(store.pending(CLASSES_NS)).isEqualTo(1);
    }
}
