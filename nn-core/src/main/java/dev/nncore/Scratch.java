package dev.nncore;

/**
 * Work arrays a training pass reuses from batch to batch: per slot, the last two shapes asked for (a run has two
 * batch sizes, the full one and the last, shorter one), so a steady run allocates nothing.
 */
final class Scratch {

    private final float[][][][] arrays;

    /** @param slots how many different arrays the owner needs */
    Scratch(int slots) {
        arrays = new float[slots][2][][];
    }

    /** A {@code rows x cols} array for {@code slot}; its contents are whatever the last user left. */
    float[][] get(int slot, int rows, int cols) {
        float[][][] pair = arrays[slot];
        for (float[][] candidate : pair) {
            if (candidate != null && candidate.length == rows && (rows == 0 || candidate[0].length == cols)) {
                return candidate;
            }
        }
        float[][] made = new float[rows][cols];
        pair[1] = pair[0];
        pair[0] = made;
        return made;
    }

    static void transpose(float[][] matrix, float[][] out) {
        for (int r = 0; r < matrix.length; r++) {
            float[] row = matrix[r];
            for (int c = 0; c < row.length; c++) {
                out[c][r] = row[c];
            }
        }
    }

    /** {@code out[j] = sum over rows of m[r][j]}, in increasing row order. */
    static void columnSums(float[][] m, float[] out) {
        java.util.Arrays.fill(out, 0f);
        for (float[] row : m) {
            for (int j = 0; j < out.length; j++) {
                out[j] += row[j];
            }
        }
    }

    static void copy(float[][] from, float[][] to) {
        for (int r = 0; r < from.length; r++) {
            System.arraycopy(from[r], 0, to[r], 0, from[r].length);
        }
    }
}
