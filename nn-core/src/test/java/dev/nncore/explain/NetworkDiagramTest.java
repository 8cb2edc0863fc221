package dev.nncore.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.LayerNormalization;
import dev.nncore.Network;
import dev.nncore.PReLU;
import dev.nncore.Rescaling;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class NetworkDiagramTest {

    @Test
    void videoDiagramWritesEveryWeightOnItsEdgeAndEveryValueInItsNeuron() throws Exception {
        String svg = NetworkDiagram.of(ExplanationTest.video()).withInput(0, 1).toSvg();

        Document document = parse(svg);
        List<String> texts = texts(document, "text");
        // the weights on the edges, as the video's diagram: 1.3, 1.3, -1.3 into h1[0]; 1.2, 1.2, 0 into h1[1]; -1.6, 0.8, 0 into y[0]
        assertThat(texts).containsSubsequence("1.3", "1.3").contains("1.2", "-1.3", "-1.6", "0.8", "0");
        assertThat(texts.stream().filter(t -> t.equals("1.3")).count()).isEqualTo(2);
        assertThat(texts.stream().filter(t -> t.equals("1.2")).count()).isEqualTo(3); // two weights and h1[1]'s value
        assertThat(texts).contains("x[0]", "x[1]", "h1[0]", "h1[1]", "y[0]", "bias", "0.96");
        assertThat(texts(document, "title")).contains("L0N0 -> L1N0 = 1.3", "L0N1 -> L1N0 = 1.3", "0B -> L1N0 = -1.3",
                "L0N0 -> L1N1 = 1.2", "L0N1 -> L1N1 = 1.2", "0B -> L1N1 = 0", "L1N0 -> L2N0 = -1.6", "L1N1 -> L2N0 = 0.8",
                "1B -> L2N0 = 0", "y[0] = 0.96000004");
        assertThat(document.getElementsByTagName("line").getLength()).isEqualTo(9);
    }

    @Test
    void everyWeightOfASmallRandomNetworkIsInTheSvgAndEveryEdgeInTheDot() throws Exception {
        Network network = Network.builder(3).dense(4, Activation.TANH).dense(2, Activation.SIGMOID).seed(5).build();

        String svg = NetworkDiagram.of(network).withDigits(3).toSvg();
        String dot = NetworkDiagram.of(network).withDigits(3).toDot();

        List<String> titles = texts(parse(svg), "title");
        List<String> labels = texts(parse(svg), "text");
        List<String> dotEdges = new ArrayList<>();
        Matcher edge = Pattern.compile("(n\\d+_\\d+|b\\d+) -> (n\\d+_\\d+) \\[label=\"([^\"]*)\"").matcher(dot);
        while (edge.find()) {
            dotEdges.add(edge.group(1) + ">" + edge.group(2) + "=" + edge.group(3));
        }
        for (int l = 0; l < network.layers().size(); l++) {
            Dense layer = (Dense) network.layers().get(l);
            for (int j = 0; j < layer.units(); j++) {
                String bias = Numbers.format(layer.bias().get(0, j), 3);
                assertThat(titles).contains(l + "B -> L" + (l + 1) + "N" + j + " = " + Numbers.format(layer.bias().get(0, j), Numbers.EXACT));
                assertThat(dotEdges).contains("b" + l + ">n" + (l + 1) + "_" + j + "=" + bias);
                for (int k = 0; k < layer.inputs(); k++) {
                    float w = layer.kernel().get(k, j);
                    assertThat(labels).contains(Numbers.format(w, 3));
                    assertThat(titles).contains("L" + l + "N" + k + " -> L" + (l + 1) + "N" + j + " = " + Numbers.format(w, Numbers.EXACT));
                    assertThat(dotEdges).contains("n" + l + "_" + k + ">n" + (l + 1) + "_" + j + "=" + Numbers.format(w, 3));
                }
            }
        }
        assertThat(dotEdges).hasSize(network.parameterCount());
        assertThat(dot).startsWith("digraph network {").endsWith("}\n");
    }

    @Test
    void largeNetworksAreSummarisedAndStaySmall() throws Exception {
        Network mnist = Network.builder(784).dense(128, Activation.RELU).dense(10, Activation.SOFTMAX).seed(1).build();
        float[] input = new float[784];
        new SplittableRandom(2).doubles(784, 0, 1).forEach(new java.util.function.DoubleConsumer() {
            int i;
            @Override
            public void accept(double v) {
                input[i++] = (float) v;
            }
        });

        String svg = NetworkDiagram.of(mnist).withInput(input).toSvg();
        String dot = NetworkDiagram.of(mnist).toDot();

        assertThat(svg.length()).isLessThan(100_000);
        assertThat(dot.length()).isLessThan(60_000);
        Document document = parse(svg);
        assertThat(document.getElementsByTagName("line").getLength()).isLessThanOrEqualTo(200);
        assertThat(texts(document, "text")).contains("775 more", "119 more", "x[783]", "h1[127]", "y[9]")
                .anyMatch(t -> t.startsWith("Layers of more than 10 neurons show their first 6 and last 3 neurons"))
                .anyMatch(t -> t.equals("190 of the network's 101770 weights are drawn."));
        String budget = NetworkDiagram.of(mnist).withMaxEdges(50).toSvg();
        assertThat(parse(budget).getElementsByTagName("line").getLength()).isEqualTo(50);
        assertThat(budget).contains("Only the 50 largest of the 190 weights between drawn neurons are drawn; 140 omitted.");
    }

    @Test
    void everyLayerOfDenseBatchNormDropoutSoftmaxIsDrawn() throws Exception {
        Network network = ExplanationTest.denseBatchNormDropoutSoftmax();

        String svg = NetworkDiagram.of(network).withInput(1, 0.75f).toSvg();

        Document document = parse(svg);
        List<String> texts = texts(document, "text");
        List<String> titles = texts(document, "title");
        assertThat(texts).containsSubsequence("input", "dense", "batch_normalization", "dense_1", "activation")
                .contains("2 values", "relu, 3 neurons", "BatchNormalization, 3 neurons", "linear, 2 neurons",
                        "Activation(softmax), 2 neurons", "\"dropout\": Dropout(rate=0.2)", "identity at inference: h3 = h2")
                .contains("x[1]", "h1[0]", "h2[0]", "h4[1]", "y[0]", "y[1]", "0.6", "-2.2", "0.45", "0.55");
        assertThat(texts).doesNotContain("h3[0]"); // the dropout has no column: its values are h2's
        // the Dense layer after the dropout reads layer 3 (= layer 2's values), as the weights dump names it
        assertThat(titles).contains("L0N1 -> L1N0 = 2", "0B -> L1N2 = 0.1", "L3N0 -> L4N0 = 1", "L3N2 -> L4N1 = 2",
                "3B -> L4N1 = 0.1", "bias node feeding layer 4 \"dense_1\": always 1",
                "h2[0] = (3 - 1) / sqrt(4 + 0.001) x 0.5 + 0.1 = 3 x 0.24996875 + (-0.14996876) = 0.5999375",
                "y[0] = e^(-0.74794364 - (-0.54919034)) / 1.8197521 = 0.4504746",
                "layer 3: \"dropout\": Dropout(rate=0.2), identity at inference: h3 = h2");
        // 9 weights into layer 1, 3 grey links through the BatchNormalization, 8 weights into layer 4, 2 links to y
        assertThat(document.getElementsByTagName("line").getLength()).isEqualTo(9 + 3 + 8 + 2 + 1); // + the dashed marker
        assertThat(texts).contains("Grey edges carry each value one to one through \"batch_normalization\", \"activation\";"
                + " hover over one for its arithmetic.", "The 12 parameters of \"batch_normalization\" are in the tooltips"
                + " of the grey edges.");

        String dot = NetworkDiagram.of(network).toDot();
        assertThat(dot).contains("label=\"batch_normalization\\nBatchNormalization, 3 neurons\"",
                "n1_0 -> n2_0 [color=\"#9a9a9a\", tooltip=\"h1[0] -> h2[0]: gamma[0] = 0.5, beta[0] = 0.1, moving_mean[0] = 1,"
                        + " moving_variance[0] = 4\"]",
                "m3 [shape=note", "label=\"\\\"dropout\\\": Dropout(rate=0.2)\\nidentity at inference: h3 = h2\"",
                "n2_0 -> m3 [style=invis]", "m3 -> n4_0 [style=invis]", "n2_0 -> n4_0 [label=\"1\"", "b2 -> n4_1 [label=\"0.1\"",
                "n4_1 -> n5_1 [color=\"#9a9a9a\", tooltip=\"h4[1] -> y[1]: Activation(softmax)\"]");
    }

    @Test
    void everyLayerKindIsDrawnAndLargeOnesStaySmall() throws Exception {
        Network mnist = Network.builder(28, 28).flatten().add(Rescaling.of(784, 1 / 255.0, 0)).dense(128, Activation.RELU)
                .batchNormalization().dropout(0.2).add(PReLU.of(128)).add(LayerNormalization.of(128))
                .dense(10, Activation.LINEAR).activation(Activation.SOFTMAX).seed(3).build();
        float[] input = new float[784];
        for (int i = 0; i < input.length; i++) {
            input[i] = i * 37 % 256;
        }

        String svg = NetworkDiagram.of(mnist).withInput(input).toSvg();
        String dot = NetworkDiagram.of(mnist).toDot();

        assertThat(svg.length()).isLessThan(100_000);
        assertThat(dot.length()).isLessThan(60_000);
        Document document = parse(svg);
        assertThat(texts(document, "text")).contains("rescaling", "dense", "batch_normalization", "p_re_lu",
                        "layer_normalization", "dense_1", "activation", "\"flatten\": Flatten (28, 28) -> (784,)",
                        "same values: h1 = x", "\"dropout\": Dropout(rate=0.2)", "identity at inference: h5 = h4",
                        // long subtitles take two lines
                        "Rescaling(scale=0.003921569, offset=0)", "784 neurons (9 drawn)", "BatchNormalization",
                        "128 neurons (9 drawn)", "relu, 128 neurons (9 drawn)", "775 more", "119 more", "h2[783]", "y[9]")
                .anyMatch(t -> t.equals("190 of the network's 101770 Dense weights are drawn; the 896 parameters of"
                        + " \"batch_normalization\", \"p_re_lu\", \"layer_normalization\" are in the tooltips of the grey edges."));
        // 896 = 4 x 128 (BatchNormalization) + 128 (PReLU) + 2 x 128 (LayerNormalization)
        // 190 weights, grey links: 9 into the Rescaling, 9 each through the BatchNormalization, PReLU and
        // LayerNormalization, 10 into the softmax; one dashed line per gap with markers
        assertThat(document.getElementsByTagName("line").getLength()).isEqualTo(190 + 9 + 27 + 10 + 2);
    }

    @Test
    void budgetKeepsTheLargestWeights() {
        Network network = Network.of(Dense.of(new float[][] {{0.1f, -5f, 0.2f}}, new float[] {3f, 0f, -0.3f}, Activation.LINEAR));

        String dot = NetworkDiagram.of(network).withMaxEdges(2).toDot();

        assertThat(dot).contains("n0_0 -> n1_1 [label=\"-5\"", "b0 -> n1_0 [label=\"3\"").doesNotContain("label=\"0.1\"");
    }

    @Test
    void namesFromFilesAreEscaped() throws Exception {
        Network network = Network.of(Dense.of(new float[][] {{1}}, new float[] {0}, Activation.RELU).named("a<b & \"c\"\u0001"));

        String svg = NetworkDiagram.of(network).toSvg();
        String dot = NetworkDiagram.of(network).toDot();

        assertThat(texts(parse(svg), "text")).contains("a<b & \"c\"?");
        assertThat(dot).contains("label=\"a<b & \\\"c\\\"?\\nrelu, 1 neuron\"");
    }

    @Test
    void badOptionsAreNamed() {
        NetworkDiagram diagram = NetworkDiagram.of(ExplanationTest.video());
        assertThatThrownBy(() -> diagram.withInput(1)).hasMessage("the network has 2 inputs, got 1 values");
        assertThatThrownBy(() -> diagram.withDigits(-1)).hasMessageContaining("digits must be between 0 and 9");
        assertThatThrownBy(() -> diagram.withMaxEdges(0)).hasMessage("maxEdges must be at least 1, got 0");
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> texts(Document document, String tag) {
        NodeList nodes = document.getElementsByTagNameNS("*", tag);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }
}
