package dev.nncore.math;

/**
 * The plain-Java float32 kernel: {@code out = a · b (+ bias)}, cache-blocked and register-tiled so that C2
 * auto-vectorises the inner loops. This class is the loop nest; the innermost arithmetic is a {@link Tiles}:
 * {@link FusedTiles} ({@link Math#fma}) where the JVM runs fused multiply-add as one instruction, and
 * {@link SeparateTiles} (a multiply and an add) where it does not.
 *
 * <p>Why it is shaped this way (see the project's performance notes): C2 vectorises {@code c[j] = c[j] + x * b[j]}
 * only when {@code c} and {@code b} are different arrays indexed by the same {@code j} from 0, so C and B are kept
 * as separate row arrays, and for a B wider than {@value #N_BLOCK} columns each column block is copied into rows of
 * its own. k is blocked at {@value #K_BLOCK} so that the B block stays in L2 while every row of A streams past it.
 *
 * <p>Each output element is accumulated in increasing k into the output row, and the bias is added after the sum,
 * so blocking, tiling and the thread count never change a result.
 */
final class PlainKernel implements MatrixOps.Kernel {

    static final int K_BLOCK = 256;
    static final int N_BLOCK = 512;
    /** Rows of C per scratch block when B is wider than {@link #N_BLOCK}; a multiple of every tile height. */
    static final int ROW_BLOCK = 480;

    /** The innermost loops: {@code c += a · b} over a range of k, for a group of rows or for one row. */
    interface Tiles {
        /** {@code c[cFrom + r] += a[aFrom + r][aOffset + kk] * b[bStart + kk]} for {@code r < rows}, {@code kk < count}. */
        void rows(float[][] a, int aFrom, int aOffset, float[][] b, int bStart, int count, float[][] c, int cFrom, int rows,
                int n);

        /** {@code c += a[aOffset + kk] * b[bStart + kk]} for {@code kk < count}: the same arithmetic as one row of {@link #rows}. */
        void row(float[] a, int aOffset, float[][] b, int bStart, int count, float[] c, int n);

        /**
         * {@link #rows} with A read transposed: {@code c[cFrom + r] += a[aOffset + kk][aFrom + r] * b[bStart + kk]}, the
         * same arithmetic element by element, the scalars taken down columns of {@code a} instead of along its rows.
         */
        void rowsTransposedA(float[][] a, int aFrom, int aOffset, float[][] b, int bStart, int count, float[][] c, int cFrom,
                int rows, int n);
    }

    private final Tiles tiles;
    private final String name;

    PlainKernel(Tiles tiles, String name) {
        this.tiles = tiles;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** {@code out[i] = a[i] · b + bias} for rows {@code from <= i < to}; shapes already checked. */
    @Override
    public void affine(float[][] a, float[][] b, float[] bias, float[][] out, int from, int to) {
        product(a, false, b, false, out, from, to);
        if (bias != null) {
            for (int i = from; i < to; i++) {
                addBias(out[i], bias);
            }
        }
    }

    /** {@code out = aᵀ · b} for rows {@code from <= i < to} of out, reading column i of {@code a} in place. */
    @Override
    public void multiplyTransposedA(float[][] a, float[][] b, float[][] out, int from, int to) {
        product(a, true, b, false, out, from, to);
    }

    /** {@code out = a · bᵀ} for rows {@code from <= i < to}: blocks of {@code bᵀ} are packed into this thread's scratch. */
    @Override
    public void multiplyTransposedB(float[][] a, float[][] b, float[][] out, int from, int to) {
        product(a, false, b, true, out, from, to);
    }

    /**
     * {@code out = op(a) · op(b)} for rows {@code from <= i < to}. A is read in place either way (the tiles take its
     * scalars along a row or down a column); a B that is transposed or wider than {@value #N_BLOCK} is packed block by
     * block into scratch rows, which the tiles need anyway to vectorise.
     */
    private void product(float[][] a, boolean transposedA, float[][] b, boolean transposedB, float[][] out, int from, int to) {
        int inner = transposedB ? b[0].length : b.length;
        int n = transposedB ? b.length : b[0].length;
        if (n <= N_BLOCK && !transposedB) {
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(out[i], 0f);
            }
            for (int k0 = 0; k0 < inner; k0 += K_BLOCK) {
                tiles(a, transposedA, from, k0, b, k0, Math.min(K_BLOCK, inner - k0), out, from, to - from, n);
            }
        } else {
            blockedOverColumns(a, transposedA, b, transposedB, out, from, to, inner, n);
        }
    }

    private void tiles(float[][] a, boolean transposedA, int aFrom, int aOffset, float[][] b, int bStart, int count,
            float[][] c, int cFrom, int rows, int n) {
        if (transposedA) {
            tiles.rowsTransposedA(a, aFrom, aOffset, b, bStart, count, c, cFrom, rows, n);
        } else {
            tiles.rows(a, aFrom, aOffset, b, bStart, count, c, cFrom, rows, n);
        }
    }

    /** {@code out = x · b + bias} for one row: no blocking, since a lone row reads each B element once. */
    @Override
    public void affineRow(float[] x, float[][] b, float[] bias, float[] out) {
        java.util.Arrays.fill(out, 0f);
        tiles.row(x, 0, b, 0, b.length, out, out.length);
        if (bias != null) {
            addBias(out, bias);
        }
    }

    private static void addBias(float[] row, float[] bias) {
        for (int j = 0; j < row.length; j++) {
            row[j] += bias[j];
        }
    }

    /**
     * Wide or transposed B: each block of B (k {@value #K_BLOCK} by n {@value #N_BLOCK}) is copied, or transposed,
     * into scratch rows from index 0. Where B has more than one column block, C accumulates in scratch rows too,
     * {@value #ROW_BLOCK} rows at a time so that the scratch stays bounded (B is packed again for each block of rows,
     * a few per cent of the time at 1024x1024x1024); otherwise straight into {@code out}. The scratch is kept per
     * thread (1.5 MB, once a thread has needed it), so that such a product allocates nothing after its first call.
     */
    private void blockedOverColumns(float[][] a, boolean transposedA, float[][] b, boolean transposedB, float[][] out,
            int from, int to, int inner, int n) {
        Scratch scratch = SCRATCH.get();
        float[][] packed = scratch.packed;
        boolean direct = n <= N_BLOCK;
        int rowBlock = direct ? Math.max(1, to - from) : ROW_BLOCK;
        for (int i0 = from; i0 < to; i0 += rowBlock) {
            int rows = Math.min(rowBlock, to - i0);
            for (int n0 = 0; n0 < n; n0 += N_BLOCK) {
                int width = Math.min(N_BLOCK, n - n0);
                float[][] c = direct ? out : scratch.c;
                int cFrom = direct ? i0 : 0;
                for (int i = 0; i < rows; i++) {
                    java.util.Arrays.fill(c[cFrom + i], 0, width, 0f);
                }
                for (int k0 = 0; k0 < inner; k0 += K_BLOCK) {
                    int count = Math.min(K_BLOCK, inner - k0);
                    if (transposedB) {
                        transposeBlock(b, n0, width, k0, count, packed);
                    } else {
                        for (int kk = 0; kk < count; kk++) {
                            System.arraycopy(b[k0 + kk], n0, packed[kk], 0, width);
                        }
                    }
                    tiles(a, transposedA, i0, k0, packed, 0, count, c, cFrom, rows, width);
                }
                if (!direct) {
                    for (int i = 0; i < rows; i++) {
                        System.arraycopy(c[i], 0, out[i0 + i], n0, width);
                    }
                }
            }
        }
    }

    /** {@code packed[kk][jj] = b[n0 + jj][k0 + kk]}: each row of b is read once, along its length. */
    private static void transposeBlock(float[][] b, int n0, int width, int k0, int count, float[][] packed) {
        for (int jj = 0; jj < width; jj++) {
            float[] row = b[n0 + jj];
            for (int kk = 0; kk < count; kk++) {
                packed[kk][jj] = row[k0 + kk];
            }
        }
    }

    /** A thread's scratch for {@link #blockedOverColumns}: a packed block of B and a block of C rows. */
    private static final class Scratch {
        final float[][] packed = new float[K_BLOCK][N_BLOCK];
        final float[][] c = new float[ROW_BLOCK][N_BLOCK];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
}
