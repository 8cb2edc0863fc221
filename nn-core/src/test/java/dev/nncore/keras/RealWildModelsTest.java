package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.BatchNormalization;
import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.Normalization;
import dev.nncore.Reshape;
import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras files from public repositories (keras-models/real-wild, each folder's case.json gives the source, inputs and
 * numpy's float64 outputs from the stored weights). Outputs must match within {@code |a - e| <= 1e-5 |e| + 1e-6}:
 * nn-core runs in float32, numpy ran in float64, and float32 rounding of sums up to 784 terms wide is what is left.
 * The worst seen is 7.8e-6 relative on the MNIST model's softmax (its logits reach the tens, and a probability's
 * relative error is the absolute error of a logit difference) and at most 1e-6 relative on the others, while a
 * wrong layer (a skipped BatchNormalization, a Keras 2 slope of 0.3 for 0.2) misses by orders of magnitude more.
 */
class RealWildModelsTest {

    private static final String ROOT = "/keras-models/real-wild/";
    private static final double RELATIVE = 1e-5;
    private static final double ABSOLUTE = 1e-6;

    @TempDir
    Path temp;

    private Path copy(String folder, String file) throws IOException {
        return Files.write(temp.resolve(file), Fixtures.bytes(ROOT + folder + "/" + file));
    }

    private static Map<String, Object> testCase(String folder) {
        return Fixtures.json(ROOT + folder + "/case.json");
    }

    /** Loads the folder's model and checks its outputs on the case's inputs against numpy's. */
    private Network loadAndMatch(String folder) throws IOException {
        Map<String, Object> testCase = testCase(folder);
        String file = (String) ((List<?>) testCase.get("files")).get(0);
        Network network = Keras.load(copy(folder, file));
        Matrix outputs = network.forward(Fixtures.matrix(testCase.get("inputs")));
        Fixtures.assertClose(outputs, Fixtures.doubles2d(testCase.get("expected")), ABSOLUTE, RELATIVE, folder);
        return network;
    }

    @Test
    void batchNormalizationBetweenDenseLayers() throws IOException {
        Network network = loadAndMatch("kajalkjain_deep-learning-challenge_soup_bn_keras");
        assertThat(network.layers()).extracting(Layer::kerasClass).containsExactly("Dense", "BatchNormalization", "Dense",
                "BatchNormalization", "Dense", "BatchNormalization", "Dense");
        assertThat(network.layers()).extracting(Layer::name).containsExactly("dense_74", "batch_normalization_50",
                "dense_75", "batch_normalization_51", "dense_76", "batch_normalization_52", "dense_77");
        BatchNormalization norm = (BatchNormalization) network.layers().get(1);
        assertThat(norm.epsilon()).isEqualTo(0.001);
        assertThat(norm.momentum()).isEqualTo(0.99);
        assertThat(network.inputShape()).containsExactly(37);
    }

    /** Keras 3 stores the adapted mean, variance and an int64 count; the network takes raw auto-mpg features. */
    @Test
    void normalizationAdaptedInKeras() throws IOException {
        Network network = loadAndMatch("rahulb-97_Auto-MPG-Regression_mpg_normalization_333");
        assertThat(network.layers()).extracting(Layer::kerasClass).containsExactly("Normalization", "Dense", "Dense", "Dense");
        Normalization norm = (Normalization) network.layers().get(0);
        assertThat(norm.invert()).isFalse();
        assertThat(norm.mean().cols()).isEqualTo(9);
    }

    @Test
    void leakyReluLayersWithKeras3Slope() throws IOException {
        Network network = loadAndMatch("2mdtln_FlowNet-ANN_final_leakyrelu");
        assertThat(network.layers()).extracting(Layer::kerasClass).containsExactly("Dense", "Dropout", "Dense", "LeakyReLU",
                "Dense", "LeakyReLU", "Dense");
        assertThat(network.layers().get(3).activation()).isEqualTo(Activation.leakyRelu(0.2));
    }

    @Test
    void flattenOf28By28InputWithDropout() throws IOException {
        Network network = loadAndMatch("Ammar-Asim-23_Handwritten-Digit-Recognizer_mnist_flatten_dropout_mlp");
        assertThat(network.inputShape()).containsExactly(28, 28);
        assertThat(network.layers().get(0)).isInstanceOf(Reshape.class);
        assertThat(((Reshape) network.layers().get(0)).isFlatten()).isTrue();
        assertThat(network.layers()).extracting(Layer::kerasClass).containsExactly("Flatten", "Dense", "Dropout", "Dense");
    }

    /** An LSTM declaring 3-D input is refused for being an LSTM, not for its input shape. */
    @Test
    void anLstmIsRefusedByItsClass() throws IOException {
        Path file = copy("malfaro2_dl4j-test-resources_simple_lstm_keras2", "simple_lstm_tf_keras_2_model.h5");
        assertThatThrownBy(() -> Keras.load(file)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageStartingWith("simple_lstm_tf_keras_2_model.h5 at config[0].config: LSTM layer \"lstm_1\""
                        + " is not supported: a recurrent layer")
                .hasMessageNotContaining("of shape");
    }

    /** Keras 1.2.2 wrote output_dim, bias and weights named dense_1_W:0 / dense_1_b:0. */
    @Test
    void keras1DenseFile() throws IOException {
        Network network = loadAndMatch("malfaro2_dl4j-test-resources_dense_tf_keras1");
        assertThat(network.layers()).extracting(Layer::name).containsExactly("dense_1");
        assertThat(network.inputShape()).containsExactly(4);
    }

    /** tf.keras 2.13 on Windows named the HDF5 links "_layer_checkpoint_dependencies\\dense", keys with gaps. */
    @Test
    void tfKeras213FileSavedOnWindows() throws IOException {
        Network network = loadAndMatch("Kalindin_Deep-Learning-Challenge_soup_opt_tfkeras2131_windows");
        assertThat(network.layers()).extracting(Layer::kerasClass).containsExactly("Dense", "Dense", "Dense");
    }

    /**
     * Wide and deep (Keras 2.4 legacy h5): inputs wide_input (5) and deep_input (6), a Concatenate, outputs main_output
     * and aux_output. Each case row is split by input_split in input_layers order; expected holds both outputs side by
     * side.
     */
    @Test
    void wideAndDeepTwoInputsTwoOutputs() throws IOException {
        String folder = "rogersaloo_example_wide_deep_multi_io";
        Map<String, Object> testCase = testCase(folder);
        Network network = Keras.load(copy(folder, "functional_model.h5"));
        assertThat(network.inputNames()).containsExactly("wide_input", "deep_input");
        assertThat(network.outputNames()).containsExactly("main_output", "aux_output");
        assertThat(network.layers()).extracting(Layer::kerasClass).containsExactly("Dense", "Dense", "Concatenate", "Dense",
                "Dense");
        assertThat(network.isSequential()).isFalse();
        double[][] rows = Fixtures.doubles2d(testCase.get("inputs"));
        List<?> split = (List<?>) testCase.get("input_split");
        List<Matrix> inputs = new java.util.ArrayList<>();
        int from = 0;
        for (Object width : split) {
            int w = ((Number) width).intValue();
            float[][] part = new float[rows.length][w];
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < w; c++) {
                    part[r][c] = (float) rows[r][from + c];
                }
            }
            inputs.add(Matrix.of(part));
            from += w;
        }
        List<Matrix> outputs = network.forwardAll(inputs);
        double[][] expected = Fixtures.doubles2d(testCase.get("expected"));
        float[][] both = new float[rows.length][2];
        for (int r = 0; r < rows.length; r++) {
            both[r][0] = outputs.get(0).get(r, 0);
            both[r][1] = outputs.get(1).get(r, 0);
        }
        Fixtures.assertClose(Matrix.of(both), expected, ABSOLUTE, RELATIVE, folder);
    }
}
