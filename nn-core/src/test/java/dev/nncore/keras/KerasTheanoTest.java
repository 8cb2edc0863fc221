package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.internal.hdf5.Hdf5Dataset;
import dev.nncore.internal.hdf5.Hdf5File;
import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files Keras wrote on its Theano backend (keras-models/theano_mnist_mlp_malfaro2, from malfaro2/dl4j-test-resources;
 * the folder's README gives paths and commit): an MNIST MLP 784 -> 512 -> 512 -> 10 saved by Keras 1.2.2 ({@code
 * to_json} + {@code save_weights}: {@code output_dim}, {@code init}, {@code W_regularizer}, Dropout's {@code p},
 * weights {@code dense_1_W} / {@code dense_1_b} without {@code :0}, no {@code backend} or {@code keras_version}
 * attribute) and one saved by Keras 2.0.6 (weights file with {@code backend = "theano"}). Theano's Dense kernels are
 * {@code [in][out]} as TensorFlow's, so nothing about the backend changes a dense network.
 *
 * <p>Outputs are checked against the predictions Keras itself recorded (float32, on Theano), within
 * {@code |a - e| <= 1e-5 |e| + 1e-6} (the rule of {@link RealWildModelsTest}), and within 1e-5 relative alone for
 * every expected value of at least 1e-6. Both sides are float32 with different summation orders over up to 784 terms,
 * and the logits span -19.6 to 19.2, so a softmax probability far below 1e-6 carries the absolute error of a logit
 * difference as its relative error. Measured on the Keras 1 file: Keras's recorded predictions are within 4.5e-6
 * relative of numpy float64; nn-core's are within 1.3e-5 relative of numpy and of Keras on all values (the worst on a
 * probability of 4e-11), 8.3e-6 on values of at least 1e-6, 4e-6 on values of at least 1e-3. A wrong LeakyReLU slope
 * or a missing bias misses by orders of magnitude more.
 */
class KerasTheanoTest {

    private static final String ROOT = "/keras-models/theano_mnist_mlp_malfaro2/";
    private static final double RELATIVE = 1e-5;
    private static final double ABSOLUTE = 1e-6;

    @TempDir
    Path temp;

    private Path copy(String file) throws IOException {
        return Files.write(temp.resolve(file), Fixtures.bytes(ROOT + file));
    }

    private static Matrix matrix(Hdf5Dataset dataset) throws IOException {
        long[] shape = dataset.shape();
        assertThat(shape).hasSize(2);
        float[] flat = dataset.readFloats();
        float[][] rows = new float[(int) shape[0]][(int) shape[1]];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(flat, r * rows[r].length, rows[r], 0, rows[r].length);
        }
        return Matrix.of(rows);
    }

    private static double[][] doubles(Matrix m) {
        double[][] out = new double[m.rows()][m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                out[r][c] = m.get(r, c);
            }
        }
        return out;
    }

    /** The largest {@code |a - e| / |e|} over the expected values of at least {@code floor}. */
    private static double worstRelative(Matrix actual, double[][] expected, double floor) {
        double worst = 0;
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < expected[r].length; c++) {
                if (Math.abs(expected[r][c]) >= floor) {
                    worst = Math.max(worst, Math.abs(actual.get(r, c) - expected[r][c]) / Math.abs(expected[r][c]));
                }
            }
        }
        return worst;
    }

    private static int[] argmax(double[][] rows) {
        int[] out = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 1; c < rows[r].length; c++) {
                if (rows[r][c] > rows[r][out[r]]) {
                    out[r] = c;
                }
            }
        }
        return out;
    }

    /**
     * Keras 1.2.2 on Theano: the architecture JSON (a bare list of layers, Keras 1 names) and the save_weights file
     * load through the public API and reproduce all 100 predictions stored in the file's inputs_and_outputs.h5.
     */
    @Test
    void keras1TheanoMnistMlpMatchesRecordedPredictions() throws IOException {
        Network network = Keras.load(copy("mnist_mlp_th_keras_1_config.json"), copy("mnist_mlp_th_keras_1_weights.h5"));
        assertThat(network.layers()).extracting(Layer::kerasClass).containsExactly("Dense", "LeakyReLU", "Dropout", "Dense",
                "Activation", "Dropout", "Dense", "Activation");
        assertThat(network.layers()).extracting(Layer::name).containsExactly("dense_1", "leakyrelu_1", "dropout_1",
                "dense_2", "activation_1", "dropout_2", "dense_3", "activation_2");
        assertThat(network.layers().get(1).activation()).isEqualTo(Activation.leakyRelu(0.3));
        assertThat(network.inputShape()).containsExactly(784);
        assertThat(network.parameterCount()).isEqualTo(784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10);

        Hdf5File recorded = Hdf5File.open(copy("mnist_mlp_th_keras_1_inputs_and_outputs.h5"));
        Matrix inputs = matrix(recorded.root().dataset("inputs/dense_input_1"));
        double[][] expected = doubles(matrix(recorded.root().dataset("predictions/activation_2")));
        assertThat(inputs.rows()).isEqualTo(100);

        Matrix outputs = network.forward(inputs);
        Fixtures.assertClose(outputs, expected, ABSOLUTE, RELATIVE, "mnist_mlp_th_keras_1");
        assertThat(worstRelative(outputs, expected, ABSOLUTE)).isLessThan(RELATIVE);
        assertThat(network.predictClasses(inputs)).containsExactly(argmax(expected));
    }

    /** The same file's weights also load onto the architecture alone, as Keras's model.load_weights does. */
    @Test
    void keras1TheanoWeightsLoadOntoTheArchitecture() throws IOException {
        Network loaded = Keras.load(copy("mnist_mlp_th_keras_1_config.json"), copy("mnist_mlp_th_keras_1_weights.h5"));
        Network zeroed = loaded.withWeights(loaded.getWeights().stream()
                .map(w -> Matrix.zeros(w.rows(), w.cols())).toList());
        Network reloaded = Keras.loadWeights(copy("mnist_mlp_th_keras_1_weights.h5"), zeroed);
        assertThat(reloaded.getWeights()).isEqualTo(loaded.getWeights());
    }

    /** Keras 2.0.6 on Theano: weights file with backend "theano"; 20 recorded predictions (extract_keras_2.py). */
    @Test
    void keras2TheanoMnistMlpMatchesRecordedPredictions() throws IOException {
        Hdf5File weights = Hdf5File.open(copy("mnist_mlp_th_keras_2_weights.h5"));
        assertThat(weights.root().attributes()).containsKey("backend");
        Network network = Keras.load(copy("mnist_mlp_th_keras_2_config.json"), copy("mnist_mlp_th_keras_2_weights.h5"));
        assertThat(network.layers()).extracting(Layer::kerasClass).containsExactly("Dense", "Dropout", "Dense", "Dropout",
                "Dense");
        Map<String, Object> recorded = Fixtures.json(ROOT + "mnist_mlp_th_keras_2_inputs_and_outputs.json");
        Matrix inputs = Fixtures.matrix(recorded.get("inputs"));
        double[][] expected = Fixtures.doubles2d(recorded.get("expected"));
        assertThat(inputs.rows()).isEqualTo(20);

        Matrix outputs = network.forward(inputs);
        Fixtures.assertClose(outputs, expected, ABSOLUTE, RELATIVE, "mnist_mlp_th_keras_2");
        assertThat(worstRelative(outputs, expected, ABSOLUTE)).isLessThan(RELATIVE);
        assertThat(network.predictClasses(inputs)).containsExactly(argmax(expected));
    }

    /**
     * The channels-first part of Theano files is in its convolution layers (Keras 1 writes {@code dim_ordering: "th"}
     * on Convolution2D and MaxPooling2D only; its Flatten carries none): the Keras 1 Theano MNIST CNN's architecture is
     * refused for its first layer's class before any weight is matched (so any HDF5 file serves as its weights).
     */
    @Test
    void keras1TheanoCnnIsRefusedByItsConvolutionLayer() throws IOException {
        Path json = copy("mnist_cnn_th_keras_1_config.json");
        Path weights = copy("mnist_mlp_th_keras_1_weights.h5");
        assertThatThrownBy(() -> Keras.load(json, weights)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageStartingWith("mnist_cnn_th_keras_1_config.json at config[0].config: Convolution2D layer"
                        + " \"convolution2d_1\" is not supported: nn-core has no layer of this class");
    }
}
