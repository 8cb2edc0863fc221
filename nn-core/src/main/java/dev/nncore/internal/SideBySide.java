package dev.nncore.internal;

import dev.nncore.math.Matrix;
import java.util.List;

/** Matrices of one row per sample laid side by side: a graph's inputs (or targets) as one matrix. */
public final class SideBySide {

    private SideBySide() {
    }

    /**
     * @param parts one matrix per input (or output), the same number of rows
     * @param what "input" or "target", for messages
     * @param names each part's name, for messages
     * @param widths each part's expected columns
     * @return the parts side by side, a new matrix; a single part itself, which needs no copy
     * @throws IllegalArgumentException naming the part whose columns or rows are wrong
     */
    public static Matrix of(List<Matrix> parts, String what, List<String> names, int[] widths) {
        int rows = -1;
        int cols = 0;
        for (int i = 0; i < parts.size(); i++) {
            Matrix part = parts.get(i);
            if (part == null) {
                throw new IllegalArgumentException(what + " " + i + " (" + names.get(i) + ") is null");
            }
            if (rows >= 0 && part.rows() != rows) {
                throw new IllegalArgumentException(what + " " + i + " (" + names.get(i) + ") has " + part.rows() + " rows but "
                        + what + " 0 has " + rows + "; each needs one row per sample");
            }
            if (part.cols() != widths[i]) {
                throw new IllegalArgumentException(what + " " + i + " (" + names.get(i) + ") needs " + widths[i]
                        + " columns, got " + part.cols());
            }
            rows = part.rows();
            cols += part.cols();
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        float[][] joined = new float[rows][cols];
        int offset = 0;
        for (Matrix part : parts) {
            float[][] values = MatrixAccess.rows(part);   // read only
            for (int r = 0; r < rows; r++) {
                System.arraycopy(values[r], 0, joined[r], offset, values[r].length);
            }
            offset += part.cols();
        }
        return MatrixAccess.wrap(joined);
    }
}
