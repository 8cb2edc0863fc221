package dev.nncore.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Network;
import dev.nncore.Node;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class NetworkDiagramGraphTest {

    /** Wide & deep with a 12-unit hidden layer (summarised), a Concatenate, an Add and two outputs. */
    static Network wideAndDeep() {
        Node wide = Node.input("wide", 3);
        Node deep = Node.input("deep", 4);
        Node hidden1 = deep.dense(12, Activation.RELU);
        Node hidden2 = hidden1.dense(3, Activation.RELU);
        Node main = Node.concatenate(wide, hidden2).dense(1, Activation.LINEAR, "main_output");
        Node aux = Node.add(hidden2, wide).dense(2, Activation.SOFTMAX, "aux_output");
        return Network.functional(List.of(wide, deep), List.of(main, aux), 42);
    }

    /** The withInputs example, verbatim. */
    @Test
    void javadocExample() {
        Node wide = Node.input("wide", 2);
        Node deep = Node.input("deep", 3);
        Node hidden = deep.dense(4, Activation.RELU);
        Network graph = Network.functional(List.of(wide, deep),
                List.of(Node.concatenate(wide, hidden).dense(1, Activation.LINEAR, "main"), hidden.dense(1, Activation.SIGMOID, "aux")), 7);
        String svg = NetworkDiagram.of(graph).withInputs(List.of(new float[] {1, 2}, new float[] {0.5f, -1, 3})).toSvg();

        assertThat(svg).startsWith("<?xml").contains("main (output)", "aux (output)", "wide = (1, 2)");
        noTextOverlaps(parse(svg));
    }

    @Test
    void everyNodeNeuronAndEdgeIsDrawn() {
        Network network = wideAndDeep();
        float[] input = {1, 2, 3, 0.5f, -1, 2, 0.25f};
        GraphDiagram layout = new GraphDiagram(network, Explanation.of(network, input).inputs(), 2, 200);
        String svg = NetworkDiagram.of(network).withInput(input).toSvg();
        Document document = parse(svg);
        List<String> texts = texts(document);
        // a block per node, titled with its name; outputs marked
        for (String title : List.of("wide", "deep", "dense", "dense_1", "concatenate", "main_output (output)", "add",
                "aux_output (output)")) {
            assertThat(texts).contains(title);
        }
        // every drawn neuron: 3 + 4 inputs, 12 summarised to 9 and an ellipsis, 3, 6, 1, 3, 2
        List<String> neuronTitles = groupTitles(document).stream().filter(t -> t.contains("[") && t.contains(" = ")).toList();
        assertThat(neuronTitles).hasSize(3 + 4 + 9 + 3 + 6 + 1 + 3 + 2);
        assertThat(neuronTitles).contains("add[0] = " + Numbers.format(
                Explanation.of(network, input).layers().get(4).outputs()[0], Numbers.EXACT));
        assertThat(texts).contains("3 more");
        // weighted edges: 4 x 9 + 9 (bias) into dense; 9 x 3 + 3 into dense_1; 6 + 1 into main_output; 3 x 2 + 2 into aux
        assertThat(layout.edges).hasSize(45 + 30 + 7 + 8);
        // grey edges: 6 into concatenate (each part to its place), 2 x 3 into add
        assertThat(layout.links).hasSize(12);
        NodeList lines = document.getElementsByTagName("line");
        assertThat(lines.getLength()).isEqualTo(layout.edges.size() + layout.links.size());
        // the concatenate's parts go to their places: wide[2] -> concatenate[2], dense_1[0] -> concatenate[3]
        assertThat(layout.links).anySatisfy(link -> {
            assertThat(link.from().name()).isEqualTo("dense_1[0]");
            assertThat(link.to().name()).isEqualTo("concatenate[3]");
        });
        // an Add's grey edge carries its line of the explanation
        assertThat(svg).contains("<title>add[0] = dense_1[0] + wide[0] = ");
        // the DOT has every dot and edge too
        String dot = NetworkDiagram.of(network).withInput(input).toDot();
        for (GraphDiagram.Edge edge : layout.edges) {
            assertThat(dot).contains(edge.from().id() + " -> " + edge.to().id());
        }
        assertThat(dot).contains("e2 [shape=plaintext");
        noTextOverlaps(document);
    }

    /** Worked by hand: the weights of a tiny residual graph are written on their edges, values in their neurons. */
    @Test
    void smallGraphShowsWeightsAndValues() {
        Network network = ExplanationGraphTest.residual();
        String svg = NetworkDiagram.of(network).withInputs(List.of(new float[] {1, 2}, new float[] {0.25f, -1})).toSvg();
        Document document = parse(svg);
        List<String> texts = texts(document);
        // dense = relu(1.5, 4); add = (1.75, 3); kernel 1, 0, 0, 2 and bias 0.5, 0 written on the edges
        assertThat(texts).contains("1.5", "4", "1.75", "3", "0.5", "2", "bias");
        assertThat(svg).contains("<title>a[0] -&gt; dense[0] = 1</title>", "<title>bias -&gt; dense[0] = 0.5</title>");
        assertThat(svg).doesNotContain("not written on their edges");
        noTextOverlaps(document);
    }

    @Test
    void sharedLayerIsDrawnPerCallAndBudgetHolds() {
        Node left = Node.input("left", 30);
        Node right = Node.input("right", 30);
        Dense shared = Dense.of(new float[30][20], new float[20], Activation.RELU).named("shared");
        Node merged = Node.maximum(left.apply(shared), right.apply(shared));
        Network network = Network.functional(List.of(left, right), List.of(merged.dense(16, Activation.SIGMOID, "out"),
                Node.dot(left, right, true)));
        String svg = NetworkDiagram.of(network).withMaxEdges(50).toSvg();
        Document document = parse(svg);
        assertThat(texts(document)).contains("shared@0", "shared@1", "out (output)", "dot (output)");
        assertThat(svg).contains("Only the 50 largest of the ");
        noTextOverlaps(document);
    }

    /** Random graphs of every merge: every SVG parses, every block is drawn and no two texts overlap. */
    @Test
    void randomGraphsHaveNoOverlappingText() {
        for (long seed = 0; seed < 15; seed++) {
            Network network = ExplanationGraphTest.randomGraph(new SplittableRandom(seed));
            float[] input = new float[network.inputs()];
            SplittableRandom random = new SplittableRandom(seed + 100);
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) random.nextDouble(-1, 1);
            }
            Document document = parse(NetworkDiagram.of(network).withInput(input).toSvg());
            List<String> texts = texts(document);
            for (String name : network.inputNames()) {
                assertThat(texts).as("seed %d", seed).contains(name);
            }
            noTextOverlaps(document);
        }
    }

    /** 3,000 layers, each block's position found without recursion and each label checked against its neighbours only. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void deepResidualGraphIsExplainedAndDrawn() {
        Node x = Node.input("x", 2);
        Node node = x;
        for (int i = 0; i < 1_500; i++) {
            node = Node.add(node, node.dense(2, Activation.LINEAR));
        }
        Network network = Network.functional(List.of(x), List.of(node.dense(1, Activation.SIGMOID, "out")), 1);
        Explanation explanation = Explanation.of(network, List.of(new float[] {0.001f, -0.002f}));
        assertThat(explanation.layers()).hasSize(3_001);
        assertThat(explanation.outputs().get(0)).containsExactly(
                network.forwardAll(List.of(dev.nncore.math.Matrix.row(0.001f, -0.002f))).get(0).getRow(0));
        String svg = NetworkDiagram.of(network).withInput(0.001f, -0.002f).toSvg();
        assertThat(svg).contains("out (output)", "Only the 200 largest of the ");
    }

    @Test
    void wrongInputsAreNamed() {
        Network network = ExplanationGraphTest.residual();
        assertThatThrownBy(() -> NetworkDiagram.of(network).withInputs(List.of(new float[] {1, 2}, new float[] {1})))
                .hasMessage("input 1 (\"b\") expects 2 values, got 1");
    }

    // --- SVG reading ---

    static Document parse(String svg) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed SVG: " + e.getMessage(), e);
        }
    }

    private static List<String> texts(Document document) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = document.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    private static List<String> groupTitles(Document document) {
        List<String> titles = new ArrayList<>();
        NodeList nodes = document.getElementsByTagName("title");
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getParentNode().getNodeName().equals("g")) {
                titles.add(nodes.item(i).getTextContent());
            }
        }
        return titles;
    }

    /**
     * No two text elements overlap, each measured as DejaVu Sans sets it: 0.6 of the font size per character (0.68
     * bold), from 0.8 of the size above the baseline to 0.2 below, centred where the text anchor (of the element or a
     * group around it) is middle.
     */
    static void noTextOverlaps(Document document) {
        NodeList nodes = document.getElementsByTagName("text");
        List<double[]> boxes = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element text = (Element) nodes.item(i);
            double size = Double.parseDouble(text.getAttribute("font-size").isEmpty()
                    ? inherited(text, "font-size") : text.getAttribute("font-size"));
            boolean bold = text.getAttribute("font-weight").equals("bold");
            String content = text.getTextContent();
            double width = (bold ? 0.68 : 0.6) * size * content.length();
            double x = Double.parseDouble(text.getAttribute("x"));
            double y = Double.parseDouble(text.getAttribute("y"));
            boolean middle = "middle".equals(inherited(text, "text-anchor"));
            boxes.add(new double[] {middle ? x - width / 2 : x, y - 0.8 * size, width, size});
            labels.add(content + " at (" + x + ", " + y + ")");
        }
        Set<String> overlaps = new HashSet<>();
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                if (GraphDiagram.overlap(boxes.get(i), boxes.get(j))) {
                    overlaps.add(labels.get(i) + " / " + labels.get(j));
                }
            }
        }
        assertThat(overlaps).isEmpty();
    }

    private static String inherited(Element element, String attribute) {
        org.w3c.dom.Node node = element;
        while (node instanceof Element e) {
            if (!e.getAttribute(attribute).isEmpty()) {
                return e.getAttribute(attribute);
            }
            node = node.getParentNode();
        }
        return "";
    }
}
