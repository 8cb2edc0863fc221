package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's {@code BatchNormalization} over the features of flat rows.
 *
 * <p>At inference: {@code y = gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta}, computed as
 * TensorFlow does, {@code x * inv + (beta - moving_mean * inv)} with {@code inv = gamma / sqrt(moving_variance +
 * epsilon)}. In training (inside {@code fit}) it normalises with the batch's mean and (biased) variance instead and
 * updates the moving statistics as Keras does: {@code moving = moving * momentum + batch * (1 - momentum)}. The
 * moving statistics are weights that are not trainable: the optimizer never touches them.
 *
 * <pre>{@code
 * BatchNormalization bn = BatchNormalization.of(2);          // gamma 1, beta 0, mean 0, variance 1
 * List<String> names = bn.weightNames();                     // [gamma, beta, moving_mean, moving_variance]
 * Network network = Network.builder(4).dense(8, Activation.RELU).batchNormalization().dense(1, Activation.SIGMOID).build();
 * int trainable = network.trainableParameterCount();   // 65 = 40 + 16 + 9: moving statistics are not trained
 * }</pre>
 *
 * <p>Defaults as in Keras: {@code momentum} 0.99, {@code epsilon} 1e-3, {@code center} and {@code scale} true.
 * Without {@code scale} there is no gamma weight (1 is used), without {@code center} no beta (0 is used).
 * Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class BatchNormalization extends Layer {

    /** Keras's default momentum of the moving statistics. */
    public static final double DEFAULT_MOMENTUM = 0.99;
    /** Keras's default epsilon. */
    public static final double DEFAULT_EPSILON = 1e-3;

    private final double momentum;
    private final double epsilon;
    private final float[] gamma;
    private final float[] beta;
    private final float[] movingMean;
    private final float[] movingVariance;
    private final float[] inv;
    private final float[] shift;

    private BatchNormalization(String name, double momentum, double epsilon, float[] gamma, float[] beta, float[] movingMean,
            float[] movingVariance) {
        super(name);
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.gamma = gamma;
        this.beta = beta;
        this.movingMean = movingMean;
        this.movingVariance = movingVariance;
        int width = movingMean.length;
        inv = new float[width];
        shift = new float[width];
        for (int j = 0; j < width; j++) {
            inv[j] = inverse(gamma == null ? 1 : gamma[j], movingVariance[j], epsilon);
            shift[j] = shift(beta == null ? 0 : beta[j], movingMean[j], gamma == null ? 1 : gamma[j], movingVariance[j], epsilon);
        }
    }

    /** The inference factor {@code gamma / sqrt(variance + epsilon)}, rounded once. */
    private static float inverse(double gamma, double variance, double epsilon) {
        return (float) (gamma / Math.sqrt(variance + epsilon));
    }

    /** The inference offset {@code beta - mean * gamma / sqrt(variance + epsilon)}, rounded once. */
    private static float shift(double beta, double mean, double gamma, double variance, double epsilon) {
        return (float) (beta - mean * (gamma / Math.sqrt(variance + epsilon)));
    }

    /**
     * A fresh layer as Keras builds one: gamma 1, beta 0, moving mean 0, moving variance 1, Keras's defaults.
     *
     * @param width features per sample, at least 1
     * @return the layer
     */
    public static BatchNormalization of(int width) {
        return of(width, DEFAULT_MOMENTUM, DEFAULT_EPSILON, true, true);
    }

    /**
     * A fresh layer with Keras's options.
     *
     * @param width features per sample, at least 1
     * @param momentum of the moving statistics, in [0, 1]
     * @param epsilon added to the variance, above 0
     * @param center whether there is a beta (offset) weight
     * @param scale whether there is a gamma (scale) weight
     * @return the layer
     */
    public static BatchNormalization of(int width, double momentum, double epsilon, boolean center, boolean scale) {
        Checks.positive(width, "width");
        float[] ones = new float[width];
        Arrays.fill(ones, 1f);
        return of(momentum, epsilon, scale ? ones.clone() : null, center ? new float[width] : null, new float[width], ones);
    }

    /**
     * A layer with the given statistics, as a trained Keras layer holds them.
     *
     * @param momentum in [0, 1]
     * @param epsilon above 0
     * @param gamma the scale per feature, or null without {@code scale}; not modified
     * @param beta the offset per feature, or null without {@code center}; not modified
     * @param movingMean the mean per feature; not modified
     * @param movingVariance the variance per feature, at least 0; not modified
     * @return the layer
     * @throws IllegalArgumentException if lengths differ or a value is out of range
     */
    public static BatchNormalization of(double momentum, double epsilon, float[] gamma, float[] beta, float[] movingMean,
            float[] movingVariance) {
        Checks.inRange(momentum, 0, 1, "momentum");
        Checks.positive(epsilon, "epsilon");
        Checks.notNull(movingMean, "movingMean");
        Checks.notNull(movingVariance, "movingVariance");
        int width = movingMean.length;
        if (width == 0) {
            throw new IllegalArgumentException("BatchNormalization needs at least one feature");
        }
        for (float[] vector : new float[][] {gamma, beta, movingVariance}) {
            if (vector != null && vector.length != width) {
                throw new IllegalArgumentException("gamma, beta, moving mean and moving variance must each have " + width
                        + " values (one per feature), got " + vector.length);
            }
        }
        return new BatchNormalization(null, momentum, epsilon, gamma == null ? null : gamma.clone(),
                beta == null ? null : beta.clone(), movingMean.clone(), movingVariance.clone());
    }

    /** @return the momentum of the moving statistics */
    public double momentum() {
        return momentum;
    }

    /** @return the epsilon added to the variance */
    public double epsilon() {
        return epsilon;
    }

    /** @return whether there is a beta weight (Keras's {@code center}) */
    public boolean center() {
        return beta != null;
    }

    /** @return whether there is a gamma weight (Keras's {@code scale}) */
    public boolean scale() {
        return gamma != null;
    }

    @Override
    public BatchNormalization named(String newName) {
        Checks.notNull(newName, "name");
        return new BatchNormalization(newName, momentum, epsilon, gamma, beta, movingMean, movingVariance);
    }

    @Override
    public String kerasClass() {
        return "BatchNormalization";
    }

    @Override
    public int inputs() {
        return movingMean.length;
    }

    @Override
    public int outputs() {
        return movingMean.length;
    }

    @Override
    public List<String> weightNames() {
        return presentNames(new String[] {"gamma", "beta", "moving_mean", "moving_variance"}, gamma, beta, movingMean,
                movingVariance);
    }

    @Override
    List<float[][]> weightArrays() {
        return presentRows(gamma, beta, movingMean, movingVariance);
    }

    @Override
    public boolean isTrainable(int index) {
        return index < (gamma != null ? 1 : 0) + (beta != null ? 1 : 0);
    }

    @Override
    Layer withWeightArrays(List<float[][]> weights) {
        int i = 0;
        float[] newGamma = gamma == null ? null : weights.get(i++)[0];
        float[] newBeta = beta == null ? null : weights.get(i++)[0];
        return new BatchNormalization(hasName() ? name() : null, momentum, epsilon, newGamma, newBeta, weights.get(i)[0],
                weights.get(i + 1)[0]);
    }

    @Override
    public void forward(float[] input, float[] output) {
        for (int j = 0; j < inv.length; j++) {
            output[j] = input[j] * inv[j] + shift[j];
        }
    }

    @Override
    public Pass pass(List<float[][]> weights, RandomGenerator random) {
        return new BatchPass(weights);
    }

    /** Batch statistics in training, moving statistics otherwise; the textbook backward through both. */
    private final class BatchPass extends Pass {
        private final List<float[][]> weights;
        private final int gammaAt = gamma == null ? -1 : 0;
        private final int betaAt = beta == null ? -1 : gamma == null ? 0 : 1;
        private final int meanAt = (gamma == null ? 0 : 1) + (beta == null ? 0 : 1);
        private final Scratch scratch = new Scratch(1);
        private final double[] scale = new double[inputs()];
        private final double[] mean = new double[inputs()];
        private float[][] normalised;
        private boolean trained;

        BatchPass(List<float[][]> weights) {
            this.weights = weights;
        }

        @Override
        public void forward(float[][] input, float[][] output, boolean training) {
            int width = inputs();
            int rows = input.length;
            trained = training;
            float[] movingMeans = weights.get(meanAt)[0];
            float[] movingVariances = weights.get(meanAt + 1)[0];
            normalised = scratch.get(0, rows, width);
            for (int j = 0; j < width; j++) {
                double m;
                double variance;
                if (training) {
                    double sum = 0;
                    for (float[] row : input) {
                        sum += row[j];
                    }
                    m = sum / rows;
                    double squares = 0;
                    for (float[] row : input) {
                        double d = row[j] - m;
                        squares += d * d;
                    }
                    variance = squares / rows;
                    movingMeans[j] = (float) (movingMeans[j] * momentum + m * (1 - momentum));
                    movingVariances[j] = (float) (movingVariances[j] * momentum + variance * (1 - momentum));
                } else {
                    m = movingMeans[j];
                    variance = movingVariances[j];
                }
                mean[j] = m;
                scale[j] = 1 / Math.sqrt(variance + epsilon);
                double g = gammaAt < 0 ? 1 : weights.get(gammaAt)[0][j];
                double b = betaAt < 0 ? 0 : weights.get(betaAt)[0][j];
                if (!training) { // as BatchNormalization.forward computes it, so validation gives its bits
                    float factor = inverse(g, variance, epsilon);
                    float offset = shift(b, m, g, variance, epsilon);
                    for (int r = 0; r < rows; r++) {
                        normalised[r][j] = (float) ((input[r][j] - m) * scale[j]);
                        output[r][j] = input[r][j] * factor + offset;
                    }
                    continue;
                }
                for (int r = 0; r < rows; r++) {
                    double xHat = (input[r][j] - m) * scale[j];
                    normalised[r][j] = (float) xHat;
                    output[r][j] = (float) (g * xHat + b);
                }
            }
        }

        @Override
        public void backward(float[][] input, float[][] output, float[][] outputGradient, float[][] inputGradient,
                List<float[][]> weightGradients) {
            int width = inputs();
            int rows = input.length;
            int next = 0;
            float[] gammaGradient = gammaAt < 0 ? null : weightGradients.get(next++)[0];
            float[] betaGradient = betaAt < 0 ? null : weightGradients.get(next)[0];
            for (int j = 0; j < width; j++) {
                double g = gammaAt < 0 ? 1 : weights.get(gammaAt)[0][j];
                double sumGrad = 0;
                double sumGradXHat = 0;
                for (int r = 0; r < rows; r++) {
                    sumGrad += outputGradient[r][j];
                    sumGradXHat += (double) outputGradient[r][j] * normalised[r][j];
                }
                if (gammaGradient != null) {
                    gammaGradient[j] = (float) sumGradXHat;
                }
                if (betaGradient != null) {
                    betaGradient[j] = (float) sumGrad;
                }
                if (inputGradient == null) {
                    continue;
                }
                for (int r = 0; r < rows; r++) {
                    double dx = trained
                            ? g * scale[j] * (outputGradient[r][j] - sumGrad / rows - normalised[r][j] * sumGradXHat / rows)
                            : g * scale[j] * outputGradient[r][j];
                    inputGradient[r][j] = (float) dx;
                }
            }
        }
    }

    @Override
    public void forward64(double[][] weights, double[][] input, double[][] output, boolean training, RandomGenerator random) {
        int width = inputs();
        int rows = input.length;
        int at = 0;
        double[] g = gamma == null ? null : weights[at++];
        double[] b = beta == null ? null : weights[at++];
        double[] movingMeans = weights[at];
        double[] movingVariances = weights[at + 1];
        for (int j = 0; j < width; j++) {
            double m = movingMeans[j];
            double variance = movingVariances[j];
            if (training) {
                double sum = 0;
                for (double[] row : input) {
                    sum += row[j];
                }
                m = sum / rows;
                double squares = 0;
                for (double[] row : input) {
                    squares += (row[j] - m) * (row[j] - m);
                }
                variance = squares / rows;
            }
            double s = 1 / Math.sqrt(variance + epsilon);
            for (int r = 0; r < rows; r++) {
                output[r][j] = (g == null ? 1 : g[j]) * (input[r][j] - m) * s + (b == null ? 0 : b[j]);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchNormalization other && name().equals(other.name()) && momentum == other.momentum
                && epsilon == other.epsilon && Arrays.equals(gamma, other.gamma) && Arrays.equals(beta, other.beta)
                && Arrays.equals(movingMean, other.movingMean) && Arrays.equals(movingVariance, other.movingVariance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), momentum, epsilon, Arrays.hashCode(gamma), Arrays.hashCode(beta),
                Arrays.hashCode(movingMean), Arrays.hashCode(movingVariance));
    }
}
