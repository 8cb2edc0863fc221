package dev.nncore;

/**
 * Work arrays a training pass reuses from batch to batch: per slot, the last two shapes asked for (a run has two
 * batch sizes, the full one and the last, shorter one), so a steady run allocates nothing.
 *
 * <p>A {@link #part() part} hands out views instead: rows {@code [offset, offset + rows)} of its whole's arrays for a
 * batch of {@code wholeRows} (see {@link #place}), so that the parts of a batch computed on different threads write
 * into one whole array per slot. Parts may ask their whole for arrays at the same time.
 */
final class Scratch {

    private final float[][][][] arrays;
    /** For a part: the scratch of the whole batch, and per slot the whole arrays its two views are rows of, at which row. */
    private final Scratch whole;
    private final float[][][][] sources;
    private final int[][] offsets;
    private int wholeRows;
    private int offset;

    /** @param slots how many different arrays the owner needs */
    Scratch(int slots) {
        this(slots, null);
    }

    private Scratch(int slots, Scratch whole) {
        arrays = new float[slots][2][][];
        this.whole = whole;
        sources = whole == null ? null : new float[slots][2][][];
        offsets = whole == null ? null : new int[slots][2];
    }

    /** @return a scratch whose arrays are rows of this one's, placed by {@link #place} */
    Scratch part() {
        return new Scratch(arrays.length, this);
    }

    /** For a part: until the next call, {@link #get} returns rows from {@code offset} of the whole's {@code wholeRows}-row arrays. */
    void place(int wholeRows, int offset) {
        this.wholeRows = wholeRows;
        this.offset = offset;
    }

    /** A {@code rows x cols} array for {@code slot}; its contents are whatever the last user left. */
    float[][] get(int slot, int rows, int cols) {
        if (whole != null) {
            return view(slot, rows, cols);
        }
        float[][][] pair = arrays[slot];
        for (float[][] candidate : pair) {
            if (candidate != null && candidate.length == rows && (rows == 0 || candidate[0].length == cols)) {
                return candidate;
            }
        }
        float[][] made = new float[rows][cols];
        pair[1] = pair[0];
        pair[0] = made;
        return made;
    }

    private float[][] view(int slot, int rows, int cols) {
        float[][] source;
        synchronized (whole) {
            source = whole.get(slot, wholeRows, cols);
        }
        float[][][] pair = arrays[slot];
        float[][][] from = sources[slot];
        int[] at = offsets[slot];
        for (int i = 0; i < 2; i++) {
            if (pair[i] != null && from[i] == source && at[i] == offset && pair[i].length == rows) {
                return pair[i];
            }
        }
        float[][] made = java.util.Arrays.copyOfRange(source, offset, offset + rows);
        pair[1] = pair[0];
        from[1] = from[0];
        at[1] = at[0];
        pair[0] = made;
        from[0] = source;
        at[0] = offset;
        return made;
    }

    static void transpose(float[][] matrix, float[][] out) {
        for (int r = 0; r < matrix.length; r++) {
            float[] row = matrix[r];
            for (int c = 0; c < row.length; c++) {
                out[c][r] = row[c];
            }
        }
    }

    /** {@code out[j] = sum over rows of m[r][j]}, in increasing row order. */
    static void columnSums(float[][] m, float[] out) {
        columnSums(m, out, 0, out.length);
    }

    /** {@link #columnSums(float[][], float[])} for columns {@code from <= j < to} only, with the same bits. */
    static void columnSums(float[][] m, float[] out, int from, int to) {
        java.util.Arrays.fill(out, from, to, 0f);
        for (float[] row : m) {
            for (int j = from; j < to; j++) {
                out[j] += row[j];
            }
        }
    }

    static void copy(float[][] from, float[][] to) {
        for (int r = 0; r < from.length; r++) {
            System.arraycopy(from[r], 0, to[r], 0, from[r].length);
        }
    }
}
