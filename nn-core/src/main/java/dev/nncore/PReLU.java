package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's {@code PReLU}: a leaky relu whose negative slopes are learned, one per feature: {@code y = x} for
 * {@code x > 0}, {@code alpha * x} otherwise. Keras starts {@code alpha} at 0 (a plain relu).
 *
 * <pre>{@code
 * PReLU prelu = PReLU.of(new float[] {0.1f, 0.5f});
 * float[] out = new float[2];
 * prelu.forward(new float[] {-1, -1}, out);                   // out = {-0.1, -0.5}
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class PReLU extends Layer {

    private final float[] alpha;

    private PReLU(String name, float[] alpha) {
        super(name);
        this.alpha = alpha;
    }

    /**
     * @param alpha the slope below 0 per feature; not modified
     * @return the layer
     */
    public static PReLU of(float[] alpha) {
        Checks.notNull(alpha, "alpha");
        if (alpha.length == 0) {
            throw new IllegalArgumentException("PReLU needs at least one feature");
        }
        return new PReLU(null, alpha.clone());
    }

    /**
     * @param width features per sample, at least 1
     * @return a fresh layer, slopes 0 as Keras initialises them
     */
    public static PReLU of(int width) {
        return new PReLU(null, new float[Checks.positive(width, "width")]);
    }

    @Override
    public PReLU named(String newName) {
        Checks.notNull(newName, "name");
        return new PReLU(newName, alpha);
    }

    @Override
    public String kerasClass() {
        return "PReLU";
    }

    @Override
    public int inputs() {
        return alpha.length;
    }

    @Override
    public int outputs() {
        return alpha.length;
    }

    @Override
    public List<String> weightNames() {
        return List.of("alpha");
    }

    @Override
    List<float[][]> weightArrays() {
        return List.<float[][]>of(new float[][] {alpha});
    }

    @Override
    Layer withWeightArrays(List<float[][]> weights) {
        return new PReLU(hasName() ? name() : null, weights.get(0)[0]);
    }

    @Override
    public void forward(float[] input, float[] output) {
        for (int j = 0; j < alpha.length; j++) {
            output[j] = input[j] > 0 ? input[j] : alpha[j] * input[j];
        }
    }

    @Override
    public Pass pass(List<float[][]> weights, RandomGenerator random) {
        return new Pass() {
            @Override
            public void forward(float[][] input, float[][] output, boolean training) {
                float[] a = weights.get(0)[0];
                for (int r = 0; r < input.length; r++) {
                    for (int j = 0; j < a.length; j++) {
                        output[r][j] = input[r][j] > 0 ? input[r][j] : a[j] * input[r][j];
                    }
                }
            }

            @Override
            public void backward(float[][] input, float[][] output, float[][] outputGradient, float[][] inputGradient,
                    List<float[][]> weightGradients) {
                float[] a = weights.get(0)[0];
                float[] alphaGradient = weightGradients.get(0)[0];
                Arrays.fill(alphaGradient, 0f);
                for (int r = 0; r < input.length; r++) {
                    for (int j = 0; j < a.length; j++) {
                        float x = input[r][j];
                        float g = outputGradient[r][j];
                        if (x < 0) {
                            alphaGradient[j] += g * x;
                        }
                        if (inputGradient != null) {
                            inputGradient[r][j] = x > 0 ? g : x < 0 ? a[j] * g : 0f;
                        }
                    }
                }
            }
        };
    }

    @Override
    public void forward64(double[][] weights, double[][] input, double[][] output, boolean training, RandomGenerator random) {
        double[] a = weights[0];
        for (int r = 0; r < input.length; r++) {
            for (int j = 0; j < a.length; j++) {
                output[r][j] = input[r][j] > 0 ? input[r][j] : a[j] * input[r][j];
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PReLU other && name().equals(other.name()) && Arrays.equals(alpha, other.alpha);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), Arrays.hashCode(alpha));
    }
}
