package dev.nncore;

import dev.nncore.internal.Kernels;

/**
 * A large inference batch through a chain of layers, cut by rows into one part per thread, each part taken through
 * every layer on its own thread (with that thread's {@link Workspace}). The layers' weights (a Dense layer's packed
 * kernel) are only read, so each core keeps its copy in cache, and every row's arithmetic is the same in any part:
 * the outputs have the bits of one thread. One per thread, kept in its workspace; allocates only when the batch
 * shape changes.
 */
final class BatchSplit implements Kernels.Parts {

    /** Parts have at least this many rows, so that Dense layers multiply them on their packed kernels. */
    static final int MIN_PART_ROWS = Kernels.PACKED_MIN_ROWS;
    private float[][][] in = new float[0][][];
    private float[][][] out = new float[0][][];
    private Network network;
    private boolean busy;

    /**
     * @return how many parts to cut {@code rows} rows into when each takes {@code multiplyAddsPerRow}: one per thread
     *     once the batch reaches the products' threshold ({@code -Dnncore.parallelThreshold}), with parts of at least
     *     {@link #MIN_PART_ROWS} rows; 0 for none
     */
    static int parts(int rows, long multiplyAddsPerRow) {
        if (rows < 2 * MIN_PART_ROWS || (double) rows * multiplyAddsPerRow < Kernels.parallelThreshold()) {
            return 0;
        }
        int parts = Math.min(Kernels.threads(), rows / MIN_PART_ROWS);
        return parts > 1 ? parts : 0;
    }

    /**
     * Runs {@code network}'s chain over {@code rows} into {@code output} in {@code parts} parts, or returns false if
     * this thread is already running a split (a network inside a network's layers) and the caller should compute alone.
     */
    boolean run(Network network, float[][] rows, float[][] output, int parts) {
        if (busy) {
            return false;
        }
        busy = true;
        try {
            if (in.length < parts) {
                in = java.util.Arrays.copyOf(in, parts);
                out = java.util.Arrays.copyOf(out, parts);
            }
            for (int p = 0; p < parts; p++) {
                int from = RowParts.bound(rows.length, p, parts);
                int to = RowParts.bound(rows.length, p + 1, parts);
                in[p] = RowParts.rows(in[p], rows, from, to);
                out[p] = RowParts.rows(out[p], output, from, to);
            }
            this.network = network;
            Kernels.runParts(this, parts);
        } finally {
            network = null;
            busy = false;
        }
        return true;
    }

    @Override
    public void run(int part) {
        network.forwardChain(in[part], out[part]);
    }
}
