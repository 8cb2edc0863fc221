package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NetworkTest {

    /** The video's XOR network, weights as its diagram shows them (the transcript drops the minus of -1.6). */
    static Network videoXor() {
        return Network.of(
                Dense.of(new float[][] {{1.3f, 1.2f}, {1.3f, 1.2f}}, new float[] {-1.3f, 0}, Activation.RELU),
                Dense.of(new float[][] {{-1.6f}, {0.8f}}, new float[] {0}, Activation.LINEAR));
    }

    @Test
    void reproducesTheVideosXorNetworkNumberByNumber() {
        Network xor = videoXor();
        // (0,0): h = relu(-1.3), relu(0) = 0, 0 -> y = 0
        assertThat(xor.forward(0, 0)[0]).isEqualTo(0f);
        // (0,1): h0 = relu(1.3 - 1.3) = 0, h1 = relu(1.2) = 1.2 -> y = 1.2 * 0.8 = 0.96
        assertThat(xor.forward(0, 1)[0]).isCloseTo(0.96f, within(1e-6f));
        assertThat(xor.forward(1, 0)[0]).isCloseTo(0.96f, within(1e-6f));
        // (1,1): h0 = relu(2.6 - 1.3) = 1.3, h1 = 2.4 -> y = -1.6 * 1.3 + 0.8 * 2.4 = -2.08 + 1.92 = -0.16
        assertThat(xor.forward(1, 1)[0]).isCloseTo(-0.16f, within(1e-6f));
        // The hidden layer on its own, as the video computes it for (0,1): 0 and 1.2.
        assertThat(xor.layers().get(0).forward(0, 1)).containsExactly(0f, 1.2f);
    }

    /**
     * The Stack Overflow question's 1-16-1 ReLU/linear model, its 49 printed weights typed in from the question. At x = 10 they give
     * 25.00466 (numpy 2.4.6, float64: 25.00466064; float32: 25.004662; PyTorch float64 reference: 25.004660636804324),
     * the asker's expected "25" only because the model happens to be close. Float32 sums of 16 products of magnitude
     * below 10 err by well under 1e-4.
     */
    @Test
    void reproducesTheQandASeedsModelAtTen() {
        float[][] kernel1 = {{-0.10382611f, 0.48899287f, -0.36912352f, -0.11604425f, 0.03658517f, 0.546786f, -0.0094437f,
            0.5393126f, -0.36325318f, -0.20389882f, -0.00112574f, -0.39811927f, -0.25433052f, -0.16315842f, 0.6172162f,
            -0.47300738f}};
        float[] bias1 = {0f, 1.1705374f, 0f, 0f, -0.41323203f, 0.97515434f, 0f, 0.99699414f, 0f, 0f, -0.2316811f, 0f, 0f,
            0f, 1.4638424f, 0f};
        float[] kernel2Column = {-0.30404267f, 0.91265625f, 0.3578334f, -0.23462006f, -0.33843294f, 1.080244f,
            -0.5933689f, 1.0348322f, 0.47716653f, 0.18852347f, -0.21219982f, 0.45529807f, 0.39576346f, -0.05013525f,
            0.67550814f, -0.19761673f};
        Network model = Network.of(Dense.of(kernel1, bias1, Activation.RELU),
                Dense.of(Matrix.column(kernel2Column), Matrix.row(0.7426254f), Activation.LINEAR));
        assertThat(model.parameterCount()).isEqualTo(49);
        assertThat(model.forward(10)[0]).isCloseTo(25.00466f, within(1e-4f));
    }

    static Stream<String> forwardCases() {
        return Stream.of("fwd_01_3-1_linear", "fwd_03_2-3_softmax", "fwd_05_4-8-3_relu-softmax",
                "fwd_07_64-32-10_sigmoid-softmax", "fwd_09_10-64-64-4_relu-tanh-softmax",
                "fwd_11_7-12-1-5_linear-relu-softmax", "fwd_13_2-9-3-8-1_tanh-softmax-relu-sigmoid",
                "fwd_15_5-32-16-8-3_sigmoid-tanh-relu-softmax", "fwd_17_1-1-1-1-1_relu-sigmoid-tanh-linear",
                "fwd_19_3-10-10_tanh-softmax", "handwritten_xor_2-2-1_relu_linear_exact",
                "tutorial_1-16-1_relu_linear_y2x5", "tutorial_xor_2-2-1_relu_linear");
    }

    /**
     * PyTorch float64 forward passes of random networks. A float32 forward pass rounds each product and partial sum
     * (relative 6e-8); over a 64-wide layer and four layers the error stays below ~1e-5 relative, and saturating
     * activations only shrink it. So 1e-5 absolute + 1e-5 relative holds with margin, ten times tighter than the
     * files' recommended rule, and still catches a wrong activation or a transposed kernel by orders of magnitude.
     */
    @ParameterizedTest
    @MethodSource("forwardCases")
    void matchesPyTorchFloat64References(String name) {
        Map<String, Object> c = Fixtures.json("/reference/forward/" + name + ".json");
        Network network = Fixtures.network(c);
        Matrix x = Fixtures.matrix(c.get("x"));
        double[][] expected = Fixtures.doubles2d(c.get("output_f64"));
        Matrix batch = network.forward(x);
        Fixtures.assertClose(batch, expected, 1e-5, 1e-5, name);
        for (int r = 0; r < x.rows(); r++) {
            assertThat(network.forward(x.getRow(r))).as("%s row %d, one sample", name, r).containsExactly(batch.getRow(r));
        }
    }

    @Test
    void builderInitialisesLikeKerasGlorotUniformWithZeroBiases() {
        Network network = Network.builder(100).dense(50, Activation.RELU).dense(10, Activation.SOFTMAX).seed(3).build();
        double limit = Math.sqrt(6.0 / (100 + 50));
        Matrix kernel = network.getWeights().get(0);
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < 100; i++) {
            for (int j = 0; j < 50; j++) {
                float w = kernel.get(i, j);
                assertThat(Math.abs(w)).isLessThanOrEqualTo((float) limit);
                sum += w;
                sumSquares += w * w;
            }
        }
        // U(-l, l) has mean 0 and variance l^2 / 3; with 5000 draws the sample mean's s.d. is l / sqrt(15000).
        assertThat(sum / 5000).isCloseTo(0, within(5 * limit / Math.sqrt(15000)));
        assertThat(sumSquares / 5000).isCloseTo(limit * limit / 3, within(0.05 * limit * limit));
        assertThat(network.getWeights().get(1)).isEqualTo(Matrix.zeros(1, 50));
        assertThat(network.getWeights().get(3)).isEqualTo(Matrix.zeros(1, 10));
    }

    @Test
    void sameSeedSameWeightsAndDifferentSeedsDiffer() {
        Network.Builder builder = Network.builder(3).dense(4, Activation.TANH).dense(2, Activation.LINEAR);
        assertThat(builder.seed(9).build()).isEqualTo(builder.seed(9).build());
        assertThat(builder.seed(9).build()).isNotEqualTo(builder.seed(10).build());
    }

    @Test
    void weightsComeInKerasGetWeightsOrderAndShapes() {
        Network network = Network.builder(2).dense(3, Activation.RELU).dense(1, Activation.SIGMOID).seed(1).build();
        List<Matrix> weights = network.getWeights();
        assertThat(weights).extracting(Matrix::shape).containsExactly("2x3", "1x3", "3x1", "1x1");
        assertThat(network.parameterCount()).isEqualTo(2 * 3 + 3 + 3 + 1);
        assertThat(network.withWeights(weights)).isEqualTo(network);
        assertThat(network.inputs()).isEqualTo(2);
        assertThat(network.outputs()).isEqualTo(1);
    }

    @Test
    void withWeightsReturnsANewNetworkAndLeavesTheOldOneAlone() {
        Network network = Network.builder(1).dense(1, Activation.LINEAR).seed(1).build();
        Network replaced = network.withWeights(List.of(Matrix.row(2), Matrix.row(5)));
        assertThat(replaced.forward(10)).containsExactly(25f);
        assertThat(network.getWeights().get(1)).isEqualTo(Matrix.row(0));
        assertThat(replaced.layers().get(0).name()).isEqualTo(network.layers().get(0).name());
    }

    @Test
    void withWeightsNamesTheFirstMismatch() {
        Network network = videoXor();
        List<Matrix> weights = new ArrayList<>(network.getWeights());
        weights.set(2, Matrix.row(-1.6f, 0.8f));
        assertThatThrownBy(() -> network.withWeights(weights)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("weight 2 (layer 1 kernel) must be 2x1, got 1x2 (layer \"dense_1\"");
        assertThatThrownBy(() -> network.withWeights(weights.subList(0, 3)))
                .hasMessage("expected 4 weights (a kernel and a bias for each of 2 layers), got 3");
        List<Matrix> badBias = new ArrayList<>(network.getWeights());
        badBias.set(1, Matrix.column(-1.3f, 0));
        assertThatThrownBy(() -> network.withWeights(badBias)).hasMessageStartingWith("weight 1 (layer 0 bias) must be 1x2, got 2x1");
    }

    @Test
    void rejectsInputsOfTheWrongWidth() {
        Network network = videoXor();
        assertThatThrownBy(() -> network.forward(1, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Network expected 2 inputs, got 3");
        assertThatThrownBy(() -> network.forward(new float[0])).hasMessage("Network expected 2 inputs, got 0 (an empty sample)");
        assertThatThrownBy(() -> network.forward(Matrix.zeros(4, 3)))
                .hasMessage("Dense \"dense\" expects 2 inputs per row, got 3 (input shape [4][3])");
        assertThatThrownBy(() -> network.forward(Matrix.of(new float[0][]))).hasMessageContaining("at least one row");
        assertThatThrownBy(() -> network.forward((Matrix) null)).hasMessage("batch must not be null");
    }

    @Test
    void rejectsLayersThatDoNotChain() {
        Dense first = Dense.of(new float[][] {{1, 2}}, new float[] {0, 0}, Activation.RELU);
        Dense second = Dense.of(new float[][] {{1}, {2}, {3}}, new float[] {0}, Activation.RELU);
        assertThatThrownBy(() -> Network.of(first, second)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 1 (Dense(\"dense\", 3 -> 1, relu)) expects 3 inputs, but layer 0 (Dense(\"dense\", 1 -> 2, relu)) has 2 units");
        assertThatThrownBy(() -> Network.of()).hasMessage("a network needs at least one layer");
        Dense named = first.named("x");
        Dense alsoNamedX = Dense.of(new float[][] {{1}, {2}}, new float[] {0}, Activation.RELU).named("x");
        assertThatThrownBy(() -> Network.of(named, alsoNamedX)).hasMessageContaining("named \"x\" like an earlier layer");
        assertThatThrownBy(() -> Network.builder(0)).hasMessage("inputs must be at least 1, got 0");
        assertThatThrownBy(() -> Network.builder(2).dense(0, Activation.RELU)).hasMessage("units must be at least 1, got 0");
        assertThatThrownBy(() -> Network.builder(2).build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unnamedLayersGetKerasDefaultNamesAroundExplicitOnes() {
        Network network = Network.builder(2)
                .dense(3, Activation.RELU, "dense_1")
                .dense(3, Activation.RELU)
                .dense(1, Activation.LINEAR)
                .seed(0)
                .build();
        assertThat(network.layers()).extracting(Layer::name).containsExactly("dense_1", "dense", "dense_2");
    }

    @Test
    void nanInputsPropagateToOutputsWithoutThrowing() {
        Network network = Network.builder(2).dense(3, Activation.RELU).dense(2, Activation.SOFTMAX).seed(5).build();
        assertThat(network.forward(Float.NaN, 1)).containsOnly(Float.NaN);
        Matrix out = network.forward(Matrix.of(new float[][] {{Float.NaN, 1}, {1, 1}}));
        assertThat(out.getRow(0)).containsOnly(Float.NaN);
        assertThat(out.getRow(1)).doesNotContain(Float.NaN);
    }

    @Test
    void summaryLooksLikeKerasModelSummary() {
        String summary = Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).seed(0).build().summary();
        assertThat(summary).isEqualTo(String.join("\n",
                "Model: \"sequential\"",
                "_________________________________________________________________",
                " Layer (type)                Output Shape              Param #",
                "=================================================================",
                " dense (Dense)               (None, 2)                 6",
                "",
                " dense_1 (Dense)             (None, 1)                 3",
                "=================================================================",
                "Total params: 9 (36.00 Byte)",
                "Trainable params: 9 (36.00 Byte)",
                "Non-trainable params: 0 (0.00 Byte)",
                "_________________________________________________________________"));
    }

    /** Keras 2.12's print_summary wraps a long name at 27 characters; non-trainable weights are counted apart. */
    @Test
    void summaryNamesEveryLayerKindAndCountsWeightsThatAreNotTrainable() {
        Network network = Network.builder(28, 28).flatten().dense(64, Activation.RELU).batchNormalization().dropout(0.2)
                .dense(10, Activation.SOFTMAX).dropout(0.1).seed(42).build();
        assertThat(network.summary()).isEqualTo(String.join("\n",
                "Model: \"sequential\"",
                "_________________________________________________________________",
                " Layer (type)                Output Shape              Param #",
                "=================================================================",
                " flatten (Flatten)           (None, 784)               0",
                "",
                " dense (Dense)               (None, 64)                50240",
                "",
                " batch_normalization (BatchN  (None, 64)               256",
                " ormalization)",
                "",
                " dropout (Dropout)           (None, 64)                0",
                "",
                " dense_1 (Dense)             (None, 10)                650",
                "",
                " dropout_1 (Dropout)         (None, 10)                0",
                "=================================================================",
                "Total params: 51146 (199.79 KB)",
                "Trainable params: 51018 (199.29 KB)",
                "Non-trainable params: 128 (512.00 Byte)",
                "_________________________________________________________________"));
    }

    @Test
    void toStringShowsTheArchitecture() {
        Network network = Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.SIGMOID).seed(0).build();
        assertThat(network).hasToString("Network[2 -> Dense(2, relu) -> Dense(1, sigmoid)]");
    }

    @Test
    void eightThreadsGetBitIdenticalResultsToOneThread() throws Exception {
        Network network = Network.builder(64).dense(32, Activation.TANH).dense(10, Activation.SOFTMAX).seed(21).build();
        Random random = new Random(4);
        float[][] inputs = new float[200][64];
        for (float[] row : inputs) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        Matrix batch = Matrix.of(inputs);
        Matrix expected = network.forward(batch);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int repeat = 0; repeat < 50; repeat++) {
                        if (!network.forward(batch).equals(expected)) {
                            return false;
                        }
                        for (int r = 0; r < inputs.length; r += 17) {
                            if (!java.util.Arrays.equals(network.forward(inputs[r]), expected.getRow(r))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void forwardIntoCallerBuffersEqualsTheAllocatingForms() {
        // Equal adjacent widths make the workspace's ping-pong buffers matter: a layer must never read what it writes.
        Network network = Network.builder(4).dense(4, Activation.TANH).dense(4, Activation.RELU).dense(4, Activation.SIGMOID)
                .dense(3, Activation.SOFTMAX).seed(12).build();
        float[][] batch = {{1, 2, 3, 4}, {-1, 0.5f, 0, 2}, {0, 0, 0, 0}};
        float[][] out = new float[3][3];
        network.forward(batch, out);
        float[] single = new float[3];
        for (int r = 0; r < batch.length; r++) {
            assertThat(network.forward(batch[r], single)).isSameAs(single).containsExactly(network.forward(batch[r]));
            assertThat(out[r]).containsExactly(network.forward(Matrix.of(batch)).getRow(r));
            assertThat(out[r]).containsExactly(reference(network, batch[r]));
        }
    }

    /** Layer by layer through the public Dense API, allocating freely: the plain statement of a forward pass. */
    private static float[] reference(Network network, float[] input) {
        float[] activations = input;
        for (Layer layer : network.layers()) {
            activations = layer.forward(activations);
        }
        return activations;
    }

    @Test
    void forwardIntoCallerBuffersRejectsWrongShapesAndAliasing() {
        Network network = videoXor();
        assertThatThrownBy(() -> network.forward(new float[] {1, 0}, new float[2]))
                .hasMessage("output must have 1 values (the network's outputs), got 2");
        float[] both = new float[2];
        Network square = Network.builder(2).dense(2, Activation.LINEAR).seed(1).build();
        assertThatThrownBy(() -> square.forward(both, both)).hasMessage("output is the input array; pass a separate buffer");
        assertThatThrownBy(() -> network.forward(new float[][] {{1, 0}, {1}}, new float[2][1]))
                .hasMessage("batch row 1 has 1 values, expected 2");
        assertThatThrownBy(() -> network.forward(new float[][] {{1, 0}}, new float[2][1]))
                .hasMessage("batch has 1 rows and output 2; they must be equal and at least 1");
    }
}
