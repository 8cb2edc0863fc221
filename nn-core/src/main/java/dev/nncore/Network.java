package dev.nncore;

import dev.nncore.internal.Checks;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * A feed-forward network of {@link Dense} layers, Keras's {@code Sequential} model of {@code Dense} layers.
 *
 * <p>Build one the way Keras does, or from the weights Keras's {@code model.get_weights()} printed:
 * <pre>{@code
 * Network xor = Network.builder(2)
 *         .dense(2, Activation.RELU)
 *         .dense(1, Activation.LINEAR)
 *         .seed(42)
 *         .build();                                    // glorot_uniform kernels, zero biases
 * Network video = xor.withWeights(List.of(
 *         Matrix.of(new float[][] {{1.3f, 1.2f}, {1.3f, 1.2f}}), Matrix.row(-1.3f, 0),
 *         Matrix.of(new float[][] {{-1.6f}, {0.8f}}), Matrix.row(0)));
 * float[] y = video.forward(1, 0);                      // {0.96}
 * }</pre>
 *
 * <p>Input shape {@code [batch][inputs()]}, output shape {@code [batch][outputs()]}. Weights are listed in
 * Keras's {@code get_weights()} order: for each layer its kernel ({@code inputs x units}), then its bias
 * ({@code 1 x units}).
 *
 * <p>NaN or infinite inputs are not rejected: they propagate through the arithmetic as IEEE 754 says (a NaN
 * input gives NaN outputs), as in Keras, so a caller can check outputs instead of catching exceptions.
 *
 * <p>Immutable and thread-safe: {@code forward} may be called from many threads at once, and every method that
 * "changes" a network returns a new one.
 *
 * @since 0.1.0
 */
public final class Network {

    private final List<Dense> layers;

    private Network(List<Dense> layers) {
        this.layers = layers;
    }

    /**
     * Starts a network the way Keras's {@code Sequential} does, with the number of inputs per sample.
     *
     * @param inputs values per sample, at least 1
     * @return a builder
     * @throws IllegalArgumentException if {@code inputs} is below 1
     */
    public static Builder builder(int inputs) {
        return new Builder(Checks.positive(inputs, "inputs"));
    }

    /**
     * A network of the given layers, in order. Layers without a name get Keras's defaults: {@code dense},
     * {@code dense_1}, {@code dense_2}, ...
     *
     * @param layers at least one layer; each layer's inputs must equal the previous layer's units
     * @return the network
     * @throws IllegalArgumentException if there are no layers, two share a name, or adjacent sizes disagree
     */
    public static Network of(Dense... layers) {
        Checks.notNull(layers, "layers");
        return of(List.of(layers));
    }

    /**
     * A network of the given layers, in order; see {@link #of(Dense...)}.
     *
     * @param layers at least one layer
     * @return the network
     * @throws IllegalArgumentException if there are no layers, two share a name, or adjacent sizes disagree
     */
    public static Network of(List<Dense> layers) {
        Checks.notNull(layers, "layers");
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        Set<String> used = new HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            Dense layer = Checks.notNull(layers.get(i), "layer " + i);
            if (layer.hasName() && !used.add(layer.name())) {
                throw new IllegalArgumentException("layer " + i + " is named \"" + layer.name()
                        + "\" like an earlier layer; layer names must be unique");
            }
            if (i > 0 && layer.inputs() != layers.get(i - 1).units()) {
                throw new IllegalArgumentException("layer " + i + " (" + layer + ") expects " + layer.inputs()
                        + " inputs, but layer " + (i - 1) + " (" + layers.get(i - 1) + ") has " + layers.get(i - 1).units()
                        + " units");
            }
        }
        List<Dense> named = new ArrayList<>(layers.size());
        int next = 0;
        for (Dense layer : layers) {
            if (layer.hasName()) {
                named.add(layer);
                continue;
            }
            String name;
            do {
                name = next == 0 ? "dense" : "dense_" + next;
                next++;
            } while (used.contains(name));
            used.add(name);
            named.add(layer.named(name));
        }
        return new Network(List.copyOf(named));
    }

    /** @return the layers, first to last (an unmodifiable list of immutable layers) */
    public List<Dense> layers() {
        return layers;
    }

    /** @return the number of inputs per sample */
    public int inputs() {
        return layers.get(0).inputs();
    }

    /** @return the number of outputs per sample */
    public int outputs() {
        return layers.get(layers.size() - 1).units();
    }

    /**
     * The network's output for one sample.
     *
     * @param input {@link #inputs()} values; not modified
     * @return a new array of {@link #outputs()} values
     * @throws IllegalArgumentException if {@code input} has the wrong length, e.g. {@code expected 2 inputs, got 3}
     */
    public float[] forward(float... input) {
        checkInput(input);
        float[] output = new float[outputs()];
        forwardInto(input, output);
        return output;
    }

    /**
     * The network's output for one sample, written into a buffer the caller supplies: in steady state this allocates
     * nothing, so a service can run it in a tight loop without garbage.
     *
     * @param input {@link #inputs()} values; not modified
     * @param output {@link #outputs()} values; overwritten
     * @return {@code output}
     * @throws IllegalArgumentException if either length is wrong, or {@code output} is {@code input}
     */
    public float[] forward(float[] input, float[] output) {
        checkInput(input);
        Checks.notNull(output, "output");
        if (output.length != outputs()) {
            throw new IllegalArgumentException("output must have " + outputs() + " values (the network's outputs), got "
                    + output.length);
        }
        if (output == input) {
            throw new IllegalArgumentException("output is the input array; pass a separate buffer");
        }
        forwardInto(input, output);
        return output;
    }

    private void checkInput(float[] input) {
        Checks.notNull(input, "input");
        if (input.length != inputs()) {
            throw new IllegalArgumentException("Network expected " + inputs() + " inputs, got " + input.length
                    + (input.length == 0 ? " (an empty sample)" : ""));
        }
    }

    /** Layers between input and output write into this thread's workspace; the last writes into {@code output}. */
    private void forwardInto(float[] input, float[] output) {
        Workspace workspace = Workspace.local();
        float[] activations = input;
        int last = layers.size() - 1;
        for (int l = 0; l < last; l++) {
            Dense layer = layers.get(l);
            float[] out = workspace.buffer(1, layer.units(), l & 1)[0];
            layer.forwardInto(activations, out);
            activations = out;
        }
        layers.get(last).forwardInto(activations, output);
    }

    /**
     * The network's outputs for a batch, one row per sample, as Keras's {@code model.predict}.
     *
     * @param batch one row per sample, {@link #inputs()} columns; not modified
     * @return a new matrix, one row per sample and {@link #outputs()} columns
     * @throws IllegalArgumentException if the batch has the wrong number of columns
     */
    public Matrix forward(Matrix batch) {
        Checks.notNull(batch, "batch");
        layers.get(0).checkBatchWidth(batch);
        float[][] rows = MatrixAccess.rows(batch);
        float[][] output = new float[rows.length][outputs()];
        forwardRowsInto(rows, output);
        return MatrixAccess.wrap(output);
    }

    /**
     * The network's outputs for a batch, written into a buffer the caller supplies: in steady state this allocates
     * nothing. Large batches are split over the common fork-join pool, with results identical to one thread.
     *
     * @param batch one row per sample, {@link #inputs()} values each; not modified
     * @param output one row per sample, {@link #outputs()} values each; overwritten
     * @throws IllegalArgumentException if a row has the wrong length, the row counts differ, or rows are shared
     */
    public void forward(float[][] batch, float[][] output) {
        Checks.notNull(batch, "batch");
        Checks.notNull(output, "output");
        if (batch.length == 0 || output.length != batch.length) {
            throw new IllegalArgumentException("batch has " + batch.length + " rows and output " + output.length
                    + "; they must be equal and at least 1");
        }
        for (int r = 0; r < batch.length; r++) {
            if (batch[r] == null || batch[r].length != inputs()) {
                throw new IllegalArgumentException("batch row " + r + " has " + (batch[r] == null ? "no" : batch[r].length)
                        + " values, expected " + inputs());
            }
            if (output[r] == null || output[r].length != outputs()) {
                throw new IllegalArgumentException("output row " + r + " has " + (output[r] == null ? "no" : output[r].length)
                        + " values, expected " + outputs());
            }
        }
        forwardRowsInto(batch, output);
    }

    private void forwardRowsInto(float[][] rows, float[][] output) {
        Workspace workspace = Workspace.local();
        float[][] activations = rows;
        int last = layers.size() - 1;
        for (int l = 0; l < last; l++) {
            Dense layer = layers.get(l);
            float[][] out = workspace.buffer(rows.length, layer.units(), l & 1);
            layer.forwardRowsInto(activations, out);
            activations = out;
        }
        layers.get(last).forwardRowsInto(activations, output);
    }

    /** @return the weights in Keras {@code get_weights()} order: kernel ({@code in x out}), bias ({@code 1 x out}), per layer */
    public List<Matrix> getWeights() {
        List<Matrix> weights = new ArrayList<>(2 * layers.size());
        for (Dense layer : layers) {
            weights.add(layer.kernel());
            weights.add(layer.bias());
        }
        return List.copyOf(weights);
    }

    /**
     * A network of the same architecture (sizes, activations, names) with other weights, as Keras's
     * {@code set_weights}.
     *
     * @param weights kernel ({@code in x out}) and bias ({@code 1 x out}) for each layer, in {@link #getWeights()}
     *     order; not modified
     * @return the new network; this one is unchanged
     * @throws IllegalArgumentException if the count or a shape is wrong; the message names the first mismatch,
     *     e.g. {@code weight 2 (layer 1 kernel) must be 2x1, got 1x2}
     */
    public Network withWeights(List<Matrix> weights) {
        Checks.notNull(weights, "weights");
        if (weights.size() != 2 * layers.size()) {
            throw new IllegalArgumentException("expected " + 2 * layers.size() + " weights (a kernel and a bias for each of "
                    + layers.size() + " layers), got " + weights.size());
        }
        List<Dense> replaced = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Dense layer = layers.get(i);
            Matrix kernel = checkWeight(weights, 2 * i, "kernel", layer.inputs(), layer.units(), layer);
            Matrix bias = checkWeight(weights, 2 * i + 1, "bias", 1, layer.units(), layer);
            replaced.add(Dense.of(kernel, bias, layer.activation()).named(layer.name()));
        }
        return new Network(List.copyOf(replaced));
    }

    private Matrix checkWeight(List<Matrix> weights, int index, String role, int rows, int cols, Dense layer) {
        Matrix weight = weights.get(index);
        int layerIndex = index / 2;
        if (weight == null) {
            throw new IllegalArgumentException("weight " + index + " (layer " + layerIndex + " " + role + ") is null");
        }
        if (weight.rows() != rows || weight.cols() != cols) {
            throw new IllegalArgumentException("weight " + index + " (layer " + layerIndex + " " + role + ") must be "
                    + rows + "x" + cols + ", got " + weight.shape() + " (layer \"" + layer.name() + "\": " + layer.inputs()
                    + " inputs, " + layer.units() + " units" + ("kernel".equals(role) ? "; Keras stores kernels as [in][out]" : "")
                    + ")");
        }
        return weight;
    }

    /**
     * The gradient of the mean batch loss with respect to every weight, by analytic backpropagation in float32:
     * what Keras's {@code tape.gradient(loss, model.trainable_weights)} returns.
     *
     * <pre>{@code
     * Network line = Network.of(Dense.of(new float[][] {{1}}, new float[] {0}, Activation.LINEAR));
     * Matrix x = Matrix.column(1, 2);
     * Matrix y = Matrix.column(2, 4);
     * List<Matrix> g = line.gradients(x, y, Loss.MEAN_SQUARED_ERROR);
     * // loss = mean((w x + b - y)^2): dL/dw = mean(2 (x - y) x) = -5, dL/db = mean(2 (x - y)) = -3
     * float dw = g.get(0).get(0, 0);                     // -5.0
     * float db = g.get(1).get(0, 0);                     // -3.0
     * }</pre>
     *
     * <p>Softmax with categorical cross-entropy and sigmoid with binary cross-entropy take the stable fused path
     * {@code dL/dz = (p - t) / N} (divided by the outputs too for binary), which equals the chain rule through
     * Keras's clipped loss; where the clipping to {@code [1e-7, 1 - 1e-7]} is active the clipped gradient is used.
     * NaN in {@code x} or {@code y} propagates, as in {@link #forward(Matrix)}.
     *
     * @param x inputs, one row per sample, {@link #inputs()} columns; not modified
     * @param y targets, one row per row of {@code x}, {@link #outputs()} columns; not modified
     * @param loss the loss whose batch mean is differentiated
     * @return one matrix per weight, in {@link #getWeights()} order and shapes
     * @throws IllegalArgumentException if a shape disagrees, e.g. {@code x has 4 rows but y has 3}
     */
    public List<Matrix> gradients(Matrix x, Matrix y, Loss loss) {
        return Backprop.gradients(this, x, y, loss);
    }

    /** @return the number of weights, over all layers */
    public int parameterCount() {
        return layers.stream().mapToInt(Dense::parameterCount).sum();
    }

    /**
     * A table of the layers as Keras's {@code model.summary()} prints it: name and type, output shape, parameter
     * count, then the totals.
     *
     * @return the summary, lines separated by {@code \n}
     */
    public String summary() {
        String rule = "_".repeat(65);
        StringBuilder text = new StringBuilder("Model: \"sequential\"\n").append(rule).append('\n');
        text.append(summaryRow("Layer (type)", "Output Shape", "Param #")).append('\n');
        text.append("=".repeat(65)).append('\n');
        for (int i = 0; i < layers.size(); i++) {
            Dense layer = layers.get(i);
            text.append(summaryRow(layer.name() + " (Dense)", "(None, " + layer.units() + ")",
                    String.valueOf(layer.parameterCount()))).append('\n');
            if (i < layers.size() - 1) {
                text.append('\n');
            }
        }
        int total = parameterCount();
        text.append("=".repeat(65)).append('\n');
        text.append("Total params: ").append(total).append(" (").append(bytes(4L * total)).append(")\n");
        text.append("Trainable params: ").append(total).append(" (").append(bytes(4L * total)).append(")\n");
        text.append("Non-trainable params: 0 (0.00 Byte)\n");
        text.append(rule);
        return text.toString();
    }

    private static String summaryRow(String layer, String shape, String params) {
        return String.format(" %-28s%-26s%-10s", layer, shape, params).stripTrailing();
    }

    /** Keras's byte count format: {@code 36.00 Byte}, {@code 1.23 KB}, {@code 4.56 MB}. */
    private static String bytes(long count) {
        if (count < 1024) {
            return String.format(java.util.Locale.ROOT, "%.2f Byte", (double) count);
        }
        if (count < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.2f KB", count / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.2f MB", count / (1024.0 * 1024.0));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Network other && layers.equals(other.layers);
    }

    @Override
    public int hashCode() {
        return layers.hashCode();
    }

    /** @return e.g. {@code Network[2 -> Dense(2, relu) -> Dense(1, sigmoid)]} */
    @Override
    public String toString() {
        return "Network[" + inputs() + " -> " + layers.stream()
                .map(layer -> "Dense(" + layer.units() + ", " + layer.activation().kerasName() + ")")
                .collect(Collectors.joining(" -> ")) + "]";
    }

    /**
     * Builds a network layer by layer, initialised as Keras initialises a {@code Dense} layer: kernels drawn from
     * glorot_uniform ({@code U(-l, l)}, {@code l = sqrt(6 / (inputs + units))}), biases zero.
     *
     * <pre>{@code
     * Network network = Network.builder(4)
     *         .dense(16, Activation.RELU)
     *         .dense(3, Activation.SOFTMAX, "probabilities")
     *         .seed(7)
     *         .build();
     * }</pre>
     *
     * <p>The kernels are drawn layer by layer, row by row, from a {@link SplittableRandom} seeded with
     * {@link #seed(long)}, so the same seed gives the same network on every JVM. Without a seed, as in Keras,
     * each build draws different weights. Not thread-safe; {@link #build()} may be called more than once.
     */
    public static final class Builder {

        private record LayerSpec(int units, Activation activation, String name) {
        }

        private final int inputs;
        private final List<LayerSpec> specs = new ArrayList<>();
        private Long seed;

        private Builder(int inputs) {
            this.inputs = inputs;
        }

        /**
         * Adds a Dense layer with a default name ({@code dense}, {@code dense_1}, ...).
         *
         * @param units outputs of the layer, at least 1
         * @param activation its activation
         * @return this builder
         * @throws IllegalArgumentException if {@code units} is below 1 or {@code activation} is null
         */
        public Builder dense(int units, Activation activation) {
            specs.add(new LayerSpec(Checks.positive(units, "units"), Checks.notNull(activation, "activation"), null));
            return this;
        }

        /**
         * Adds a named Dense layer.
         *
         * @param units outputs of the layer, at least 1
         * @param activation its activation
         * @param name the layer's name, unique in the network
         * @return this builder
         * @throws IllegalArgumentException if {@code units} is below 1, {@code activation} is null or the name blank
         */
        public Builder dense(int units, Activation activation, String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a layer name must not be blank, got '" + name + "'");
            }
            specs.add(new LayerSpec(Checks.positive(units, "units"), Checks.notNull(activation, "activation"), name));
            return this;
        }

        /**
         * Fixes the random seed of the initial weights.
         *
         * @param value the seed
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * @return a new network with freshly initialised weights
         * @throws IllegalStateException if no layer was added
         * @throws IllegalArgumentException if two layers share a name
         */
        public Network build() {
            if (specs.isEmpty()) {
                throw new IllegalStateException("add at least one layer with dense(units, activation) before build()");
            }
            RandomGenerator random = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
            List<Dense> layers = new ArrayList<>(specs.size());
            int in = inputs;
            for (LayerSpec spec : specs) {
                Dense layer = Dense.of(glorotUniform(in, spec.units(), random), new float[spec.units()], spec.activation());
                layers.add(spec.name() == null ? layer : layer.named(spec.name()));
                in = spec.units();
            }
            return Network.of(layers);
        }

        private static float[][] glorotUniform(int fanIn, int fanOut, RandomGenerator random) {
            double limit = Math.sqrt(6.0 / (fanIn + fanOut));
            float[][] kernel = new float[fanIn][fanOut];
            for (float[] row : kernel) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) random.nextDouble(-limit, limit);
                }
            }
            return kernel;
        }
    }

    /**
     * This network's forward pass for one input, neuron by neuron, as the "no magic" video works it out by hand:
     * {@code network.explain(0, 1).toString()} gives lines like
     * {@code h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0}. See {@link dev.nncore.explain.Explanation}.
     *
     * @param input {@link #inputs()} values; not modified
     * @return the explanation; its output equals {@link #forward(float...)} bit for bit
     * @throws IllegalArgumentException if {@code input} has the wrong length, e.g. {@code Network expected 2 inputs, got 3}
     */
    public dev.nncore.explain.Explanation explain(float... input) {
        return dev.nncore.explain.Explanation.of(this, input);
    }
}
