package dev.nncore.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Network;
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
