package dev.nncore.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API float32 kernel: {@code out = a · b (+ bias)} with explicit SIMD, for JVMs started with
 * {@code --add-modules jdk.incubator.vector}. {@link MatrixOps} loads it by name only when that module is present,
 * so the library still loads without it (this class is compiled apart, with the incubator module visible).
 *
 * <p>A tile of 5 rows of C by 4 vectors of columns lives in 20 registers while k runs over a block of 128, on B's
 * columns packed into one flat array per block (from 48 rows; fewer rows use 4x4 tiles on B's rows as given); each B
 * vector loaded feeds 5 fused multiply-adds, each broadcast A value 4. (A 6-row tile needs 24 accumulators, 4 B
 * vectors and 6 broadcasts, one register more than AVX-512's 32, and C2 kept an accumulator on the stack.) Below
 * 512-bit vectors (AVX2, whose 16 registers cannot hold 20 accumulators) the packed tiles are 6 rows by 2 vectors
 * instead, on each half of the same strips. Every output element is the chain
 * {@code acc = fma(a[i][k], b[k][j], acc)} over increasing k, in the tiles, in the one-vector strips, in the narrow-column
 * tiles and in the scalar tail alike ({@link Math#fma} rounds once, as the vector FMA does), so tiling, block edges and the
 * thread count never change a result. That is {@link FusedTiles}'s arithmetic too, so this kernel and the plain one
 * give the same bits (the plain kernel's fallback for JVMs without a fast FMA, {@link SeparateTiles}, does not).
 */
final class VectorKernel implements MatrixOps.Kernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /**
     * The species' vector class ({@code Float512Vector} on AVX-512), a final class. Every vector the kernel loads or
     * broadcasts, and every accumulator before it is stored, passes through {@code EXACT.cast}, so that C2 knows the
     * exact class of each vector a method is called on as it parses the call, and inlines it whatever the profile says. Without the cast it knows only {@code FloatVector} (the API's intrinsics are expanded
     * after parsing), and inlines the call only if the receiver's type profile names the class: a compilation made
     * without that profile (a JVM whose compiler threads are starved may skip the profiling tier) left calls out of
     * line, and an out-of-line call boxes every vector it passes, on every call. {@link VectorSoftmax} does the same.
     */
    @SuppressWarnings("unchecked")
    static final Class<FloatVector> EXACT = (Class<FloatVector>) SPECIES.vectorType();
    /** Four vectors of zeros: the first block of k's accumulators in the packed tiles (see {@link #clear}). */
    private static final float[] ZEROS = new float[4 * LANES];
    /** The register tiles ({@link #tileShape}): {@code "5x4"}, {@code "6x2"} or {@code "4x2"}. */
    private static final String TILES = tileShape(System.getProperty("nncore.vectorTiles"), LANES,
            Runtime.version().feature());
    /**
     * Whether the packed tiles run on each half of a strip, two vectors wide ({@link #tile6x2Packed}, or
     * {@link #tile4x2Packed} with {@link #FOUR_ROWS}), rather than five rows by four vectors ({@link #tile5x4Packed}):
     * below 512-bit vectors. An AVX2 processor has 16 vector registers, not AVX-512's 32, and the 5x4 tile's 20
     * accumulators then live on the stack: on a Zen 3 (AVX2), 32 GFLOP/s against 55 for 6x2 on the same packed strips
     * (12 accumulators, 2 B vectors and a broadcast in 15 registers). {@code -Dnncore.vectorTiles=5x4}, {@code 6x2} or
     * {@code 4x2} sets the shape whatever the width (an AVX-512 machine held to 256-bit vectors still has 32
     * registers); all give the same bits.
     */
    private static final boolean SIX_BY_TWO = !TILES.equals("5x4");
    /**
     * Whether the direct product's tiles on packed strips are four rows by two vectors ({@link #tile4x2Packed} on each
     * half of a strip) rather than six: below 512-bit vectors, on every JDK after 17. JDK 25's C2 hoists four of the
     * 6x2 tile's six broadcasts above its FMAs, needs 18 of the 16 registers and keeps two accumulators on the stack,
     * loaded, added to and stored back every step; in a perf profile of a 512^3 product 38 % of the samples sat on one
     * of them. JDK 21's C2 does the same: on a Zen 3 the 6x2 tile over one strip ran at 38 GFLOP/s on both, the 4x2
     * tile at 67-71 (JDK 17's 6x2 at 69-72), and nn-core's products and batch inference ran 1.53-1.65x faster with
     * 4x2 on JDK 21 (per 60 ms round, alternating in one JVM: 512^3, 64x784x128, batch-256 inference at 784-128-10
     * and 784-2048-10). The 4x2 tile needs 14 registers even with every broadcast hoisted. On JDK 25, JMH, two runs:
     * 512^3 1.37-1.41x faster, 256x784x256 1.31-1.53x, batch-256 inference (784-2048-10) 1.37-1.49x. JDK 17 keeps 6x2,
     * which there ran 1.11-1.29x faster than 4x2 (512^3, 256x784x2048, 64x784x128, alternating in one JVM). JDK 18 to
     * 20 and 22 to 24 were not measured and take 4x2 too: where C2 spills the six-row tile, it runs at half speed,
     * where it does not, the four-row one loses 10-22 %. The transposed product's tiles on A's packed copy follow
     * ({@link #tile4x2PackedA}): 784x64x2048 1.39-1.68x faster on JDK 25, the training step at W = 2048 1.31-1.33x.
     */
    private static final boolean FOUR_ROWS = TILES.equals("4x2");
    /**
     * Steps of k per block. With 5x4 tiles (AVX-512), 128: a packed strip of B for one block, 128 x 4 vectors (32 KB),
     * stays in the 48 KB L1 cache while every tile of a block of rows reads it; with 256 (64 KB, from L2) 256x784x128
     * ran at 123-127 GFLOP/s, with 128 at 139-142 (Zen 5, medians, alternated; 64 and 96 were between). With 6x2 tiles
     * (AVX2), 512: their two B vectors a step feed 12 FMAs, which L2 keeps up with, and a tile's fixed cost (loading
     * and storing its 12 accumulators, the six rows of A) is spread over four times the steps. On a Zen 3, against
     * 128 (best of 3 s in one JVM each): 1024^3 81 GFLOP/s against 66-70, 512^3 90 against 81-82, 256x784x256 87
     * against 81, 256x784x2048 79 against 66 at 256; 768, 1024 and no blocking at all were level with 512.
     */
    private static final int K_BLOCK = SIX_BY_TWO ? 512 : 128;
    /**
     * Floats per step of k in what one packed tile reads: a whole strip's four vectors for the 5x4 tiles, half a strip
     * for the two-vector tiles ({@link #SIX_BY_TWO}). For those, each strip's block of k holds its two halves one after
     * the other ({@link #secondHalf}), not side by side step by step, so that a tile reads B as one run of consecutive
     * cache lines rather than every other line. On a Zen 3, JMH, three rounds of the two layouts alternated: JDK 25's
     * 4x2 tiles, whose two B vectors a step feed only eight FMAs, 512^3 1.23-1.30x faster, 256^3 1.15-1.31x, 128^3
     * 1.05-1.26x, 256x784x256 1.06-1.24x; JDK 17's 6x2 tiles level (per-round ratios 0.77-1.30 on every row, the lone
     * row, which reads no strip, among them), and 1.03-1.09x on the fastest call (512^3, 1024^3, 256x784x256, batch-256
     * inference, alternating every 60 ms in one JVM).
     */
    private static final int STEP = SIX_BY_TWO ? 2 * LANES : 4 * LANES;
    /**
     * A lone row times a B of more elements than this (1 MB, Zen 4's L2) streams B's rows whole: measured on one
     * 784x512 sample, 12 % faster than the strips, level with the plain kernel (thread CPU time, loaded machine).
     */
    private static final long STREAM_THRESHOLD = 1L << 18;
    /** {@link FusedTiles}'s lone row, for rows narrower than one vector. */
    private static final FusedTiles NARROW_ROW = new FusedTiles();

    @Override
    public String name() {
        return "Vector API (" + SPECIES.vectorBitSize() + "-bit, " + TILES + " tiles)";
    }

    @Override
    public boolean softmax(float[][] rows, int from, int to) {
        return VectorSoftmax.apply(rows, from, to);
    }

    @Override
    public void affineRow(float[] x, float[][] b, float[] bias, float[] out) {
        int inner = b.length;
        int n = b[0].length;
        java.util.Arrays.fill(out, 0f);
        if (n < LANES) {
            // No whole vector: the plain kernel's lone-row loop, the same FMA chain, measured faster than tail's
            // (2048x10: 3.5 us against 4.8).
            NARROW_ROW.row(x, 0, b, 0, inner, out, n);
            if (bias != null) {
                addBias(out, bias, n);
            }
            return;
        }
        if ((long) inner * n > STREAM_THRESHOLD) {
            rowStreaming(x, b, out, inner, n);
            if (bias != null) {
                addBias(out, bias, n);
            }
            return;
        }
        loneRow(x, b, out, inner, n);
        if (bias != null) {
            addBias(out, bias, n);
        }
    }

    @Override
    public void affine(float[][] a, float[][] b, float[] bias, float[][] out, int from, int to) {
        affine(a, b, bias, out, from, to, 0, b.length);
    }

    /** Rows {@code from <= i < to} of {@code out = a · b + bias} over k from {@code kFrom} to {@code kTo}. */
    private static void affine(float[][] a, float[][] b, float[] bias, float[][] out, int from, int to, int kFrom,
            int kTo) {
        int n = b[0].length;
        clear(out, from, to, n, packedTiles(to - from, n, false) ? tileRowEnd(from, to) : from);
        for (int k0 = kFrom; k0 < kTo; k0 += K_BLOCK) {
            block(a, b, null, out, from, to, 0, n, k0, Math.min(kTo, k0 + K_BLOCK), k0 == kFrom);
        }
        if (bias != null) {
            for (int i = from; i < to; i++) {
                addBias(out[i], bias, n);
            }
        }
    }

    /**
     * {@link #affine} over columns {@code colFrom <= j < colTo} of every row, {@code colFrom} a multiple of
     * {@code 4 * LANES}: each thread of a column split packs only its own strips, and runs the packed tiles on them from
     * {@link #PACK_MIN_ROWS} rows.
     */
    @Override
    public void affineColumns(float[][] a, float[][] b, float[] bias, float[][] out, int colFrom, int colTo) {
        if (colFrom % (4 * LANES) != 0) {
            throw new IllegalArgumentException("column split at " + colFrom + ", not a multiple of " + 4 * LANES);
        }
        int inner = b.length;
        int m = out.length;
        clear(out, 0, m, colFrom, colTo, packedTiles(m, colTo - colFrom, false) ? tileRowEnd(0, m) : 0);
        for (int k0 = 0; k0 < inner; k0 += K_BLOCK) {
            block(a, b, null, out, 0, m, colFrom, colTo, k0, Math.min(inner, k0 + K_BLOCK), k0 == 0);
        }
        if (bias != null) {
            for (float[] row : out) {
                addBias(row, bias, colFrom, colTo);
            }
        }
    }

    /**
     * Columns, in whole strips, for fewer than {@value #COLUMN_SPLIT_ROWS} rows and at least two strips: split by
     * rows, such a product's parts would fall below the packing threshold (a batch of 64 in two parts of 32 took as
     * long on two threads as on one); split by columns, each part packs its own strips and runs the packed tiles on all
     * rows.
     */
    @Override
    public int columnSplit(int rows, int n) {
        return rows < COLUMN_SPLIT_ROWS && n >= 2 * 4 * LANES ? 4 * LANES : 0;
    }

    /**
     * B's whole 4-vector strips, every block of k, in the order {@link #block} reads them: block after block of
     * {@link #K_BLOCK} rows of k, and within a block strip after strip, each strip its rows of {@code 4 * LANES} floats
     * in increasing k (for the two-vector tiles, its rows' first halves, then their second halves: {@link #STEP}). The
     * block starting at k0 starts at {@code k0 * strips * 4 * LANES}. After them, the columns past the last whole
     * vector, if any, each k's padded with zeros to one vector ({@link #tile8xNarrow}'s operand). The whole vectors
     * between the strips and those columns are not packed: their tiles read B as given. Null when there is nothing to
     * pack.
     */
    @Override
    public float[] pack(float[][] b) {
        int inner = b.length;
        int n = b[0].length;
        int strips = n / (4 * LANES);
        int width = n % LANES;
        if (strips == 0 && width == 0) {
            return null;
        }
        int stripsSize = inner * strips * 4 * LANES;
        float[] packed = new float[stripsSize + (width > 0 ? inner * LANES : 0)];
        for (int k0 = 0; k0 < inner; k0 += K_BLOCK) {
            packStrips(b, strips, k0, Math.min(inner, k0 + K_BLOCK), packed, k0 * strips * 4 * LANES);
        }
        for (int k = 0; width > 0 && k < inner; k++) {
            System.arraycopy(b[k], n - width, packed, stripsSize + k * LANES, width);
        }
        return packed;
    }

    /**
     * {@link #affine} over k from {@code kFrom} to {@code kTo} only, every row: blocks of k start at {@code kFrom}, so each
     * element's chain is the one {@link #affine} runs on copies of those columns of A and rows of B.
     */
    @Override
    public void affineSlice(float[][] a, float[][] b, float[] bias, float[][] out, int kFrom, int kTo) {
        affine(a, b, bias, out, 0, out.length, kFrom, kTo);
    }

    /** {@link #affine} on the strips {@link #pack} made of this B: no copy per call, and packed tiles from 4 rows. */
    @Override
    public void affinePacked(float[][] a, float[][] b, float[] packed, float[] bias, float[][] out, int from, int to) {
        int inner = b.length;
        int n = b[0].length;
        clear(out, from, to, n, packedTiles(to - from, n, packed != null) ? tileRowEnd(from, to) : from);
        for (int k0 = 0; k0 < inner; k0 += K_BLOCK) {
            block(a, b, packed, out, from, to, n, k0, Math.min(inner, k0 + K_BLOCK));
        }
        if (bias != null) {
            for (int i = from; i < to; i++) {
                addBias(out[i], bias, n);
            }
        }
    }

    /**
     * {@code out = aᵀ · b}: the tiles of {@link #affine} (packed B strips and their tiles from {@link #PACK_MIN_ROWS}
     * rows) with A's scalars taken down its columns ({@code a[k][i..i+5]}, neighbours in one row of {@code a}): in place
     * by the 5x4 tiles, and for the 6x2 tiles from a copy of one block of rows and steps laid out tile by tile
     * ({@link #packTilesOfA}), as B's strips are, not a transposed copy of A. Rows left over by the tiles gather their
     * column of {@code a} for the k block into a scratch row and run {@link #affine}'s lone-row code on it: the same FMA
     * chain per element either way.
     */
    @Override
    public void multiplyTransposedA(float[][] a, float[][] b, float[][] out, int from, int to) {
        int inner = b.length;
        int n = b[0].length;
        float[] column = SCRATCH.get().column(inner);
        int stripsEnd = n / (4 * LANES) * 4 * LANES;
        int tiled = from + (to - from) / AFFINE_TILE * AFFINE_TILE;
        int tiled4 = from + (to - from) / 4 * 4;
        boolean packed = packedTiles(to - from, n, false);
        clear(out, from, to, n, packed ? tiled : from);
        // Rows from..rowsDone get the 4-vector strips from the tiles, rows from..tiled4 the narrower columns.
        boolean fourMore = packed && to - tiled >= 4;
        int rowsDone = packed ? (fourMore ? tiled + 4 : tiled) : tiled4;
        for (int k0 = 0; k0 < inner; k0 += K_BLOCK) {
            int k1 = Math.min(inner, k0 + K_BLOCK);
            if (packed) {
                int stripSize = (k1 - k0) * 4 * LANES;
                float[] panel = packStrips(b, stripsEnd / (4 * LANES), k0, k1);
                for (int i0 = from; i0 < tiled; i0 += PACK_ROW_BLOCK) {
                    int i1 = Math.min(tiled, i0 + PACK_ROW_BLOCK);
                    float[] tilesOfA = SIX_BY_TWO ? packTilesOfA(a, i0, i1, k0, k1, AFFINE_TILE) : null;
                    for (int j = 0; j < stripsEnd; j += 4 * LANES) {
                        int base = j / (4 * LANES) * stripSize;
                        for (int i = i0; i < i1; i += AFFINE_TILE) {
                            if (FOUR_ROWS) {
                                int aBase = (i - i0) * (k1 - k0);
                                tile4x2PackedA(tilesOfA, aBase, panel, base, out, i, j, k0, k1, k0 == 0);
                                tile4x2PackedA(tilesOfA, aBase, panel, base + secondHalf(k0, k1), out, i, j + 2 * LANES,
                                        k0, k1, k0 == 0);
                            } else if (SIX_BY_TWO) {
                                int aBase = (i - i0) * (k1 - k0);
                                tile6x2PackedA(tilesOfA, aBase, panel, base, out, i, j, k0, k1, k0 == 0);
                                tile6x2PackedA(tilesOfA, aBase, panel, base + secondHalf(k0, k1), out, i, j + 2 * LANES,
                                        k0, k1, k0 == 0);
                            } else {
                                tile5x4PackedTransposedA(a, panel, base, out, i, j, k0, k1, k0 == 0);
                            }
                        }
                    }
                }
                for (int j = 0; fourMore && j < stripsEnd; j += 4 * LANES) {
                    tile4(a, true, b, out, tiled, j, k0, k1);
                }
            } else {
                for (int j = 0; j < stripsEnd; j += 4 * LANES) {
                    for (int i = from; i < tiled4; i += 4) {
                        tile4(a, true, b, out, i, j, k0, k1);
                    }
                }
            }
            int j = stripsEnd;
            for (; j + LANES <= n; j += LANES) {
                for (int i = from; i < tiled4; i += 4) {
                    tile4x1TransposedA(a, b, out, i, j, k0, k1);
                }
            }
            if (j < n && tiled4 > from) {
                Scratch scratch = SCRATCH.get();
                float[] narrow = scratch.narrowColumns(b, j, n - j, k0, k1);
                narrowRows(a, true, narrow, 0, out, from, tiled4, j, n - j, k0, k1, scratch.tile);
            }
            for (int i = from; i < to; i++) {
                boolean stripsLeft = i >= rowsDone && stripsEnd > 0;
                boolean restLeft = i >= tiled4 && stripsEnd < n;
                if (stripsLeft || restLeft) {
                    for (int k = k0; k < k1; k++) {
                        column[k] = a[k][i];
                    }
                    if (stripsLeft) {
                        rowColumns(column, b, out[i], 0, stripsEnd, k0, k1);
                    }
                    if (restLeft) {
                        rowColumns(column, b, out[i], stripsEnd, n, k0, k1);
                    }
                }
            }
        }
    }

    /**
     * {@code out = a · bᵀ}: for each block of k, that block of {@code bᵀ} is transposed into this thread's scratch rows
     * (the B panel the tiles read) and {@link #affine}'s tiles run on it. The scratch grows to {@link #K_BLOCK} rows
     * of {@code b.length} floats per thread and is then reused, so a steady caller allocates nothing.
     */
    @Override
    public void multiplyTransposedB(float[][] a, float[][] b, float[][] out, int from, int to) {
        int inner = b[0].length;
        int n = b.length;
        clear(out, from, to, n, packedTiles(to - from, n, false) ? tileRowEnd(from, to) : from);
        Scratch scratch = SCRATCH.get();
        float[][] panel = scratch.panel(inner, n);
        float[][] rows = scratch.rows;
        for (int k0 = 0; k0 < inner; k0 += K_BLOCK) {
            int k1 = Math.min(inner, k0 + K_BLOCK);
            for (int k = k0; k < k1; k++) {
                panel[k] = rows[k - k0];
            }
            for (int j = 0; j < n; j++) {
                float[] bj = b[j];
                for (int k = k0; k < k1; k++) {
                    panel[k][j] = bj[k];
                }
            }
            block(a, panel, null, out, from, to, n, k0, k1);
        }
    }

    /**
     * The register tiles for vectors of {@code lanes} floats on a JDK of feature release {@code jdk}: as
     * {@code setting} says ({@code "5x4"}, {@code "6x2"} or {@code "4x2"}), else 5x4 from 16 lanes, and below that 6x2
     * on JDK 17 and 4x2 after it ({@link #FOUR_ROWS}). Any other setting is ignored: a malformed option must not stop
     * the library from loading.
     */
    static String tileShape(String setting, int lanes, int jdk) {
        String shape = setting == null ? "" : setting.trim();
        if (shape.equals("5x4") || shape.equals("6x2") || shape.equals("4x2")) {
            return shape;
        }
        return lanes >= 16 ? "5x4" : jdk > 17 ? "4x2" : "6x2";
    }

    /**
     * Rows of the tiles on packed strips, of {@link #block} and of {@link #multiplyTransposedA}; a divisor of
     * {@link #PACK_ROW_BLOCK}.
     */
    private static final int AFFINE_TILE = FOUR_ROWS ? 4 : SIX_BY_TWO ? 6 : 5;
    /**
     * Fewer rows than this multiply by B where it is. With 5x4 tiles packing cost more than it saved at 24 rows of
     * 784x128; with 6x2 tiles, whose unpacked 4x2 tiles feed each B vector to only 4 FMAs, packing from 32 rows made a
     * batch-32 training step 1.19-1.30x faster at W = 128 and 1.05-1.23x at W = 512 on a Zen 3 (two rounds, JMH).
     */
    private static final int PACK_MIN_ROWS = SIX_BY_TWO ? 32 : 48;
    /**
     * Fewer rows than this, with two strips or more, split a product between threads by columns ({@link #columnSplit}):
     * halves of fewer than 48 rows fell below the 5x4 tiles' packing threshold.
     */
    private static final int COLUMN_SPLIT_ROWS = 96;
    /** Rows of A per pass over the packed strips: 180 x 128 floats of A (90 KB) stay in L2 while the strips go by. */
    private static final int PACK_ROW_BLOCK = 180;
    /**
     * Strips {@link #block} packs at a time for at most {@value #PACK_ROW_BLOCK} rows: with 6x2 tiles, 8, so each row of
     * B is read 1 KB at a time, not in runs of 128 bytes a page or more apart, which the hardware prefetcher does not
     * follow (on the Zen 3, 8 strips against 1: the batch-64 training step 1.21x faster at W = 2048, 1.06x at 512 and
     * 1.08x at 128, 64x784x128 1.22x; groups of 16, 32 and the whole panel measured level with 8). The 5x4 tiles keep
     * one strip, measured on Zen 5, where the whole panel had made the batch-64 training step at W = 2048 1.6x slower.
     */
    private static final int STRIP_GROUP = SIX_BY_TWO ? 8 : 1;

    /**
     * One block of k of {@code out += a · b} over rows {@code from <= i < to}. For {@link #PACK_MIN_ROWS} rows or more,
     * the block's whole strips of 4 vectors are first copied into one flat array, strip by strip (B read at
     * consecutive addresses, no row arrays to look up, prefetcher-friendly); with {@code prepacked} (B's strips from
     * {@link #pack}) that copy is already made, and the strips serve from 4 rows. Rows are taken
     * {@value #PACK_ROW_BLOCK} at a time in {@link #tilePacked}'s tiles (5x4 on AVX-512: 20 accumulators, 4 B vectors
     * and 5 broadcasts in its 32 registers, each B vector loaded feeding 5 FMAs; 6x2 on each half of a strip below
     * 512-bit vectors). Then the narrower edges, on B as given.
     */
    private static void block(float[][] a, float[][] b, float[] prepacked, float[][] out, int from, int to, int n, int k0,
            int k1) {
        block(a, b, prepacked, out, from, to, 0, n, k0, k1, k0 == 0);
    }

    /**
     * {@link #block} over columns {@code jFrom <= j < n} only ({@code jFrom} a multiple of {@code 4 * LANES}; {@code n}
     * B's width or such a multiple): only the strips in that range are packed and multiplied. {@code first}: this is
     * the product's first block of k, whose tiles start from zeros.
     */
    private static void block(float[][] a, float[][] b, float[] prepacked, float[][] out, int from, int to, int jFrom,
            int n, int k0, int k1, boolean first) {
        int j = jFrom;
        int firstStrip = jFrom / (4 * LANES);
        int strips = n / (4 * LANES);
        if (packedTiles(to - from, n - jFrom, prepacked != null)) {
            int stripSize = (k1 - k0) * 4 * LANES;
            // One block of rows passes over the strips once, so each group of STRIP_GROUP strips is packed just before
            // its tiles and the copy is read back from L1/L2, not a whole panel (2 MB for n = 2048) that has left L2 by
            // the time it is read.
            boolean stripWise = prepacked == null && to - from <= PACK_ROW_BLOCK;
            float[] panel = prepacked != null ? prepacked : stripWise
                    ? SCRATCH.get().packed(Math.min(STRIP_GROUP, strips - firstStrip) * stripSize)
                    : packStrips(b, firstStrip, strips, k0, k1);
            int panelBase = prepacked != null ? k0 * (b[0].length / (4 * LANES)) * 4 * LANES : -firstStrip * stripSize;
            int tileEnd = tileRowEnd(from, to);
            for (int i0 = from; i0 < to; i0 += PACK_ROW_BLOCK) {
                int i1 = Math.min(to, i0 + PACK_ROW_BLOCK);
                int iTiles = Math.min(i1, tileEnd);
                for (int s = firstStrip; s < strips; s++) {
                    int jj = s * 4 * LANES;
                    int base = panelBase + s * stripSize;
                    if (stripWise) {
                        int g = (s - firstStrip) % STRIP_GROUP;
                        if (g == 0) {
                            packStripsInto(b, s, Math.min(strips, s + STRIP_GROUP), k0, k1, panel);
                        }
                        base = g * stripSize;
                    }
                    int i = i0;
                    for (; i < iTiles; i += AFFINE_TILE) {
                        tilePacked(a, panel, base, out, i, jj, k0, k1, first);
                    }
                    for (; i + 3 < i1; i += 4) {
                        tile4Packed(a, panel, base, out, i, jj, k0, k1);
                    }
                    for (; i < i1; i++) {
                        row1x4(a[i], b, out[i], jj, k0, k1);
                    }
                }
            }
            j = strips * 4 * LANES;
        }
        for (; j + 4 * LANES <= n; j += 4 * LANES) {
            int i = from;
            for (; i + 3 < to; i += 4) {
                tile4(a, false, b, out, i, j, k0, k1);
            }
            for (; i < to; i++) {
                row1x4(a[i], b, out[i], j, k0, k1);
            }
        }
        for (; j + LANES <= n; j += LANES) {
            int i = from;
            for (; i + 3 < to; i += 4) {
                tile4x1(a, b, out, i, j, k0, k1);
            }
            for (; i < to; i++) {
                strip1x1(a[i], b, out[i], j, k0, k1);
            }
        }
        if (j < n) {
            int i = from;
            if (to - from >= 4) {
                Scratch scratch = SCRATCH.get();
                float[] narrow;
                int narrowBase;
                if (prepacked != null) {
                    narrow = prepacked;
                    narrowBase = b.length * strips * 4 * LANES + k0 * LANES;
                } else {
                    narrow = scratch.narrowColumns(b, j, n - j, k0, k1);
                    narrowBase = 0;
                }
                i = from + (to - from) / 4 * 4;
                narrowRows(a, false, narrow, narrowBase, out, from, i, j, n - j, k0, k1, scratch.tile);
            }
            for (; i < to; i++) {
                tail(a[i], b, out[i], j, n, k0, k1);
            }
        }
    }

    /**
     * Whether {@link #block} (or {@link #multiplyTransposedA}) runs {@code rows} rows on packed strips in its tiles:
     * when B has a whole strip, from {@link #PACK_MIN_ROWS} rows, or from 4 on strips packed beforehand.
     */
    private static boolean packedTiles(int rows, int n, boolean prepacked) {
        return n >= 4 * LANES && rows >= (prepacked ? 4 : PACK_MIN_ROWS);
    }

    /**
     * Zeroes rows {@code from <= i < to} of out before the first block of k, except what the tiles on packed strips
     * write without reading (rows {@code from <= i < tileEnd}, columns up to the last whole strip), which start from
     * zero accumulators in the first block. That spares a pass over C (6.4 MB for a 784x2048 weight gradient); the
     * accumulators start at +0, which is what the zeroed array would hold, so the bits are the same.
     */
    private static void clear(float[][] out, int from, int to, int n, int tileEnd) {
        clear(out, from, to, 0, n, tileEnd);
    }

    /** {@link #clear(float[][], int, int, int, int)} of columns {@code jFrom <= j < n} only. */
    private static void clear(float[][] out, int from, int to, int jFrom, int n, int tileEnd) {
        int stripsEnd = n / (4 * LANES) * 4 * LANES;
        for (int i = from; i < tileEnd; i++) {
            java.util.Arrays.fill(out[i], stripsEnd, n, 0f);
        }
        for (int i = tileEnd; i < to; i++) {
            java.util.Arrays.fill(out[i], jFrom, n, 0f);
        }
    }

    /**
     * Where {@link #block}'s tiles on packed strips ({@link #AFFINE_TILE} rows each) end for rows
     * {@code from <= i < to}: every row of its whole blocks of {@value #PACK_ROW_BLOCK} (a multiple of the tile's rows),
     * and in the last block as many tiles as leave the fewest rows past the four-row tiles that follow (none, for five
     * rows a tile and 12 rows or more, any count being 5a + 4b; one at most for six), so that few rows are left to the
     * one-row code, which reads B's rows as given and reuses nothing it loads (one row of 256, left over that way, took
     * 2.6 % of a batch's forward pass).
     */
    private static int tileRowEnd(int from, int to) {
        if (to <= from) {
            return from;
        }
        int lastBlock = from + (to - from - 1) / PACK_ROW_BLOCK * PACK_ROW_BLOCK;
        int rows = to - lastBlock;
        // as many tiles as leave the fewest rows past the four-row tiles, the most tiles among those
        int best = rows / AFFINE_TILE;
        for (int tiles = best - 1; tiles >= 0; tiles--) {
            if ((rows - tiles * AFFINE_TILE) % 4 < (rows - best * AFFINE_TILE) % 4) {
                best = tiles;
            }
        }
        return lastBlock + best * AFFINE_TILE;
    }

    /**
     * Where a packed strip's second half starts, from the strip's start, in a block of k from k0 to k1 ({@link #STEP}).
     */
    private static int secondHalf(int k0, int k1) {
        return (k1 - k0) * 2 * LANES;
    }

    /**
     * Where the last two vectors of a strip's row go, when its first two go to {@code to} in a block of k from k0 to
     * k1: right after them for the 5x4 tiles, at the same step of the second half for the two-vector tiles
     * ({@link #STEP}). The one place both copies, {@link #copyStrip} and {@link #pack}'s, take the layout from.
     */
    private static int secondHalfAt(int to, int k0, int k1) {
        return SIX_BY_TWO ? to + secondHalf(k0, k1) : to + 2 * LANES;
    }

    /**
     * Four vectors of {@code row} from {@code from} to {@code panel}, the first two at {@code to}, the last two at
     * {@code second} ({@link #secondHalfAt}): loads and stores inline, where {@code System.arraycopy}'s stub call cost
     * more than its 128 bytes on AVX2 (14 % of the W = 2048 training step).
     */
    private static void copyStrip(float[] row, int from, float[] panel, int to, int second) {
        EXACT.cast(FloatVector.fromArray(SPECIES, row, from)).intoArray(panel, to);
        EXACT.cast(FloatVector.fromArray(SPECIES, row, from + LANES)).intoArray(panel, to + LANES);
        EXACT.cast(FloatVector.fromArray(SPECIES, row, from + 2 * LANES)).intoArray(panel, second);
        EXACT.cast(FloatVector.fromArray(SPECIES, row, from + 3 * LANES)).intoArray(panel, second + LANES);
    }

    /**
     * Strips {@code first <= s < end} of B's rows {@code k0 <= k < k1} into {@code panel} from 0, row by row, each
     * strip's rows consecutive (in halves for the two-vector tiles, {@link #STEP}): {@link #block}'s copy, all strips
     * at once or, for at most {@value #PACK_ROW_BLOCK} rows, {@link #STRIP_GROUP} at a time.
     */
    private static void packStripsInto(float[][] b, int first, int end, int k0, int k1, float[] panel) {
        int stripSize = (k1 - k0) * 4 * LANES;
        for (int k = k0; k < k1; k++) {
            float[] bk = b[k];
            for (int s = first; s < end; s++) {
                int to = (s - first) * stripSize + (k - k0) * STEP;
                copyStrip(bk, s * 4 * LANES, panel, to, secondHalfAt(to, k0, k1));
            }
        }
    }

    /** Copies the whole 4-vector strips of B's rows {@code k0 <= k < k1} into this thread's flat array, strip by strip. */
    private static float[] packStrips(float[][] b, int strips, int k0, int k1) {
        return packStrips(b, 0, strips, k0, k1);
    }

    /** {@link #packStrips(float[][], int, int, int)} of strips {@code firstStrip <= s < strips} only, from index 0. */
    private static float[] packStrips(float[][] b, int firstStrip, int strips, int k0, int k1) {
        float[] panel = SCRATCH.get().packed((strips - firstStrip) * (k1 - k0) * 4 * LANES);
        packStripsInto(b, firstStrip, strips, k0, k1, panel);
        return panel;
    }

    /**
     * {@link #packStrips(float[][], int, int, int)} into {@code panel} from {@code base}, for {@link #pack} once per
     * network: with {@code System.arraycopy}, as {@link #copyStrip}'s vectors would be inlined into {@link #pack}'s
     * callers (see {@code VectorKernelShapeTest}).
     */
    private static void packStrips(float[][] b, int strips, int k0, int k1, float[] panel, int base) {
        int stripSize = (k1 - k0) * 4 * LANES;
        for (int k = k0; k < k1; k++) {
            float[] bk = b[k];
            for (int s = 0; s < strips; s++) {
                int to = base + s * stripSize + (k - k0) * STEP;
                System.arraycopy(bk, s * 4 * LANES, panel, to, 2 * LANES);
                System.arraycopy(bk, s * 4 * LANES + 2 * LANES, panel, secondHalfAt(to, k0, k1), 2 * LANES);
            }
        }
    }

    /**
     * Columns {@code from <= j < n} of one row, for one block of k: four vectors at a time, then one, then the columns
     * past the last whole vector (the rows {@link #multiplyTransposedA}'s tiles leave, and {@link #loneRow}'s last
     * columns).
     */
    private static void rowColumns(float[] ai, float[][] b, float[] ci, int from, int n, int k0, int k1) {
        int j = from;
        for (; j + 4 * LANES <= n; j += 4 * LANES) {
            row1x4(ai, b, ci, j, k0, k1);
        }
        for (; j + LANES <= n; j += LANES) {
            strip1x1(ai, b, ci, j, k0, k1);
        }
        if (j < n) {
            tail(ai, b, ci, j, n, k0, k1);
        }
    }

    /** A thread's scratch for the transposed products: a gathered column of A, and a transposed panel of B. */
    private static final class Scratch {
        float[] column = new float[0];
        /** Indexed by k, as the tiles index B: entries of the current block point at {@link #rows}. */
        float[][] panel = new float[0][];
        float[][] rows = new float[K_BLOCK][0];
        /** The columns past the last whole vector, one k block of them, each row padded to a whole vector. */
        final float[] narrow = new float[K_BLOCK * LANES];
        /** Eight rows of C's narrow columns, a vector each, in and out of {@link #tile8xNarrow}. */
        final float[] tile = new float[8 * LANES];

        /** {@code narrow[(k - k0) * LANES + 0..width) = b[k][j..j+width)}; the lanes past width hold whatever was there. */
        float[] narrowColumns(float[][] b, int j, int width, int k0, int k1) {
            for (int k = k0; k < k1; k++) {
                System.arraycopy(b[k], j, narrow, (k - k0) * LANES, width);
            }
            return narrow;
        }

        /** {@link #block}'s packed strips of B: up to {@link #K_BLOCK} x n floats, kept for the thread's next product. */
        float[] packed = new float[0];

        float[] packed(int size) {
            if (packed.length < size) {
                packed = new float[size];
            }
            return packed;
        }

        /** {@link #packTilesOfA}'s copy: up to {@value #PACK_ROW_BLOCK} columns of A by {@link #K_BLOCK} steps. */
        private float[] tilesOfA = new float[0];

        float[] tilesOfA(int size) {
            if (tilesOfA.length < size) {
                tilesOfA = new float[size];
            }
            return tilesOfA;
        }

        float[] column(int inner) {
            if (column.length < inner) {
                column = new float[inner];
            }
            return column;
        }

        float[][] panel(int inner, int n) {
            if (panel.length < inner) {
                panel = new float[inner][];
            }
            if (rows[0].length < n) {
                rows = new float[K_BLOCK][n];
            }
            return panel;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * The columns past the last whole vector: the same FMA chain per element, one element at a time, four steps of
     * k per pass so that each element is loaded and stored once per four FMAs (a 10-unit softmax layer would
     * otherwise wait on a store and a load between every two FMAs). Scalar Java rather than a narrower vector: on
     * JDK 17 a 256-bit vector used beside the 512-bit ones was not compiled to SIMD (it ran 10 times slower), and a
     * masked load that would run past the array's end takes a scalar path. Groups of four rows use
     * {@link #tile4xNarrow} instead; this serves lone rows and the rows left over.
     */
    private static void tail(float[] ai, float[][] b, float[] ci, int from, int n, int k0, int k1) {
        int k = k0;
        for (; k + 3 < k1; k += 4) {
            float x0 = ai[k];
            float x1 = ai[k + 1];
            float x2 = ai[k + 2];
            float x3 = ai[k + 3];
            float[] b0 = b[k];
            float[] b1 = b[k + 1];
            float[] b2 = b[k + 2];
            float[] b3 = b[k + 3];
            for (int j = from; j < n; j++) {
                ci[j] = Math.fma(x3, b3[j], Math.fma(x2, b2[j], Math.fma(x1, b1[j], Math.fma(x0, b0[j], ci[j]))));
            }
        }
        for (; k < k1; k++) {
            float x = ai[k];
            float[] bk = b[k];
            for (int j = from; j < n; j++) {
                ci[j] = Math.fma(x, bk[j], ci[j]);
            }
        }
    }

    /**
     * Rows {@code from <= i < to} (a multiple of 4 of them) by the {@code width < LANES} columns past the last whole
     * vector, eight rows at a time (eight independent FMA chains cover the FMA latency), then four.
     */
    private static void narrowRows(float[][] a, boolean transposedA, float[] narrow, int base, float[][] out, int from,
            int to, int j, int width, int k0, int k1, float[] tile) {
        int i = from;
        for (; i + 7 < to; i += 8) {
            tile8xNarrow(a, transposedA, narrow, base, out, i, j, width, k0, k1, tile);
        }
        for (; i + 3 < to; i += 4) {
            tile4xNarrow(a, transposedA, narrow, base, out, i, j, width, k0, k1, tile);
        }
    }

    /**
     * Eight rows by the {@code width < LANES} columns past the last whole vector, from B's columns copied into whole
     * vectors ({@code narrow}, step k at {@code base + (k - k0) * LANES}): C goes through {@code tile} (a vector per
     * row) because a whole-vector load or store would run past the end of its row, and on JDK 17 a masked one that
     * would takes a scalar path (measured 2 to 3 times slower than this copy). Each lane is the scalar {@link #tail}'s
     * FMA chain, so a 10-unit output layer gets vector FMAs with the same bits. The lanes past {@code width} compute
     * garbage that is never stored. A is read along its rows, or down its columns when {@code transposedA}.
     */
    private static void tile8xNarrow(float[][] a, boolean transposedA, float[] narrow, int base, float[][] out, int i,
            int j, int width, int k0, int k1, float[] tile) {
        for (int r = 0; r < 8; r++) {
            System.arraycopy(out[i + r], j, tile, r * LANES, width);
        }
        FloatVector c0 = EXACT.cast(FloatVector.fromArray(SPECIES, tile, 0));
        FloatVector c1 = EXACT.cast(FloatVector.fromArray(SPECIES, tile, LANES));
        FloatVector c2 = EXACT.cast(FloatVector.fromArray(SPECIES, tile, 2 * LANES));
        FloatVector c3 = EXACT.cast(FloatVector.fromArray(SPECIES, tile, 3 * LANES));
        FloatVector c4 = EXACT.cast(FloatVector.fromArray(SPECIES, tile, 4 * LANES));
        FloatVector c5 = EXACT.cast(FloatVector.fromArray(SPECIES, tile, 5 * LANES));
        FloatVector c6 = EXACT.cast(FloatVector.fromArray(SPECIES, tile, 6 * LANES));
        FloatVector c7 = EXACT.cast(FloatVector.fromArray(SPECIES, tile, 7 * LANES));
        int p = base;
        if (transposedA) {
            for (int k = k0; k < k1; k++, p += LANES) {
                float[] ak = a[k];
                FloatVector bv = EXACT.cast(FloatVector.fromArray(SPECIES, narrow, p));
                c0 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i])).fma(bv, c0);
                c1 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 1])).fma(bv, c1);
                c2 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 2])).fma(bv, c2);
                c3 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 3])).fma(bv, c3);
                c4 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 4])).fma(bv, c4);
                c5 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 5])).fma(bv, c5);
                c6 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 6])).fma(bv, c6);
                c7 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 7])).fma(bv, c7);
            }
        } else {
            float[] a0 = a[i];
            float[] a1 = a[i + 1];
            float[] a2 = a[i + 2];
            float[] a3 = a[i + 3];
            float[] a4 = a[i + 4];
            float[] a5 = a[i + 5];
            float[] a6 = a[i + 6];
            float[] a7 = a[i + 7];
            for (int k = k0; k < k1; k++, p += LANES) {
                FloatVector bv = EXACT.cast(FloatVector.fromArray(SPECIES, narrow, p));
                c0 = EXACT.cast(FloatVector.broadcast(SPECIES, a0[k])).fma(bv, c0);
                c1 = EXACT.cast(FloatVector.broadcast(SPECIES, a1[k])).fma(bv, c1);
                c2 = EXACT.cast(FloatVector.broadcast(SPECIES, a2[k])).fma(bv, c2);
                c3 = EXACT.cast(FloatVector.broadcast(SPECIES, a3[k])).fma(bv, c3);
                c4 = EXACT.cast(FloatVector.broadcast(SPECIES, a4[k])).fma(bv, c4);
                c5 = EXACT.cast(FloatVector.broadcast(SPECIES, a5[k])).fma(bv, c5);
                c6 = EXACT.cast(FloatVector.broadcast(SPECIES, a6[k])).fma(bv, c6);
                c7 = EXACT.cast(FloatVector.broadcast(SPECIES, a7[k])).fma(bv, c7);
            }
        }
        EXACT.cast(c0).intoArray(tile, 0);
        EXACT.cast(c1).intoArray(tile, LANES);
        EXACT.cast(c2).intoArray(tile, 2 * LANES);
        EXACT.cast(c3).intoArray(tile, 3 * LANES);
        EXACT.cast(c4).intoArray(tile, 4 * LANES);
        EXACT.cast(c5).intoArray(tile, 5 * LANES);
        EXACT.cast(c6).intoArray(tile, 6 * LANES);
        EXACT.cast(c7).intoArray(tile, 7 * LANES);
        for (int r = 0; r < 8; r++) {
            System.arraycopy(tile, r * LANES, out[i + r], j, width);
        }
    }

    /** {@link #tile8xNarrow} for four rows. */
    private static void tile4xNarrow(float[][] a, boolean transposedA, float[] narrow, int base, float[][] out, int i,
            int j, int width, int k0, int k1, float[] tile) {
        for (int r = 0; r < 4; r++) {
            System.arraycopy(out[i + r], j, tile, r * LANES, width);
        }
        FloatVector c0 = EXACT.cast(FloatVector.fromArray(SPECIES, tile, 0));
        FloatVector c1 = EXACT.cast(FloatVector.fromArray(SPECIES, tile, LANES));
        FloatVector c2 = EXACT.cast(FloatVector.fromArray(SPECIES, tile, 2 * LANES));
        FloatVector c3 = EXACT.cast(FloatVector.fromArray(SPECIES, tile, 3 * LANES));
        int p = base;
        if (transposedA) {
            for (int k = k0; k < k1; k++, p += LANES) {
                float[] ak = a[k];
                FloatVector bv = EXACT.cast(FloatVector.fromArray(SPECIES, narrow, p));
                c0 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i])).fma(bv, c0);
                c1 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 1])).fma(bv, c1);
                c2 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 2])).fma(bv, c2);
                c3 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 3])).fma(bv, c3);
            }
        } else {
            float[] a0 = a[i];
            float[] a1 = a[i + 1];
            float[] a2 = a[i + 2];
            float[] a3 = a[i + 3];
            for (int k = k0; k < k1; k++, p += LANES) {
                FloatVector bv = EXACT.cast(FloatVector.fromArray(SPECIES, narrow, p));
                c0 = EXACT.cast(FloatVector.broadcast(SPECIES, a0[k])).fma(bv, c0);
                c1 = EXACT.cast(FloatVector.broadcast(SPECIES, a1[k])).fma(bv, c1);
                c2 = EXACT.cast(FloatVector.broadcast(SPECIES, a2[k])).fma(bv, c2);
                c3 = EXACT.cast(FloatVector.broadcast(SPECIES, a3[k])).fma(bv, c3);
            }
        }
        EXACT.cast(c0).intoArray(tile, 0);
        EXACT.cast(c1).intoArray(tile, LANES);
        EXACT.cast(c2).intoArray(tile, 2 * LANES);
        EXACT.cast(c3).intoArray(tile, 3 * LANES);
        for (int r = 0; r < 4; r++) {
            System.arraycopy(tile, r * LANES, out[i + r], j, width);
        }
    }

    /**
     * A lone row times a B larger than L2: B's rows are read whole, in order, eight at a time (784x512: 23.4 us
     * against 29.4 four at a time, and level at 784x2048, where memory is the limit), as the hardware prefetchers like,
     * with the output row (in L1) loaded and stored once per pass of eight;
     * {@link #loneRow}'s strips would jump from row to row of B 512 bytes at a time and wait on memory (one 784x2048
     * sample ran slower than on the plain kernel). Each element is the same FMA chain over increasing k.
     */
    private static void rowStreaming(float[] x, float[][] b, float[] ci, int inner, int n) {
        int vectors = n - n % LANES;
        int k = 0;
        for (; k + 7 < inner; k += 8) {
            FloatVector v0 = EXACT.cast(FloatVector.broadcast(SPECIES, x[k]));
            FloatVector v1 = EXACT.cast(FloatVector.broadcast(SPECIES, x[k + 1]));
            FloatVector v2 = EXACT.cast(FloatVector.broadcast(SPECIES, x[k + 2]));
            FloatVector v3 = EXACT.cast(FloatVector.broadcast(SPECIES, x[k + 3]));
            FloatVector v4 = EXACT.cast(FloatVector.broadcast(SPECIES, x[k + 4]));
            FloatVector v5 = EXACT.cast(FloatVector.broadcast(SPECIES, x[k + 5]));
            FloatVector v6 = EXACT.cast(FloatVector.broadcast(SPECIES, x[k + 6]));
            FloatVector v7 = EXACT.cast(FloatVector.broadcast(SPECIES, x[k + 7]));
            float[] b0 = b[k];
            float[] b1 = b[k + 1];
            float[] b2 = b[k + 2];
            float[] b3 = b[k + 3];
            float[] b4 = b[k + 4];
            float[] b5 = b[k + 5];
            float[] b6 = b[k + 6];
            float[] b7 = b[k + 7];
            int j = 0;
            for (; j < vectors; j += LANES) {
                FloatVector c = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j));
                c = v0.fma(EXACT.cast(FloatVector.fromArray(SPECIES, b0, j)), c);
                c = v1.fma(EXACT.cast(FloatVector.fromArray(SPECIES, b1, j)), c);
                c = v2.fma(EXACT.cast(FloatVector.fromArray(SPECIES, b2, j)), c);
                c = v3.fma(EXACT.cast(FloatVector.fromArray(SPECIES, b3, j)), c);
                c = v4.fma(EXACT.cast(FloatVector.fromArray(SPECIES, b4, j)), c);
                c = v5.fma(EXACT.cast(FloatVector.fromArray(SPECIES, b5, j)), c);
                c = v6.fma(EXACT.cast(FloatVector.fromArray(SPECIES, b6, j)), c);
                c = v7.fma(EXACT.cast(FloatVector.fromArray(SPECIES, b7, j)), c);
                EXACT.cast(c).intoArray(ci, j);
            }
            for (; j < n; j++) {
                float c = ci[j];
                c = Math.fma(x[k], b0[j], c);
                c = Math.fma(x[k + 1], b1[j], c);
                c = Math.fma(x[k + 2], b2[j], c);
                c = Math.fma(x[k + 3], b3[j], c);
                c = Math.fma(x[k + 4], b4[j], c);
                c = Math.fma(x[k + 5], b5[j], c);
                c = Math.fma(x[k + 6], b6[j], c);
                ci[j] = Math.fma(x[k + 7], b7[j], c);
            }
        }
        for (; k + 3 < inner; k += 4) {
            float x0 = x[k];
            float x1 = x[k + 1];
            float x2 = x[k + 2];
            float x3 = x[k + 3];
            FloatVector v0 = EXACT.cast(FloatVector.broadcast(SPECIES, x0));
            FloatVector v1 = EXACT.cast(FloatVector.broadcast(SPECIES, x1));
            FloatVector v2 = EXACT.cast(FloatVector.broadcast(SPECIES, x2));
            FloatVector v3 = EXACT.cast(FloatVector.broadcast(SPECIES, x3));
            float[] b0 = b[k];
            float[] b1 = b[k + 1];
            float[] b2 = b[k + 2];
            float[] b3 = b[k + 3];
            int j = 0;
            for (; j < vectors; j += LANES) {
                FloatVector c = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j));
                c = v0.fma(EXACT.cast(FloatVector.fromArray(SPECIES, b0, j)), c);
                c = v1.fma(EXACT.cast(FloatVector.fromArray(SPECIES, b1, j)), c);
                c = v2.fma(EXACT.cast(FloatVector.fromArray(SPECIES, b2, j)), c);
                c = v3.fma(EXACT.cast(FloatVector.fromArray(SPECIES, b3, j)), c);
                EXACT.cast(c).intoArray(ci, j);
            }
            for (; j < n; j++) {
                ci[j] = Math.fma(x3, b3[j], Math.fma(x2, b2[j], Math.fma(x1, b1[j], Math.fma(x0, b0[j], ci[j]))));
            }
        }
        for (; k < inner; k++) {
            float xk = x[k];
            FloatVector v = EXACT.cast(FloatVector.broadcast(SPECIES, xk));
            float[] bk = b[k];
            int j = 0;
            for (; j < vectors; j += LANES) {
                EXACT.cast(v.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j)), EXACT.cast(FloatVector.fromArray(SPECIES, ci, j))))
                        .intoArray(ci, j);
            }
            for (; j < n; j++) {
                ci[j] = Math.fma(xk, bk[j], ci[j]);
            }
        }
    }

    private static void addBias(float[] row, float[] bias, int n) {
        addBias(row, bias, 0, n);
    }

    /**
     * {@code row[j] += bias[j]} for {@code from <= j < n}, in plain Java, which C2 vectorises itself. Not the Vector
     * API: this small method is inlined into whatever calls the kernel (Dense's forward, say), and in such a large
     * compilation C2 may run out of its node budget before it expands the Vector API's intrinsics, which it does last;
     * the calls left behind run the API's Java fallbacks, allocating every vector (seen on CI: 296 KB per cut batch in
     * {@code BatchSplitTest}, in one test order out of several). The same holds for every Vector API use in this
     * class: each sits in a method too large for C2 to inline ({@code -XX:FreqInlineSize}, 325 bytes of bytecode), or
     * in a small one called only from such methods, so it is expanded in a compilation of bounded size.
     */
    private static void addBias(float[] row, float[] bias, int from, int n) {
        for (int j = from; j < n; j++) {
            row[j] += bias[j];
        }
    }

    /**
     * Four rows of C by one strip of 4 vectors on B's rows as given: one {@link #tile4x4}, or below 512-bit vectors a
     * {@link #tile4x2} on each half ({@link #SIX_BY_TWO}); A read transposed with {@code transposedA}.
     */
    private static void tile4(float[][] a, boolean transposedA, float[][] b, float[][] out, int i, int j, int k0, int k1) {
        if (SIX_BY_TWO) {
            for (int half = 0; half < 4 * LANES; half += 2 * LANES) {
                if (transposedA) {
                    tile4x2TransposedA(a, b, out, i, j + half, k0, k1);
                } else {
                    tile4x2(a, b, out, i, j + half, k0, k1);
                }
            }
        } else if (transposedA) {
            tile4x4TransposedA(a, b, out, i, j, k0, k1);
        } else {
            tile4x4(a, b, out, i, j, k0, k1);
        }
    }

    /** {@link #tile4} on a packed strip ({@link #tile4x4Packed}, or {@link #tile4x2Packed} on each half). */
    private static void tile4Packed(float[][] a, float[] panel, int base, float[][] out, int i, int j, int k0, int k1) {
        if (SIX_BY_TWO) {
            tile4x2Packed(a, panel, base, out, i, j, k0, k1, false);
            tile4x2Packed(a, panel, base + secondHalf(k0, k1), out, i, j + 2 * LANES, k0, k1, false);
        } else {
            tile4x4Packed(a, panel, base, out, i, j, k0, k1);
        }
    }

    /**
     * Four rows by two vectors on B's rows as given: {@link #tile4x4}'s half, for 16 registers (8 accumulators, 2 B
     * vectors and a broadcast; 4x4's 16 accumulators alone fill AVX2's register file).
     */
    private static void tile4x2(float[][] a, float[][] b, float[][] out, int i, int j, int k0, int k1) {
        float[] a0 = a[i];
        float[] a1 = a[i + 1];
        float[] a2 = a[i + 2];
        float[] a3 = a[i + 3];
        float[] c0 = out[i];
        float[] c1 = out[i + 1];
        float[] c2 = out[i + 2];
        float[] c3 = out[i + 3];
        int j1 = j + LANES;
        FloatVector c00 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j));
        FloatVector c01 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j1));
        FloatVector c10 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j));
        FloatVector c11 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j1));
        FloatVector c20 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j));
        FloatVector c21 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j1));
        FloatVector c30 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j));
        FloatVector c31 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j1));
        for (int k = k0; k < k1; k++) {
            float[] bk = b[k];
            FloatVector b0 = EXACT.cast(FloatVector.fromArray(SPECIES, bk, j));
            FloatVector b1 = EXACT.cast(FloatVector.fromArray(SPECIES, bk, j1));
            FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, a0[k]));
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a1[k]));
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a2[k]));
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a3[k]));
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        EXACT.cast(c00).intoArray(c0, j);
        EXACT.cast(c01).intoArray(c0, j1);
        EXACT.cast(c10).intoArray(c1, j);
        EXACT.cast(c11).intoArray(c1, j1);
        EXACT.cast(c20).intoArray(c2, j);
        EXACT.cast(c21).intoArray(c2, j1);
        EXACT.cast(c30).intoArray(c3, j);
        EXACT.cast(c31).intoArray(c3, j1);
    }

    /**
     * {@link #tile4x2} on half of a packed strip: B's two vectors for step k at {@code panel[base + (k - k0) * STEP]};
     * with {@code zero}, from zero accumulators (the first block of k of rows {@link #clear} left). The edge tile of
     * 6x2 tiles, and the tile itself after JDK 17 ({@link #FOUR_ROWS}).
     */
    private static void tile4x2Packed(float[][] a, float[] panel, int base, float[][] out, int i, int j, int k0, int k1,
            boolean zero) {
        float[] a0 = a[i];
        float[] a1 = a[i + 1];
        float[] a2 = a[i + 2];
        float[] a3 = a[i + 3];
        float[] c0 = out[i];
        float[] c1 = out[i + 1];
        float[] c2 = out[i + 2];
        float[] c3 = out[i + 3];
        int j1 = j + LANES;
        float[] s0 = zero ? ZEROS : c0;
        float[] s1 = zero ? ZEROS : c1;
        float[] s2 = zero ? ZEROS : c2;
        float[] s3 = zero ? ZEROS : c3;
        int l0 = zero ? 0 : j;
        int l1 = zero ? LANES : j1;
        FloatVector c00 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l0));
        FloatVector c01 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l1));
        FloatVector c10 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l0));
        FloatVector c11 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l1));
        FloatVector c20 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l0));
        FloatVector c21 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l1));
        FloatVector c30 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l0));
        FloatVector c31 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l1));
        int p = base;
        for (int k = k0; k < k1; k++, p += STEP) {
            FloatVector b0 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p));
            FloatVector b1 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + LANES));
            FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, a0[k]));
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a1[k]));
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a2[k]));
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a3[k]));
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        EXACT.cast(c00).intoArray(c0, j);
        EXACT.cast(c01).intoArray(c0, j1);
        EXACT.cast(c10).intoArray(c1, j);
        EXACT.cast(c11).intoArray(c1, j1);
        EXACT.cast(c20).intoArray(c2, j);
        EXACT.cast(c21).intoArray(c2, j1);
        EXACT.cast(c30).intoArray(c3, j);
        EXACT.cast(c31).intoArray(c3, j1);
    }

    /** {@link #tile4x2} with A read transposed: the four rows' scalars for step k are {@code a[k][i..i+3]}. */
    private static void tile4x2TransposedA(float[][] a, float[][] b, float[][] out, int i, int j, int k0, int k1) {
        float[] c0 = out[i];
        float[] c1 = out[i + 1];
        float[] c2 = out[i + 2];
        float[] c3 = out[i + 3];
        int j1 = j + LANES;
        FloatVector c00 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j));
        FloatVector c01 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j1));
        FloatVector c10 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j));
        FloatVector c11 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j1));
        FloatVector c20 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j));
        FloatVector c21 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j1));
        FloatVector c30 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j));
        FloatVector c31 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j1));
        for (int k = k0; k < k1; k++) {
            float[] ak = a[k];
            float[] bk = b[k];
            FloatVector b0 = EXACT.cast(FloatVector.fromArray(SPECIES, bk, j));
            FloatVector b1 = EXACT.cast(FloatVector.fromArray(SPECIES, bk, j1));
            FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i]));
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 1]));
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 2]));
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 3]));
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        EXACT.cast(c00).intoArray(c0, j);
        EXACT.cast(c01).intoArray(c0, j1);
        EXACT.cast(c10).intoArray(c1, j);
        EXACT.cast(c11).intoArray(c1, j1);
        EXACT.cast(c20).intoArray(c2, j);
        EXACT.cast(c21).intoArray(c2, j1);
        EXACT.cast(c30).intoArray(c3, j);
        EXACT.cast(c31).intoArray(c3, j1);
    }

    private static void tile4x4(float[][] a, float[][] b, float[][] out, int i, int j, int k0, int k1) {
        float[] a0 = a[i];
        float[] a1 = a[i + 1];
        float[] a2 = a[i + 2];
        float[] a3 = a[i + 3];
        float[] c0 = out[i];
        float[] c1 = out[i + 1];
        float[] c2 = out[i + 2];
        float[] c3 = out[i + 3];
        int j1 = j + LANES;
        int j2 = j + 2 * LANES;
        int j3 = j + 3 * LANES;
        FloatVector c00 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j));
        FloatVector c01 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j1));
        FloatVector c02 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j2));
        FloatVector c03 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j3));
        FloatVector c10 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j));
        FloatVector c11 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j1));
        FloatVector c12 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j2));
        FloatVector c13 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j3));
        FloatVector c20 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j));
        FloatVector c21 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j1));
        FloatVector c22 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j2));
        FloatVector c23 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j3));
        FloatVector c30 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j));
        FloatVector c31 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j1));
        FloatVector c32 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j2));
        FloatVector c33 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j3));
        for (int k = k0; k < k1; k++) {
            float[] bk = b[k];
            FloatVector b0 = EXACT.cast(FloatVector.fromArray(SPECIES, bk, j));
            FloatVector b1 = EXACT.cast(FloatVector.fromArray(SPECIES, bk, j1));
            FloatVector b2 = EXACT.cast(FloatVector.fromArray(SPECIES, bk, j2));
            FloatVector b3 = EXACT.cast(FloatVector.fromArray(SPECIES, bk, j3));
            FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, a0[k]));
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a1[k]));
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a2[k]));
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a3[k]));
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
        }
        EXACT.cast(c00).intoArray(c0, j);
        EXACT.cast(c01).intoArray(c0, j1);
        EXACT.cast(c02).intoArray(c0, j2);
        EXACT.cast(c03).intoArray(c0, j3);
        EXACT.cast(c10).intoArray(c1, j);
        EXACT.cast(c11).intoArray(c1, j1);
        EXACT.cast(c12).intoArray(c1, j2);
        EXACT.cast(c13).intoArray(c1, j3);
        EXACT.cast(c20).intoArray(c2, j);
        EXACT.cast(c21).intoArray(c2, j1);
        EXACT.cast(c22).intoArray(c2, j2);
        EXACT.cast(c23).intoArray(c2, j3);
        EXACT.cast(c30).intoArray(c3, j);
        EXACT.cast(c31).intoArray(c3, j1);
        EXACT.cast(c32).intoArray(c3, j2);
        EXACT.cast(c33).intoArray(c3, j3);
    }

    /** {@link #tile4x4} on a packed strip: B's four vectors for step k at {@code panel[base + (k - k0) * 4 * LANES]}. */
    private static void tile4x4Packed(float[][] a, float[] panel, int base, float[][] out, int i, int j, int k0, int k1) {
        float[] a0 = a[i];
        float[] a1 = a[i + 1];
        float[] a2 = a[i + 2];
        float[] a3 = a[i + 3];
        float[] c0 = out[i];
        float[] c1 = out[i + 1];
        float[] c2 = out[i + 2];
        float[] c3 = out[i + 3];
        int j1 = j + LANES;
        int j2 = j + 2 * LANES;
        int j3 = j + 3 * LANES;
        FloatVector c00 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j));
        FloatVector c01 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j1));
        FloatVector c02 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j2));
        FloatVector c03 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j3));
        FloatVector c10 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j));
        FloatVector c11 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j1));
        FloatVector c12 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j2));
        FloatVector c13 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j3));
        FloatVector c20 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j));
        FloatVector c21 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j1));
        FloatVector c22 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j2));
        FloatVector c23 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j3));
        FloatVector c30 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j));
        FloatVector c31 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j1));
        FloatVector c32 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j2));
        FloatVector c33 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j3));
        int p = base;
        for (int k = k0; k < k1; k++, p += 4 * LANES) {
            FloatVector b0 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p));
            FloatVector b1 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + LANES));
            FloatVector b2 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + 2 * LANES));
            FloatVector b3 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + 3 * LANES));
            FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, a0[k]));
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a1[k]));
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a2[k]));
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a3[k]));
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
        }
        EXACT.cast(c00).intoArray(c0, j);
        EXACT.cast(c01).intoArray(c0, j1);
        EXACT.cast(c02).intoArray(c0, j2);
        EXACT.cast(c03).intoArray(c0, j3);
        EXACT.cast(c10).intoArray(c1, j);
        EXACT.cast(c11).intoArray(c1, j1);
        EXACT.cast(c12).intoArray(c1, j2);
        EXACT.cast(c13).intoArray(c1, j3);
        EXACT.cast(c20).intoArray(c2, j);
        EXACT.cast(c21).intoArray(c2, j1);
        EXACT.cast(c22).intoArray(c2, j2);
        EXACT.cast(c23).intoArray(c2, j3);
        EXACT.cast(c30).intoArray(c3, j);
        EXACT.cast(c31).intoArray(c3, j1);
        EXACT.cast(c32).intoArray(c3, j2);
        EXACT.cast(c33).intoArray(c3, j3);
    }

    /**
     * {@link #AFFINE_TILE} rows of C by one packed strip of 4 vectors from step k0 to k1: one {@link #tile5x4Packed}, or
     * a {@link #tile6x2Packed} on each half of the strip. {@code zero}: the accumulators start from zeros, not from C.
     */
    private static void tilePacked(float[][] a, float[] panel, int base, float[][] out, int i, int j, int k0, int k1,
            boolean zero) {
        if (FOUR_ROWS) {
            tile4x2Packed(a, panel, base, out, i, j, k0, k1, zero);
            tile4x2Packed(a, panel, base + secondHalf(k0, k1), out, i, j + 2 * LANES, k0, k1, zero);
        } else if (SIX_BY_TWO) {
            tile6x2Packed(a, panel, base, out, i, j, k0, k1, zero);
            tile6x2Packed(a, panel, base + secondHalf(k0, k1), out, i, j + 2 * LANES, k0, k1, zero);
        } else {
            tile5x4Packed(a, panel, base, out, i, j, k0, k1, zero);
        }
    }

    /**
     * Columns {@code i0 <= i < i1} of A (whole tiles of {@code rows} rows of {@code out = aᵀ · b}, 6 or 4), steps
     * {@code k0 <= k < k1}, copied into this thread's scratch tile after tile, each tile's scalars of a step side by
     * side: tile t's step k at {@code (t * (k1 - k0) + k - k0) * rows}. Read in place, a tile's 64 steps of a 784-column A touched 64 rows of A a
     * page apart, against a few pages for the direct product's six rows: on a Zen 3, 784x64x2048 ran at 37-38 GFLOP/s
     * (best call) against 66-77 for the same product untransposed, and at 48-50 from this copy; with JMH 3.98 ms
     * against 3.57 (medians of three alternated forks), and the batch-64 training step at W = 2048 1.08x faster.
     * Narrower products were level. The rest of the gap to the direct product was {@link #tile6x2PackedA}'s loop.
     * Each tile's step is copied by one vector load and store (the store's spill is overwritten by the next step's):
     * copied scalar by scalar, the copy had taken 12 % of a 784x64x128 product (perf, Zen 3); with vectors 6 %, and
     * the product ran 1.03-1.04x faster, 784x64x64 (a weight gradient of the training step cut by units) 1.04-1.09x.
     */
    private static float[] packTilesOfA(float[][] a, int i0, int i1, int k0, int k1, int rows) {
        int steps = k1 - k0;
        float[] tiles = SCRATCH.get().tilesOfA((i1 - i0) * steps);
        // A vector store of a tile's step also writes the next steps' slots of that tile, which their own stores,
        // later in k, overwrite; the last steps, whose spill would reach the next tile, are copied by scalars.
        int vectorSteps = k1 - (LANES - 1) / rows;
        for (int k = k0; k < k1; k++) {
            float[] ak = a[k];
            int q = (k - k0) * rows;
            int i = i0;
            if (k < vectorSteps) {
                int vectorEnd = Math.min(i1, ak.length - LANES + 1);
                for (; i < vectorEnd; i += rows, q += rows * steps) {
                    EXACT.cast(FloatVector.fromArray(SPECIES, ak, i)).intoArray(tiles, q);
                }
            }
            for (; i < i1; i += rows, q += rows * steps) {
                tiles[q] = ak[i];
                tiles[q + 1] = ak[i + 1];
                tiles[q + 2] = ak[i + 2];
                tiles[q + 3] = ak[i + 3];
                if (rows == 6) {
                    tiles[q + 4] = ak[i + 4];
                    tiles[q + 5] = ak[i + 5];
                }
            }
        }
        return tiles;
    }

    /**
     * Six rows by two vectors, half of a packed strip (B's two vectors for step k at
     * {@code panel[base + (k - k0) * STEP]}): 12 accumulators, 2 B vectors and a broadcast in 15 of AVX2's 16
     * registers, each B vector loaded feeding 6 FMAs. The same chain per element as every other tile.
     */
    private static void tile6x2Packed(float[][] a, float[] panel, int base, float[][] out, int i, int j, int k0, int k1,
            boolean zero) {
        float[] a0 = a[i];
        float[] a1 = a[i + 1];
        float[] a2 = a[i + 2];
        float[] a3 = a[i + 3];
        float[] a4 = a[i + 4];
        float[] a5 = a[i + 5];
        int j1 = j + LANES;
        float[] s0 = zero ? ZEROS : out[i];
        float[] s1 = zero ? ZEROS : out[i + 1];
        float[] s2 = zero ? ZEROS : out[i + 2];
        float[] s3 = zero ? ZEROS : out[i + 3];
        float[] s4 = zero ? ZEROS : out[i + 4];
        float[] s5 = zero ? ZEROS : out[i + 5];
        int l0 = zero ? 0 : j;
        int l1 = zero ? LANES : j1;
        FloatVector c00 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l0));
        FloatVector c01 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l1));
        FloatVector c10 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l0));
        FloatVector c11 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l1));
        FloatVector c20 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l0));
        FloatVector c21 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l1));
        FloatVector c30 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l0));
        FloatVector c31 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l1));
        FloatVector c40 = EXACT.cast(FloatVector.fromArray(SPECIES, s4, l0));
        FloatVector c41 = EXACT.cast(FloatVector.fromArray(SPECIES, s4, l1));
        FloatVector c50 = EXACT.cast(FloatVector.fromArray(SPECIES, s5, l0));
        FloatVector c51 = EXACT.cast(FloatVector.fromArray(SPECIES, s5, l1));
        int p = base;
        for (int k = k0; k < k1; k++, p += STEP) {
            FloatVector b0 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p));
            FloatVector b1 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + LANES));
            FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, a0[k]));
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a1[k]));
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a2[k]));
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a3[k]));
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a4[k]));
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a5[k]));
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        EXACT.cast(c00).intoArray(out[i], j);
        EXACT.cast(c01).intoArray(out[i], j1);
        EXACT.cast(c10).intoArray(out[i + 1], j);
        EXACT.cast(c11).intoArray(out[i + 1], j1);
        EXACT.cast(c20).intoArray(out[i + 2], j);
        EXACT.cast(c21).intoArray(out[i + 2], j1);
        EXACT.cast(c30).intoArray(out[i + 3], j);
        EXACT.cast(c31).intoArray(out[i + 3], j1);
        EXACT.cast(c40).intoArray(out[i + 4], j);
        EXACT.cast(c41).intoArray(out[i + 4], j1);
        EXACT.cast(c50).intoArray(out[i + 5], j);
        EXACT.cast(c51).intoArray(out[i + 5], j1);
    }

    /**
     * {@link #tile6x2Packed} for {@code out = aᵀ · b}, A's six scalars of step k at {@code tiles[aBase + (k - k0) * 6]}
     * onwards ({@link #packTilesOfA}). The loop counts in A's index, as the direct tile counts in k: C2 then proves
     * {@code tiles[q .. q + 5]} in bounds once, before the loop. Counting in k with {@code q} a second variable left
     * A's and the panel's bounds checks and their index arithmetic in every step: 50 instructions for 12 FMAs against
     * the direct tile's 34, found with perf's per-instruction profile (JMH {@code -prof perfasm}); with
     * {@code q = aBase + 6 * s} the panel's checks went and A's stayed (70). 784x64x128 went from 60-63 GFLOP/s
     * (best call) to 80, against 85 for the direct product in the same JVM; 784x64x2048 from 50-57 to 68-77. Proving
     * every index of the loop in bounds is not better: with {@code panel}'s checks gone too (A padded to 8 floats a
     * step), C2 hoisted the broadcasts, spilled accumulators to the stack and ran at 38.
     */
    private static void tile6x2PackedA(float[] tiles, int aBase, float[] panel, int base, float[][] out, int i, int j,
            int k0, int k1, boolean zero) {
        int j1 = j + LANES;
        float[] s0 = zero ? ZEROS : out[i];
        float[] s1 = zero ? ZEROS : out[i + 1];
        float[] s2 = zero ? ZEROS : out[i + 2];
        float[] s3 = zero ? ZEROS : out[i + 3];
        float[] s4 = zero ? ZEROS : out[i + 4];
        float[] s5 = zero ? ZEROS : out[i + 5];
        int l0 = zero ? 0 : j;
        int l1 = zero ? LANES : j1;
        FloatVector c00 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l0));
        FloatVector c01 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l1));
        FloatVector c10 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l0));
        FloatVector c11 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l1));
        FloatVector c20 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l0));
        FloatVector c21 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l1));
        FloatVector c30 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l0));
        FloatVector c31 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l1));
        FloatVector c40 = EXACT.cast(FloatVector.fromArray(SPECIES, s4, l0));
        FloatVector c41 = EXACT.cast(FloatVector.fromArray(SPECIES, s4, l1));
        FloatVector c50 = EXACT.cast(FloatVector.fromArray(SPECIES, s5, l0));
        FloatVector c51 = EXACT.cast(FloatVector.fromArray(SPECIES, s5, l1));
        int p = base;
        int qEnd = aBase + (k1 - k0) * 6;
        for (int q = aBase; q < qEnd; q += 6, p += STEP) {
            FloatVector b0 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p));
            FloatVector b1 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + LANES));
            FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, tiles[q]));
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, tiles[q + 1]));
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, tiles[q + 2]));
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, tiles[q + 3]));
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, tiles[q + 4]));
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, tiles[q + 5]));
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        EXACT.cast(c00).intoArray(out[i], j);
        EXACT.cast(c01).intoArray(out[i], j1);
        EXACT.cast(c10).intoArray(out[i + 1], j);
        EXACT.cast(c11).intoArray(out[i + 1], j1);
        EXACT.cast(c20).intoArray(out[i + 2], j);
        EXACT.cast(c21).intoArray(out[i + 2], j1);
        EXACT.cast(c30).intoArray(out[i + 3], j);
        EXACT.cast(c31).intoArray(out[i + 3], j1);
        EXACT.cast(c40).intoArray(out[i + 4], j);
        EXACT.cast(c41).intoArray(out[i + 4], j1);
        EXACT.cast(c50).intoArray(out[i + 5], j);
        EXACT.cast(c51).intoArray(out[i + 5], j1);
    }
    /**
     * {@link #tile6x2PackedA} in four rows, on A's packed copy of 4-row tiles: the transposed product's tile after
     * JDK 17 ({@link #FOUR_ROWS}), whose C2 keeps two of the six-row tile's accumulators on the stack.
     */
    private static void tile4x2PackedA(float[] tiles, int aBase, float[] panel, int base, float[][] out, int i, int j,
            int k0, int k1, boolean zero) {
        int j1 = j + LANES;
        float[] s0 = zero ? ZEROS : out[i];
        float[] s1 = zero ? ZEROS : out[i + 1];
        float[] s2 = zero ? ZEROS : out[i + 2];
        float[] s3 = zero ? ZEROS : out[i + 3];
        int l0 = zero ? 0 : j;
        int l1 = zero ? LANES : j1;
        FloatVector c00 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l0));
        FloatVector c01 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l1));
        FloatVector c10 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l0));
        FloatVector c11 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l1));
        FloatVector c20 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l0));
        FloatVector c21 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l1));
        FloatVector c30 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l0));
        FloatVector c31 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l1));
        int p = base;
        int qEnd = aBase + (k1 - k0) * 4;
        for (int q = aBase; q < qEnd; q += 4, p += STEP) {
            FloatVector b0 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p));
            FloatVector b1 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + LANES));
            FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, tiles[q]));
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, tiles[q + 1]));
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, tiles[q + 2]));
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, tiles[q + 3]));
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        EXACT.cast(c00).intoArray(out[i], j);
        EXACT.cast(c01).intoArray(out[i], j1);
        EXACT.cast(c10).intoArray(out[i + 1], j);
        EXACT.cast(c11).intoArray(out[i + 1], j1);
        EXACT.cast(c20).intoArray(out[i + 2], j);
        EXACT.cast(c21).intoArray(out[i + 2], j1);
        EXACT.cast(c30).intoArray(out[i + 3], j);
        EXACT.cast(c31).intoArray(out[i + 3], j1);
    }


    /**
     * Five rows by four vectors on a packed strip: 20 accumulators, 4 B vectors and 5 broadcasts fit AVX-512's 32
     * registers, where C2 spilled an accumulator of six rows to the stack on every step of k. The B loads start on a
     * cache line only if the JVM happened to place the strip's array so (its data is 16 bytes past an address that is
     * a multiple of 8); otherwise each spans two lines, which cost this loop about 10 % in L1
     * (nn-benchmarks/MEASUREMENTS.md, "Where the limit is"). Java offers no aligned heap array.
     */
    private static void tile5x4Packed(float[][] a, float[] panel, int base, float[][] out, int i, int j, int k0, int k1,
            boolean zero) {
        float[] a0 = a[i];
        float[] a1 = a[i + 1];
        float[] a2 = a[i + 2];
        float[] a3 = a[i + 3];
        float[] a4 = a[i + 4];
        int j1 = j + LANES;
        int j2 = j + 2 * LANES;
        int j3 = j + 3 * LANES;
        // In the first block of k the accumulators start from zeros (a small array in L1), not from C.
        float[] s0 = zero ? ZEROS : out[i];
        float[] s1 = zero ? ZEROS : out[i + 1];
        float[] s2 = zero ? ZEROS : out[i + 2];
        float[] s3 = zero ? ZEROS : out[i + 3];
        float[] s4 = zero ? ZEROS : out[i + 4];
        int l0 = zero ? 0 : j;
        int l1 = zero ? LANES : j1;
        int l2 = zero ? 2 * LANES : j2;
        int l3 = zero ? 3 * LANES : j3;
        FloatVector c00 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l0));
        FloatVector c01 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l1));
        FloatVector c02 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l2));
        FloatVector c03 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l3));
        FloatVector c10 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l0));
        FloatVector c11 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l1));
        FloatVector c12 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l2));
        FloatVector c13 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l3));
        FloatVector c20 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l0));
        FloatVector c21 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l1));
        FloatVector c22 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l2));
        FloatVector c23 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l3));
        FloatVector c30 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l0));
        FloatVector c31 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l1));
        FloatVector c32 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l2));
        FloatVector c33 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l3));
        FloatVector c40 = EXACT.cast(FloatVector.fromArray(SPECIES, s4, l0));
        FloatVector c41 = EXACT.cast(FloatVector.fromArray(SPECIES, s4, l1));
        FloatVector c42 = EXACT.cast(FloatVector.fromArray(SPECIES, s4, l2));
        FloatVector c43 = EXACT.cast(FloatVector.fromArray(SPECIES, s4, l3));
        int p = base;
        for (int k = k0; k < k1; k++, p += 4 * LANES) {
            FloatVector b0 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p));
            FloatVector b1 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + LANES));
            FloatVector b2 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + 2 * LANES));
            FloatVector b3 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + 3 * LANES));
            FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, a0[k]));
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a1[k]));
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a2[k]));
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a3[k]));
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, a4[k]));
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
        }
        EXACT.cast(c00).intoArray(out[i], j);
        EXACT.cast(c01).intoArray(out[i], j1);
        EXACT.cast(c02).intoArray(out[i], j2);
        EXACT.cast(c03).intoArray(out[i], j3);
        EXACT.cast(c10).intoArray(out[i + 1], j);
        EXACT.cast(c11).intoArray(out[i + 1], j1);
        EXACT.cast(c12).intoArray(out[i + 1], j2);
        EXACT.cast(c13).intoArray(out[i + 1], j3);
        EXACT.cast(c20).intoArray(out[i + 2], j);
        EXACT.cast(c21).intoArray(out[i + 2], j1);
        EXACT.cast(c22).intoArray(out[i + 2], j2);
        EXACT.cast(c23).intoArray(out[i + 2], j3);
        EXACT.cast(c30).intoArray(out[i + 3], j);
        EXACT.cast(c31).intoArray(out[i + 3], j1);
        EXACT.cast(c32).intoArray(out[i + 3], j2);
        EXACT.cast(c33).intoArray(out[i + 3], j3);
        EXACT.cast(c40).intoArray(out[i + 4], j);
        EXACT.cast(c41).intoArray(out[i + 4], j1);
        EXACT.cast(c42).intoArray(out[i + 4], j2);
        EXACT.cast(c43).intoArray(out[i + 4], j3);
    }


    /** {@link #tile5x4Packed} with A read transposed: the five rows' scalars for step k are {@code a[k][i..i+4]}. */
    private static void tile5x4PackedTransposedA(float[][] a, float[] panel, int base, float[][] out, int i, int j, int k0,
            int k1, boolean zero) {
        int j1 = j + LANES;
        int j2 = j + 2 * LANES;
        int j3 = j + 3 * LANES;
        // In the first block of k the accumulators start from zeros (a small array in L1), not from C.
        float[] s0 = zero ? ZEROS : out[i];
        float[] s1 = zero ? ZEROS : out[i + 1];
        float[] s2 = zero ? ZEROS : out[i + 2];
        float[] s3 = zero ? ZEROS : out[i + 3];
        float[] s4 = zero ? ZEROS : out[i + 4];
        int l0 = zero ? 0 : j;
        int l1 = zero ? LANES : j1;
        int l2 = zero ? 2 * LANES : j2;
        int l3 = zero ? 3 * LANES : j3;
        FloatVector c00 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l0));
        FloatVector c01 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l1));
        FloatVector c02 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l2));
        FloatVector c03 = EXACT.cast(FloatVector.fromArray(SPECIES, s0, l3));
        FloatVector c10 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l0));
        FloatVector c11 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l1));
        FloatVector c12 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l2));
        FloatVector c13 = EXACT.cast(FloatVector.fromArray(SPECIES, s1, l3));
        FloatVector c20 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l0));
        FloatVector c21 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l1));
        FloatVector c22 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l2));
        FloatVector c23 = EXACT.cast(FloatVector.fromArray(SPECIES, s2, l3));
        FloatVector c30 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l0));
        FloatVector c31 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l1));
        FloatVector c32 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l2));
        FloatVector c33 = EXACT.cast(FloatVector.fromArray(SPECIES, s3, l3));
        FloatVector c40 = EXACT.cast(FloatVector.fromArray(SPECIES, s4, l0));
        FloatVector c41 = EXACT.cast(FloatVector.fromArray(SPECIES, s4, l1));
        FloatVector c42 = EXACT.cast(FloatVector.fromArray(SPECIES, s4, l2));
        FloatVector c43 = EXACT.cast(FloatVector.fromArray(SPECIES, s4, l3));
        int p = base;
        for (int k = k0; k < k1; k++, p += 4 * LANES) {
            float[] ak = a[k];
            FloatVector b0 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p));
            FloatVector b1 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + LANES));
            FloatVector b2 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + 2 * LANES));
            FloatVector b3 = EXACT.cast(FloatVector.fromArray(SPECIES, panel, p + 3 * LANES));
            FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i]));
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 1]));
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 2]));
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 3]));
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 4]));
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
        }
        EXACT.cast(c00).intoArray(out[i], j);
        EXACT.cast(c01).intoArray(out[i], j1);
        EXACT.cast(c02).intoArray(out[i], j2);
        EXACT.cast(c03).intoArray(out[i], j3);
        EXACT.cast(c10).intoArray(out[i + 1], j);
        EXACT.cast(c11).intoArray(out[i + 1], j1);
        EXACT.cast(c12).intoArray(out[i + 1], j2);
        EXACT.cast(c13).intoArray(out[i + 1], j3);
        EXACT.cast(c20).intoArray(out[i + 2], j);
        EXACT.cast(c21).intoArray(out[i + 2], j1);
        EXACT.cast(c22).intoArray(out[i + 2], j2);
        EXACT.cast(c23).intoArray(out[i + 2], j3);
        EXACT.cast(c30).intoArray(out[i + 3], j);
        EXACT.cast(c31).intoArray(out[i + 3], j1);
        EXACT.cast(c32).intoArray(out[i + 3], j2);
        EXACT.cast(c33).intoArray(out[i + 3], j3);
        EXACT.cast(c40).intoArray(out[i + 4], j);
        EXACT.cast(c41).intoArray(out[i + 4], j1);
        EXACT.cast(c42).intoArray(out[i + 4], j2);
        EXACT.cast(c43).intoArray(out[i + 4], j3);
    }

    private static void tile4x1(float[][] a, float[][] b, float[][] out, int i, int j, int k0, int k1) {
        float[] a0 = a[i];
        float[] a1 = a[i + 1];
        float[] a2 = a[i + 2];
        float[] a3 = a[i + 3];
        FloatVector c0 = EXACT.cast(FloatVector.fromArray(SPECIES, out[i], j));
        FloatVector c1 = EXACT.cast(FloatVector.fromArray(SPECIES, out[i + 1], j));
        FloatVector c2 = EXACT.cast(FloatVector.fromArray(SPECIES, out[i + 2], j));
        FloatVector c3 = EXACT.cast(FloatVector.fromArray(SPECIES, out[i + 3], j));
        for (int k = k0; k < k1; k++) {
            FloatVector bv = EXACT.cast(FloatVector.fromArray(SPECIES, b[k], j));
            c0 = EXACT.cast(FloatVector.broadcast(SPECIES, a0[k])).fma(bv, c0);
            c1 = EXACT.cast(FloatVector.broadcast(SPECIES, a1[k])).fma(bv, c1);
            c2 = EXACT.cast(FloatVector.broadcast(SPECIES, a2[k])).fma(bv, c2);
            c3 = EXACT.cast(FloatVector.broadcast(SPECIES, a3[k])).fma(bv, c3);
        }
        EXACT.cast(c0).intoArray(out[i], j);
        EXACT.cast(c1).intoArray(out[i + 1], j);
        EXACT.cast(c2).intoArray(out[i + 2], j);
        EXACT.cast(c3).intoArray(out[i + 3], j);
    }

    /** {@link #tile4x4} with A read transposed: the four rows' scalars for step k are {@code a[k][i..i+3]}. */
    private static void tile4x4TransposedA(float[][] a, float[][] b, float[][] out, int i, int j, int k0, int k1) {
        float[] c0 = out[i];
        float[] c1 = out[i + 1];
        float[] c2 = out[i + 2];
        float[] c3 = out[i + 3];
        int j1 = j + LANES;
        int j2 = j + 2 * LANES;
        int j3 = j + 3 * LANES;
        FloatVector c00 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j));
        FloatVector c01 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j1));
        FloatVector c02 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j2));
        FloatVector c03 = EXACT.cast(FloatVector.fromArray(SPECIES, c0, j3));
        FloatVector c10 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j));
        FloatVector c11 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j1));
        FloatVector c12 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j2));
        FloatVector c13 = EXACT.cast(FloatVector.fromArray(SPECIES, c1, j3));
        FloatVector c20 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j));
        FloatVector c21 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j1));
        FloatVector c22 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j2));
        FloatVector c23 = EXACT.cast(FloatVector.fromArray(SPECIES, c2, j3));
        FloatVector c30 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j));
        FloatVector c31 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j1));
        FloatVector c32 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j2));
        FloatVector c33 = EXACT.cast(FloatVector.fromArray(SPECIES, c3, j3));
        for (int k = k0; k < k1; k++) {
            float[] bk = b[k];
            float[] ak = a[k];
            FloatVector b0 = EXACT.cast(FloatVector.fromArray(SPECIES, bk, j));
            FloatVector b1 = EXACT.cast(FloatVector.fromArray(SPECIES, bk, j1));
            FloatVector b2 = EXACT.cast(FloatVector.fromArray(SPECIES, bk, j2));
            FloatVector b3 = EXACT.cast(FloatVector.fromArray(SPECIES, bk, j3));
            FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i]));
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 1]));
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 2]));
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 3]));
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
        }
        EXACT.cast(c00).intoArray(c0, j);
        EXACT.cast(c01).intoArray(c0, j1);
        EXACT.cast(c02).intoArray(c0, j2);
        EXACT.cast(c03).intoArray(c0, j3);
        EXACT.cast(c10).intoArray(c1, j);
        EXACT.cast(c11).intoArray(c1, j1);
        EXACT.cast(c12).intoArray(c1, j2);
        EXACT.cast(c13).intoArray(c1, j3);
        EXACT.cast(c20).intoArray(c2, j);
        EXACT.cast(c21).intoArray(c2, j1);
        EXACT.cast(c22).intoArray(c2, j2);
        EXACT.cast(c23).intoArray(c2, j3);
        EXACT.cast(c30).intoArray(c3, j);
        EXACT.cast(c31).intoArray(c3, j1);
        EXACT.cast(c32).intoArray(c3, j2);
        EXACT.cast(c33).intoArray(c3, j3);
    }

    private static void tile4x1TransposedA(float[][] a, float[][] b, float[][] out, int i, int j, int k0, int k1) {
        FloatVector c0 = EXACT.cast(FloatVector.fromArray(SPECIES, out[i], j));
        FloatVector c1 = EXACT.cast(FloatVector.fromArray(SPECIES, out[i + 1], j));
        FloatVector c2 = EXACT.cast(FloatVector.fromArray(SPECIES, out[i + 2], j));
        FloatVector c3 = EXACT.cast(FloatVector.fromArray(SPECIES, out[i + 3], j));
        for (int k = k0; k < k1; k++) {
            float[] ak = a[k];
            FloatVector bv = EXACT.cast(FloatVector.fromArray(SPECIES, b[k], j));
            c0 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i])).fma(bv, c0);
            c1 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 1])).fma(bv, c1);
            c2 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 2])).fma(bv, c2);
            c3 = EXACT.cast(FloatVector.broadcast(SPECIES, ak[i + 3])).fma(bv, c3);
        }
        EXACT.cast(c0).intoArray(out[i], j);
        EXACT.cast(c1).intoArray(out[i + 1], j);
        EXACT.cast(c2).intoArray(out[i + 2], j);
        EXACT.cast(c3).intoArray(out[i + 3], j);
    }

    /**
     * A lone row (one sample) by all of B, k not blocked (each B element is read once, so the accumulators stay in
     * registers throughout): eight vectors of columns at a time, each B row streamed once per eight vectors, eight
     * independent FMA chains covering the FMA latency (for a 784x128 kernel, a single pass over the weights); then
     * {@link #rowColumns} for the columns left. One method with the 8-vector loop written out, so that C2 compiles it
     * on its own (see {@link #addBias(float[], float[], int, int)}).
     */
    private static void loneRow(float[] ai, float[][] b, float[] ci, int inner, int n) {
        int j = 0;
        for (; j + 8 * LANES <= n; j += 8 * LANES) {
            FloatVector c0 = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j));
            FloatVector c1 = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j + LANES));
            FloatVector c2 = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j + 2 * LANES));
            FloatVector c3 = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j + 3 * LANES));
            FloatVector c4 = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j + 4 * LANES));
            FloatVector c5 = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j + 5 * LANES));
            FloatVector c6 = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j + 6 * LANES));
            FloatVector c7 = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j + 7 * LANES));
            for (int k = 0; k < inner; k++) {
                float[] bk = b[k];
                FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, ai[k]));
                c0 = x.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j)), c0);
                c1 = x.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j + LANES)), c1);
                c2 = x.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j + 2 * LANES)), c2);
                c3 = x.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j + 3 * LANES)), c3);
                c4 = x.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j + 4 * LANES)), c4);
                c5 = x.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j + 5 * LANES)), c5);
                c6 = x.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j + 6 * LANES)), c6);
                c7 = x.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j + 7 * LANES)), c7);
            }
            EXACT.cast(c0).intoArray(ci, j);
            EXACT.cast(c1).intoArray(ci, j + LANES);
            EXACT.cast(c2).intoArray(ci, j + 2 * LANES);
            EXACT.cast(c3).intoArray(ci, j + 3 * LANES);
            EXACT.cast(c4).intoArray(ci, j + 4 * LANES);
            EXACT.cast(c5).intoArray(ci, j + 5 * LANES);
            EXACT.cast(c6).intoArray(ci, j + 6 * LANES);
            EXACT.cast(c7).intoArray(ci, j + 7 * LANES);
        }
        rowColumns(ai, b, ci, j, n, 0, inner);
    }

    /** One row by four vectors: four independent FMA chains, so a lone row (one sample) is not latency-bound. */
    private static void row1x4(float[] ai, float[][] b, float[] ci, int j, int k0, int k1) {
        int j1 = j + LANES;
        int j2 = j + 2 * LANES;
        int j3 = j + 3 * LANES;
        FloatVector c0 = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j));
        FloatVector c1 = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j1));
        FloatVector c2 = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j2));
        FloatVector c3 = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j3));
        for (int k = k0; k < k1; k++) {
            float[] bk = b[k];
            FloatVector x = EXACT.cast(FloatVector.broadcast(SPECIES, ai[k]));
            c0 = x.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j)), c0);
            c1 = x.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j1)), c1);
            c2 = x.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j2)), c2);
            c3 = x.fma(EXACT.cast(FloatVector.fromArray(SPECIES, bk, j3)), c3);
        }
        EXACT.cast(c0).intoArray(ci, j);
        EXACT.cast(c1).intoArray(ci, j1);
        EXACT.cast(c2).intoArray(ci, j2);
        EXACT.cast(c3).intoArray(ci, j3);
    }

    private static void strip1x1(float[] ai, float[][] b, float[] ci, int j, int k0, int k1) {
        FloatVector c = EXACT.cast(FloatVector.fromArray(SPECIES, ci, j));
        for (int k = k0; k < k1; k++) {
            c = EXACT.cast(FloatVector.broadcast(SPECIES, ai[k])).fma(EXACT.cast(FloatVector.fromArray(SPECIES, b[k], j)), c);
        }
        EXACT.cast(c).intoArray(ci, j);
    }
}
