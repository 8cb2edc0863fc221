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
    /** Scratch for a block of {@code aᵀ}: rows of out per block times A's row count, at most this (512 KB). */
    static final int TRANSPOSED_A_FLOATS = 1 << 17;
    /** Largest {@code bᵀ} that {@link #multiplyTransposedB} copies whole into scratch (1 MB). */
    static final int TRANSPOSED_B_FLOATS = 1 << 18;

    /** The innermost loops: {@code c += a · b} over a range of k, for a group of rows or for one row. */
    interface Tiles {
        /** {@code c[cFrom + r] += a[aFrom + r][aOffset + kk] * b[bStart + kk]} for {@code r < rows}, {@code kk < count}. */
        void rows(float[][] a, int aFrom, int aOffset, float[][] b, int bStart, int count, float[][] c, int cFrom, int rows,
                int n);

        /** {@code c += a[aOffset + kk] * b[bStart + kk]} for {@code kk < count}: the same arithmetic as one row of {@link #rows}. */
        void row(float[] a, int aOffset, float[][] b, int bStart, int count, float[] c, int n);
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
        product(a, b, false, out, from, to);
        if (bias != null) {
            for (int i = from; i < to; i++) {
                addBias(out[i], bias);
            }
        }
    }

    /**
     * {@link #affine} over k from {@code kFrom} to {@code kTo} only, every row: blocks of k start at {@code kFrom}, so each
     * element's sum is the one {@link #affine} makes on copies of those columns of A and rows of B.
     */
    @Override
    public void affineSlice(float[][] a, float[][] b, float[] bias, float[][] out, int kFrom, int kTo) {
        multiplyRows(a, b, kFrom, kTo, b[0].length, out, 0, out.length);
        if (bias != null) {
            for (float[] row : out) {
                addBias(row, bias);
            }
        }
    }

    /**
     * {@code out = a · b + bias} for columns {@code colFrom <= j < colTo} of every row: each block of those columns goes
     * through the packed scratch rows of {@link #blockedOverColumns}, with the same arithmetic per element as
     * {@link #affine}, so the same bits.
     */
    @Override
    public void affineColumns(float[][] a, float[][] b, float[] bias, float[][] out, int colFrom, int colTo) {
        blockedOverColumns(a, b, false, out, 0, out.length, 0, b.length, colFrom, colTo, false);
        if (bias != null) {
            for (float[] row : out) {
                for (int j = colFrom; j < colTo; j++) {
                    row[j] += bias[j];
                }
            }
        }
    }

    /**
     * {@code out = aᵀ · b} for rows {@code from <= i < to} of out. The tiles vectorise only along row arrays, and read
     * in place down A's columns C2 left them scalar (three times slower than a transposed copy), so A is transposed
     * here a block of rows at a time (at most {@value #TRANSPOSED_A_FLOATS} floats of scratch per thread, not a copy
     * of the whole of A) and multiplied as {@link #affine} does: the same arithmetic, so the same bits.
     */
    @Override
    public void multiplyTransposedA(float[][] a, float[][] b, float[][] out, int from, int to) {
        int inner = b.length;
        Scratch scratch = SCRATCH.get();
        int rowBlock = Math.max(6, Math.min(ROW_BLOCK, TRANSPOSED_A_FLOATS / inner) / 6 * 6);
        for (int i0 = from; i0 < to; i0 += rowBlock) {
            int rows = Math.min(rowBlock, to - i0);
            float[][] columns = scratch.columns(rowBlock, inner);
            transposeBlock(a, 0, inner, i0, rows, columns);
            float[][] outRows = scratch.outRows;
            System.arraycopy(out, i0, outRows, 0, rows);
            product(columns, b, false, outRows, 0, rows);
            java.util.Arrays.fill(outRows, 0, rows, null);
        }
    }

    /**
     * {@code out = a · bᵀ} for rows {@code from <= i < to}. A {@code bᵀ} of up to {@value #TRANSPOSED_B_FLOATS} floats
     * (1 MB) is transposed whole into this thread's scratch and multiplied as {@link #affine} does; a larger one is
     * transposed block by block into the packed scratch rows of {@link #blockedOverColumns}, which measured about 5 %
     * slower than the whole copy on small shapes. The same arithmetic either way, so the same bits.
     */
    @Override
    public void multiplyTransposedB(float[][] a, float[][] b, float[][] out, int from, int to) {
        int inner = b[0].length;
        int n = b.length;
        if ((long) inner * n > TRANSPOSED_B_FLOATS) {
            product(a, b, true, out, from, to);
            return;
        }
        float[][] transposed = SCRATCH.get().transposedB(inner, n);
        transposeBlock(b, 0, n, 0, inner, transposed);
        multiplyRows(a, transposed, 0, inner, n, out, from, to);
    }

    /**
     * {@code out = a · op(b)} for rows {@code from <= i < to}. A B that is transposed or wider than {@value #N_BLOCK}
     * is packed block by block into scratch rows, which the tiles need anyway to vectorise.
     */
    private void product(float[][] a, float[][] b, boolean transposedB, float[][] out, int from, int to) {
        if (transposedB) {
            blockedOverColumns(a, b, true, out, from, to, 0, b[0].length, 0, b.length, b.length <= N_BLOCK);
        } else {
            multiplyRows(a, b, 0, b.length, b[0].length, out, from, to);
        }
    }

    /**
     * {@code out = a · b} over B's rows (A's columns) {@code kFrom <= k < kTo} and B's first {@code n} columns (a scratch
     * B may have more).
     */
    private void multiplyRows(float[][] a, float[][] b, int kFrom, int kTo, int n, float[][] out, int from, int to) {
        if (n <= N_BLOCK) {
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(out[i], 0f);
            }
            for (int k0 = kFrom; k0 < kTo; k0 += K_BLOCK) {
                tiles.rows(a, from, k0, b, k0, Math.min(K_BLOCK, kTo - k0), out, from, to - from, n);
            }
        } else {
            blockedOverColumns(a, b, false, out, from, to, kFrom, kTo, 0, n, false);
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
     * Only columns {@code colFrom <= j < colTo} are computed, over k from {@code kFrom} to {@code kTo}; {@code direct}
     * (B's columns in one block from 0) writes into {@code out} without the scratch C.
     */
    private void blockedOverColumns(float[][] a, float[][] b, boolean transposedB, float[][] out, int from, int to,
            int kFrom, int kTo, int colFrom, int colTo, boolean direct) {
        Scratch scratch = SCRATCH.get();
        float[][] packed = scratch.packed;
        int rowBlock = direct ? Math.max(1, to - from) : ROW_BLOCK;
        for (int i0 = from; i0 < to; i0 += rowBlock) {
            int rows = Math.min(rowBlock, to - i0);
            for (int n0 = colFrom; n0 < colTo; n0 += N_BLOCK) {
                int width = Math.min(N_BLOCK, colTo - n0);
                float[][] c = direct ? out : scratch.c;
                int cFrom = direct ? i0 : 0;
                for (int i = 0; i < rows; i++) {
                    java.util.Arrays.fill(c[cFrom + i], 0, width, 0f);
                }
                for (int k0 = kFrom; k0 < kTo; k0 += K_BLOCK) {
                    int count = Math.min(K_BLOCK, kTo - k0);
                    if (transposedB) {
                        transposeBlock(b, n0, width, k0, count, packed);
                    } else {
                        for (int kk = 0; kk < count; kk++) {
                            System.arraycopy(b[k0 + kk], n0, packed[kk], 0, width);
                        }
                    }
                    tiles.rows(a, i0, k0, packed, 0, count, c, cFrom, rows, width);
                }
                if (!direct) {
                    for (int i = 0; i < rows; i++) {
                        System.arraycopy(c[i], 0, out[i0 + i], n0, width);
                    }
                }
            }
        }
    }

    /**
     * {@code packed[kk][jj] = b[n0 + jj][k0 + kk]} for {@code kk < count}, {@code jj < width}: every transposed copy the
     * kernel makes. Four rows of {@code packed} at a time, each {@code jj} reading four neighbours in one row of b and
     * writing along four rows of {@code packed}. Writing one element into each of hundreds of rows per {@code jj}, the
     * order this replaced, took 3.3 times as long for a 64x784 A (56 us against 17 in a scratch loop on a Zen 3); the
     * plain kernel's 784x64x128 kernel gradient ran 1.10-1.12x faster (JMH, best iterations of three paired forks).
     */
    private static void transposeBlock(float[][] b, int n0, int width, int k0, int count, float[][] packed) {
        int kk = 0;
        for (; kk + 3 < count; kk += 4) {
            float[] p0 = packed[kk];
            float[] p1 = packed[kk + 1];
            float[] p2 = packed[kk + 2];
            float[] p3 = packed[kk + 3];
            int k = k0 + kk;
            for (int jj = 0; jj < width; jj++) {
                float[] row = b[n0 + jj];
                p0[jj] = row[k];
                p1[jj] = row[k + 1];
                p2[jj] = row[k + 2];
                p3[jj] = row[k + 3];
            }
        }
        for (; kk < count; kk++) {
            float[] p = packed[kk];
            int k = k0 + kk;
            for (int jj = 0; jj < width; jj++) {
                p[jj] = b[n0 + jj][k];
            }
        }
    }

    /** A thread's scratch for {@link #blockedOverColumns}: a packed block of B and a block of C rows. */
    private static final class Scratch {
        final float[][] packed = new float[K_BLOCK][N_BLOCK];
        final float[][] c = new float[ROW_BLOCK][N_BLOCK];
        /** {@link #multiplyTransposedA}'s block of {@code aᵀ}, made on first use and grown with A's row count. */
        private float[][] columns = new float[0][0];
        /** Views of a block of out's rows, cleared after use. */
        final float[][] outRows = new float[ROW_BLOCK][];

        /** {@link #multiplyTransposedB}'s copy of {@code bᵀ}, made on first use and grown as needed. */
        private float[][] transposedB = new float[0][0];

        float[][] transposedB(int rows, int cols) {
            if (transposedB.length < rows || transposedB[0].length < cols) {
                transposedB = new float[Math.max(rows, transposedB.length)][Math.max(cols, transposedB.length == 0 ? 0
                        : transposedB[0].length)];
            }
            return transposedB;
        }

        float[][] columns(int rows, int inner) {
            if (columns.length < rows || columns[0].length < inner) {
                columns = new float[rows][inner];
            }
            return columns;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
}
