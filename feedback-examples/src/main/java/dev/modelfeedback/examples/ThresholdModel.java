package dev.modelfeedback.examples;

/**
 * The example's toy classifier: predicts 1 when a numeric feature reaches a threshold. Small and
 * deterministic, so the example server is a real model server whose predictions can be checked.
 *
 * @param threshold the feature value from which the prediction is 1
 */
record ThresholdModel(double threshold) {

    /** Predicts 1 from a feature of 0.5 up. */
    static final ThresholdModel DEFAULT = new ThresholdModel(0.5);

    /**
     * @throws IllegalArgumentException if the threshold is not a finite number
     */
    ThresholdModel {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be a finite number, got " + threshold);
        }
    }

    int predict(double feature) {
        return feature >= threshold ? 1 : 0;
    }
}
