package dev.modelfeedback.core.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory store: the shared semantics of {@link PendingStoreContract}, then its capacity and hashing. */
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
}
