package dev.nncore.metrics;

import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;

/** Class indices from targets and predictions, the one rule every classification metric here uses. */
final class Classes {

    private Classes() {
    }

    /** True classes: the argmax of one-hot rows (first on ties), or one column of whole numbers from 0. */
    static int[] fromTargets(Matrix y) {
        int[] classes = new int[y.rows()];
        for (int r = 0; r < classes.length; r++) {
            if (y.cols() == 1) {
                float value = y.get(r, 0);
                if (value != Math.rint(value) || value < 0) {
                    throw new IllegalArgumentException("y_true row " + r + " is " + value
                            + "; one column of targets must hold class indices (whole numbers from 0)");
                }
                classes[r] = (int) value;
            } else {
                classes[r] = argmax(MatrixAccess.rows(y)[r]);   // read only: no copy per row
            }
        }
        return classes;
    }

    /** Predicted classes: the argmax of each row (first on ties), or {@code p > 0.5} for one column. */
    static int[] fromPredictions(Matrix y) {
        int[] classes = new int[y.rows()];
        for (int r = 0; r < classes.length; r++) {
            classes[r] = y.cols() == 1 ? (y.get(r, 0) > 0.5f ? 1 : 0) : argmax(MatrixAccess.rows(y)[r]);
        }
        return classes;
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    static void sameRows(Matrix yTrue, Matrix yPred) {
        if (yTrue == null || yPred == null) {
            throw new IllegalArgumentException("y_true and y_pred must not be null");
        }
        if (yTrue.rows() != yPred.rows()) {
            throw new IllegalArgumentException("y_true has " + yTrue.rows() + " rows but y_pred has " + yPred.rows());
        }
    }

    static void sameShape(Matrix yTrue, Matrix yPred, String metric) {
        sameRows(yTrue, yPred);
        if (yTrue.cols() != yPred.cols()) {
            throw new IllegalArgumentException(metric + " needs y_true and y_pred of the same shape, got "
                    + yTrue.shape() + " and " + yPred.shape());
        }
    }
}
