package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nncore.Activation;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graphs a hostile or broken file may describe: each is refused with the documented exception naming the layer (or
 * loads), never a stack overflow or a hang. Models are TF.js {@code model.json} files in memory whose layers are Dense
 * layers of one unit (weights {@code <name>/kernel} [1, 1] = 1 and {@code <name>/bias} [1] = 0), so a test is one
 * topology.
 */
class HostileGraphsTest {

    @TempDir
    Path temp;

    private static String input(String name) {
        return "{\"name\": \"" + name + "\", \"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 1],"
                + " \"name\": \"" + name + "\"}, \"inbound_nodes\": []}";
    }

    private static String dense(String name, String... from) {
        return layer("Dense", name, "\"units\": 1, \"activation\": \"linear\"", from);
    }

    private static String layer(String className, String name, String options, String... from) {
        List<String> tensors = new ArrayList<>();
        for (String source : from) {
            tensors.add("[\"" + source + "\", 0, 0, {}]");
        }
        return "{\"name\": \"" + name + "\", \"class_name\": \"" + className + "\", \"config\": {\"name\": \"" + name + "\""
                + (options.isEmpty() ? "" : ", " + options) + "}, \"inbound_nodes\": [[" + String.join(", ", tensors) + "]]}";
    }

    private static String model(List<String> layers, List<String> inputs, List<String> outputs) {
        return "{\"class_name\": \"Functional\", \"config\": {\"name\": \"m\", \"layers\": [" + String.join(",\n", layers)
                + "], \"input_layers\": " + refs(inputs) + ", \"output_layers\": " + refs(outputs) + "}}";
    }

    private static String refs(List<String> names) {
        return names.stream().map(name -> "[\"" + name + "\", 0, 0]").toList().toString();
    }

    /** Loads the topology with kernel 1 and bias 0 for each named Dense layer. */
    private static Network load(String topology, List<String> denseNames) throws Exception {
        StringBuilder manifest = new StringBuilder("[{\"paths\": [\"w.bin\"], \"weights\": [");
        ByteBuffer shard = ByteBuffer.allocate(8 * denseNames.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < denseNames.size(); i++) {
            String name = denseNames.get(i);
            manifest.append(i == 0 ? "" : ",").append("{\"name\": \"").append(name)
                    .append("/kernel\", \"shape\": [1, 1], \"dtype\": \"float32\"},{\"name\": \"").append(name)
                    .append("/bias\", \"shape\": [1], \"dtype\": \"float32\"}");
            shard.putFloat(1).putFloat(0);
        }
        manifest.append("]}]");
        String json = "{\"modelTopology\": " + topology + ", \"weightsManifest\": " + manifest + "}";
        return Keras.load(json.getBytes(StandardCharsets.UTF_8), "model.json", KerasFuzzTest.inMemory(Map.of("w.bin", shard.array())));
    }

    @Test
    void aCycleIsRefusedNamingItsLayers() {
        String topology = model(List.of(input("in"), dense("a", "b"), dense("b", "a"), dense("out", "b")),
                List.of("in"), List.of("out"));
        assertThatThrownBy(() -> load(topology, List.of("a", "b", "out"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("Dense layer \"a\" of Functional model \"m\" depends on its own output through a cycle a <- b <- a");
    }

    @Test
    void aLayerTakingFromAnUnknownLayerIsNamed() {
        String topology = model(List.of(input("in"), dense("a", "ghost")), List.of("in"), List.of("a"));
        assertThatThrownBy(() -> load(topology, List.of("a"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("Dense layer \"a\" takes its input from layer \"ghost\", which Functional model \"m\" lacks");
    }

    @Test
    void aCallOfALayerThatIsNotCalledSoOftenIsNamed() {
        String topology = model(List.of(input("in"), dense("a", "in"),
                "{\"name\": \"b\", \"class_name\": \"Dense\", \"config\": {\"name\": \"b\", \"units\": 1},"
                        + " \"inbound_nodes\": [[[\"a\", 3, 0, {}]]]}"), List.of("in"), List.of("b"));
        assertThatThrownBy(() -> load(topology, List.of("a", "b"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("Dense layer \"b\" takes the output of call 3 of Dense layer \"a\", which is called 1 times");
    }

    @Test
    void aMergeOfMismatchedWidthsIsNamed() {
        String topology = model(List.of(input("in"), dense("a", "in"),
                layer("Concatenate", "both", "", "in", "a"), layer("Add", "sum", "", "a", "both")),
                List.of("in"), List.of("sum"));
        assertThatThrownBy(() -> load(topology, List.of("a"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("Add layer \"sum\" cannot merge inputs of shapes [(None, 1), (None, 2)]");
    }

    @Test
    void anOutputNamingNoLayerIsNamed() {
        String topology = model(List.of(input("in"), dense("a", "in")), List.of("in"), List.of("ghost"));
        assertThatThrownBy(() -> load(topology, List.of("a"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("Functional model \"m\" lists \"ghost\" among its output_layers, but has no layer of that name");
    }

    @Test
    void anOutputThatNoListedInputReachesIsNamed() {
        String topology = model(List.of(input("in"), input("other"), dense("a", "in"), dense("b", "other")),
                List.of("in"), List.of("a", "b"));
        assertThatThrownBy(() -> load(topology, List.of("a", "b"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("Dense layer \"b\" takes its input from InputLayer layer \"other\", which is not among"
                        + " the model's input_layers [in], so no input reaches it");
    }

    @Test
    void aDenseCalledOnTwoTensorsIsRefused() {
        String topology = model(List.of(input("in"), input("in2"), dense("a", "in", "in2")), List.of("in", "in2"), List.of("a"));
        assertThatThrownBy(() -> load(topology, List.of("a"))).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("Dense layer \"a\" is not supported: it is called on 2 tensors [in, in2]");
    }

    /** Keras 1's functional merges were a Merge layer with a mode: named, with what to do. */
    @Test
    void keras1MergeLayerIsNamedAsKeras1() {
        String topology = model(List.of(input("in"), dense("a", "in"), layer("Merge", "merge_1", "\"mode\": \"concat\"", "in", "a")),
                List.of("in"), List.of("merge_1"));
        assertThatThrownBy(() -> load(topology, List.of("a"))).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("Merge layer \"merge_1\" is not supported: Keras 1's Merge layer")
                .hasMessageContaining("load the model in Keras 2 and save it again");
    }

    /** 10,000 layers load (no recursion over layers), listed in reverse order too; as fast as a chain. */
    @Test
    void tenThousandLayersLoadWithoutRecursion() {
        int count = 10_000;
        List<String> layers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        layers.add(input("in"));
        for (int i = 0; i < count; i++) {
            names.add("d" + i);
            layers.add(dense("d" + i, i == 0 ? "in" : "d" + (i - 1)));
        }
        layers.set(layers.size() - 1, layer("Add", "d" + (count - 1), "", "d" + (count - 2), "in")); // not a chain
        names.remove(names.size() - 1);
        List<String> reversed = new ArrayList<>(layers);
        java.util.Collections.reverse(reversed);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (List<String> order : List.of(layers, reversed)) {
                Network network = load(model(order, List.of("in"), List.of("d" + (count - 1))), names);
                assertThat(network.layers()).hasSize(count);
                assertThat(network.layers().get(0).name()).isEqualTo("d0");
                // x through 9,999 identities, plus x
                assertThat(network.forward(Matrix.of(new float[][] {{1.5f}})).get(0, 0)).isEqualTo(3f);
            }
        });
    }

    /** Keras writes Dot(axes=1) on flat vectors as 1 or [1, 1]: the last axis, as -1; an axis 0 is refused. */
    @Test
    void dotAxesAndConcatenateAxisAsKerasWritesThem() throws Exception {
        for (String axes : List.of("-1", "1", "[1, 1]", "[-1, -1]")) {
            String topology = model(List.of(input("in"), dense("a", "in"), dense("b", "in"),
                    layer("Dot", "dot", "\"axes\": " + axes + ", \"normalize\": false", "a", "b"),
                    layer("Concatenate", "both", "\"axis\": 1", "dot", "in")), List.of("in"), List.of("both"));
            Network network = load(topology, List.of("a", "b"));
            assertThat(network.forward(3f)).as(axes).containsExactly(9f, 3f);
        }
        String topology = model(List.of(input("in"), dense("a", "in"), dense("b", "in"),
                layer("Dot", "dot", "\"axes\": [0, 0]", "a", "b")), List.of("in"), List.of("dot"));
        assertThatThrownBy(() -> load(topology, List.of("a", "b"))).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("Dot layer \"dot\" is not supported: it has axes [0.0, 0.0]");
    }

    /** A Sequential inside a Sequential (a preprocessing block, say) takes the inner model's declared input shape. */
    @Test
    void sequentialInsideSequential() throws Exception {
        String inner = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"inner\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 1], \"name\": \"inner_input\"}},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"a\", \"units\": 1}}]}}";
        String outer = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"outer\", \"layers\": [" + inner + ","
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"b\", \"units\": 1, \"activation\": \"relu\"}}]}}";
        Network network = load(outer, List.of("a", "b"));
        assertThat(network.isSequential()).isTrue();
        assertThat(network.inputShape()).containsExactly(1);
        assertThat(network.layers()).extracting(dev.nncore.Layer::name).containsExactly("a", "b");
        assertThat(network.forward(-2f)[0]).isZero(); // relu(1 * (1 * -2 + 0) + 0)
    }

    /** Models nest at most 32 deep: the 33rd level is refused, not walked. */
    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        String inner = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s0\", \"layers\": ["
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 1, \"batch_input_shape\": [null, 1]}}]}}";
        for (int level = 1; level <= 40; level++) {
            inner = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s" + level + "\", \"layers\": [" + inner + "]}}";
        }
        String topology = inner;
        assertThatThrownBy(() -> load(topology, List.of("d"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("models nest more than 32 deep");
    }

    @Test
    void loadWeightsOfAKerasFileSaysToUseLoad() throws Exception {
        Network network = Network.builder(2).dense(1, Activation.LINEAR).seed(1).build();
        Path file = temp.resolve("model.keras");
        Keras.save(network, file);
        assertThatThrownBy(() -> Keras.loadWeights(file, network)).isInstanceOf(ModelFormatException.class)
                .hasMessage("model.keras: a .keras model, which holds its own architecture; load it with Keras.load(file)"
                        + " (Keras.loadWeights reads weights-only files: .weights.h5, .npz, .npy)");
        assertThat(Files.exists(file)).isTrue();
    }
}
