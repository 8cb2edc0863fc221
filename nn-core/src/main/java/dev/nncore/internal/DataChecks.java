package dev.nncore.internal;

import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;

/**
 * Checks of training data against a network, shared by {@code Network.gradients} and the trainers, with the
 * messages the public API promises: {@code x has 150 rows but y has 149},
 * {@code y has 2 columns but the network has 3 outputs}, {@code x has NaN at row 3, column 1}.
 */
public final class DataChecks {

    private DataChecks() {
    }

    /**
     * Checks shapes: {@code x} has one column per network input, {@code y} one row per row of {@code x} and one
     * column per network output.
     *
     * @param network the network
     * @param x inputs
     * @param y targets
     * @param xName what to call {@code x} in messages, e.g. {@code "x"} or {@code "validation x"}
     * @param yName what to call {@code y} in messages
     * @throws IllegalArgumentException naming both shapes if they disagree, or if an argument is null
     */
    public static void checkShapes(Network network, Matrix x, Matrix y, String xName, String yName) {
        Checks.notNull(network, "network");
        Checks.notNull(y, yName);
        checkInputs(network, x, y.rows(), xName, yName);
        if (y.cols() != network.outputs()) {
            throw new IllegalArgumentException(yName + " has " + y.cols() + " columns but the network has "
                    + plural(network.outputs(), "output") + " (" + yName + " is " + y.shape() + ", network " + network
                    + ")" + (network.outputs() > 1 && y.cols() == 1 ? "; one-hot encode class labels" : ""));
        }
    }

    /** The inputs' width, and one target row per input row. */
    private static void checkInputs(Network network, Matrix x, int targetRows, String xName, String yName) {
        Checks.notNull(x, xName);
        if (x.cols() != network.inputs()) {
            throw new IllegalArgumentException(xName + " has " + x.cols() + " columns but the network has "
                    + plural(network.inputs(), "input") + " (" + xName + " is " + x.shape() + ", network " + network + ")");
        }
        if (x.rows() != targetRows) {
            throw new IllegalArgumentException(xName + " has " + x.rows() + " rows but " + yName + " has " + targetRows
                    + "; give one target row per input row");
        }
    }

    /**
     * Checks shapes as {@link #checkShapes(Network, Matrix, Matrix, String, String)} does, for a loss: a loss with
     * sparse targets ({@code sparse_categorical_crossentropy}) takes one column of class indices, each checked.
     *
     * @param network the network
     * @param x inputs
     * @param y targets
     * @param xName what to call {@code x} in messages
     * @param yName what to call {@code y} in messages
     * @param loss the loss the targets are for; null checks as for a loss with dense targets
     * @throws IllegalArgumentException naming both shapes if they disagree, or the first label out of range
     */
    public static void checkShapes(Network network, Matrix x, Matrix y, String xName, String yName, Loss loss) {
        if (loss == null || !loss.sparseTargets()) {
            checkShapes(network, x, y, xName, yName);
            return;
        }
        Checks.notNull(network, "network");
        Checks.notNull(y, yName);
        if (y.cols() != 1) {
            throw new IllegalArgumentException(yName + " has " + y.cols() + " columns but " + loss.kerasName()
                    + " takes one column of class indices (" + yName + " is " + y.shape() + ", network " + network
                    + "); pass the labels, or use categorical_crossentropy for one-hot targets");
        }
        checkInputs(network, x, y.rows(), xName, yName);
        Labels.check(y, network.outputs(), yName);
    }

    /**
     * Checks that every value is finite.
     *
     * @param matrix the data
     * @param name what to call it in the message
     * @throws IllegalArgumentException naming the first non-finite value's row and column
     */
    public static void checkFinite(Matrix matrix, String name) {
        if (MatrixAccess.checkedFinite(matrix)) {
            return; // a matrix never changes: once scanned, fitting it again needs no second scan
        }
        float[][] rows = MatrixAccess.rows(matrix);
        for (int r = 0; r < rows.length; r++) {
            float[] row = rows[r];
            for (int c = 0; c < row.length; c++) {
                if (!Float.isFinite(row[c])) {
                    throw new IllegalArgumentException(name + " has " + row[c] + " at row " + r + ", column " + c
                            + "; training needs finite numbers (drop or impute missing values first)");
                }
            }
        }
        MatrixAccess.markFinite(matrix);
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
