package dev.modelfeedback.core.scores;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A model's probabilities for one item, checked: for a binary model one number, the probability
 * of class 1; for a model with declared classes one per class, in the classes' order, summing to 1.
 * Immutable; equal when every probability is the same double.
 *
 * <pre>{@code
 * Scores.binary(0.83);
 * Scores.ofClasses(0.7, 0.2, 0.1);
 * }</pre>
 */
public final class Scores {

    /** How far the probabilities of a model with declared classes may sum from 1. */
    public static final double SUM_TOLERANCE = 1e-6;

    private final double[] probabilities;
    private final boolean binary;

    private Scores(double[] probabilities, boolean binary) {
        this.probabilities = probabilities;
        this.binary = binary;
    }

    /**
     * A binary model's score.
     *
     * @param probabilityOfOne the probability of class 1, 0 to 1
     * @return the scores
     * @throws IllegalArgumentException if it is not a number from 0 to 1
     */
    public static Scores binary(double probabilityOfOne) {
        requireProbability("score", probabilityOfOne);
        return new Scores(new double[] {probabilityOfOne}, true);
    }

    /**
     * The probabilities of a model with declared classes.
     *
     * @param probabilities one per class, each 0 to 1, summing to 1 within {@value #SUM_TOLERANCE}
     * @return the scores
     * @throws IllegalArgumentException if one is not a probability, or they do not sum to 1
     */
    public static Scores ofClasses(double... probabilities) {
        double[] copy = probabilities.clone();
        requireDistribution(copy);
        return new Scores(copy, false);
    }

    /**
     * Checks one probability.
     *
     * @param field what it is, for the message
     * @param probability the value
     * @return the value
     * @throws IllegalArgumentException if it is NaN, infinite, below 0 or above 1
     */
    public static double requireProbability(String field, double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException(field + " must be a probability from 0 to 1, got " + probability);
        }
        return probability;
    }

    /**
     * Checks the probabilities of a model with declared classes.
     *
     * @param probabilities one per class
     * @throws IllegalArgumentException if one is not a probability, or they do not sum to 1 within
     *     {@value #SUM_TOLERANCE}
     */
    public static void requireDistribution(double[] probabilities) {
        if (probabilities.length < 2) {
            throw new IllegalArgumentException("scores need one probability per class, at least 2, got "
                    + probabilities.length);
        }
        double sum = 0;
        for (int c = 0; c < probabilities.length; c++) {
            requireProbability("scores[" + c + "]", probabilities[c]);
            sum += probabilities[c];
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException("scores must sum to 1 (within " + SUM_TOLERANCE + "), got " + sum);
        }
    }

    /** Whether these are a binary model's score (one probability, of class 1). */
    public boolean binary() {
        return binary;
    }

    /** How many probabilities: 1 for a binary model, else one per class. */
    public int size() {
        return probabilities.length;
    }

    /** The probability at an index: a binary model's score at 0, else the class's. */
    public double get(int index) {
        return probabilities[index];
    }

    /** A copy of the probabilities. */
    public double[] toArray() {
        return probabilities.clone();
    }

    /** The probabilities without a copy, for this package's tallies. */
    double[] array() {
        return probabilities;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Scores that && binary == that.binary && Arrays.equals(probabilities, that.probabilities);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(probabilities) * 31 + (binary ? 1 : 0);
    }

    @Override
    public String toString() {
        return binary ? "Scores[" + probabilities[0] + "]" : "Scores" + Arrays.toString(probabilities);
    }
}
