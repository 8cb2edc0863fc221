package dev.nncore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.BatchNormalization;
import dev.nncore.Dense;
import dev.nncore.Dropout;
import dev.nncore.Network;
import dev.nncore.internal.AtomicFiles;
import dev.nncore.keras.Keras;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real command line, {@link Main#run}, on the bundled model files: output, errors and exit codes. */
class MainTest {

    private static final String RELU_SIGMOID_XOR = "keras-models/keras3.6.0_xor_legacyh5_ArnavKhurana22.h5";
    private static final String TFJS_XOR = "keras-models/tfjs_node4.5.0_xor_MartinTintin3/model.json";
    private static final String XOR_2_8_1 = "reference/models/xor_2-8-1/model.json";

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

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String fixture(String name) {
        try {
            return Path.of(MainTest.class.getResource("/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void demoTellsTheVideosStoryEndToEnd() throws Exception {
        assertThat(run("demo", "-o", temp.toString())).isZero();

        String text = stdout();
        assertThat(stderr()).isEmpty();
        assertThat(text).contains("Backprop with Adam(learning rate 0.05), all 4 rows per batch, 300 epochs, seed 1.",
                "Total params: 9", "0B -> L1N0: ", "L1N1 -> L2N0 = ",
                "(0, 0) ->  0.0000", "(0, 1) ->  1.0000", "(1, 0) ->  1.0000", "(1, 1) ->  0.0000",
                "4. Input (1, 0) worked out by hand", "Network[2 -> Dense(2, relu) -> Dense(1, linear)], input x = [1, 0]",
                "  h1[0] = relu(1 x (-1.61) + 0 x 1.1 + (-0.07)) = relu(-1.68) = 0\n",
                "Numbers are rounded to 2 digits after the point",
                "5. Wrote " + temp.resolve("xor.svg") + " (the network");
        // the video's own network and hand computation: 0, 1.2, 0.96
        assertThat(text).contains("0B -> L1N0: -1.3\n0B -> L1N1: 0.0\nL0N0 -> L1N0 = 1.3\nL0N0 -> L1N1 = 1.2\n"
                        + "L0N1 -> L1N0 = 1.3\nL0N1 -> L1N1 = 1.2\n1B -> L2N0: 0.0\nL1N0 -> L2N0 = -1.6\nL1N1 -> L2N0 = 0.8\n",
                "  h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0\n",
                "  h1[1] = relu(0 x 1.2 + 1 x 1.2 + 0) = relu(1.2) = 1.2\n",
                "  y[0] = 0 x (-1.6) + 1.2 x 0.8 + 0 = 0.96000004\n");
        for (String file : List.of("xor.svg", "xor-loss.svg")) {
            byte[] svg = Files.readAllBytes(temp.resolve(file));
            assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg))
                    .getDocumentElement().getTagName()).isEqualTo("svg");
        }
        assertThat(Files.readString(temp.resolve("xor.svg"))).contains("L0N0 -&gt; L1N0 = -1.608");
    }

    @Test
    void demoTrainsANetworkThatComputesXor() {
        Network trained = XorDemo.train().network();
        float[] expected = {0, 1, 1, 0};
        for (int i = 0; i < 4; i++) {
            assertThat(trained.forward(XorDemo.XOR_INPUTS[i])[0]).isCloseTo(expected[i], within(0.01f));
        }
    }

    @Test
    void demoReportsADirectoryItCannotWriteTo() {
        assertThat(run("demo", "-o", temp.resolve("missing").toString())).isEqualTo(1);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).isEqualTo("nn-core demo: cannot write " + temp.resolve("missing").resolve("xor.svg")
                + ": no such directory\n");
    }

    @Test
    void summaryOfEveryBundledModel() {
        for (String model : List.of(RELU_SIGMOID_XOR, TFJS_XOR, XOR_2_8_1, "keras-models/keras3.10.0_xor_mehmetsefabalik.keras",
                "keras-models/keras2.2.4_xor_full_kishikishi-kishio.h5", "keras-models/keras2.13.1_iris_untrained_tyza66.keras")) {
            assertThat(run("summary", fixture(model))).as(model).isZero();
            assertThat(stdout()).startsWith("Model: \"sequential\"").contains("Total params: ").contains("Network[");
            assertThat(stderr()).isEmpty();
        }
        run("summary", fixture(XOR_2_8_1));
        assertThat(stdout()).contains("Total params: 33 (132.00 Byte)", "Network[2 -> Dense(8, relu) -> Dense(1, sigmoid)]");
    }

    @Test
    void weightsInTheVideosDumpFormat() throws Exception {
        assertThat(run("weights", fixture(XOR_2_8_1))).isZero();

        Network network = Keras.load(Path.of(fixture(XOR_2_8_1)));
        List<String> lines = stdout().lines().toList();
        assertThat(lines).hasSize(33);
        assertThat(lines.get(0)).isEqualTo("0B -> L1N0: " + ((Dense) network.layers().get(0)).bias().get(0, 0));
        assertThat(lines.get(8)).isEqualTo("L0N0 -> L1N0 = " + ((Dense) network.layers().get(0)).kernel().get(0, 0));
        assertThat(lines.get(32)).isEqualTo("L1N7 -> L2N0 = " + ((Dense) network.layers().get(1)).kernel().get(7, 0));
    }

    /** Dense(relu) -> BatchNormalization -> Dropout -> Dense(linear) -> Activation(softmax), as in ExplanationTest. */
    private static Network denseBatchNormDropoutSoftmax() {
        return Network.of(
                Dense.of(new float[][] {{1, -1, 0.5f}, {2, 0.5f, -1}}, new float[] {0.5f, 0, 0.1f}, Activation.RELU),
                BatchNormalization.of(0.99, 0.001, new float[] {0.5f, 2, 1}, new float[] {0.1f, -0.2f, 0},
                        new float[] {1, 0.5f, -0.25f}, new float[] {4, 0.25f, 1}),
                Dropout.of(3, 0.2),
                Dense.of(new float[][] {{1, -1}, {0.5f, 0.25f}, {-1, 2}}, new float[] {0, 0.1f}, Activation.LINEAR),
                ActivationLayer.of(2, Activation.SOFTMAX));
    }

    @Test
    void weightsDumpListsEveryLayersWeightsByName() {
        assertThat(ModelCommands.weightDump(denseBatchNormDropoutSoftmax())).isEqualTo("""
                0B -> L1N0: 0.5
                0B -> L1N1: 0.0
                0B -> L1N2: 0.1
                L0N0 -> L1N0 = 1.0
                L0N0 -> L1N1 = -1.0
                L0N0 -> L1N2 = 0.5
                L0N1 -> L1N0 = 2.0
                L0N1 -> L1N1 = 0.5
                L0N1 -> L1N2 = -1.0
                L2 batch_normalization gamma[0] = 0.5
                L2 batch_normalization gamma[1] = 2.0
                L2 batch_normalization gamma[2] = 1.0
                L2 batch_normalization beta[0] = 0.1
                L2 batch_normalization beta[1] = -0.2
                L2 batch_normalization beta[2] = 0.0
                L2 batch_normalization moving_mean[0] = 1.0
                L2 batch_normalization moving_mean[1] = 0.5
                L2 batch_normalization moving_mean[2] = -0.25
                L2 batch_normalization moving_variance[0] = 4.0
                L2 batch_normalization moving_variance[1] = 0.25
                L2 batch_normalization moving_variance[2] = 1.0
                L3 dropout (Dropout): no weights
                3B -> L4N0: 0.0
                3B -> L4N1: 0.1
                L3N0 -> L4N0 = 1.0
                L3N0 -> L4N1 = -1.0
                L3N1 -> L4N0 = 0.5
                L3N1 -> L4N1 = 0.25
                L3N2 -> L4N0 = -1.0
                L3N2 -> L4N1 = 2.0
                L5 activation (Activation): no weights
                """);
        assertThat(ModelCommands.weightDump(Network.of(Dense.withoutBias(new float[][] {{2}}, Activation.LINEAR))))
                .isEqualTo("L0N0 -> L1N0 = 2.0\n"); // no bias, no bias lines
    }

    /** The commands' output for a network the Keras reader does not load yet: what MODEL would print. */
    @Test
    void summaryExplainAndDiagramWorkOnEveryLayerKind() throws Exception {
        Network network = denseBatchNormDropoutSoftmax();

        // the table is Network.summary()'s (tested in NetworkTest); 29 = 9 + 4 x 3 + 8, the moving statistics not trainable
        assertThat(ModelCommands.summaryText(network)).isEqualTo(network.summary() + "\n" + network + "\n")
                .contains(" batch_normalization (BatchN", " dropout (Dropout)", "Total params: 29 ", "Non-trainable params: 6 ")
                .endsWith("Network[2 -> Dense(3, relu) -> BatchNormalization(3) -> Dropout(0.2) -> Dense(2, linear)"
                        + " -> Activation(softmax)]\n");
        assertThat(ModelCommands.explainText(network, new float[] {1, 0.75f}, -1))
                .isEqualTo(network.explain(1, 0.75f).toString())
                .contains("  h2[0] = (3 - 1) / sqrt(4 + 0.001) x 0.5 + 0.1 = 3 x 0.24996875 + (-0.14996876) = 0.5999375\n",
                        "layer 3 \"dropout\": Dropout(rate=0.2), identity at inference: h3 = h2\n");
        assertThat(ModelCommands.explainText(network, new float[] {1, 0.75f}, 2)).isEqualTo(network.explain(1, 0.75f).toString(2));
        String svg = ModelCommands.diagramText(network, new float[] {1, 0.75f}, "svg", 2, 200);
        assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))).getDocumentElement().getTagName())
                .isEqualTo("svg");
        assertThat(svg).contains(">batch_normalization</text>", ">&quot;dropout&quot;: Dropout(rate=0.2)</text>");
        assertThat(ModelCommands.diagramText(network, null, "dot", 1, 200)).startsWith("digraph network {")
                .contains("m3 [shape=note");
    }

    @Test
    void predictOneInputGivesNumpysOutput() {
        assertThat(run("predict", fixture(RELU_SIGMOID_XOR), "--input", "1,0")).isZero();
        assertThat(Float.parseFloat(stdout().strip())).isCloseTo(0.999961f, within(1e-6f)); // numpy, keras-models/README.md

        assertThat(run("predict", fixture(RELU_SIGMOID_XOR), "--input=0,0", "--digits", "3")).isZero();
        assertThat(stdout()).isEqualTo("0.000\n");
    }

    /** An ONNX file goes through the same commands: by its .onnx name, and by its content under another name. */
    @Test
    void onnxModelsWorkInEveryModelCommand() throws Exception {
        String onnx = fixture("onnx/pytorch/mlp64_opset13.onnx");
        java.util.Map<String, Object> reference = dev.nncore.testing.Fixtures.json("/onnx/pytorch/mlp64.json");
        float[] input = dev.nncore.testing.Fixtures.floats2d(reference.get("input"))[0];
        String csv = java.util.stream.IntStream.range(0, input.length).mapToObj(i -> Float.toString(input[i]))
                .collect(java.util.stream.Collectors.joining(","));
        dev.nncore.Network network = dev.nncore.onnx.Onnx.load(Path.of(onnx));

        assertThat(run("predict", onnx, "--input", csv)).isZero();
        float[] printed = parse(stdout().strip());
        assertThat(printed).containsExactly(network.forward(input));
        Path renamed = java.nio.file.Files.copy(Path.of(onnx), temp.resolve("model.bin"));
        assertThat(run("predict", renamed.toString(), "--input", csv)).isZero();
        assertThat(parse(stdout().strip())).containsExactly(printed);
        assertThat(run("summary", onnx)).isZero();
        assertThat(stdout()).contains("Total params: " + network.parameterCount());
        assertThat(run("explain", onnx, "--input", csv)).isZero();
        assertThat(run("diagram", onnx, "-o", temp.resolve("mlp.svg").toString())).isZero();
    }

    private static float[] parse(String line) {
        String[] parts = line.split(",");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Float.parseFloat(parts[i].trim());
        }
        return values;
    }

    @Test
    void predictCsvGivesOneLinePerRowEqualToForward() throws Exception {
        Path csv = temp.resolve("rows.csv");
        Files.writeString(csv, "a,b\n0,0\n\n# comment\n0, 1\n1,0\r\n1,1\n");

        assertThat(run("predict", fixture(TFJS_XOR), "--csv", csv.toString())).isZero();

        Network network = Keras.load(Path.of(fixture(TFJS_XOR)));
        assertThat(stdout()).isEqualTo(network.forward(0, 0)[0] + "\n" + network.forward(0, 1)[0] + "\n"
                + network.forward(1, 0)[0] + "\n" + network.forward(1, 1)[0] + "\n");
    }

    @Test
    void predictCsvErrorsNameTheLine() throws Exception {
        Path csv = temp.resolve("rows.csv");
        Files.writeString(csv, "0,0\n0,1,1\n");
        assertThat(run("predict", fixture(TFJS_XOR), "--csv", csv.toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core predict: " + csv + " line 2: expected 2 values (the model's inputs), got 3\n");

        Files.writeString(csv, "x,y\n0,zero\n");
        assertThat(run("predict", fixture(TFJS_XOR), "--csv", csv.toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core predict: " + csv + " line 2, column 2: 'zero' is not a number\n");

        assertThat(run("predict", fixture(TFJS_XOR), "--csv", temp.resolve("none.csv").toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core predict: cannot read CSV file " + temp.resolve("none.csv") + ": no such file\n");
    }

    @Test
    void explainWritesTheWhiteboard() throws Exception {
        assertThat(run("explain", fixture(TFJS_XOR), "--input", "1,0")).isZero();

        Network network = Keras.load(Path.of(fixture(TFJS_XOR)));
        assertThat(stdout()).isEqualTo(network.explain(1, 0).toString())
                .startsWith("Network[2 -> Dense(2, sigmoid) -> Dense(1, sigmoid)], input x = [1, 0]\n")
                .contains("  h1[0] = sigmoid(1 x ", "  y[0] = sigmoid(");

        assertThat(run("explain", fixture(TFJS_XOR), "--input", "1,0", "--digits", "2")).isZero();
        assertThat(stdout()).isEqualTo(network.explain(1, 0).toString(2)).contains("Numbers are rounded to 2 digits");
    }

    @Test
    void diagramWritesSvgOrDot() throws Exception {
        Path svg = temp.resolve("net.svg");
        assertThat(run("diagram", fixture(XOR_2_8_1), "-o", svg.toString(), "--input", "1,0")).isZero();
        assertThat(stdout()).startsWith("Wrote " + svg + " (SVG, ");
        assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile()).getDocumentElement()
                .getElementsByTagName("line").getLength()).isEqualTo(33);

        Path dot = temp.resolve("net.dot");
        assertThat(run("diagram", fixture(XOR_2_8_1), "--output", dot.toString())).isZero();
        assertThat(Files.readString(dot)).startsWith("digraph network {");

        assertThat(run("diagram", fixture(XOR_2_8_1), "--format", "dot", "--digits", "1")).isZero();
        assertThat(stdout()).startsWith("digraph network {").contains("n0_0 -> n1_0 [label=\"");
        assertThat(stdout().lines().filter(line -> line.matches("  [nb]\\d\\S* -> .*")).count()).isEqualTo(33);
    }

    /** A diagram written over an old one and failing half-way (a full disk) leaves the old file and no temporary. */
    @Test
    void diagramOutputIsAtomic() throws Exception {
        Path svg = Files.writeString(temp.resolve("net.svg"), "the previous diagram");
        try (AtomicFiles.Injection full = AtomicFiles.failWrite("net.svg", 100)) {
            assertThat(run("diagram", fixture(XOR_2_8_1), "-o", svg.toString())).isEqualTo(1);
        }
        assertThat(stderr()).startsWith("nn-core diagram: cannot write " + svg + ": ")
                .contains("injected failure after 100 bytes of net.svg");
        assertThat(Files.readString(svg)).isEqualTo("the previous diagram");
        try (java.util.stream.Stream<Path> files = Files.list(temp)) {
            assertThat(files).containsExactly(svg);
        }
    }

    @Test
    void missingModelFileIsAOneLineErrorWithoutStackTrace() {
        String missing = temp.resolve("missing.h5").toString();
        for (String command : List.of("summary", "weights")) {
            assertThat(run(command, missing)).isEqualTo(1);
            assertThat(stderr()).isEqualTo("nn-core " + command + ": cannot read model " + missing + ": no such model file\n");
            assertThat(stdout()).isEmpty();
        }
        assertThat(run("predict", missing, "--input", "1,0")).isEqualTo(1);
        assertThat(stderr()).doesNotContain("\tat ").doesNotContain("Exception");

        assertThat(run("explain", missing, "--input", "1,0", "--verbose")).isEqualTo(1);
        assertThat(stderr()).startsWith("nn-core explain: cannot read model " + missing + ": no such model file\n")
                .contains("NoSuchFileException").contains("\tat ");
    }

    @Test
    void malformedModelFilesAreNamedWithoutStackTrace() throws Exception {
        Path garbage = temp.resolve("model.h5");
        Files.writeString(garbage, "this is not a model");
        assertThat(run("summary", garbage.toString())).isEqualTo(1);
        assertThat(stderr()).startsWith("nn-core summary: cannot read model " + garbage + ": model.h5: not a model file")
                .doesNotContain("\tat ");

        byte[] keras = Files.readAllBytes(Path.of(fixture("keras-models/keras3.10.0_xor_mehmetsefabalik.keras")));
        Path truncated = temp.resolve("truncated.keras");
        Files.write(truncated, Arrays.copyOf(keras, keras.length / 2));
        assertThat(run("predict", truncated.toString(), "--input", "1,0")).isEqualTo(1);
        assertThat(stderr()).startsWith("nn-core predict: cannot read model " + truncated + ": truncated.keras")
                .doesNotContain("\tat ");
        assertThat(stderr().lines().count()).isEqualTo(1);

        assertThat(run("summary", fixture("keras-models/keras3.15.0_nested_subclassed_keras-team-testdata.keras"))).isEqualTo(1);
        assertThat(stderr()).startsWith("nn-core summary: cannot use model ").doesNotContain("\tat ");

        assertThat(run("summary", temp.toString())).isEqualTo(1);
        assertThat(stderr()).startsWith("nn-core summary: cannot read model " + temp + ": ");
    }

    @Test
    void usageErrorsExit64WithAHint() throws Exception {
        String model = fixture(TFJS_XOR);
        assertUsage(new String[] {"predict", model}, "predict needs either --input 1,0 (one sample) or --csv rows.csv (one sample per row)");
        assertUsage(new String[] {"predict", model, "--input", "1,0", "--csv", "a.csv"},
                "predict needs either --input 1,0 (one sample) or --csv rows.csv (one sample per row)");
        assertUsage(new String[] {"predict", model, "--input", "1,x"},
                "--input '1,x': value 2 ('x') is not a number; write the values separated by commas, e.g. --input 1,0");
        assertUsage(new String[] {"predict", model, "--input", "1,0,1"},
                "--input has 3 values but the model takes 2 (Network[2 -> Dense(2, sigmoid) -> Dense(1, sigmoid)])");
        assertUsage(new String[] {"predict", model, "--input"}, "--input needs a value");
        assertUsage(new String[] {"explain", model}, "explain needs --input, the values to explain, e.g. --input 1,0");
        assertUsage(new String[] {"explain", model, "--input", "1,0", "--digits", "12"},
                "--digits must be a whole number from 0 to 9, got '12'");
        assertUsage(new String[] {"explain", model, "--input", "1,0", "--input", "0,1"}, "--input is given twice");
        assertUsage(new String[] {"diagram", model, "--format", "png"}, "--format must be svg or dot, got 'png'");
        assertUsage(new String[] {"diagram", model, "--colour", "red"},
                "unknown option '--colour' for diagram; it takes ");
        assertUsage(new String[] {"summary"}, "summary needs a MODEL file (a .keras, .h5 or TensorFlow.js model.json)");
        assertUsage(new String[] {"weights", model, model}, "weights takes one MODEL file, got 2: ");
        assertUsage(new String[] {"summary", model, "--input", "1,0"}, "unknown option '--input' for summary; it takes --architecture");
        assertUsage(new String[] {"demo", "extra"}, "demo takes no MODEL file, got [extra]");
    }

    private void assertUsage(String[] args, String message) {
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(64);
        assertThat(stderr()).as(String.join(" ", args)).startsWith("nn-core " + args[0] + ": " + message)
                .endsWith("Run 'java -jar nn-core.jar " + args[0] + " --help' for its usage.\n");
        assertThat(stderr().lines()).as("one line and a hint").hasSize(2);
        assertThat(stdout()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "summary", "weights", "predict", "explain", "diagram", "train", "evaluate", "info",
            "version", "help"})
    void everyCommandHasHelp(String command) {
        assertThat(run(command, "--help")).isZero();
        String help = stdout();
        assertThat(help).startsWith("Usage: java -jar nn-core.jar " + command);
        assertThat(stderr()).isEmpty();
        assertThat(run("help", command)).isZero();
        assertThat(stdout()).isEqualTo(help);
        assertThat(run(command, "-h")).isZero();
        assertThat(stdout()).isEqualTo(help);
    }

    @Test
    void helpPrintsUsageWithExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).startsWith("Usage: java -jar nn-core.jar <command>")
                .contains("Exit status: 0 success; 1 a file could not be read, parsed, used or written; 64 a usage error");
        assertThat(run("help")).isZero();
        assertThat(stdout()).startsWith("Usage: java -jar nn-core.jar <command>").contains("Exit status:");
        assertThat(run("help", "nope")).isEqualTo(64);
        assertThat(stderr()).isEqualTo("nn-core: unknown command 'nope'; the commands are demo, summary, weights, predict,"
                + " explain, diagram, train, evaluate, info, version, help.\nRun 'java -jar nn-core.jar help' for their usage.\n");
    }

    @Test
    void helpOfHelpIsHelpsOwnUsage() {
        assertThat(run("help", "--help")).isZero();
        assertThat(stdout()).startsWith("Usage: java -jar nn-core.jar help [COMMAND]");
        assertThat(run("help", "-h")).isZero();
        assertThat(stdout()).startsWith("Usage: java -jar nn-core.jar help [COMMAND]");
    }

    @Test
    void noArgumentsPrintsTheCommandsOneLineEachAndRunsNothing() throws Exception {
        String before = String.join(",", listFolder(Path.of(".")));
        assertThat(run()).isZero();
        String text = stdout();
        assertThat(stderr()).isEmpty();
        assertThat(text).startsWith("Usage: java -jar nn-core.jar <command> [arguments] [--verbose]\n\nCommands:\n")
                .doesNotContain("nn-core: a neural network is no magic");
        List<String> commandLines = text.lines().skip(3).toList();
        // one line per command, each starting with the command's name, demo first and named as the place to start
        assertThat(commandLines).extracting(line -> line.strip().split(" ")[0]).containsExactly("demo", "summary",
                "weights", "predict", "explain", "diagram", "train", "evaluate", "info", "version", "help");
        assertThat(commandLines.get(0)).contains("start here");
        assertThat(String.join(",", listFolder(Path.of(".")))).as("no xor.svg written").isEqualTo(before);
        assertThat(run("--verbose")).isZero();
        assertThat(stdout()).isEqualTo(text);
    }

    private static List<String> listFolder(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(Path::toString).sorted().toList();
        }
    }

    @Test
    void versionAndDashDashVersionPrintTheVersion() {
        assertThat(run("version")).isZero();
        assertThat(stdout()).isEqualTo("nn-core " + Main.version() + "\n");
        assertThat(stderr()).isEmpty();
        assertThat(run("--version")).isZero();
        assertThat(stdout()).isEqualTo("nn-core " + Main.version() + "\n");
        assertThat(run("version", "extra")).isEqualTo(64);
        assertThat(stderr().lines().count()).isEqualTo(2);
    }

    @Test
    void unknownCommandIsAOneLineUsageErrorWithAHint() {
        assertThat(run("train-my-model")).isEqualTo(64);
        assertThat(stderr()).isEqualTo("nn-core: unknown command 'train-my-model'; the commands are demo, summary, weights,"
                + " predict, explain, diagram, train, evaluate, info, version, help.\n"
                + "Run 'java -jar nn-core.jar help' for their usage.\n");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void outputsAreCheckedBeforeAnyWorkStarts() throws Exception {
        String missing = temp.resolve("missing").resolve("x").toString();
        assertThat(run("demo", "-o", missing)).isEqualTo(1);
        assertThat(stdout()).as("the story does not start").isEmpty();
        assertThat(stderr()).isEqualTo("nn-core demo: cannot write " + Path.of(missing).resolve("xor.svg")
                + ": no such directory\n");

        String model = fixture(TFJS_XOR);
        assertThat(run("diagram", model, "-o", temp.resolve("missing").resolve("net.svg").toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core diagram: cannot write " + temp.resolve("missing").resolve("net.svg")
                + ": no such directory\n");
        assertThat(run("diagram", model, "-o", temp.toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core diagram: cannot write " + temp + ": " + temp + ": is a directory, not a file\n");

        // train refuses the output before it reads the data: the CSV named here does not exist
        assertThat(run("train", temp.resolve("no.csv").toString(), "--label", "y", "-o",
                temp.resolve("missing").resolve("m.keras").toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core train: cannot write " + temp.resolve("missing").resolve("m.keras")
                + ": no such directory\n");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void infoNamesTheKernel() {
        assertThat(run("info")).isZero();
        assertThat(stdout()).contains("matrix kernel: ");
    }

    @Test
    void predictRefusesCsvInputThatIsNotARegularFileOrOverTheLimit() throws IOException {
        assertThat(run("predict", fixture(TFJS_XOR), "--csv", "/dev/zero")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core predict: cannot read CSV file /dev/zero: is not a regular file (a device,"
                + " FIFO or socket)\n");
        assertThat(run("predict", fixture(TFJS_XOR), "--csv", temp.toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core predict: cannot read CSV file " + temp + ": is a directory, not a file\n");
        Path big = temp.resolve("big.csv");
        try (var channel = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}), (16L << 20)); // sparse: 16 MiB + 1 byte
        }
        assertThat(run("predict", fixture(TFJS_XOR), "--csv", big.toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core predict: cannot read CSV file " + big + ": 16777217 bytes, over the limit"
                + " of 16777216 (raise it with -Dnncore.maxCsvBytes)\n");
        assertThat(run("predict", fixture(TFJS_XOR), "--csv", "/")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core predict: cannot read CSV file /: is a directory, not a file\n");
    }

    @Test
    void modelPathsThatAreNotFilesEndInAMessageNotAnInternalError() {
        assertThat(run("summary", "/")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core summary: cannot read model /: /: is a directory, not a file\n");
        assertThat(run("summary", "/dev/zero")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core summary: cannot read model /dev/zero: zero: is not a regular file (a device,"
                + " FIFO or socket)\n");
        assertThat(run("diagram", fixture(TFJS_XOR), "--output", "/")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core diagram: cannot write /: /: is the root directory, not a file\n");
        assertThat(run("diagram", fixture(TFJS_XOR), "--output", temp.toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core diagram: cannot write " + temp + ": " + temp + ": is a directory, not a file\n");
    }
}
