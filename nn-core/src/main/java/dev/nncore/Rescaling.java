package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's {@code Rescaling(scale, offset)}: {@code y = x * scale + offset}, e.g. pixels from [0, 255] to [0, 1] with
 * {@code scale = 1/255}.
 *
 * <pre>{@code
 * Rescaling pixels = Rescaling.of(784, 1 / 255.0, 0);
 * Rescaling symmetric = Rescaling.of(2, 2, -1);                // [0, 1] to [-1, 1]
 * float[] out = new float[2];
 * symmetric.forward(new float[] {0, 1}, out);                 // out = {-1, 1}
 * }</pre>
 *
 * <p>Keeps the shape of its input. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Rescaling extends SameShapeLayer {

    private final double scale;
    private final double offset;
    private final float scale32;
    private final float offset32;

    private Rescaling(String name, int width, double scale, double offset) {
        super(name, width);
        this.scale = scale;
        this.offset = offset;
        this.scale32 = (float) scale;
        this.offset32 = (float) offset;
    }

    /**
     * @param width values per sample, at least 1
     * @param scale finite
     * @param offset finite
     * @return the layer
     */
    public static Rescaling of(int width, double scale, double offset) {
        Checks.positive(width, "width");
        if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("scale and offset must be finite, got " + scale + " and " + offset);
        }
        return new Rescaling(null, width, scale, offset);
    }

    /** @return the factor */
    public double scale() {
        return scale;
    }

    /** @return the offset added after scaling */
    public double offset() {
        return offset;
    }

    @Override
    public Rescaling named(String newName) {
        Checks.notNull(newName, "name");
        return new Rescaling(newName, width, scale, offset);
    }

    @Override
    public String kerasClass() {
        return "Rescaling";
    }

    @Override
    public void forward(float[] input, float[] output) {
        for (int j = 0; j < width; j++) {
            output[j] = input[j] * scale32 + offset32;
        }
    }

    @Override
    public Pass pass(List<float[][]> weights, RandomGenerator random) {
        return new Pass() {
            @Override
            public void forward(float[][] input, float[][] output, boolean training) {
                Rescaling.this.forward(input, output);
            }

            @Override
            public void backward(float[][] input, float[][] output, float[][] outputGradient, float[][] inputGradient,
                    List<float[][]> weightGradients) {
                if (inputGradient != null) {
                    for (int r = 0; r < input.length; r++) {
                        for (int j = 0; j < width; j++) {
                            inputGradient[r][j] = outputGradient[r][j] * scale32;
                        }
                    }
                }
            }
        };
    }

    @Override
    public void forward64(double[][] weights, double[][] input, double[][] output, boolean training, RandomGenerator random) {
        for (int r = 0; r < input.length; r++) {
            for (int j = 0; j < width; j++) {
                output[r][j] = input[r][j] * scale32 + offset32;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rescaling other && name().equals(other.name()) && width == other.width && scale == other.scale
                && offset == other.offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), width, scale, offset);
    }
}
