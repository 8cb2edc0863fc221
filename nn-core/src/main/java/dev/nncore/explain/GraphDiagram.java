package dev.nncore.explain;

import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.Merge;
import dev.nncore.Network;
import dev.nncore.Node;
import dev.nncore.explain.DiagramLayout.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@link NetworkDiagram} for a graph (a network that is not Sequential): each node of {@link Network#nodes()} is a
 * block of neurons, placed in columns by depth (an input next to the first layer that reads it, every other node one
 * column right of the deepest node it reads), blocks of one column stacked top to bottom in node order.
 *
 * <ul>
 *   <li>An input block is yellow, a Dense block blue with a weighted edge from each drawn neuron of the block it reads
 *       and from a bias node under that block; any other block (a merge, BatchNormalization, an activation, Dropout)
 *       is green with grey edges carrying values: position to position for an Add, Subtract, Multiply, Average,
 *       Maximum or Minimum, each part to its place for a Concatenate, every value into the one value of a Dot.
 *   <li>Blocks are named as {@link Explanation#of(Network, java.util.List)} names nodes ({@code dense[0]},
 *       {@code shared@1[0]}); an output block's title says which output it is.
 *   <li>Large layers are summarised as in a chain: more than 10 neurons are drawn as the first 6, an ellipsis and the
 *       last 3; above the edge budget only the largest weights are drawn; weights are written on edges only where
 *       the labels keep clear of every other label (checked box by box), otherwise they are in the tooltips.
 * </ul>
 */
final class GraphDiagram {

    private static final int COLUMN_SPACING = 250;
    private static final int ROW_SPACING = 78;
    private static final int RADIUS = 24;
    private static final int LEFT = 90;
    private static final int TOP = 60;
    /** From a block's title baseline to its first neuron's centre. */
    private static final int HEADER = 90;
    private static final int BLOCK_GAP = 36;
    private static final int MAX_TITLE = 30;
    private static final String LINK = "#9a9a9a";
    private static final int MAX_LABELLED_EDGES = 40;
    private static final int MAX_NODES_AT_LABELLED_END = 4;

    /** A drawn neuron, ellipsis or bias node; {@code index} is the neuron's index or, for an ellipsis, how many are hidden. */
    record Dot(String id, Kind kind, int block, int index, String name, Float value, String title) {
    }

    /** A weighted edge into a Dense block. */
    record Edge(Dot from, Dot to, float weight, String name) {
    }

    /** A value carried into a block without a kernel. */
    record Link(Dot from, Dot to, String title) {
    }

    /** One node of the graph drawn as a column of dots. */
    static final class Block {
        final int node;
        final String symbol;
        final String title;
        final List<String> subtitle;
        final Layer layer;
        int column;
        final List<Dot> dots = new ArrayList<>();
        double x;
        double top;

        Block(int node, String symbol, String title, List<String> subtitle, Layer layer) {
            this.node = node;
            this.symbol = symbol;
            this.title = title;
            this.subtitle = subtitle;
            this.layer = layer;
        }

        double centreY(int row) {
            return top + HEADER + row * (double) ROW_SPACING;
        }

        double bottom() {
            return centreY(dots.size() - 1) + RADIUS + 16;
        }
    }

    final Network network;
    final List<float[]> inputs;
    final int digits;
    final List<Block> blocks = new ArrayList<>();
    final List<Edge> edges = new ArrayList<>();
    final List<Link> links = new ArrayList<>();
    final int edgesBetweenDrawnNodes;
    final boolean anyBlockSummarised;
    final Map<String, Dot> dotsById = new HashMap<>();
    final Map<String, double[]> centres = new HashMap<>();
    int width;
    int height;

    GraphDiagram(Network network, List<float[]> inputs, int digits, int maxEdges) {
        this.network = network;
        this.inputs = inputs;
        this.digits = digits;
        List<Node> nodes = network.nodes();
        int inputCount = network.inputNames().size();
        GraphExplainer.Walk walk = GraphExplainer.walk(network, inputs);
        Map<Node, Integer> index = new IdentityHashMap<>();
        for (int n = 0; n < nodes.size(); n++) {
            index.put(nodes.get(n), n);
        }
        Map<Integer, String> outputOf = new HashMap<>();
        for (int k = 0; k < walk.outputNodes().length; k++) {
            outputOf.merge(walk.outputNodes()[k], network.outputNames().get(k), (a, b) -> a + ", " + b);
        }
        boolean summarised = false;
        for (int n = 0; n < nodes.size(); n++) {
            Node node = nodes.get(n);
            Layer layer = node.layer();
            int size = node.width();
            String symbol = walk.symbols().get(n);
            String kind = layer == null ? "input" : layer instanceof Dense dense
                    ? "Dense, " + LayerKinds.activation(dense.activation())
                    : layer instanceof Merge merge && merge.kind() == Merge.Kind.DOT && merge.normalize()
                            ? "Dot(normalize=True)" : LayerKinds.of(layer);
            String count = size + (layer == null ? (size == 1 ? " value" : " values") : (size == 1 ? " neuron" : " neurons"))
                    + (size > DiagramLayout.MAX_NEURONS_DRAWN ? " (" + (DiagramLayout.HEAD + DiagramLayout.TAIL) + " drawn)" : "");
            String output = outputOf.get(n);
            String title = symbol + (output == null ? "" : output.equals(node.name()) ? " (output)" : " (output " + output + ")");
            Block block = new Block(n, symbol, title, List.of(kind, count), layer);
            float[] values = walk.values().get(n);
            for (int i : DiagramLayout.drawnIndices(size)) {
                if (i < 0) {
                    block.dots.add(new Dot("e" + n, Kind.ELLIPSIS, n, size - DiagramLayout.HEAD - DiagramLayout.TAIL, "",
                            null, null));
                    summarised = true;
                } else {
                    block.dots.add(new Dot("n" + n + "_" + i, Kind.NEURON, n, i, symbol + "[" + i + "]",
                            values == null ? null : values[i], null));
                }
            }
            blocks.add(block);
        }
        anyBlockSummarised = summarised;
        // a bias node under the block a Dense layer reads, one per Dense reader
        for (int n = inputCount; n < nodes.size(); n++) {
            if (nodes.get(n).layer() instanceof Dense dense && dense.useBias()) {
                int source = index.get(nodes.get(n).inputs().get(0));
                blocks.get(source).dots.add(new Dot("b" + source + "_" + n, Kind.BIAS, source, -1, "bias",
                        inputs == null ? null : 1f, "bias node feeding \"" + walk.symbols().get(n) + "\": always 1"));
            }
        }
        for (Block block : blocks) {
            for (Dot dot : block.dots) {
                dotsById.put(dot.id(), dot);
            }
        }
        placeColumns(nodes, index, inputCount);

        List<Edge> all = new ArrayList<>();
        for (int n = inputCount; n < nodes.size(); n++) {
            Node node = nodes.get(n);
            Block target = blocks.get(n);
            List<Block> sources = node.inputs().stream().map(source -> blocks.get(index.get(source))).toList();
            LayerExplanation explained = inputs == null ? null : walk.layers().get(n - inputCount);
            if (node.layer() instanceof Dense dense) {
                all.addAll(weightedEdges(dense, sources.get(0), target));
            } else {
                links.addAll(links(node.layer(), sources, target, explained));
            }
        }
        edgesBetweenDrawnNodes = all.size();
        if (all.size() > maxEdges) {
            List<Edge> largest = new ArrayList<>(all);
            largest.sort(Comparator.comparingDouble((Edge e) -> -Math.abs(e.weight())));
            Set<Edge> kept = Set.copyOf(largest.subList(0, maxEdges));
            all.removeIf(edge -> !kept.contains(edge));
        }
        edges.addAll(all);
    }

    /** Columns by depth, inputs pulled right next to their first reader; blocks stacked and columns centred. */
    private void placeColumns(List<Node> nodes, Map<Node, Integer> index, int inputCount) {
        int[] depth = new int[nodes.size()];
        for (int n = inputCount; n < nodes.size(); n++) {
            for (Node source : nodes.get(n).inputs()) {
                depth[n] = Math.max(depth[n], depth[index.get(source)] + 1);
            }
        }
        for (int i = 0; i < inputCount; i++) {
            int first = Integer.MAX_VALUE;
            for (int n = inputCount; n < nodes.size(); n++) {
                for (Node source : nodes.get(n).inputs()) {
                    if (index.get(source) == i) {
                        first = Math.min(first, depth[n]);
                    }
                }
            }
            depth[i] = first == Integer.MAX_VALUE ? 0 : first - 1;
        }
        int columns = 0;
        for (int n = 0; n < nodes.size(); n++) {
            blocks.get(n).column = depth[n];
            columns = Math.max(columns, depth[n] + 1);
        }
        double[] heights = new double[columns];
        for (Block block : blocks) {
            heights[block.column] += blockHeight(block) + (heights[block.column] > 0 ? BLOCK_GAP : 0);
        }
        double tallest = 0;
        for (double h : heights) {
            tallest = Math.max(tallest, h);
        }
        double[] next = new double[columns];
        for (int c = 0; c < columns; c++) {
            next[c] = TOP + (tallest - heights[c]) / 2;
        }
        double left = LEFT;
        for (Block block : blocks) {
            if (block.column == 0) {
                left = Math.max(left, halfWidth(block) + 12);
            }
        }
        for (Block block : blocks) {
            block.x = left + block.column * (double) COLUMN_SPACING;
            block.top = next[block.column];
            next[block.column] += blockHeight(block) + BLOCK_GAP;
            for (int r = 0; r < block.dots.size(); r++) {
                centres.put(block.dots.get(r).id(), new double[] {block.x, block.centreY(r)});
            }
        }
        double right = 0;
        for (Block block : blocks) {
            right = Math.max(right, block.x + halfWidth(block) + 12);
        }
        width = (int) Math.ceil(Math.max(right, left + (columns - 1) * COLUMN_SPACING + LEFT));
        height = (int) Math.ceil(TOP + tallest);
    }

    /** Half the widest text of a block: its title, subtitle or a neuron's name, as {@link #textBox} measures them. */
    private static double halfWidth(Block block) {
        double widest = 0.68 * 13 * Math.min(block.title.length(), MAX_TITLE);
        for (String line : block.subtitle) {
            widest = Math.max(widest, 0.6 * 11 * Math.min(line.length(), 34));
        }
        for (Dot dot : block.dots) {
            widest = Math.max(widest, 6.6 * dot.name().length() + 6);
        }
        return widest / 2;
    }

    private static double blockHeight(Block block) {
        return HEADER + (block.dots.size() - 1) * (double) ROW_SPACING + RADIUS + 16;
    }

    private List<Edge> weightedEdges(Dense layer, Block source, Block target) {
        float[][] kernel = layer.kernel().toArray();
        float[] bias = layer.useBias() ? layer.bias().getRow(0) : null;
        List<Edge> result = new ArrayList<>();
        for (Dot to : target.dots) {
            if (to.kind() != Kind.NEURON) {
                continue;
            }
            for (Dot from : source.dots) {
                if (from.kind() == Kind.NEURON) {
                    result.add(new Edge(from, to, kernel[from.index()][to.index()], from.name() + " -> " + to.name()));
                } else if (from.kind() == Kind.BIAS && from.id().equals("b" + source.node + "_" + target.node)) {
                    result.add(new Edge(from, to, bias[to.index()], "bias -> " + to.name()));
                }
            }
        }
        return result;
    }

    /** Grey edges into a block without a kernel: which value goes where, by the layer's kind. */
    private static List<Link> links(Layer layer, List<Block> sources, Block target, LayerExplanation explained) {
        List<Link> result = new ArrayList<>();
        Merge merge = layer instanceof Merge m ? m : null;
        int offset = 0;
        for (Block source : sources) {
            for (Dot from : source.dots) {
                if (from.kind() != Kind.NEURON) {
                    continue;
                }
                for (Dot to : target.dots) {
                    if (to.kind() != Kind.NEURON) {
                        continue;
                    }
                    boolean connected;
                    if (merge != null && merge.kind() == Merge.Kind.DOT) {
                        connected = true;
                    } else if (merge != null && merge.kind() == Merge.Kind.CONCATENATE) {
                        connected = to.index() == offset + from.index();
                    } else {
                        connected = to.index() == from.index();
                    }
                    if (connected) {
                        String title = explained != null && !explained.neurons().isEmpty()
                                ? explained.neurons().get(to.index()).toString()
                                : to.name() + " <- " + from.name() + ": " + LayerKinds.of(layer);
                        result.add(new Link(from, to, title));
                    }
                }
            }
            offset += sourceWidth(source);
        }
        return result;
    }

    private static int sourceWidth(Block block) {
        int width = 0;
        for (Dot dot : block.dots) {
            if (dot.kind() == Kind.NEURON) {
                width = Math.max(width, dot.index() + 1);
            }
        }
        return width;
    }

    String title() {
        StringBuilder title = new StringBuilder("Functional network: inputs ");
        List<String> names = network.inputNames();
        for (int i = 0; i < names.size(); i++) {
            title.append(i == 0 ? "" : ", ").append(names.get(i));
            if (inputs != null) {
                title.append(" = (");
                float[] values = inputs.get(i);
                for (int j = 0; j < values.length; j++) {
                    if (j == 6 && values.length > 8) {
                        title.append(", ... ").append(values.length - 6).append(" more");
                        break;
                    }
                    title.append(j == 0 ? "" : ", ").append(Numbers.format(values[j], digits));
                }
                title.append(')');
            }
        }
        return title.append("; outputs ").append(String.join(", ", network.outputNames())).toString();
    }

    /** A text's box as the SVG draws it: x, y of the top left corner, width, height; {@code anchor} middle or start. */
    static double[] textBox(double x, double baseline, int fontSize, String text, boolean middle) {
        return textBox(x, baseline, fontSize, text, middle, false);
    }

    /** As {@link #textBox(double, double, int, String, boolean)}; bold text is measured wider. */
    static double[] textBox(double x, double baseline, int fontSize, String text, boolean middle, boolean bold) {
        double w = (bold ? 0.68 : 0.6) * fontSize * text.length();
        return new double[] {middle ? x - w / 2 : x, baseline - 0.8 * fontSize, w, fontSize};
    }

    static boolean overlap(double[] a, double[] b) {
        return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    }

    /** The SVG: blocks, edges, weight labels where they keep clear, notes. */
    String toSvg() {
        Boxes taken = new Boxes();
        // block titles and subtitles
        // titles keep a white halo, so edges passing behind them do not cut through the letters
        StringBuilder headers = new StringBuilder("<g id=\"blocks\" text-anchor=\"middle\" stroke=\"#ffffff\""
                + " stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">\n");
        for (Block block : blocks) {
            String shown = block.title.length() > MAX_TITLE ? block.title.substring(0, MAX_TITLE - 3) + "..." : block.title;
            double y = block.top + 14;
            headers.append(String.format(Locale.ROOT, "<g><title>%s</title><text x=\"%.1f\" y=\"%.1f\" font-size=\"13\""
                    + " font-weight=\"bold\" fill=\"#333\">%s</text>", Xml.escape(block.title), block.x, y, Xml.escape(shown)));
            taken.add(textBox(block.x, y, 13, shown, true, true));
            for (int line = 0; line < block.subtitle.size(); line++) {
                String text = block.subtitle.get(line);
                if (text.length() > 34) {
                    text = text.substring(0, 31) + "...";
                }
                double ly = y + 16 + 13 * line;
                headers.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#666\">%s</text>",
                        block.x, ly, Xml.escape(text)));
                taken.add(textBox(block.x, ly, 11, text, true));
            }
            headers.append("</g>\n");
        }
        headers.append("</g>\n");

        // neurons: their name labels and values take room first
        StringBuilder neurons = new StringBuilder("<g id=\"neurons\" text-anchor=\"middle\">\n");
        for (Block block : blocks) {
            for (Dot dot : block.dots) {
                double[] c = centres.get(dot.id());
                appendDot(neurons, dot, c[0], c[1], fill(block), taken);
            }
        }
        neurons.append("</g>\n");

        StringBuilder lines = new StringBuilder("<g id=\"edges\" fill=\"none\" stroke-linecap=\"round\">\n");
        for (Link link : links) {
            double[] a = NetworkDiagram.towards(centres.get(link.from().id()), centres.get(link.to().id()), RADIUS);
            double[] b = NetworkDiagram.towards(centres.get(link.to().id()), centres.get(link.from().id()), RADIUS);
            lines.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                    + " stroke-width=\"1.6\"><title>%s</title></line>%n", a[0], a[1], b[0], b[1], LINK, Xml.escape(link.title())));
        }
        Map<Integer, Float> largest = new HashMap<>();
        for (Edge edge : edges) {
            if (Float.isFinite(edge.weight())) {
                largest.merge(edge.to().block(), Math.abs(edge.weight()), Math::max);
            }
        }
        for (Edge edge : edges) {
            double[] from = centres.get(edge.from().id());
            double[] to = centres.get(edge.to().id());
            double[] a = NetworkDiagram.towards(from, to, edge.from().kind() == Kind.BIAS ? RADIUS - 4 : RADIUS);
            double[] b = NetworkDiagram.towards(to, from, RADIUS);
            float most = Math.max(1e-30f, largest.getOrDefault(edge.to().block(), 1f));
            double strength = Float.isFinite(edge.weight()) ? Math.abs(edge.weight()) / most : 1;
            lines.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                            + " stroke-width=\"%.2f\" stroke-opacity=\"%.2f\"><title>%s</title></line>%n",
                    a[0], a[1], b[0], b[1], NetworkDiagram.colour(edge.weight()), 0.8 + 2.7 * strength, 0.35 + 0.55 * strength,
                    Xml.escape(edge.name() + " = " + Numbers.format(edge.weight(), Numbers.EXACT))));
        }
        lines.append("</g>\n");

        // weight labels, block by block, only if every label of the block keeps clear of all text drawn so far
        StringBuilder weights = new StringBuilder("<g id=\"weights\" font-size=\"12\" text-anchor=\"middle\">\n");
        List<String> unlabelled = new ArrayList<>();
        Map<Integer, List<Edge>> edgesInto = new HashMap<>();
        for (Edge edge : edges) {
            edgesInto.computeIfAbsent(edge.to().block(), k -> new ArrayList<>()).add(edge);
        }
        for (Block block : blocks) {
            if (!(block.layer instanceof Dense)) {
                continue;
            }
            List<Edge> into = edgesInto.getOrDefault(block.node, List.of());
            if (into.isEmpty()) {
                continue;
            }
            Block source = blocks.get(into.get(0).from().block());
            long sourceCount = source.dots.stream().filter(d -> d.kind() != Kind.ELLIPSIS).count();
            long targetCount = block.dots.stream().filter(d -> d.kind() == Kind.NEURON).count();
            boolean allowed = into.size() <= MAX_LABELLED_EDGES && Math.min(sourceCount, targetCount) <= MAX_NODES_AT_LABELLED_END;
            double preferred = sourceCount <= targetCount ? 0.75 : 0.25;
            boolean fits = false;
            List<double[]> boxes = new ArrayList<>();
            StringBuilder labels = new StringBuilder();
            for (double t : new double[] {preferred, 0.5, 1 - preferred, 0.375, 0.625}) {
                if (!allowed || fits) {
                    break;
                }
                boxes.clear();
                labels.setLength(0);
                fits = labelsFit(into, t, taken, boxes, labels);
            }
            if (fits) {
                weights.append(labels);
                taken.addAll(boxes);
            } else {
                unlabelled.add("\"" + block.symbol + "\"");
            }
        }
        weights.append("</g>\n");
        List<String> notes = notes(unlabelled);
        int y = height + 24;
        StringBuilder noteText = new StringBuilder();
        for (String note : notes) {
            noteText.append("<text x=\"16\" y=\"").append(y).append("\" font-size=\"11\" fill=\"#555\">")
                    .append(Xml.escape(note)).append("</text>\n");
            y += 18;
        }
        String title = title();
        int fullWidth = Math.max(width, 40 + (int) Math.ceil(0.6 * 15 * title.length()));
        for (String note : notes) {
            fullWidth = Math.max(fullWidth, 40 + (int) Math.ceil(0.6 * 11 * note.length()));
        }
        int fullHeight = y + 6;

        StringBuilder svg = new StringBuilder(16384);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">%n",
                fullWidth, fullHeight, fullWidth, fullHeight));
        svg.append("<title>").append(Xml.escape(title)).append("</title>\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n",
                fullWidth, fullHeight));
        svg.append("<text x=\"16\" y=\"24\" font-size=\"15\" font-weight=\"bold\" fill=\"#222\">").append(Xml.escape(title))
                .append("</text>\n");
        svg.append(lines).append(weights).append(headers).append(neurons).append(noteText);
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Places a label on each edge at {@code t} along it; false if one would touch a text box or a neuron. */
    private boolean labelsFit(List<Edge> into, double t, Boxes taken, List<double[]> boxes, StringBuilder labels) {
        for (Edge edge : into) {
            double[] from = centres.get(edge.from().id());
            double[] to = centres.get(edge.to().id());
            double x = from[0] + t * (to[0] - from[0]);
            double y = from[1] + t * (to[1] - from[1]);
            String text = Numbers.format(edge.weight(), digits);
            double boxWidth = 7.2 * text.length() + 6;
            double[] box = {x - boxWidth / 2, y - 8, boxWidth, 16};
            if (taken.overlapsAny(box) || circles().overlapsAny(box)) {
                return false;
            }
            for (double[] other : boxes) {
                if (overlap(box, other)) {
                    return false;
                }
            }
            boxes.add(box);
            labels.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" rx=\"3\""
                            + " fill=\"#ffffff\" fill-opacity=\"0.88\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>%n",
                    box[0], box[1], boxWidth, x, y + 4.5, NetworkDiagram.colour(edge.weight()), Xml.escape(text)));
        }
        return true;
    }

    private Boxes circles;

    /** The square around every drawn dot, where no weight label may go. */
    private Boxes circles() {
        if (circles == null) {
            circles = new Boxes();
            for (Block block : blocks) {
                for (Dot dot : block.dots) {
                    double[] c = centres.get(dot.id());
                    circles.add(new double[] {c[0] - RADIUS, c[1] - RADIUS, 2 * RADIUS, 2 * RADIUS});
                }
            }
        }
        return circles;
    }

    /** Boxes filed by vertical strips of the picture, so a new box is checked against its neighbours only. */
    static final class Boxes {
        private static final double STRIP = 125;
        private final Map<Long, List<double[]>> strips = new HashMap<>();

        void add(double[] box) {
            for (long strip = (long) Math.floor(box[0] / STRIP); strip <= (long) Math.floor((box[0] + box[2]) / STRIP); strip++) {
                strips.computeIfAbsent(strip, k -> new ArrayList<>()).add(box);
            }
        }

        void addAll(List<double[]> boxes) {
            boxes.forEach(this::add);
        }

        boolean overlapsAny(double[] box) {
            for (long strip = (long) Math.floor(box[0] / STRIP); strip <= (long) Math.floor((box[0] + box[2]) / STRIP); strip++) {
                for (double[] other : strips.getOrDefault(strip, List.of())) {
                    if (overlap(box, other)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private void appendDot(StringBuilder svg, Dot dot, double x, double y, String fill, Boxes taken) {
        String value = dot.value() == null ? "" : Numbers.format(dot.value(), digits);
        switch (dot.kind()) {
            case ELLIPSIS -> {
                String more = dot.index() + " more";
                svg.append(String.format(Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"22\" fill=\"#555\">&#x22EE;</text>"
                                + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#555\">%s</text>%n",
                        x, y + 2, x, y + 20, more));
                taken.add(textBox(x, y + 2, 22, "\u22EE", true));
                taken.add(textBox(x, y + 20, 11, more, true));
            }
            case BIAS -> {
                svg.append(String.format(Locale.ROOT,
                        "<g><title>%s</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"6\""
                                + " fill=\"#f3f3f3\" stroke=\"#777\" stroke-width=\"1.2\"/>"
                                + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#222\">1</text>"
                                + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#666\">bias</text></g>%n",
                        Xml.escape(dot.title()), x - RADIUS + 4, y - RADIUS + 4, 2 * RADIUS - 8, 2 * RADIUS - 8, x, y + 4,
                        x, y + RADIUS + 12));
                taken.add(textBox(x, y + 4, 12, "1", true));
                taken.add(textBox(x, y + RADIUS + 12, 11, "bias", true));
            }
            default -> {
                double labelWidth = 6.6 * dot.name().length() + 6;
                svg.append(String.format(Locale.ROOT,
                        "<g><title>%s</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" stroke=\"#333\" stroke-width=\"1.5\"/>"
                                + "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>"
                                + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#444\">%s</text>",
                        Xml.escape(dot.name() + (value.isEmpty() ? "" : " = " + Numbers.format(dot.value(), Numbers.EXACT))),
                        x, y, RADIUS, fill, x - labelWidth / 2, y - RADIUS - 17, labelWidth, x, y - RADIUS - 6,
                        Xml.escape(dot.name())));
                taken.add(textBox(x, y - RADIUS - 6, 11, dot.name(), true));
                if (!value.isEmpty()) {
                    int size = value.length() > 6 ? 9 : 12;
                    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" font-weight=\"bold\""
                            + " fill=\"#111\">%s</text>", x, y + 4, size, Xml.escape(value)));
                    taken.add(textBox(x, y + 4, size, value, true));
                }
                svg.append("</g>\n");
            }
        }
    }

    private static String fill(Block block) {
        return block.layer == null ? "#fff8e1" : block.layer instanceof Dense ? "#e8f1fb" : "#eaf5e4";
    }

    /** The notes under the picture: what is rounded, summarised, omitted or only in tooltips. */
    List<String> notes(List<String> unlabelled) {
        List<String> notes = new ArrayList<>();
        if (!edges.isEmpty()) {
            notes.add("Weights on the edges are rounded to " + digits + (digits == 1 ? " digit" : " digits")
                    + " after the point; blue is positive, red negative, thicker is larger.");
        }
        if (anyBlockSummarised) {
            notes.add("Layers of more than " + DiagramLayout.MAX_NEURONS_DRAWN + " neurons show their first "
                    + DiagramLayout.HEAD + " and last " + DiagramLayout.TAIL + " neurons; edges are drawn between drawn"
                    + " neurons only.");
        }
        if (edges.size() < edgesBetweenDrawnNodes) {
            notes.add("Only the " + edges.size() + " largest of the " + edgesBetweenDrawnNodes
                    + " weights between drawn neurons are drawn; " + (edgesBetweenDrawnNodes - edges.size()) + " omitted.");
        }
        if (!unlabelled.isEmpty()) {
            notes.add("Weights into " + String.join(", ", unlabelled)
                    + " are not written on their edges (too many, or no room): hover over an edge (or read its SVG title).");
        }
        if (!links.isEmpty()) {
            Set<String> through = new HashSet<>();
            List<String> names = new ArrayList<>();
            for (Link link : links) {
                String name = "\"" + blocks.get(link.to().block()).symbol + "\"";
                if (through.add(name)) {
                    names.add(name);
                }
            }
            notes.add("Grey edges carry values into " + String.join(", ", names) + "; hover over one for its arithmetic.");
        }
        return notes;
    }

    /** The Graphviz DOT of the same picture, laid out left to right. */
    String toDot() {
        StringBuilder dot = new StringBuilder(4096);
        dot.append("digraph network {\n");
        StringBuilder label = new StringBuilder(title());
        for (String note : notes(List.of())) {
            label.append('\n').append(note);
        }
        dot.append("  graph [rankdir=LR, splines=line, nodesep=0.5, ranksep=2.2, labelloc=t, fontname=\"Helvetica\", label=\"")
                .append(Xml.dot(label.toString())).append("\"];\n");
        dot.append("  node [shape=circle, fixedsize=true, width=0.9, fontname=\"Helvetica\", fontsize=10];\n");
        dot.append("  edge [fontname=\"Helvetica\", fontsize=10, arrowsize=0.5];\n");
        for (Block block : blocks) {
            dot.append("  subgraph cluster_").append(block.node).append(" {\n    label=\"")
                    .append(Xml.dot(block.title + "\n" + String.join(", ", block.subtitle)))
                    .append("\"; style=dashed; color=\"#999999\";\n");
            for (Dot d : block.dots) {
                NetworkDiagram.dotNeuron(dot, d.id(), d.kind(), d.index(), d.name(), d.value(), digits);
            }
            dot.append("  }\n");
        }
        for (Edge edge : edges) {
            dot.append("  ").append(edge.from().id()).append(" -> ").append(edge.to().id()).append(" [label=\"")
                    .append(Xml.dot(Numbers.format(edge.weight(), digits))).append("\", tooltip=\"")
                    .append(Xml.dot(edge.name() + " = " + Numbers.format(edge.weight(), Numbers.EXACT)))
                    .append("\", color=\"").append(NetworkDiagram.colour(edge.weight())).append("\", fontcolor=\"")
                    .append(NetworkDiagram.colour(edge.weight())).append("\"];\n");
        }
        for (Link link : links) {
            dot.append("  ").append(link.from().id()).append(" -> ").append(link.to().id()).append(" [color=\"")
                    .append(LINK).append("\", tooltip=\"").append(Xml.dot(link.title())).append("\"];\n");
        }
        dot.append("}\n");
        return dot.toString();
    }
}
