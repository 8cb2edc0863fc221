package dev.nncore.math;

import dev.nncore.testing.Gaussian;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Run in a JVM of its own by {@link VectorTilesTest} with {@code -Dnncore.vectorTiles} set: every product of the Vector
 * API kernel (affine, on a packed B, by columns, and the two transposed forms) on shapes around the tiles' edges,
 * against the fused plain kernel, whose bits it must give, each into an output of NaN that it must overwrite. Prints
 * the kernel's name, then {@code same bits} and exits 0, or names the first product and shape that differ and exits 1.
 */
final class VectorTilesProbe {

    /**
     * m, k, n: row counts around tiles of 4, 5 and 6 rows and row blocks of 180, columns around strips of 4 vectors;
     * for the transposed product's copy of A, tiles whose vector loads would pass A's last column, and fewer steps of
     * k than a vector store spills over ({@code {50, 3, 64}}).
     */
    private static final int[][] SHAPES = {{1, 784, 128}, {4, 33, 64}, {5, 130, 64}, {6, 129, 96}, {7, 20, 70},
        {11, 300, 130}, {12, 64, 64}, {17, 257, 128}, {47, 20, 64}, {48, 200, 100}, {49, 129, 64}, {53, 300, 130},
        {64, 784, 128}, {64, 784, 10}, {97, 129, 192}, {181, 130, 65}, {185, 257, 128}, {361, 64, 40},
        {40, 1100, 70}, {50, 3, 64}};

    private VectorTilesProbe() {
    }

    public static void main(String[] args) {
        List<MatrixOps.Kernel> kernels = MatrixOps.availableKernels();
        MatrixOps.Kernel fused = kernels.get(0);
        MatrixOps.Kernel vector = kernels.get(kernels.size() - 1);
        System.out.println("kernel " + vector.name());
        Random random = new Random(29);
        for (int[] shape : SHAPES) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            float[][] a = Gaussian.rows(m, k, random.nextLong());
            float[][] b = Gaussian.rows(k, n, random.nextLong());
            float[] bias = Gaussian.rows(1, n, random.nextLong())[0];
            float[][] expected = new float[m][n];
            fused.affine(a, b, bias, expected, 0, m);
            float[][] actual = stale(m, n);
            vector.affine(a, b, bias, actual, 0, m);
            check("affine", shape, expected, actual);
            actual = stale(m, n);
            vector.affinePacked(a, b, vector.pack(b), bias, actual, 0, m);
            check("affinePacked", shape, expected, actual);
            int strip = vector.columnSplit(m, n);
            if (strip > 0) {
                actual = stale(m, n);
                vector.affineColumns(a, b, bias, actual, 0, strip);
                vector.affineColumns(a, b, bias, actual, strip, n);
                check("affineColumns", shape, expected, actual);
            }
            float[][] aT = Gaussian.rows(k, m, random.nextLong());
            fused.multiplyTransposedA(aT, b, expected, 0, m);
            actual = stale(m, n);
            vector.multiplyTransposedA(aT, b, actual, 0, m);
            check("multiplyTransposedA", shape, expected, actual);
            float[][] bT = Gaussian.rows(n, k, random.nextLong());
            fused.multiplyTransposedB(a, bT, expected, 0, m);
            actual = stale(m, n);
            vector.multiplyTransposedB(a, bT, actual, 0, m);
            check("multiplyTransposedB", shape, expected, actual);
        }
        System.out.println("same bits");
    }

    /** An output holding NaN, as a reused buffer holds an earlier result: every product must overwrite all of it. */
    private static float[][] stale(int m, int n) {
        float[][] out = new float[m][n];
        for (float[] row : out) {
            Arrays.fill(row, Float.NaN);
        }
        return out;
    }

    private static void check(String product, int[] shape, float[][] expected, float[][] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (!Arrays.equals(expected[i], actual[i])) {
                System.out.println(product + " " + Arrays.toString(shape) + ": row " + i + " differs from the fused plain kernel's");
                System.exit(1);
            }
        }
    }
}
