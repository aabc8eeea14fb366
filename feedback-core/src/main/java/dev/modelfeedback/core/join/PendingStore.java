package dev.modelfeedback.core.join;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Where predictions wait for their actual values, and where the ids of feedback already counted
 * are remembered so that retries are acknowledged, not counted twice. The in-memory default is
 * {@link InMemoryPendingStore}; a store shared by several replicas (Redis) replaces it.
 *
 * <p>Semantics of one operation on an id, for a namespace (a model). A prediction comes with the
 * model's scores or without ({@link JoinOperation#scores}), and two predictions are the same only
 * if their class and their scores are: both without, or equal double for double
 * ({@link dev.modelfeedback.core.scores.Scores#equals}, so 0.0 and -0.0 differ).
 * <ul>
 *   <li>a prediction: stored with its scores, {@link JoinOutcome#PENDING}; the same prediction
 *       again, {@link JoinOutcome#DUPLICATE}; a different one (or other scores),
 *       {@link JoinOutcome#CONFLICT}, and nothing changes;
 *   <li>an actual value: joined with the stored prediction, {@link JoinOutcome#MATCHED}, the result
 *       carrying the scores stored with it ({@link JoinResult#joined(int, int, long,
 *       dev.modelfeedback.core.scores.Scores)}); the same value again for a joined id,
 *       {@link JoinOutcome#DUPLICATE}; a different one, {@link JoinOutcome#CONFLICT}; no
 *       prediction, {@link JoinOutcome#UNKNOWN}; a prediction past its time-to-live,
 *       {@link JoinOutcome#EXPIRED};
 *   <li>both values (inline feedback, with scores or without): new, {@link JoinOutcome#MATCHED}
 *       with its scores ({@link JoinResult#matched(int, int, dev.modelfeedback.core.scores.Scores)});
 *       joining the same pending prediction, {@link JoinOutcome#MATCHED} with those scores; the
 *       same values and scores again for a joined id, {@link JoinOutcome#DUPLICATE}; any different
 *       value or scores, {@link JoinOutcome#CONFLICT}.
 * </ul>
 * A joined id keeps its prediction's scores until it is forgotten, so that retries are judged by
 * them; an expired prediction keeps none, and a new prediction for its id starts anew. A
 * namespace's scores are all of its model's kind (a recorder checks them): a store may refuse
 * others ({@link InMemoryPendingStore} does, by the first scores it kept for the namespace).
 *
 * <p>An id is remembered for a horizon of at least the time-to-live after it was first stored (the
 * in-memory store: twice the time-to-live, or until the capacity needs its room): within it a
 * retry is recognized, and a late actual is {@link JoinOutcome#EXPIRED} rather than unknown.
 *
 * <p>Implementations are thread-safe, and {@link #apply} is atomic.
 */
public interface PendingStore {

    /**
     * How long a prediction waits for its actual value unless told otherwise, as text: the one
     * source of that default, for the annotations and help texts that need a constant.
     */
    String DEFAULT_TTL_TEXT = "24h";
    /** How long a prediction waits for its actual value unless told otherwise: {@value #DEFAULT_TTL_TEXT}. */
    Duration DEFAULT_TTL = Duration.parse("PT" + DEFAULT_TTL_TEXT.toUpperCase(Locale.ROOT));
    /** The most ids (pending predictions and remembered ids) a store keeps per model unless told otherwise. */
    long DEFAULT_CAPACITY = 1_000_000;
    /** {@link #DEFAULT_CAPACITY} as text, for the annotations and help texts that need a constant. */
    String DEFAULT_CAPACITY_TEXT = "" + DEFAULT_CAPACITY;

    /**
     * Applies operations in order, as one: if one is a {@link JoinOutcome#CONFLICT}, none is
     * applied (the result says which); otherwise all are.
     *
     * @param operations the operations, in order; several may name one id
     * @param nowMillis the current time, in milliseconds since the epoch
     * @return each operation's result, or the conflict
     * @throws PendingStoreUnavailableException if the store cannot be reached; nothing was applied
     * @throws IllegalArgumentException if the store refuses an operation's scores as not of its
     *     namespace's kind; nothing was applied
     */
    Applied apply(List<JoinOperation> operations, long nowMillis);

    /**
     * Applies one operation: what {@link #apply(List, long)} does for a list of one, for a store to
     * make faster.
     *
     * @param operation the operation
     * @param nowMillis the current time, in milliseconds since the epoch
     * @return its result; {@link JoinOutcome#CONFLICT} if it conflicts (nothing was applied then)
     * @throws PendingStoreUnavailableException if the store cannot be reached; nothing was applied
     * @throws IllegalArgumentException if the store refuses the operation's scores as not of its
     *     namespace's kind; nothing was applied
     */
    default JoinResult apply(JoinOperation operation, long nowMillis) {
        Applied applied = apply(List.of(operation), nowMillis);
        return applied.conflicted() ? JoinResult.of(JoinOutcome.CONFLICT) : applied.results().get(0);
    }

    /** Predictions of a namespace waiting for their actual values (expired ones excluded once noticed). */
    long pending(String namespace);

    /**
     * Tells the store whom to tell about a namespace's predictions that leave it unjoined.
     *
     * @param namespace the model's namespace
     * @param listener called for every prediction that expired or was evicted, once; replaces an
     *     earlier listener of that namespace
     */
    void onUnmatched(String namespace, UnmatchedListener listener);

    /**
     * Notices the predictions of a namespace that outlived their time-to-live, telling its
     * listener; a recorder calls this about once a second. A store that notices expiry by itself
     * ignores it.
     *
     * @param namespace the model's namespace
     * @param nowMillis the current time
     */
    default void sweep(String namespace, long nowMillis) {
    }

    /**
     * Whether every replica sees the same entries (a shared store such as Redis). Then each
     * replica's {@link #pending} is the namespace's total, and {@code feedback_pending_predictions}
     * carries {@code scope="shared"} (take one replica's value, not the sum); otherwise
     * {@code scope="replica"} (sum the replicas).
     */
    default boolean shared() {
        return false;
    }

    /** Frees what the store holds outside the heap (connections); an in-memory store does nothing. */
    default void close() {
    }

    /**
     * The results of {@link #apply}.
     *
     * @param results one per operation, in order; empty if there was a conflict
     * @param conflict the index of the first conflicting operation, or -1
     */
    record Applied(List<JoinResult> results, int conflict) {

        /** All applied. */
        public static Applied of(List<JoinResult> results) {
            return new Applied(List.copyOf(results), -1);
        }

        /** Nothing applied: operation {@code index} conflicts. */
        public static Applied conflictAt(int index) {
            return new Applied(List.of(), index);
        }

        /** Whether nothing was applied because of a conflict. */
        public boolean conflicted() {
            return conflict >= 0;
        }
    }
}
