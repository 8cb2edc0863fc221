package dev.nncore.activations;

import dev.nncore.internal.FloatExp;
import dev.nncore.internal.Kernels;

/**
 * {@code f(x)_j = e^(x_j - max) / sum_k e^(x_k - max)} over each row: subtracting the row's maximum keeps every
 * exponential in (0, 1], so inputs like 1000 still give a row summing to 1. A NaN anywhere makes the row NaN.
 * In float arithmetic: each {@code e^(x_j - max)} in float within 1-2 ulp, with the difference taken exactly, their
 * sum in double, each term divided by that sum rounded to float; within a few ulp of the formula in double.
 * The gradient is the Jacobian-vector product {@code dz_j = a_j (g_j - sum_k g_k a_k)}.
 */
public final class Softmax extends ActivationFunction {

    @Override
    public String kerasName() {
        return "softmax";
    }

    @Override
    public void apply(float[] row) {
        if (row.length == 1) {
            // e^(x - x) / e^(x - x): 1, or NaN where x - x is NaN (x infinite or NaN), without the exponential's latency
            row[0] = row[0] - row[0] == 0 ? 1f : Float.NaN;
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float value : row) {
            max = Math.max(max, value); // Math.max propagates NaN, so a NaN row stays NaN
        }
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            row[i] = FloatExp.expOfDifference(row[i], max); // each term is in (0, 1], the max's is 1
            sum += row[i];
        }
        float total = (float) sum;
        for (int i = 0; i < row.length; i++) {
            row[i] /= total;
        }
    }

    /**
     * Each row as {@link #apply(float[])} computes it, bit for bit; the Vector API kernel runs a batch of rows of one
     * width a vector's width of rows at a time (a 784-128-10 batch of 256: about 4 us instead of 25-35), the plain
     * kernels row by row.
     */
    @Override
    public void apply(float[][] rows) {
        if (!Kernels.softmax(rows, 0, rows.length)) {
            super.apply(rows);
        }
    }

    @Override
    public void apply(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double value : row) {
            max = Math.max(max, value);
        }
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            row[i] = Math.exp(row[i] - max);
            sum += row[i];
        }
        for (int i = 0; i < row.length; i++) {
            row[i] /= sum;
        }
    }

    @Override
    public void gradient(float[] z, float[] a, float[] upstream, float[] out) {
        double dot = 0;
        for (int j = 0; j < a.length; j++) {
            dot += (double) upstream[j] * a[j];
        }
        for (int j = 0; j < a.length; j++) {
            out[j] = (float) (a[j] * (upstream[j] - dot));
        }
    }

    @Override
    public boolean needsInput() {
        return false;
    }
}
