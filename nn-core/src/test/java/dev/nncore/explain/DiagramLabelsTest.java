package dev.nncore.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.History;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Where the text of a diagram and a plot goes, measured on the SVG itself: no two weight labels overlap, none covers a
 * neuron, each sits on its own edge, and a plot's legend is outside the curves. Boxes are the SVG's own rectangles
 * (labels and legend are drawn on white boxes), so the test needs no renderer; if Debian's {@code rsvg-convert}
 * (librsvg2-bin) is installed, the SVGs are also rendered to PNG headless, to show that a renderer accepts them.
 */
class DiagramLabelsTest {

    @TempDir
    Path folder;

    static Network video() {
        return ExplanationTest.video();
    }

    static Network network(int... units) {
        Network.Builder builder = Network.builder(units[0]);
        for (int i = 1; i < units.length - 1; i++) {
            builder.dense(units[i], Activation.RELU);
        }
        return builder.dense(units[units.length - 1], units[units.length - 1] == 1 ? Activation.SIGMOID : Activation.SOFTMAX)
                .seed(units.length * 100 + units[1]).build();
    }

    @Test
    void labelsOfSmallNetworksAreOnTheirOwnEdgesAndApart() throws Exception {
        for (Network network : List.of(video(), network(2, 8, 1), network(3, 4, 2), network(4, 16, 3), network(784, 128, 10))) {
            NetworkDiagram diagram = NetworkDiagram.of(network).withInput(new float[network.inputs()]);
            List<NetworkDiagram.WeightLabel> labels = diagram.weightLabels();
            for (int i = 0; i < labels.size(); i++) {
                for (int j = i + 1; j < labels.size(); j++) {
                    assertThat(labels.get(i).overlaps(labels.get(j).box()))
                            .as("%s: labels %s and %s", network, labels.get(i).edge().name(), labels.get(j).edge().name()).isFalse();
                }
            }
            Document svg = NetworkDiagramTest.parse(diagram.toSvg());
            List<double[]> labelBoxes = rects(svg, "weights");
            assertThat(labelBoxes).as("%s: a box per label", network).hasSize(labels.size());
            for (double[] box : labelBoxes) {
                for (double[] node : nodeBoxes(svg)) {
                    assertThat(overlap(box, node)).as("%s: label box %s on a neuron", network, List.of(box[0], box[1])).isFalse();
                }
            }
            for (NetworkDiagram.WeightLabel label : labels) {
                assertThat(onItsEdge(svg, label)).as("%s: %s on its edge", network, label.edge().name()).isTrue();
            }
        }
        // what can be written, is: the small ones completely
        assertThat(NetworkDiagram.of(video()).weightLabels()).hasSize(9);
        assertThat(NetworkDiagram.of(network(2, 8, 1)).weightLabels()).hasSize(3 * 8 + 9);
        assertThat(NetworkDiagram.of(network(3, 4, 2)).weightLabels()).hasSize(4 * 4 + 5 * 2);
    }

    @Test
    void aColumnWhoseLabelsDoNotFitIsLeftToTooltipsAndSaysSo() throws Exception {
        // 4 inputs and a bias into 9 drawn neurons: 45 edges, too many to write on; the next column is written on
        // completely or not at all, never in part
        String svg = NetworkDiagram.of(network(4, 16, 3)).toSvg();

        List<Integer> columns = NetworkDiagram.of(network(4, 16, 3)).weightLabels().stream()
                .map(label -> label.edge().to().column()).toList();
        assertThat(columns).doesNotContain(1);
        assertThat(columns.size()).isIn(0, 10 * 3);
        assertThat(svg).contains("Too many edges to write on into &quot;dense&quot;", "hover over an edge (or read its SVG title) for its weight");
        assertThat(svg).contains("<title>L1N0 -&gt; L2N0 = ");
    }

    @Test
    void plotLegendIsOutsideTheCurvesAndEachAxisHasOneTickFormat() throws Exception {
        History history = fit();
        for (boolean log : new boolean[] {false, true}) {
            Document svg = NetworkDiagramTest.parse(TrainingPlot.of(history).withLogScale(log).toSvg());
            double[] plot = rects(svg, "plot-area").get(0);
            double[] legend = rects(svg, "legend").get(0);
            assertThat(overlap(plot, legend)).as("log %s: legend %s outside plot %s", log, List.of(legend[0], legend[1]),
                    List.of(plot[0], plot[1], plot[2], plot[3])).isFalse();
            List<String> yTicks = texts(svg, "y-ticks");
            assertThat(yTicks).as("log %s", log).hasSizeGreaterThan(2);
            boolean scientific = yTicks.get(0).contains("e");
            assertThat(yTicks).as("log %s: one format for %s", log, yTicks).allMatch(t -> t.contains("e") == scientific);
            assertThat(texts(svg, "x-ticks")).allMatch(t -> t.matches("\\d+"));
        }
    }

    @Test
    void rsvgConvertRendersTheDiagramsAndThePlotIfInstalled() throws Exception {
        Path rsvg = Path.of("/usr/bin/rsvg-convert");
        Assumptions.assumeTrue(Files.isExecutable(rsvg), "rsvg-convert (librsvg2-bin) is not installed");
        List<String> svgs = new ArrayList<>(List.of(NetworkDiagram.of(network(2, 8, 1)).withInput(1, 0).toSvg(),
                NetworkDiagram.of(network(4, 16, 3)).toSvg(), TrainingPlot.of(fit()).withLogScale(true).toSvg()));
        for (int i = 0; i < svgs.size(); i++) {
            Path in = Files.writeString(folder.resolve(i + ".svg"), svgs.get(i), StandardCharsets.UTF_8);
            Path out = folder.resolve(i + ".png");
            Process process = new ProcessBuilder(rsvg.toString(), "-o", out.toString(), in.toString())
                    .redirectErrorStream(true).redirectOutput(folder.resolve(i + ".log").toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(Files.readString(folder.resolve(i + ".log"))).isZero();
            byte[] png = Files.readAllBytes(out);
            assertThat(png).hasSizeGreaterThan(1000);
            assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
    }

    static History fit() {
        Matrix x = Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0.5f, 0.5f}, {0.2f, 0.8f}, {0.9f, 0.1f}, {0.3f, 0.3f}});
        Matrix y = Matrix.column(0, 1, 1, 0, 0, 1, 1, 0);
        return BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(dev.nncore.train.Optimizer.adam(0.05))
                .epochs(300).batchSize(4).validationSplit(0.25).seed(1).build()
                .fit(Network.builder(2).dense(8, Activation.TANH).dense(1, Activation.LINEAR).seed(1).build(), x, y)
                .history();
    }

    /** Whether the label's centre lies on the line the SVG draws for its edge (the one whose title names it). */
    private static boolean onItsEdge(Document svg, NetworkDiagram.WeightLabel label) {
        NodeList lines = svg.getElementsByTagName("line");
        for (int i = 0; i < lines.getLength(); i++) {
            Element line = (Element) lines.item(i);
            String title = line.getElementsByTagName("title").getLength() == 0 ? ""
                    : line.getElementsByTagName("title").item(0).getTextContent();
            if (!title.startsWith(label.edge().name() + " = ")) {
                continue;
            }
            double x1 = d(line, "x1"), y1 = d(line, "y1"), x2 = d(line, "x2"), y2 = d(line, "y2");
            double cross = (x2 - x1) * (label.y() - y1) - (y2 - y1) * (label.x() - x1);
            double distance = Math.abs(cross) / Math.hypot(x2 - x1, y2 - y1);
            return distance < 1 && label.x() > Math.min(x1, x2) && label.x() < Math.max(x1, x2);
        }
        return false;
    }

    /** The rectangles of the group with this id, as {left, top, right, bottom}. */
    static List<double[]> rects(Document svg, String groupId) {
        List<double[]> boxes = new ArrayList<>();
        Element group = group(svg, groupId);
        NodeList rects = group.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            boxes.add(new double[] {d(r, "x"), d(r, "y"), d(r, "x") + d(r, "width"), d(r, "y") + d(r, "height")});
        }
        return boxes;
    }

    static List<String> texts(Document svg, String groupId) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = group(svg, groupId).getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    private static Element group(Document svg, String id) {
        NodeList groups = svg.getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if (id.equals(g.getAttribute("id"))) {
                return g;
            }
        }
        throw new AssertionError("no <g id=\"" + id + "\">");
    }

    private static List<double[]> nodeBoxes(Document svg) {
        List<double[]> boxes = new ArrayList<>();
        NodeList circles = group(svg, "neurons").getElementsByTagName("circle");
        for (int i = 0; i < circles.getLength(); i++) {
            Element c = (Element) circles.item(i);
            double r = d(c, "r");
            boxes.add(new double[] {d(c, "cx") - r, d(c, "cy") - r, d(c, "cx") + r, d(c, "cy") + r});
        }
        return boxes;
    }

    private static boolean overlap(double[] a, double[] b) {
        return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    }

    private static double d(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }

}
