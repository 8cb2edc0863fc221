package dev.nncore.internal;

import dev.nncore.math.Matrix;

/**
 * Lets nn-core's own packages read a {@link Matrix}'s rows and wrap freshly computed rows without copying, which
 * the public API must always do. Callers promise never to modify rows they read, and never to keep or modify rows
 * after wrapping them: that promise is what keeps {@code Matrix} immutable.
 *
 * <p>This package is not exported by the module, so only nn-core can call it.
 */
public final class MatrixAccess {

    /** Implemented once, by {@code Matrix} itself, when its class initialises. */
    public interface Bridge {
        /** @return the matrix's backing rows, not copied */
        float[][] rows(Matrix matrix);

        /** @return a matrix backed by {@code rows}, which the caller hands over */
        Matrix wrap(float[][] rows);

        /** @return whether {@link #markFinite} was called on this matrix */
        boolean checkedFinite(Matrix matrix);

        /** Records that every value of the matrix is finite (it never changes, so that stays true). */
        void markFinite(Matrix matrix);
    }

    private static volatile Bridge bridge;

    private MatrixAccess() {
    }

    /**
     * Called by {@code Matrix}'s static initialiser.
     *
     * @param matrixBridge the bridge
     * @throws IllegalStateException if a bridge is already installed
     */
    public static synchronized void install(Bridge matrixBridge) {
        if (bridge != null) {
            throw new IllegalStateException("the Matrix bridge is installed once, by Matrix");
        }
        bridge = matrixBridge;
    }

    /**
     * @param matrix a matrix
     * @return its rows, not copied: read only
     */
    public static float[][] rows(Matrix matrix) {
        return bridge().rows(matrix);
    }

    /**
     * @param rows rows of equal, non-zero length, at least one; ownership passes to the matrix
     * @return a matrix backed by {@code rows}
     */
    public static Matrix wrap(float[][] rows) {
        return bridge().wrap(rows);
    }

    /**
     * @param matrix a matrix
     * @return whether a scan already found all its values finite
     */
    public static boolean checkedFinite(Matrix matrix) {
        return bridge().checkedFinite(matrix);
    }

    /** @param matrix a matrix whose values were all found finite */
    public static void markFinite(Matrix matrix) {
        bridge().markFinite(matrix);
    }

    private static Bridge bridge() {
        Bridge installed = bridge;
        if (installed == null) {
            Matrix.zeros(1, 1); // initialises Matrix, which installs the bridge
            installed = bridge;
        }
        return installed;
    }
}
