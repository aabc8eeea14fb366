package dev.modelfeedback.core.matrix;

import java.util.concurrent.atomic.LongAdder;

/** The counter of a K&times;K matrix: one padded adder per cell, K&sup2; in all. */
final class ArrayConfusionCounter implements ConfusionCounter {

    private final ClassLabels classes;
    private final LongAdder[] cells;

    ArrayConfusionCounter(ClassLabels classes) {
        this.classes = classes;
        this.cells = new LongAdder[classes.size() * classes.size()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = new PaddedLongAdder();
        }
    }

    @Override
    public void increment(int cell) {
        cells[cell].increment();
    }

    @Override
    public void add(ConfusionTally tally) {
        for (int cell = 0; cell < cells.length; cell++) {
            long count = tally.count(cell);
            if (count != 0) {
                cells[cell].add(count);
            }
        }
    }

    @Override
    public long count(int cell) {
        return cells[cell].sum();
    }

    @Override
    public ConfusionMatrix snapshot() {
        long[] counts = new long[cells.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = cells[i].sum();
        }
        return ConfusionMatrix.ofCells(classes, counts);
    }
}
