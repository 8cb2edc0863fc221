package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's {@code LayerNormalization} over the last axis of flat rows: each sample is normalised by its own mean and
 * (biased) variance, {@code y = (x - mean) / sqrt(variance + epsilon) * gamma + beta}, the same in training and at
 * inference.
 *
 * <pre>{@code
 * LayerNormalization norm = LayerNormalization.of(2);         // gamma 1, beta 0, epsilon 1e-3
 * Matrix y = norm.forward(Matrix.row(1, 3));                   // [[-0.9995, 0.9995]]
 * }</pre>
 *
 * <p>Defaults as in Keras: {@code epsilon} 1e-3, {@code center} and {@code scale} true. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class LayerNormalization extends Layer {

    /** Keras's default epsilon. */
    public static final double DEFAULT_EPSILON = 1e-3;

    private final int width;
    private final double epsilon;
    private final float[] gamma;
    private final float[] beta;

    private LayerNormalization(String name, int width, double epsilon, float[] gamma, float[] beta) {
        super(name);
        this.width = width;
        this.epsilon = epsilon;
        this.gamma = gamma;
        this.beta = beta;
    }

    /**
     * @param width features per sample, at least 1
     * @return a fresh layer with Keras's defaults (gamma 1, beta 0, epsilon 1e-3)
     */
    public static LayerNormalization of(int width) {
        return of(width, DEFAULT_EPSILON, true, true);
    }

    /**
     * @param width features per sample, at least 1
     * @param epsilon above 0
     * @param center whether there is a beta weight
     * @param scale whether there is a gamma weight
     * @return a fresh layer (gamma 1, beta 0)
     */
    public static LayerNormalization of(int width, double epsilon, boolean center, boolean scale) {
        Checks.positive(width, "width");
        Checks.positive(epsilon, "epsilon");
        float[] ones = new float[width];
        Arrays.fill(ones, 1f);
        return new LayerNormalization(null, width, epsilon, scale ? ones : null, center ? new float[width] : null);
    }

    /** @return the epsilon added to the variance */
    public double epsilon() {
        return epsilon;
    }

    /** @return whether there is a beta weight */
    public boolean center() {
        return beta != null;
    }

    /** @return whether there is a gamma weight */
    public boolean scale() {
        return gamma != null;
    }

    @Override
    public LayerNormalization named(String newName) {
        Checks.notNull(newName, "name");
        return new LayerNormalization(newName, width, epsilon, gamma, beta);
    }

    @Override
    public String kerasClass() {
        return "LayerNormalization";
    }

    @Override
    public int inputs() {
        return width;
    }

    @Override
    public int outputs() {
        return width;
    }

    @Override
    public List<String> weightNames() {
        return presentNames(new String[] {"gamma", "beta"}, gamma, beta);
    }

    @Override
    List<float[][]> weightArrays() {
        return presentRows(gamma, beta);
    }

    @Override
    Layer withWeightArrays(List<float[][]> weights) {
        int i = 0;
        float[] newGamma = gamma == null ? null : weights.get(i++)[0];
        float[] newBeta = beta == null ? null : weights.get(i)[0];
        return new LayerNormalization(hasName() ? name() : null, width, epsilon, newGamma, newBeta);
    }

    @Override
    public void forward(float[] input, float[] output) {
        normalise(input, output, gamma, beta, null);
    }

    /** One row; stores the normalised values in {@code normalised} if given; returns 1 / sqrt(variance + epsilon). */
    private double normalise(float[] input, float[] output, float[] g, float[] b, float[] normalised) {
        double sum = 0;
        for (float value : input) {
            sum += value;
        }
        double mean = sum / width;
        double squares = 0;
        for (float value : input) {
            squares += (value - mean) * (value - mean);
        }
        double scale = 1 / Math.sqrt(squares / width + epsilon);
        for (int j = 0; j < width; j++) {
            double xHat = (input[j] - mean) * scale;
            if (normalised != null) {
                normalised[j] = (float) xHat;
            }
            output[j] = (float) (xHat * (g == null ? 1 : g[j]) + (b == null ? 0 : b[j]));
        }
        return scale;
    }

    @Override
    public Pass pass(List<float[][]> weights, RandomGenerator random) {
        int gammaAt = gamma == null ? -1 : 0;
        int betaAt = beta == null ? -1 : gamma == null ? 0 : 1;
        return new Pass() {
            private final Scratch scratch = new Scratch(1);
            private float[][] normalised;
            private double[] scales = new double[0];

            @Override
            public void forward(float[][] input, float[][] output, boolean training) {
                normalised = scratch.get(0, input.length, width);
                if (scales.length != input.length) {
                    scales = new double[input.length];
                }
                float[] g = gammaAt < 0 ? null : weights.get(gammaAt)[0];
                float[] b = betaAt < 0 ? null : weights.get(betaAt)[0];
                for (int r = 0; r < input.length; r++) {
                    scales[r] = normalise(input[r], output[r], g, b, normalised[r]);
                }
            }

            @Override
            public void backward(float[][] input, float[][] output, float[][] outputGradient, float[][] inputGradient,
                    List<float[][]> weightGradients) {
                int next = 0;
                float[] gammaGradient = gammaAt < 0 ? null : weightGradients.get(next++)[0];
                float[] betaGradient = betaAt < 0 ? null : weightGradients.get(next)[0];
                float[] g = gammaAt < 0 ? null : weights.get(gammaAt)[0];
                if (gammaGradient != null) {
                    Arrays.fill(gammaGradient, 0f);
                }
                if (betaGradient != null) {
                    Arrays.fill(betaGradient, 0f);
                }
                for (int r = 0; r < input.length; r++) {
                    double sum = 0;
                    double sumXHat = 0;
                    for (int j = 0; j < width; j++) {
                        double d = outputGradient[r][j] * (g == null ? 1.0 : g[j]);
                        sum += d;
                        sumXHat += d * normalised[r][j];
                        if (gammaGradient != null) {
                            gammaGradient[j] += outputGradient[r][j] * normalised[r][j];
                        }
                        if (betaGradient != null) {
                            betaGradient[j] += outputGradient[r][j];
                        }
                    }
                    if (inputGradient != null) {
                        for (int j = 0; j < width; j++) {
                            double d = outputGradient[r][j] * (g == null ? 1.0 : g[j]);
                            inputGradient[r][j] = (float) (scales[r] * (d - sum / width - normalised[r][j] * sumXHat / width));
                        }
                    }
                }
            }
        };
    }

    @Override
    public void forward64(double[][] weights, double[][] input, double[][] output, boolean training, RandomGenerator random) {
        int at = 0;
        double[] g = gamma == null ? null : weights[at++];
        double[] b = beta == null ? null : weights[at];
        for (int r = 0; r < input.length; r++) {
            double mean = 0;
            for (double value : input[r]) {
                mean += value;
            }
            mean /= width;
            double variance = 0;
            for (double value : input[r]) {
                variance += (value - mean) * (value - mean);
            }
            double scale = 1 / Math.sqrt(variance / width + epsilon);
            for (int j = 0; j < width; j++) {
                output[r][j] = (input[r][j] - mean) * scale * (g == null ? 1 : g[j]) + (b == null ? 0 : b[j]);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerNormalization other && name().equals(other.name()) && width == other.width
                && epsilon == other.epsilon && Arrays.equals(gamma, other.gamma) && Arrays.equals(beta, other.beta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), width, epsilon, Arrays.hashCode(gamma), Arrays.hashCode(beta));
    }
}
