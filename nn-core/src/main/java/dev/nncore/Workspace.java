package dev.nncore;

/**
 * Per-thread scratch arrays for the layers between a network's input and its output, so that a forward pass
 * allocates nothing but its result (and nothing at all when the caller supplies the output).
 *
 * <p>Buffers are found by shape and by the layer's parity, so that a layer never writes into the buffer it reads,
 * even when two adjacent layers have the same width. The lookup is a linear scan over a few entries, which allocates
 * nothing, unlike a map keyed by boxed numbers. A thread keeps at most {@value #CAPACITY} buffers; beyond that the
 * oldest is dropped. Each thread has its own workspace, so a network stays safe to share between threads.
 */
final class Workspace {

    private static final int CAPACITY = 16;
    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

    private final int[] rows = new int[CAPACITY];
    private final int[] widths = new int[CAPACITY];
    private final int[] parities = new int[CAPACITY];
    private final float[][][] buffers = new float[CAPACITY][][];
    private int next;
    /** This thread's split of large batches, made on first use. */
    private BatchSplit split;

    private Workspace() {
    }

    /** @return this thread's batch split */
    BatchSplit split() {
        if (split == null) {
            split = new BatchSplit();
        }
        return split;
    }

    /** This thread's workspace. */
    static Workspace local() {
        return LOCAL.get();
    }

    /**
     * A {@code rows x width} buffer for layer outputs of the given parity; its contents are whatever the last user
     * left there.
     */
    float[][] buffer(int rowCount, int width, int parity) {
        for (int i = 0; i < CAPACITY; i++) {
            float[][] buffer = buffers[i];
            if (buffer != null && rows[i] == rowCount && widths[i] == width && parities[i] == parity) {
                return buffer;
            }
        }
        int slot = next;
        next = (next + 1) % CAPACITY;
        rows[slot] = rowCount;
        widths[slot] = width;
        parities[slot] = parity;
        buffers[slot] = new float[rowCount][width];
        return buffers[slot];
    }
}
