package dev.nncore.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.Node;
import dev.nncore.math.Matrix;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Onnx.save of graph networks: the round trip is bit for bit (equal networks, the same outputs), shared layers come
 * back shared, names are kept, and the writer stays byte-identical to {@code saved_graph.onnx}, which passed
 * {@code onnx.checker}.
 */
class OnnxGraphSaveTest {

    @TempDir
    Path folder;

    /**
     * Two inputs (one of two axes, flattened), a Dense and an activation layer each called twice, every merge the
     * writer has (Concatenate, Add, Add of three, Subtract, Multiply of three, Average of two and of three, Maximum of
     * three, Minimum), a residual skip, Dropout, LayerNormalization, Rescaling, and two outputs, one of which is read
     * further.
     */
    static Network everyMerge() {
        Node wide = Node.input("wide", 4);
        Node image = Node.input("image", 2, 3);
        Node flat = image.then(b -> b.flatten());
        Dense shared = Dense.of(new float[4][6], new float[6], Activation.TANH).named("shared");
        Layer relu = ActivationLayer.of(6, Activation.RELU).named("shared_relu");
        Node a = wide.apply(shared);
        Node b = flat.dense(4, Activation.LINEAR, "to_four").apply(shared);
        Node ra = a.apply(relu);
        Node rb = b.apply(relu);
        Node joined = Node.concatenate(ra, rb).dense(6, Activation.SIGMOID, "joined");
        Node sum = Node.add(ra, rb);
        Node sum3 = Node.add(ra, rb, joined);
        Node difference = Node.subtract(sum, joined);
        Node product = Node.multiply(a, b, joined);
        Node mean2 = Node.average(sum3, product);
        Node mean3 = Node.average(ra, rb, difference);
        Node max = Node.maximum(mean2, mean3, a);
        Node min = Node.minimum(max, b);
        Node aux = min.then(x -> x.dropout(0.25).layerNormalization().rescaling(0.5, -0.25).dense(3, Activation.LINEAR, "aux"));
        Node residual = Node.add(min, min.dense(6, Activation.GELU, "block"));
        Node main = Node.concatenate(residual, aux).dense(2, Activation.SOFTMAX, "main");
        return OnnxTest.perturbed(Network.functional(List.of(wide, image), List.of(main, aux), 5));
    }

    private static List<Matrix> inputs(Network network, int rows, long seed) {
        Random random = new Random(seed);
        List<Matrix> inputs = new ArrayList<>();
        for (int i = 0; i < network.inputNames().size(); i++) {
            int width = OnnxImporter.product(network.inputShape(i));
            float[][] x = new float[rows][width];
            for (float[] row : x) {
                for (int j = 0; j < width; j++) {
                    row[j] = (float) random.nextGaussian() * 2;
                }
            }
            inputs.add(Matrix.of(x));
        }
        return inputs;
    }

    @Test
    void saveThenLoadIsBitForBit() throws IOException {
        Network network = everyMerge();
        Path file = folder.resolve("graph.onnx");
        Onnx.save(network, file);
        Network back = Onnx.load(file);
        assertThat(back.layers()).isEqualTo(network.layers());
        assertThat(back).isEqualTo(network);
        assertThat(back.isSequential()).isFalse();
        assertThat(back.inputNames()).containsExactly("wide", "image");
        assertThat(back.outputNames()).containsExactly("main", "aux");
        List<Matrix> x = inputs(network, 32, 3);
        assertThat(back.forwardAll(x)).isEqualTo(network.forwardAll(x));
    }

    @Test
    void aSharedLayerIsTwoNodesReadingTheSameInitializers() throws IOException {
        Network back = Onnx.load(new ByteArrayInputStream(Onnx.encode(everyMerge())));
        List<Node> calls = back.nodes().stream().filter(n -> !n.isInput() && n.name().equals("shared")).toList();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).layer()).isSameAs(calls.get(1).layer());
        assertThat(calls.get(0).layer().activation()).isEqualTo(Activation.TANH);
        List<Node> relus = back.nodes().stream().filter(n -> !n.isInput() && n.name().equals("shared_relu")).toList();
        assertThat(relus).hasSize(2);
        assertThat(relus.get(0).layer()).isSameAs(relus.get(1).layer());
        OnnxModel.Model model = OnnxModel.parse(Onnx.encode(everyMerge()), new OnnxModel.Source("graph", null, 1 << 30));
        assertThat(model.graph().nodes().stream().filter(n -> n.name().startsWith("shared/call1")).map(OnnxModel.Node::inputs))
                .anySatisfy(inputs -> assertThat(inputs).contains("shared/kernel", "shared/bias"));
        assertThat(model.graph().initializers().keySet().stream().filter(k -> k.startsWith("shared/"))).hasSize(2);
    }

    /** Graphs PyTorch exported, read, written by nn-core and read again: the same network, the same outputs. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"two_branches_opset17", "residual_opset11"})
    void pyTorchGraphsRoundTrip(String name) throws IOException {
        Network network = Onnx.load(new ByteArrayInputStream(OnnxTesting.resource("pytorch/" + name + ".onnx")));
        Network back = Onnx.load(new ByteArrayInputStream(Onnx.encode(network)));
        assertThat(back).isEqualTo(network);
        assertThat(back.inputNames()).isEqualTo(network.inputNames());
        assertThat(back.outputNames()).isEqualTo(network.outputNames());
        List<Matrix> x = inputs(network, 16, 9);
        assertThat(back.forwardAll(x)).isEqualTo(network.forwardAll(x));
    }

    @Test
    void anInputGivenBackAsAnOutputRoundTrips() throws IOException {
        Node a = Node.input("a", 2);
        Node b = Node.input("b", 3);
        Network network = Network.functional(List.of(a, b), List.of(b.dense(2, Activation.RELU, "dense"), a), 4);
        Network back = Onnx.load(new ByteArrayInputStream(Onnx.encode(network)));
        assertThat(back).isEqualTo(network);
        assertThat(back.outputNames()).containsExactly("dense", "a");
        List<Matrix> x = inputs(network, 4, 2);
        assertThat(back.forwardAll(x)).isEqualTo(network.forwardAll(x));
    }

    @Test
    void aChainSavedAsAGraphStaysSequential() throws IOException {
        Node x = Node.input("x", 3);
        Network chain = Network.functional(List.of(x), List.of(x.dense(4, Activation.RELU).dense(2, Activation.LINEAR)), 1);
        assertThat(chain.isSequential()).isTrue();
        Network back = Onnx.load(new ByteArrayInputStream(Onnx.encode(chain)));
        assertThat(back.isSequential()).isTrue();
        assertThat(back).isEqualTo(chain);
    }

    @Test
    void refusesADotItCannotWriteExactly() {
        Node a = Node.input("a", 3);
        Node b = Node.input("b", 3);
        Network dot = Network.functional(List.of(a, b), List.of(Node.dot(a, b, false).dense(1, Activation.LINEAR)));
        assertThatThrownBy(() -> Onnx.save(dot, folder.resolve("dot.onnx"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Dot").hasMessageContaining("cannot be written to ONNX");
        assertThat(folder.resolve("dot.onnx")).doesNotExist();
    }

    /**
     * {@code saved_graph.onnx} was written by this writer and passed {@code onnx.checker.check_model(m,
     * full_check=True)} (python3-onnx 1.12); the writer must keep giving the same bytes.
     */
    @Test
    void writerStaysByteIdenticalToTheCheckedFixture() throws IOException {
        byte[] bytes = Onnx.encode(everyMerge());
        String target = System.getProperty("nncore.onnx.writeGraphFixture");
        if (target != null) {
            Files.write(Path.of(target), bytes);
        }
        assertThat(bytes).isEqualTo(OnnxTesting.resource("saved_graph.onnx"));
    }
}
