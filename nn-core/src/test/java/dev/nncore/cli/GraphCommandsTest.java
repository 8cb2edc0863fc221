package dev.nncore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on graph models: the wide and deep model of real-wild (inputs wide_input 5 and deep_input 6, outputs
 * main_output and aux_output; its case.json holds numpy's outputs), and a weights-only .h5 given its architecture.
 */
class GraphCommandsTest {

    private static final String WIDE_DEEP = "/keras-models/real-wild/rogersaloo_example_wide_deep_multi_io/";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path temp;

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String model() throws IOException {
        return Files.write(temp.resolve("functional_model.h5"), Fixtures.bytes(WIDE_DEEP + "functional_model.h5")).toString();
    }

    private static double[][] cases(String key) {
        Map<String, Object> testCase = Fixtures.json(WIDE_DEEP + "case.json");
        return Fixtures.doubles2d(testCase.get(key));
    }

    private static String joined(double[] values, int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append(i == from ? "" : ",").append(values[i]);
        }
        return text.toString();
    }

    private static void assertClose(String text, double expected) {
        assertThat(Double.parseDouble(text.strip())).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5 * Math.abs(expected) + 1e-6));
    }

    @Test
    void predictTakesEachInputByNameAndPrintsEachOutputByName() throws IOException {
        double[] row = cases("inputs")[0];
        double[] expected = cases("expected")[0];
        // given in the other order: names, not positions, say which input is which
        assertThat(run("predict", model(), "--input", "deep_input=" + joined(row, 5, 11), "--input",
                "wide_input=" + joined(row, 0, 5))).isZero();
        List<String> lines = stdout().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("main_output: ");
        assertThat(lines.get(1)).startsWith("aux_output: ");
        assertClose(lines.get(0).substring("main_output: ".length()), expected[0]);
        assertClose(lines.get(1).substring("aux_output: ".length()), expected[1]);
        // all values side by side, in the model's input order, is the same sample
        String named = stdout();
        assertThat(run("predict", model(), "--input", joined(row, 0, 11))).isZero();
        assertThat(stdout()).isEqualTo(named);
    }

    @Test
    void explainAndDiagramTakeEachInputByName() throws IOException {
        double[] row = cases("inputs")[0];
        double[] expected = cases("expected")[0];
        String wide = "wide_input=" + joined(row, 0, 5);
        String deep = "deep_input=" + joined(row, 5, 11);
        assertThat(run("explain", model(), "--input", deep, "--input", wide)).isZero();
        String explanation = stdout();
        assertThat(explanation).contains("input wide_input = [", "input deep_input = [", "concatenate_2",
                "output main_output = [", "output aux_output = [");
        String main = explanation.lines().filter(line -> line.startsWith("output main_output = [")).findFirst().orElseThrow();
        assertClose(main.substring("output main_output = [".length(), main.length() - 1), expected[0]);
        assertThat(run("explain", model(), "--input", joined(row, 0, 11))).isZero();
        assertThat(stdout()).isEqualTo(explanation);

        Path svg = temp.resolve("graph.svg");
        assertThat(run("diagram", model(), "--input", wide, "--input", deep, "-o", svg.toString())).isZero();
        assertThat(Files.readString(svg)).contains("<svg", "main_output", "aux_output", "wide_input", "deep_input");
    }

    @Test
    void predictCsvSplitsTheColumnsByInputAndPrintsEveryOutputSideBySide() throws IOException {
        double[][] rows = cases("inputs");
        StringBuilder csv = new StringBuilder("w0,w1,w2,w3,w4,d0,d1,d2,d3,d4,d5\n");
        for (double[] row : rows) {
            csv.append(joined(row, 0, 11)).append('\n');
        }
        Path file = Files.writeString(temp.resolve("rows.csv"), csv);
        assertThat(run("predict", model(), "--csv", file.toString())).isZero();
        List<String> lines = stdout().lines().toList();
        assertThat(lines.get(0)).isEqualTo("main_output,aux_output");
        double[][] expected = cases("expected");
        assertThat(lines).hasSize(1 + rows.length);
        for (int r = 0; r < rows.length; r++) {
            String[] cells = lines.get(r + 1).split(",");
            assertClose(cells[0], expected[r][0]);
            assertClose(cells[1], expected[r][1]);
        }
    }

    @Test
    void namedInputsAreCheckedAgainstTheModel() throws IOException {
        assertThat(run("predict", model(), "--input", "wide=1,2,3,4,5", "--input", "deep_input=1,2,3,4,5,6")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the model has no input \"wide\"; its inputs are"
                + " [wide_input, deep_input]");
        assertThat(run("predict", model(), "--input", "wide_input=1,2,3,4,5")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no --input deep_input=... (6 values)");
        assertThat(run("predict", model(), "--input", "wide_input=1,2", "--input", "deep_input=1,2,3,4,5,6")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--input wide_input has 2 values but the model's input"
                + " \"wide_input\" takes 5");
        assertThat(run("predict", model(), "--input", "1,2,3")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--input has 3 values but the model takes 11"
                + " (wide_input: 5, deep_input: 6, side by side)");
    }

    @Test
    void summaryAndWeightsWorkOnAGraph() throws IOException {
        assertThat(run("summary", model())).isZero();
        assertThat(stdout()).contains("main_output").contains("aux_output").contains("concatenate_2");
        assertThat(run("weights", model())).isZero();
        assertThat(stdout()).contains("L3 concatenate_2 (Concatenate): no weights");
    }

    /** save_weights wrote weights only; the architecture of model.to_json() is given beside it. */
    @Test
    void aWeightsOnlyH5IsGivenItsArchitecture() throws IOException {
        Path weights = Files.write(temp.resolve("weights.h5"),
                Fixtures.bytes("/keras-models/keras2.2.4-tf_xor_saveweights_kdalkafoukis.h5"));
        Path architecture = Files.write(temp.resolve("model.json"),
                Fixtures.bytes("/keras-models/keras2.2.4-tf_xor_to_json_kdalkafoukis.json"));
        assertThat(run("predict", weights.toString(), "--input", "1,0")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("weights only")
                .contains("on the command line, give its architecture with --architecture model.json");
        assertThat(run("predict", weights.toString(), "--architecture", architecture.toString(), "--input", "1,0")).isZero();
        String predicted = stdout();
        assertThat(run("summary", weights.toString(), "--architecture", architecture.toString())).isZero();
        assertThat(run("weights", weights.toString(), "--architecture", architecture.toString())).isZero();
        assertThat(predicted.strip()).matches("-?[0-9.E-]+");
    }
}
