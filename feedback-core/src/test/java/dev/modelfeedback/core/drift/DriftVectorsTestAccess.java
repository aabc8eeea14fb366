package dev.modelfeedback.core.drift;

/** Lets tests in other packages read a vector's input. */
public final class DriftVectorsTestAccess {

    private DriftVectorsTestAccess() {
    }

    /** The input line of a vector file, one error flag per update. */
    public static boolean[] input(String stream) {
        return DriftVectorsTest.Vector.load(stream).input();
    }
}
