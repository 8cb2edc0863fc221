package dev.nncore.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.BatchNormalization;
import dev.nncore.Dense;
import dev.nncore.Dropout;
import dev.nncore.Layer;
import dev.nncore.LayerNormalization;
import dev.nncore.Network;
import dev.nncore.NoiseLayer;
import dev.nncore.Normalization;
import dev.nncore.PReLU;
import dev.nncore.Rescaling;
import dev.nncore.Reshape;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExplanationTest {

    /** The video's XOR network: hidden 1.3/1.3 bias -1.3 and 1.2/1.2 bias 0, output -1.6/0.8 bias 0. */
    static Network video() {
        return Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).build()
                .withWeights(List.of(
                        Matrix.of(new float[][] {{1.3f, 1.2f}, {1.3f, 1.2f}}), Matrix.row(-1.3f, 0),
                        Matrix.of(new float[][] {{-1.6f}, {0.8f}}), Matrix.row(0)));
    }


    /**
     * Dense(relu) -> BatchNormalization -> Dropout -> Dense(linear) -> Activation(softmax), with hand-picked weights:
     * for input (1, 0.75) the first layer gives (3, 0, 0).
     */
    static Network denseBatchNormDropoutSoftmax() {
        return Network.of(
                Dense.of(new float[][] {{1, -1, 0.5f}, {2, 0.5f, -1}}, new float[] {0.5f, 0, 0.1f}, Activation.RELU),
                BatchNormalization.of(0.99, 0.001, new float[] {0.5f, 2, 1}, new float[] {0.1f, -0.2f, 0},
                        new float[] {1, 0.5f, -0.25f}, new float[] {4, 0.25f, 1}),
                Dropout.of(3, 0.2),
                Dense.of(new float[][] {{1, -1}, {0.5f, 0.25f}, {-1, 2}}, new float[] {0, 0.1f}, Activation.LINEAR),
                ActivationLayer.of(2, Activation.SOFTMAX));
    }

    @Test
    void videosHandComputationForInputZeroOne() {
        Explanation explanation = video().explain(0, 1);

        LayerExplanation hidden = explanation.layers().get(0);
        assertThat(hidden.outputs()).containsExactly(0f, 1.2f);
        assertThat(explanation.output()[0]).isCloseTo(0.96f, within(1e-6f));
        assertThat(hidden.neurons().get(0)).hasToString("h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0");
        assertThat(hidden.neurons().get(1)).hasToString("h1[1] = relu(0 x 1.2 + 1 x 1.2 + 0) = relu(1.2) = 1.2");
        assertThat(explanation.layers().get(1).neurons().get(0))
                .hasToString("y[0] = 0 x (-1.6) + 1.2 x 0.8 + 0 = 0.96000004");
        assertThat(explanation).hasToString("""
                Network[2 -> Dense(2, relu) -> Dense(1, linear)], input x = [0, 1]
                layer 1 "dense": 2 inputs -> 2 neurons, relu
                  h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0
                  h1[1] = relu(0 x 1.2 + 1 x 1.2 + 0) = relu(1.2) = 1.2
                layer 2 "dense_1": 2 inputs -> 1 neuron, linear
                  y[0] = 0 x (-1.6) + 1.2 x 0.8 + 0 = 0.96000004
                output y = [0.96000004]
                """);
    }

    @Test
    void videosNetworkOnOneOneGivesMinusPointOneSix() {
        Explanation explanation = video().explain(1, 1);

        assertThat(explanation.output()[0]).isCloseTo(-0.16f, within(1e-6f));
        assertThat(explanation.toString(2)).contains("  h1[0] = relu(1 x 1.3 + 1 x 1.3 + (-1.3)) = relu(1.3) = 1.3\n",
                "  h1[1] = relu(1 x 1.2 + 1 x 1.2 + 0) = relu(2.4) = 2.4\n",
                "  y[0] = 1.3 x (-1.6) + 2.4 x 0.8 + 0 = -0.16\n", "output y = [-0.16]\n");
    }

    @Test
    void roundingToOneDigitWritesTheVideosNumbersAndSaysWhatItCosts() {
        // Keras's trained weights before the video rounded them for its diagram: 1.29 and so on
        Network trained = Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).build()
                .withWeights(List.of(
                        Matrix.of(new float[][] {{1.29f, 1.21f}, {1.29f, 1.21f}}), Matrix.row(-1.29f, 0),
                        Matrix.of(new float[][] {{-1.62f}, {0.79f}}), Matrix.row(0.01f)));

        String text = trained.explain(1, 0).toString(1);

        assertThat(text).contains("  h1[0] = relu(1 x 1.3 + 0 x 1.3 + (-1.3)) = relu(0) = 0\n",
                "  h1[1] = relu(1 x 1.2 + 0 x 1.2 + 0) = relu(1.2) = 1.2\n",
                "  y[0] = 0 x (-1.6) + 1.2 x 0.8 + 0 = 1\n"); // 0.9659 at 1 digit: rounded terms need not add up
        assertThat(text).contains("Numbers are rounded to 1 digit after the point for reading; every sum above was computed with the exact\n",
                "Rounding the weights themselves to 1 digit after the point (as the video rounds 1.29 to 1.3 on its diagram)"
                        + " loses\naccuracy: y would be [0.96000004] instead of [0.96590006] (largest change 0.0059000254).\n");
        assertThat(trained.explain(1, 0).toString()).contains("h1[0] = relu(1 x 1.29 + 0 x 1.29 + (-1.29)) = relu(0) = 0");
    }

    @Test
    void softmaxIsShownOverItsRow() {
        Network network = Network.of(Dense.of(new float[][] {{1, 0, -1}}, new float[] {0, 0, 0}, Activation.SOFTMAX));

        Explanation explanation = network.explain(2);

        assertThat(explanation).hasToString("""
                Network[1 -> Dense(3, softmax)], input x = [2]
                layer 1 "dense": 1 input -> 3 neurons, softmax over the row z1
                  z1[0] = 2 x 1 + 0 = 2
                  z1[1] = 2 x 0 + 0 = 0
                  z1[2] = 2 x (-1) + 0 = -2
                  softmax: m = max(z1) = 2, s = e^(2 - 2) + e^(0 - 2) + e^(-2 - 2) = 1.1536509
                  y[0] = e^(2 - 2) / 1.1536509 = 0.86681336
                  y[1] = e^(0 - 2) / 1.1536509 = 0.11731043
                  y[2] = e^(-2 - 2) / 1.1536509 = 0.015876241
                output y = [0.86681336, 0.11731043, 0.015876241]
                """);
        assertThat(explanation.output()).isEqualTo(network.forward(2));
    }

    @Test
    void explainedOutputEqualsForwardBitForBitForEveryActivation() {
        SplittableRandom random = new SplittableRandom(20240611);
        for (Activation hidden : new Activation[] {Activation.LINEAR, Activation.RELU, Activation.SIGMOID, Activation.TANH, Activation.SOFTMAX}) {
            for (Activation last : new Activation[] {Activation.LINEAR, Activation.RELU, Activation.SIGMOID, Activation.TANH, Activation.SOFTMAX}) {
                for (int trial = 0; trial < 5; trial++) {
                    int inputs = 1 + random.nextInt(40);
                    Network network = Network.builder(inputs).dense(1 + random.nextInt(30), hidden)
                            .dense(1 + random.nextInt(20), hidden).dense(1 + random.nextInt(10), last)
                            .seed(random.nextLong()).build();
                    network = withRandomBiases(network, random);
                    float[] input = new float[inputs];
                    for (int i = 0; i < inputs; i++) {
                        input[i] = (float) random.nextDouble(-3, 3);
                    }
                    Explanation explanation = network.explain(input);
                    float[] forward = network.forward(input);
                    assertThat(floatBits(explanation.output())).as("%s, %s", network, last).isEqualTo(floatBits(forward));
                    float[] values = input;
                    for (int l = 0; l < network.layers().size(); l++) {
                        values = network.layers().get(l).forward(values);
                        assertThat(floatBits(explanation.layers().get(l).outputs())).isEqualTo(floatBits(values));
                    }
                }
            }
        }
    }

    @Test
    void batchNormalizationLineShowsItsArithmeticWithItsOwnNumbers() {
        Network network = denseBatchNormDropoutSoftmax();

        Explanation explanation = network.explain(1, 0.75f);
        LayerExplanation bn = explanation.layers().get(1);
        NeuronExplanation first = bn.neurons().get(0);

        // by hand, in double, from Keras's formula: h1[0] = relu(1 x 1 + 0.75 x 2 + 0.5) = 3, then
        // (3 - moving_mean 1) / sqrt(moving_variance 4 + epsilon 0.001) x gamma 0.5 + beta 0.1
        double expected = (3.0 - 1.0) / Math.sqrt(4.0 + 0.001) * 0.5 + 0.1;
        assertThat((double) first.output()).isCloseTo(expected, within(1e-6));
        assertThat(expected).isCloseTo(0.59993751, within(1e-8));
        // inv = gamma / sqrt(variance + epsilon) and shift = beta - mean x inv, what BatchNormalization.forward uses
        double inv = 0.5 / Math.sqrt(4.001);
        assertThat(inv).isCloseTo(0.24996875, within(1e-8));
        assertThat(0.1 - 1 * inv).isCloseTo(-0.14996875, within(1e-8));
        assertThat(first).hasToString("h2[0] = (3 - 1) / sqrt(4 + 0.001) x 0.5 + 0.1 = 3 x 0.24996875 + (-0.14996876)"
                + " = 0.5999375");
        assertThat(first.parameters()).containsExactly(Map.entry("gamma", 0.5f), Map.entry("beta", 0.1f),
                Map.entry("moving_mean", 1f), Map.entry("moving_variance", 4f));
        assertThat(first.inputs()).containsExactly(3f);
        assertThat(first.isDense()).isFalse();
        assertThat(bn.kerasClass()).isEqualTo("BatchNormalization");
        assertThat(bn.activation()).isNull();
        for (int j = 0; j < 3; j++) {
            float x = explanation.layers().get(0).outputs()[j];
            float[] gamma = {0.5f, 2, 1};
            float[] beta = {0.1f, -0.2f, 0};
            float[] mean = {1, 0.5f, -0.25f};
            float[] variance = {4, 0.25f, 1};
            assertThat((double) bn.outputs()[j])
                    .isCloseTo((x - mean[j]) / Math.sqrt(variance[j] + 0.001) * gamma[j] + beta[j], within(1e-6));
        }
    }

    @Test
    void everyLayerOfDenseBatchNormDropoutSoftmaxIsExplained() {
        Network network = denseBatchNormDropoutSoftmax();

        Explanation explanation = network.explain(1, 0.75f);

        assertThat(explanation).hasToString("""
                Network[2 -> Dense(3, relu) -> BatchNormalization(3) -> Dropout(0.2) -> Dense(2, linear) -> Activation(softmax)], input x = [1, 0.75]
                layer 1 "dense": 2 inputs -> 3 neurons, relu
                  h1[0] = relu(1 x 1 + 0.75 x 2 + 0.5) = relu(3) = 3
                  h1[1] = relu(1 x (-1) + 0.75 x 0.5 + 0) = relu(-0.625) = 0
                  h1[2] = relu(1 x 0.5 + 0.75 x (-1) + 0.1) = relu(-0.15) = 0
                layer 2 "batch_normalization": BatchNormalization of 3 values, epsilon = 0.001
                  h2[j] = (h1[j] - moving_mean[j]) / sqrt(moving_variance[j] + epsilon) x gamma[j] + beta[j]
                        = h1[j] x inv[j] + shift[j], with inv = gamma / sqrt(moving_variance + epsilon) and shift = beta - moving_mean x inv
                  h2[0] = (3 - 1) / sqrt(4 + 0.001) x 0.5 + 0.1 = 3 x 0.24996875 + (-0.14996876) = 0.5999375
                  h2[1] = (0 - 0.5) / sqrt(0.25 + 0.001) x 2 + (-0.2) = 0 x 3.992024 + (-2.196012) = -2.196012
                  h2[2] = (0 - (-0.25)) / sqrt(1 + 0.001) x 1 + 0 = 0 x 0.9995004 + 0.2498751 = 0.2498751
                layer 3 "dropout": Dropout(rate=0.2), identity at inference: h3 = h2
                layer 4 "dense_1": 3 inputs -> 2 neurons, linear
                  h4[0] = 0.5999375 x 1 + (-2.196012) x 0.5 + 0.2498751 x (-1) + 0 = -0.74794364
                  h4[1] = 0.5999375 x (-1) + (-2.196012) x 0.25 + 0.2498751 x 2 + 0.1 = -0.54919034
                layer 5 "activation": Activation of 2 values, softmax over the row h4
                  softmax: m = max(h4) = -0.54919034, s = e^(-0.74794364 - (-0.54919034)) + e^(-0.54919034 - (-0.54919034)) = 1.8197521
                  y[0] = e^(-0.74794364 - (-0.54919034)) / 1.8197521 = 0.4504746
                  y[1] = e^(-0.54919034 - (-0.54919034)) / 1.8197521 = 0.5495254
                output y = [0.4504746, 0.5495254]
                """);
        assertThat(floatBits(explanation.output())).isEqualTo(floatBits(network.forward(1, 0.75f)));
        LayerExplanation dropout = explanation.layers().get(2);
        assertThat(dropout.isIdentityAtInference()).isTrue();
        assertThat(dropout.neurons()).isEmpty();
        assertThat(dropout.symbol()).isEqualTo("h3");
        assertThat(floatBits(dropout.outputs())).isEqualTo(floatBits(explanation.layers().get(1).outputs()));
        assertThat(explanation.layers()).extracting(LayerExplanation::number).containsExactly(1, 2, 3, 4, 5);
        assertThat(explanation.layers().get(4).neurons().get(1).inputs()).hasSize(2); // softmax reads the row
        // (-0.75 - (-0.55)) at 2 digits: rounded for reading, settings such as epsilon stay exact
        assertThat(explanation.toString(2)).contains("  h2[0] = (3 - 1) / sqrt(4 + 0.001) x 0.5 + 0.1 = 3 x 0.25 + (-0.15) = 0.6\n",
                "  y[0] = e^(-0.75 - (-0.55)) / 1.82 = 0.45\n", "Rounding the weights themselves to 2 digits");
    }

    @Test
    void explainedOutputEqualsForwardBitForBitForEveryLayerKind() {
        SplittableRandom random = new SplittableRandom(20250101);
        Activation[] activations = {Activation.RELU, Activation.leakyRelu(0.3), Activation.elu(0.7), Activation.SIGMOID,
            Activation.TANH, Activation.GELU, Activation.SELU, Activation.SOFTMAX, Activation.LOG_SOFTMAX};
        for (int trial = 0; trial < 60; trial++) {
            int width = 1 + random.nextInt(20);
            Activation activation = activations[trial % activations.length];
            int units = 1 + random.nextInt(5);
            Network network = Network.builder(2, width)
                    .flatten()
                    .add(Rescaling.of(2 * width, random.nextDouble(0.1, 2), random.nextDouble(-1, 1)))
                    .add(Normalization.of(randoms(random, 2 * width, -1, 1), randoms(random, 2 * width, 0, 3), trial % 2 == 0))
                    .dense(width, activation)
                    .batchNormalization()
                    .dropout(0.3)
                    .add(NoiseLayer.gaussianNoise(width, 0.1))
                    .add(PReLU.of(randoms(random, width, 0, 0.5f)))
                    .add(LayerNormalization.of(width))
                    .add(ActivationLayer.of(width, Activation.leakyRelu(0.2), "LeakyReLU"))
                    .add(ActivationLayer.of(width, Activation.elu(1.0), "ELU"))
                    .dense(units, Activation.LINEAR)
                    .add(ActivationLayer.of(units, activation).named("last"))
                    .seed(random.nextLong())
                    .build();
            network = withRandomWeights(network, random);
            float[] input = randoms(random, 2 * width, -3, 3);

            Explanation explanation = network.explain(input);

            assertThat(floatBits(explanation.output())).as("%s", network).isEqualTo(floatBits(network.forward(input)));
            float[] values = input;
            for (int l = 0; l < network.layers().size(); l++) {
                values = network.layers().get(l).forward(values);
                assertThat(floatBits(explanation.layers().get(l).outputs())).isEqualTo(floatBits(values));
                for (NeuronExplanation neuron : explanation.layers().get(l).neurons()) {
                    // a Dense softmax neuron's line gives its weighted sum; the layer's softmax lines give its output
                    boolean sumLine = neuron.isDense() && neuron.toString().startsWith(neuron.sumName());
                    assertThat(neuron.toString()).endsWith(" = "
                            + Numbers.format(sumLine ? neuron.weightedSum() : neuron.output(), Numbers.EXACT));
                }
            }
            String text = explanation.toString();
            assertThat(text).contains(" inv[j] + shift[j]", "LayerNormalization of ", "  mean = (",
                    "identity at inference: h6 = h5", "identity at inference: h7 = h6", "Flatten (2, " + width + ") -> (",
                    "Rescaling of ", "PReLU of ", "leaky_relu(negative_slope=0.2)");
            assertThat(explanation.toString(3)).contains("Rounding the weights themselves to 3 digits");
            // BatchNormalization shows the float32 steps of its forward pass whenever they are exact, which they are
            for (NeuronExplanation neuron : explanation.layers().get(4).neurons()) {
                assertThat(neuron.toString()).matches("h5\\[\\d+] = \\(.* = .* x .* \\+ .* = .*");
            }
        }
    }

    @Test
    void eachLayerKindWritesItsOwnFormula() {
        Network network = Network.of(
                Rescaling.of(3, 0.5, 1),
                Normalization.of(new float[] {1, 2, 3}, new float[] {4, 0, 2}, false),
                LayerNormalization.of(3),
                PReLU.of(new float[] {0.25f, 0.5f, 0.1f}),
                ActivationLayer.of(3, Activation.leakyRelu(0.2), "LeakyReLU"),
                Dense.of(new float[][] {{1, 2}, {3, 4}, {5, 6}}, new float[] {0, 0}, Activation.LOG_SOFTMAX),
                Reshape.of(new int[] {2}, new int[] {1, 2}));

        String text = network.explain(0, 2, -4).toString();

        assertThat(text).contains("""
                layer 1 "rescaling": Rescaling of 3 values
                  h1[j] = x[j] x scale + offset, scale = 0.5, offset = 1
                  h1[0] = 0 x 0.5 + 1 = 1
                """, """
                layer 2 "normalization": Normalization of 3 values
                  h2[j] = (h1[j] - mean[j]) / sqrt(variance[j])
                  h2[0] = (1 - 1) / sqrt(4) = 0
                  h2[1] = (2 - 2) / max(sqrt(0), 1e-7) = 0
                  h2[2] = ((-1) - 3) / sqrt(2) = -2.828427
                """, """
                layer 3 "layer_normalization": LayerNormalization of 3 values over the row h2, epsilon = 0.001
                  mean = (0 + 0 + (-2.828427)) / 3 = -0.94280905
                  variance = ((0 - (-0.94280905))^2 + (0 - (-0.94280905))^2 + ((-2.828427) - (-0.94280905))^2) / 3 = 1.7777777
                """, """
                  h3[j] = (h2[j] - mean) / sqrt(variance + epsilon) x gamma[j] + beta[j]
                  h3[0] = (0 - (-0.94280905)) / sqrt(1.7777777 + 0.001) x 1 + 0 = 0.706908
                """, """
                layer 4 "p_re_lu": PReLU of 3 values
                  h4[j] = h3[j] if h3[j] > 0, else alpha[j] x h3[j]
                  h4[0] = prelu(0.706908) = 0.706908
                """, "  h4[2] = prelu(-1.413816) = 0.1 x (-1.413816) = -0.1413816\n", """
                layer 5 "leaky_re_lu": LeakyReLU of 3 values, leaky_relu(negative_slope=0.2)
                  h5[0] = leaky_relu(0.706908) = 0.706908
                """, "  h5[2] = leaky_relu(-0.1413816) = -0.02827632\n",
                "layer 6 \"dense\": 3 inputs -> 2 neurons, log_softmax over the row z6\n",
                "  log_softmax: m = max(z6) = ", ", m + ln(s) = ",
                "layer 7 \"reshape\": Reshape (2,) -> (1, 2), the same values in the same order: y = h6\n");
        // by hand in double: rescaled (1, 2, -1); normalised (0, 0, -4 / sqrt 2); the row's mean -sqrt(8) / 3 and
        // variance 16 / 9; then prelu and leaky_relu of the last value: -1.4138 x 0.1 x 0.2
        Explanation explanation = network.explain(0, 2, -4);
        double normalised = -4 / Math.sqrt(2);
        double mean = normalised / 3;
        double variance = (2 * mean * mean + (normalised - mean) * (normalised - mean)) / 3;
        assertThat(variance).isCloseTo(16.0 / 9, within(1e-12));
        double last = (normalised - mean) / Math.sqrt(variance + 0.001);
        assertThat((double) explanation.layers().get(1).outputs()[2]).isCloseTo(normalised, within(1e-6));
        assertThat((double) explanation.layers().get(2).outputs()[0]).isCloseTo(-mean / Math.sqrt(variance + 0.001), within(1e-6));
        assertThat((double) explanation.layers().get(4).outputs()[2]).isCloseTo(last * 0.1 * 0.2, within(1e-7));
        assertThat(network.explain(0, 2, -4).layers().get(0).neurons().get(0).parameters())
                .containsExactly(Map.entry("scale", 0.5f), Map.entry("offset", 1f));
        assertThat(Network.builder(2).leakyRelu(0.2).build().explain(-2, 3).layers().get(0).neurons().get(0))
                .hasToString("y[0] = leaky_relu(-2) = -0.4");
        assertThat(Network.builder(2, 2).flatten().dense(1, Activation.LINEAR).build().explain(1, 2, 3, 4).toString())
                .contains("layer 1 \"flatten\": Flatten (2, 2) -> (4,), the same values in the same order: h1 = x\n");
    }

    @Test
    void denseOnlyAccessorsSayWhyOnOtherLayers() {
        Explanation explanation = denseBatchNormDropoutSoftmax().explain(1, 0.75f);
        NeuronExplanation bn = explanation.layers().get(1).neurons().get(0);

        assertThatThrownBy(bn::weights).isInstanceOf(IllegalStateException.class)
                .hasMessage("h2[0] belongs to a BatchNormalization layer, which has no weights; see parameters()");
        assertThatThrownBy(bn::weightedSum).hasMessage(
                "h2[0] belongs to a BatchNormalization layer, which has no weighted sum; see parameters()");
        assertThatThrownBy(() -> explanation.layers().get(2).weightedSums()).isInstanceOf(IllegalStateException.class)
                .hasMessage("layer 3 \"dropout\" is a Dropout layer, which computes no weighted sums");
        NeuronExplanation dense = explanation.layers().get(3).neurons().get(0);
        assertThat(dense.isDense()).isTrue();
        assertThat(dense.weights()).containsExactly(1f, 0.5f, -1f);
        assertThat(dense.sumName()).isEqualTo("z4[0]");
        assertThat(dense.parameters()).isEmpty();
    }

    @Test
    void denseWithoutBiasWritesNoBiasTerm() {
        Network network = Network.of(Dense.withoutBias(new float[][] {{2}, {3}}, Activation.RELU));

        assertThat(network.explain(1, 1)).hasToString("""
                Network[2 -> Dense(1, relu)], input x = [1, 1]
                layer 1 "dense": 2 inputs -> 1 neuron, relu, no bias
                  y[0] = relu(1 x 2 + 1 x 3) = relu(5) = 5
                output y = [5]
                """);
    }

    @Test
    void longFanInsAreWrittenAsTheirFirstAndLastTerms() {
        float[][] kernel = new float[20][1];
        for (int k = 0; k < 20; k++) {
            kernel[k][0] = k;
        }
        Network network = Network.of(Dense.of(kernel, new float[] {0.5f}, Activation.LINEAR));

        String line = network.explain(new float[20]).layers().get(0).neurons().get(0).toString();

        assertThat(line).isEqualTo("y[0] = 0 x 0 + 0 x 1 + 0 x 2 + 0 x 3 + 0 x 4 + 0 x 5 + ... (12 more terms) + 0 x 18"
                + " + 0 x 19 + 0.5 = 0.5");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> video().explain(1, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Network expected 2 inputs, got 3");
        assertThatThrownBy(() -> video().explain(0, 1).toString(10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("digits must be between 0 and 9 (places after the decimal point), got 10");
    }

    @Test
    void numbersAreWrittenPlainly() {
        assertThat(Numbers.format(1.29f, 1)).isEqualTo("1.3");
        assertThat(Numbers.format(-0f, Numbers.EXACT)).isEqualTo("0");
        assertThat(Numbers.format(-0.04f, 1)).isEqualTo("0");
        assertThat(Numbers.format(0.96000004f, Numbers.EXACT)).isEqualTo("0.96000004");
        assertThat(Numbers.format(2.5e-5f, Numbers.EXACT)).isEqualTo("2.5E-5");
        assertThat(Numbers.format(Float.NaN, 2)).isEqualTo("NaN");
        assertThat(Numbers.operand(-1.3f, Numbers.EXACT)).isEqualTo("(-1.3)");
    }

    private static Network withRandomBiases(Network network, SplittableRandom random) {
        List<Matrix> weights = new java.util.ArrayList<>(network.getWeights());
        for (int i = 1; i < weights.size(); i += 2) {
            float[] bias = new float[weights.get(i).cols()];
            for (int j = 0; j < bias.length; j++) {
                bias[j] = (float) random.nextDouble(-1, 1);
            }
            weights.set(i, Matrix.row(bias));
        }
        return network.withWeights(weights);
    }

    private static float[] randoms(SplittableRandom random, int count, double from, double to) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(from, to);
        }
        return values;
    }

    /** Every weight drawn at random: kernels, biases, gamma and beta in [-1, 1), variances in [0.1, 2), means in [-1, 1). */
    private static Network withRandomWeights(Network network, SplittableRandom random) {
        List<Matrix> weights = new ArrayList<>();
        for (Layer layer : network.layers()) {
            List<String> names = layer.weightNames();
            for (int i = 0; i < names.size(); i++) {
                Matrix weight = layer.getWeights().get(i);
                boolean variance = names.get(i).contains("variance");
                float[][] values = new float[weight.rows()][];
                for (int r = 0; r < weight.rows(); r++) {
                    values[r] = randoms(random, weight.cols(), variance ? 0.1 : -1, variance ? 2 : 1);
                }
                weights.add(Matrix.of(values));
            }
        }
        return network.withWeights(weights);
    }

    private static int[] floatBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
