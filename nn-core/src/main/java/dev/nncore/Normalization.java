package dev.nncore;

import dev.nncore.internal.Checks;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's {@code Normalization} preprocessing layer: {@code y = (x - mean) / max(sqrt(variance), 1e-7)} per feature,
 * or with {@code invert} the way back, {@code y = mean + x * max(sqrt(variance), 1e-7)}. A network that starts with
 * one carries its own input scaling, so callers feed raw values.
 *
 * <pre>{@code
 * Matrix data = Matrix.of(new float[][] {{1, 10}, {3, 30}});
 * Normalization norm = Normalization.adapt(data);             // mean [2, 20], variance [1, 100]
 * Matrix variance = norm.variance();                          // [[1, 100]]
 * float[] out = new float[2];
 * norm.forward(new float[] {3, 30}, out);                     // out = {1, 1}
 * Network network = Network.builder(2).normalization(data).dense(1, Activation.LINEAR).build();
 * }</pre>
 *
 * <p>Its mean and variance are weights that are not trainable: {@code fit} never changes them. Immutable and
 * thread-safe.
 *
 * @since 0.1.0
 */
public final class Normalization extends Layer {

    /** Keras's {@code backend.epsilon()}, the smallest standard deviation divided by. */
    static final double EPSILON = 1e-7;

    private final float[] mean;
    private final float[] variance;
    private final boolean invert;
    private final float[] deviation;

    private Normalization(String name, float[] mean, float[] variance, boolean invert) {
        super(name);
        this.mean = mean;
        this.variance = variance;
        this.invert = invert;
        deviation = new float[mean.length];
        for (int j = 0; j < mean.length; j++) {
            deviation[j] = (float) Math.max(Math.sqrt(variance[j]), EPSILON);
        }
    }

    /**
     * @param mean per feature; not modified
     * @param variance per feature, at least 0; not modified
     * @param invert whether to undo the normalisation instead
     * @return the layer
     * @throws IllegalArgumentException if the lengths differ or are 0, or a variance is negative or not finite
     */
    public static Normalization of(float[] mean, float[] variance, boolean invert) {
        Checks.notNull(mean, "mean");
        Checks.notNull(variance, "variance");
        if (mean.length == 0 || mean.length != variance.length) {
            throw new IllegalArgumentException("mean and variance need one value per feature, got " + mean.length + " and "
                    + variance.length);
        }
        for (int j = 0; j < variance.length; j++) {
            if (!(variance[j] >= 0 && variance[j] < Float.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("variance[" + j + "] must be finite and at least 0, got " + variance[j]);
            }
        }
        return new Normalization(null, mean.clone(), variance.clone(), invert);
    }

    /**
     * Keras's {@code adapt}: the mean and the (population) variance of each column of {@code data}.
     *
     * @param data one row per sample, all finite; not modified
     * @return the layer
     * @throws IllegalArgumentException if the data is empty or holds NaN or infinity
     */
    public static Normalization adapt(Matrix data) {
        Checks.notNull(data, "data");
        float[][] rows = MatrixAccess.rows(data);
        int width = data.cols();
        float[] mean = new float[width];
        float[] variance = new float[width];
        for (int j = 0; j < width; j++) {
            double sum = 0;
            for (int r = 0; r < rows.length; r++) {
                if (!Float.isFinite(rows[r][j])) {
                    throw new IllegalArgumentException("data has " + rows[r][j] + " at row " + r + ", column " + j
                            + "; adapt needs finite numbers");
                }
                sum += rows[r][j];
            }
            double m = sum / rows.length;
            double squares = 0;
            for (float[] row : rows) {
                squares += (row[j] - m) * (row[j] - m);
            }
            mean[j] = (float) m;
            variance[j] = (float) (squares / rows.length);
        }
        return new Normalization(null, mean, variance, false);
    }

    /** @return this layer undoing its normalisation, Keras's {@code invert=True} */
    public Normalization inverted() {
        return new Normalization(hasName() ? name() : null, mean, variance, !invert);
    }

    /** @return whether the layer undoes the normalisation */
    public boolean invert() {
        return invert;
    }

    /** @return a copy of the mean, {@code 1 x features} */
    public Matrix mean() {
        return Matrix.row(mean);
    }

    /** @return a copy of the variance, {@code 1 x features} */
    public Matrix variance() {
        return Matrix.row(variance);
    }

    @Override
    public Normalization named(String newName) {
        Checks.notNull(newName, "name");
        return new Normalization(newName, mean, variance, invert);
    }

    @Override
    public String kerasClass() {
        return "Normalization";
    }

    @Override
    public int inputs() {
        return mean.length;
    }

    @Override
    public int outputs() {
        return mean.length;
    }

    @Override
    public List<String> weightNames() {
        return List.of("mean", "variance");
    }

    @Override
    List<float[][]> weightArrays() {
        return List.of(new float[][] {mean}, new float[][] {variance});
    }

    @Override
    public boolean isTrainable(int index) {
        return false;
    }

    @Override
    Layer withWeightArrays(List<float[][]> weights) {
        return new Normalization(hasName() ? name() : null, weights.get(0)[0], weights.get(1)[0], invert);
    }

    @Override
    public void forward(float[] input, float[] output) {
        for (int j = 0; j < mean.length; j++) {
            output[j] = invert ? mean[j] + input[j] * deviation[j] : (input[j] - mean[j]) / deviation[j];
        }
    }

    @Override
    public Pass pass(List<float[][]> weights, RandomGenerator random) {
        return new Pass() {
            @Override
            public void forward(float[][] input, float[][] output, boolean training) {
                Normalization.this.forward(input, output);
            }

            @Override
            public void backward(float[][] input, float[][] output, float[][] outputGradient, float[][] inputGradient,
                    List<float[][]> weightGradients) {
                if (inputGradient == null) {
                    return;
                }
                for (int r = 0; r < input.length; r++) {
                    for (int j = 0; j < mean.length; j++) {
                        inputGradient[r][j] = invert ? outputGradient[r][j] * deviation[j] : outputGradient[r][j] / deviation[j];
                    }
                }
            }
        };
    }

    @Override
    public void forward64(double[][] weights, double[][] input, double[][] output, boolean training, RandomGenerator random) {
        for (int r = 0; r < input.length; r++) {
            for (int j = 0; j < mean.length; j++) {
                double d = Math.max(Math.sqrt(weights[1][j]), EPSILON);
                output[r][j] = invert ? weights[0][j] + input[r][j] * d : (input[r][j] - weights[0][j]) / d;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization other && name().equals(other.name()) && invert == other.invert
                && Arrays.equals(mean, other.mean) && Arrays.equals(variance, other.variance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), invert, Arrays.hashCode(mean), Arrays.hashCode(variance));
    }
}
