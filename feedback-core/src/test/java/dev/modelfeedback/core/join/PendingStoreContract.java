package dev.modelfeedback.core.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.scores.Scores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The semantics every {@link PendingStore} shares, as tests: outcomes, duplicates and conflicts
 * (by value and by scores), scores kept and handed back exactly, atomic batches, expiry counted
 * once, the horizon of twice the time-to-live, unknown versus expired, namespaces apart. A store's
 * test extends this class and says how to make a store.
 *
 * <p>Time is given to the store ({@code nowMillis}), never read from a clock, so a test runs
 * days of expiry in a moment. Its methods are public so that stores in other modules inherit them.
 */
public abstract class PendingStoreContract {

    /** The time the tests start at. */
    protected static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    /** The namespace most tests use; its scores are a binary model's. */
    protected static final String NS = "fraud@v3";
    /** A namespace whose scores are those of a model with declared classes. */
    protected static final String CLASSES_NS = "intent@v2/classes-3f2a";
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
        decidesTheCase(ScoreKind.BINARY, before, operation, expected);
    }

    /**
     * Every state and operation with scores, for a binary model's namespace and for one of a model
     * with three classes (see {@link ScoreKind}): {@code a} and {@code b} differ in the last bit of
     * one double, {@code z} and {@code n} in the sign of a zero; a step without a letter has no
     * scores. {@code JOINED 1 0 a} is feedback that joined the stored prediction, counted with
     * scores {@code a}.
     */
    @ParameterizedTest(name = "{0} then {1}: {2}")
    @CsvSource({
        "nothing,                        predict 1 a,   PENDING",
        "nothing,                        inline 1 0 a,  MATCHED 1 0 a",
        "predict 1 a,                    predict 1 a,   DUPLICATE",
        "predict 1 a,                    predict 1 b,   CONFLICT",
        "predict 1 z,                    predict 1 n,   CONFLICT",
        "predict 1 a,                    predict 1,     CONFLICT",
        "predict 1,                      predict 1 a,   CONFLICT",
        "predict 1 a,                    predict 0 a,   CONFLICT",
        "predict 1 a,                    actual 0,      JOINED 1 0 a",
        "predict 1 n,                    actual 1,      JOINED 1 1 n",
        "predict 1,                      actual 0,      JOINED 1 0",
        "predict 1 a,                    inline 1 0 a,  JOINED 1 0 a",
        "predict 1 a,                    inline 1 0 b,  CONFLICT",
        "predict 1 a,                    inline 1 0,    CONFLICT",
        "predict 1,                      inline 1 0 a,  CONFLICT",
        "predict 1 a;actual 0,           actual 0,      DUPLICATE",
        "predict 1 a;actual 0,           actual 1,      CONFLICT",
        "predict 1 a;actual 0,           predict 1 a,   DUPLICATE",
        "predict 1 a;actual 0,           predict 1 b,   CONFLICT",
        "predict 1 a;actual 0,           predict 1,     CONFLICT",
        "predict 1 a;actual 0,           inline 1 0 a,  DUPLICATE",
        "predict 1 a;actual 0,           inline 1 0 b,  CONFLICT",
        "predict 1 a;actual 0,           inline 1 0,    CONFLICT",
        "inline 1 0 a,                   inline 1 0 a,  DUPLICATE",
        "inline 1 0 a,                   inline 1 0 b,  CONFLICT",
        "inline 1 0 a,                   inline 1 0,    CONFLICT",
        "inline 1 0,                     inline 1 0 a,  CONFLICT",
        "inline 1 0 a,                   predict 1 a,   DUPLICATE",
        "inline 1 0 a,                   predict 1 b,   CONFLICT",
        "inline 1 0 a,                   actual 0,      DUPLICATE",
        "predict 1 a;expire,             actual 1,      EXPIRED",
        "predict 1 a;expire,             predict 1 b,   PENDING",
        "predict 1 a;expire,             inline 1 1 b,  MATCHED 1 1 b",
        "predict 1 a;expire;predict 1 b, actual 0,      JOINED 1 0 b",
        "predict 1 a;expire;predict 1,   actual 0,      JOINED 1 0",
        "predict 1 a;forget,             predict 1 b,   PENDING",
        "inline 1 0 a;forget,            inline 1 0 b,  MATCHED 1 0 b",
    })
    public void decidesEveryCaseWithScores(String before, String operation, String expected) {
        for (ScoreKind kind : ScoreKind.values()) {
            decidesTheCase(kind, before, operation, expected);
        }
    }

    /** One case of {@link #decidesEveryCase}, in the namespace of {@code kind}, from {@link #T0}. */
    private void decidesTheCase(ScoreKind kind, String before, String operation, String expected) {
        long now = T0;
        for (String step : before.split(";")) {
            if (step.equals("expire")) {
                now += TTL.toMillis();
            } else if (step.equals("forget")) {
                now += 2 * TTL.toMillis();
            } else if (!step.equals("nothing")) {
                assertThat(one(parse(kind, step), now).outcome()).as(kind + ": " + step)
                        .isIn(JoinOutcome.PENDING, JoinOutcome.MATCHED);
            }
        }

        JoinResult result = one(parse(kind, operation), now + 90_000);

        String[] parts = expected.split(" ");
        JoinOutcome outcome = JoinOutcome.valueOf(parts[0].equals("JOINED") ? "MATCHED" : parts[0]);
        JoinResult wanted = parts.length == 1 ? JoinResult.of(outcome)
                : parts[0].equals("JOINED")
                ? JoinResult.joined(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), 90_000, kind.scores(parts, 3))
                : JoinResult.matched(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), kind.scores(parts, 3));
        assertThat(result).as(kind.toString()).isEqualTo(wanted);
    }

    private static JoinOperation parse(ScoreKind kind, String step) {
        String[] parts = step.trim().split(" ");
        String ns = kind.namespace;
        return switch (parts[0]) {
            case "predict" -> JoinOperation.prediction(ns, "id-1", Integer.parseInt(parts[1]), kind.scores(parts, 2));
            case "actual" -> JoinOperation.actual(ns, "id-1", Integer.parseInt(parts[1]));
            default -> JoinOperation.inline(ns, "id-1", Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                    kind.scores(parts, 3));
        };
    }

    /** The scores the cases name by letter, for a binary model and for one of three classes. */
    private enum ScoreKind {
        BINARY(NS, Scores.binary(0.25), Scores.binary(Math.nextUp(0.25)), Scores.binary(0.0), Scores.binary(-0.0)),
        CLASSES(CLASSES_NS, Scores.ofClasses(0.5, 0.25, 0.25), Scores.ofClasses(0.5, 0.25, Math.nextUp(0.25)),
                Scores.ofClasses(0.0, 0.5, 0.5), Scores.ofClasses(-0.0, 0.5, 0.5));

        final String namespace;
        private final Map<String, Scores> byLetter;

        ScoreKind(String namespace, Scores a, Scores b, Scores z, Scores n) {
            this.namespace = namespace;
            this.byLetter = Map.of("a", a, "b", b, "z", z, "n", n);
        }

        /** The scores named by {@code parts[index]}, or null if there is no such part. */
        @Nullable Scores scores(String[] parts, int index) {
            return parts.length > index ? Objects.requireNonNull(byLetter.get(parts[index]), parts[index]) : null;
        }
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
    public void aBatchSeesTheScoresOfItsOwnEarlierOperations() {
        Scores a = Scores.binary(0.8);
        Scores b = Scores.binary(Math.nextDown(0.8));
        Scores three = Scores.ofClasses(0.2, 0.3, 0.5);

        PendingStore.Applied applied = store.apply(List.of(JoinOperation.prediction(NS, "x", 1, a),
                JoinOperation.prediction(NS, "x", 1, a), JoinOperation.actual(NS, "x", 0),
                JoinOperation.inline(NS, "x", 1, 0, a), JoinOperation.inline(NS, "y", 0, 0, b),
                JoinOperation.prediction(NS, "y", 0, b), JoinOperation.prediction(CLASSES_NS, "x", 2, three),
                JoinOperation.inline(CLASSES_NS, "x", 2, 1, three)), T0);

        assertThat(applied.results()).containsExactly(JoinResult.of(JoinOutcome.PENDING),
                JoinResult.of(JoinOutcome.DUPLICATE), JoinResult.joined(1, 0, 0, a), JoinResult.of(JoinOutcome.DUPLICATE),
                JoinResult.matched(0, 0, b), JoinResult.of(JoinOutcome.DUPLICATE), JoinResult.of(JoinOutcome.PENDING),
                JoinResult.joined(2, 1, 0, three));
        assertThat(store.pending(NS)).isZero();
        assertThat(store.pending(CLASSES_NS)).isZero();
    }

    @Test
    public void aConflictByScoresInABatchAppliesNothing() {
        Scores a = Scores.binary(0.8);
        one(JoinOperation.prediction(NS, "kept", 1, a), T0);

        PendingStore.Applied applied = store.apply(List.of(JoinOperation.prediction(NS, "new", 0, a),
                JoinOperation.prediction(NS, "z", 1, Scores.binary(0.0)), JoinOperation.prediction(NS, "z", 1,
                Scores.binary(-0.0))), T0);
        PendingStore.Applied withoutScores = store.apply(List.of(JoinOperation.prediction(NS, "new", 0, a),
                JoinOperation.inline(NS, "kept", 1, 1)), T0);

        assertThat(applied.conflict()).isEqualTo(2);
        assertThat(withoutScores.conflict()).isEqualTo(1);
        assertThat(one(JoinOperation.actual(NS, "new", 1), T0).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(one(JoinOperation.actual(NS, "z", 1), T0).outcome()).isEqualTo(JoinOutcome.UNKNOWN);
        assertThat(one(JoinOperation.actual(NS, "kept", 1), T0 + 3000)).isEqualTo(JoinResult.joined(1, 1, 3000, a));
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
     * operations, and a conflict refuses the whole batch), with class indices 0 to 31, scores or
     * none (a binary model's in {@link #NS}, four classes' in {@link #CLASSES_NS}; mostly from a few
     * values, some a bit apart, so that repeats are duplicates or conflicts by their scores), and
     * time moving on by up to 40 minutes now and then (so that predictions expire and ids are
     * forgotten at twice the time-to-live), against a plain map with the same rules: every result,
     * with its values, label delay and scores. The store is swept whenever time moves, as a
     * recorder's clock does.
     */
    @Test
    public void agreesWithAPlainMapOnRandomOperations() {
        Map<UnmatchedReason, Long> classesUnmatched = new EnumMap<>(UnmatchedReason.class);
        store.onUnmatched(CLASSES_NS, (reason, count) -> classesUnmatched.merge(reason, count, Long::sum));
        Map<String, Entry> model = new HashMap<>();
        SplittableRandom random = new SplittableRandom(11);
        int operations = randomOperations();
        int ids = Math.max(100, operations / 10);
        long now = T0;
        Map<String, Long> expired = new HashMap<>(Map.of(NS, 0L, CLASSES_NS, 0L));
        Walked walked = new Walked();
        for (int done = 0; done < operations; ) {
            if (random.nextInt(100) == 0) {
                now += random.nextLong(1, Duration.ofMinutes(40).toMillis());
                forget(model, now).forEach((ns, count) -> expired.merge(ns, count, Long::sum));
                sweep(store, NS, now);
                sweep(store, CLASSES_NS, now);
            }
            int size = 1 + random.nextInt(8);
            List<JoinOperation> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(randomOperation(random, ids));
            }
            Map<String, Entry> after = new HashMap<>();
            List<JoinResult> expected = new ArrayList<>(size);
            List<@Nullable Entry> before = new ArrayList<>(size);
            int conflict = -1;
            for (int i = 0; i < size && conflict < 0; i++) {
                JoinOperation operation = batch.get(i);
                String key = key(operation);
                Entry entry = after.containsKey(key) ? after.get(key) : model.get(key);
                JoinResult result = expected(entry, operation, now);
                before.add(entry);
                expected.add(result);
                if (result.outcome() == JoinOutcome.CONFLICT) {
                    conflict = i;
                } else if (entry != null || result.outcome() != JoinOutcome.UNKNOWN) {
                    after.put(key, next(entry, operation, result.outcome(), now));
                }
            }
            PendingStore.Applied applied = store.apply(batch, now);
            String where = "batch " + batch + " at +" + (now - T0) / 1000 + " s";
            if (conflict >= 0) {
                assertThat(applied.conflicted()).as(where).isTrue();
                assertThat(applied.conflict()).as(where).isEqualTo(conflict);
                walked.saw(before.get(conflict), batch.get(conflict), expected.get(conflict), now);
            } else {
                assertThat(applied.conflicted()).as(where).isFalse();
                assertThat(applied.results()).as(where).containsExactlyElementsOf(expected);
                for (int i = 0; i < size; i++) {
                    walked.saw(before.get(i), batch.get(i), expected.get(i), now);
                }
                model.putAll(after);
            }
            done += size;
        }
        now += 1;
        forget(model, now).forEach((ns, count) -> expired.merge(ns, count, Long::sum));
        sweep(store, NS, now);
        sweep(store, CLASSES_NS, now);
        long end = now;
        for (String ns : List.of(NS, CLASSES_NS)) {
            long pending = model.values().stream().filter(e -> e.namespace.equals(ns) && e.pending() && !e.expiredAt(end))
                    .count();
            assertThat(store.pending(ns)).as(ns).isEqualTo(pending);
        }
        assertThat(unmatched.getOrDefault(UnmatchedReason.EXPIRED, 0L)).isEqualTo(expired.get(NS));
        assertThat(classesUnmatched.getOrDefault(UnmatchedReason.EXPIRED, 0L)).isEqualTo(expired.get(CLASSES_NS));
        walked.reachedEveryPath();
    }

    /** What the random walk went through, to check that it reached every path it is there for. */
    private static final class Walked {
        int conflicts;
        int conflictsByScores;
        int duplicatesWithScores;
        int expiredSeen;
        final Map<String, Integer> joinsWithScores = new HashMap<>();
        final Map<String, Integer> inlineWithScores = new HashMap<>();

        void saw(@Nullable Entry entry, JoinOperation operation, JoinResult result, long now) {
            switch (result.outcome()) {
                case CONFLICT -> {
                    conflicts++;
                    if (expectedOutcome(entry, operation, now, false) != JoinOutcome.CONFLICT) {
                        conflictsByScores++;
                    }
                }
                case DUPLICATE -> duplicatesWithScores += operation.scores() != null ? 1 : 0;
                case EXPIRED -> expiredSeen++;
                case MATCHED -> {
                    if (result.scores() != null) {
                        (result.hasLabelDelay() ? joinsWithScores : inlineWithScores).merge(operation.namespace(), 1,
                                Integer::sum);
                    }
                }
                default -> {
                }
            }
        }

        void reachedEveryPath() {
            assertThat(conflicts).isPositive();
            assertThat(conflictsByScores).isPositive();
            assertThat(duplicatesWithScores).isPositive();
            assertThat(expiredSeen).isPositive();
            assertThat(joinsWithScores).containsOnlyKeys(NS, CLASSES_NS);
            assertThat(inlineWithScores).containsOnlyKeys(NS, CLASSES_NS);
        }
    }

    private static JoinOperation randomOperation(SplittableRandom random, int ids) {
        String ns = random.nextInt(4) == 0 ? CLASSES_NS : NS;
        String id = "id-" + random.nextInt(ids);
        int prediction = random.nextInt(10) == 0 ? random.nextInt(32) : random.nextInt(2);
        int actual = random.nextInt(10) == 0 ? random.nextInt(32) : random.nextInt(2);
        Scores scores = random.nextInt(3) == 0 ? null : ns.equals(NS) ? randomScore(random) : randomClassScores(random);
        return switch (random.nextInt(3)) {
            case 0 -> JoinOperation.prediction(ns, id, prediction, scores);
            case 1 -> JoinOperation.actual(ns, id, actual);
            default -> JoinOperation.inline(ns, id, prediction, actual, scores);
        };
    }

    /** A binary model's score: mostly one of a few (two a bit apart, two zeros), now and then any. */
    private static Scores randomScore(SplittableRandom random) {
        double[] few = {0.25, Math.nextUp(0.25), 0.0, -0.0, 1.0};
        return Scores.binary(random.nextInt(10) == 0 ? random.nextDouble() : few[random.nextInt(few.length)]);
    }

    /** Four classes' scores: mostly one of a few (two a bit apart), now and then any. */
    private static Scores randomClassScores(SplittableRandom random) {
        if (random.nextInt(10) == 0) {
            double[] p = {random.nextDouble(), random.nextDouble(), random.nextDouble(), random.nextDouble()};
            double sum = p[0] + p[1] + p[2] + p[3];
            for (int c = 0; c < p.length; c++) {
                p[c] /= sum;
            }
            return Scores.ofClasses(p);
        }
        return switch (random.nextInt(3)) {
            case 0 -> Scores.ofClasses(0.7, 0.1, 0.1, 0.1);
            case 1 -> Scores.ofClasses(0.7, 0.1, 0.1, Math.nextUp(0.1));
            default -> Scores.ofClasses(0.0, 0.0, 0.25, 0.75);
        };
    }

    private static String key(JoinOperation operation) {
        return operation.namespace() + " " + operation.id();
    }

    /**
     * An id as the plain map keeps it: its namespace, its prediction with its scores (or null), its
     * actual value or -1, when it expires (whole seconds).
     */
    private static final class Entry {
        final String namespace;
        final int prediction;
        final @Nullable Scores scores;
        final int actual;
        final long expirySeconds;
        /**
         * Whether its expiry was counted. Time moves only where the store is swept, so the sweep
         * counts every expiry before an operation could find one.
         */
        boolean counted;

        Entry(String namespace, int prediction, @Nullable Scores scores, int actual, long expirySeconds) {
            this.namespace = namespace;
            this.prediction = prediction;
            this.scores = scores;
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

        /** How long the pending prediction has waited by {@code nowMillis}, to the second, in milliseconds. */
        long waitedMillis(long nowMillis) {
            return Math.max(0, nowMillis / 1000 - (expirySeconds - TTL.toSeconds())) * 1000;
        }
    }

    /**
     * What a sweep at {@code now} does to the map: counts each pending prediction past its expiry
     * once, and forgets every id past its horizon; returns how many it counted, by namespace.
     */
    private static Map<String, Long> forget(Map<String, Entry> model, long now) {
        Map<String, Long> counted = new HashMap<>();
        for (Entry entry : model.values()) {
            if (entry.expiredAt(now) && !entry.counted) {
                entry.counted = true;
                counted.merge(entry.namespace, 1L, Long::sum);
            }
        }
        model.values().removeIf(entry -> entry.forgottenAt(now));
        return counted;
    }

    /** The result the rules give: for matched feedback, its values, its label delay and its scores. */
    private static JoinResult expected(@Nullable Entry entry, JoinOperation operation, long now) {
        JoinOutcome outcome = expectedOutcome(entry, operation, now, true);
        if (outcome != JoinOutcome.MATCHED) {
            return JoinResult.of(outcome);
        }
        if (entry != null && !entry.expiredAt(now)) {
            return JoinResult.joined(entry.prediction, operation.actual(), entry.waitedMillis(now), entry.scores);
        }
        return JoinResult.matched(operation.prediction(), operation.actual(), operation.scores());
    }

    /** The outcome the rules give, judging a prediction by its scores too unless told not to. */
    private static JoinOutcome expectedOutcome(@Nullable Entry entry, JoinOperation operation, long now,
            boolean byScores) {
        boolean expired = entry != null && entry.expiredAt(now);
        boolean known = entry != null && !expired;
        boolean samePrediction = known && entry.prediction == operation.prediction()
                && (!byScores || Objects.equals(entry.scores, operation.scores()));
        if (!operation.hasActual()) {
            return !known ? JoinOutcome.PENDING : samePrediction ? JoinOutcome.DUPLICATE : JoinOutcome.CONFLICT;
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
        if (!samePrediction) {
            return JoinOutcome.CONFLICT;
        }
        return entry.pending() ? JoinOutcome.MATCHED
                : entry.actual == operation.actual() ? JoinOutcome.DUPLICATE : JoinOutcome.CONFLICT;
    }

    /**
     * The entry after an operation with that outcome: a new one stored now (with the operation's
     * scores), one joined (keeping its own), or as it was.
     */
    private static Entry next(@Nullable Entry entry, JoinOperation operation, JoinOutcome outcome, long now) {
        long expiry = now / 1000 + TTL.toSeconds();
        boolean known = entry != null && !entry.expiredAt(now);
        String ns = operation.namespace();
        return switch (outcome) {
            case PENDING -> new Entry(ns, operation.prediction(), operation.scores(), -1, expiry);
            case MATCHED -> known ? new Entry(ns, entry.prediction, entry.scores, operation.actual(), entry.expirySeconds)
                    : new Entry(ns, operation.prediction(), operation.scores(), operation.actual(), expiry);
            default -> Objects.requireNonNull(entry, "an outcome that changes nothing of an id never seen");
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
