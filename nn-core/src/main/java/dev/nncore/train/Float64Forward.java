package dev.nncore.train;

import dev.nncore.Layer;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.Node;
import java.util.IdentityHashMap;
import java.util.Map;
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

    private final List<Layer> layers;
    /** The graph: per node its layer's position in {@link #layers} and its source slots (inputs first). */
    private final int[] nodeLayer;
    private final int[][] sources;
    private final int[] slotWidths;
    private final int[] outputSlots;
    /** Per output of several: the part of a target row it is scored on, reused from row to row. */
    private final float[][] targetParts;
    private final int inputCount;
    private final Loss loss;
    private final double[][] weights;
    private final double[][][] layerWeights;
    private final boolean[] trainable;
    private final Replay random = new Replay();

    private double[][][] values;
    private double[][][] merged;
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
        List<Node> nodes = network.nodes();
        inputCount = network.inputNames().size();
        Map<Layer, Integer> position = new IdentityHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            position.put(layers.get(l), l);
        }
        Map<Node, Integer> slot = new IdentityHashMap<>();
        slotWidths = new int[nodes.size()];
        nodeLayer = new int[nodes.size() - inputCount];
        sources = new int[nodes.size() - inputCount][];
        for (int s = 0; s < nodes.size(); s++) {
            Node node = nodes.get(s);
            slot.put(node, s);
            slotWidths[s] = node.width();
            if (s >= inputCount) {
                nodeLayer[s - inputCount] = position.get(node.layer());
                sources[s - inputCount] = node.inputs().stream().mapToInt(slot::get).toArray();
            }
        }
        outputSlots = new int[network.outputNames().size()];
        targetParts = new float[outputSlots.length][];
        for (int k = 0; k < outputSlots.length; k++) {
            outputSlots[k] = network.outputNodeIndex(k);
            targetParts[k] = new float[slotWidths[outputSlots[k]]];
        }
        this.loss = loss;
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

    /**
     * The mean loss over the rows at the working weights, summed over the outputs; outputs stay in
     * {@link #outputs()}. Several inputs come side by side in {@code x}, several targets side by side in {@code y}.
     */
    double loss(float[][] x, float[][] y, boolean training) {
        passes++;
        if (rows != x.length) {
            rows = x.length;
            values = new double[slotWidths.length][][];
            for (int s = 0; s < slotWidths.length; s++) {
                values[s] = new double[rows][slotWidths[s]];
            }
            merged = new double[sources.length][][];
            for (int n = 0; n < sources.length; n++) {
                if (sources[n].length > 1) {
                    merged[n] = new double[rows][layers.get(nodeLayer[n]).inputs()];
                }
            }
        }
        for (int i = 0; i < rows; i++) {
            int offset = 0;
            for (int s = 0; s < inputCount; s++) {
                double[] row = values[s][i];
                for (int k = 0; k < row.length; k++) {
                    row[k] = x[i][offset + k];
                }
                offset += row.length;
            }
        }
        random.state = random.seed;
        for (int n = 0; n < sources.length; n++) {
            double[][] in;
            if (sources[n].length == 1) {
                in = values[sources[n][0]];
            } else {
                in = merged[n];
                for (int i = 0; i < rows; i++) {
                    int offset = 0;
                    for (int source : sources[n]) {
                        System.arraycopy(values[source][i], 0, in[i], offset, slotWidths[source]);
                        offset += slotWidths[source];
                    }
                }
            }
            layers.get(nodeLayer[n]).forward64(layerWeights[nodeLayer[n]], in, values[inputCount + n], training, random);
        }
        double total = 0;
        int offset = 0;
        for (int k = 0; k < outputSlots.length; k++) {
            int slot = outputSlots[k];
            double sum = 0;
            for (int i = 0; i < rows; i++) {
                float[] target = y[i];
                if (outputSlots.length > 1) {
                    target = targetParts[k];
                    System.arraycopy(y[i], offset, target, 0, target.length);
                }
                sum += sampleLoss(values[slot][i], target);
            }
            total += sum / rows;
            offset += slotWidths[slot];
        }
        return total;
    }

    /** @return the first output of the last {@link #loss} call, one row per sample; read only */
    double[][] outputs() {
        return values[outputSlots[0]];
    }

    private double sampleLoss(double[] p, float[] t) {
        return loss.sampleValue(p, t);
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
