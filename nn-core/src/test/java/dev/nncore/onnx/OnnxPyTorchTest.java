package dev.nncore.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.ActivationLayer;
import dev.nncore.BatchNormalization;
import dev.nncore.Dense;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MLPs exported by {@code torch.onnx.export} (PyTorch 1.13, Debian's python3-torch; {@code generate.py} beside the
 * files), against PyTorch's own outputs computed in float64. Tolerance: 1e-5 of the largest output magnitude (at
 * least 1), the error of float32 arithmetic through a few hundred-term sums.
 */
class OnnxPyTorchTest {

    @ParameterizedTest(name = "{0} opset {1}")
    @CsvSource({"mlp784, 13, 4", "mlp64, 11, 4", "mlp64, 13, 4", "mlp64, 17, 4", "bn_gelu, 11, 8", "bn_gelu, 13, 8",
        "bn_gelu, 17, 8", "misc, 14, 15", "misc, 17, 15"})
    void matchesPyTorchInFloat64(String name, int opset, int layerCount) throws IOException {
        byte[] model = OnnxTesting.resource("pytorch/" + name + "_opset" + opset + ".onnx");
        Network network = Onnx.load(new ByteArrayInputStream(model));
        Map<String, Object> reference = Fixtures.json("/onnx/pytorch/" + name + ".json");
        float[][] input = Fixtures.floats2d(reference.get("input"));
        double[][] expected = Fixtures.doubles2d(reference.get("output"));

        Matrix actual = network.forward(Matrix.of(input));

        double scale = 1;
        for (double[] row : expected) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < expected[r].length; c++) {
                assertThat(Math.abs(actual.get(r, c) - expected[r][c])).as("%s opset %d output [%d][%d]", name, opset, r, c)
                        .isLessThanOrEqualTo(1e-5 * scale);
            }
        }
        assertThat(network.layers()).hasSize(layerCount);
        assertThat(network.isSequential()).as("a chain comes out Sequential").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bn_gelu_opset11", "bn_gelu_opset17"})
    void batchNormAndTheErfFormOfGeluBecomeLayers(String file) throws IOException {
        Network network = Onnx.load(new ByteArrayInputStream(OnnxTesting.resource("pytorch/" + file + ".onnx")));
        // Gemm, BatchNormalization, GELU (Div, Erf, Add, Mul, Mul), twice; Gemm, Softmax. Dropout is gone in eval mode.
        assertThat(network.layers().get(0)).isInstanceOf(Dense.class);
        assertThat(network.layers().get(1)).isInstanceOf(BatchNormalization.class);
        assertThat(network.layers().get(2)).isInstanceOf(ActivationLayer.class);
        assertThat(network.layers().get(2).activation().kerasName()).isEqualTo("gelu");
        assertThat(network.inputShape()).containsExactly(20);
    }
}
