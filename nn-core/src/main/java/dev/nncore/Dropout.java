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
 * dropout.forward(new float[] {1, 2, 3, 4}, out);     // {1, 2, 3, 4}: inference
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

    @Override
    public Pass pass(List<float[][]> weights, RandomGenerator random) {
        float scale = (float) (1 / (1 - rate));
        return new Pass() {
            private final Scratch scratch = new Scratch(1);
            private float[][] mask;
            private boolean trained;

            @Override
            public void forward(float[][] input, float[][] output, boolean training) {
                trained = training && rate > 0;
                if (!trained) {
                    Scratch.copy(input, output);
                    return;
                }
                mask = scratch.get(0, input.length, width);
                for (int r = 0; r < input.length; r++) {
                    for (int j = 0; j < width; j++) {
                        mask[r][j] = random.nextDouble() < rate ? 0f : scale;
                        output[r][j] = input[r][j] * mask[r][j];
                    }
                }
            }

            @Override
            public void backward(float[][] input, float[][] output, float[][] outputGradient, float[][] inputGradient,
                    List<float[][]> weightGradients) {
                if (inputGradient == null) {
                    return;
                }
                if (!trained) {
                    Scratch.copy(outputGradient, inputGradient);
                    return;
                }
                for (int r = 0; r < input.length; r++) {
                    for (int j = 0; j < width; j++) {
                        inputGradient[r][j] = outputGradient[r][j] * mask[r][j];
                    }
                }
            }
        };
    }

    @Override
    public void forward64(double[][] weights, double[][] input, double[][] output, boolean training, RandomGenerator random) {
        double scale = 1 / (1 - rate);
        for (int r = 0; r < input.length; r++) {
            for (int j = 0; j < width; j++) {
                output[r][j] = training && rate > 0 ? (random.nextDouble() < rate ? 0 : input[r][j] * scale) : input[r][j];
            }
        }
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
