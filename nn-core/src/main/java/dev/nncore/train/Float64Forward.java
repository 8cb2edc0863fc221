package dev.nncore.train;

import dev.nncore.Layer;
import dev.nncore.Loss;
import dev.nncore.Network;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The network's forward pass and Keras's loss in float64, over a working copy of the weights that callers nudge in
 * place: what finite differences need. A float32 forward rounds each output to ~1e-7 relative, the same size as the
 * change a nudge of 1e-4 makes to the loss, so the difference quotient would be mostly rounding; in float64 the
 * weights are the network's float32 values exactly and the quotient keeps ~12 significant digits, as the cookbook's
 * numpy does. Each layer computes its own float64 form ({@link Layer#forward64}).
 *
 * <p>Weights are one flat array per tensor in Keras order: a kernel row-major ({@code [k * units + j]}), a 1-D weight
 * as it is. In training mode the Dropout masks and noise replay the same draws on every call until {@link #reseed},
 * so that nudged losses differ only by the nudge. Buffers are kept per batch size, so {@link #loss} allocates nothing
 * once warm. Not thread-safe.
 */
final class Float64Forward {

    /** Keras's clip bounds for probabilities: {@code epsilon()} = 1e-7 in float32, and 1 minus it. */
    private static final double CLIP_LOW = 1e-7f;
    private static final double CLIP_HIGH = 1f - 1e-7f;

    private final List<Layer> layers;
    private final Loss loss;
    private final double[][] weights;
    private final double[][][] layerWeights;
    private final boolean[] trainable;
    private final Replay random = new Replay();

    private double[][] input;
    private double[][][] outputs;
    private int rows = -1;
    private long passes;

    Float64Forward(Network network, Loss loss) {
        layers = network.layers();
        List<Boolean> flags = network.trainable();
        weights = new double[flags.size()][];
        trainable = new boolean[flags.size()];
        layerWeights = new double[layers.size()][][];
        int t = 0;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            layerWeights[l] = new double[layer.weightNames().size()][];
            for (int i = 0; i < layerWeights[l].length; i++, t++) {
                int[] shape = layer.weightShape(i);
                weights[t] = new double[shape.length == 1 ? shape[0] : shape[0] * shape[1]];
                trainable[t] = flags.get(t);
                layerWeights[l][i] = weights[t];
            }
        }
        this.loss = loss;
        switch (loss) {
            case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR, BINARY_CROSSENTROPY, CATEGORICAL_CROSSENTROPY -> { }
            default -> throw new IllegalArgumentException("finite differences have no float64 form of " + loss + " yet");
        }
    }

    /** Copies float32 weights (Keras order, 1-D weights {@code [1][n]}) into the working copy. */
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

    /** @return whether the optimizer trains tensor {@code t} */
    boolean isTrainable(int t) {
        return trainable[t];
    }

    /** New Dropout masks and noise for the next batch's calls. */
    void reseed(long seed) {
        random.seed = seed;
    }

    /** @return forward passes run so far (each call of {@link #loss} is one) */
    long passes() {
        return passes;
    }

    /** The mean loss over the rows at the working weights; outputs stay in {@link #outputs()}. */
    double loss(float[][] x, float[][] y, boolean training) {
        passes++;
        if (rows != x.length) {
            rows = x.length;
            input = new double[rows][x[0].length];
            outputs = new double[layers.size()][][];
            for (int l = 0; l < layers.size(); l++) {
                outputs[l] = new double[rows][layers.get(l).outputs()];
            }
        }
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < x[i].length; k++) {
                input[i][k] = x[i][k];
            }
        }
        random.state = random.seed;
        double[][] in = input;
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).forward64(layerWeights[l], in, outputs[l], training, random);
            in = outputs[l];
        }
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            sum += sampleLoss(in[i], y[i]);
        }
        return sum / rows;
    }

    /** @return the outputs of the last {@link #loss} call, one row per sample; read only */
    double[][] outputs() {
        return outputs[layers.size() - 1];
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

    /** SplitMix64 that can start over from its seed without allocating: the same draws on every call. */
    private static final class Replay implements RandomGenerator {
        long seed;
        long state;

        @Override
        public long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
