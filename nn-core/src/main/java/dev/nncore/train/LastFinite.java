package dev.nncore.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The weights of the last batch whose loss was finite, kept for {@link TrainingDivergedException} and
 * {@link TerminateOnNaN} without copying the trainable weights every batch: the optimizer writes each step's new
 * weights into a second set of rows ({@link #updated()}), and {@link #swap()} then exchanges the two sets' rows, so
 * the arrays everyone reads hold the new weights and the second set the ones before the step. Only the non-trainable
 * weights (a BatchNormalization's moving statistics, which the forward pass changes) are copied, and they are small.
 *
 * <p>The second set may be the gradients themselves ({@link OptimizerRun#mayWriteOverGradients()}): the step then
 * writes the new weights over the gradients it has just read, whose lines are still in cache, instead of into a third
 * set of rows that every step would bring back from memory (measured: the 784-128-10 step on batch 64 ran 6-8 %
 * slower that way). The weights before the step then wait in the gradients' rows until the next backward pass
 * overwrites them, which happens only once that batch's loss was found finite: exactly as long as they are needed.
 *
 * <p>The outer arrays stay the same objects throughout, so the kernel, the callbacks and the backup, which hold them,
 * always see the current rows.
 */
final class LastFinite {

    private final List<float[][]> trainable;
    private final List<float[][]> updated;
    private final List<float[][]> fixed = new ArrayList<>();
    private final List<float[][]> fixedCopies = new ArrayList<>();
    private final List<float[][]> snapshot = new ArrayList<>();
    /** One array of row references per trainable weight, through which {@link #swap()} exchanges the two sets. */
    private final List<float[][]> swapRows = new ArrayList<>();

    /**
     * @param weights every weight, in the network's order; its rows are swapped, never its outer arrays
     * @param trainable one flag per weight
     * @param gradients the trainable weights' gradients, to serve as the second set, holding a copy of the trainable
     *     weights (overwritten by the step kernel only when a batch's loss is finite), or null for a set of their own
     */
    LastFinite(List<float[][]> weights, List<Boolean> trainable, List<float[][]> gradients) {
        this.trainable = new ArrayList<>();
        this.updated = new ArrayList<>();
        for (int t = 0; t < weights.size(); t++) {
            float[][] weight = weights.get(t);
            boolean overGradients = gradients != null && trainable.get(t);
            float[][] copy = overGradients ? gradients.get(this.trainable.size()) : new float[weight.length][];
            for (int r = 0; !overGradients && r < weight.length; r++) {
                copy[r] = weight[r].clone();
            }
            if (trainable.get(t)) {
                this.trainable.add(weight);
                updated.add(copy);
                swapRows.add(new float[weight.length][]);
            } else {
                fixed.add(weight);
                fixedCopies.add(copy);
            }
            snapshot.add(copy);
        }
    }

    /** @return the second set of trainable rows, where the optimizer writes the weights after the step */
    List<float[][]> updated() {
        return updated;
    }

    /** Remembers the non-trainable weights as the forward pass of a finite batch left them. */
    void keepFixed() {
        for (int t = 0; t < fixed.size(); t++) {
            copyRows(fixed.get(t), fixedCopies.get(t));
        }
    }

    /** After the optimizer's step: the new rows become the current ones, the old ones the last finite ones. */
    void swap() {
        // Three bulk copies of each set's references rather than a store per row: the garbage collector's barrier on
        // reference stores then runs once per copy, not once per row (a 784-row kernel swapped row by row took about
        // 3 % of a batch-64 step in JFR on the Zen 5 machine).
        for (int t = 0; t < trainable.size(); t++) {
            float[][] current = trainable.get(t);
            float[][] next = updated.get(t);
            float[][] held = swapRows.get(t);
            System.arraycopy(current, 0, held, 0, current.length);
            System.arraycopy(next, 0, current, 0, current.length);
            System.arraycopy(held, 0, next, 0, current.length);
        }
    }

    /** @return the last finite weights, in the network's order; live arrays, to be read at once */
    List<float[][]> weights() {
        return snapshot;
    }

    /** Puts the last finite weights back as the current ones (Keras's TerminateOnNaN leaves those). */
    void restore() {
        swap();
        for (int t = 0; t < fixed.size(); t++) {
            copyRows(fixedCopies.get(t), fixed.get(t));
        }
    }

    private static void copyRows(float[][] from, float[][] to) {
        for (int r = 0; r < from.length; r++) {
            System.arraycopy(from[r], 0, to[r], 0, from[r].length);
        }
    }
}
