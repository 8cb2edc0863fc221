package dev.nncore.math;

/**
 * The float32 kernels behind {@link Matrix} and the layers, at the level of plain arrays: the fast call that
 * writes into a buffer the caller supplies, where {@link Matrix#multiply(Matrix)} is the simple call that
 * allocates its result.
 *
 * <pre>{@code
 * float[][] a = {{1, 2}, {3, 4}};
 * float[][] b = {{5}, {6}};
 * float[][] out = new float[2][1];
 * MatrixOps.multiply(a, b, out);                                   // out = {{17}, {39}}
 * MatrixOps.affine(a, b, new float[] {0.5f}, out);                  // out = {{17.5}, {39.5}}
 * }</pre>
 *
 * <p>Arrays are row-major ({@code a[row][col]}); inputs are never modified and {@code out} is overwritten. An
 * {@code out} that shares a row array with an input is rejected, because the kernels read inputs while writing.
 * Each output element is the sum over {@code k} in increasing order, and the bias is added after the sum, as
 * Keras's {@code matmul} then {@code bias_add} does: results do not depend on how the loops are blocked.
 *
 * <p>Stateless and thread-safe; callers own their arrays.
 *
 * @since 0.1.0
 */
public final class MatrixOps {

    private MatrixOps() {
    }

    /**
     * {@code out = a · b}.
     *
     * @param a left matrix, {@code m x k}; not modified
     * @param b right matrix, {@code k x n}; not modified
     * @param out result, {@code m x n}; overwritten
     * @throws IllegalArgumentException if shapes disagree or {@code out} shares a row with {@code a} or {@code b}
     */
    public static void multiply(float[][] a, float[][] b, float[][] out) {
        affine(a, b, null, out);
    }

    /**
     * {@code out = a · b + bias}, the bias added to every row: a Dense layer before its activation.
     *
     * @param a inputs, {@code m x k}; not modified
     * @param b kernel, {@code k x n}; not modified
     * @param bias bias of length {@code n}, or {@code null} for none; not modified
     * @param out result, {@code m x n}; overwritten
     * @throws IllegalArgumentException if shapes disagree or {@code out} shares a row with an input
     */
    public static void affine(float[][] a, float[][] b, float[] bias, float[][] out) {
        checkShapes(a, b, bias, out);
        PlainKernel.affine(a, b, bias, out, 0, a.length);
    }

    /**
     * {@code out = x · b + bias} for one row vector {@code x}.
     *
     * @param x the input row, length {@code k}; not modified
     * @param b kernel, {@code k x n}; not modified
     * @param bias bias of length {@code n}, or {@code null} for none; not modified
     * @param out result of length {@code n}; overwritten
     * @throws IllegalArgumentException if lengths disagree or {@code out} is {@code x} or a bias or kernel row
     */
    public static void affine(float[] x, float[][] b, float[] bias, float[] out) {
        int inner = checkKernel(b, bias);
        checkRow(x, out, b, bias, 0);
        affineRow(x, b, inner, bias, out);
    }

    /**
     * One output row in i-k-j order: the innermost loop runs over contiguous, separate arrays from index 0, which
     * is the shape of loop C2 turns into SIMD code (see the project's performance notes). A zero in {@code x} is
     * not skipped, so NaN and infinity in the kernel propagate as IEEE arithmetic says.
     */
    private static void affineRow(float[] x, float[][] b, int inner, float[] bias, float[] out) {
        java.util.Arrays.fill(out, 0f);
        for (int k = 0; k < inner; k++) {
            float xk = x[k];
            float[] bRow = b[k];
            for (int j = 0; j < out.length; j++) {
                out[j] += xk * bRow[j];
            }
        }
        if (bias != null) {
            for (int j = 0; j < out.length; j++) {
                out[j] += bias[j];
            }
        }
    }

    private static int checkShapes(float[][] a, float[][] b, float[] bias, float[][] out) {
        if (a == null || out == null) {
            throw new IllegalArgumentException("MatrixOps needs non-null arrays");
        }
        if (a.length != out.length) {
            throw new IllegalArgumentException("out has " + out.length + " rows, expected " + a.length + " (one per row of a)");
        }
        int inner = checkKernel(b, bias);
        for (int i = 0; i < a.length; i++) {
            checkRow(a[i], out[i], b, bias, i);
        }
        return inner;
    }

    private static int checkKernel(float[][] b, float[] bias) {
        if (b == null || b.length == 0) {
            throw new IllegalArgumentException("b must have at least one row");
        }
        int n = b[0] == null ? 0 : b[0].length;
        for (int k = 0; k < b.length; k++) {
            if (b[k] == null || b[k].length != n || n == 0) {
                throw new IllegalArgumentException("b row " + k + " has " + (b[k] == null ? "no" : b[k].length)
                        + " values, expected " + n + " like row 0");
            }
        }
        if (bias != null && bias.length != n) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + n + " (b's columns)");
        }
        return b.length;
    }

    private static void checkRow(float[] x, float[] out, float[][] b, float[] bias, int row) {
        if (x == null || x.length != b.length) {
            throw new IllegalArgumentException("a row " + row + " has " + (x == null ? "no" : x.length)
                    + " values, but b has " + b.length + " rows");
        }
        if (out == null || out.length != b[0].length) {
            throw new IllegalArgumentException("out row " + row + " has " + (out == null ? "no" : out.length)
                    + " values, expected " + b[0].length);
        }
        if (out == x || out == bias) {
            throw new IllegalArgumentException("out row " + row + " is also an input; pass a separate buffer");
        }
        for (float[] bRow : b) {
            if (out == bRow) {
                throw new IllegalArgumentException("out row " + row + " is also a row of b; pass a separate buffer");
            }
        }
    }
}
