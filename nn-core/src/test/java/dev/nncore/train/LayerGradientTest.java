package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.Backprop;
import dev.nncore.BatchNormalization;
import dev.nncore.Dense;
import dev.nncore.Dropout;
import dev.nncore.Layer;
import dev.nncore.LayerNormalization;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.NoiseLayer;
import dev.nncore.Normalization;
import dev.nncore.PReLU;
import dev.nncore.Rescaling;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer's backward pass against float64 central differences of the loss (a gradient check), in training
 * mode (batch statistics, Dropout masks and noise) and at inference. Each layer sits between two Dense layers, so
 * its input gradient is checked through the first Dense layer's weight gradients and its own weights directly.
 * The float32 pass and the float64 forward draw their masks from generators of the same algorithm and seed, so both
 * see the same masks.
 */
class LayerGradientTest {

    /** Relative error as {@link GradientCheck} measures it: absolute below a gradient of 1e-4. */
    private static final double TOLERANCE = 2e-3;
    private static final double STEP = 1e-5;

    static Stream<Arguments> networks() {
        List<Arguments> cases = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (boolean training : new boolean[] {true, false}) {
            cases.add(Arguments.of("BatchNormalization", sandwich(random, w -> withRandomWeights(BatchNormalization.of(w), random, true)),
                    Loss.CATEGORICAL_CROSSENTROPY, training));
            cases.add(Arguments.of("BatchNormalization center=False", sandwich(random,
                    w -> withRandomWeights(BatchNormalization.of(w, 0.9, 1e-3, false, true), random, true)), Loss.MEAN_SQUARED_ERROR, training));
            cases.add(Arguments.of("LayerNormalization", sandwich(random, w -> withRandomWeights(LayerNormalization.of(w), random, false)),
                    Loss.BINARY_CROSSENTROPY, training));
            cases.add(Arguments.of("PReLU", sandwich(random, w -> withRandomWeights(PReLU.of(w), random, false)),
                    Loss.MEAN_SQUARED_ERROR, training));
            cases.add(Arguments.of("Dropout", sandwich(random, w -> Dropout.of(w, 0.3)), Loss.MEAN_SQUARED_ERROR, training));
            cases.add(Arguments.of("GaussianNoise", sandwich(random, w -> NoiseLayer.gaussianNoise(w, 0.5)), Loss.MEAN_SQUARED_ERROR, training));
            cases.add(Arguments.of("GaussianDropout", sandwich(random, w -> NoiseLayer.gaussianDropout(w, 0.3)), Loss.MEAN_SQUARED_ERROR, training));
            cases.add(Arguments.of("AlphaDropout", sandwich(random, w -> NoiseLayer.alphaDropout(w, 0.3)), Loss.MEAN_SQUARED_ERROR, training));
            cases.add(Arguments.of("Rescaling", sandwich(random, w -> Rescaling.of(w, 0.5, -1)), Loss.MEAN_SQUARED_ERROR, training));
        }
        cases.add(Arguments.of("Normalization first", Network.of(
                Normalization.of(new float[] {1, -2, 0.5f}, new float[] {4, 0.25f, 2}, false),
                dense(random, 3, 4, Activation.TANH), dense(random, 4, 2, Activation.LINEAR)), Loss.MEAN_SQUARED_ERROR, true));
        cases.add(Arguments.of("Flatten over 2x3", Network.builder(2, 3).flatten().dense(4, Activation.SIGMOID)
                .dense(2, Activation.SOFTMAX).seed(3).build(), Loss.CATEGORICAL_CROSSENTROPY, true));
        cases.add(Arguments.of("Dense without bias", Network.of(Dense.withoutBias(matrix(random, 3, 4), Activation.TANH),
                dense(random, 4, 2, Activation.LINEAR)), Loss.MEAN_SQUARED_ERROR, true));
        cases.add(Arguments.of("Dense(relu) then Softmax layer", Network.of(dense(random, 3, 4, Activation.RELU),
                ActivationLayer.of(4, Activation.SOFTMAX, "Softmax")), Loss.CATEGORICAL_CROSSENTROPY, true));
        cases.add(Arguments.of("Dense(linear) then sigmoid Activation layer", Network.of(dense(random, 3, 2, Activation.LINEAR),
                ActivationLayer.of(2, Activation.SIGMOID)), Loss.BINARY_CROSSENTROPY, true));
        for (Activation activation : activations()) {
            cases.add(Arguments.of("Activation layer " + activation, sandwich(random, w -> ActivationLayer.of(w, activation)),
                    Loss.MEAN_SQUARED_ERROR, true));
            cases.add(Arguments.of("Dense(" + activation + ")", Network.of(dense(random, 3, 4, activation),
                    dense(random, 4, 2, Activation.LINEAR)), Loss.MEAN_SQUARED_ERROR, true));
        }
        return cases.stream();
    }

    static List<Activation> activations() {
        List<Activation> all = new ArrayList<>(List.of(Activation.values()));
        all.remove(Activation.EXPONENTIAL); // checked below with smaller weights, so that e^x stays moderate
        all.addAll(List.of(Activation.leakyRelu(0.1), Activation.elu(0.5), Activation.gelu(true), Activation.relu(2.0, 0.1, 0.3),
                Activation.hardSigmoidKeras2(), Activation.EXPONENTIAL));
        return all;
    }

    @ParameterizedTest(name = "{0}, training {3}")
    @MethodSource("networks")
    void backwardMatchesCentralDifferences(String what, Network network, Loss loss, boolean training) {
        SplittableRandom data = new SplittableRandom(what.hashCode());
        int rows = 6;
        float[][] x = new float[rows][network.inputs()];
        float[][] y = new float[rows][network.outputs()];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < x[r].length; c++) {
                x[r][c] = (float) data.nextDouble(-1.5, 1.5);
            }
            int hot = data.nextInt(network.outputs());
            for (int c = 0; c < y[r].length; c++) {
                y[r][c] = loss == Loss.MEAN_SQUARED_ERROR ? (float) data.nextDouble(-1, 1) : c == hot ? 1 : 0;
            }
        }
        List<float[][]> weights = new ArrayList<>();
        for (Matrix weight : network.getWeights()) {
            weights.add(weight.toArray());
        }
        List<float[][]> before = new ArrayList<>();
        for (float[][] weight : weights) {
            before.add(Matrix.of(weight).toArray());
        }
        long seed = 99;
        Backprop backprop = Backprop.of(network, loss, weights, new SplitMix(seed));
        backprop.forward(x, y, training);
        List<float[][]> analytic = backprop.newGradients();
        backprop.backward(y, analytic);

        Float64Forward forward = new Float64Forward(network, loss);
        forward.load(before);
        forward.reseed(seed);
        double[][] working = forward.weights();
        double worst = 0;
        String where = "";
        int g = 0;
        for (int t = 0; t < working.length; t++) {
            if (!forward.isTrainable(t)) {
                continue;
            }
            float[][] gradient = analytic.get(g++);
            int cols = gradient[0].length;
            for (int i = 0; i < working[t].length; i++) {
                double original = working[t][i];
                working[t][i] = original + STEP;
                double plus = forward.loss(x, y, training);
                working[t][i] = original - STEP;
                double minus = forward.loss(x, y, training);
                working[t][i] = original;
                double numeric = (plus - minus) / (2 * STEP);
                double a = gradient[i / cols][i % cols];
                double error = Math.abs(a - numeric) / Math.max(1e-4, Math.max(Math.abs(a), Math.abs(numeric)));
                if (!(error <= worst)) {
                    worst = error;
                    where = "tensor " + t + " [" + i + "]: analytic " + a + ", numeric " + numeric;
                }
            }
        }
        assertThat(g).as("trainable tensors checked").isPositive();
        assertThat(worst).as(what + ": worst relative error at " + where).isLessThanOrEqualTo(TOLERANCE);
    }

    /** Dense(3 -> 4, tanh), the layer under test over 4 features, Dense(4 -> 3, softmax). */
    private static Network sandwich(SplittableRandom random, java.util.function.IntFunction<Layer> middle) {
        return Network.of(dense(random, 3, 4, Activation.TANH), middle.apply(4), dense(random, 4, 3, Activation.SOFTMAX));
    }

    private static Dense dense(SplittableRandom random, int in, int out, Activation activation) {
        float[] bias = new float[out];
        for (int j = 0; j < out; j++) {
            bias[j] = (float) random.nextDouble(-0.3, 0.3);
        }
        return Dense.of(matrix(random, in, out), bias, activation);
    }

    private static float[][] matrix(SplittableRandom random, int rows, int cols) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) random.nextDouble(-1, 1);
            }
        }
        return m;
    }

    /** The layer with random weights; moving variances (if {@code positive}) stay above 0. */
    private static Layer withRandomWeights(Layer layer, SplittableRandom random, boolean positiveLast) {
        List<Matrix> weights = new ArrayList<>();
        List<Matrix> current = layer.getWeights();
        for (int i = 0; i < current.size(); i++) {
            float[] values = new float[current.get(i).cols()];
            boolean variance = positiveLast && i == current.size() - 1;
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) (variance ? random.nextDouble(0.5, 2) : random.nextDouble(-1, 1));
            }
            weights.add(Matrix.row(values));
        }
        return layer.withWeights(weights);
    }

    /** SplitMix64, the algorithm of Float64Forward's replaying generator, so both draw the same masks. */
    private static final class SplitMix implements RandomGenerator {
        private long state;

        SplitMix(long seed) {
            state = seed;
        }

        @Override
        public long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
