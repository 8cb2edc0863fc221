package dev.nncore;

import dev.nncore.internal.Kernels;

/**
 * Where a batch cut into parts by rows ({@link BatchSplit}, {@link SampleSplit}) puts each part's rows: near-equal
 * parts cut at multiples of 4 rows (the kernels' row tile), and each part's rows as references into the batch, not
 * copies.
 */
final class RowParts {

    private RowParts() {
    }

    /** The first row of part {@code p} of {@code parts}: {@code rows p / parts}, rounded to a multiple of 4. */
    static int bound(int rows, int p, int parts) {
        return Kernels.rowBound(rows, p, parts);
    }

    /** Rows {@code [from, to)} of {@code all}, as row references in {@code reuse} when it has that length. */
    static float[][] rows(float[][] reuse, float[][] all, int from, int to) {
        float[][] part = reuse != null && reuse.length == to - from ? reuse : new float[to - from][];
        System.arraycopy(all, from, part, 0, to - from);
        return part;
    }
}
