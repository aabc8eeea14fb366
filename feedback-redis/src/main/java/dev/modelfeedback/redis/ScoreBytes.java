package dev.modelfeedback.redis;

import dev.modelfeedback.core.scores.Scores;
import org.jspecify.annotations.Nullable;

/**
 * Scores as the scripts take them with an operation and as Redis keeps them with an entry: each
 * probability's 64 bits ({@link Double#doubleToRawLongBits}), big-endian, 8 bytes per probability,
 * and nothing for no scores. Exact, and equal scores ({@link Scores#equals}: double for double)
 * are equal bytes, so the scripts compare scores as strings without reading them. One probability
 * is a binary model's score, two or more a model's with declared classes, as {@link Scores} has it.
 *
 * <p>Stateless and thread-safe.
 */
final class ScoreBytes {

    /** Bytes per probability. */
    static final int PER_PROBABILITY = Double.BYTES;

    private ScoreBytes() {
    }

    /** How many bytes {@code scores} take: 0 for none. */
    static int length(@Nullable Scores scores) {
        return scores == null ? 0 : PER_PROBABILITY * scores.size();
    }

    /** Writes {@code scores} (nothing for none) into {@code out} from {@code offset}. */
    static void write(@Nullable Scores scores, byte[] out, int offset) {
        if (scores == null) {
            return;
        }
        for (int i = 0; i < scores.size(); i++) {
            long bits = Double.doubleToRawLongBits(scores.get(i));
            for (int b = 0; b < PER_PROBABILITY; b++) {
                out[offset + PER_PROBABILITY * i + b] = (byte) (bits >>> (56 - 8 * b));
            }
        }
    }

    /**
     * The scores that {@code bytes} hold, as {@link #write} wrote them.
     *
     * @throws IllegalStateException if they are not 8 bytes per probability, or not scores
     */
    static Scores read(byte[] bytes) {
        if (bytes.length == 0 || bytes.length % PER_PROBABILITY != 0) {
            throw new IllegalStateException("scores kept in Redis take " + PER_PROBABILITY
                    + " bytes per probability, got " + bytes.length + " bytes");
        }
        double[] probabilities = new double[bytes.length / PER_PROBABILITY];
        for (int i = 0; i < probabilities.length; i++) {
            long bits = 0;
            for (int b = 0; b < PER_PROBABILITY; b++) {
                bits = bits << 8 | (bytes[PER_PROBABILITY * i + b] & 0xFF);
            }
            probabilities[i] = Double.longBitsToDouble(bits);
        }
        try {
            return probabilities.length == 1 ? Scores.binary(probabilities[0]) : Scores.ofClasses(probabilities);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Redis holds scores that are not a model's: " + e.getMessage(), e);
        }
    }
}
