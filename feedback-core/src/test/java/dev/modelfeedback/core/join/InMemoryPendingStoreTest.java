package dev.modelfeedback.core.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class InMemoryPendingStoreTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String NS = "fraud@v3";

    private final InMemoryPendingStore store = new InMemoryPendingStore(1_000, Duration.ofHours(1));
    private final Map<UnmatchedReason, Long> unmatched = new EnumMap<>(UnmatchedReason.class);

    InMemoryPendingStoreTest() {
        store.onUnmatched(NS, (reason, count) -> unmatched.merge(reason, count, Long::sum));
    }

    private JoinResult one(JoinOperation operation, long now) {
        PendingStore.Applied applied = store.apply(List.of(operation), now);
        return applied.conflicted() ? JoinResult.of(JoinOutcome.CONFLICT) : applied.results().get(0);
    }

    /** Every state and operation: {@code state} is reached from a fresh id by the listed steps. */
    @ParameterizedTest(name = "{0} then {1}: {2}")
    @CsvSource({
        "nothing,                 predict 1,   PENDING",
        "nothing,                 actual 1,    UNKNOWN",
        "nothing,                 inline 1 0,  MATCHED 1 0",
        "predict 1,               predict 1,   DUPLICATE",
        "predict 1,               predict 0,   CONFLICT",
        "predict 1,               actual 0,    MATCHED 1 0",
        "predict 0,               inline 0 1,  MATCHED 0 1",
        "predict 0,               inline 1 1,  CONFLICT",
        "predict 1;actual 0,      actual 0,    DUPLICATE",
        "predict 1;actual 0,      actual 1,    CONFLICT",
        "predict 1;actual 0,      predict 1,   DUPLICATE",
        "predict 1;actual 0,      predict 0,   CONFLICT",
        "predict 1;actual 0,      inline 1 0,  DUPLICATE",
        "predict 1;actual 0,      inline 1 1,  CONFLICT",
        "inline 1 1,              inline 1 1,  DUPLICATE",
        "inline 1 1,              inline 0 1,  CONFLICT",
        "inline 1 1,              actual 1,    DUPLICATE",
        "inline 1 1,              actual 0,    CONFLICT",
        "predict 1;expire,        actual 1,    EXPIRED",
        "predict 1;expire,        predict 0,   PENDING",
        "predict 1;expire,        inline 0 0,  MATCHED 0 0",
    })
    void decidesEveryCase(String before, String operation, String expected) {
        long now = T0;
        for (String step : before.split(";")) {
            if (step.equals("expire")) {
                now += Duration.ofHours(1).toMillis();
            } else if (!step.equals("nothing")) {
                assertThat(one(parse(step), now).outcome()).as(step).isIn(JoinOutcome.PENDING, JoinOutcome.MATCHED);
            }
        }

        JoinResult result = one(parse(operation), now);

        String[] parts = expected.split(" ");
        assertThat(result.outcome()).isEqualTo(JoinOutcome.valueOf(parts[0]));
        if (parts.length == 3) {
            assertThat(result.prediction()).isEqualTo(Integer.parseInt(parts[1]));
            assertThat(result.actual()).isEqualTo(Integer.parseInt(parts[2]));
        }
    }

    private static JoinOperation parse(String step) {
        String[] parts = step.trim().split(" ");
        return switch (parts[0]) {
            case "predict" -> JoinOperation.prediction(NS, "id-1", Integer.parseInt(parts[1]));
            case "actual" -> JoinOperation.actual(NS, "id-1", Integer.parseInt(parts[1]));
            default -> JoinOperation.inline(NS, "id-1", Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        };
    }

    @Test
    void aConflictInABatchAppliesNothing() {
        one(JoinOperation.prediction(NS, "a", 1), T0);

        PendingStore.Applied applied = store.apply(List.of(JoinOperation.prediction(NS, "b", 0),
                JoinOperation.actual(NS, "a", 1), JoinOperation.prediction(NS, "a", 0)), T0);

        assertThat(applied.conflicted()).isTrue();
        assertThat(applied.conflict()).isEqualTo(2);
        assertThat(applied.results()).isEmpty();
        // nothing changed: b was not stored, a is still pending
        assertThat(one(JoinOperation.actual(NS, "b", 1), T0).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(one(JoinOperation.actual(NS, "a", 1), T0)).isEqualTo(JoinResult.matched(1, 1));
    }

    @Test
    void aBatchSeesItsOwnEarlierOperations() {
        PendingStore.Applied applied = store.apply(List.of(JoinOperation.prediction(NS, "x", 1),
                JoinOperation.actual(NS, "x", 0), JoinOperation.actual(NS, "x", 0), JoinOperation.inline(NS, "y", 0, 0),
                JoinOperation.inline(NS, "y", 0, 0)), T0);

        assertThat(applied.results()).extracting(JoinResult::outcome).containsExactly(JoinOutcome.PENDING,
                JoinOutcome.MATCHED, JoinOutcome.DUPLICATE, JoinOutcome.MATCHED, JoinOutcome.DUPLICATE);
        assertThat(store.pending(NS)).isZero();
    }

    @Test
    void expiredPredictionsAreCountedOnceAndIdsForgottenAfterTwiceTheTtl() {
        for (int i = 0; i < 10; i++) {
            one(JoinOperation.prediction(NS, "p" + i, 1), T0);
        }
        one(JoinOperation.actual(NS, "p0", 1), T0 + 1000);
        assertThat(store.pending(NS)).isEqualTo(9);

        store.sweep(NS, T0 + Duration.ofMinutes(59).toMillis());
        assertThat(unmatched).isEmpty();
        store.sweep(NS, T0 + Duration.ofMinutes(60).toMillis());
        store.sweep(NS, T0 + Duration.ofMinutes(61).toMillis());

        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 9L));
        assertThat(store.pending(NS)).isZero();
        assertThat(one(JoinOperation.actual(NS, "p1", 1), T0 + Duration.ofMinutes(90).toMillis()).outcome())
                .isEqualTo(JoinOutcome.EXPIRED);
        assertThat(one(JoinOperation.actual(NS, "p0", 1), T0 + Duration.ofMinutes(90).toMillis()).outcome())
                .isEqualTo(JoinOutcome.DUPLICATE);
        // after twice the time-to-live every id is forgotten
        store.sweep(NS, T0 + Duration.ofMinutes(120).toMillis());
        assertThat(store.size(NS)).isZero();
        assertThat(one(JoinOperation.actual(NS, "p1", 1), T0 + Duration.ofMinutes(121).toMillis()).outcome())
                .isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 9L));
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
        assertThat(small.apply(List.of(JoinOperation.actual(NS, "id-999", 1)), T0 + 2000).results().get(0))
                .isEqualTo(JoinResult.matched(1, 1));
    }

    /** Many operations at random, against a plain map with the same rules (no capacity pressure, no expiry). */
    @Test
    void agreesWithAPlainMapOnRandomOperations() {
        InMemoryPendingStore big = new InMemoryPendingStore(1_000_000, Duration.ofHours(1));
        Map<String, int[]> model = new HashMap<>(); // id -> {prediction, actual or -1}
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            String id = "id-" + random.nextInt(20_000);
            int kind = random.nextInt(3);
            int prediction = random.nextInt(2);
            int actual = random.nextInt(2);
            JoinOperation operation = switch (kind) {
                case 0 -> JoinOperation.prediction(NS, id, prediction);
                case 1 -> JoinOperation.actual(NS, id, actual);
                default -> JoinOperation.inline(NS, id, prediction, actual);
            };
            PendingStore.Applied applied = big.apply(List.of(operation), T0);
            JoinOutcome outcome = applied.conflicted() ? JoinOutcome.CONFLICT : applied.results().get(0).outcome();
            assertThat(outcome).as("operation %d on %s", i, id).isEqualTo(expected(model, operation));
        }
        long pending = model.values().stream().filter(v -> v[1] < 0).count();
        assertThat(big.pending(NS)).isEqualTo(pending);
        assertThat(big.size(NS)).isEqualTo(model.size());
    }

    private static JoinOutcome expected(Map<String, int[]> model, JoinOperation operation) {
        int[] entry = model.get(operation.id());
        if (entry == null) {
            if (!operation.hasPrediction()) {
                return JoinOutcome.UNKNOWN;
            }
            model.put(operation.id(), new int[] {operation.prediction(), operation.actual()});
            return operation.hasActual() ? JoinOutcome.MATCHED : JoinOutcome.PENDING;
        }
        boolean joined = entry[1] >= 0;
        if (operation.hasPrediction() && entry[0] != operation.prediction()) {
            return JoinOutcome.CONFLICT;
        }
        if (!operation.hasActual()) {
            return JoinOutcome.DUPLICATE;
        }
        if (joined) {
            return entry[1] == operation.actual() ? JoinOutcome.DUPLICATE : JoinOutcome.CONFLICT;
        }
        entry[1] = operation.actual();
        return JoinOutcome.MATCHED;
    }

    @Test
    void namespacesAreApart() {
        one(JoinOperation.prediction(NS, "same", 1), T0);

        assertThat(store.apply(List.of(JoinOperation.actual("churn@v1", "same", 1)), T0).results().get(0).outcome())
                .isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(store.pending(NS)).isEqualTo(1);
        assertThat(store.pending("churn@v1")).isZero();
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
