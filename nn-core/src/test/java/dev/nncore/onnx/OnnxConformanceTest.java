package dev.nncore.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Network;
import dev.nncore.keras.ModelFormatException;
import dev.nncore.keras.UnsupportedModelException;
import dev.nncore.math.Matrix;
import dev.nncore.onnx.OnnxModel.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * ONNX's own backend node tests (Debian's libonnx-testdata 1.12.0, copied to {@code src/test/resources/onnx/node};
 * see the README there), run through nn-core: each case's model, with its inputs after the first turned into
 * initializers, must either compute the expected outputs within float32 tolerance or be refused with an
 * {@link UnsupportedModelException}, as {@code expected.txt} in that folder lists case by case.
 */
class OnnxConformanceTest {

    /**
     * Tolerance: nn-core computes each activation in float64 and rounds once, and Gemm accumulates in float32 in
     * another order than numpy; ONNX's own runner allows rtol 1e-3, atol 1e-7. We allow 1e-5 absolute plus 1e-5
     * relative, a few float32 ulps at these magnitudes.
     */
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-5;

    /** What each case came to: "pass", or "refused: " and the message. */
    /** Prints each case's outcome and, for refusals, the reason: {@code -Dnncore.onnx.conformance.print=true}. */
    static Map<String, String> runAll() throws IOException {
        Map<String, String> outcomes = new TreeMap<>();
        for (String name : cases()) {
            outcomes.put(name, run(name));
        }
        return outcomes;
    }

    static List<String> cases() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : lines("node/expected.txt")) {
            names.add(line.split("\\s+")[0]);
        }
        return names;
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = OnnxConformanceTest.class.getResourceAsStream("/onnx/" + resource)) {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).collect(Collectors.toList());
        }
    }

    static String run(String name) {
        try {
            byte[] model = OnnxTesting.resource("node/" + name + "/model.onnx");
            String dataSet = "node/" + name + "/test_data_set_0/";
            List<byte[]> constants = new ArrayList<>();
            for (int i = 1; OnnxConformanceTest.class.getResource("/onnx/" + dataSet + "input_" + i + ".pb") != null; i++) {
                constants.add(OnnxTesting.resource(dataSet + "input_" + i + ".pb"));
            }
            Network network = Onnx.load(OnnxTesting.withInitializers(model, constants), name, null);
            Tensor input = OnnxModel.parseTensor(OnnxTesting.resource(dataSet + "input_0.pb"), "input_0.pb");
            Tensor output = OnnxModel.parseTensor(OnnxTesting.resource(dataSet + "output_0.pb"), "output_0.pb");
            int batch = (int) input.dims()[0];
            int width = (int) (input.count() / batch);
            float[][] rows = new float[batch][width];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(input.floats(), b * width, rows[b], 0, width);
            }
            Matrix y = network.forward(Matrix.of(rows));
            float[] expected = output.floats();
            if ((long) y.rows() * y.cols() != expected.length) {
                return "wrong size: " + y.rows() + "x" + y.cols() + " for " + expected.length;
            }
            double worst = 0;
            for (int k = 0; k < expected.length; k++) {
                double actual = y.get(k / y.cols(), k % y.cols());
                double e = expected[k];
                double error = Math.abs(actual - e) / (ATOL + RTOL * Math.abs(e));
                if (!(error <= 1)) {
                    return "mismatch at " + k + ": " + actual + " vs " + e;
                }
                worst = Math.max(worst, error);
            }
            return "pass";
        } catch (UnsupportedModelException e) {
            if (Boolean.getBoolean("nncore.onnx.conformance.print")) {
                System.out.println("REFUSED " + name + " " + e.getMessage().replaceFirst("^[^:]*: (graph.node\\[\\d+\\]: )?", ""));
            }
            return "refused";
        } catch (ModelFormatException e) {
            return "malformed: " + e.getMessage();
        } catch (RuntimeException e) {
            return "crashed: " + e;
        }
    }

    @Test
    void everyCaseComputesOrIsRefusedAsListed() throws IOException {
        Map<String, String> expected = new TreeMap<>();
        for (String line : lines("node/expected.txt")) {
            String[] parts = line.split("\\s+", 3);
            expected.put(parts[0], parts[1]);
        }
        Map<String, String> actual = runAll();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String outcome = actual.get(e.getKey());
            if (!outcome.equals(e.getValue())) {
                wrong.add(e.getKey() + ": expected " + e.getValue() + ", got " + outcome);
            }
        }
        assertThat(wrong).as("conformance cases whose outcome changed").isEmpty();
        assertThat(expected.values().stream().filter("pass"::equals).count()).isEqualTo(61);
    }
}
