package dev.nncore.math;

/**
 * The plain kernel's tiles on {@link Math#fma}: every output element is the chain {@code c = fma(a[k], b[k][j], c)}
 * over increasing k, rounded once per step. That is the Vector API kernel's arithmetic too, so the two fast
 * kernels give the same bits. C2 turns the loops below into 512-bit (or 256-bit) vector FMAs.
 *
 * <p>Three rows of C by three steps of k per pass: each B element loaded feeds three FMAs and each C element is
 * loaded and stored once per three steps. Chosen with JMH over the tiles that vectorise, each shape in two fresh
 * JVMs: 3x3 reached 35-64 GFLOP/s from n = 64 to 1024, against 32-54 for 2x2, 2x3 and 4x2; 3x4 was 11-17 % faster
 * when C2 vectorised it but in some JVMs and at n &lt;= 128 C2 left it scalar (15 GFLOP/s); 4x4, 3x5 and larger
 * exceed C2's loop-unroll budget ({@code LoopUnrollLimit=60}) and always stay scalar.
 */
final class FusedTiles implements PlainKernel.Tiles {

    @Override
    public void rows(float[][] a, int aFrom, int aOffset, float[][] b, int bStart, int count, float[][] c, int cFrom,
            int rows, int n) {
        int r = 0;
        for (; r + 2 < rows; r += 3) {
            int i = aFrom + r;
            int o = cFrom + r;
            threeRows(a[i], a[i + 1], a[i + 2], aOffset, b, bStart, count, c[o], c[o + 1], c[o + 2], n);
        }
        for (; r < rows; r++) {
            row(a[aFrom + r], aOffset, b, bStart, count, c[cFrom + r], n);
        }
    }

    /** A lone row (one sample, or the rows left over by the 3-row tiles): four steps of k per pass. */
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

    private static void threeRows(float[] a0, float[] a1, float[] a2, int aOffset, float[][] b, int bStart, int count,
            float[] c0, float[] c1, float[] c2, int n) {
        int kk = 0;
        for (; kk + 2 < count; kk += 3) {
            int ka = aOffset + kk;
            int kb = bStart + kk;
            threeByThree(c0, c1, c2, a0[ka], a0[ka + 1], a0[ka + 2], a1[ka], a1[ka + 1], a1[ka + 2],
                    a2[ka], a2[ka + 1], a2[ka + 2], b[kb], b[kb + 1], b[kb + 2], n);
        }
        for (; kk < count; kk++) {
            int ka = aOffset + kk;
            float[] bk = b[bStart + kk];
            oneByOne(c0, a0[ka], bk, n);
            oneByOne(c1, a1[ka], bk, n);
            oneByOne(c2, a2[ka], bk, n);
        }
    }

    // Each innermost loop is a small method of its own, so that its node count, which C2's unrolling and
    // vectorisation budget counts, stays small wherever it is inlined.

    private static void threeByThree(float[] c0, float[] c1, float[] c2, float x00, float x01, float x02,
            float x10, float x11, float x12, float x20, float x21, float x22, float[] b0, float[] b1, float[] b2, int n) {
        for (int j = 0; j < n; j++) {
            float v0 = b0[j];
            float v1 = b1[j];
            float v2 = b2[j];
            c0[j] = Math.fma(x02, v2, Math.fma(x01, v1, Math.fma(x00, v0, c0[j])));
            c1[j] = Math.fma(x12, v2, Math.fma(x11, v1, Math.fma(x10, v0, c1[j])));
            c2[j] = Math.fma(x22, v2, Math.fma(x21, v1, Math.fma(x20, v0, c2[j])));
        }
    }

    private static void oneByFour(float[] c0, float x0, float x1, float x2, float x3,
            float[] b0, float[] b1, float[] b2, float[] b3, int n) {
        for (int j = 0; j < n; j++) {
            c0[j] = Math.fma(x3, b3[j], Math.fma(x2, b2[j], Math.fma(x1, b1[j], Math.fma(x0, b0[j], c0[j]))));
        }
    }

    private static void oneByOne(float[] c0, float x, float[] b, int n) {
        for (int j = 0; j < n; j++) {
            c0[j] = Math.fma(x, b[j], c0[j]);
        }
    }
}
