package dev.nncore.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Copies of weight tensors as nn-core holds them (a {@code float[][]} of rows each), for the places that need arrays
 * of their own: a network's {@code withWeights}, a fit's second set of weights, an optimizer's saved slots.
 *
 * <pre>{@code
 * import dev.nncore.internal.Tensors;
 * import java.util.List;
 *
 * float[][] kernel = {{1, 2}, {3, 4}};
 * float[] bias = {0.5f};
 * List<float[][]> mine = Tensors.copies(List.of(kernel, new float[][] {bias}));
 * mine.get(0)[0][0] = 9;                           // kernel[0][0] is still 1
 * }</pre>
 */
public final class Tensors {

    private Tensors() {
    }

    /**
     * @param tensors the tensors to copy, each a rectangle of rows
     * @return a new, modifiable list of new arrays, every row cloned (no zeroing pass before the copy)
     */
    public static List<float[][]> copies(List<float[][]> tensors) {
        List<float[][]> out = new ArrayList<>(tensors.size());
        for (float[][] tensor : tensors) {
            out.add(copy(tensor));
        }
        return out;
    }

    /**
     * @param tensor a rectangle of rows
     * @return a new array, every row cloned
     */
    public static float[][] copy(float[][] tensor) {
        float[][] copy = new float[tensor.length][];
        for (int r = 0; r < tensor.length; r++) {
            copy[r] = tensor[r].clone();
        }
        return copy;
    }
}
