package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.Node;
import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graph (Functional) models in every format: the files of {@code keras-graphs/} (see its README: nested models in the
 * Keras 3, Keras 2 and TF.js layouts with numpy's outputs; nn-core's own graph files as h5py/numpy and TF.js computed
 * them), and round trips of graphs with every merge layer, a shared layer and a block through {@code Keras.save} and
 * {@code saveTfjs}, bit for bit.
 */
class KerasGraphsTest {

    private static final String ROOT = "/keras-graphs/";
    /** float32 against numpy's float64 through a few small layers: a wrong layer misses by orders of magnitude more. */
    private static final double RELATIVE = 1e-5;
    private static final double ABSOLUTE = 1e-6;

    @TempDir
    Path temp;

    private Path copy(String relative) throws IOException {
        Path target = temp.resolve(relative);
        Files.createDirectories(target.getParent());
        return Files.write(target, Fixtures.bytes(ROOT + relative));
    }

    private static List<Matrix> nestedInputs() {
        Map<String, Object> reference = Fixtures.json(ROOT + "nested-reference.json");
        return List.of(Fixtures.matrix(reference.get("inputs")));
    }

    @SuppressWarnings("unchecked")
    private static void assertOutputs(Network network, List<Matrix> inputs, Map<String, Object> expected, String what) {
        List<Matrix> outputs = network.forwardAll(inputs);
        for (int k = 0; k < outputs.size(); k++) {
            String name = network.outputNames().get(k);
            Fixtures.assertClose(outputs.get(k), Fixtures.doubles2d(expected.get(name)), ABSOLUTE, RELATIVE, what + " " + name);
        }
    }

    /** The nested block's "dense" gives way to the outer "dense": it is renamed block_dense; its weights still match. */
    private static void assertNestedModel(Network network) {
        assertThat(network.inputNames()).containsExactly("x");
        assertThat(network.outputNames()).containsExactly("dense", "aux");
        assertThat(network.layers()).extracting(Layer::name).containsExactly("block_dense", "dense_1", "add", "dense", "aux");
        assertThat(network.nodes()).hasSize(1 + 7); // the block's two layers called twice: shared, not copied
        assertThat(network.parameterCount()).isEqualTo(3 * 4 + 4 + 4 * 3 + 3 + 3 * 2 + 2 + 3 + 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void nestedSequentialInKeras3File() throws IOException {
        Network network = Keras.load(copy("nested_keras3.keras"));
        assertNestedModel(network);
        Map<String, Object> reference = Fixtures.json(ROOT + "nested-reference.json");
        assertOutputs(network, nestedInputs(), (Map<String, Object>) reference.get("keras"), "nested .keras");
    }

    @Test
    @SuppressWarnings("unchecked")
    void nestedSequentialInKeras2LegacyH5() throws IOException {
        Network network = Keras.load(copy("nested_keras2.h5"));
        assertNestedModel(network);
        Map<String, Object> reference = Fixtures.json(ROOT + "nested-reference.json");
        assertOutputs(network, nestedInputs(), (Map<String, Object>) reference.get("keras"), "nested .h5");
        assertThat(network).isEqualTo(Keras.load(copy("nested_keras3.keras")));
    }

    /** modelTopology nesting model_config; two manifest groups, three shards; uint8, uint16 and float16 weights. */
    @Test
    @SuppressWarnings("unchecked")
    void nestedModelInTfjsWithShardsAndQuantisedWeights() throws IOException {
        for (String file : List.of("model.json", "group1-shard1of2.bin", "group1-shard2of2.bin", "group2-shard1of1.bin")) {
            copy("nested_tfjs/" + file);
        }
        Network network = Keras.load(temp.resolve("nested_tfjs/model.json"));
        assertNestedModel(network);
        Map<String, Object> reference = Fixtures.json(ROOT + "nested-reference.json");
        assertOutputs(network, nestedInputs(), (Map<String, Object>) reference.get("tfjs_quantised"), "nested TF.js");
    }

    /**
     * A nested Functional model of two inputs and two outputs ([dense, concatenate]); the outer model takes its second
     * output as tensor 1 of the call. Its "concatenate" gives way to the outer one: pair_concatenate.
     */
    @Test
    @SuppressWarnings("unchecked")
    void nestedFunctionalOfTwoInputsAndTwoOutputs() throws IOException {
        Network network = Keras.load(copy("nested_functional_keras3.keras"));
        assertThat(network.inputNames()).containsExactly("a", "b");
        assertThat(network.outputNames()).containsExactly("head");
        assertThat(network.layers()).extracting(Layer::name).containsExactly("pair_concatenate", "dense", "concatenate", "head");
        Map<String, Object> reference = (Map<String, Object>) Fixtures.json(ROOT + "nested-reference.json").get("functional");
        Map<String, Object> inputs = (Map<String, Object>) reference.get("inputs");
        assertOutputs(network, List.of(Fixtures.matrix(inputs.get("a")), Fixtures.matrix(inputs.get("b"))), reference,
                "nested Functional");
        Keras.save(network, temp.resolve("again.keras"));
        assertSame(Keras.load(temp.resolve("again.keras")), network, new SplittableRandom(5));
    }

    /** The network of keras-graphs/Gen.java.txt. */
    static Network everyMerge(boolean subtract) {
        Node x = Node.input("x", 4);
        Node p = x.dense(3, Activation.RELU, "p");
        Node q = x.dense(3, Activation.TANH, "q");
        Dense shared = Dense.of(new float[][] {{0.5f, -0.25f, 1f}, {0.125f, 0.75f, -0.5f}, {1f, 0f, 0.25f}},
                new float[] {0.1f, -0.2f, 0.3f}, Activation.SIGMOID).named("shared");
        Node s1 = p.apply(shared);
        Node s2 = q.apply(shared);
        List<Node> parts = new ArrayList<>(List.of(Node.add(s1, s2), Node.multiply(p, q), Node.average(p, q, s1),
                Node.maximum(p, q), Node.minimum(p, q), Node.dot(p, q, false), Node.dot(s1, s2, true)));
        if (subtract) {
            parts.add(1, Node.subtract(p, q));
        }
        Node merged = Node.concatenate(parts.toArray(Node[]::new));
        Node block = merged.then(b -> b.dense(6, Activation.RELU).batchNormalization().dropout(0.1));
        Node out = Node.add(block, block.dense(6, Activation.LINEAR)).dense(2, Activation.LINEAR, "out");
        Node aux = s2.dense(1, Activation.SIGMOID, "aux");
        return Network.functional(List.of(x), List.of(out, aux), 7);
    }

    @Test
    void writesTheGraphBytesThatH5pyNumpyAndTfjsWereCheckedOn() throws IOException {
        Keras.save(everyMerge(true), temp.resolve("every_merge.keras"));
        Keras.saveTfjs(everyMerge(false), temp.resolve("no_subtract_tfjs"));
        assertThat(Files.readAllBytes(temp.resolve("every_merge.keras"))).isEqualTo(Fixtures.bytes(ROOT + "every_merge.keras"));
        for (String file : List.of("model.json", "weights.bin")) {
            assertThat(Files.readAllBytes(temp.resolve("no_subtract_tfjs/" + file)))
                    .isEqualTo(Fixtures.bytes(ROOT + "no_subtract_tfjs/" + file));
        }
    }

    /** numpy's float64 interpreter of the .keras config and h5 weights, and TF.js's predict, agree with nn-core. */
    @Test
    void h5pyNumpyAndTfjsComputeWhatNnCoreDoes() throws IOException {
        Map<String, Object> nnCore = Fixtures.json(ROOT + "nncore-output.json");
        List<Matrix> inputs = List.of(Fixtures.matrix(nnCore.get("inputs")));
        assertOutputs(Keras.load(copy("every_merge.keras")), inputs, Fixtures.json(ROOT + "numpy-output.json"), "numpy");
        copy("no_subtract_tfjs/weights.bin");
        Network noSubtract = Keras.load(copy("no_subtract_tfjs/model.json"));
        assertThat(noSubtract).isEqualTo(everyMerge(false));
        Map<String, Object> tfjs = Fixtures.json(ROOT + "tfjs-output.json");
        assertThat(tfjs.get("tfjs_version")).isEqualTo("4.22.0");
        assertOutputs(everyMerge(false), inputs, tfjs, "TF.js");
    }

    private static Network wideAndDeep() {
        Node wide = Node.input("wide", 5);
        Node deep = Node.input("deep", 6);
        Node hidden = deep.then(b -> b.dense(30, Activation.RELU).dense(30, Activation.RELU));
        Node main = Node.concatenate(wide, hidden).dense(1, Activation.LINEAR, "main_output");
        Node aux = hidden.dense(1, Activation.LINEAR, "aux_output");
        return Network.functional(List.of(wide, deep), List.of(main, aux), 42);
    }

    /** Two inputs sharing one Dense layer three times, a residual chain, and an output read by another layer. */
    private static Network sharedTwice() {
        Node a = Node.input("a", 3);
        Node b = Node.input("b", 3);
        Dense shared = Dense.of(new float[][] {{1, 2, 3}, {-1, 0.5f, 0}, {0.25f, -2, 1}}, new float[] {0, 1, -1},
                Activation.TANH).named("shared");
        Node sa = a.apply(shared);
        Node sb = b.apply(shared);
        Node again = Node.maximum(sa, sb).apply(shared);
        Node residual = Node.add(again, again.dense(3, Activation.RELU));
        return Network.functional(List.of(a, b), List.of(residual, sa), 5);
    }

    private static List<Network> graphs() throws IOException {
        return List.of(everyMerge(true), everyMerge(false), wideAndDeep(), sharedTwice());
    }

    private static List<Matrix> randomInputs(Network network, SplittableRandom random) {
        List<Matrix> inputs = new ArrayList<>();
        for (int i = 0; i < network.inputNames().size(); i++) {
            int width = network.inputShape(i)[0];
            float[][] rows = new float[4][width];
            for (float[] row : rows) {
                for (int c = 0; c < width; c++) {
                    row[c] = (float) random.nextDouble(-2, 2);
                }
            }
            inputs.add(Matrix.of(rows));
        }
        return inputs;
    }

    private static void assertSame(Network loaded, Network network, SplittableRandom random) {
        assertThat(loaded.isSequential()).isFalse();
        assertThat(loaded.inputNames()).isEqualTo(network.inputNames());
        assertThat(loaded.outputNames()).isEqualTo(network.outputNames());
        assertThat(loaded.layers()).extracting(Layer::name).isEqualTo(network.layers().stream().map(Layer::name).toList());
        assertThat(loaded.getWeights()).isEqualTo(network.getWeights());
        assertThat(loaded).isEqualTo(network);
        List<Matrix> inputs = randomInputs(network, random);
        assertThat(loaded.forwardAll(inputs)).isEqualTo(network.forwardAll(inputs));
    }

    @Test
    void everyGraphSurvivesKerasSaveAndLoadBitForBit() throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        int i = 0;
        for (Network network : graphs()) {
            Path file = temp.resolve("graph" + i++ + ".keras");
            Keras.save(network, file);
            assertSame(Keras.load(file), network, random);
        }
        Network nested = Keras.load(copy("nested_keras3.keras"));
        Keras.save(nested, temp.resolve("nested.keras"));
        assertSame(Keras.load(temp.resolve("nested.keras")), nested, random);
    }

    @Test
    void everyGraphSurvivesSaveTfjsAndLoadBitForBit() throws IOException {
        SplittableRandom random = new SplittableRandom(2);
        int i = 0;
        for (Network network : graphs()) {
            Path directory = temp.resolve("tfjs" + i++);
            Keras.saveTfjs(network, directory);
            assertSame(Keras.load(directory.resolve("model.json")), network, random);
        }
    }

    /** Weights-only files (.npz in get_weights() order, Keras 3 .weights.h5) go onto a graph, which keeps its shape. */
    @Test
    void weightsOnlyFilesLoadOntoAGraph() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        for (Network network : graphs()) {
            Network blank = network.withWeights(network.getWeights().stream()
                    .map(weight -> Matrix.of(new float[weight.rows()][weight.cols()])).toList());
            Keras.saveNpz(network, temp.resolve("w.npz"));
            assertSame(Keras.loadWeights(temp.resolve("w.npz"), blank), network, random);
            Files.write(temp.resolve("w.weights.h5"), KerasZip.weights(network));
            assertSame(Keras.loadWeights(temp.resolve("w.weights.h5"), blank), network, random);
        }
    }

    /** A graph's architecture JSON (the .keras file's config.json) and its Keras 3 weights file, apart. */
    @Test
    void architectureJsonAndWeightsOfAGraph() throws IOException {
        Network network = everyMerge(true);
        Map<String, byte[]> entries = ZipEntries.read(KerasZip.write(network), "every_merge.keras");
        Files.write(temp.resolve("model.json"), entries.get("config.json"));
        Files.write(temp.resolve("model.weights.h5"), entries.get("model.weights.h5"));
        assertSame(Keras.load(temp.resolve("model.json"), temp.resolve("model.weights.h5")), network, new SplittableRandom(4));
    }

    /** A chain built as a graph is written as the Sequential model it is, as before. */
    @Test
    void aChainBuiltAsAGraphIsWrittenAsSequential() throws IOException {
        Node x = Node.input("x", 2);
        Network chain = Network.functional(List.of(x), List.of(x.dense(3, Activation.RELU).dense(1, Activation.SIGMOID)), 3);
        assertThat(chain.isSequential()).isTrue();
        Keras.save(chain, temp.resolve("chain.keras"));
        Keras.saveTfjs(chain, temp.resolve("chain"));
        assertThat(new String(Files.readAllBytes(temp.resolve("chain/model.json")))).contains("\"class_name\":\"Sequential\"");
        Network loaded = Keras.load(temp.resolve("chain.keras"));
        assertThat(loaded.isSequential()).isTrue();
        assertThat(loaded).isEqualTo(chain);
    }
}
