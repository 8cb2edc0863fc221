package dev.nncore.testing;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately plain float64 forward pass and Keras loss, written apart from nn-core's own code, so that central
 * finite differences of it are an independent and precise check of the float32 backprop: a float32 forward would
 * drown a small nudge in rounding (its outputs carry ~1e-7 relative error, the same size as the change that a step
 * of 1e-6 makes), while float64 keeps the rounding error of the difference quotient near 1e-16 / step.
 */
public final class Float64Reference {

    /** Keras's clip bounds, {@code epsilon()} = 1e-7 in float32. */
    private static final double LOW = 1e-7f;
    private static final double HIGH = 1f - 1e-7f;

    private final Activation[] activations;
    private final double[][][] weights; // per tensor, [rows][cols]

    public Float64Reference(Network network) {
        List<Dense> layers = network.layers().stream().map(layer -> (Dense) layer).toList();
        activations = new Activation[layers.size()];
        List<Matrix> w = network.getWeights();
        weights = new double[w.size()][][];
        for (int t = 0; t < w.size(); t++) {
            float[][] values = w.get(t).toArray();
            weights[t] = new double[values.length][values[0].length];
            for (int r = 0; r < values.length; r++) {
                for (int c = 0; c < values[r].length; c++) {
                    weights[t][r][c] = values[r][c];
                }
            }
        }
        for (int l = 0; l < layers.size(); l++) {
            activations[l] = layers.get(l).activation();
        }
    }

    /** The tensors, for nudging in place. */
    public double[][][] weights() {
        return weights;
    }

    public double[][] forward(double[][] x) {
        double[][] a = x;
        for (int l = 0; l < activations.length; l++) {
            double[][] kernel = weights[2 * l];
            double[] bias = weights[2 * l + 1][0];
            double[][] z = new double[a.length][bias.length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < bias.length; j++) {
                    double sum = bias[j];
                    for (int k = 0; k < kernel.length; k++) {
                        sum += a[i][k] * kernel[k][j];
                    }
                    z[i][j] = sum;
                }
                activate(activations[l], z[i]);
            }
            a = z;
        }
        return a;
    }

    public double loss(double[][] x, double[][] y, Loss loss) {
        double[][] p = forward(x);
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            total += sampleLoss(loss, p[i], y[i]);
        }
        return total / p.length;
    }

    /** Central differences of {@link #loss} for every weight, in Keras order. */
    public List<double[][]> centralDifferences(double[][] x, double[][] y, Loss loss, double step) {
        List<double[][]> out = new ArrayList<>();
        for (double[][] tensor : weights) {
            double[][] g = new double[tensor.length][tensor[0].length];
            for (int r = 0; r < tensor.length; r++) {
                for (int c = 0; c < tensor[r].length; c++) {
                    double w = tensor[r][c];
                    tensor[r][c] = w + step;
                    double plus = loss(x, y, loss);
                    tensor[r][c] = w - step;
                    double minus = loss(x, y, loss);
                    tensor[r][c] = w;
                    g[r][c] = (plus - minus) / (2 * step);
                }
            }
            out.add(g);
        }
        return out;
    }

    public static double[][] toDoubles(Matrix m) {
        float[][] values = m.toArray();
        double[][] out = new double[values.length][values[0].length];
        for (int r = 0; r < values.length; r++) {
            for (int c = 0; c < values[r].length; c++) {
                out[r][c] = values[r][c];
            }
        }
        return out;
    }

    static void activate(Activation activation, double[] z) {
        switch (activation.kerasName()) {
            case "linear" -> { }
            case "relu" -> {
                for (int j = 0; j < z.length; j++) {
                    z[j] = Math.max(z[j], 0);
                }
            }
            case "sigmoid" -> {
                for (int j = 0; j < z.length; j++) {
                    z[j] = 1 / (1 + Math.exp(-z[j]));
                }
            }
            case "tanh" -> {
                for (int j = 0; j < z.length; j++) {
                    z[j] = Math.tanh(z[j]);
                }
            }
            case "softmax" -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    max = Math.max(max, v);
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
            default -> throw new IllegalArgumentException(activation.toString());
        }
    }

    static double sampleLoss(Loss loss, double[] p, double[] t) {
        double sum = 0;
        if (loss == Loss.MEAN_SQUARED_ERROR) {
            for (int j = 0; j < p.length; j++) {
                sum += (p[j] - t[j]) * (p[j] - t[j]);
            }
            return sum / p.length;
        }
        if (loss == Loss.MEAN_ABSOLUTE_ERROR) {
            for (int j = 0; j < p.length; j++) {
                sum += Math.abs(p[j] - t[j]);
            }
            return sum / p.length;
        }
        if (loss == Loss.BINARY_CROSSENTROPY) {
            for (int j = 0; j < p.length; j++) {
                double c = Math.min(Math.max(p[j], LOW), HIGH);
                sum -= t[j] * Math.log(c) + (1 - t[j]) * Math.log(1 - c);
            }
            return sum / p.length;
        }
        if (loss == Loss.CATEGORICAL_CROSSENTROPY) {
            double rowSum = 0;
            for (double v : p) {
                rowSum += v;
            }
            for (int j = 0; j < p.length; j++) {
                sum -= t[j] * Math.log(Math.min(Math.max(p[j] / rowSum, LOW), HIGH));
            }
            return sum;
        }
        throw new IllegalArgumentException(loss.toString());
    }
}
