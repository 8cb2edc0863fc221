package dev.nncore.benchmarks;

import dev.nncore.internal.Kernels;
import dev.nncore.math.MatrixOps;
import java.util.Arrays;
import java.util.List;

/**
 * A prototype, measured before the library builds it: the SGD step of a 784-W-10 ReLU/softmax network with the hidden
 * layer's units cut between nn-core's threads ({@link Kernels#runParts}, the hand-over the library's own splits use).
 * Each part holds its units' columns of the first kernel, their biases and their rows of the output kernel in arrays of
 * its own; it computes its columns of the hidden layer and their partial product with the output kernel, then, after the
 * loss, its rows of the output kernel's gradient, its columns of the hidden layer's gradient and of the first kernel's,
 * and updates its own weights. Only the partial logits (batch x 10 per part) and the output delta cross between the
 * cores, and the output layer's products are shared too; with the first layer cut by inputs instead (the library's
 * {@code InputSplit}) the output layer, the loss and their gradients run on one thread between the shared parts.
 *
 * <p>With {@code standardLayout} the first kernel is also held as the library's training run holds it, one
 * {@code [784][W]} array of rows in two sets that alternate (the update writes the next set from the current one): each
 * part copies its columns out of the current set before its forward product and writes its update into the other, so
 * the cache line at the boundary of the two parts' columns in every row is written by both cores each step.
 *
 * <p>Not part of the library: the products are {@link MatrixOps}'s, and the elementwise passes plain loops. The arrays
 * are allocated once; a step allocates nothing.
 */
final class UnitSplitPrototype implements Kernels.Parts {

    private static final int FORWARD = 0;
    private static final int BACKWARD = 1;
    private final int parts;
    private final int outputs;
    private final float learningRate;
    private final float[][][] kernel1;
    private final float[][] bias1;
    private final float[][][] kernel2;
    private final float[] bias2;
    private final float[][][] hidden;
    private final float[][][] logits;
    private final float[][][] hiddenDelta;
    private final float[][][] gradient1;
    private final float[][] biasGradient1;
    private final float[][][] gradient2;
    private final int[] firstUnit;
    private final float[][] outputDelta;
    private final float[][][] standard;
    private int current;
    private float[][] x;
    private int phase;

    /**
     * @param weights the network's weights in Keras order: kernel {@code [784][W]}, bias, kernel {@code [W][10]}, bias;
     *     copied
     * @param parts how many parts cut the hidden units
     * @param batch rows per step
     */
    UnitSplitPrototype(List<float[][]> weights, int parts, int batch, float learningRate, boolean standardLayout) {
        float[][] k1 = weights.get(0);
        float[][] k2 = weights.get(2);
        int inputs = k1.length;
        int width = k1[0].length;
        this.parts = parts;
        this.outputs = k2[0].length;
        this.learningRate = learningRate;
        kernel1 = new float[parts][][];
        bias1 = new float[parts][];
        kernel2 = new float[parts][][];
        hidden = new float[parts][][];
        logits = new float[parts][][];
        hiddenDelta = new float[parts][][];
        gradient1 = new float[parts][][];
        biasGradient1 = new float[parts][];
        gradient2 = new float[parts][][];
        firstUnit = new int[parts + 1];
        for (int p = 0; p <= parts; p++) {
            firstUnit[p] = Kernels.rowBound(width, p, parts);
        }
        for (int p = 0; p < parts; p++) {
            int from = firstUnit[p];
            int units = firstUnit[p + 1] - from;
            kernel1[p] = new float[inputs][];
            for (int k = 0; k < inputs; k++) {
                kernel1[p][k] = Arrays.copyOfRange(k1[k], from, from + units);
            }
            bias1[p] = Arrays.copyOfRange(weights.get(1)[0], from, from + units);
            kernel2[p] = new float[units][];
            for (int u = 0; u < units; u++) {
                kernel2[p][u] = k2[from + u].clone();
            }
            hidden[p] = new float[batch][units];
            logits[p] = new float[batch][outputs];
            hiddenDelta[p] = new float[batch][units];
            gradient1[p] = new float[inputs][units];
            biasGradient1[p] = new float[units];
            gradient2[p] = new float[units][outputs];
        }
        bias2 = weights.get(3)[0].clone();
        outputDelta = new float[batch][outputs];
        if (standardLayout) {
            standard = new float[2][inputs][];
            for (int k = 0; k < inputs; k++) {
                standard[0][k] = k1[k].clone();
                standard[1][k] = k1[k].clone();
            }
        } else {
            standard = null;
        }
    }

    /** One SGD step on {@code xb}, {@code yb} (one-hot rows); returns the batch's mean categorical cross-entropy. */
    double step(float[][] xb, float[][] yb) {
        x = xb;
        phase = FORWARD;
        Kernels.runParts(this, parts);
        int n = xb.length;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            float[] row = outputDelta[i];
            System.arraycopy(logits[0][i], 0, row, 0, outputs);
            for (int p = 1; p < parts; p++) {
                float[] add = logits[p][i];
                for (int c = 0; c < outputs; c++) {
                    row[c] += add[c];
                }
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < outputs; c++) {
                row[c] += bias2[c];
                max = Math.max(max, row[c]);
            }
            double sum = 0;
            for (int c = 0; c < outputs; c++) {
                row[c] = (float) Math.exp(row[c] - max);
                sum += row[c];
            }
            float[] y = yb[i];
            for (int c = 0; c < outputs; c++) {
                float probability = (float) (row[c] / sum);
                if (y[c] != 0) {
                    loss -= y[c] * Math.log(Math.max(probability, 1e-7f));
                }
                row[c] = (probability - y[c]) / n;
            }
        }
        phase = BACKWARD;
        Kernels.runParts(this, parts);
        for (int c = 0; c < outputs; c++) {
            float sum = 0;
            for (int i = 0; i < n; i++) {
                sum += outputDelta[i][c];
            }
            bias2[c] -= learningRate * sum;
        }
        if (standard != null) {
            current = 1 - current;
        }
        x = null;
        return loss / n;
    }

    /** @return the first kernel's row {@code k}, joined from the parts (tests of the prototype against the library) */
    float[] kernel1Row(int k) {
        float[] row = new float[firstUnit[parts]];
        for (int p = 0; p < parts; p++) {
            float[] own = standard != null ? Arrays.copyOfRange(standard[current][k], firstUnit[p], firstUnit[p + 1])
                    : kernel1[p][k];
            System.arraycopy(own, 0, row, firstUnit[p], own.length);
        }
        return row;
    }

    @Override
    public void run(int part) {
        if (phase == FORWARD) {
            forward(part);
        } else {
            backward(part);
        }
    }

    private void forward(int p) {
        float[][] k1 = kernel1[p];
        int from = firstUnit[p];
        int units = firstUnit[p + 1] - from;
        if (standard != null) {
            float[][] set = standard[current];
            for (int k = 0; k < k1.length; k++) {
                System.arraycopy(set[k], from, k1[k], 0, units);
            }
        }
        float[][] h = hidden[p];
        MatrixOps.affine(x, k1, bias1[p], h);
        for (float[] row : h) {
            for (int u = 0; u < units; u++) {
                row[u] = Math.max(row[u], 0f);
            }
        }
        MatrixOps.multiply(h, kernel2[p], logits[p]);
    }

    private void backward(int p) {
        float[][] h = hidden[p];
        float[][] dh = hiddenDelta[p];
        float[][] k2 = kernel2[p];
        int units = h[0].length;
        MatrixOps.multiplyTransposedA(h, outputDelta, gradient2[p]);
        MatrixOps.multiplyTransposedB(outputDelta, k2, dh);
        for (int i = 0; i < dh.length; i++) {
            float[] d = dh[i];
            float[] a = h[i];
            for (int u = 0; u < units; u++) {
                // ReLU's gradient without a branch (a >= 0 here): keep d where a > 0
                d[u] = Float.intBitsToFloat(Float.floatToRawIntBits(d[u]) & (-Float.floatToRawIntBits(a[u]) >> 31));
            }
        }
        float[][] g1 = gradient1[p];
        MatrixOps.multiplyTransposedA(x, dh, g1);
        float[] b1 = bias1[p];
        float[] db1 = biasGradient1[p];
        Arrays.fill(db1, 0);
        for (float[] d : dh) {
            for (int u = 0; u < units; u++) {
                db1[u] += d[u];
            }
        }
        float rate = learningRate;
        if (standard != null) {
            int from = firstUnit[p];
            float[][] now = standard[current];
            float[][] next = standard[1 - current];
            for (int k = 0; k < g1.length; k++) {
                float[] w = now[k];
                float[] o = next[k];
                float[] g = g1[k];
                for (int u = 0; u < units; u++) {
                    o[from + u] = w[from + u] - rate * g[u];
                }
            }
        } else {
            float[][] k1 = kernel1[p];
            for (int k = 0; k < g1.length; k++) {
                float[] w = k1[k];
                float[] g = g1[k];
                for (int u = 0; u < units; u++) {
                    w[u] -= rate * g[u];
                }
            }
        }
        for (int u = 0; u < units; u++) {
            b1[u] -= rate * db1[u];
        }
        float[][] g2 = gradient2[p];
        for (int u = 0; u < units; u++) {
            float[] w = k2[u];
            float[] g = g2[u];
            for (int c = 0; c < outputs; c++) {
                w[c] -= rate * g[c];
            }
        }
    }
}
