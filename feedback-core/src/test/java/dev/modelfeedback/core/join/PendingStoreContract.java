package dev.modelfeedback.core.join;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The semantics every {@link PendingStore} shares, as tests: outcomes, duplicates and conflicts,
 * atomic batches, expiry counted once, the horizon of twice the time-to-live, unknown versus
 * expired, namespaces apart. A store's test extends this class and says how to make a store.
 *
 * <p>Time is given to the store ({@code nowMillis}), never read from a clock, so a test runs
 * days of expiry in a moment. Its methods are public so that stores in other modules inherit them.
 */
public abstract class PendingStoreContract {

    /** The time the tests start at. */
    protected static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    /** The namespace most tests use. */
    protected static final String NS = "fraud@v3";
    /** The time-to-live of the stores under test. */
    protected static final Duration TTL = Duration.ofHours(1);

    private final List<PendingStore> stores = new ArrayList<>();
    /** The store under test, with a time-to-live of {@link #TTL}. */
    protected PendingStore store;
    /** What the store told the listener of {@link #NS}. */
    protected final Map<UnmatchedReason, Long> unmatched = new EnumMap<>(UnmatchedReason.class);

    /**
     * A new, empty store with this time-to-live, and room for at least 100,000 ids per namespace.
     * Closed after the test.
     */
    protected abstract PendingStore newStore(Duration ttl);

    /**
     * Sweeps a namespace and returns once what expired was told to the listener. By default
     * {@link PendingStore#sweep}; a store that sweeps in the background says how to wait for it.
     */
    protected void sweep(PendingStore target, String namespace, long nowMillis) {
        target.sweep(namespace, nowMillis);
    }

    /** How many random operations {@link #agreesWithAPlainMapOnRandomOperations} applies. */
    protected int randomOperations() {
        return 200_000;
    }

    /** A store made by {@link #newStore} and closed after the test. */
    protected final PendingStore tracked(PendingStore made) {
        stores.add(made);
        return made;
    }

    @BeforeEach
    public void createStore() {
        store = tracked(newStore(TTL));
        store.onUnmatched(NS, (reason, count) -> unmatched.merge(reason, count, Long::sum));
    }

    @AfterEach
    public void closeStores() {
        stores.forEach(PendingStore::close);
    }

    /** Applies one operation as a batch of one. */
    protected final JoinResult one(JoinOperation operation, long now) {
        PendingStore.Applied applied = store.apply(List.of(operation), now);
        return applied.conflicted() ? JoinResult.of(JoinOutcome.CONFLICT) : applied.results().get(0);
    }

    private static long minutes(long minutes) {
        return T0 + Duration.ofMinutes(minutes).toMillis();
    }

    /**
     * Every state and operation: {@code state} is reached from a fresh id by the listed steps, and
     * the operation comes 90 s later; {@code JOINED} is feedback that joined the stored prediction,
     * after waiting those 90 s.
     */
    @ParameterizedTest(name = "{0} then {1}: {2}")
    @CsvSource({
        "nothing,                 predict 1,   PENDING",
        "nothing,                 actual 1,    UNKNOWN",
        "nothing,                 inline 1 0,  MATCHED 1 0",
        "predict 1,               predict 1,   DUPLICATE",
        "predict 1,               predict 0,   CONFLICT",
        "predict 1,               actual 0,    JOINED 1 0",
        "predict 0,               inline 0 1,  JOINED 0 1",
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
        "predict 1;forget,        actual 1,    UNKNOWN",
        "inline 1 1;forget,       inline 0 0,  MATCHED 0 0",
        "predict 1;actual 1;forget, actual 0,  UNKNOWN",
    })
    public void decidesEveryCase(String before, String operation, String expected) {
        long now = T0;
        for (String step : before.split(";")) {
            if (step.equals("expire")) {
                now += TTL.toMillis();
            } else if (step.equals("forget")) {
                now += 2 * TTL.toMillis();
            } else if (!step.equals("nothing")) {
                assertThat(one(parse(step), now).outcome()).as(step).isIn(JoinOutcome.PENDING, JoinOutcome.MATCHED);
            }
        }

        JoinResult result = one(parse(operation), now + 90_000);

        String[] parts = expected.split(" ");
        if (parts[0].equals("JOINED")) {
            assertThat(result).isEqualTo(JoinResult.joined(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), 90_000));
            return;
        }
        assertThat(result.outcome()).isEqualTo(JoinOutcome.valueOf(parts[0]));
        if (parts.length == 3) {
            assertThat(result).isEqualTo(JoinResult.matched(Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
        } else {
            assertThat(result).isEqualTo(JoinResult.of(result.outcome()));
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
    public void oneOperationAnswersAsABatchOfOne() {
        assertThat(store.apply(JoinOperation.prediction(NS, "a", 1), T0)).isEqualTo(JoinResult.of(JoinOutcome.PENDING));
        assertThat(store.apply(JoinOperation.prediction(NS, "a", 0), T0)).isEqualTo(JoinResult.of(JoinOutcome.CONFLICT));
        assertThat(store.apply(JoinOperation.actual(NS, "a", 1), T0)).isEqualTo(JoinResult.joined(1, 1, 0));
        assertThat(store.apply(JoinOperation.actual(NS, "a", 1), T0)).isEqualTo(JoinResult.of(JoinOutcome.DUPLICATE));
    }

    @Test
    public void aConflictInABatchAppliesNothing() {
        one(JoinOperation.prediction(NS, "a", 1), T0);

        PendingStore.Applied applied = store.apply(List.of(JoinOperation.prediction(NS, "b", 0),
                JoinOperation.actual(NS, "a", 1), JoinOperation.prediction(NS, "a", 0)), T0);

        assertThat(applied.conflicted()).isTrue();
        assertThat(applied.conflict()).isEqualTo(2);
        assertThat(applied.results()).isEmpty();
        // nothing changed: b was not stored, a is still pending
        assertThat(store.pending(NS)).isEqualTo(1);
        assertThat(one(JoinOperation.actual(NS, "b", 1), T0).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(one(JoinOperation.actual(NS, "a", 1), T0)).isEqualTo(JoinResult.joined(1, 1, 0));
    }

    @Test
    public void aConflictInOneNamespaceAppliesNothingInTheOthers() {
        one(JoinOperation.inline("churn@v1", "c", 1, 1), T0);

        PendingStore.Applied applied = store.apply(List.of(JoinOperation.prediction(NS, "x", 1),
                JoinOperation.inline("churn@v1", "new", 0, 0), JoinOperation.inline("churn@v1", "c", 1, 0)), T0);

        assertThat(applied.conflict()).isEqualTo(2);
        assertThat(one(JoinOperation.actual(NS, "x", 1), T0).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(one(JoinOperation.inline("churn@v1", "new", 1, 1), T0)).isEqualTo(JoinResult.matched(1, 1));
    }

    @Test
    public void aBatchSeesItsOwnEarlierOperations() {
        PendingStore.Applied applied = store.apply(List.of(JoinOperation.prediction(NS, "x", 1),
                JoinOperation.actual(NS, "x", 0), JoinOperation.actual(NS, "x", 0), JoinOperation.inline(NS, "y", 0, 0),
                JoinOperation.inline(NS, "y", 0, 0)), T0);

        assertThat(applied.results()).containsExactly(JoinResult.of(JoinOutcome.PENDING), JoinResult.joined(1, 0, 0),
                JoinResult.of(JoinOutcome.DUPLICATE), JoinResult.matched(0, 0), JoinResult.of(JoinOutcome.DUPLICATE));
        assertThat(store.pending(NS)).isZero();
    }

    @Test
    public void aBatchAcrossNamespacesAnswersEachInOrder() {
        one(JoinOperation.prediction(NS, "p", 1), T0);
        one(JoinOperation.prediction("churn@v1", "p", 0), T0);

        PendingStore.Applied applied = store.apply(List.of(JoinOperation.actual("churn@v1", "p", 0),
                JoinOperation.actual(NS, "p", 0), JoinOperation.actual("churn@v1", "q", 1),
                JoinOperation.prediction("churn@v1", "r", 1)), T0);

        assertThat(applied.results()).containsExactly(JoinResult.joined(0, 0, 0), JoinResult.joined(1, 0, 0),
                JoinResult.of(JoinOutcome.UNKNOWN), JoinResult.of(JoinOutcome.PENDING));
        assertThat(store.pending(NS)).isZero();
        assertThat(store.pending("churn@v1")).isEqualTo(1);
    }

    @Test
    public void expiredPredictionsAreCountedOnceAndIdsForgottenAfterTwiceTheTtl() {
        for (int i = 0; i < 10; i++) {
            one(JoinOperation.prediction(NS, "p" + i, 1), T0);
        }
        one(JoinOperation.actual(NS, "p0", 1), T0 + 1000);
        assertThat(store.pending(NS)).isEqualTo(9);

        sweep(store, NS, minutes(59));
        assertThat(unmatched).isEmpty();
        sweep(store, NS, minutes(60));
        sweep(store, NS, minutes(61));

        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 9L));
        assertThat(store.pending(NS)).isZero();
        assertThat(one(JoinOperation.actual(NS, "p1", 1), minutes(90)).outcome()).isEqualTo(JoinOutcome.EXPIRED);
        assertThat(one(JoinOperation.actual(NS, "p0", 1), minutes(90)).outcome()).isEqualTo(JoinOutcome.DUPLICATE);
        // after twice the time-to-live every id is forgotten
        sweep(store, NS, minutes(120));
        sweep(store, NS, minutes(122));
        assertThat(one(JoinOperation.actual(NS, "p1", 1), minutes(121)).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(one(JoinOperation.actual(NS, "p0", 1), minutes(121)).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 9L));
        assertThat(store.pending(NS)).isZero();
    }

    @Test
    public void anOperationThatFindsAPredictionExpiredCountsItOnceAndTheSweepNotAgain() {
        one(JoinOperation.prediction(NS, "late", 1), T0);
        one(JoinOperation.prediction(NS, "again", 0), minutes(30));

        assertThat(one(JoinOperation.actual(NS, "late", 1), minutes(60)).outcome()).isEqualTo(JoinOutcome.EXPIRED);
        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 1L));
        // a new prediction for an expired id starts anew; the old one counts as expired, once
        assertThat(one(JoinOperation.prediction(NS, "again", 1), minutes(91)).outcome()).isEqualTo(JoinOutcome.PENDING);
        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 2L));
        assertThat(store.pending(NS)).isEqualTo(1);

        sweep(store, NS, minutes(92));
        sweep(store, NS, minutes(140));

        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 2L));
        assertThat(one(JoinOperation.actual(NS, "again", 1), minutes(140)))
                .isEqualTo(JoinResult.joined(1, 1, Duration.ofMinutes(49).toMillis()));
        assertThat(store.pending(NS)).isZero();
    }

    @Test
    public void aSweepLongAfterTheHorizonStillCountsEachExpiredPredictionOnce() {
        for (int i = 0; i < 5; i++) {
            one(JoinOperation.prediction(NS, "p" + i, 0), T0 + i * 1000L);
        }
        one(JoinOperation.inline(NS, "done", 1, 1), T0);

        sweep(store, NS, minutes(600));
        sweep(store, NS, minutes(601));

        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 5L));
        assertThat(store.pending(NS)).isZero();
        assertThat(one(JoinOperation.actual(NS, "p0", 0), minutes(602)).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(one(JoinOperation.inline(NS, "done", 1, 1), minutes(602)).outcome()).isEqualTo(JoinOutcome.MATCHED);
    }

    @Test
    public void expiryIsExactToTheSecondAndInTheOrderOfStorage() {
        for (int i = 0; i < 30; i++) {
            one(JoinOperation.prediction(NS, "p" + i, 1), T0 + i * 10_000L);
        }

        sweep(store, NS, T0 + TTL.toMillis() + 95_000);

        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 10L));
        assertThat(store.pending(NS)).isEqualTo(20);
        assertThat(one(JoinOperation.actual(NS, "p9", 1), T0 + TTL.toMillis() + 95_000).outcome())
                .isEqualTo(JoinOutcome.EXPIRED);
        // stored at second 100, joined in second 3699 of the hour: it waited 3599 s, to the second
        assertThat(one(JoinOperation.actual(NS, "p10", 1), T0 + TTL.toMillis() + 99_999))
                .isEqualTo(JoinResult.joined(1, 1, TTL.toMillis() - 1000));
        assertThat(one(JoinOperation.actual(NS, "p11", 1), T0 + TTL.toMillis() + 110_000).outcome())
                .isEqualTo(JoinOutcome.EXPIRED);
        assertThat(unmatched).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 11L));
    }

    @Test
    public void aJoinKeepsTheHorizonOfTheFirstStorage() {
        one(JoinOperation.prediction(NS, "p", 1), T0);
        one(JoinOperation.actual(NS, "p", 0), minutes(59));

        assertThat(one(JoinOperation.actual(NS, "p", 0), minutes(119)).outcome()).isEqualTo(JoinOutcome.DUPLICATE);
        assertThat(one(JoinOperation.actual(NS, "p", 0), minutes(120)).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
    }

    /**
     * Many operations at random, in batches of 1 to 8 (so that a batch sees its own earlier
     * operations, and a conflict refuses the whole batch), with class indices 0 to 31 and time
     * moving on by up to 40 minutes now and then (so that predictions expire and ids are forgotten
     * at twice the time-to-live), against a plain map with the same rules. The store is swept
     * whenever time moves, as a recorder's clock does.
     */
    @Test
    public void agreesWithAPlainMapOnRandomOperations() {
        Map<String, Entry> model = new HashMap<>();
        SplittableRandom random = new SplittableRandom(11);
        int operations = randomOperations();
        int ids = Math.max(100, operations / 10);
        long now = T0;
        long expired = 0;
        int conflicts = 0;
        int expiredSeen = 0;
        for (int done = 0; done < operations; ) {
            if (random.nextInt(100) == 0) {
                now += random.nextLong(1, Duration.ofMinutes(40).toMillis());
                expired += forget(model, now);
                sweep(store, NS, now);
            }
            int size = 1 + random.nextInt(8);
            List<JoinOperation> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                String id = "id-" + random.nextInt(ids);
                int prediction = random.nextInt(10) == 0 ? random.nextInt(32) : random.nextInt(2);
                int actual = random.nextInt(10) == 0 ? random.nextInt(32) : random.nextInt(2);
                batch.add(switch (random.nextInt(3)) {
                    case 0 -> JoinOperation.prediction(NS, id, prediction);
                    case 1 -> JoinOperation.actual(NS, id, actual);
                    default -> JoinOperation.inline(NS, id, prediction, actual);
                });
            }
            Map<String, Entry> after = new HashMap<>();
            List<JoinOutcome> expected = new ArrayList<>(size);
            int conflict = -1;
            for (int i = 0; i < size && conflict < 0; i++) {
                JoinOperation operation = batch.get(i);
                Entry entry = after.containsKey(operation.id()) ? after.get(operation.id()) : model.get(operation.id());
                JoinOutcome outcome = expected(entry, operation, now);
                expected.add(outcome);
                if (outcome == JoinOutcome.CONFLICT) {
                    conflict = i;
                } else if (entry != null || outcome != JoinOutcome.UNKNOWN) {
                    after.put(operation.id(), next(entry, operation, outcome, now));
                }
            }
            PendingStore.Applied applied = store.apply(batch, now);
            String where = "batch " + batch + " at +" + (now - T0) / 1000 + " s";
            if (conflict >= 0) {
                assertThat(applied.conflicted()).as(where).isTrue();
                assertThat(applied.conflict()).as(where).isEqualTo(conflict);
                conflicts++;
            } else {
                assertThat(applied.conflicted()).as(where).isFalse();
                assertThat(applied.results()).extracting(JoinResult::outcome).as(where).containsExactlyElementsOf(expected);
                for (int i = 0; i < size; i++) {
                    if (expected.get(i) == JoinOutcome.MATCHED) {
                        int p = after.get(batch.get(i).id()).prediction;
                        assertThat(applied.results().get(i).prediction()).as(where).isEqualTo(p);
                        assertThat(applied.results().get(i).actual()).as(where).isEqualTo(batch.get(i).actual());
                    }
                    if (expected.get(i) == JoinOutcome.EXPIRED) {
                        expiredSeen++;
                    }
                }
                model.putAll(after);
            }
            done += size;
        }
        now += 1;
        expired += forget(model, now);
        sweep(store, NS, now);
        long end = now;
        long pending = model.values().stream().filter(e -> e.pending() && !e.expiredAt(end)).count();
        assertThat(store.pending(NS)).isEqualTo(pending);
        assertThat(unmatched.getOrDefault(UnmatchedReason.EXPIRED, 0L)).isEqualTo(expired);
        // the walk reached every path it is there for
        assertThat(conflicts).isPositive();
        assertThat(expiredSeen).isPositive();
        assertThat(expired).isPositive();
    }

    /** An id as the plain map keeps it: its prediction, its actual value or -1, when it expires (whole seconds). */
    private static final class Entry {
        final int prediction;
        final int actual;
        final long expirySeconds;
        /**
         * Whether its expiry was counted. Time moves only where the store is swept, so the sweep
         * counts every expiry before an operation could find one.
         */
        boolean counted;

        Entry(int prediction, int actual, long expirySeconds) {
            this.prediction = prediction;
            this.actual = actual;
            this.expirySeconds = expirySeconds;
        }

        boolean pending() {
            return actual < 0;
        }

        boolean expiredAt(long nowMillis) {
            return pending() && nowMillis / 1000 >= expirySeconds;
        }

        boolean forgottenAt(long nowMillis) {
            return nowMillis / 1000 >= expirySeconds + TTL.toSeconds();
        }
    }

    /**
     * What a sweep at {@code now} does to the map: counts each pending prediction past its expiry
     * once, and forgets every id past its horizon; returns how many it counted.
     */
    private static long forget(Map<String, Entry> model, long now) {
        long counted = 0;
        for (Entry entry : model.values()) {
            if (entry.expiredAt(now) && !entry.counted) {
                entry.counted = true;
                counted++;
            }
        }
        model.values().removeIf(entry -> entry.forgottenAt(now));
        return counted;
    }

    private static JoinOutcome expected(Entry entry, JoinOperation operation, long now) {
        boolean expired = entry != null && entry.expiredAt(now);
        boolean known = entry != null && !expired;
        if (!operation.hasActual()) {
            return !known ? JoinOutcome.PENDING
                    : entry.prediction == operation.prediction() ? JoinOutcome.DUPLICATE : JoinOutcome.CONFLICT;
        }
        if (!operation.hasPrediction()) {
            if (!known) {
                return expired ? JoinOutcome.EXPIRED : JoinOutcome.UNKNOWN;
            }
            return entry.pending() ? JoinOutcome.MATCHED
                    : entry.actual == operation.actual() ? JoinOutcome.DUPLICATE : JoinOutcome.CONFLICT;
        }
        if (!known) {
            return JoinOutcome.MATCHED;
        }
        if (entry.prediction != operation.prediction()) {
            return JoinOutcome.CONFLICT;
        }
        return entry.pending() ? JoinOutcome.MATCHED
                : entry.actual == operation.actual() ? JoinOutcome.DUPLICATE : JoinOutcome.CONFLICT;
    }

    /** The entry after an operation with that outcome: a new one stored now, one joined, or as it was. */
    private static Entry next(Entry entry, JoinOperation operation, JoinOutcome outcome, long now) {
        long expiry = now / 1000 + TTL.toSeconds();
        boolean known = entry != null && !entry.expiredAt(now);
        return switch (outcome) {
            case PENDING -> new Entry(operation.prediction(), -1, expiry);
            case MATCHED -> known ? new Entry(entry.prediction, operation.actual(), entry.expirySeconds)
                    : new Entry(operation.prediction(), operation.actual(), expiry);
            default -> entry;
        };
    }

    @Test
    public void namespacesAreApart() {
        one(JoinOperation.prediction(NS, "same", 1), T0);

        assertThat(store.apply(List.of(JoinOperation.actual("churn@v1", "same", 1)), T0).results().get(0).outcome())
                .isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(store.pending(NS)).isEqualTo(1);
        assertThat(store.pending("churn@v1")).isZero();
        assertThat(store.pending("never@seen")).isZero();
    }

    @Test
    public void expiryIsToldToTheListenerOfItsOwnNamespace() {
        Map<UnmatchedReason, Long> churn = new EnumMap<>(UnmatchedReason.class);
        store.onUnmatched("churn@v1", (reason, count) -> churn.merge(reason, count, Long::sum));
        one(JoinOperation.prediction("churn@v1", "c1", 1), T0);
        one(JoinOperation.prediction("churn@v1", "c2", 1), T0);
        one(JoinOperation.prediction(NS, "f1", 1), T0);

        sweep(store, "churn@v1", minutes(61));

        assertThat(churn).containsExactly(Map.entry(UnmatchedReason.EXPIRED, 2L));
        assertThat(unmatched).isEmpty();
        assertThat(store.pending("churn@v1")).isZero();
    }
}
