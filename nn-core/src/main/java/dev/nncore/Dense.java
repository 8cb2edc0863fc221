package dev.nncore;

import dev.nncore.internal.Checks;
import dev.nncore.internal.Kernels;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.Arrays;
import java.util.Objects;

/**
 * A fully connected layer: {@code output = activation(input · kernel + bias)}, Keras's {@code Dense}.
 *
 * <p>The kernel is shaped {@code [inputs][units]}, as Keras stores it, and the bias has one value per unit.
 * Input shape {@code [batch][inputs]}, output shape {@code [batch][units]}.
 *
 * <pre>{@code
 * Dense layer = Dense.of(new float[][] {{1, -2}, {3, -4}}, new float[] {5, -6}, Activation.RELU);
 * float[] y = layer.forward(new float[] {-1, 2});   // {10, 0}
 * }</pre>
 *
 * <p>A layer built by {@link #of} has no name of its own; {@link Network} gives it Keras's default name
 * ({@code dense}, {@code dense_1}, ...) unless {@link #named(String)} set one.
 *
 * <p>Immutable and thread-safe: arrays are copied on the way in and out.
 *
 * @since 0.1.0
 */
public final class Dense {

    private static final String DEFAULT_NAME = "dense";

    private final String name;
    private final float[][] kernel;
    private final float[] bias;
    private final Activation activation;

    private Dense(String name, float[][] kernel, float[] bias, Activation activation) {
        this.name = name;
        this.kernel = kernel;
        this.bias = bias;
        this.activation = activation;
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

    private static Dense of(Matrix kernel, Matrix bias, Activation activation, int units, int biasLength) {
        Checks.notNull(activation, "activation");
        if (bias == null || bias.rows() != 1 || biasLength != units) {
            throw new IllegalArgumentException("bias must be 1x" + units + " (one value per unit of the " + kernel.shape()
                    + " kernel), got " + (bias == null ? "1x0" : bias.shape()));
        }
        return new Dense(null, kernel.toArray(), bias.getRow(0), activation);
    }

    /**
     * This layer with another name, as Keras names layers ({@code "hidden_1"}).
     *
     * @param newName a non-blank name
     * @return a copy with that name
     * @throws IllegalArgumentException if the name is null or blank
     */
    public Dense named(String newName) {
        if (newName == null || newName.isBlank()) {
            throw new IllegalArgumentException("a layer name must not be blank, got '" + newName + "'");
        }
        return new Dense(newName, kernel, bias, activation);
    }

    /** @return the layer's name; {@code "dense"} until a name is set or the layer joins a {@link Network} */
    public String name() {
        return name == null ? DEFAULT_NAME : name;
    }

    /** True if {@link #named(String)} gave this layer a name. */
    boolean hasName() {
        return name != null;
    }

    /** @return the number of inputs per sample, the kernel's row count */
    public int inputs() {
        return kernel.length;
    }

    /** @return the number of outputs per sample, Keras's {@code units} */
    public int units() {
        return bias.length;
    }

    /** @return the activation */
    public Activation activation() {
        return activation;
    }

    /** @return a copy of the kernel, {@code inputs x units} */
    public Matrix kernel() {
        return Matrix.of(kernel);
    }

    /** @return a copy of the bias, {@code 1 x units} */
    public Matrix bias() {
        return Matrix.row(bias);
    }

    /** @return the number of weights: {@code inputs * units + units} */
    public int parameterCount() {
        return kernel.length * bias.length + bias.length;
    }

    /**
     * The layer's output for one sample.
     *
     * @param input one value per input; not modified
     * @return a new array with one value per unit
     * @throws IllegalArgumentException if {@code input} does not have {@link #inputs()} values
     */
    public float[] forward(float... input) {
        Checks.notNull(input, "input");
        if (input.length != kernel.length) {
            throw new IllegalArgumentException(describe() + " expects " + kernel.length + " inputs, got " + input.length);
        }
        float[] out = new float[bias.length];
        forwardInto(input, out);
        return out;
    }

    /**
     * The layer's outputs for a batch.
     *
     * @param batch one row per sample, {@link #inputs()} columns; not modified
     * @return a new matrix, one row per sample and one column per unit
     * @throws IllegalArgumentException if the batch has the wrong number of columns
     */
    public Matrix forward(Matrix batch) {
        Checks.notNull(batch, "batch");
        checkBatchWidth(batch);
        return MatrixAccess.wrap(forwardRows(MatrixAccess.rows(batch)));
    }

    /**
     * {@code out = activation(input · kernel + bias)}. Unchecked: callers pass an input of {@link #inputs()} values and
     * a separate {@code out} of {@link #units()}; the kernel and bias were checked when the layer was built.
     */
    void forwardInto(float[] input, float[] out) {
        Kernels.affineRow(input, kernel, bias, out);
        activation.applyInPlace(out);
    }

    /** The outputs for rows already checked to have {@link #inputs()} values. */
    float[][] forwardRows(float[][] rows) {
        float[][] out = new float[rows.length][bias.length];
        forwardRowsInto(rows, out);
        return out;
    }

    /**
     * {@code out = activation(rows · kernel + bias)}, row by row. Unchecked: callers pass rows of {@link #inputs()}
     * values and separate {@code out} rows of {@link #units()}.
     */
    void forwardRowsInto(float[][] rows, float[][] out) {
        Kernels.affine(rows, kernel, bias, out);
        for (float[] row : out) {
            activation.applyInPlace(row);
        }
    }

    void checkBatchWidth(Matrix batch) {
        if (batch.cols() != kernel.length) {
            throw new IllegalArgumentException(describe() + " expects " + kernel.length + " inputs per row, got "
                    + batch.cols() + " (input shape [" + batch.rows() + "][" + batch.cols() + "])");
        }
    }

    /** The kernel rows, not copied; read only. */
    float[][] kernelView() {
        return kernel;
    }

    /** The bias, not copied; read only. */
    float[] biasView() {
        return bias;
    }

    private String describe() {
        return "Dense \"" + name() + "\"";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dense other
                && name().equals(other.name())
                && activation == other.activation
                && Arrays.deepEquals(kernel, other.kernel)
                && Arrays.equals(bias, other.bias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), activation, Arrays.deepHashCode(kernel), Arrays.hashCode(bias));
    }

    /** @return e.g. {@code Dense("hidden", 2 -> 3, relu)} */
    @Override
    public String toString() {
        return "Dense(\"" + name() + "\", " + inputs() + " -> " + units() + ", " + activation.kerasName() + ")";
    }
}
