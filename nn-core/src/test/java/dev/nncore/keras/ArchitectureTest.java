package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.Network;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model configurations in the shapes Keras 2, Keras 3 and TF.js write them, loaded through a TF.js directory whose
 * shard holds the video's XOR weights (2-2-1), so each test is one config and one expectation.
 */
class ArchitectureTest {

    @TempDir
    Path temp;

    private static final String DENSE_2 = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 2, %s}}";
    private static final String DENSE_1 = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 1, %s}}";

    /** Writes model.json with this topology and a shard holding hidden/kernel, hidden/bias, out/kernel, out/bias. */
    private Path model(String topology) throws IOException {
        String manifest = "[{\"paths\": [\"w.bin\"], \"weights\": ["
                + "{\"name\": \"hidden/kernel\", \"shape\": [2, 2], \"dtype\": \"float32\"},"
                + "{\"name\": \"hidden/bias\", \"shape\": [2], \"dtype\": \"float32\"},"
                + "{\"name\": \"out/kernel\", \"shape\": [2, 1], \"dtype\": \"float32\"},"
                + "{\"name\": \"out/bias\", \"shape\": [1], \"dtype\": \"float32\"}]}]";
        ByteBuffer shard = ByteBuffer.allocate(9 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {1.3f, 1.2f, 1.3f, 1.2f, -1.3f, 0, -1.6f, 0.8f, 0}) {
            shard.putFloat(v);
        }
        Files.write(temp.resolve("w.bin"), shard.array());
        return Files.writeString(temp.resolve("model.json"),
                "{\"modelTopology\": " + topology + ", \"weightsManifest\": " + manifest + "}");
    }

    private static String sequential(String... layers) {
        return "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": [" + String.join(",", layers) + "]}}";
    }

    private static final String INPUT = "{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 2], \"name\": \"in\"}}";

    /** Every layer stays a layer of its own class: no folding into the Dense layer before it. */
    @Test
    void sequentialWithActivationObjectsAndActivationLayers() throws IOException {
        Network network = Keras.load(model(sequential(INPUT,
                String.format(DENSE_2, "\"activation\": {\"class_name\": \"ReLU\", \"config\": {\"max_value\": null, \"negative_slope\": 0.0}}"),
                "{\"class_name\": \"Dropout\", \"config\": {\"name\": \"drop\", \"rate\": 0.5}}",
                String.format(DENSE_1, "\"activation\": \"linear\""),
                "{\"class_name\": \"Activation\", \"config\": {\"name\": \"act\", \"activation\": \"sigmoid\"}}")));
        assertThat(network).hasToString("Network[2 -> Dense(2, relu) -> Dropout(0.5) -> Dense(1, linear) -> Activation(sigmoid)]");
        assertThat(network.layers()).extracting(Layer::name).containsExactly("hidden", "drop", "out", "act");
        // sigmoid(0.96) from the video's hidden values 0 and 1.2 for input (1, 0)
        assertThat(network.forward(1, 0)[0]).isEqualTo((float) (1 / (1 + Math.exp(-0.96000004))));
    }

    @Test
    void keras3SerialisedFunctionsAndSoftmaxLayers() throws IOException {
        Network network = Keras.load(model(sequential(INPUT,
                String.format(DENSE_2, "\"activation\": {\"module\": \"builtins\", \"class_name\": \"function\", \"config\": \"tanh\", \"registered_name\": \"function\"}"),
                "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}}",
                String.format(DENSE_1, "\"activation\": null"),
                "{\"class_name\": \"Softmax\", \"config\": {\"name\": \"sm\", \"axis\": -1}}")));
        assertThat(network).hasToString("Network[2 -> Dense(2, tanh) -> Flatten[2] -> Dense(1, linear) -> Softmax()]");
        assertThat(network.forward(1, 0)).containsExactly(1f); // softmax of one value
    }

    @Test
    void functionalChainInKeras2Form() throws IOException {
        String topology = "{\"class_name\": \"Model\", \"config\": {\"name\": \"m\", \"layers\": ["
                + "{\"name\": \"out\", \"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 1, \"activation\": \"linear\"},"
                + " \"inbound_nodes\": [[[\"hidden\", 0, 0, {}]]]},"
                + "{\"name\": \"in\", \"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 2], \"name\": \"in\"}, \"inbound_nodes\": []},"
                + "{\"name\": \"hidden\", \"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 2, \"activation\": \"relu\"},"
                + " \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]}],"
                + " \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"out\", 0, 0]]}}";
        Network network = Keras.load(model(topology));
        assertThat(network.layers()).extracting(Layer::name).containsExactly("hidden", "out");
        assertThat(network.forward(1, 1)[0]).isEqualTo(NetworkHolder.VIDEO.forward(1, 1)[0]);
    }

    @Test
    void functionalChainInKeras3Form() throws IOException {
        String tensor = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 2], \"dtype\": \"float32\", \"keras_history\": [\"%s\", 0, 0]}}";
        String topology = "{\"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": ["
                + "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 2], \"name\": \"in\"}, \"name\": \"in\", \"inbound_nodes\": []},"
                + "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 2, \"activation\": \"relu\"}, \"name\": \"hidden\","
                + " \"inbound_nodes\": [{\"args\": [" + String.format(tensor, "in") + "], \"kwargs\": {}}]},"
                + "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 1, \"activation\": \"linear\"}, \"name\": \"out\","
                + " \"inbound_nodes\": [{\"args\": [" + String.format(tensor, "hidden") + "], \"kwargs\": {}}]}],"
                + " \"input_layers\": [\"in\", 0, 0], \"output_layers\": [\"out\", 0, 0]}}";
        Network network = Keras.load(model(topology));
        assertThat(network).hasToString("Network[2 -> Dense(2, relu) -> Dense(1, linear)]");
    }

    @Test
    void aBranchingGraphWithAnAddSkip() throws IOException {
        String topology = "{\"class_name\": \"Model\", \"config\": {\"name\": \"m\", \"layers\": ["
                + "{\"name\": \"in\", \"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 2]}, \"inbound_nodes\": []},"
                + "{\"name\": \"hidden\", \"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 2, \"activation\": \"relu\"}, \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]},"
                + "{\"name\": \"sum\", \"class_name\": \"Add\", \"config\": {}, \"inbound_nodes\": [[[\"in\", 0, 0, {}], [\"hidden\", 0, 0, {}]]]},"
                + "{\"name\": \"out\", \"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 1}, \"inbound_nodes\": [[[\"sum\", 0, 0, {}]]]}],"
                + " \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"out\", 0, 0]]}}";
        Network network = Keras.load(model(topology));
        assertThat(network.isSequential()).isFalse();
        assertThat(network.layers()).extracting(Layer::kerasClass).containsExactly("Dense", "Add", "Dense");
        // input (1, 0): hidden relu(1.3 * 1 + 0 - 1.3, 1.2 - 0) = (0, 1.2); sum (1, 1.2); out 1 * -1.6 + 1.2 * 0.8 + 0
        assertThat(network.forward(1, 0)[0]).isCloseTo(-1.6f + 1.2f * 0.8f, org.assertj.core.api.Assertions.within(1e-6f));
    }

    @Test
    void refusesUnsupportedLayersAndActivationsByClassAndName() throws IOException {
        Path conv = model(sequential(INPUT, "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv\", \"filters\": 8}}"));
        assertThatThrownBy(() -> Keras.load(conv)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining(": Conv2D layer \"conv\" is not supported: a convolution. nn-core reads Sequential and Functional models of InputLayer,"
                        + " Dense, Activation, ReLU, LeakyReLU, ELU, Softmax, PReLU, Dropout, GaussianNoise, GaussianDropout,"
                        + " AlphaDropout, BatchNormalization, LayerNormalization, Normalization, Rescaling, Flatten, Reshape, Concatenate, Add, Subtract, Multiply, Average, Maximum,"
                        + " Minimum, Dot layers");
        Path unknown = model(sequential(INPUT, String.format(DENSE_2, "\"activation\": \"sparsemax\""), String.format(DENSE_1, "\"activation\": \"linear\"")));
        assertThatThrownBy(() -> Keras.load(unknown)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("Dense layer \"hidden\" is not supported: it uses activation \"sparsemax\", which nn-core lacks");
        // the class comes first, before anything about the 3-D input an LSTM declares
        Path lstm = model(sequential("{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm_1\", \"units\": 4,"
                + " \"batch_input_shape\": [null, 5, 2]}}", String.format(DENSE_1, "\"activation\": \"linear\"")));
        assertThatThrownBy(() -> Keras.load(lstm)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageStartingWith("model.json modelTopology at config.layers[0].config: LSTM layer \"lstm_1\" is not supported:"
                        + " a recurrent layer");
        Path spatial = model(sequential(INPUT, "{\"class_name\": \"SpatialDropout1D\", \"config\": {\"name\": \"sd\", \"rate\": 0.1}}"));
        assertThatThrownBy(() -> Keras.load(spatial)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("SpatialDropout1D layer \"sd\" is not supported");
        Path softmaxAxis = model(sequential(INPUT, String.format(DENSE_2, "\"activation\": \"linear\""),
                "{\"class_name\": \"Softmax\", \"config\": {\"name\": \"sm\", \"axis\": 0}}"));
        assertThatThrownBy(() -> Keras.load(softmaxAxis)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("Softmax layer \"sm\" is not supported: it works over axis 0");
        Path shared = model(sequential(INPUT, "{\"class_name\": \"PReLU\", \"config\": {\"name\": \"p\", \"shared_axes\": [1]}}"));
        assertThatThrownBy(() -> Keras.load(shared)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("PReLU layer \"p\" is not supported: it shares slopes over axes [1.0]");
        Path rms = model(sequential(INPUT, "{\"class_name\": \"LayerNormalization\", \"config\": {\"name\": \"ln\", \"rms_scaling\": true}}"));
        assertThatThrownBy(() -> Keras.load(rms)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("LayerNormalization layer \"ln\" is not supported: it uses rms_scaling=True");
        Path perChannel = model(sequential(INPUT, "{\"class_name\": \"Rescaling\", \"config\": {\"name\": \"r\", \"scale\": [1, 2]}}"));
        assertThatThrownBy(() -> Keras.load(perChannel)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("Rescaling layer \"r\" is not supported: its scale is a list (one per channel)");
        Path image = model(sequential("{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 28, 28], \"name\": \"img\"}}",
                String.format(DENSE_2, "\"activation\": \"relu\"")));
        assertThatThrownBy(() -> Keras.load(image)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("Dense layer \"hidden\" is not supported: it receives samples of shape (None, 28, 28)")
                .hasMessageContaining("add a Flatten layer before it");
        Path norm = model(sequential("{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 4, 2], \"name\": \"img\"}}",
                "{\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"bn\", \"axis\": 1}}"));
        assertThatThrownBy(() -> Keras.load(norm)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("BatchNormalization layer \"bn\" is not supported: it works over axis 1");
    }

    /** What the old reader refused and nn-core now computes: stacked activations, ReLU options, 28x28 input. */
    @Test
    void readsWhatWasOnceRefused() throws IOException {
        Network twice = Keras.load(model(sequential(INPUT, String.format(DENSE_2, "\"activation\": \"relu\""),
                "{\"class_name\": \"Activation\", \"config\": {\"name\": \"act\", \"activation\": \"elu\"}}",
                "{\"class_name\": \"ReLU\", \"config\": {\"name\": \"leaky\", \"negative_slope\": 0.1, \"max_value\": 1.0, \"threshold\": 0.5}}",
                String.format(DENSE_1, "\"activation\": {\"class_name\": \"LeakyReLU\", \"config\": {\"alpha\": 0.25}}"))));
        assertThat(twice.layers().get(1).activation()).isEqualTo(Activation.elu(1.0));
        assertThat(twice.layers().get(2).activation()).isEqualTo(Activation.relu(1.0, 0.1, 0.5));
        assertThat(twice.layers().get(3).activation()).isEqualTo(Activation.leakyRelu(0.25));
        assertThat(twice.layers()).extracting(Layer::kerasClass).containsExactly("Dense", "Activation", "ReLU", "Dense");
    }

    @Test
    void checksWeightShapesAgainstTheConfig() throws IOException {
        Path wrongUnits = model(sequential(INPUT, String.format(DENSE_2, "\"activation\": \"relu\"").replace("\"units\": 2", "\"units\": 3"),
                String.format(DENSE_1, "\"activation\": \"linear\"")));
        assertThatThrownBy(() -> Keras.load(wrongUnits)).isInstanceOf(ModelFormatException.class)
                .hasMessageEndingWith(": Dense layer \"hidden\" weight \"kernel\" (\"hidden/kernel\") has shape [2, 2], expected [2, 3]"
                        + " for input (None, 2); Keras stores kernels as [in, units]");
        Path wrongInput = model(sequential(INPUT.replace("[null, 2]", "[null, 5]"), String.format(DENSE_2, "\"activation\": \"relu\""),
                String.format(DENSE_1, "\"activation\": \"linear\"")));
        assertThatThrownBy(() -> Keras.load(wrongInput)).isInstanceOf(ModelFormatException.class)
                .hasMessageEndingWith(": Dense layer \"hidden\" weight \"kernel\" (\"hidden/kernel\") has shape [2, 2], expected [5, 2]"
                        + " for input (None, 5); Keras stores kernels as [in, units]");
        Path missingUnits = model(sequential(INPUT, "{\"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\"}}"));
        assertThatThrownBy(() -> Keras.load(missingUnits)).isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json modelTopology at config.layers[1].config: lacks \"units\"");
    }

    @Test
    void tensorsMayStraddleShardsAndMayBeQuantised() throws IOException {
        // One group of two shards, split inside hidden/kernel; out/kernel quantised to uint8 with scale 0.1, min -1.6.
        ByteBuffer all = ByteBuffer.allocate(6 * 4 + 2 + 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {1.3f, 1.2f, 1.3f, 1.2f, -1.3f, 0}) {
            all.putFloat(v);
        }
        all.put((byte) 0).put((byte) 24).putFloat(0);
        byte[] bytes = all.array();
        Files.write(temp.resolve("a.bin"), java.util.Arrays.copyOfRange(bytes, 0, 7));
        Files.write(temp.resolve("b.bin"), java.util.Arrays.copyOfRange(bytes, 7, bytes.length));
        String manifest = "[{\"paths\": [\"a.bin\", \"b.bin\"], \"weights\": ["
                + "{\"name\": \"hidden/kernel\", \"shape\": [2, 2], \"dtype\": \"float32\"},"
                + "{\"name\": \"hidden/bias\", \"shape\": [2], \"dtype\": \"float32\"},"
                + "{\"name\": \"out/kernel\", \"shape\": [2, 1], \"dtype\": \"float32\", \"quantization\": {\"dtype\": \"uint8\", \"scale\": 0.1, \"min\": -1.6}},"
                + "{\"name\": \"out/bias\", \"shape\": [1], \"dtype\": \"float32\"}]}]";
        Path file = Files.writeString(temp.resolve("model.json"), "{\"modelTopology\": " + sequential(INPUT,
                String.format(DENSE_2, "\"activation\": \"relu\""), String.format(DENSE_1, "\"activation\": \"linear\""))
                + ", \"weightsManifest\": " + manifest + "}");
        Network network = Keras.load(file);
        assertThat(network.getWeights().get(0).getRow(1)).containsExactly(1.3f, 1.2f);
        assertThat(network.getWeights().get(2).get(0, 0)).isEqualTo(-1.6f);
        assertThat(network.getWeights().get(2).get(1, 0)).isEqualTo(24 * 0.1f - 1.6f);
    }

    @Test
    void refusesShardsOutsideTheModelDirectoryAndMissingShards() throws IOException {
        Path file = model(sequential(INPUT, String.format(DENSE_2, "\"activation\": \"relu\""), String.format(DENSE_1, "\"activation\": \"linear\"")));
        Files.writeString(file, Files.readString(file).replace("\"w.bin\"", "\"../../etc/passwd\""));
        assertThatThrownBy(() -> Keras.load(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("leaves the model's directory");
        Files.writeString(file, Files.readString(file).replace("\"../../etc/passwd\"", "\"gone.bin\""));
        assertThatThrownBy(() -> Keras.load(file)).hasMessageContaining("shard \"gone.bin\" does not exist beside model.json");
    }

    @Test
    void halfPrecisionDecodesExactly() {
        assertThat(Tfjs.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(Tfjs.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(Tfjs.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(Tfjs.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Tfjs.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Tfjs.halfToFloat((short) 0x7e00)).isNaN();
    }

    /** The video's XOR network, to compare outputs against. */
    static final class NetworkHolder {
        static final Network VIDEO = KerasTest.videoXor();
    }
}
