package dev.nncore.math;

/**
 * The plain kernel's tiles for JVMs without a fast fused multiply-add: each product and each sum rounded apart,
 * {@code ((c + x0 b0) + x1 b1) + ...} left to right, exactly as the naive i-k-j loop does.
 *
 * <p>Two rows of C by three steps of k per pass: each B element loaded serves two rows, and each C element is
 * loaded and stored once per three steps. A 2x4 tile measured faster in isolation but exceeds C2's default
 * loop-unroll budget ({@code LoopUnrollLimit=60}) once inlined, and then stays scalar; 2x3 vectorises in every
 * shape measured.
 */
final class SeparateTiles implements PlainKernel.Tiles {

    @Override
    public void rows(float[][] a, int aFrom, int aOffset, float[][] b, int bStart, int count, float[][] c, int cFrom,
            int rows, int n) {
        int r = 0;
        for (; r + 1 < rows; r += 2) {
            twoRows(a[aFrom + r], a[aFrom + r + 1], aOffset, b, bStart, count, c[cFrom + r], c[cFrom + r + 1], n);
        }
        if (r < rows) {
            row(a[aFrom + r], aOffset, b, bStart, count, c[cFrom + r], n);
        }
    }

    @Override
    public void row(float[] a0, int aOffset, float[][] b, int bStart, int count, float[] c0, int n) {
        int kk = 0;
        for (; kk + 3 < count; kk += 4) {
            int ka = aOffset + kk;
            int kb = bStart + kk;
            oneByFour(c0, a0[ka], a0[ka + 1], a0[ka + 2], a0[ka + 3], b[kb], b[kb + 1], b[kb + 2], b[kb + 3], n);
        }
        for (; kk < count; kk++) {
            oneByOne(c0, a0[aOffset + kk], b[bStart + kk], n);
        }
    }

    private static void twoRows(float[] a0, float[] a1, int aOffset, float[][] b, int bStart, int count,
            float[] c0, float[] c1, int n) {
        int kk = 0;
        for (; kk + 2 < count; kk += 3) {
            int ka = aOffset + kk;
            int kb = bStart + kk;
            twoByThree(c0, c1, a0[ka], a0[ka + 1], a0[ka + 2], a1[ka], a1[ka + 1], a1[ka + 2], b[kb], b[kb + 1], b[kb + 2], n);
        }
        for (; kk < count; kk++) {
            twoByOne(c0, c1, a0[aOffset + kk], a1[aOffset + kk], b[bStart + kk], n);
        }
    }

    // Each innermost loop is a small method of its own, so that its node count, which C2's unrolling and
    // vectorisation budget counts, stays small wherever it is inlined.

    private static void twoByThree(float[] c0, float[] c1, float x00, float x01, float x02, float x10, float x11, float x12,
            float[] b0, float[] b1, float[] b2, int n) {
        for (int j = 0; j < n; j++) {
            float v0 = b0[j];
            float v1 = b1[j];
            float v2 = b2[j];
            c0[j] = c0[j] + x00 * v0 + x01 * v1 + x02 * v2;
            c1[j] = c1[j] + x10 * v0 + x11 * v1 + x12 * v2;
        }
    }

    private static void twoByOne(float[] c0, float[] c1, float x0, float x1, float[] b, int n) {
        for (int j = 0; j < n; j++) {
            float v = b[j];
            c0[j] = c0[j] + x0 * v;
            c1[j] = c1[j] + x1 * v;
        }
    }

    private static void oneByFour(float[] c0, float x0, float x1, float x2, float x3,
            float[] b0, float[] b1, float[] b2, float[] b3, int n) {
        for (int j = 0; j < n; j++) {
            c0[j] = c0[j] + x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
        }
    }

    private static void oneByOne(float[] c0, float x, float[] b, int n) {
        for (int j = 0; j < n; j++) {
            c0[j] = c0[j] + x * b[j];
        }
    }
}
