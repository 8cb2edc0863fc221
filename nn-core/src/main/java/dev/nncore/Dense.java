package dev.nncore;

import dev.nncore.internal.Checks;
import dev.nncore.internal.Kernels;
import dev.nncore.math.Matrix;
import dev.nncore.math.MatrixOps;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A fully connected layer: {@code output = activation(input · kernel + bias)}, Keras's {@code Dense}.
 *
 * <p>The kernel is shaped {@code [inputs][units]}, as Keras stores it, and the bias has one value per unit (none with
 * Keras's {@code use_bias=False}). Input shape {@code [batch][inputs]}, output shape {@code [batch][units]}.
 *
 * <pre>{@code
 * Dense layer = Dense.of(new float[][] {{1, -2}, {3, -4}}, new float[] {5, -6}, Activation.RELU);
 * float[] y = layer.forward(new float[] {-1, 2});   // {10, 0}
 * Dense noBias = Dense.withoutBias(new float[][] {{1}, {1}}, Activation.LINEAR);
 * float[] sum = noBias.forward(new float[] {2, 3}); // {5}
 * List<String> names = noBias.weightNames();        // [kernel]
 * }</pre>
 *
 * <p>A layer built by {@link #of} has no name of its own; {@link Network} gives it Keras's default name
 * ({@code dense}, {@code dense_1}, ...) unless {@link #named(String)} set one.
 *
 * <p>Immutable and thread-safe: arrays are copied on the way in and out.
 *
 * @since 0.1.0
 */
public final class Dense extends Layer {

    private final float[][] kernel;
    private final float[] bias;
    private final Activation activation;
    private final DenseSettings settings;
    /**
     * The kernel packed for the batch kernel ({@link Kernels#pack}), made on the first batch of at least
     * {@link Kernels#PACKED_MIN_ROWS} rows: as much memory again as the kernel, which one-sample users never pay.
     * Racy but idempotent: threads that race each pack the same immutable kernel, and any of their copies serves.
     */
    private volatile Object packedKernel;

    private Dense(String name, float[][] kernel, float[] bias, Activation activation) {
        this(name, kernel, bias, activation, DenseSettings.DEFAULT);
    }

    private Dense(String name, float[][] kernel, float[] bias, Activation activation, DenseSettings settings) {
        super(name);
        this.kernel = kernel;
        this.bias = bias;
        this.activation = activation;
        this.settings = settings;
    }

    /**
     * A layer with the given weights.
     *
     * @param kernel weights shaped {@code [inputs][units]} (Keras's layout); not modified
     * @param bias one value per unit; not modified
     * @param activation the activation applied after the bias
     * @return the layer
     * @throws IllegalArgumentException if the kernel is empty or ragged, or the bias length is not the unit count
     */
    public static Dense of(float[][] kernel, float[] bias, Activation activation) {
        Matrix kernelMatrix = Matrix.of(kernel); // rejects empty and ragged kernels, naming the row
        Checks.notNull(bias, "bias");
        return of(kernelMatrix, bias.length == 0 ? null : Matrix.row(bias), activation, kernelMatrix.cols(), bias.length);
    }

    /**
     * A layer with the given weights, as {@link Network#getWeights()} lists them.
     *
     * @param kernel {@code inputs x units}; not modified
     * @param bias {@code 1 x units}; not modified
     * @param activation the activation applied after the bias
     * @return the layer
     * @throws IllegalArgumentException if the bias is not {@code 1 x units}
     */
    public static Dense of(Matrix kernel, Matrix bias, Activation activation) {
        Checks.notNull(kernel, "kernel");
        Checks.notNull(bias, "bias");
        return of(kernel, bias, activation, kernel.cols(), bias.rows() == 1 ? bias.cols() : -1);
    }

    /**
     * A layer without a bias, Keras's {@code Dense(units, use_bias=False)}: {@code activation(input · kernel)}.
     *
     * @param kernel weights shaped {@code [inputs][units]}; not modified
     * @param activation the activation
     * @return the layer, whose only weight is the kernel
     * @throws IllegalArgumentException if the kernel is empty or ragged
     */
    public static Dense withoutBias(float[][] kernel, Activation activation) {
        Matrix kernelMatrix = Matrix.of(kernel);
        Checks.notNull(activation, "activation");
        return new Dense(null, kernelMatrix.toArray(), null, activation);
    }

    private static Dense of(Matrix kernel, Matrix bias, Activation activation, int units, int biasLength) {
        Checks.notNull(activation, "activation");
        if (bias == null || bias.rows() != 1 || biasLength != units) {
            throw new IllegalArgumentException("bias must be 1x" + units + " (one value per unit of the " + kernel.shape()
                    + " kernel), got " + (bias == null ? "1x0" : bias.shape()));
        }
        return new Dense(null, kernel.toArray(), bias.getRow(0), activation);
    }

    @Override
    public Dense named(String newName) {
        if (newName == null || newName.isBlank()) {
            throw new IllegalArgumentException("a layer name must not be blank, got '" + newName + "'");
        }
        return new Dense(newName, kernel, bias, activation, settings);
    }

    /** This layer with another activation, the same weights and name. */
    Dense withActivation(Activation newActivation) {
        return new Dense(hasName() ? name() : null, kernel, bias, newActivation, settings);
    }

    /**
     * This layer, the same weights and name, recording how its weights were initialised (Keras's
     * {@code kernel_initializer}, {@code bias_initializer}); what Keras files write back. The weights are not redrawn.
     * <pre>{@code
     * Dense layer = Dense.of(Initializer.HE_NORMAL.sample(4, 3, new SplittableRandom(1)), new float[3], Activation.RELU)
     *         .withInitializers(Initializer.HE_NORMAL, Initializer.ZEROS);
     * }</pre>
     *
     * @param kernelInitializer the kernel's initializer
     * @param biasInitializer the bias's initializer
     * @return a new layer
     */
    public Dense withInitializers(Initializer kernelInitializer, Initializer biasInitializer) {
        Checks.notNull(kernelInitializer, "kernelInitializer");
        Checks.notNull(biasInitializer, "biasInitializer");
        return new Dense(hasName() ? name() : null, kernel, bias, activation,
                settings.withInitializers(kernelInitializer, biasInitializer));
    }

    /**
     * This layer with Keras's {@code kernel_regularizer}, {@code bias_regularizer} and {@code activity_regularizer}:
     * {@code fit} adds their penalties to the loss it reports and minimises, and their gradients to the weights'.
     * <pre>{@code
     * Dense layer = Dense.of(new float[][] {{1, -2}, {3, -4}}, new float[] {5, -6}, Activation.RELU)
     *         .withRegularizers(Regularizer.l2(0.01), null, null);   // 0.01 * sum(kernel^2) = 0.3
     * }</pre>
     *
     * @param kernelRegularizer the kernel's penalty, or null for none
     * @param biasRegularizer the bias's penalty, or null for none
     * @param activityRegularizer the outputs' penalty, or null for none: Keras 3 adds {@code regularizer(outputs)} of
     *     each batch to the loss as it is (keras/src/layers/layer.py); tf.keras 2 divided it by the batch size
     * @return a new layer
     * @throws IllegalArgumentException if a bias regularizer is given to a layer without a bias, or an orthogonal
     *     regularizer to the bias or the activity
     */
    public Dense withRegularizers(Regularizer kernelRegularizer, Regularizer biasRegularizer, Regularizer activityRegularizer) {
        if (biasRegularizer != null && bias == null) {
            throw new IllegalArgumentException("Dense \"" + name() + "\" has no bias (use_bias=False), so it takes no bias_regularizer");
        }
        for (Regularizer vector : new Regularizer[] {biasRegularizer, activityRegularizer}) {
            if (vector != null && vector.kerasClassName().equals("OrthogonalRegularizer")) {
                throw new IllegalArgumentException("OrthogonalRegularizer needs a 2-D kernel, not a bias or activity (Dense \""
                        + name() + "\")");
            }
        }
        return new Dense(hasName() ? name() : null, kernel, bias, activation,
                settings.withRegularizers(kernelRegularizer, biasRegularizer, activityRegularizer));
    }

    /**
     * This layer with Keras's {@code kernel_constraint} and {@code bias_constraint}, applied after each update.
     * <pre>{@code
     * Dense layer = Dense.of(new float[][] {{3}, {4}}, new float[] {0}, Activation.LINEAR)
     *         .withConstraints(Constraint.maxNorm(2, 0), null);
     * }</pre>
     *
     * @param kernelConstraint the kernel's constraint, or null for none
     * @param biasConstraint the bias's constraint, or null for none
     * @return a new layer
     * @throws IllegalArgumentException if a bias constraint is given to a layer without a bias
     */
    public Dense withConstraints(Constraint kernelConstraint, Constraint biasConstraint) {
        if (biasConstraint != null && bias == null) {
            throw new IllegalArgumentException("Dense \"" + name() + "\" has no bias (use_bias=False), so it takes no bias_constraint");
        }
        return new Dense(hasName() ? name() : null, kernel, bias, activation,
                settings.withConstraints(kernelConstraint, biasConstraint));
    }

    /** @return the kernel's initializer, Keras's {@code kernel_initializer} (glorot_uniform unless set) */
    public Initializer kernelInitializer() {
        return settings.kernelInitializer();
    }

    /** @return the bias's initializer, Keras's {@code bias_initializer} (zeros unless set) */
    public Initializer biasInitializer() {
        return settings.biasInitializer();
    }

    /** @return the kernel's regularizer, Keras's {@code kernel_regularizer} */
    public Optional<Regularizer> kernelRegularizer() {
        return Optional.ofNullable(settings.kernelRegularizer());
    }

    /** @return the bias's regularizer, Keras's {@code bias_regularizer} */
    public Optional<Regularizer> biasRegularizer() {
        return Optional.ofNullable(settings.biasRegularizer());
    }

    /** @return the outputs' regularizer, Keras's {@code activity_regularizer} */
    public Optional<Regularizer> activityRegularizer() {
        return Optional.ofNullable(settings.activityRegularizer());
    }

    /** @return the kernel's constraint, Keras's {@code kernel_constraint} */
    public Optional<Constraint> kernelConstraint() {
        return Optional.ofNullable(settings.kernelConstraint());
    }

    /** @return the bias's constraint, Keras's {@code bias_constraint} */
    public Optional<Constraint> biasConstraint() {
        return Optional.ofNullable(settings.biasConstraint());
    }

    @Override
    public String kerasClass() {
        return "Dense";
    }

    /** @return the number of inputs per sample, the kernel's row count */
    @Override
    public int inputs() {
        return kernel.length;
    }

    /** @return the number of outputs per sample, Keras's {@code units} */
    public int units() {
        return kernel[0].length;
    }

    @Override
    public int outputs() {
        return units();
    }

    /** @return inputs x units: the product dominates */
    @Override
    long multiplyAddsPerRow() {
        return (long) inputs() * units();
    }

    /** @return the activation */
    @Override
    public Activation activation() {
        return activation;
    }

    /** @return whether the layer adds a bias (Keras's {@code use_bias}) */
    public boolean useBias() {
        return bias != null;
    }

    /** @return a copy of the kernel, {@code inputs x units} */
    public Matrix kernel() {
        return Matrix.of(kernel);
    }

    /** @return a copy of the bias, {@code 1 x units}; zeros without a bias */
    public Matrix bias() {
        return Matrix.row(bias == null ? new float[units()] : bias);
    }

    @Override
    public List<String> weightNames() {
        return bias == null ? List.of("kernel") : List.of("kernel", "bias");
    }

    @Override
    List<float[][]> weightArrays() {
        return bias == null ? List.<float[][]>of(kernel) : List.of(kernel, new float[][] {bias});
    }

    @Override
    boolean isMatrixWeight(int index) {
        return index == 0;
    }

    @Override
    Layer withWeightArrays(List<float[][]> weights) {
        return new Dense(hasName() ? name() : null, weights.get(0), bias == null ? null : weights.get(1)[0], activation,
                settings);
    }

    /** {@code out = activation(input · kernel + bias)}. Unchecked: the caller passes arrays of the right lengths. */
    @Override
    public void forward(float[] input, float[] output) {
        Kernels.affineRow(input, kernel, bias, output);
        activation.applyInPlace(output);
    }

    /**
     * {@code out = activation(rows · kernel + bias)}, on the blocked kernel. Unchecked. The first call with 16 rows or
     * more packs the kernel into the Vector API kernel's layout, once for the layer's lifetime (as much memory again as
     * the kernel; nothing on the plain kernel), and such batches then read it.
     */
    @Override
    public void forward(float[][] input, float[][] output) {
        if (input.length >= Kernels.PACKED_MIN_ROWS) {
            Object packed = packedKernel;
            if (packed == null) {
                packed = Kernels.pack(kernel);
                packedKernel = packed;
            }
            Kernels.affinePacked(input, packed, bias, output);
        } else {
            Kernels.affine(input, kernel, bias, output);
        }
        if (!activation.isIdentity()) {
            activation.applyInPlace(output);
        }
    }

    /** The kernel rows, not copied; read only. */
    float[][] kernelView() {
        return kernel;
    }

    /** The bias, not copied; read only; null without a bias. */
    float[] biasView() {
        return bias;
    }

    @Override
    public Pass pass(List<float[][]> weights, RandomGenerator random) {
        return new DensePass(weights, activation, name());
    }

    @Override
    public void forward64(double[][] weights, double[][] input, double[][] output, boolean training, RandomGenerator random) {
        double[] k = weights[0];
        double[] b = bias == null ? null : weights[1];
        int width = units();
        int in = inputs();
        for (int i = 0; i < input.length; i++) {
            double[] out = output[i];
            Arrays.fill(out, 0);
            double[] x = input[i];
            for (int p = 0; p < in; p++) {
                double a = x[p];
                int offset = p * width;
                for (int j = 0; j < width; j++) {
                    out[j] += a * k[offset + j];
                }
            }
            if (b != null) {
                for (int j = 0; j < width; j++) {
                    out[j] += b[j];
                }
            }
            activation.applyInPlace(out);
        }
    }

    /**
     * Dense's chain rule, with {@code delta = dL/dz}: {@code dL/dkernel = input^T · delta}, {@code dL/dbias} = column
     * sums of delta, {@code dL/dinput = delta · kernel^T}; both products read their transposed operand in place
     * ({@link MatrixOps#multiplyTransposedA}, {@link MatrixOps#multiplyTransposedB}) on the blocked (and, where
     * present, Vector API) kernel, with the same bits as a product of a transposed copy.
     */
    private static final class DensePass extends Pass {
        private static final int Z = 0;
        private static final int DELTA = 1;

        private final String name;
        private final List<float[][]> weights;
        private final Activation activation;
        private final boolean keepsInput;
        private final Scratch scratch = new Scratch(2);
        private float[][] z;
        /** The kernel's rows shared between threads by input, when the pass reads the network's data; else null. */
        private InputSplit inputSplit;

        DensePass(List<float[][]> weights, Activation activation, String name) {
            this.name = name;
            this.weights = weights;
            this.activation = activation;
            this.keepsInput = activation.gradientNeedsInput() && !activation.isIdentity();
        }

        @Override
        public void forward(float[][] input, float[][] output, boolean training) {
            float[] bias = weights.size() > 1 ? weights.get(1)[0] : null;
            float[][] kernel = weights.get(0);
            // The kernel and bias are the trainer's, shaped when it built them, and z and output are this run's own
            // buffers: only the input rows' lengths need checking, not MatrixOps's scan of every row pair for aliases.
            for (int r = 0; r < input.length; r++) {
                if (input[r].length != kernel.length) {
                    throw new IllegalArgumentException("input row " + r + " has " + input[r].length + " values, but "
                            + "Dense \"" + name + "\" takes " + kernel.length);
                }
            }
            float[][] pre = output;
            if (keepsInput) {
                z = scratch.get(Z, input.length, kernel[0].length);
                pre = z;
            }
            if (inputSplit != null) {
                // shared between threads by input in training when the pass reads the data and is large; the split
                // activates the rows as it sums them
                if (training && inputSplit.forward(input, kernel, bias, pre, activation, output)) {
                    return;
                }
                inputSplit.unsplit();
            }
            Kernels.affine(input, kernel, bias, pre);
            if (keepsInput) {
                for (int r = 0; r < z.length; r++) {
                    System.arraycopy(z[r], 0, output[r], 0, z[r].length);
                }
            }
            if (!activation.isIdentity()) {
                activation.applyInPlace(output);
            }
        }

        @Override
        void readsData() {
            inputSplit = InputSplit.of(weights.get(0).length);
        }

        @Override
        public void backward(float[][] input, float[][] output, float[][] outputGradient, float[][] inputGradient,
                List<float[][]> weightGradients) {
            float[][] delta = outputGradient;
            if (!activation.isIdentity()) {
                delta = scratch.get(DELTA, output.length, output[0].length);
                if (inputSplit == null || !inputSplit.activationGradient(input, activation, keepsInput ? z : null,
                        output, outputGradient, delta)) {
                    for (int r = 0; r < output.length; r++) {
                        activation.gradient(keepsInput ? z[r] : null, output[r], outputGradient[r], delta[r]);
                    }
                }
            }
            backwardFromPreActivation(input, delta, inputGradient, weightGradients);
        }

        @Override
        public void backwardFromPreActivation(float[][] input, float[][] delta, float[][] inputGradient,
                List<float[][]> weightGradients) {
            float[][] kernel = weights.get(0);
            float[][] kernelGradient = weightGradients.get(0);
            // The forward pass checked input against the kernel, and delta is shaped like its output: unchecked kernels.
            // A split checks each part's rows on the thread that owns them (their headers stay in its cache).
            float[] biasGradient = weightGradients.size() > 1 ? weightGradients.get(1)[0] : null;
            if (inputSplit == null || !inputSplit.kernelGradient(input, delta, kernelGradient, kernel, biasGradient)) {
                checkGradient(kernelGradient, kernel, 0, kernelGradient.length);
                Kernels.multiplyTransposedA(input, delta, kernelGradient);
                if (biasGradient != null) {
                    Scratch.columnSums(delta, biasGradient);
                }
            }
            if (inputGradient != null) {
                Kernels.multiplyTransposedB(delta, kernel, inputGradient);
            }
        }

    }

    /** Checks that rows {@code [from, to)} of a kernel's gradient are there and shaped like the kernel's. */
    static void checkGradient(float[][] gradient, float[][] kernel, int from, int to) {
        boolean fits = gradient.length == kernel.length;
        for (int r = from; fits && r < to; r++) {
            fits = gradient[r] != null && gradient[r].length == kernel[0].length;
        }
        if (!fits) {
            throw new IllegalArgumentException("kernel gradient must be shaped like the kernel, [" + kernel.length + "]["
                    + kernel[0].length + "], got [" + gradient.length + "][" + (gradient.length == 0 || gradient[0] == null
                            ? 0 : gradient[0].length) + "] or ragged rows");
        }
    }

    @Override
    String shortForm() {
        return "Dense(" + units() + ", " + activation.kerasName() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dense other
                && name().equals(other.name())
                && activation.equals(other.activation)
                && Arrays.deepEquals(kernel, other.kernel)
                && Arrays.equals(bias, other.bias)
                && settings.equals(other.settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), activation, Arrays.deepHashCode(kernel), Arrays.hashCode(bias), settings);
    }

    /** @return e.g. {@code Dense("hidden", 2 -> 3, relu)} */
    @Override
    public String toString() {
        return "Dense(\"" + name() + "\", " + inputs() + " -> " + units() + ", " + activation + (bias == null ? ", no bias" : "")
                + ")";
    }
}
