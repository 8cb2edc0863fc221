package dev.nncore.internal;

import dev.nncore.math.MatrixOps;

/**
 * nn-core's own entry to the matrix kernels without {@link MatrixOps}'s argument checks, for callers whose arrays
 * were checked once when they were built (a {@code Dense} layer's kernel and bias, workspace buffers). The checks
 * cost a pass over every kernel row, which is a noticeable share of a one-sample forward pass.
 *
 * <p>This package is not exported by the module, so only nn-core can call it.
 */
public final class Kernels {

    /** Work in parts that may run on different threads, each part's work independent of the others'. */
    @FunctionalInterface
    public interface Parts {
        /** @param part from 0 to the count given to {@link #runParts} minus 1 */
        void run(int part);
    }

    /** Implemented once, by {@code MatrixOps}, when its class initialises. */
    public interface Bridge {
        /** {@code -Dnncore.threads}, or the available processors: how many threads may share work, the caller included. */
        int threads();

        /** The multiply-adds from which a product is split over threads ({@code -Dnncore.parallelThreshold}); never with one thread. */
        long parallelThreshold();

        /** Runs parts {@code 0 .. parts - 1}, spread over the worker threads when they are free; returns when all are done. */
        void runParts(Parts task, int parts);

        /** {@code out = a · b + bias}, rows split over threads when large; nothing is checked. */
        void affine(float[][] a, float[][] b, float[] bias, float[][] out);

        /** {@code out = x · b + bias} for one row; nothing is checked. */
        void affineRow(float[] x, float[][] b, float[] bias, float[] out);

        /** A kernel B packed once for {@link #affinePacked}; nothing is checked, and B must not change after. */
        Object pack(float[][] b);

        /** {@code out = a · b + bias} with {@code packed = pack(b)}: the bits of {@link #affine}, without per-call packing. */
        void affinePacked(float[][] a, Object packed, float[] bias, float[][] out);

        /** {@code out = aᵀ · b}, rows split over threads when large; nothing is checked. */
        void multiplyTransposedA(float[][] a, float[][] b, float[][] out);

        /** {@code out = a[:, kFrom:kTo] · b[kFrom:kTo, :] + bias} on this thread; nothing is checked. */
        void affineSlice(float[][] a, float[][] b, float[] bias, float[][] out, int kFrom, int kTo);

        /** Rows {@code from <= i < to} of {@code out = aᵀ · b} on this thread; nothing is checked. */
        void multiplyTransposedA(float[][] a, float[][] b, float[][] out, int from, int to);

        /** {@code out = a · bᵀ}, rows split over threads when large; nothing is checked. */
        void multiplyTransposedB(float[][] a, float[][] b, float[][] out);

        /** Softmax of rows {@code [from, to)} in place, the scalar code's bits; false (nothing written) if the kernel has no faster way. */
        boolean softmax(float[][] rows, int from, int to);
    }

    private static volatile Bridge bridge;

    private Kernels() {
    }

    /**
     * Called by {@code MatrixOps}'s static initialiser.
     *
     * @param kernels the bridge
     * @throws IllegalStateException if a bridge is already installed
     */
    public static synchronized void install(Bridge kernels) {
        if (bridge != null) {
            throw new IllegalStateException("the kernel bridge is installed once, by MatrixOps");
        }
        bridge = kernels;
    }

    /**
     * @param a inputs, checked by the caller
     * @param b kernel, checked by the caller
     * @param bias bias or null, checked by the caller
     * @param out result rows, overwritten
     */
    public static void affine(float[][] a, float[][] b, float[] bias, float[][] out) {
        bridge().affine(a, b, bias, out);
    }

    /**
     * @param x input row, checked by the caller
     * @param b kernel, checked by the caller
     * @param bias bias or null, checked by the caller
     * @param out result row, overwritten
     */
    public static void affineRow(float[] x, float[][] b, float[] bias, float[] out) {
        bridge().affineRow(x, b, bias, out);
    }

    /**
     * Softmax of rows {@code from <= r < to} in place by the kernel in use, with the bits of the scalar
     * {@code Softmax.apply(float[])}, where it has a faster way (the Vector API kernel, for rows of one width).
     *
     * @return false, with nothing written, where the kernel has none: the caller then runs the scalar code
     */
    public static boolean softmax(float[][] rows, int from, int to) {
        return bridge().softmax(rows, from, to);
    }

    /** @return how many threads may share work, the caller included ({@code -Dnncore.threads}, default the processors) */
    public static int threads() {
        return bridge().threads();
    }

    /**
     * @return the multiply-adds from which a product or an inference batch is split over threads
     *     ({@code -Dnncore.parallelThreshold}, default 2^21); {@link Long#MAX_VALUE} on one thread
     */
    public static long parallelThreshold() {
        return bridge().parallelThreshold();
    }

    /**
     * Runs {@code task}'s parts {@code 0 .. parts - 1}: part 0 on this thread, the others on nn-core's worker threads,
     * or all on this thread, in order, when the workers are busy with another caller. Returns when every part is done;
     * the first exception a part threw is rethrown then.
     *
     * @param task the parts; each must not depend on another's running first
     * @param parts at most {@link #threads()} for all to run at once
     */
    public static void runParts(Parts task, int parts) {
        bridge().runParts(task, parts);
    }

    /**
     * Where part {@code part} of {@code parts} starts when {@code rows} rows are cut into near-equal parts at multiples of
     * 4 (the kernels' row tile): the one cut that training's row-owned work shares (a Dense layer's kernel rows split
     * by inputs, the weight update, a batch cut by samples), so that each thread updates the rows it computed.
     *
     * @param rows the rows to cut
     * @param part from 0; {@code parts} gives {@code rows}
     * @param parts at least 1
     * @return the first row of the part
     */
    public static int rowBound(int rows, int part, int parts) {
        if (part >= parts) {
            return rows;
        }
        long twice = 2L * rows * part + (long) parts * ROW_UNIT;
        return Math.min(rows, (int) (twice / (2L * parts * ROW_UNIT)) * ROW_UNIT);
    }

    private static final int ROW_UNIT = 4;

    /**
     * Batches of at least this many rows through a layer that holds {@link #pack packed} weights use them. A Dense layer
     * packs its kernel on the first such batch, so that one-sample users never pay the copy.
     */
    public static final int PACKED_MIN_ROWS = 16;

    /**
     * B copied into the layout the current kernel's tiles read, for {@link #affinePacked}: as much memory again as
     * {@code b} (less where {@code b}'s width is not a multiple of the kernel's strip, or nothing on the plain kernel,
     * which reads B as given). The caller must never modify {@code b} afterwards.
     *
     * @param b kernel, checked by the caller
     * @return an opaque handle holding {@code b} and its packed copy
     */
    public static Object pack(float[][] b) {
        return bridge().pack(b);
    }

    /**
     * {@link #affine} of the B that {@code packed} was made from: the same bits, without copying B per call.
     *
     * @param a inputs, checked by the caller
     * @param packed from {@link #pack}
     * @param bias bias or null, checked by the caller
     * @param out result rows, overwritten
     */
    public static void affinePacked(float[][] a, Object packed, float[] bias, float[][] out) {
        bridge().affinePacked(a, packed, bias, out);
    }

    /**
     * @param a left matrix stored transposed, {@code k x m}, checked by the caller
     * @param b right matrix, {@code k x n}, checked by the caller
     * @param out result rows, {@code m x n}, overwritten
     */
    public static void multiplyTransposedA(float[][] a, float[][] b, float[][] out) {
        bridge().multiplyTransposedA(a, b, out);
    }

    /**
     * {@code out = a[:, kFrom:kTo] · b[kFrom:kTo, :] + bias} on this thread, with the bits of {@link #affine} on copies
     * of those columns of {@code a} and rows of {@code b}: one part of a product whose inner dimension is cut between
     * threads, without the copies.
     *
     * @param a inputs, checked by the caller
     * @param b kernel, checked by the caller
     * @param bias bias or null, checked by the caller
     * @param out result rows, overwritten
     * @param kFrom the first column of {@code a} and row of {@code b}
     * @param kTo past the last
     */
    public static void affineSlice(float[][] a, float[][] b, float[] bias, float[][] out, int kFrom, int kTo) {
        bridge().affineSlice(a, b, bias, out, kFrom, kTo);
    }

    /**
     * Rows {@code from <= i < to} of {@code out = aᵀ · b} on this thread (columns {@code from..to} of {@code a}), with
     * the bits of {@link #multiplyTransposedA(float[][], float[][], float[][])}.
     *
     * @param a left matrix stored transposed, {@code k x m}, checked by the caller
     * @param b right matrix, {@code k x n}, checked by the caller
     * @param out result rows, {@code m x n}; rows {@code from..to} overwritten
     * @param from first row of {@code out}
     * @param to past the last
     */
    public static void multiplyTransposedA(float[][] a, float[][] b, float[][] out, int from, int to) {
        bridge().multiplyTransposedA(a, b, out, from, to);
    }

    /**
     * @param a left matrix, {@code m x k}, checked by the caller
     * @param b right matrix stored transposed, {@code n x k}, checked by the caller
     * @param out result rows, {@code m x n}, overwritten
     */
    public static void multiplyTransposedB(float[][] a, float[][] b, float[][] out) {
        bridge().multiplyTransposedB(a, b, out);
    }

    private static Bridge bridge() {
        Bridge installed = bridge;
        if (installed == null) {
            MatrixOps.kernelName(); // initialises MatrixOps, which installs the bridge
            installed = bridge;
        }
        return installed;
    }
}
