package dev.nncore.testing;

import java.util.SplittableRandom;

/** Test data: rows of standard normal floats, the same for the same seed. */
public final class Gaussian {

    private Gaussian() {
    }

    /** @return {@code rows x cols} values drawn row by row from {@code new SplittableRandom(seed).nextGaussian()} */
    public static float[][] rows(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] values = new float[rows][cols];
        for (float[] row : values) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) random.nextGaussian();
            }
        }
        return values;
    }
}
