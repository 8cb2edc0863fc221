package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's {@code Dropout(rate)}: the identity at inference; in training (inside {@code fit}) each value is dropped to
 * 0 with probability {@code rate} and the others are scaled by {@code 1 / (1 - rate)} (inverted dropout), so the
 * expected output equals the input. The masks come from the fit's seed, so a seeded fit is repeatable.
 *
 * <pre>{@code
 * Dropout dropout = Dropout.of(4, 0.2);
 * float[] out = new float[4];
 * dropout.forward(new float[] {1, 2, 3, 4}, out);     // out = {1, 2, 3, 4}: inference
 * Network network = Network.builder(4).dense(8, Activation.RELU).dropout(0.2).dense(1, Activation.SIGMOID).build();
 * }</pre>
 *
 * <p>Keeps the shape of its input. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Dropout extends SameShapeLayer {

    private final double rate;

    private Dropout(String name, int width, double rate) {
        super(name, width);
        this.rate = rate;
    }

    /**
     * @param width values per sample, at least 1
     * @param rate the fraction of values dropped in training, in [0, 1)
     * @return the layer
     */
    public static Dropout of(int width, double rate) {
        Checks.positive(width, "width");
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("the dropout rate must be in [0, 1), got " + rate);
        }
        return new Dropout(null, width, rate);
    }

    /** @return the fraction of values dropped in training */
    public double rate() {
        return rate;
    }

    @Override
    public Dropout named(String newName) {
        Checks.notNull(newName, "name");
        return new Dropout(newName, width, rate);
    }

    @Override
    public String kerasClass() {
        return "Dropout";
    }

    @Override
    public boolean isIdentityAtInference() {
        return true;
    }

    @Override
    public void forward(float[] input, float[] output) {
        System.arraycopy(input, 0, output, 0, width);
    }

    /** Inverted dropout of one value: 0 with probability {@code rate}, else {@code x / (1 - rate)}. */
    private double drop(double x, RandomGenerator random, double[] slope) {
        slope[0] = random.nextDouble() < rate ? 0 : 1 / (1 - rate);
        return x * slope[0];
    }

    @Override
    public Pass pass(List<float[][]> weights, RandomGenerator random) {
        return new NoisePass(width, rate > 0, this::drop, random);
    }

    @Override
    public void forward64(double[][] weights, double[][] input, double[][] output, boolean training, RandomGenerator random) {
        NoisePass.forward64(input, output, training && rate > 0, this::drop, random);
    }

    @Override
    String shortForm() {
        return "Dropout(" + rate + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dropout other && name().equals(other.name()) && width == other.width && rate == other.rate;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), width, rate);
    }

    @Override
    public String toString() {
        return "Dropout(\"" + name() + "\", " + width + ", rate " + rate + ")";
    }
}
