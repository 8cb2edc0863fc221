package dev.nncore.explain;

import dev.nncore.Network;
import dev.nncore.explain.DiagramLayout.Edge;
import dev.nncore.explain.DiagramLayout.Kind;
import dev.nncore.explain.DiagramLayout.Link;
import dev.nncore.explain.DiagramLayout.Marker;
import dev.nncore.explain.DiagramLayout.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A picture of a network as the "no magic" video draws it: neurons in columns (input, hidden layers, output), a
 * bias node under each column that feeds a Dense layer, and each weight written on its edge; given an input, each
 * neuron shows its value. SVG for a browser or a README, Graphviz DOT for {@code dot -Tpng}.
 *
 * <pre>{@code
 * // given: video, network
 * String svg = NetworkDiagram.of(video).withInput(0, 1).toSvg();   // h1[1] shows 1.2, y[0] shows 0.96
 * String dot = NetworkDiagram.of(video).withDigits(1).toDot();     // dot -Tsvg net.dot > net.svg
 * String bn = NetworkDiagram.of(network).withInput(1, 0.75f).toSvg(); // Explanation's second example: h2[0] shows 0.6
 * }</pre>
 *
 * <p>Every layer kind has its place:
 * <ul>
 *   <li>a Dense layer is a column of blue neurons with a weighted edge from each neuron (and the bias node) of the
 *       column before; its subtitle is its activation ({@code relu, 128 neurons});
 *   <li>a layer without a kernel (BatchNormalization, LayerNormalization, Normalization, Rescaling, PReLU and the
 *       activation layers) is a column of green neurons whose subtitle names its kind
 *       ({@code BatchNormalization, 40 neurons}, {@code Activation(softmax), 10 neurons}); grey one-to-one edges
 *       carry each value in, and each edge's tooltip is that neuron's arithmetic (with an input, its line of
 *       {@link Explanation}) or its parameters ({@code gamma[0] = 0.5, beta[0] = 0.1, ...});
 *   <li>a layer that passes values on unchanged at inference (Dropout, the noise layers, Flatten, Reshape) has no
 *       column: a dashed line between the columns around it carries its label,
 *       {@code "dropout": Dropout(rate=0.2)} and {@code identity at inference: h3 = h2} (in DOT, a note ranked between
 *       them).
 * </ul>
 * Neurons are named and layers numbered as in {@link Explanation} ({@code h2[0]}, layer numbers counting every layer),
 * and edges as in the video's weight dump: {@code L3N0 -> L4N0} is the weight from neuron 0 of layer 3 (a Dropout,
 * whose values are those of layer 2) into neuron 0 of layer 4.
 *
 * <p>Large networks are summarised rather than drawn edge by edge:
 * <ul>
 *   <li>a layer (or input) of more than 10 neurons is drawn as its first 6 neurons, an ellipsis node saying how
 *       many are not drawn, and its last 3 neurons; edges connect drawn neurons (and bias nodes) only;
 *   <li>if more edges than {@link #withMaxEdges(int) the edge budget} (200 by default) remain, only the
 *       largest-magnitude weights are drawn;
 *   <li>each weight is written on its own edge, at the point along it (the middle first, then further out) where its
 *       label meets no other label, neuron or name and lies over the fewest other edges (at most 3); a column into
 *       which more than 40 edges run, or one of whose labels fits nowhere, has its weights in the tooltips only, so
 *       no two labels ever overlap; every drawn edge also carries its name and weight in a tooltip (an SVG {@code <title>}, e.g.
 *       {@code L0N1 -> L1N0 = 1.3}, the video's naming), and the notes under the picture say how many weights
 *       were drawn, omitted or summarised.
 * </ul>
 * So a 784-128-10 network gives an SVG of about 40 KB with 190 edges, not 101,770 (56 KB with a Flatten, a
 * BatchNormalization, a Dropout and a softmax layer added).
 *
 * <p>Numbers are rounded to {@link #withDigits(int) 2 digits} after the point by default. Text is escaped, so layer
 * names from any file give well-formed XML and DOT. The SVG is self-contained (no scripts, no external fonts).
 *
 * <p>A graph (a Functional network, {@link dev.nncore.Node}) is drawn node by node: each input and each layer call is
 * a block of neurons titled with its name as {@link Explanation} names it ({@code dense_1}, {@code shared@1}, an
 * output marked {@code (output)}), placed in columns by depth (an input next to the first layer that reads it),
 * blocks of a column stacked in node order. Dense blocks take weighted edges from the block they read and from a bias
 * node under it; a merge's block takes grey edges that show where each value goes (position to position for Add,
 * Subtract, Multiply, Average, Maximum and Minimum, each part to its place for Concatenate, every value into a Dot),
 * each with its line of the explanation as tooltip given an input. Large layers are summarised as above, and weights
 * are written on a block's edges only where every label keeps clear of the other labels; {@link #withInputs(List)}
 * gives one sample per input.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return new diagrams.
 *
 * @since 0.1.0
 */
public final class NetworkDiagram {

    private static final int DEFAULT_DIGITS = 2;
    private static final int DEFAULT_MAX_EDGES = 200;
    private static final int MAX_LABELLED_EDGES_PER_COLUMN = 40;
    /** The most other edges a weight's label may sit on; more, and the column's weights go to tooltips. */
    private static final int MAX_EDGES_UNDER_LABEL = 3;

    private static final int COLUMN_SPACING = 240;
    private static final int ROW_SPACING = 78;
    private static final int RADIUS = 24;
    private static final int LEFT = 80;
    private static final int TOP = 124;
    private static final String POSITIVE = "#1f5fa8";
    private static final String NEGATIVE = "#c0392b";
    private static final String LINK = "#9a9a9a";
    private static final int MARKER_ROW = 34;
    private static final int SUBTITLE_LINE = 14;
    /** Characters of an 11-point subtitle that fit between two columns' centres. */
    private static final int MAX_SUBTITLE_LINE = 38;

    private final Network network;
    private final float[] input;
    private final int digits;
    private final int maxEdges;

    private NetworkDiagram(Network network, float[] input, int digits, int maxEdges) {
        this.network = network;
        this.input = input;
        this.digits = digits;
        this.maxEdges = maxEdges;
    }

    /**
     * A diagram of {@code network}'s weights, without neuron values.
     *
     * @param network the network
     * @return the diagram
     * @throws IllegalArgumentException if {@code network} is null
     */
    public static NetworkDiagram of(Network network) {
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
        return new NetworkDiagram(network, null, DEFAULT_DIGITS, DEFAULT_MAX_EDGES);
    }

    /**
     * This diagram with each neuron showing its value for {@code input}, computed by {@link Network#explain}.
     *
     * @param values {@link Network#inputs()} values; not modified; for a graph, every input's values side by side in
     *     {@link Network#inputNames()} order
     * @return a new diagram
     * @throws IllegalArgumentException if the number of values is not the network's input count
     */
    public NetworkDiagram withInput(float... values) {
        if (values == null || values.length != network.inputs()) {
            throw new IllegalArgumentException("the network has " + network.inputs() + " inputs, got "
                    + (values == null ? "null" : values.length + " values"));
        }
        return new NetworkDiagram(network, values.clone(), digits, maxEdges);
    }

    /**
     * @param places digits after the decimal point for weights and values, 0 to 9 (default 2)
     * @return a new diagram
     * @throws IllegalArgumentException if {@code places} is outside 0 to 9
     */
    public NetworkDiagram withDigits(int places) {
        if (places < 0 || places > 9) {
            throw new IllegalArgumentException("digits must be between 0 and 9 (places after the decimal point), got " + places);
        }
        return new NetworkDiagram(network, input, places, maxEdges);
    }

    /**
     * @param count the most edges drawn (default 200); above it only the largest-magnitude weights are drawn
     * @return a new diagram
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public NetworkDiagram withMaxEdges(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("maxEdges must be at least 1, got " + count);
        }
        return new NetworkDiagram(network, input, digits, count);
    }

    /**
     * This diagram with each neuron showing its value for one sample of every input of a graph, computed as
     * {@link Explanation#of(Network, List)} computes it.
     *
     * <pre>{@code
     * Node wide = Node.input("wide", 2);
     * Node deep = Node.input("deep", 3);
     * Node hidden = deep.dense(4, Activation.RELU);
     * Network graph = Network.functional(List.of(wide, deep),
     *         List.of(Node.concatenate(wide, hidden).dense(1, Activation.LINEAR, "main"), hidden.dense(1, Activation.SIGMOID, "aux")), 7);
     * String svg = NetworkDiagram.of(graph).withInputs(List.of(new float[] {1, 2}, new float[] {0.5f, -1, 3})).toSvg();
     * }</pre>
     *
     * @param values one sample per input, in {@link Network#inputNames()} order; not modified
     * @return a new diagram
     * @throws IllegalArgumentException if the count or a length is wrong, naming the input
     */
    public NetworkDiagram withInputs(List<float[]> values) {
        float[] all = Explanation.of(network, values).input(); // checks every input, naming it
        return new NetworkDiagram(network, all, digits, maxEdges);
    }

    /** The graph's picture, for a network that is not Sequential. */
    private GraphDiagram graphDiagram() {
        List<float[]> inputs = null;
        if (input != null) {
            inputs = Explanation.of(network, input).inputs();
        }
        return new GraphDiagram(network, inputs, digits, maxEdges);
    }

    /** @return the diagram as a standalone SVG document (UTF-8 text) */
    public String toSvg() {
        if (!network.isSequential()) {
            return graphDiagram().toSvg();
        }
        DiagramLayout layout = new DiagramLayout(network, input, maxEdges);
        int tallest = layout.columns.stream().mapToInt(List::size).max().orElse(1);
        int columnsHeight = (tallest - 1) * ROW_SPACING;
        boolean twoLineSubtitles = layout.columnSubtitles.stream().anyMatch(t -> subtitleLines(t).size() > 1);
        int top = top(layout);
        Map<String, double[]> centres = centres(layout, top, columnsHeight);
        Map<Integer, List<WeightLabel>> labels = placeLabels(layout, centres);
        List<String> unlabelled = new java.util.ArrayList<>();
        for (int c = 1; c < layout.columns.size(); c++) {
            if (layout.isDense(c) && !labels.containsKey(c)) {
                unlabelled.add("\"" + layout.columnTitles.get(c) + "\"");
            }
        }
        List<String> notes = layout.notes(digits, unlabelled);
        boolean markerAfterLast = layout.markers.stream().anyMatch(m -> m.afterColumn() == layout.columns.size() - 1);
        int width = LEFT * 2 + (layout.columns.size() - 1) * COLUMN_SPACING + (markerAfterLast ? COLUMN_SPACING / 2 : 0);
        width = Math.max(width, 40 + 9 * title().length());
        for (String note : notes) {
            width = Math.max(width, 40 + 6 * note.length());
        }
        int height = top + columnsHeight + RADIUS + 40 + 18 * notes.size();

        StringBuilder svg = new StringBuilder(8192);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">%n", width, height, width, height));
        svg.append("<title>").append(Xml.escape(title())).append("</title>\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
        svg.append("<text x=\"16\" y=\"24\" font-size=\"15\" font-weight=\"bold\" fill=\"#222\">")
                .append(Xml.escape(title())).append("</text>\n");
        for (int c = 0; c < layout.columns.size(); c++) {
            int x = LEFT + c * COLUMN_SPACING;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"54\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\""
                    + " fill=\"#333\">%s</text>%n", x, Xml.escape(layout.columnTitles.get(c))));
            List<String> subtitle = subtitleLines(layout.columnSubtitles.get(c));
            for (int line = 0; line < subtitle.size(); line++) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\""
                        + " fill=\"#666\">%s</text>%n", x, 71 + SUBTITLE_LINE * line, Xml.escape(subtitle.get(line))));
            }
        }
        appendMarkers(svg, layout, twoLineSubtitles ? SUBTITLE_LINE : 0, top + columnsHeight + RADIUS);

        svg.append("<g id=\"edges\" fill=\"none\" stroke-linecap=\"round\">\n");
        for (Link link : layout.links) {
            double[] a = towards(centres.get(link.from().id()), centres.get(link.to().id()), RADIUS);
            double[] b = towards(centres.get(link.to().id()), centres.get(link.from().id()), RADIUS);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                    + " stroke-width=\"1.6\"><title>%s</title></line>%n", a[0], a[1], b[0], b[1], LINK, Xml.escape(link.title())));
        }
        for (int c = 1; c < layout.columns.size(); c++) {
            float largest = layout.largestWeightInto(c);
            for (Edge edge : layout.edgesInto(c)) {
                double[] from = centres.get(edge.from().id());
                double[] to = centres.get(edge.to().id());
                double[] a = towards(from, to, edge.from().kind() == Kind.BIAS ? RADIUS - 4 : RADIUS);
                double[] b = towards(to, from, RADIUS);
                double strength = Float.isFinite(edge.weight()) ? Math.abs(edge.weight()) / largest : 1;
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                                + " stroke-width=\"%.2f\" stroke-opacity=\"%.2f\"><title>%s</title></line>%n",
                        a[0], a[1], b[0], b[1], colour(edge.weight()), 0.8 + 2.7 * strength, 0.35 + 0.55 * strength,
                        Xml.escape(edgeTitle(edge))));
            }
        }
        svg.append("</g>\n");

        svg.append("<g id=\"weights\" font-size=\"12\" text-anchor=\"middle\">\n");
        for (List<WeightLabel> column : labels.values()) {
            for (WeightLabel label : column) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" rx=\"3\""
                                + " fill=\"#ffffff\" fill-opacity=\"0.88\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>%n",
                        label.left(), label.top(), label.width(), WeightLabel.HEIGHT, label.x(), label.y() + 4.5,
                        colour(label.edge().weight()), Xml.escape(label.text())));
            }
        }
        svg.append("</g>\n");

        svg.append("<g id=\"neurons\" text-anchor=\"middle\">\n");
        for (List<Node> column : layout.columns) {
            for (Node node : column) {
                double[] c = centres.get(node.id());
                appendNode(svg, node, c[0], c[1], fill(layout, node.column()));
            }
        }
        svg.append("</g>\n");

        int y = top + columnsHeight + RADIUS + 36;
        for (String note : notes) {
            svg.append("<text x=\"16\" y=\"").append(y).append("\" font-size=\"11\" fill=\"#555\">")
                    .append(Xml.escape(note)).append("</text>\n");
            y += 18;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void appendNode(StringBuilder svg, Node node, double x, double y, String fill) {
        String value = node.value() == null ? "" : Numbers.format(node.value(), digits);
        switch (node.kind()) {
            case ELLIPSIS -> svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"22\" fill=\"#555\">&#x22EE;</text>"
                            + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#555\">%d more</text>%n",
                    x, y + 2, x, y + 20, node.index()));
            case BIAS -> svg.append(String.format(Locale.ROOT,
                    "<g><title>%s</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"6\""
                            + " fill=\"#f3f3f3\" stroke=\"#777\" stroke-width=\"1.2\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#222\">1</text>"
                            + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#666\">bias</text></g>%n",
                    Xml.escape(node.title()), x - RADIUS + 4, y - RADIUS + 4,
                    2 * RADIUS - 8, 2 * RADIUS - 8, x, y + 4, x, y + RADIUS + 12));
            default -> {
                svg.append(String.format(Locale.ROOT,
                        "<g><title>%s</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" stroke=\"#333\" stroke-width=\"1.5\"/>"
                                + "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>"
                                + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#444\">%s</text>",
                        Xml.escape(node.name() + (value.isEmpty() ? "" : " = " + Numbers.format(node.value(), Numbers.EXACT))),
                        x, y, RADIUS, fill,
                        x - (6.5 * node.name().length() + 6) / 2, y - RADIUS - 17, 6.5 * node.name().length() + 6,
                        x, y - RADIUS - 6, Xml.escape(node.name())));
                if (!value.isEmpty()) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" font-weight=\"bold\""
                            + " fill=\"#111\">%s</text>", x, y + 4, value.length() > 6 ? 9 : 12, Xml.escape(value)));
                }
                svg.append("</g>\n");
            }
        }
    }

    /**
     * A column's subtitle, on two lines if it is too long to stay clear of its neighbours:
     * {@code Rescaling(scale=0.003921569, offset=0)} over {@code 784 neurons (9 drawn)}.
     */
    static List<String> subtitleLines(String subtitle) {
        int split = subtitle.lastIndexOf(", ");
        if (subtitle.length() <= MAX_SUBTITLE_LINE || split < 0) {
            return List.of(subtitle);
        }
        return List.of(subtitle.substring(0, split), subtitle.substring(split + 2));
    }

    /** Input neurons yellow, Dense neurons blue, neurons of layers without a kernel green. */
    private static String fill(DiagramLayout layout, int column) {
        return column == 0 ? "#fff8e1" : layout.isDense(column) ? "#e8f1fb" : "#eaf5e4";
    }

    /**
     * A dashed line halfway between two columns for each Dropout, Flatten or other layer that passes values on
     * unchanged, labelled with its name, kind and {@code h3 = h2}; several in one gap are labelled one under another.
     */
    private static void appendMarkers(StringBuilder svg, DiagramLayout layout, int shift, int bottom) {
        if (layout.markers.isEmpty()) {
            return;
        }
        svg.append("<g id=\"markers\" text-anchor=\"middle\">\n");
        Map<Integer, Integer> inGap = new HashMap<>();
        for (Marker marker : layout.markers) {
            int row = inGap.merge(marker.afterColumn(), 1, Integer::sum) - 1;
            double x = LEFT + (marker.afterColumn() + 0.5) * COLUMN_SPACING;
            int y = TOP - 30 + shift + MARKER_ROW * row;
            if (row == 0) {
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\""
                        + " stroke-width=\"1.2\" stroke-dasharray=\"5 4\"/>%n", x, y - 12, x, bottom));
            }
            double boxWidth = 5.6 * marker.lines().stream().mapToInt(String::length).max().orElse(0) + 10;
            svg.append(String.format(Locale.ROOT, "<g><title>layer %d: %s</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\""
                            + " height=\"28\" rx=\"3\" fill=\"#f7f7f7\" stroke=\"#bbb\"/>", marker.number(),
                    Xml.escape(String.join(", ", marker.lines())), x - boxWidth / 2, y - 12, boxWidth));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#333\">%s</text>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#666\">%s</text></g>%n",
                    x, y, Xml.escape(marker.lines().get(0)), x, y + 12, Xml.escape(marker.lines().get(1))));
        }
        svg.append("</g>\n");
    }

    /** @return the diagram as a Graphviz DOT digraph, laid out left to right; render with {@code dot -Tsvg} */
    public String toDot() {
        if (!network.isSequential()) {
            return graphDiagram().toDot();
        }
        DiagramLayout layout = new DiagramLayout(network, input, maxEdges);
        StringBuilder dot = new StringBuilder(4096);
        dot.append("digraph network {\n");
        StringBuilder label = new StringBuilder(title());
        for (String note : layout.notes(digits, List.of())) {
            label.append('\n').append(note);
        }
        dot.append("  graph [rankdir=LR, splines=line, nodesep=0.5, ranksep=2.2, labelloc=t, fontname=\"Helvetica\", label=\"")
                .append(Xml.dot(label.toString())).append("\"];\n");
        dot.append("  node [shape=circle, fixedsize=true, width=0.9, fontname=\"Helvetica\", fontsize=10];\n");
        dot.append("  edge [fontname=\"Helvetica\", fontsize=10, arrowsize=0.5];\n");
        for (int c = 0; c < layout.columns.size(); c++) {
            dot.append("  subgraph cluster_").append(c).append(" {\n    label=\"")
                    .append(Xml.dot(layout.columnTitles.get(c) + "\n" + layout.columnSubtitles.get(c)))
                    .append("\"; style=dashed; color=\"#999999\";\n");
            for (Node node : layout.columns.get(c)) {
                dotNeuron(dot, node.id(), node.kind(), node.index(), node.name(), node.value(), digits);
            }
            dot.append("  }\n");
        }
        for (Edge edge : layout.edges) {
            dot.append("  ").append(edge.from().id()).append(" -> ").append(edge.to().id()).append(" [label=\"")
                    .append(Xml.dot(Numbers.format(edge.weight(), digits))).append("\", tooltip=\"")
                    .append(Xml.dot(edgeTitle(edge))).append("\", color=\"").append(colour(edge.weight()))
                    .append("\", fontcolor=\"").append(colour(edge.weight())).append("\"];\n");
        }
        for (Link link : layout.links) {
            dot.append("  ").append(link.from().id()).append(" -> ").append(link.to().id()).append(" [color=\"")
                    .append(LINK).append("\", tooltip=\"").append(Xml.dot(link.title())).append("\"];\n");
        }
        // a Dropout or Flatten layer is a note between the clusters of the columns around it; invisible edges rank it
        for (Marker marker : layout.markers) {
            String id = "m" + marker.number();
            dot.append("  ").append(id).append(" [shape=note, fixedsize=false, color=\"#999999\", fontsize=9, label=\"")
                    .append(Xml.dot(String.join("\n", marker.lines()))).append("\"];\n");
            for (Node node : layout.columns.get(marker.afterColumn())) {
                dot.append("  ").append(node.id()).append(" -> ").append(id).append(" [style=invis];\n");
            }
            if (marker.afterColumn() + 1 < layout.columns.size()) {
                for (Node node : layout.columns.get(marker.afterColumn() + 1)) {
                    dot.append("  ").append(id).append(" -> ").append(node.id()).append(" [style=invis];\n");
                }
            }
        }
        dot.append("}\n");
        return dot.toString();
    }

    private String title() {
        StringBuilder title = new StringBuilder(network.toString());
        if (input != null) {
            title.append(", input x = (");
            for (int i = 0; i < input.length; i++) {
                if (i == 8 && input.length > 10) {
                    title.append(", ... ").append(input.length - 8).append(" more");
                    break;
                }
                title.append(i == 0 ? "" : ", ").append(Numbers.format(input[i], digits));
            }
            title.append(')');
        }
        return title.toString();
    }

    /**
     * A weight written on its own edge: the text, centred at ({@code x}, {@code y}) on the edge's line, on a white box
     * of {@code width} by {@link #HEIGHT}.
     */
    record WeightLabel(Edge edge, String text, double x, double y, double width) {
        static final double HEIGHT = 16;

        double left() {
            return x - width / 2;
        }

        double top() {
            return y - HEIGHT / 2;
        }

        boolean overlaps(double[] box) {
            return left() < box[2] && box[0] < left() + width && top() < box[3] && box[1] < top() + HEIGHT;
        }

        double[] box() {
            return new double[] {left(), top(), left() + width, top() + HEIGHT};
        }
    }

    /**
     * Where along its edge each label goes, as a fraction of the way from the source: the middle first, then further
     * out on either side. The ends are left alone, where edges crowd into a node.
     */
    private static final double[] LABEL_POSITIONS = {0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8};

    /** The weights written on the edges, by column, as {@link #toSvg()} draws them; for tests. */
    List<WeightLabel> weightLabels() {
        DiagramLayout layout = new DiagramLayout(network, input, maxEdges);
        int tallest = layout.columns.stream().mapToInt(List::size).max().orElse(1);
        return placeLabels(layout, centres(layout, top(layout), (tallest - 1) * ROW_SPACING)).values().stream()
                .flatMap(List::stream).toList();
    }

    /** Where the neurons start: below the titles, and below the markers of Dropout, Flatten and the like, if any. */
    private static int top(DiagramLayout layout) {
        int markerRows = layout.markersPerGap();
        boolean twoLineSubtitles = layout.columnSubtitles.stream().anyMatch(t -> subtitleLines(t).size() > 1);
        return TOP + (markerRows == 0 ? 0 : MARKER_ROW * markerRows + 6) + (twoLineSubtitles ? SUBTITLE_LINE : 0);
    }

    private static Map<String, double[]> centres(DiagramLayout layout, int top, int columnsHeight) {
        Map<String, double[]> centres = new HashMap<>();
        for (List<Node> column : layout.columns) {
            double y0 = top + (columnsHeight - (column.size() - 1) * ROW_SPACING) / 2.0;
            for (int r = 0; r < column.size(); r++) {
                Node node = column.get(r);
                centres.put(node.id(), new double[] {LEFT + node.column() * COLUMN_SPACING, y0 + r * ROW_SPACING});
            }
        }
        return centres;
    }

    /**
     * Each Dense column's weights placed on their own edges, each label at the first of {@link #LABEL_POSITIONS} where
     * its box meets no other label, neuron, name tag or bias box. A column with more than
     * {@value #MAX_LABELLED_EDGES_PER_COLUMN} edges, or one label that fits nowhere, is left out: its weights are in
     * the edges' tooltips only, as the notes under the picture say.
     */
    private Map<Integer, List<WeightLabel>> placeLabels(DiagramLayout layout, Map<String, double[]> centres) {
        List<double[]> taken = new java.util.ArrayList<>();
        for (List<Node> column : layout.columns) {
            for (Node node : column) {
                double[] c = centres.get(node.id());
                switch (node.kind()) {
                    case ELLIPSIS -> taken.add(new double[] {c[0] - 24, c[1] - 16, c[0] + 24, c[1] + 24});
                    case BIAS -> taken.add(new double[] {c[0] - RADIUS + 4, c[1] - RADIUS + 4, c[0] + RADIUS - 4, c[1] + RADIUS + 16});
                    default -> {
                        taken.add(new double[] {c[0] - RADIUS, c[1] - RADIUS, c[0] + RADIUS, c[1] + RADIUS});
                        double tag = (6.5 * node.name().length() + 6) / 2;
                        taken.add(new double[] {c[0] - tag, c[1] - RADIUS - 17, c[0] + tag, c[1] - RADIUS - 3});
                    }
                }
            }
        }
        Map<Integer, List<WeightLabel>> labels = new java.util.TreeMap<>();
        for (int c = 1; c < layout.columns.size(); c++) {
            List<Edge> into = layout.edgesInto(c);
            if (!layout.isDense(c) || into.size() > MAX_LABELLED_EDGES_PER_COLUMN) {
                continue;
            }
            List<WeightLabel> placed = new java.util.ArrayList<>();
            for (Edge edge : into) {
                WeightLabel label = place(edge, into, centres, taken, placed);
                if (label == null) {
                    placed = null;
                    break;
                }
                placed.add(label);
            }
            if (placed != null) {
                labels.put(c, placed);
                placed.forEach(label -> taken.add(label.box()));
            }
        }
        return labels;
    }

    /**
     * The label of {@code edge} at the free position whose box the fewest other edges of the column cross (a label on
     * a crossing would leave the reader to guess which edge it names), or null if every position is taken or crossed
     * by more than {@value #MAX_EDGES_UNDER_LABEL} other edges.
     */
    private WeightLabel place(Edge edge, List<Edge> column, Map<String, double[]> centres, List<double[]> taken,
            List<WeightLabel> placed) {
        double[] from = centres.get(edge.from().id());
        double[] to = centres.get(edge.to().id());
        String text = Numbers.format(edge.weight(), digits);
        double width = 7.2 * text.length() + 6;
        WeightLabel best = null;
        int fewest = MAX_EDGES_UNDER_LABEL + 1;
        for (double t : LABEL_POSITIONS) {
            WeightLabel label = new WeightLabel(edge, text, from[0] + t * (to[0] - from[0]), from[1] + t * (to[1] - from[1]), width);
            boolean free = taken.stream().noneMatch(label::overlaps)
                    && placed.stream().noneMatch(other -> label.overlaps(other.box()));
            if (!free) {
                continue;
            }
            int crossing = 0;
            for (Edge other : column) {
                if (other != edge && crosses(centres.get(other.from().id()), centres.get(other.to().id()), label.box())) {
                    crossing++;
                }
            }
            if (crossing < fewest) {
                best = label;
                fewest = crossing;
            }
        }
        return best;
    }

    /** Whether the segment from {@code a} to {@code b} passes through {@code box} (Liang-Barsky clipping). */
    static boolean crosses(double[] a, double[] b, double[] box) {
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double[] p = {-dx, dx, -dy, dy};
        double[] q = {a[0] - box[0], box[2] - a[0], a[1] - box[1], box[3] - a[1]};
        double enter = 0;
        double leave = 1;
        for (int i = 0; i < 4; i++) {
            if (p[i] == 0) {
                if (q[i] < 0) {
                    return false;
                }
            } else {
                double r = q[i] / p[i];
                if (p[i] < 0) {
                    enter = Math.max(enter, r);
                } else {
                    leave = Math.min(leave, r);
                }
            }
        }
        return enter < leave;
    }

    private static String edgeTitle(Edge edge) {
        return edge.name() + " = " + Numbers.format(edge.weight(), Numbers.EXACT);
    }

    /** One neuron (or ellipsis, or bias node) as a DOT node line inside its column's cluster. */
    static void dotNeuron(StringBuilder dot, String id, Kind kind, int index, String name, Float value, int digits) {
        dot.append("    ").append(id).append(" [");
        switch (kind) {
            case ELLIPSIS -> dot.append("shape=plaintext, label=\"...\\n").append(index).append(" more\"");
            case BIAS -> dot.append("shape=box, style=rounded, label=\"bias\\n1\"");
            default -> {
                String shown = value == null ? "" : "\n" + Numbers.format(value, digits);
                dot.append("label=\"").append(Xml.dot(name + shown)).append('"');
            }
        }
        dot.append("];\n");
    }

    static String colour(float weight) {
        return weight < 0 ? NEGATIVE : POSITIVE;
    }

    /** The point {@code distance} from {@code from} along the line to {@code to}. */
    static double[] towards(double[] from, double[] to, double distance) {
        double dx = to[0] - from[0];
        double dy = to[1] - from[1];
        double length = Math.hypot(dx, dy);
        if (length == 0) {
            return from.clone();
        }
        return new double[] {from[0] + dx / length * distance, from[1] + dy / length * distance};
    }
}
