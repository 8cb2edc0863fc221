package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's noise layers, the identity at inference and random only inside {@code fit}, from the fit's seed:
 * <ul>
 *   <li>{@code GaussianNoise(stddev)}: adds {@code N(0, stddev^2)} noise;
 *   <li>{@code GaussianDropout(rate)}: multiplies by {@code N(1, rate / (1 - rate))} noise;
 *   <li>{@code AlphaDropout(rate)}: for SELU networks, sets dropped values to SELU's negative saturation
 *       {@code alpha' = -1.7581} and applies the affine correction {@code a x + b} that keeps mean and variance
 *       ({@code a = ((1 - rate)(1 + rate alpha'^2))^-1/2}, {@code b = -a alpha' rate}).
 * </ul>
 *
 * <pre>{@code
 * NoiseLayer noise = NoiseLayer.gaussianNoise(3, 0.1);
 * float[] out = new float[3];
 * noise.forward(new float[] {1, 2, 3}, out);          // out = {1, 2, 3}: inference
 * String kind = NoiseLayer.alphaDropout(3, 0.1).kerasClass(); // "AlphaDropout"
 * }</pre>
 *
 * <p>Keeps the shape of its input. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class NoiseLayer extends SameShapeLayer {

    private static final double SELU_NEGATIVE = -dev.nncore.activations.Selu.ALPHA * dev.nncore.activations.Selu.SCALE;

    private final String kerasClass;
    private final double amount;

    private NoiseLayer(String name, int width, String kerasClass, double amount) {
        super(name, width);
        this.kerasClass = kerasClass;
        this.amount = amount;
    }

    /**
     * @param width values per sample, at least 1
     * @param stddev the noise's standard deviation, at least 0
     * @return Keras's {@code GaussianNoise(stddev)}
     */
    public static NoiseLayer gaussianNoise(int width, double stddev) {
        if (!(stddev >= 0 && stddev < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("stddev must be finite and at least 0, got " + stddev);
        }
        return new NoiseLayer(null, Checks.positive(width, "width"), "GaussianNoise", stddev);
    }

    /**
     * @param width values per sample, at least 1
     * @param rate in [0, 1)
     * @return Keras's {@code GaussianDropout(rate)}
     */
    public static NoiseLayer gaussianDropout(int width, double rate) {
        return new NoiseLayer(null, Checks.positive(width, "width"), "GaussianDropout", rate(rate));
    }

    /**
     * @param width values per sample, at least 1
     * @param rate in [0, 1)
     * @return Keras's {@code AlphaDropout(rate)}
     */
    public static NoiseLayer alphaDropout(int width, double rate) {
        return new NoiseLayer(null, Checks.positive(width, "width"), "AlphaDropout", rate(rate));
    }

    private static double rate(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("the rate must be in [0, 1), got " + rate);
        }
        return rate;
    }

    /** @return {@code stddev} for GaussianNoise, {@code rate} for the dropouts */
    public double amount() {
        return amount;
    }

    @Override
    public NoiseLayer named(String newName) {
        Checks.notNull(newName, "name");
        return new NoiseLayer(newName, width, kerasClass, amount);
    }

    @Override
    public String kerasClass() {
        return kerasClass;
    }

    @Override
    public boolean isIdentityAtInference() {
        return true;
    }

    @Override
    public void forward(float[] input, float[] output) {
        System.arraycopy(input, 0, output, 0, width);
    }

    /** The AlphaDropout correction's {@code a}. */
    double alphaA() {
        return Math.pow((1 - amount) * (1 + amount * SELU_NEGATIVE * SELU_NEGATIVE), -0.5);
    }

    /** One noisy value in training: returns {@code y} and sets {@code slope[0] = dy/dx}. */
    private double noisy(double x, RandomGenerator random, double[] slope) {
        switch (kerasClass) {
            case "GaussianNoise" -> {
                slope[0] = 1;
                return x + random.nextGaussian() * amount;
            }
            case "GaussianDropout" -> {
                double factor = 1 + random.nextGaussian() * Math.sqrt(amount / (1 - amount));
                slope[0] = factor;
                return x * factor;
            }
            default -> {
                double a = alphaA();
                double b = -a * SELU_NEGATIVE * amount;
                boolean kept = random.nextDouble() >= amount;
                slope[0] = kept ? a : 0;
                return kept ? a * x + b : a * SELU_NEGATIVE + b;
            }
        }
    }

    @Override
    public Pass pass(List<float[][]> weights, RandomGenerator random) {
        return new NoisePass(width, amount > 0, this::noisy, random);
    }

    @Override
    public void forward64(double[][] weights, double[][] input, double[][] output, boolean training, RandomGenerator random) {
        NoisePass.forward64(input, output, training && amount > 0, this::noisy, random);
    }

    @Override
    String shortForm() {
        return kerasClass + "(" + amount + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseLayer other && name().equals(other.name()) && width == other.width
                && kerasClass.equals(other.kerasClass) && amount == other.amount;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), width, kerasClass, amount);
    }

    @Override
    public String toString() {
        return kerasClass + "(\"" + name() + "\", " + width + ", " + amount + ")";
    }
}
