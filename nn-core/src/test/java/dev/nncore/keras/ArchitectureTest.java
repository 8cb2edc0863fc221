package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void sequentialWithActivationObjectsAndFoldedLayers() throws IOException {
        Network network = Keras.load(model(sequential(INPUT,
                String.format(DENSE_2, "\"activation\": {\"class_name\": \"ReLU\", \"config\": {\"max_value\": null, \"negative_slope\": 0.0}}"),
                "{\"class_name\": \"Dropout\", \"config\": {\"name\": \"drop\", \"rate\": 0.5}}",
                String.format(DENSE_1, "\"activation\": \"linear\""),
                "{\"class_name\": \"Activation\", \"config\": {\"name\": \"act\", \"activation\": \"sigmoid\"}}")));
        assertThat(network).hasToString("Network[2 -> Dense(2, relu) -> Dense(1, sigmoid)]");
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
        assertThat(network).hasToString("Network[2 -> Dense(2, tanh) -> Dense(1, softmax)]");
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
    void refusesBranchingGraphsNamingTheLayer() throws IOException {
        String topology = "{\"class_name\": \"Model\", \"config\": {\"name\": \"m\", \"layers\": ["
                + "{\"name\": \"in\", \"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 2]}, \"inbound_nodes\": []},"
                + "{\"name\": \"hidden\", \"class_name\": \"Dense\", \"config\": {\"units\": 2}, \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]},"
                + "{\"name\": \"sum\", \"class_name\": \"Add\", \"config\": {}, \"inbound_nodes\": [[[\"in\", 0, 0, {}], [\"hidden\", 0, 0, {}]]]}],"
                + " \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"sum\", 0, 0]]}}";
        assertThatThrownBy(() -> Keras.load(model(topology))).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("layer \"sum\" (class Add) takes 2 inputs [in, hidden]");
    }

    @Test
    void refusesUnsupportedLayersAndActivationsByClassAndName() throws IOException {
        Path conv = model(sequential(INPUT, "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv\", \"filters\": 8}}"));
        assertThatThrownBy(() -> Keras.load(conv)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("layer \"conv\" (class Conv2D) is not supported");
        Path elu = model(sequential(INPUT, String.format(DENSE_2, "\"activation\": \"elu\""), String.format(DENSE_1, "\"activation\": \"linear\"")));
        assertThatThrownBy(() -> Keras.load(elu)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("layer \"hidden\" (class Dense) uses activation \"elu\"");
        Path leaky = model(sequential(INPUT, String.format(DENSE_2, "\"activation\": \"linear\""),
                "{\"class_name\": \"ReLU\", \"config\": {\"name\": \"leaky\", \"negative_slope\": 0.1}}", String.format(DENSE_1, "\"activation\": \"linear\"")));
        assertThatThrownBy(() -> Keras.load(leaky)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("negative_slope = 0.1");
        Path twice = model(sequential(INPUT, String.format(DENSE_2, "\"activation\": \"relu\""),
                "{\"class_name\": \"Activation\", \"config\": {\"name\": \"act\", \"activation\": \"sigmoid\"}}", String.format(DENSE_1, "\"activation\": \"linear\"")));
        assertThatThrownBy(() -> Keras.load(twice)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("layer \"act\" (class Activation, sigmoid) follows Dense layer \"hidden\", which already applies relu");
        Path image = model(sequential("{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 28, 28], \"name\": \"img\"}}",
                "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}}", String.format(DENSE_2, "\"activation\": \"relu\"")));
        assertThatThrownBy(() -> Keras.load(image)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("layer \"flat\" (class Flatten) flattens multi-axis input");
    }

    @Test
    void checksWeightShapesAgainstTheConfig() throws IOException {
        Path wrongUnits = model(sequential(INPUT, String.format(DENSE_2, "\"activation\": \"relu\"").replace("\"units\": 2", "\"units\": 3"),
                String.format(DENSE_1, "\"activation\": \"linear\"")));
        assertThatThrownBy(() -> Keras.load(wrongUnits)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("kernel for \"hidden\" has shape [2][2], but the layer has 3 units");
        Path wrongInput = model(sequential(INPUT.replace("[null, 2]", "[null, 5]"), String.format(DENSE_2, "\"activation\": \"relu\""),
                String.format(DENSE_1, "\"activation\": \"linear\"")));
        assertThatThrownBy(() -> Keras.load(wrongInput)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("kernel for \"hidden\" has shape [2][2], expected [5][2] (the model's declared input width)");
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
