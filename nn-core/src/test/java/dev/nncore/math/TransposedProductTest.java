package dev.nncore.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code aᵀ · b} and {@code a · bᵀ} read their operands in place: every kernel against a double-precision i-k-j
 * reference, and to the bit against its own {@code affine} of a transposed copy (the product they replace).
 */
class TransposedProductTest {

    /**
     * m, k, n: 1x1, lone rows and columns, odd sizes around the 4- and 6-row tiles, 16-lane vectors, packing from 48 rows,
     * k 256 and n 512 blocks.
     */
    private static final int[][] SHAPES = {{1, 1, 1}, {3, 17, 1}, {3, 1, 17}, {1, 17, 3}, {17, 3, 1}, {65, 129, 10},
        {65, 10, 129}, {128, 64, 10}, {64, 10, 128}, {784, 64, 128}, {6, 31, 65}, {10, 300, 600}, {5, 513, 1025},
        {13, 255, 129}, {481, 258, 513}, {7, 3, 2}, {50, 70, 80}, {47, 5, 64}};

    @Test
    void everyKernelMatchesADoubleReferenceAndItsOwnProductOfATransposedCopy() {
        Random random = new Random(17);
        for (int[] shape : SHAPES) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            float[][] a = random(m, k, random);
            float[][] b = random(k, n, random);
            float[][] aT = transpose(a);
            float[][] bT = transpose(b);
            for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
                String name = kernel.name() + " " + m + "x" + k + "x" + n;
                float[][] expected = new float[m][n];
                kernel.affine(a, b, null, expected, 0, m);
                float[][] outA = filled(m, n);
                kernel.multiplyTransposedA(aT, b, outA, 0, m);
                float[][] outB = filled(m, n);
                kernel.multiplyTransposedB(a, bT, outB, 0, m);
                assertThat(outA).as("aT·b, %s", name).isEqualTo(expected);
                assertThat(outB).as("a·bT, %s", name).isEqualTo(expected);
                assertCloseToDouble(a, b, outA, name);
            }
        }
    }

    @Test
    void aNarrowProductTurnedRoundHasTheBitsOfTheDirectOneOnEveryKernelAndThreadCount() {
        Random random = new Random(23);
        // m x k x n of out = aT·b: an output layer's kernel gradient (128-10, 512-10, 2048-1 on batches of 64 and 300,
        // k across a block boundary), n from 1 to 15, and m at the threshold
        int[][] shapes = {{128, 64, 10}, {512, 64, 10}, {2048, 64, 1}, {512, 300, 10}, {64, 7, 15}, {100, 33, 3},
            {65, 1, 2}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            float[][] aT = random(k, m, random);
            float[][] b = random(k, n, random);
            for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
                String name = kernel.name() + " " + m + "x" + k + "x" + n;
                float[][] direct = filled(m, n);
                kernel.multiplyTransposedA(aT, b, direct, 0, m);
                for (int threads = 1; threads <= 2; threads++) {
                    float[][] turned = filled(m, n);
                    MatrixOps.run(kernel, MatrixOps.TRANSPOSED_A, aT, b, null, turned, 0, threads);
                    assertThat(turned).as("%s on %d threads", name, threads).isEqualTo(direct);
                }
                assertCloseToDouble(transpose(aT), b, direct, name);
            }
        }
    }

    @Test
    void aTrainingLoopsNarrowGradientAllocatesNothingAfterItsFirstCall() {
        Random random = new Random(29);
        float[][] aT = random(64, 512, random);
        float[][] b = random(64, 10, random);
        float[][] out = new float[512][10];
        MatrixOps.multiplyTransposedA(aT, b, out);
        long bytes = dev.nncore.testing.Allocations.fewest(dev.nncore.testing.Allocations.UNTIL_COMPILED, 64,
                () -> {
                    for (int call = 0; call < 500; call++) {
                        MatrixOps.multiplyTransposedA(aT, b, out);
                    }
                }, Thread.currentThread().getId());
        assertThat(bytes).as("bytes allocated by 500 calls of a 512x64x10 aT·b").isLessThan(64);
    }

    @Test
    void theFusedPlainKernelAndTheVectorKernelGiveTheSameBits() {
        org.junit.jupiter.api.Assumptions.assumeTrue(FusedMultiplyAdd.FAST, "fused multiply-add is turned off in this run");
        List<MatrixOps.Kernel> kernels = MatrixOps.availableKernels();
        MatrixOps.Kernel fused = kernels.get(0);
        MatrixOps.Kernel vector = kernels.get(kernels.size() - 1);
        assertThat(vector.name()).startsWith("Vector API");
        Random random = new Random(19);
        for (int[] shape : SHAPES) {
            int m = shape[0];
            int n = shape[2];
            float[][] aT = random(shape[1], m, random);
            float[][] b = random(shape[1], n, random);
            float[][] plain = new float[m][n];
            float[][] simd = new float[m][n];
            fused.multiplyTransposedA(aT, b, plain, 0, m);
            vector.multiplyTransposedA(aT, b, simd, 0, m);
            assertThat(simd).as("aT·b %s", java.util.Arrays.toString(shape)).isEqualTo(plain);
            float[][] a = random(m, shape[1], random);
            float[][] bT = random(n, shape[1], random);
            fused.multiplyTransposedB(a, bT, plain, 0, m);
            vector.multiplyTransposedB(a, bT, simd, 0, m);
            assertThat(simd).as("a·bT %s", java.util.Arrays.toString(shape)).isEqualTo(plain);
        }
    }

    /** Split over threads, by chunks of rows of out, or in one piece: the same bits. */
    @Test
    void rowsAreBitIdenticalWhateverTheChunkingOrThreadCount() {
        Random random = new Random(23);
        float[][] aT = random(300, 301, random);
        float[][] b = random(300, 70, random);
        float[][] a = transpose(aT);
        float[][] bT = transpose(b);
        for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
            float[][] whole = new float[301][70];
            kernel.multiplyTransposedA(aT, b, whole, 0, 301);
            float[][] chunked = new float[301][70];
            int[] cuts = {0, 3, 4, 7, 100, 101, 250, 301};
            for (int c = 0; c + 1 < cuts.length; c++) {
                kernel.multiplyTransposedA(aT, b, chunked, cuts[c], cuts[c + 1]);
            }
            assertThat(chunked).as(kernel.name()).isEqualTo(whole);
            float[][] threaded = new float[301][70];
            MatrixOps.run(kernel, MatrixOps.TRANSPOSED_A, aT, b, null, threaded, 0, 2);
            assertThat(threaded).as(kernel.name()).isEqualTo(whole);
            float[][] threadedB = new float[301][70];
            MatrixOps.run(kernel, MatrixOps.TRANSPOSED_B, a, bT, null, threadedB, 0, 2);
            assertThat(threadedB).as(kernel.name()).isEqualTo(whole);
        }
    }

    /** Hand-computed: {@code [[1,2],[3,4]]ᵀ · [[5],[6]] = [[23],[34]]} and {@code [[1,2]] · [[3,4],[5,6]]ᵀ = [[11,17]]}. */
    @Test
    void thePublicCallsComputeHandCheckedProducts() {
        float[][] out = {{100}, {100}};
        MatrixOps.multiplyTransposedA(new float[][] {{1, 2}, {3, 4}}, new float[][] {{5}, {6}}, out);
        assertThat(out).isEqualTo(new float[][] {{23}, {34}});
        float[][] row = new float[1][2];
        MatrixOps.multiplyTransposedB(new float[][] {{1, 2}}, new float[][] {{3, 4}, {5, 6}}, row);
        assertThat(row).isEqualTo(new float[][] {{11, 17}});
    }

    @Test
    void thePublicCallsRejectShapesThatDisagreeAndSharedRows() {
        assertThatThrownBy(() -> MatrixOps.multiplyTransposedA(new float[3][2], new float[2][4], new float[2][4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a has 3 rows but b has 2; a^T b needs the same number");
        assertThatThrownBy(() -> MatrixOps.multiplyTransposedA(new float[3][2], new float[3][4], new float[3][4]))
                .hasMessage("out has 3 rows, expected 2");
        assertThatThrownBy(() -> MatrixOps.multiplyTransposedB(new float[2][3], new float[4][2], new float[2][4]))
                .hasMessage("a rows have 3 values but b rows have 2; a b^T needs the same number");
        assertThatThrownBy(() -> MatrixOps.multiplyTransposedB(new float[2][3], new float[4][3], new float[2][5]))
                .hasMessage("out row 0 has 5 values, expected 4");
        assertThatThrownBy(() -> MatrixOps.multiplyTransposedB(new float[][] {{1}, {2, 3}}, new float[1][1], new float[2][1]))
                .hasMessage("a row 1 has 2 values, expected 1 like row 0");
        float[][] b = {{1, 2}, {3, 4}};
        assertThatThrownBy(() -> MatrixOps.multiplyTransposedA(new float[2][2], b, new float[][] {{0, 0}, b[1]}))
                .hasMessage("out row 1 is also an input row; pass a separate buffer");
    }

    private static void assertCloseToDouble(float[][] a, float[][] b, float[][] out, String name) {
        int k = b.length;
        for (int i = 0; i < out.length; i++) {
            double[] expected = new double[out[i].length];
            double[] magnitude = new double[out[i].length];
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < expected.length; j++) {
                    double term = (double) a[i][p] * b[p][j];
                    expected[j] += term;
                    magnitude[j] += Math.abs(term);
                }
            }
            for (int j = 0; j < expected.length; j++) {
                // float32 summation of k terms: error at most ~k * 2^-24 * sum |terms| (FMA only tightens it)
                double bound = (k + 1) * 6e-8 * magnitude[j] + 1e-30;
                if (Math.abs(out[i][j] - expected[j]) > bound) {
                    throw new AssertionError(name + " at (" + i + ", " + j + "): " + out[i][j] + ", expected " + expected[j]);
                }
            }
        }
    }

    private static float[][] filled(int rows, int cols) {
        float[][] values = new float[rows][cols];
        for (float[] row : values) {
            java.util.Arrays.fill(row, Float.NaN); // overwritten, not accumulated into
        }
        return values;
    }

    private static float[][] transpose(float[][] m) {
        float[][] t = new float[m[0].length][m.length];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[0].length; c++) {
                t[c][r] = m[r][c];
            }
        }
        return t;
    }

    private static float[][] random(int rows, int cols, Random random) {
        float[][] values = new float[rows][cols];
        for (float[] row : values) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return values;
    }
}
