package dev.nncore.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.util.List;
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

    private static int[] floatBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
