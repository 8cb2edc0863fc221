package dev.nncore.internal;

import dev.nncore.math.Matrix;

/** Checks of sparse class labels, shared by the losses and the data checks. */
public final class Labels {

    private Labels() {
    }

    /**
     * Checks a column of class indices: each an integer in {@code [0, outputs)}.
     *
     * @param labels one column, one label per row
     * @param outputs the number of classes
     * @param name what to call the labels in the message
     * @throws IllegalArgumentException {@code label 7 is out of range for 3 outputs (row 12)}
     */
    public static void check(Matrix labels, int outputs, String name) {
        float[][] rows = MatrixAccess.rows(labels);
        for (int r = 0; r < rows.length; r++) {
            float label = rows[r][0];
            if (label != (int) label || label < 0 || label >= outputs) {
                String shown = label == (int) label ? String.valueOf((int) label) : String.valueOf(label);
                throw new IllegalArgumentException("label " + shown + " is out of range for " + outputs + " outputs (row " + r
                        + " of " + name + "); sparse_categorical_crossentropy takes integer class indices 0.."
                        + (outputs - 1));
            }
        }
    }
}
