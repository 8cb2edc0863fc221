package dev.nncore.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.Merge;
import dev.nncore.Network;
import dev.nncore.Node;
import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Graphs exported by {@code torch.onnx.export} (PyTorch 1.13, Debian's python3-torch; {@code graphs.py} beside the
 * files) at every opset it writes from 11 to 17, against PyTorch's own outputs computed in float64: a model of two
 * inputs, two branches, a Concat and two heads; a residual MLP (Add skips); and a model of merges (Max, Min, Sub, Mul,
 * (a + b) / 2), constant arithmetic and one Linear called twice. Tolerance: 1e-5 of the largest output magnitude (at
 * least 1), as for the PyTorch MLPs: float32 arithmetic through sums of a few dozen terms.
 */
class OnnxPyTorchGraphTest {

    static List<Object[]> cases() {
        List<Object[]> cases = new ArrayList<>();
        for (String name : List.of("two_branches", "residual", "merges")) {
            for (int opset = 11; opset <= 17; opset++) {
                cases.add(new Object[] {name, opset});
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} opset {1}")
    @MethodSource("cases")
    void matchesPyTorchInFloat64(String name, int opset) throws IOException {
        Network network = Onnx.load(new ByteArrayInputStream(OnnxTesting.resource("pytorch/" + name + "_opset" + opset + ".onnx")));
        Map<String, Object> reference = Fixtures.json("/onnx/pytorch/" + name + ".json");
        @SuppressWarnings("unchecked")
        Map<String, Object> inputs = (Map<String, Object>) reference.get("inputs");
        @SuppressWarnings("unchecked")
        Map<String, Object> outputs = (Map<String, Object>) reference.get("outputs");
        assertThat(network.inputNames()).containsExactlyElementsOf(inputs.keySet());
        if (outputs.size() > 1) {
            assertThat(network.outputNames()).containsExactlyElementsOf(outputs.keySet());
        }
        List<Matrix> x = new ArrayList<>();
        for (String input : network.inputNames()) {
            x.add(Matrix.of(Fixtures.floats2d(inputs.get(input))));
        }

        List<Matrix> actual = network.forwardAll(x);

        int k = 0;
        for (Object output : outputs.values()) {
            double[][] expected = Fixtures.doubles2d(output);
            double scale = 1;
            for (double[] row : expected) {
                for (double v : row) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            Matrix y = actual.get(k);
            assertThat(y.rows()).isEqualTo(expected.length);
            assertThat(y.cols()).isEqualTo(expected[0].length);
            for (int r = 0; r < expected.length; r++) {
                for (int c = 0; c < expected[r].length; c++) {
                    assertThat(Math.abs(y.get(r, c) - expected[r][c])).as("%s opset %d output %d [%d][%d]", name, opset, k, r, c)
                            .isLessThanOrEqualTo(1e-5 * scale);
                }
            }
            k++;
        }
        assertThat(network.isSequential()).isFalse();
    }

    @ParameterizedTest(name = "opset {0}")
    @MethodSource("opsets")
    void twoBranchesBecomeAConcatenateAndTwoNamedHeads(int opset) throws IOException {
        Network network = Onnx.load(new ByteArrayInputStream(OnnxTesting.resource("pytorch/two_branches_opset" + opset + ".onnx")));
        assertThat(network.inputNames()).containsExactly("wide", "deep");
        assertThat(network.outputNames()).containsExactly("main", "aux");
        assertThat(network.inputShape(0)).containsExactly(5);
        assertThat(network.inputShape(1)).containsExactly(6);
        assertThat(network.outputWidth(0)).isEqualTo(3);
        assertThat(network.outputWidth(1)).isEqualTo(1);
        List<Layer> merges = network.layers().stream().filter(l -> l instanceof Merge).toList();
        assertThat(merges).hasSize(1);
        assertThat(((Merge) merges.get(0)).kind()).isEqualTo(Merge.Kind.CONCATENATE);
        // the deep branch (Gemm, then Tanh) feeds both the Concat and the aux head: a fork
        List<Node> nodes = network.nodes();
        Node deep = nodes.stream().filter(n -> n.name().equals("/Tanh")).findFirst().orElseThrow();
        long readers = nodes.stream().filter(n -> n.inputs().contains(deep)).count();
        assertThat(readers).isEqualTo(2);
    }

    @ParameterizedTest(name = "opset {0}")
    @MethodSource("opsets")
    void theLinearCalledTwiceIsOneSharedLayer(int opset) throws IOException {
        Network network = Onnx.load(new ByteArrayInputStream(OnnxTesting.resource("pytorch/merges_opset" + opset + ".onnx")));
        List<Node> calls = network.nodes().stream().filter(n -> !n.isInput() && n.layer().name().equals("/shared/Gemm")).toList();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).layer()).isSameAs(calls.get(1).layer()).isInstanceOf(Dense.class);
        assertThat(network.layers().stream().filter(l -> l.name().equals("/shared/Gemm")).count()).isEqualTo(1);
    }

    static List<Integer> opsets() {
        return List.of(11, 13, 17);
    }
}
