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
 * ONNX's own node tests of the operators that merge computed inputs (Concat, Add, Sub, Mul, Div, Max, Min, Sum, Mean;
 * Debian's libonnx-testdata 1.12.0, copied to {@code src/test/resources/onnx/node}), run with every input fed as a
 * graph input through {@link Network#forwardAll}: each case must compute the expected output within float32
 * tolerance or be refused, as {@code node/graphs.txt} lists. Inputs of one axis ({@code [n]}) of the elementwise
 * operators are declared {@code [n, 1]} first ({@link OnnxTesting#withOneAxisInputsAsColumns}); Concat's are not,
 * since that would change which axis it joins. The {@code *_bcast} cases, whose second input broadcasts, run in
 * {@link OnnxConformanceTest} with that input as a constant.
 */
class OnnxGraphConformanceTest {

    /** As {@link OnnxConformanceTest}: 1e-5 absolute plus 1e-5 relative (these operators round once, or not at all). */
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-5;

    private static List<String> lines() throws IOException {
        try (InputStream in = OnnxGraphConformanceTest.class.getResourceAsStream("/onnx/node/graphs.txt")) {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).collect(Collectors.toList());
        }
    }

    static String run(String name) {
        try {
            byte[] model = OnnxTesting.resource("node/" + name + "/model.onnx");
            if (!name.startsWith("test_concat")) {
                model = OnnxTesting.withOneAxisInputsAsColumns(model);
            }
            Network network = Onnx.load(model, name, null);
            String dataSet = "node/" + name + "/test_data_set_0/";
            List<Matrix> inputs = new ArrayList<>();
            for (int i = 0; i < network.inputNames().size(); i++) {
                Tensor input = OnnxModel.parseTensor(OnnxTesting.resource(dataSet + "input_" + i + ".pb"), "input_" + i);
                int batch = (int) input.dims()[0];
                int width = (int) (input.count() / batch);
                float[][] rows = new float[batch][width];
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(input.floats(), b * width, rows[b], 0, width);
                }
                inputs.add(Matrix.of(rows));
            }
            Matrix y = network.forwardAll(inputs).get(0);
            float[] expected = OnnxModel.parseTensor(OnnxTesting.resource(dataSet + "output_0.pb"), "output_0.pb").floats();
            if ((long) y.rows() * y.cols() != expected.length) {
                return "wrong size: " + y.rows() + "x" + y.cols() + " for " + expected.length;
            }
            for (int k = 0; k < expected.length; k++) {
                double actual = y.get(k / y.cols(), k % y.cols());
                if (!(Math.abs(actual - expected[k]) <= ATOL + RTOL * Math.abs(expected[k]))) {
                    return "mismatch at " + k + ": " + actual + " vs " + expected[k];
                }
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
        for (String line : lines()) {
            String[] parts = line.split("\\s+", 3);
            expected.put(parts[0], parts[1]);
        }
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String outcome = run(e.getKey());
            if (!outcome.equals(e.getValue())) {
                wrong.add(e.getKey() + ": expected " + e.getValue() + ", got " + outcome);
            }
        }
        assertThat(wrong).as("conformance cases whose outcome changed").isEmpty();
        assertThat(expected).hasSize(33);
    }
}
