package dev.nncore;

import dev.nncore.internal.Checks;
import dev.nncore.internal.DataChecks;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Analytic backpropagation in float32 over a network's layers, on weight arrays the caller owns and updates in place
 * between batches: what {@code fit} runs on every batch, and what a hand-written training loop can run too. The
 * forward pass is the layers' own ({@link Layer.Pass}), so at inference it gives the bits of
 * {@link Network#forward(Matrix)}; the backward pass goes through the layers in reverse, each applying its own chain
 * rule.
 *
 * <pre>{@code
 * Network network = Network.builder(2).dense(2, Activation.TANH).dense(1, Activation.SIGMOID).seed(3).build();
 * List<float[][]> weights = new ArrayList<>();
 * for (Matrix w : network.getWeights()) {
 *     weights.add(w.toArray());
 * }
 * Backprop backprop = Backprop.of(network, Loss.BINARY_CROSSENTROPY, weights, new SplittableRandom(1));
 * float[][] x = {{0, 1}, {1, 1}};
 * float[][] y = {{1}, {0}};
 * double loss = backprop.forward(x, y, true);               // the mean batch loss
 * List<float[][]> gradients = backprop.newGradients();       // one array per trainable weight
 * backprop.backward(y, gradients);                           // dL/dw for each, e.g. to step: w -= 0.1 * g
 * }</pre>
 *
 * <p>Two output/loss pairs take a fused path, because the general one divides by a probability and multiplies it
 * back: softmax with categorical cross-entropy gives {@code dL/dz = (p * sum(t) / sum(p) - t) / N}, which is
 * {@code (p - t) / N} for one-hot targets; sigmoid with binary cross-entropy gives {@code (p - t) / (N * M)}.
 * Both are the exact derivative of Keras's clipped loss wherever its clipping is inactive. Where it is active
 * (a probability outside {@code [1e-7, 1 - 1e-7]}) the loss is flat in that probability: binary cross-entropy
 * then contributes 0, as {@link Loss#gradient} says, and a clipped softmax row goes through the general chain rule.
 *
 * <p>One instance per training run, reusing its buffers: a steady run allocates nothing. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class Backprop {

    private final List<Layer> layers;
    private final Layer.Pass[] passes;
    private final List<float[][]> weights;
    private final int[] gradientStart;
    private final int[] gradientCount;
    private final int trainableCount;
    private final Loss loss;
    private final OutputDelta outputDelta;
    /** Per layer: its outputs, and dL/d(its outputs). */
    private final Scratch layerOutputs;
    private final Scratch outputGradients;

    private float[][][] outputs;
    private float[][] lastX;
    private List<float[][]> viewedGradients;
    private List<List<float[][]>> gradientViews;

    private Backprop(Network network, Loss loss, List<float[][]> weights, RandomGenerator random) {
        this.layers = network.layers();
        this.loss = loss;
        this.weights = weights;
        int count = layers.size();
        passes = new Layer.Pass[count];
        gradientStart = new int[count];
        gradientCount = new int[count];
        int offset = 0;
        int trainable = 0;
        for (int l = 0; l < count; l++) {
            Layer layer = layers.get(l);
            int size = layer.weightNames().size();
            passes[l] = layer.pass(weights.subList(offset, offset + size), random);
            gradientStart[l] = trainable;
            for (int i = 0; i < size; i++) {
                trainable += layer.isTrainable(i) ? 1 : 0;
            }
            gradientCount[l] = trainable - gradientStart[l];
            offset += size;
        }
        if (offset != weights.size()) {
            throw new IllegalArgumentException("expected " + offset + " weight arrays for " + network + ", got " + weights.size());
        }
        trainableCount = trainable;
        Activation last = layers.get(count - 1).activation();
        outputDelta = OutputDelta.of(loss, last);
        layerOutputs = new Scratch(count);
        outputGradients = new Scratch(count);
    }

    /**
     * A backprop run over {@code network}'s architecture (its layers; their own weights are not used).
     *
     * @param network the architecture
     * @param loss the loss whose batch mean is differentiated
     * @param weights every layer's weights as arrays in {@link Network#getWeights()} order ({@code [1][n]} for 1-D
     *     weights); read at every pass, so updates between batches take effect; BatchNormalization writes its moving
     *     statistics here in training
     * @param random the source of Dropout masks and noise in training
     * @return the run
     * @throws IllegalArgumentException if the number of weight arrays does not fit the network
     */
    public static Backprop of(Network network, Loss loss, List<float[][]> weights, RandomGenerator random) {
        Checks.notNull(network, "network");
        Checks.notNull(loss, "loss");
        Checks.notNull(weights, "weights");
        Checks.notNull(random, "random");
        return new Backprop(network, loss, weights, random);
    }

    /** {@link Network#gradients(Matrix, Matrix, Loss)}: checks, then one forward and one backward pass at inference. */
    static List<Matrix> gradients(Network network, Matrix x, Matrix y, Loss loss) {
        DataChecks.checkShapes(network, x, y, "x", "y");
        if (loss == null) {
            throw new IllegalArgumentException("loss must not be null; pick one of Loss.values(), e.g. Loss.MEAN_SQUARED_ERROR");
        }
        loss.checkOutputs(network);
        List<float[][]> weights = new ArrayList<>();
        for (Layer layer : network.layers()) {
            weights.addAll(layer.weightArrays()); // read only at inference
        }
        Backprop backprop = new Backprop(network, loss, weights, new SplittableRandom(0));
        float[][] targets = MatrixAccess.rows(y);
        backprop.forward(MatrixAccess.rows(x), targets, false);
        List<float[][]> gradients = backprop.newGradients();
        backprop.backward(targets, gradients);
        List<Matrix> result = new ArrayList<>(gradients.size());
        for (float[][] gradient : gradients) {
            result.add(MatrixAccess.wrap(gradient));
        }
        return List.copyOf(result);
    }

    /** @return zeroed arrays shaped like the trainable weights, in order: what {@link #backward} fills */
    public List<float[][]> newGradients() {
        List<float[][]> gradients = new ArrayList<>(trainableCount);
        int offset = 0;
        for (Layer layer : layers) {
            for (int i = 0; i < layer.weightNames().size(); i++) {
                float[][] weight = weights.get(offset + i);
                if (layer.isTrainable(i)) {
                    gradients.add(new float[weight.length][weight[0].length]);
                }
            }
            offset += layer.weightNames().size();
        }
        return gradients;
    }

    /**
     * The forward pass, remembering what {@link #backward} needs.
     *
     * @param x input rows; read only
     * @param y target rows, as many as {@code x}; read only
     * @param training as in {@code fit} (Dropout drops, BatchNormalization uses and records batch statistics), or as
     *     at inference (for validation)
     * @return the mean loss over the rows, accumulated in double as {@link Loss#value} does
     */
    public double forward(float[][] x, float[][] y, boolean training) {
        int rows = x.length;
        if (outputs == null || outputs.length != layers.size()) {
            outputs = new float[layers.size()][][];
        }
        float[][] in = x;
        for (int l = 0; l < layers.size(); l++) {
            float[][] out = layerOutputs.get(l, rows, layers.get(l).outputs());
            passes[l].forward(in, out, training);
            outputs[l] = out;
            in = out;
        }
        lastX = x;
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            sum += loss.sampleLoss(in[i], y[i]);
        }
        return sum / rows;
    }

    /** @return the network's outputs from the last {@link #forward}: this run's own buffer, read only */
    public float[][] outputs() {
        return outputs[layers.size() - 1];
    }

    /**
     * d(mean loss)/d(weight) for every trainable weight, at the weights and rows of the last {@link #forward}.
     *
     * @param y the targets passed to that forward; read only
     * @param gradients one array per trainable weight, shaped as {@link #newGradients()} makes them; overwritten
     */
    public void backward(float[][] y, List<float[][]> gradients) {
        int last = layers.size() - 1;
        int rows = lastX.length;
        double scale = 1.0 / rows;
        float[][] predicted = outputs[last];
        float[][] upstream = outputGradients.get(last, rows, layers.get(last).outputs());
        boolean fused = outputDelta.fusedWithActivation();
        for (int i = 0; i < rows; i++) {
            outputDelta.delta(predicted[i], y[i], scale, upstream[i]);
        }
        for (int l = last; l >= 0; l--) {
            float[][] in = l == 0 ? lastX : outputs[l - 1];
            float[][] inputGradient = l == 0 ? null : outputGradients.get(l - 1, rows, layers.get(l - 1).outputs());
            List<float[][]> layerGradients = views(gradients).get(l);
            if (l == last && fused) {
                passes[l].backwardFromPreActivation(in, upstream, inputGradient, layerGradients);
            } else {
                passes[l].backward(in, outputs[l], l == last ? upstream : outputGradients.get(l, rows, layers.get(l).outputs()),
                        inputGradient, layerGradients);
            }
        }
    }

    /** Each layer's part of {@code gradients}, made once per list so that a steady run allocates nothing. */
    private List<List<float[][]>> views(List<float[][]> gradients) {
        if (gradients != viewedGradients) {
            if (gradients.size() != trainableCount) {
                throw new IllegalArgumentException("expected " + trainableCount + " gradient arrays (one per trainable weight), got "
                        + gradients.size());
            }
            List<List<float[][]>> views = new ArrayList<>(layers.size());
            for (int l = 0; l < layers.size(); l++) {
                views.add(gradients.subList(gradientStart[l], gradientStart[l] + gradientCount[l]));
            }
            gradientViews = views;
            viewedGradients = gradients;
        }
        return gradientViews;
    }
}
