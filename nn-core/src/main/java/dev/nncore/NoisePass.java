package dev.nncore;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The training pass of a layer that is the identity at inference and random in training, value by value: Dropout,
 * GaussianNoise, GaussianDropout, AlphaDropout. Each value {@code x} becomes {@code draw(x)}, and the slope
 * {@code dy/dx} of that draw is kept for the backward pass (0 where Dropout dropped, the noise factor for
 * GaussianDropout).
 */
final class NoisePass extends Layer.Pass {

    /** One value's random image in training. */
    @FunctionalInterface
    interface Draw {
        /**
         * @param slope {@code slope[0]} is set to {@code dy/dx}
         * @return {@code y}
         */
        double apply(double x, RandomGenerator random, double[] slope);
    }

    private final int width;
    private final boolean active;
    private final Draw draw;
    private final RandomGenerator random;
    private final Scratch scratch = new Scratch(1);
    private final double[] slope = new double[1];
    private float[][] slopes;
    private boolean trained;

    /** @param active false when the layer's rate or amount is 0, so that training too passes values through */
    NoisePass(int width, boolean active, Draw draw, RandomGenerator random) {
        this.width = width;
        this.active = active;
        this.draw = draw;
        this.random = random;
    }

    @Override
    public void forward(float[][] input, float[][] output, boolean training) {
        trained = training && active;
        if (!trained) {
            Scratch.copy(input, output);
            return;
        }
        slopes = scratch.get(0, input.length, width);
        for (int r = 0; r < input.length; r++) {
            for (int j = 0; j < width; j++) {
                output[r][j] = (float) draw.apply(input[r][j], random, slope);
                slopes[r][j] = (float) slope[0];
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
                inputGradient[r][j] = outputGradient[r][j] * slopes[r][j];
            }
        }
    }

    /** The float64 form: the same draws in the same order, the identity outside training. */
    static void forward64(double[][] input, double[][] output, boolean training, Draw draw, RandomGenerator random) {
        double[] slope = new double[1];
        for (int r = 0; r < input.length; r++) {
            for (int j = 0; j < input[r].length; j++) {
                output[r][j] = training ? draw.apply(input[r][j], random, slope) : input[r][j];
            }
        }
    }
}
