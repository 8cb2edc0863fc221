package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.NoiseLayer;
import dev.nncore.Reshape;
import dev.nncore.internal.hdf5.Hdf5File;
import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every layer class of {@link LayerFormats} through every format: files written by nn-core and checked by numpy,
 * files in Keras's and TensorFlow.js's layouts written by h5py and numpy ({@code keras-models/layouts}), round trips
 * of networks holding every layer kind, activation names and Keras 2's hard_sigmoid, and weights files that do not
 * fit the network.
 */
class KerasLayersTest {

    @TempDir
    Path temp;

    private Path copy(String resource, String name) throws IOException {
        Path target = temp.resolve(name);
        Files.createDirectories(target.getParent());
        return Files.write(target, Fixtures.bytes(resource));
    }

    /**
     * nn-core wrote these files; numpy computed the outputs from the weights h5py and numpy read back. float32 against
     * float64 on a 4-5 softmax: 1e-5 relative plus 1e-6 is loose by two orders of magnitude.
     */
    @Test
    void aDenseReluThenASoftmaxLayerMatchesNumpy() throws IOException {
        String folder = "/keras-models/nncore_dense_relu_softmax_layer/";
        Map<String, Object> expected = Fixtures.json(folder + "expected.json");
        Matrix x = Fixtures.matrix(expected.get("x"));
        Network keras = Keras.load(copy(folder + "model.keras", "model.keras"));
        copy(folder + "tfjs/weights.bin", "tfjs/weights.bin");
        Network tfjs = Keras.load(copy(folder + "tfjs/model.json", "tfjs/model.json"));
        for (Network network : List.of(keras, tfjs)) {
            assertThat(network).hasToString("Network[4 -> Dense(5, relu) -> Softmax()]");
            assertThat(network.layers()).extracting(Layer::name).containsExactly("hidden", "probabilities");
            Fixtures.assertClose(network.forward(x), Fixtures.doubles2d(expected.get("expected")), 1e-6, 1e-5, "numpy");
        }
        assertThat(tfjs).isEqualTo(keras);
        // the writers still write what numpy checked
        Keras.save(keras, temp.resolve("again.keras"));
        assertThat(Files.readAllBytes(temp.resolve("again.keras"))).isEqualTo(Fixtures.bytes(folder + "model.keras"));
    }

    /** Outputs of {@code keras-models/layouts}: float32 against float64 through seven layers of width 4 at most. */
    private static void assertMatchesLayoutNumpy(Network network, String what) {
        Map<String, Object> expected = Fixtures.json("/keras-models/layouts/expected.json");
        Fixtures.assertClose(network.forward(Fixtures.matrix(expected.get("x"))), Fixtures.doubles2d(expected.get("expected")),
                1e-6, 1e-5, what);
        assertThat(network.layers()).extracting(Layer::kerasClass).containsExactly("Normalization", "Dense",
                "BatchNormalization", "PReLU", "Dropout", "LayerNormalization", "Dense");
        assertThat(network.layers().get(6).activation()).as("Keras 2's hard_sigmoid").isEqualTo(Activation.hardSigmoidKeras2());
    }

    @Test
    void readsEveryLayerKindFromTheLegacyH5Layout() throws IOException {
        Network network = Keras.load(copy("/keras-models/layouts/legacy_model.h5", "legacy_model.h5"));
        assertMatchesLayoutNumpy(network, "legacy .h5");
        assertThat(network.layers()).extracting(Layer::name).containsExactly("normalization", "dense", "batch_normalization",
                "p_re_lu", "dropout", "layer_normalization", "dense_1");
    }

    @Test
    void readsEveryLayerKindFromTfKeras2KerasFilesWhoseKeysSkip() throws IOException {
        assertMatchesLayoutNumpy(Keras.load(copy("/keras-models/layouts/tfkeras2_13.keras", "tfkeras2_13.keras")), "tf.keras 2.13");
    }

    @Test
    void readsEveryLayerKindFromAConvertedTfjsModelWithScopesAndAnIntCount() throws IOException {
        copy("/keras-models/layouts/tfjs/weights.bin", "tfjs/weights.bin");
        assertMatchesLayoutNumpy(Keras.load(copy("/keras-models/layouts/tfjs/model.json", "tfjs/model.json")), "TF.js");
    }

    /** save_weights with Keras 2.2's layer names (dense_1, ...), onto a network of nn-core's: matched class by class. */
    @Test
    void readsLegacySaveWeightsOntoANetworkByClass() throws IOException {
        Network full = Keras.load(copy("/keras-models/layouts/legacy_model.h5", "legacy_model.h5"));
        Network blank = full.withWeights(randomWeights(full, new SplittableRandom(3)));
        Network loaded = Keras.loadWeights(copy("/keras-models/layouts/legacy_weights.h5", "legacy_weights.h5"), blank);
        assertThat(loaded).isEqualTo(full);
    }

    /** A network of every layer kind TF.js can also express, with random weights (variances positive). */
    static Network everyLayer(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] data = new float[6][12];
        for (float[] row : data) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) random.nextDouble(-3, 3);
            }
        }
        Network network = Network.builder(4, 3)
                .rescaling(0.5, -1)
                .dropout(0.1)
                .flatten()
                .normalization(Matrix.of(data))
                .dense(16, Activation.RELU)
                .batchNormalization(0.9, 0.01)
                .leakyRelu(0.1)
                .denseWithoutBias(8, Activation.TANH)
                .prelu()
                .add(ActivationLayer.of(8, Activation.elu(0.7), "ELU"))
                .gaussianNoise(0.2)
                .layerNormalization()
                .add(NoiseLayer.gaussianDropout(8, 0.3))
                .add(NoiseLayer.alphaDropout(8, 0.05))
                .add(ActivationLayer.of(8, Activation.RELU6, "ReLU"))
                .activation(Activation.SIGMOID)
                .add(Reshape.of(new int[] {8}, new int[] {2, -1}))
                .flatten()
                .dense(3, Activation.LINEAR, "logits")
                .add(ActivationLayer.of(3, Activation.SOFTMAX, "Softmax"))
                .seed(seed)
                .build();
        return network.withWeights(randomWeights(network, random));
    }

    /** Random weights for every layer; variances (BatchNormalization's, Normalization's) positive. */
    static List<Matrix> randomWeights(Network network, SplittableRandom random) {
        List<Matrix> weights = new ArrayList<>();
        for (Layer layer : network.layers()) {
            List<Matrix> current = layer.getWeights();
            for (int i = 0; i < current.size(); i++) {
                boolean variance = layer.weightNames().get(i).contains("variance");
                float[][] values = new float[current.get(i).rows()][current.get(i).cols()];
                for (float[] row : values) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = (float) (variance ? random.nextDouble(0.1, 3) : random.nextDouble(-1.5, 1.5));
                    }
                }
                weights.add(Matrix.of(values));
            }
        }
        return weights;
    }

    @Test
    void everyLayerKindRoundTripsThroughKerasTfjsNpzAndWeightsH5() throws IOException {
        Network network = everyLayer(11);
        assertThat(network.layers()).extracting(Layer::kerasClass).containsExactly("Rescaling", "Dropout", "Flatten",
                "Normalization", "Dense", "BatchNormalization", "LeakyReLU", "Dense", "PReLU", "ELU", "GaussianNoise",
                "LayerNormalization", "GaussianDropout", "AlphaDropout", "ReLU", "Activation", "Reshape", "Flatten", "Dense",
                "Softmax");
        SplittableRandom random = new SplittableRandom(12);
        float[][] rows = new float[5][12];
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) random.nextDouble(-4, 4);
            }
        }
        Matrix x = Matrix.of(rows);

        Keras.save(network, temp.resolve("model.keras"));
        Network fromKeras = Keras.load(temp.resolve("model.keras"));
        assertThat(fromKeras).isEqualTo(network);
        assertThat(fromKeras.inputShape()).containsExactly(4, 3);
        assertThat(fromKeras.forward(x)).isEqualTo(network.forward(x));

        Keras.saveTfjs(network, temp.resolve("web"));
        Network fromTfjs = Keras.load(temp.resolve("web/model.json"));
        assertThat(fromTfjs).isEqualTo(network);
        assertThat(fromTfjs.forward(x)).isEqualTo(network.forward(x));

        Network blank = everyLayer(99);
        assertThat(blank).isNotEqualTo(network);
        Keras.saveNpz(network, temp.resolve("weights.npz"));
        assertThat(Keras.loadWeights(temp.resolve("weights.npz"), blank)).isEqualTo(network);
        Path weightsH5 = Files.write(temp.resolve("model.weights.h5"), KerasZip.weights(network));
        assertThat(Keras.loadWeights(weightsH5, blank)).isEqualTo(network);

        // the same bytes every time
        Keras.save(network, temp.resolve("again.keras"));
        assertThat(Files.readAllBytes(temp.resolve("again.keras"))).isEqualTo(Files.readAllBytes(temp.resolve("model.keras")));
    }

    /** What Keras 3 reads back: its class names and options, build_config shapes, and its vars layout. */
    @Test
    void theKerasFileHasKeras3ConfigsAndTheVarsLayout() throws Exception {
        Network network = everyLayer(11);
        Map<String, byte[]> entries = Mutations.unzip(KerasZip.write(network));
        Map<String, Object> config = dev.nncore.internal.Json.parseObject(new String(entries.get("config.json"),
                StandardCharsets.UTF_8));
        List<?> layers = (List<?>) ((Map<?, ?>) config.get("config")).get("layers");
        Map<?, ?> input = (Map<?, ?>) ((Map<?, ?>) layers.get(0)).get("config");
        assertThat(input.get("batch_shape")).isEqualTo(java.util.Arrays.asList(null, 4.0, 3.0));
        Map<?, ?> norm = (Map<?, ?>) layers.get(6);
        assertThat(norm.get("class_name")).isEqualTo("BatchNormalization");
        assertThat(((Map<?, ?>) norm.get("config")).get("momentum")).isEqualTo(0.9);
        assertThat(((Map<?, ?>) norm.get("config")).get("epsilon")).isEqualTo(0.01);
        assertThat(((Map<?, ?>) norm.get("build_config")).get("input_shape")).isEqualTo(java.util.Arrays.asList(null, 16.0));
        Map<?, ?> leaky = (Map<?, ?>) ((Map<?, ?>) layers.get(7)).get("config");
        assertThat(leaky.get("negative_slope")).isEqualTo(0.1);

        Hdf5File h5 = Hdf5File.open(entries.get("model.weights.h5"));
        assertThat(h5.root().group("layers").memberNames()).containsExactlyInAnyOrder("rescaling", "dropout", "flatten",
                "normalization", "dense", "batch_normalization", "leaky_re_lu", "dense_1", "p_re_lu", "elu", "gaussian_noise",
                "layer_normalization", "gaussian_dropout", "alpha_dropout", "re_lu", "activation", "reshape", "flatten_1",
                "dense_2", "softmax");
        assertThat(h5.root().group("layers/batch_normalization/vars").memberNames()).containsExactly("0", "1", "2", "3");
        assertThat(h5.root().dataset("layers/normalization/vars/2").shape()).isEmpty();
        assertThat(h5.root().dataset("layers/normalization/vars/2").readLongs()).containsExactly(0L); // Keras 3's count
        assertThat(h5.root().group("layers/dense_1/vars").memberNames()).containsExactly("0"); // use_bias=False
        assertThat(h5.root().dataset("layers/p_re_lu/vars/0").shape()).containsExactly(8L);
    }

    /** Activations Keras 3 names only with a layer object, or a TF.js file not at all. */
    @Test
    void parametrisedActivationsRoundTripAsLayerObjectsOrAreRefusedSayingWhy() throws IOException {
        Network network = Network.builder(3)
                .dense(4, Activation.leakyRelu(0.1))
                .dense(4, Activation.elu(2.0))
                .dense(4, Activation.relu(1.0, 0.1, 0.5))
                .add(ActivationLayer.of(4, Activation.relu(null, 0.2, 0.25), "ReLU"))
                .dense(2, Activation.HARD_SIGMOID)
                .seed(5).build();
        Keras.save(network, temp.resolve("p.keras"));
        assertThat(Keras.load(temp.resolve("p.keras"))).isEqualTo(network);
        String config = new String(Mutations.unzip(Files.readAllBytes(temp.resolve("p.keras"))).get("config.json"),
                StandardCharsets.UTF_8);
        assertThat(config).contains("\"activation\":{\"module\":\"keras.layers\",\"class_name\":\"LeakyReLU\"");
        assertThatThrownBy(() -> Keras.saveTfjs(network, temp.resolve("web"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Dense layer \"dense\" applies leaky_relu{negative_slope=0.1}, which a TensorFlow.js"
                        + " model.json cannot name");
        assertThat(Files.exists(temp.resolve("web"))).isFalse(); // refused before anything is written

        Network keras2 = Network.builder(3).dense(2, Activation.hardSigmoidKeras2()).seed(5).build();
        assertThatThrownBy(() -> Keras.save(keras2, temp.resolve("k2.keras"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Keras 3's hard_sigmoid is relu6(x + 3) / 6");
        Keras.saveTfjs(keras2, temp.resolve("k2"));
        assertThat(Keras.load(temp.resolve("k2/model.json"))).isEqualTo(keras2);
        Network keras3 = Network.builder(3).dense(2, Activation.HARD_SIGMOID).seed(5).build();
        assertThatThrownBy(() -> Keras.saveTfjs(keras3, temp.resolve("k3"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("its hard_sigmoid is Keras 2's clip(0.2 x + 0.5, 0, 1)");
    }

    /** Writes a TF.js model whose Dense layer "hidden" (2 -> 2) has this activation value, and loads it. */
    private Network tfjsWithActivation(String activationJson, String kerasVersion) throws IOException {
        ByteBuffer shard = ByteBuffer.allocate(6 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {1.3f, 1.2f, 1.3f, 1.2f, -1.3f, 0}) {
            shard.putFloat(v);
        }
        Path directory = Files.createDirectories(temp.resolve("act" + System.nanoTime()));
        Files.write(directory.resolve("w.bin"), shard.array());
        String version = kerasVersion == null ? "" : ", \"keras_version\": \"" + kerasVersion + "\"";
        return Keras.load(Files.writeString(directory.resolve("model.json"), "{\"modelTopology\": {\"class_name\": \"Sequential\","
                + " \"config\": {\"layers\": [{\"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 2,"
                + " \"batch_input_shape\": [null, 2], \"activation\": " + activationJson + "}}]}" + version + "},"
                + " \"weightsManifest\": [{\"paths\": [\"w.bin\"], \"weights\": ["
                + "{\"name\": \"hidden/kernel\", \"shape\": [2, 2], \"dtype\": \"float32\"},"
                + "{\"name\": \"hidden/bias\", \"shape\": [2], \"dtype\": \"float32\"}]}]}"));
    }

    @Test
    void everyActivationNameImportsInEveryForm() throws IOException {
        for (String name : Activation.kerasNames()) {
            Activation expected = Activation.fromKerasName(name);
            assertThat(tfjsWithActivation("\"" + name + "\"", "3.6.0").layers().get(0).activation()).as(name).isEqualTo(expected);
            assertThat(tfjsWithActivation("{\"module\": \"builtins\", \"class_name\": \"function\", \"config\": \"" + name
                    + "\", \"registered_name\": \"function\"}", "3.6.0").layers().get(0).activation()).as(name).isEqualTo(expected);
            assertThat(tfjsWithActivation("{\"class_name\": \"Activation\", \"config\": {\"activation\": \"" + name + "\"}}",
                    "3.6.0").layers().get(0).activation()).as(name).isEqualTo(expected);
        }
        assertThat(tfjsWithActivation("{\"class_name\": \"ReLU\", \"config\": {\"max_value\": 6.0}}", null).layers().get(0)
                .activation()).isEqualTo(Activation.RELU6);
        assertThat(tfjsWithActivation("{\"class_name\": \"LeakyReLU\"}", null).layers().get(0).activation())
                .isEqualTo(Activation.leakyRelu(0.3));
        assertThat(tfjsWithActivation("{\"class_name\": \"ELU\", \"config\": {\"alpha\": 0.5}}", null).layers().get(0)
                .activation()).isEqualTo(Activation.elu(0.5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.4.0", "2.2.4-tf", "1.2.2", "tfjs-layers 4.5.0", "nn-core", ""})
    void hardSigmoidIsKeras2sInTfjsFilesUnlessKeras3WroteThem(String version) throws IOException {
        assertThat(tfjsWithActivation("\"hard_sigmoid\"", version.isEmpty() ? null : version).layers().get(0).activation())
                .isEqualTo(Activation.hardSigmoidKeras2());
        assertThat(tfjsWithActivation("\"hard_sigmoid\"", "3.6.0").layers().get(0).activation())
                .isEqualTo(Activation.HARD_SIGMOID);
    }

    /** The .keras metadata says which Keras wrote the file: tf.keras 2.13's hard_sigmoid is Keras 2's. */
    @Test
    void hardSigmoidFollowsTheKerasVersionInKerasMetadata() throws IOException {
        Network network = Network.builder(2).dense(2, Activation.HARD_SIGMOID).seed(5).build();
        Map<String, byte[]> entries = Mutations.unzip(KerasZip.write(network));
        assertThat(Keras.load(Mutations.zip(entries, false), "k3.keras", KerasFuzzTest.NO_SHARDS)).isEqualTo(network);
        entries.put("metadata.json", "{\"keras_version\": \"2.13.1\"}".getBytes(StandardCharsets.UTF_8));
        Network keras2 = Keras.load(Mutations.zip(entries, false), "k2.keras", KerasFuzzTest.NO_SHARDS);
        assertThat(keras2.layers().get(0).activation()).isEqualTo(Activation.hardSigmoidKeras2());
    }

    /** A TF.js model of one weightless layer on 2 features. */
    private Network weightless(String layerJson) throws IOException {
        Path directory = Files.createDirectories(temp.resolve("weightless" + System.nanoTime()));
        return Keras.load(Files.writeString(directory.resolve("model.json"), "{\"modelTopology\": {\"class_name\":"
                + " \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"InputLayer\", \"config\":"
                + " {\"batch_input_shape\": [null, 2]}}, " + layerJson + "]}}, \"weightsManifest\": []}"));
    }

    /** Normalization(mean=..., variance=...) keeps its statistics in the config, not in weights. */
    @Test
    void normalizationFromItsConfig() throws IOException {
        Network perFeature = weightless("{\"class_name\": \"Normalization\", \"config\": {\"name\": \"n\", \"axis\": -1,"
                + " \"mean\": [[1, 2]], \"variance\": [4, 9], \"invert\": false}}");
        assertThat(perFeature.forward(3, 5)).containsExactly(1f, 1f);
        Network scalar = weightless("{\"class_name\": \"Normalization\", \"config\": {\"name\": \"n\", \"mean\": 1,"
                + " \"variance\": 4}}");
        assertThat(scalar.forward(3, 5)).containsExactly(1f, 2f);
        Network inverted = weightless("{\"class_name\": \"Normalization\", \"config\": {\"name\": \"n\", \"mean\": [1, 2],"
                + " \"variance\": [4, 9], \"invert\": true}}");
        assertThat(inverted.forward(1, 1)).containsExactly(3f, 5f);
        assertThatThrownBy(() -> weightless("{\"class_name\": \"Normalization\", \"config\": {\"name\": \"n\","
                + " \"mean\": [1, 2, 3], \"variance\": [4, 9, 1]}}")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("Normalization layer \"n\" has 3 values of mean for 2 features");
        assertThatThrownBy(() -> weightless("{\"class_name\": \"Normalization\", \"config\": {\"name\": \"n\", \"axis\": null}}"))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("Normalization layer \"n\" is not supported: it has axis=None");
    }

    /** Keras.loadWeights used to take the layers it knew and ignore the rest. */
    @Test
    void loadWeightsRefusesWeightsForLayersTheNetworkLacks() throws IOException {
        Network withNorm = Network.builder(3).dense(4, Activation.RELU).batchNormalization().dense(1, Activation.LINEAR)
                .seed(1).build();
        Network denseOnly = Network.builder(3).dense(4, Activation.RELU).dense(1, Activation.LINEAR).seed(1).build();
        Path keras3 = Files.write(temp.resolve("norm.weights.h5"), KerasZip.weights(withNorm));
        assertThatThrownBy(() -> Keras.loadWeights(keras3, denseOnly)).isInstanceOf(ModelFormatException.class)
                .hasMessage("norm.weights.h5: /layers holds weights for layers [batch_normalization] that the model lacks"
                        + " (it has [Dense layer \"dense\", Dense layer \"dense_1\"] with weights); load the file onto a"
                        + " network with those layers, or save the weights of this one");
        Path legacy = copy("/keras-models/layouts/legacy_weights.h5", "legacy_weights.h5");
        Network fewer = Network.builder(3).dense(4, Activation.RELU).dense(2, Activation.LINEAR).seed(1).build();
        assertThatThrownBy(() -> Keras.loadWeights(legacy, fewer)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("layers [normalization_1, batch_normalization_1, p_re_lu_1, layer_normalization_1]"
                        + " that the model lacks");
        Keras.saveNpz(withNorm, temp.resolve("norm.npz"));
        assertThatThrownBy(() -> Keras.loadWeights(temp.resolve("norm.npz"), denseOnly)).isInstanceOf(ModelFormatException.class)
                .hasMessage("norm.npz: 8 arrays, but the network has 4 weights (dense: kernel, bias; dense_1: kernel, bias)");
        // and a network with more layers than the file
        assertThatThrownBy(() -> Keras.loadWeights(Files.write(temp.resolve("dense.weights.h5"), KerasZip.weights(denseOnly)),
                withNorm)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("no weights for BatchNormalization layer \"batch_normalization\" in /layers");
    }
}
