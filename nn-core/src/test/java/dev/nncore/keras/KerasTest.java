package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KerasTest {

    @TempDir
    Path temp;

    /** Copies a classpath resource (and, for model.json, its shard) into the temp directory. */
    Path resource(String name) throws IOException {
        Path target = temp.resolve(name);
        Files.createDirectories(target.getParent());
        Files.write(target, Fixtures.bytes("/" + name));
        if (name.endsWith("model.json")) {
            String shard = name.substring(0, name.length() - "model.json".length()) + "weights.bin";
            Files.write(temp.resolve(shard), Fixtures.bytes("/" + shard));
        }
        return target;
    }

    static Stream<String> kerasFiles() {
        return Stream.of("keras2.2.4_xor_full_kishikishi-kishio.h5", "keras3.6.0_xor_legacyh5_ArnavKhurana22.h5",
                "keras3.10.0_xor_mehmetsefabalik.keras", "keras2.13.1_iris_untrained_tyza66.keras",
                "tfjs_node4.5.0_xor_MartinTintin3/model.json");
    }

    /**
     * Every real file loads, with exactly the float32 weights h5py read, and its outputs equal numpy's float64 forward
     * pass within 1e-6 (float32 rounding of a two-layer pass of width 16 at most is below 1e-6 on these outputs).
     */
    @ParameterizedTest
    @MethodSource("kerasFiles")
    void loadsRealKerasFilesAndMatchesNumpy(String name) throws IOException {
        Network network = Keras.load(resource("keras-models/" + name));
        assertMatchesNumpy(network, name);
    }

    @Test
    void loadsWeightsOnlyFileWithItsArchitectureJson() throws IOException {
        Network network = Keras.load(resource("keras-models/keras2.2.4-tf_xor_to_json_kdalkafoukis.json"),
                resource("keras-models/keras2.2.4-tf_xor_saveweights_kdalkafoukis.h5"));
        assertMatchesNumpy(network, "keras2.2.4-tf_xor_saveweights_kdalkafoukis.h5");
        assertThat(network.layers()).extracting(Layer::name).containsExactly("dense", "dense_1");
    }

    private static void assertMatchesNumpy(Network network, String name) {
        Map<?, ?> cases = (Map<?, ?>) Fixtures.json("/keras-references/numpy-outputs.json").get("cases");
        Map<?, ?> reference = (Map<?, ?>) cases.get(name);
        List<?> weights = (List<?>) reference.get("weights");
        List<Matrix> actual = network.getWeights();
        assertThat(actual).hasSize(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            Object w = weights.get(i);
            Matrix expected = ((List<?>) w).get(0) instanceof List ? Fixtures.matrix(w) : Matrix.row(Fixtures.floats1d(w));
            assertThat(actual.get(i)).as("%s weight %d", name, i).isEqualTo(expected);
        }
        Fixtures.assertClose(network.forward(Fixtures.matrix(reference.get("x"))), Fixtures.doubles2d(reference.get("output")),
                1e-6, 0, name);
    }

    @Test
    void readsKerasNamesAndKeepsActivationLayers() throws IOException {
        Network legacy = Keras.load(resource("keras-models/keras2.2.4_xor_full_kishikishi-kishio.h5"));
        assertThat(legacy).hasToString("Network[2 -> Dense(2, linear) -> Activation(sigmoid) -> Dense(1, linear) -> Activation(sigmoid)]");
        assertThat(legacy.layers()).extracting(Layer::name).containsExactly("dense_1", "activation_1", "dense_2", "activation_2");
        Network keras3 = Keras.load(resource("keras-models/keras3.10.0_xor_mehmetsefabalik.keras"));
        assertThat(keras3.layers()).extracting(Layer::name).containsExactly("dense_10", "dense_11");
        assertThat(keras3).hasToString("Network[2 -> Dense(4, tanh) -> Dense(1, sigmoid)]");
    }

    @Test
    void refusesTheSubclassedModelSayingWhy() throws IOException {
        Path file = resource("keras-models/keras3.15.0_nested_subclassed_keras-team-testdata.keras");
        assertThatThrownBy(() -> Keras.load(file)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("\"NestedDenseModel\"")
                .hasMessageContaining("legacy_nested_container>NestedDenseModel")
                .hasMessageContaining("subclassed model")
                .hasMessageContaining("no list of layers");
    }

    @Test
    void loadsTheTfjsReferenceModelAndMatchesTfjsPredictions() throws IOException {
        Path model = resource("reference/models/xor_2-8-1/model.json");
        Map<String, Object> reference = Fixtures.json("/reference/models/xor_2-8-1/case.json");
        Network network = Keras.load(model);
        Matrix x = Fixtures.matrix(reference.get("x"));
        Fixtures.assertClose(network.forward(x), Fixtures.doubles2d(reference.get("output_f64")), 1e-6, 0, "f64");
        Fixtures.assertClose(network.forward(x), Fixtures.doubles2d(reference.get("output_tfjs")), 1e-6, 0, "tfjs");
    }

    @Test
    void weightsOnlyFilesExplainHowToLoadThem() throws IOException {
        Path h5 = resource("keras-models/keras2.2.4-tf_xor_saveweights_kdalkafoukis.h5");
        assertThatThrownBy(() -> Keras.load(h5)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("weights only").hasMessageContaining("Keras.load(architectureJson, weights)");
        Path json = resource("keras-models/keras2.2.4-tf_xor_to_json_kdalkafoukis.json");
        assertThatThrownBy(() -> Keras.load(json)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("architecture without weights");
        Path npz = resource("numpy/xor_savez.npz");
        assertThatThrownBy(() -> Keras.load(npz)).hasMessageContaining("Keras.loadWeights(file, network)");
    }

    static Network videoXor() {
        return Network.of(
                Dense.of(new float[][] {{1.3f, 1.2f}, {1.3f, 1.2f}}, new float[] {-1.3f, 0}, Activation.RELU),
                Dense.of(new float[][] {{-1.6f}, {0.8f}}, new float[] {0}, Activation.LINEAR));
    }

    static Stream<String> numpyFiles() {
        return Stream.of("xor_savez.npz", "xor_savez_compressed.npz", "xor_float64_fortran.npz", "xor_big_endian.npz",
                "xor_sequence.npy");
    }

    /** numpy wrote these (make_numpy_fixtures.py) from the video's weights: each layout must give them back exactly. */
    @ParameterizedTest
    @MethodSource("numpyFiles")
    void loadsWeightsThatNumpyWrote(String name) throws IOException {
        Network blank = Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).seed(1).build();
        Network loaded = Keras.loadWeights(resource("numpy/" + name), blank);
        assertThat(loaded.getWeights()).isEqualTo(videoXor().getWeights());
        assertThat(loaded.forward(1, 0)[0]).isEqualTo(videoXor().forward(1, 0)[0]);
    }

    @Test
    void refusesPickledObjectArrays() throws IOException {
        Path file = resource("numpy/xor_object_array.npy");
        assertThatThrownBy(() -> Keras.loadWeights(file, videoXor())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("pickle").hasMessageContaining("np.savez(f, *model.get_weights())");
    }

    @Test
    void loadWeightsNamesTheFirstMismatch() throws IOException {
        Network wider = Network.builder(2).dense(3, Activation.RELU).dense(1, Activation.LINEAR).seed(1).build();
        Path file = resource("numpy/xor_savez.npz");
        assertThatThrownBy(() -> Keras.loadWeights(file, wider)).isInstanceOf(ModelFormatException.class)
                .hasMessage("xor_savez.npz: Dense layer \"dense\" weight \"kernel\" (array \"arr_0\") has shape [2, 2], expected"
                        + " [2, 3] for input (None, 2); Keras stores kernels as [in, units]");
    }

    @Test
    void roundTripsThroughKerasTfjsAndNpzKeepEveryBit() throws IOException {
        Network network = Network.builder(5).dense(7, Activation.TANH, "hidden").dense(3, Activation.SOFTMAX).seed(17).build();
        Matrix x = Matrix.of(new float[][] {{1, -2, 0.5f, 3, 0}, {0.25f, 0.5f, -1, 2, 9}});

        Path keras = temp.resolve("model.keras");
        Keras.save(network, keras);
        Network fromKeras = Keras.load(keras);
        assertThat(fromKeras).isEqualTo(network);
        assertThat(fromKeras.forward(x)).isEqualTo(network.forward(x));

        Path tfjs = temp.resolve("web");
        Keras.saveTfjs(network, tfjs);
        Network fromTfjs = Keras.load(tfjs.resolve("model.json"));
        assertThat(fromTfjs).isEqualTo(network);

        Path npz = temp.resolve("weights.npz");
        Keras.saveNpz(network, npz);
        Network blank = Network.builder(5).dense(7, Activation.TANH, "hidden").dense(3, Activation.SOFTMAX).seed(1).build();
        assertThat(Keras.loadWeights(npz, blank)).isEqualTo(network);

        Path weightsH5 = temp.resolve("model.weights.h5");
        Files.write(weightsH5, KerasZip.weights(network));
        assertThat(Keras.loadWeights(weightsH5, blank)).isEqualTo(network);
    }

    /** Windows editors save UTF-8 with a byte order mark; the JSON readers skip it. */
    @Test
    void aModelJsonWithAByteOrderMarkLoads() throws IOException {
        Path directory = temp.resolve("bom");
        Keras.saveTfjs(videoXor(), directory);
        Path json = directory.resolve("model.json");
        Files.writeString(json, "\uFEFF" + Files.readString(json));
        assertThat(Keras.load(json)).isEqualTo(videoXor());
    }

    @Test
    void savingTheSameNetworkTwiceGivesTheSameBytes() throws IOException {
        Network network = videoXor();
        Keras.save(network, temp.resolve("a.keras"));
        Keras.save(network, temp.resolve("b.keras"));
        assertThat(Files.readAllBytes(temp.resolve("a.keras"))).isEqualTo(Files.readAllBytes(temp.resolve("b.keras")));
    }

    @Test
    void savingReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = temp.resolve("model.keras");
        Files.writeString(file, "old");
        Keras.save(videoXor(), file);
        assertThat(Keras.load(file)).isEqualTo(videoXor());
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void badFilesEndInModelFormatExceptionsThatSayWhat() throws IOException {
        Path empty = Files.write(temp.resolve("empty.h5"), new byte[0]);
        assertThatThrownBy(() -> Keras.load(empty)).isInstanceOf(ModelFormatException.class).hasMessage("empty.h5: the file is empty");
        Path random = Files.write(temp.resolve("random.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThatThrownBy(() -> Keras.load(random)).isInstanceOf(ModelFormatException.class)
                .hasMessage("random.bin: not a model file: it starts with none of the HDF5, zip, .npy or JSON signatures"
                        + " (first bytes 0102030405060708)");
        Path badJson = Files.writeString(temp.resolve("model.json"), "{\"modelTopology\": {\"class_name\": ");
        assertThatThrownBy(() -> Keras.load(badJson)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("model.json: JSON at offset 33");
        byte[] keras = Fixtures.bytes("/keras-models/keras3.10.0_xor_mehmetsefabalik.keras");
        Path truncated = Files.write(temp.resolve("truncated.keras"), java.util.Arrays.copyOf(keras, keras.length / 2));
        assertThatThrownBy(() -> Keras.load(truncated)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("truncated.keras");
        assertThatThrownBy(() -> Keras.load(temp.resolve("missing.keras"))).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
