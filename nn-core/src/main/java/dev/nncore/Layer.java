package dev.nncore;

import dev.nncore.internal.Checks;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * One layer of a {@link Network}, Keras's {@code keras.layers.Layer}: it owns its maths, side by side as micrograd
 * keeps an operation's forward next to its backward:
 * <ul>
 *   <li>the float32 forward pass at inference, into caller buffers ({@link #forward(float[], float[])},
 *       {@link #forward(float[][], float[][])});
 *   <li>the training passes ({@link #pass}): forward in training mode (Dropout drops, BatchNormalization uses batch
 *       statistics and updates its moving averages) and backward (the input gradient and the weight gradients);
 *   <li>the float64 forward pass ({@link #forward64}) that gradient checks and finite differences use;
 *   <li>its weights in Keras's {@code get_weights()} order with their Keras names ({@code kernel}, {@code bias},
 *       {@code gamma}, {@code beta}, {@code moving_mean}, {@code moving_variance}, ...) and whether each is trainable.
 * </ul>
 *
 * <pre>{@code
 * Layer dense = Dense.of(new float[][] {{1, -2}, {3, -4}}, new float[] {5, -6}, Activation.RELU);
 * float[] out = new float[2];
 * dense.forward(new float[] {-1, 2}, out);                 // out = {10, 0}
 * List<String> names = dense.weightNames();                 // [kernel, bias]
 * Layer dropout = Dropout.of(2, 0.5);                       // identity at inference
 * }</pre>
 *
 * <p>Layers work on flat rows: one sample is a {@code float[]} of {@link #inputs()} values, in Keras's row-major,
 * channels-last order when the sample has several axes (a 28x28 image is 784 values, row after row). Weights are
 * {@link Matrix} values: a Keras 1-D weight of {@code n} values (a bias, gamma, a moving mean) is {@code 1 x n}.
 *
 * <p>Layers are immutable and thread-safe; {@link #named}, {@link #withWeights} return new layers. nn-core's layers
 * are {@link Dense}, {@link ActivationLayer} ({@code Activation}, {@code ReLU}, {@code LeakyReLU}, {@code ELU},
 * {@code Softmax}), {@link PReLU}, {@link Dropout} ({@code Dropout}, {@code GaussianNoise}, {@code GaussianDropout},
 * {@code AlphaDropout}), {@link BatchNormalization}, {@link LayerNormalization}, {@link Normalization},
 * {@link Rescaling} and {@link Reshape} ({@code Flatten}, {@code Reshape}).
 *
 * @since 0.1.0
 */
public abstract class Layer {

    private final String name;

    /** @param name the layer's name, or null for Keras's default name of its class */
    Layer(String name) {
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("a layer name must not be blank, got '" + name + "'");
        }
        this.name = name;
    }

    /** @return the layer's name; Keras's default for its class ({@code "batch_normalization"}) until one is set */
    public final String name() {
        return name == null ? defaultName() : name;
    }

    /** True if the layer has a name of its own, not yet a default one. */
    final boolean hasName() {
        return name != null;
    }

    /** @return Keras's default name for layers of this class: its class name in snake case, {@code "re_lu"} for ReLU */
    public String defaultName() {
        return snakeCase(kerasClass());
    }

    /**
     * This layer with another name, as Keras names layers ({@code "hidden_1"}).
     *
     * @param newName a non-blank name
     * @return a copy with that name
     * @throws IllegalArgumentException if the name is null or blank
     */
    public abstract Layer named(String newName);

    /** @return the Keras class this layer is, e.g. {@code "Dense"}, {@code "BatchNormalization"} */
    public abstract String kerasClass();

    /** @return values per sample going in */
    public abstract int inputs();

    /** @return values per sample coming out */
    public abstract int outputs();

    /**
     * The shape of one sample coming out, given the shape going in (no batch axis), as Keras's
     * {@code compute_output_shape}. Most layers need flat input and give {@code [outputs()]}; element-wise layers
     * keep the shape; {@link Reshape} changes it.
     *
     * @param inputShape the shape of one sample going in; its product is {@link #inputs()}
     * @return the shape of one sample coming out
     * @throws IllegalArgumentException if this layer cannot take input of that shape
     */
    public int[] outputShape(int[] inputShape) {
        return flatOutputShape(inputShape);
    }

    /** {@code [outputs()]} for flat input; refuses input of several axes, naming this layer. */
    final int[] flatOutputShape(int[] inputShape) {
        if (inputShape.length != 1) {
            throw new IllegalArgumentException(describe() + " takes one flat vector per sample, got shape "
                    + shapeText(inputShape) + "; add a Flatten layer before it");
        }
        return new int[] {outputs()};
    }

    /** @return the Keras names of the weights, in {@code get_weights()} order; empty for a layer without weights */
    public List<String> weightNames() {
        return List.of();
    }

    /** @return copies of the weights in {@code get_weights()} order; a Keras 1-D weight is {@code 1 x n} */
    public List<Matrix> getWeights() {
        List<Matrix> weights = new ArrayList<>();
        for (float[][] tensor : weightArrays()) {
            weights.add(Matrix.of(tensor));
        }
        return List.copyOf(weights);
    }

    /** The weights as arrays, not copied; read only. */
    List<float[][]> weightArrays() {
        return List.of();
    }

    /**
     * The shape Keras stores weight {@code index} in: {@code [n]} for a 1-D weight, {@code [inputs, units]} for a kernel.
     *
     * @param index a weight's index in {@link #weightNames()}
     * @return the shape
     */
    public int[] weightShape(int index) {
        float[][] tensor = weightArrays().get(index);
        return tensor.length == 1 && !isMatrixWeight(index) ? new int[] {tensor[0].length}
                : new int[] {tensor.length, tensor[0].length};
    }

    /** Whether weight {@code index} is 2-D in Keras (a kernel) even when it has one row. */
    boolean isMatrixWeight(int index) {
        return false;
    }

    /**
     * @param index a weight's index in {@link #weightNames()}
     * @return whether the optimizer updates it; BatchNormalization's moving statistics and Normalization's mean and
     *     variance are not trainable
     */
    public boolean isTrainable(int index) {
        return true;
    }

    /**
     * This layer with other weights, Keras's {@code set_weights}.
     *
     * @param weights one matrix per weight, in {@link #weightNames()} order and {@link #getWeights()} shapes; not
     *     modified
     * @return the new layer; this one is unchanged
     * @throws IllegalArgumentException naming the first weight whose shape is wrong
     */
    public final Layer withWeights(List<Matrix> weights) {
        Checks.notNull(weights, "weights");
        List<float[][]> current = weightArrays();
        if (weights.size() != current.size()) {
            throw new IllegalArgumentException(describe() + " has " + current.size() + " weights " + weightNames()
                    + ", got " + weights.size());
        }
        List<float[][]> copies = new ArrayList<>(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            Matrix weight = weights.get(i);
            float[][] expected = current.get(i);
            if (weight == null) {
                throw new IllegalArgumentException(describe() + " " + weightNames().get(i) + " is null");
            }
            if (weight.rows() != expected.length || weight.cols() != expected[0].length) {
                throw new IllegalArgumentException(describe() + " " + weightNames().get(i) + " must be " + expected.length
                        + "x" + expected[0].length + ", got " + weight.shape());
            }
            copies.add(weight.toArray());
        }
        return copies.isEmpty() ? this : withWeightArrays(copies);
    }

    /** A copy with these weights, already checked and copied: the layer may keep the arrays. */
    Layer withWeightArrays(List<float[][]> weights) {
        return this;
    }

    /** @return the number of weights (trainable or not) */
    public final int parameterCount() {
        int count = 0;
        for (float[][] tensor : weightArrays()) {
            count += tensor.length * tensor[0].length;
        }
        return count;
    }

    /** @return the number of trainable weights */
    public final int trainableParameterCount() {
        int count = 0;
        List<float[][]> tensors = weightArrays();
        for (int i = 0; i < tensors.size(); i++) {
            if (isTrainable(i)) {
                count += tensors.get(i).length * tensors.get(i)[0].length;
            }
        }
        return count;
    }

    /**
     * The activation this layer applies last, which the fused softmax/cross-entropy and sigmoid/binary
     * cross-entropy gradients skip; null if it applies none.
     *
     * @return the activation or null
     */
    public Activation activation() {
        return null;
    }

    /** @return whether {@link #forward(float[], float[])} copies its input unchanged (Dropout, Flatten at inference) */
    public boolean isIdentityAtInference() {
        return false;
    }

    /**
     * The layer's output for one sample at inference, checked and allocated: for trying a layer alone.
     *
     * @param input {@link #inputs()} values; not modified
     * @return a new array of {@link #outputs()} values
     * @throws IllegalArgumentException if {@code input} does not have {@link #inputs()} values
     */
    public final float[] forward(float... input) {
        Checks.notNull(input, "input");
        if (input.length != inputs()) {
            throw new IllegalArgumentException(describe() + " expects " + inputs() + " inputs, got " + input.length);
        }
        float[] out = new float[outputs()];
        forward(input, out);
        return out;
    }

    /**
     * The layer's output for one sample at inference. Allocates nothing.
     *
     * @param input {@link #inputs()} values; not modified
     * @param output {@link #outputs()} values, a separate array; overwritten
     */
    public abstract void forward(float[] input, float[] output);

    /**
     * The layer's outputs for a batch at inference. Allocates nothing.
     *
     * @param input one row of {@link #inputs()} values per sample; not modified
     * @param output one row of {@link #outputs()} values per sample, separate arrays; overwritten
     */
    public void forward(float[][] input, float[][] output) {
        for (int r = 0; r < input.length; r++) {
            forward(input[r], output[r]);
        }
    }

    /**
     * The layer's outputs for a batch at inference, checked and allocated: for trying a layer alone.
     *
     * @param batch one row per sample, {@link #inputs()} columns; not modified
     * @return one row per sample, {@link #outputs()} columns
     * @throws IllegalArgumentException if the batch has the wrong number of columns
     */
    public final Matrix forward(Matrix batch) {
        Checks.notNull(batch, "batch");
        if (batch.cols() != inputs()) {
            throw new IllegalArgumentException(describe() + " expects " + inputs() + " inputs per row, got " + batch.cols()
                    + " (input shape [" + batch.rows() + "][" + batch.cols() + "])");
        }
        float[][] out = new float[batch.rows()][outputs()];
        forward(MatrixAccess.rows(batch), out);
        return MatrixAccess.wrap(out);
    }

    /**
     * Starts this layer's part of a training run, on weight arrays the trainer owns and updates in place between
     * batches.
     *
     * @param weights this layer's weights as arrays, in {@link #weightNames()} order ({@code [1][n]} for 1-D weights);
     *     read at every pass, written only where training itself changes them (moving statistics)
     * @param random the source of Dropout masks and noise, seeded from the fit's seed
     * @return the pass, which keeps per-batch scratch space; not thread-safe
     */
    public abstract Pass pass(List<float[][]> weights, RandomGenerator random);

    /**
     * The forward pass in float64 for gradient checks and finite differences: rows of doubles, weights as one flat
     * row-major array per tensor ({@code kernel[k * units + j]}).
     *
     * @param weights this layer's weights, flat, in {@link #weightNames()} order; read only
     * @param input one row per sample; read only
     * @param output one row per sample; overwritten
     * @param training whether to compute as in training (batch statistics, Dropout masks from {@code random})
     * @param random masks and noise in training; callers that need the same mask twice pass equal generators
     */
    public abstract void forward64(double[][] weights, double[][] input, double[][] output, boolean training,
            RandomGenerator random);

    /**
     * A layer's forward and backward passes over one training run's batches, on weights the trainer owns. It keeps
     * what the backward pass needs from the forward pass (a Dropout mask, batch statistics), so each
     * {@link #backward} follows the {@link #forward} of the same batch.
     */
    public abstract static class Pass {

        /** For nn-core's layers. */
        Pass() {
        }

        /**
         * @param input one row per sample; read only
         * @param output one row per sample; overwritten
         * @param training as in {@code fit} (Dropout drops, BatchNormalization uses and records batch statistics), or as
         *     at inference (validation)
         */
        public abstract void forward(float[][] input, float[][] output, boolean training);

        /**
         * The chain rule through the layer for the batch of the last {@link #forward}.
         *
         * @param input that forward's input; read only
         * @param output that forward's output; read only
         * @param outputGradient dL/d(output); read only
         * @param inputGradient dL/d(input), overwritten; null when nobody needs it (the first layer)
         * @param weightGradients one array per trainable weight, in order, same shapes; overwritten
         */
        public abstract void backward(float[][] input, float[][] output, float[][] outputGradient,
                float[][] inputGradient, List<float[][]> weightGradients);

        /**
         * As {@link #backward}, for a layer whose {@link Layer#activation()} is not null, when
         * {@code preActivationGradient} is already the gradient with respect to that activation's input: the fused
         * softmax/cross-entropy and sigmoid/binary cross-entropy paths.
         *
         * @param input that forward's input; read only
         * @param preActivationGradient dL/dz before the activation; read only
         * @param inputGradient dL/d(input), overwritten; null when nobody needs it
         * @param weightGradients one array per trainable weight; overwritten
         */
        public void backwardFromPreActivation(float[][] input, float[][] preActivationGradient, float[][] inputGradient,
                List<float[][]> weightGradients) {
            throw new UnsupportedOperationException("this layer applies no activation");
        }

        /**
         * Tells the pass that it reads the network's data, so that no gradient flows back through its input and it may
         * share its weights' rows between threads by input ({@link InputSplit}); nothing by default.
         */
        void readsData() {
        }
    }

    /**
     * @return the multiply-adds of one sample through this layer at inference, by which a batch is judged large enough
     *     to share between threads: its outputs, for a layer that does a few operations per value
     */
    long multiplyAddsPerRow() {
        return outputs();
    }

    /** @return e.g. {@code BatchNormalization "batch_normalization"} for messages */
    final String describe() {
        return kerasClass() + " \"" + name() + "\"";
    }

    /** @return the short form in {@link Network#toString()}, e.g. {@code Dense(2, relu)} */
    String shortForm() {
        return kerasClass() + "(" + outputs() + ")";
    }

    /** @return e.g. {@code BatchNormalization("batch_normalization", 40)} */
    @Override
    public String toString() {
        return kerasClass() + "(\"" + name() + "\", " + inputs() + " -> " + outputs() + ")";
    }

    /** Keras's {@code to_snake_case}: {@code BatchNormalization} to {@code batch_normalization}, {@code ReLU} to {@code re_lu}. */
    static String snakeCase(String className) {
        String s = className.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
        return s.toLowerCase(Locale.ROOT);
    }

    static String shapeText(int[] shape) {
        StringBuilder text = new StringBuilder("(None");
        for (int dimension : shape) {
            text.append(", ").append(dimension);
        }
        return text.append(')').toString();
    }

    /** The names of the 1-D weights that are present (a layer without {@code scale} has no gamma), in order. */
    static List<String> presentNames(String[] names, float[]... vectors) {
        List<String> present = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (vectors[i] != null) {
                present.add(names[i]);
            }
        }
        return List.copyOf(present);
    }

    /** The 1-D weights that are present, each as one row, in order. */
    static List<float[][]> presentRows(float[]... vectors) {
        List<float[][]> rows = new ArrayList<>();
        for (float[] vector : vectors) {
            if (vector != null) {
                rows.add(new float[][] {vector});
            }
        }
        return rows;
    }

    static boolean sameWeights(List<float[][]> a, List<float[][]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.deepEquals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
