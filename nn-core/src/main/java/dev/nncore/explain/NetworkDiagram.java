package dev.nncore.explain;

import dev.nncore.Network;
import dev.nncore.explain.DiagramLayout.Edge;
import dev.nncore.explain.DiagramLayout.Kind;
import dev.nncore.explain.DiagramLayout.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A picture of a network as the "no magic" video draws it: neurons in columns (input, hidden layers, output), a
 * bias node under each column that feeds the next layer, and each weight written on its edge; given an input, each
 * neuron shows its value. SVG for a browser or a README, Graphviz DOT for {@code dot -Tpng}.
 *
 * <pre>{@code
 * String svg = NetworkDiagram.of(video).withInput(0, 1).toSvg();   // h1[1] shows 1.2, y[0] shows 0.96
 * String dot = NetworkDiagram.of(video).withDigits(1).toDot();     // dot -Tsvg net.dot > net.svg
 * }</pre>
 *
 * <p>Large networks are summarised rather than drawn edge by edge:
 * <ul>
 *   <li>a layer (or input) of more than 10 neurons is drawn as its first 6 neurons, an ellipsis node saying how
 *       many are not drawn, and its last 3 neurons; edges connect drawn neurons (and bias nodes) only;
 *   <li>if more edges than {@link #withMaxEdges(int) the edge budget} (200 by default) remain, only the
 *       largest-magnitude weights are drawn;
 *   <li>weights are written on their edges when at most 40 edges enter a column and one of its two ends has at most
 *       4 nodes (bias included), where the labels go, so they do not overlap; every drawn edge also carries its name and weight in a tooltip (an SVG {@code <title>}, e.g.
 *       {@code L0N1 -> L1N0 = 1.3}, the video's naming), and the notes under the picture say how many weights
 *       were drawn, omitted or summarised.
 * </ul>
 * So a 784-128-10 network gives an SVG of about 40 KB with 190 edges, not 101,770.
 *
 * <p>Numbers are rounded to {@link #withDigits(int) 2 digits} after the point by default. Text is escaped, so layer
 * names from any file give well-formed XML and DOT. The SVG is self-contained (no scripts, no external fonts).
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return new diagrams.
 *
 * @since 0.1.0
 */
public final class NetworkDiagram {

    private static final int DEFAULT_DIGITS = 2;
    private static final int DEFAULT_MAX_EDGES = 200;
    private static final int MAX_LABELLED_EDGES_PER_COLUMN = 40;
    private static final int MAX_NODES_AT_LABELLED_END = 4;

    private static final int COLUMN_SPACING = 240;
    private static final int ROW_SPACING = 78;
    private static final int RADIUS = 24;
    private static final int LEFT = 80;
    private static final int TOP = 124;
    private static final String POSITIVE = "#1f5fa8";
    private static final String NEGATIVE = "#c0392b";

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
     * @param values {@link Network#inputs()} values; not modified
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

    /** @return the diagram as a standalone SVG document (UTF-8 text) */
    public String toSvg() {
        DiagramLayout layout = new DiagramLayout(network, input, maxEdges);
        int tallest = layout.columns.stream().mapToInt(List::size).max().orElse(1);
        int columnsHeight = (tallest - 1) * ROW_SPACING;
        List<String> unlabelled = new java.util.ArrayList<>();
        for (int c = 1; c < layout.columns.size(); c++) {
            if (!labelled(layout, c)) {
                unlabelled.add("\"" + layout.columnTitles.get(c) + "\"");
            }
        }
        List<String> notes = layout.notes(digits, unlabelled);
        int width = LEFT * 2 + (layout.columns.size() - 1) * COLUMN_SPACING;
        width = Math.max(width, 40 + 9 * title().length());
        for (String note : notes) {
            width = Math.max(width, 40 + 6 * note.length());
        }
        int height = TOP + columnsHeight + RADIUS + 40 + 18 * notes.size();
        Map<String, double[]> centres = new HashMap<>();
        for (List<Node> column : layout.columns) {
            double top = TOP + (columnsHeight - (column.size() - 1) * ROW_SPACING) / 2.0;
            for (int r = 0; r < column.size(); r++) {
                Node node = column.get(r);
                centres.put(node.id(), new double[] {LEFT + node.column() * COLUMN_SPACING, top + r * ROW_SPACING});
            }
        }

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
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"71\" font-size=\"11\" text-anchor=\"middle\" fill=\"#666\">%s</text>%n",
                    x, Xml.escape(layout.columnSubtitles.get(c))));
        }

        svg.append("<g id=\"edges\" fill=\"none\" stroke-linecap=\"round\">\n");
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
        for (int c = 1; c < layout.columns.size(); c++) {
            List<Edge> into = layout.edgesInto(c);
            if (!labelled(layout, c)) {
                continue;
            }
            int sources = sources(layout, c);
            int targets = targets(layout, c);
            // Labels go near the end of the edges where fewer nodes are: there, the edges sharing a node fan apart and
            // the groups around different nodes do not overlap.
            double t = sources <= targets ? 0.75 : 0.25;
            for (Edge edge : into) {
                double[] from = centres.get(edge.from().id());
                double[] to = centres.get(edge.to().id());
                double x = from[0] + t * (to[0] - from[0]);
                double y = from[1] + t * (to[1] - from[1]);
                String text = Numbers.format(edge.weight(), digits);
                double boxWidth = 7.2 * text.length() + 6;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" rx=\"3\""
                                + " fill=\"#ffffff\" fill-opacity=\"0.88\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>%n",
                        x - boxWidth / 2, y - 8, boxWidth, x, y + 4.5, colour(edge.weight()), Xml.escape(text)));
            }
        }
        svg.append("</g>\n");

        svg.append("<g id=\"neurons\" text-anchor=\"middle\">\n");
        for (List<Node> column : layout.columns) {
            for (Node node : column) {
                double[] c = centres.get(node.id());
                appendNode(svg, node, c[0], c[1]);
            }
        }
        svg.append("</g>\n");

        int y = TOP + columnsHeight + RADIUS + 36;
        for (String note : notes) {
            svg.append("<text x=\"16\" y=\"").append(y).append("\" font-size=\"11\" fill=\"#555\">")
                    .append(Xml.escape(note)).append("</text>\n");
            y += 18;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void appendNode(StringBuilder svg, Node node, double x, double y) {
        String value = node.value() == null ? "" : Numbers.format(node.value(), digits);
        switch (node.kind()) {
            case ELLIPSIS -> svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"22\" fill=\"#555\">&#x22EE;</text>"
                            + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#555\">%d more</text>%n",
                    x, y + 2, x, y + 20, node.index()));
            case BIAS -> svg.append(String.format(Locale.ROOT,
                    "<g><title>bias node of %s: always 1</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"6\""
                            + " fill=\"#f3f3f3\" stroke=\"#777\" stroke-width=\"1.2\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#222\">1</text>"
                            + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#666\">bias</text></g>%n",
                    node.column() == 0 ? "the input" : "layer " + node.column(), x - RADIUS + 4, y - RADIUS + 4,
                    2 * RADIUS - 8, 2 * RADIUS - 8, x, y + 4, x, y + RADIUS + 12));
            default -> {
                svg.append(String.format(Locale.ROOT,
                        "<g><title>%s</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" stroke=\"#333\" stroke-width=\"1.5\"/>"
                                + "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>"
                                + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#444\">%s</text>",
                        Xml.escape(node.name() + (value.isEmpty() ? "" : " = " + Numbers.format(node.value(), Numbers.EXACT))),
                        x, y, RADIUS, node.column() == 0 ? "#fff8e1" : "#e8f1fb",
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

    /** @return the diagram as a Graphviz DOT digraph, laid out left to right; render with {@code dot -Tsvg} */
    public String toDot() {
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
                dot.append("    ").append(node.id()).append(" [");
                switch (node.kind()) {
                    case ELLIPSIS -> dot.append("shape=plaintext, label=\"...\\n").append(node.index()).append(" more\"");
                    case BIAS -> dot.append("shape=box, style=rounded, label=\"bias\\n1\"");
                    default -> {
                        String value = node.value() == null ? "" : "\n" + Numbers.format(node.value(), digits);
                        dot.append("label=\"").append(Xml.dot(node.name() + value)).append('"');
                    }
                }
                dot.append("];\n");
            }
            dot.append("  }\n");
        }
        for (Edge edge : layout.edges) {
            dot.append("  ").append(edge.from().id()).append(" -> ").append(edge.to().id()).append(" [label=\"")
                    .append(Xml.dot(Numbers.format(edge.weight(), digits))).append("\", tooltip=\"")
                    .append(Xml.dot(edgeTitle(edge))).append("\", color=\"").append(colour(edge.weight()))
                    .append("\", fontcolor=\"").append(colour(edge.weight())).append("\"];\n");
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

    /** Whether weights into a column are written on their edges: few enough edges that the labels stay apart. */
    private static boolean labelled(DiagramLayout layout, int column) {
        return layout.edgesInto(column).size() <= MAX_LABELLED_EDGES_PER_COLUMN
                && Math.min(sources(layout, column), targets(layout, column)) <= MAX_NODES_AT_LABELLED_END;
    }

    private static int sources(DiagramLayout layout, int column) {
        return (int) layout.columns.get(column - 1).stream().filter(node -> node.kind() != Kind.ELLIPSIS).count();
    }

    private static int targets(DiagramLayout layout, int column) {
        return (int) layout.columns.get(column).stream().filter(node -> node.kind() == Kind.NEURON).count();
    }

    private static String edgeTitle(Edge edge) {
        return edge.name() + " = " + Numbers.format(edge.weight(), Numbers.EXACT);
    }

    private static String colour(float weight) {
        return weight < 0 ? NEGATIVE : POSITIVE;
    }

    /** The point {@code distance} from {@code from} along the line to {@code to}. */
    private static double[] towards(double[] from, double[] to, double distance) {
        double dx = to[0] - from[0];
        double dy = to[1] - from[1];
        double length = Math.hypot(dx, dy);
        if (length == 0) {
            return from.clone();
        }
        return new double[] {from[0] + dx / length * distance, from[1] + dy / length * distance};
    }
}
