package dev.nncore;

/**
 * Where a batch cut into parts by rows ({@link BatchSplit}, {@link SampleSplit}) puts each part's rows: near-equal
 * parts cut at multiples of 4 rows (the kernels' row tile), and each part's rows as references into the batch, not
 * copies.
 */
final class RowParts {

    /** Row bounds are multiples of this: the kernels' 4-row tiles. */
    private static final int ROW_UNIT = 4;

    private RowParts() {
    }

    /** The first row of part {@code p} of {@code parts}: {@code rows p / parts}, rounded to a multiple of 4. */
    static int bound(int rows, int p, int parts) {
        if (p >= parts) {
            return rows;
        }
        long twice = 2L * rows * p + (long) parts * ROW_UNIT;
        return Math.min(rows, (int) (twice / (2L * parts * ROW_UNIT)) * ROW_UNIT);
    }

    /** Rows {@code [from, to)} of {@code all}, as row references in {@code reuse} when it has that length. */
    static float[][] rows(float[][] reuse, float[][] all, int from, int to) {
        float[][] part = reuse != null && reuse.length == to - from ? reuse : new float[to - from][];
        System.arraycopy(all, from, part, 0, to - from);
        return part;
    }
}
