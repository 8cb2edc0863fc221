package dev.nncore.train;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Loss;
import dev.nncore.Network;
import java.util.List;

/**
 * The network's forward pass and Keras's loss in float64, over a working copy of the weights that callers nudge in
 * place: what finite differences need. A float32 forward rounds each output to ~1e-7 relative, the same size as the
 * change a nudge of 1e-4 makes to the loss, so the difference quotient would be mostly rounding; in float64 the
 * weights are the network's float32 values exactly and the quotient keeps ~12 significant digits, as the seed book's
 * numpy does.
 *
 * <p>Weights are one flat array per tensor in Keras order: a kernel row-major ({@code [k * units + j]}), a bias.
 * Buffers are kept per batch size, so {@link #loss} allocates nothing once warm. Not thread-safe.
 */
final class Float64Forward {

    /** Keras's clip bounds for probabilities: {@code epsilon()} = 1e-7 in float32, and 1 minus it. */
    private static final double CLIP_LOW = 1e-7f;
    private static final double CLIP_HIGH = 1f - 1e-7f;

    private final Activation[] activations;
    private final int[] inputs;
    private final int[] units;
    private final Loss loss;
    private final double[][] weights;

    private double[][][] outputs;
    private int rows = -1;
    private long passes;

    Float64Forward(Network network, Loss loss) {
        List<Dense> layers = network.layers();
        activations = new Activation[layers.size()];
        inputs = new int[layers.size()];
        units = new int[layers.size()];
        weights = new double[2 * layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            Dense layer = layers.get(l);
            activations[l] = layer.activation();
            inputs[l] = layer.inputs();
            units[l] = layer.units();
            weights[2 * l] = new double[inputs[l] * units[l]];
            weights[2 * l + 1] = new double[units[l]];
        }
        this.loss = loss;
        switch (loss) {
            case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR, BINARY_CROSSENTROPY, CATEGORICAL_CROSSENTROPY -> { }
            default -> throw new IllegalArgumentException("finite differences have no float64 form of " + loss + " yet");
        }
    }

    /** Copies float32 weights (Keras order, biases {@code [1][units]}) into the working copy. */
    void load(List<float[][]> tensors) {
        for (int t = 0; t < weights.length; t++) {
            float[][] tensor = tensors.get(t);
            double[] flat = weights[t];
            int cols = tensor[0].length;
            for (int r = 0; r < tensor.length; r++) {
                for (int c = 0; c < cols; c++) {
                    flat[r * cols + c] = tensor[r][c];
                }
            }
        }
    }

    /** The working copy, one flat array per tensor; callers nudge and restore values in place. */
    double[][] weights() {
        return weights;
    }

    /** @return forward passes run so far (each call of {@link #loss} is one) */
    long passes() {
        return passes;
    }

    /** The mean loss over the rows at the working weights; outputs stay in {@link #outputs()}. */
    double loss(float[][] x, float[][] y) {
        passes++;
        if (rows != x.length) {
            rows = x.length;
            outputs = new double[units.length][][];
            for (int l = 0; l < units.length; l++) {
                outputs[l] = new double[rows][units[l]];
            }
        }
        for (int l = 0; l < units.length; l++) {
            double[] kernel = weights[2 * l];
            double[] bias = weights[2 * l + 1];
            int width = units[l];
            for (int i = 0; i < rows; i++) {
                double[] out = outputs[l][i];
                java.util.Arrays.fill(out, 0);
                for (int k = 0; k < inputs[l]; k++) {
                    double a = l == 0 ? x[i][k] : outputs[l - 1][i][k];
                    int offset = k * width;
                    for (int j = 0; j < width; j++) {
                        out[j] += a * kernel[offset + j];
                    }
                }
                for (int j = 0; j < width; j++) {
                    out[j] += bias[j];
                }
                activate(activations[l], out);
            }
        }
        double[][] predicted = outputs[units.length - 1];
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            sum += sampleLoss(predicted[i], y[i]);
        }
        return sum / rows;
    }

    /** @return the outputs of the last {@link #loss} call, one row per sample; read only */
    double[][] outputs() {
        return outputs[units.length - 1];
    }

    private static void activate(Activation activation, double[] z) {
        switch (activation) {
            case LINEAR -> { }
            case RELU -> {
                for (int j = 0; j < z.length; j++) {
                    if (z[j] <= 0) {
                        z[j] = 0;
                    }
                }
            }
            case SIGMOID -> {
                for (int j = 0; j < z.length; j++) {
                    z[j] = z[j] >= 0 ? 1 / (1 + Math.exp(-z[j])) : Math.exp(z[j]) / (1 + Math.exp(z[j]));
                }
            }
            case TANH -> {
                for (int j = 0; j < z.length; j++) {
                    z[j] = Math.tanh(z[j]);
                }
            }
            case SOFTMAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double value : z) {
                    max = Math.max(max, value);
                }
                double sum = 0;
                for (int j = 0; j < z.length; j++) {
                    z[j] = Math.exp(z[j] - max);
                    sum += z[j];
                }
                for (int j = 0; j < z.length; j++) {
                    z[j] /= sum;
                }
            }
            default -> throw new IllegalStateException("no float64 form of activation " + activation);
        }
    }

    private double sampleLoss(double[] p, float[] t) {
        double sum = 0;
        switch (loss) {
            case MEAN_SQUARED_ERROR -> {
                for (int j = 0; j < p.length; j++) {
                    double error = p[j] - t[j];
                    sum += error * error;
                }
                return sum / p.length;
            }
            case MEAN_ABSOLUTE_ERROR -> {
                for (int j = 0; j < p.length; j++) {
                    sum += Math.abs(p[j] - t[j]);
                }
                return sum / p.length;
            }
            case BINARY_CROSSENTROPY -> {
                for (int j = 0; j < p.length; j++) {
                    double q = clip(p[j]);
                    sum -= t[j] * Math.log(q) + (1.0 - t[j]) * Math.log(1.0 - q);
                }
                return sum / p.length;
            }
            case CATEGORICAL_CROSSENTROPY -> {
                double rowSum = 0;
                for (double value : p) {
                    rowSum += value;
                }
                for (int j = 0; j < p.length; j++) {
                    sum -= t[j] * Math.log(clip(p[j] / rowSum));
                }
                return sum;
            }
            default -> throw new IllegalStateException("no float64 form of " + loss);
        }
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, CLIP_LOW), CLIP_HIGH);
    }
}
