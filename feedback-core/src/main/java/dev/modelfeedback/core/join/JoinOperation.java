package dev.modelfeedback.core.join;

import dev.modelfeedback.core.scores.Scores;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One operation on a {@link PendingStore}: a prediction to store, an actual value to join with its
 * prediction, or inline feedback (both values) keyed by id for idempotency.
 *
 * @param namespace the model's namespace in the store, for example {@code fraud}
 * @param id the prediction's id, see {@link Ids}
 * @param prediction the predicted class's index (binary models: 0 or 1), or -1 for an actual value alone
 * @param actual the actual class's index, or -1 for a prediction alone
 * @param scores the model's scores with the prediction, or null for none; a store keeps them with
 *     the prediction and hands them back when it joins, and a repeat with other scores conflicts
 */
public record JoinOperation(String namespace, String id, int prediction, int actual, @Nullable Scores scores) {

    /** The most classes a model declares, so class indices run from 0 to 31 (a store keeps 5 bits). */
    public static final int MAX_CLASSES = 32;

    /**
     * @throws IllegalArgumentException if the id is invalid, a value is not a class index or -1, both
     *     are -1, or scores come without a prediction
     */
    public JoinOperation {
        Objects.requireNonNull(namespace, "namespace");
        Ids.requireValid(id);
        if (prediction < -1 || prediction >= MAX_CLASSES) {
            throw new IllegalArgumentException("prediction must be a class index from 0 to " + (MAX_CLASSES - 1)
                    + ", or -1 for none, got " + prediction);
        }
        if (actual < -1 || actual >= MAX_CLASSES) {
            throw new IllegalArgumentException("actual must be a class index from 0 to " + (MAX_CLASSES - 1)
                    + ", or -1 for none, got " + actual);
        }
        if (prediction < 0 && actual < 0) {
            throw new IllegalArgumentException("an operation needs a prediction, an actual value or both");
        }
        if (scores != null && prediction < 0) {
            throw new IllegalArgumentException("scores come with a prediction, not with an actual value alone");
        }
    }

    /** An operation without scores. */
    public JoinOperation(String namespace, String id, int prediction, int actual) {
        this(namespace, id, prediction, actual, null);
    }

    /** A prediction to store until its actual value arrives. */
    public static JoinOperation prediction(String namespace, String id, int prediction) {
        return new JoinOperation(namespace, id, prediction, -1);
    }

    /** A prediction with the model's scores, both to store until its actual value arrives. */
    public static JoinOperation prediction(String namespace, String id, int prediction, @Nullable Scores scores) {
        return new JoinOperation(namespace, id, prediction, -1, scores);
    }

    /** An actual value to join with its stored prediction. */
    public static JoinOperation actual(String namespace, String id, int actual) {
        return new JoinOperation(namespace, id, -1, actual);
    }

    /** Complete feedback, counted once whatever the retries. */
    public static JoinOperation inline(String namespace, String id, int prediction, int actual) {
        return new JoinOperation(namespace, id, prediction, actual);
    }

    /** Complete feedback with the model's scores, counted once whatever the retries. */
    public static JoinOperation inline(String namespace, String id, int prediction, int actual,
            @Nullable Scores scores) {
        return new JoinOperation(namespace, id, prediction, actual, scores);
    }

    /** Whether this carries a prediction. */
    public boolean hasPrediction() {
        return prediction >= 0;
    }

    /** Whether this carries an actual value. */
    public boolean hasActual() {
        return actual >= 0;
    }
}
