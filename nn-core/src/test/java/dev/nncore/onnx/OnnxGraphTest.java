package dev.nncore.onnx;

import static dev.nncore.onnx.OnnxTest.node;
import static dev.nncore.onnx.OnnxTest.valueInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Layer;
import dev.nncore.Merge;
import dev.nncore.Network;
import dev.nncore.keras.ModelFormatException;
import dev.nncore.keras.UnsupportedModelException;
import dev.nncore.math.Matrix;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ONNX graphs read into graph networks: forks, residual skips, Concat, the merges of branches, several named inputs
 * and outputs, arithmetic with constants (exact, checked bit for bit against Java's float arithmetic), and graphs
 * the reader must refuse by name (cycles, unknown tensors, unreachable outputs). Every model is built by hand here, so
 * each expected value is worked out from the operator's definition.
 */
class OnnxGraphTest {

    private static final long[] FLAT2 = {-1, 2};

    static ProtoWriter floats(String name, long[] dims, float... values) {
        ProtoWriter tensor = new ProtoWriter();
        if (dims.length > 0) {
            tensor.packed(1, dims);
        }
        return tensor.int64(2, OnnxModel.FLOAT).string(8, name).bytes(9, ProtoWriter.littleEndian(values));
    }

    static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(1, name).int64(3, value).int64(20, 2);
    }

    /** A model of the given graph inputs and outputs ({@code name:width}), initializers and nodes, in that order. */
    static byte[] graph(List<String> inputs, List<String> outputs, List<ProtoWriter> initializers, ProtoWriter... nodes) {
        ProtoWriter graph = new ProtoWriter();
        for (ProtoWriter node : nodes) {
            graph.message(1, node);
        }
        for (ProtoWriter initializer : initializers) {
            graph.message(5, initializer);
        }
        for (String input : inputs) {
            String[] parts = input.split(":");
            graph.message(11, valueInfo(parts[0], new long[] {-1, Long.parseLong(parts[1])}));
        }
        for (String output : outputs) {
            graph.message(12, valueInfo(output, new long[] {-1}));
        }
        return new ProtoWriter().int64(1, 7).message(7, graph).message(8, new ProtoWriter().int64(2, 13)).toByteArray();
    }

    private static Network load(byte[] model) throws IOException {
        return Onnx.load(new ByteArrayInputStream(model));
    }

    private static List<ProtoWriter> gemmWeights() {
        // Keras's Dense test: kernel [[1, -2], [3, -4]] (B as [in, out]), bias [5, -6]
        return List.of(floats("W", new long[] {2, 2}, 1, -2, 3, -4), floats("b", new long[] {2}, 5, -6));
    }

    @Test
    void aChainStillComesOutSequential() throws IOException {
        Network network = load(graph(List.of("x:2"), List.of("y"), gemmWeights(),
                node("Gemm", "dense", List.of("x", "W", "b"), "h"), node("Relu", "dense/Relu", List.of("h"), "y")));
        assertThat(network.isSequential()).isTrue();
        assertThat(network.inputNames()).containsExactly("x");
        assertThat(network.forward(-1f, 2f)).containsExactly(10f, 0f);
    }

    @Test
    void aResidualSkipAddsTheInputBack() throws IOException {
        // Gemm(x) = [10, -12] for x = [-1, 2]; Relu gives [10, 0]; the skip adds x: [9, 2]
        Network network = load(graph(List.of("x:2"), List.of("y"), gemmWeights(),
                node("Gemm", "dense", List.of("x", "W", "b"), "h"), node("Relu", "relu", List.of("h"), "r"),
                node("Add", "skip", List.of("x", "r"), "y")));
        assertThat(network.forward(-1f, 2f)).containsExactly(9f, 2f);
        assertThat(network.isSequential()).isFalse();
        assertThat(network.layers().get(2)).isInstanceOf(Merge.class);
    }

    @Test
    void nodesOutOfFileOrderAreReadInTopologicalOrder() throws IOException {
        List<ProtoWriter> nodes = new ArrayList<>(List.of(node("Gemm", "dense", List.of("x", "W", "b"), "h"),
                node("Relu", "relu", List.of("h"), "r"), node("Add", "skip", List.of("x", "r"), "y")));
        Collections.reverse(nodes);
        Network network = load(graph(List.of("x:2"), List.of("y"), gemmWeights(), nodes.toArray(ProtoWriter[]::new)));
        assertThat(network.forward(-1f, 2f)).containsExactly(9f, 2f);
    }

    @Test
    void concatOfTwoInputsAndTwoNamedOutputs() throws IOException {
        Network network = load(graph(List.of("a:2", "b:3"), List.of("joined", "squashed"), List.of(),
                node("Concat", "concat", List.of("a", "b"), "c", intAttribute("axis", -1)),
                node("Relu", "relu", List.of("c"), "joined"), node("Sigmoid", "sigmoid", List.of("b"), "squashed")));
        assertThat(network.inputNames()).containsExactly("a", "b");
        assertThat(network.outputNames()).containsExactly("joined", "squashed");
        List<Matrix> y = network.forwardAll(List.of(Matrix.of(new float[][] {{-1, 2}}), Matrix.of(new float[][] {{3, -4, 0}})));
        assertThat(y.get(0).toArray()[0]).containsExactly(0f, 2f, 3f, 0f, 0f);
        assertThat(y.get(1).toArray()[0]).containsExactly(Activation.SIGMOID.apply(new float[] {3, -4, 0}));
    }

    @Test
    void concatAlongTheFirstAxisOfSamplesOfSeveralAxes() throws IOException {
        // [batch, 1, 2] and [batch, 2, 2] along axis 1: the samples side by side, [batch, 3, 2]
        ProtoWriter graph = new ProtoWriter()
                .message(1, node("Concat", "concat", List.of("a", "b"), "c", intAttribute("axis", 1)))
                .message(1, node("Flatten", "flatten", List.of("c"), "y"))
                .message(11, valueInfo("a", new long[] {-1, 1, 2})).message(11, valueInfo("b", new long[] {-1, 2, 2}))
                .message(12, valueInfo("y", new long[] {-1, 6}));
        byte[] model = new ProtoWriter().int64(1, 7).message(7, graph).message(8, new ProtoWriter().int64(2, 13)).toByteArray();
        Network network = load(model);
        List<Matrix> y = network.forwardAll(List.of(Matrix.of(new float[][] {{1, 2}}), Matrix.of(new float[][] {{3, 4, 5, 6}})));
        assertThat(y.get(0).toArray()[0]).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
    }

    @Test
    void maxMinSumMeanAndSubOfBranches() throws IOException {
        Network network = load(graph(List.of("x:3"), List.of("max", "min", "sum", "mean", "sub"), List.of(),
                node("Relu", "r", List.of("x"), "r"), node("Sigmoid", "s", List.of("x"), "s"),
                node("Tanh", "t", List.of("x"), "t"), node("Max", "max", List.of("r", "s", "t"), "max"),
                node("Min", "min", List.of("r", "s", "t"), "min"), node("Sum", "sum", List.of("r", "s", "t"), "sum"),
                node("Mean", "mean", List.of("r", "s", "t"), "mean"), node("Sub", "sub", List.of("s", "t"), "sub")));
        float[] x = {-1.5f, 0.25f, 3f};
        float[] r = Activation.RELU.apply(x);
        float[] s = Activation.SIGMOID.apply(x);
        float[] t = Activation.TANH.apply(x);
        List<Matrix> y = network.forwardAll(List.of(Matrix.of(new float[][] {x})));
        for (int j = 0; j < 3; j++) {
            assertThat(y.get(0).get(0, j)).isEqualTo(Math.max(Math.max(r[j], s[j]), t[j]));
            assertThat(y.get(1).get(0, j)).isEqualTo(Math.min(Math.min(r[j], s[j]), t[j]));
            assertThat(y.get(2).get(0, j)).isEqualTo(r[j] + s[j] + t[j]);
            assertThat(y.get(3).get(0, j)).isEqualTo((r[j] + s[j] + t[j]) / 3);
            assertThat(y.get(4).get(0, j)).isEqualTo(s[j] - t[j]);
        }
        assertThat(network.layers()).filteredOn(l -> l instanceof Merge).extracting(l -> ((Merge) l).kind())
                .containsExactly(Merge.Kind.MAXIMUM, Merge.Kind.MINIMUM, Merge.Kind.ADD, Merge.Kind.AVERAGE,
                        Merge.Kind.SUBTRACT);
    }

    /**
     * {@code x op c} (or {@code c op x} when {@code constantFirst}) against Java's float arithmetic, bit for bit, on
     * 256 seeded values: a scalar, per-feature constants, a power of two, an inexact divisor (3), negative factors.
     */
    @ParameterizedTest(name = "{0} {1} (constant first: {2})")
    @CsvSource(delimiter = ';', value = {"Add; 3; false", "Add; 3; true", "Add; 0.5 -3 7.25; false", "Sub; 3; false",
        "Sub; 3; true", "Sub; 0.5 -3 7.25; false", "Sub; 0.5 -3 7.25; true", "Mul; 3; false", "Mul; -0.1; true",
        "Mul; 0.5 3 7.25; false", "Mul; -0.5 -3 -7.25; true", "Div; 3; false", "Div; 0.25; false", "Div; -3; false",
        "Div; 0.5 3 7.1; false", "Div; -0.5 -3 -7.1; false"})
    void arithmeticWithAConstantIsExact(String op, String constant, boolean constantFirst) throws IOException {
        String[] parts = constant.split(" ");
        float[] c = new float[parts.length];
        for (int j = 0; j < c.length; j++) {
            c[j] = Float.parseFloat(parts[j]);
        }
        ProtoWriter tensor = floats("c", c.length == 1 ? new long[0] : new long[] {c.length}, c);
        Network network = load(graph(List.of("x:3"), List.of("y"), List.of(tensor),
                node(op, "op", constantFirst ? List.of("c", "x") : List.of("x", "c"), "y")));
        Random random = new Random(11);
        float[][] x = new float[256][3];
        for (float[] row : x) {
            for (int j = 0; j < 3; j++) {
                row[j] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
            }
        }
        float[][] y = network.forward(Matrix.of(x)).toArray();
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 3; j++) {
                float a = constantFirst ? c[j % c.length] : x[i][j];
                float b = constantFirst ? x[i][j] : c[j % c.length];
                float expected = switch (op) {
                    case "Add" -> a + b;
                    case "Sub" -> a - b;
                    case "Mul" -> a * b;
                    default -> a / b;
                };
                assertThat(y[i][j]).as("%s of %s and %s", op, a, b).isEqualTo(expected);
            }
        }
    }

    @Test
    void refusesArithmeticWithNoExactLayer() {
        ProtoWriter mixed = floats("c", new long[] {3}, 0.5f, -3f, 7f);
        assertThatThrownBy(() -> load(graph(List.of("x:3"), List.of("y"), List.of(mixed),
                node("Mul", "scale", List.of("x", "c"), "y"))))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("Mul node \"scale\" (opset 13)")
                .hasMessageContaining("mixed signs");
        ProtoWriter scalar = floats("c", new long[0], 2f);
        assertThatThrownBy(() -> load(graph(List.of("x:3"), List.of("y"), List.of(scalar),
                node("Div", "inverse", List.of("c", "x"), "y"))))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("Div node \"inverse\"")
                .hasMessageContaining("c / x");
        ProtoWriter huge = floats("c", new long[0], 1e30f);
        assertThatThrownBy(() -> load(graph(List.of("x:3"), List.of("y"), List.of(huge),
                node("Div", "tiny", List.of("x", "c"), "y"))))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("beyond float32");
        ProtoWriter perRow = floats("c", new long[] {4, 3}, new float[12]);
        assertThatThrownBy(() -> load(graph(List.of("x:3"), List.of("y"), List.of(perRow),
                node("Add", "rows", List.of("x", "c"), "y"))))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("batch axis");
    }

    @Test
    void refusesMergesNnCoreHasNot() {
        assertThatThrownBy(() -> load(graph(List.of("a:2", "b:2"), List.of("y"), List.of(),
                node("Div", "ratio", List.of("a", "b"), "y"))))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("Div node \"ratio\" (opset 13)")
                .hasMessageContaining("do not divide");
        assertThatThrownBy(() -> load(graph(List.of("a:2", "b:3"), List.of("y"), List.of(),
                node("Add", "add", List.of("a", "b"), "y"))))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("Add node \"add\"")
                .hasMessageContaining("one shape");
        assertThatThrownBy(() -> load(graph(List.of("a:2", "b:2"), List.of("y"), List.of(),
                node("Concat", "stack", List.of("a", "b"), "y", intAttribute("axis", 0)))))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("Concat node \"stack\"")
                .hasMessageContaining("batch axis 0");
    }

    @Test
    void refusesOneTensorListedAsTwoOutputs() {
        assertThatThrownBy(() -> load(graph(List.of("x:2"), List.of("y", "y"), List.of(),
                node("Relu", "relu", List.of("x"), "y"))))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("output 1")
                .hasMessageContaining("again");
    }

    @Test
    void refusesACycleNamingANodeOnIt() {
        assertThatThrownBy(() -> load(graph(List.of("x:2"), List.of("y"), List.of(),
                node("Add", "loop_in", List.of("x", "y"), "h"), node("Relu", "loop_out", List.of("h"), "y"))))
                .isInstanceOf(ModelFormatException.class).isNotInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("graph.node[0] Add \"loop_in\" (opset 13)").hasMessageContaining("cycle");
    }

    @Test
    void refusesAnUnknownTensorAndAnUnreachableOutput() {
        assertThatThrownBy(() -> load(graph(List.of("x:2"), List.of("y"), List.of(),
                node("Add", "add", List.of("x", "nowhere"), "y"))))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("graph.node[0] Add \"add\"")
                .hasMessageContaining("\"nowhere\", which no node computes");
        assertThatThrownBy(() -> load(graph(List.of("x:2"), List.of("y", "ghost"), List.of(),
                node("Relu", "relu", List.of("x"), "y"))))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("graph.output[1] (\"ghost\")")
                .hasMessageContaining("computed by no node");
    }

    /** One input read by 10,000 Relu nodes, all summed by one Sum: wide fan-out and fan-in read in linear time. */
    @Test
    void tenThousandBranchesForkAndMergeQuickly() {
        int branches = 10_000;
        ProtoWriter[] nodes = new ProtoWriter[branches + 1];
        List<String> relus = new ArrayList<>();
        for (int k = 0; k < branches; k++) {
            nodes[k] = node(k % 2 == 0 ? "Relu" : "Sigmoid", "branch" + k, List.of("x"), "b" + k);
            relus.add("b" + k);
        }
        nodes[branches] = node("Sum", "sum", relus, "y");
        byte[] model = graph(List.of("x:2"), List.of("y"), List.of(), nodes);
        Network network = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> load(model));
        float[] x = {-0.5f, 2f};
        float[] relu = Activation.RELU.apply(x);
        float[] sigmoid = Activation.SIGMOID.apply(x);
        float[] sum = relu.clone();
        for (int k = 1; k < branches; k++) {
            for (int j = 0; j < 2; j++) {
                sum[j] += k % 2 == 0 ? relu[j] : sigmoid[j];
            }
        }
        assertThat(network.forward(x)).containsExactly(sum);
        assertThat(((Merge) network.layers().get(branches)).parts()).hasSize(branches);
    }

    /** 5,000 residual blocks {@code h + tanh(h)}: 10,000 nodes, read without recursion. */
    @Test
    void tenThousandNodesDoNotOverflowTheStack() throws IOException {
        int blocks = 5_000;
        ProtoWriter[] nodes = new ProtoWriter[2 * blocks];
        for (int k = 0; k < blocks; k++) {
            String h = k == 0 ? "x" : "h" + k;
            nodes[2 * k] = node("Tanh", "tanh" + k, List.of(h), "t" + k);
            nodes[2 * k + 1] = node("Add", "add" + k, List.of(h, "t" + k), k == blocks - 1 ? "y" : "h" + (k + 1));
        }
        Network network = load(graph(List.of("x:2"), List.of("y"), List.of(), nodes));
        assertThat(network.layers()).hasSize(2 * blocks);
        float[] h = {-0.5f, 0.25f};
        for (int k = 0; k < blocks; k++) {
            float[] t = Activation.TANH.apply(h);
            h = new float[] {h[0] + t[0], h[1] + t[1]};
        }
        assertThat(network.forward(-0.5f, 0.25f)).containsExactly(h);
        assertThat(network.layers().stream().map(Layer::name).distinct().count()).isEqualTo(2L * blocks);
    }
}
