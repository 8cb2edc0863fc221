package dev.nncore.explain;

import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.Reshape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What a {@link NetworkDiagram} draws, independent of the output format: the columns of nodes (with large layers
 * summarised), the weighted edges kept under the edge budget, the one-to-one links through layers without a kernel,
 * the markers for layers that pass values on unchanged, and the counts the notes report.
 *
 * <p>The input is column 0 and each layer that computes something at inference has a column; a Dropout, noise or
 * Flatten layer has none, only a {@link Marker} between the columns it sits between. Node ids and edge names use
 * layer numbers (the position in {@code network.layers()} plus 1), as the explanation and the weights dump do.
 */
final class DiagramLayout {

    /** Layers of more neurons than this are drawn as their first {@link #HEAD} and last {@link #TAIL} neurons. */
    static final int MAX_NEURONS_DRAWN = 10;
    static final int HEAD = 6;
    static final int TAIL = 3;

    enum Kind { NEURON, BIAS, ELLIPSIS }

    /**
     * A drawn node; {@code index} is the neuron's index, or the number of neurons hidden for an ellipsis; {@code title}
     * is the tooltip of a bias node.
     */
    record Node(String id, Kind kind, int column, int index, String name, Float value, String title) {
    }

    /** A weighted edge; {@code name} is the video's weight name, e.g. {@code L0N1 -> L1N0} or {@code 0B -> L1N0}. */
    record Edge(Node from, Node to, float weight, String name) {
    }

    /** A value carried one to one through a layer without a kernel (BatchNormalization, an activation, ...). */
    record Link(Node from, Node to, String title) {
    }

    /**
     * A layer that passes values on unchanged at inference, drawn between column {@code afterColumn} and the next
     * (after the last column if it is the last layer); {@code lines} is its label.
     */
    record Marker(int afterColumn, int number, List<String> lines) {
    }

    final List<List<Node>> columns = new ArrayList<>();
    /** The layer of each column; null for the input. */
    final List<Layer> columnLayers = new ArrayList<>();
    final List<String> columnTitles = new ArrayList<>();
    final List<String> columnSubtitles = new ArrayList<>();
    final List<Edge> edges = new ArrayList<>();
    final List<Link> links = new ArrayList<>();
    final List<Marker> markers = new ArrayList<>();
    final int edgesBetweenDrawnNodes;
    final int parameterCount;
    final boolean anyLayerSummarised;

    DiagramLayout(Network network, float[] input, int maxEdges) {
        List<Layer> layers = network.layers();
        Explanation explanation = input == null ? null : network.explain(input);
        List<Integer> numbers = new ArrayList<>(List.of(0));
        int[] shape = network.inputShape();
        for (int number = 1; number <= layers.size(); number++) {
            Layer layer = layers.get(number - 1);
            int[] outputShape = layer.outputShape(shape);
            if (layer.isIdentityAtInference()) {
                markers.add(new Marker(numbers.size() - 1, number, markerLines(layer, number, layers.size(), shape,
                        outputShape)));
            } else {
                numbers.add(number);
            }
            shape = outputShape;
        }
        boolean summarised = false;
        for (int c = 0; c < numbers.size(); c++) {
            int number = numbers.get(c);
            Layer layer = number == 0 ? null : layers.get(number - 1);
            int size = layer == null ? network.inputs() : layer.outputs();
            float[] values = explanation == null ? null
                    : layer == null ? explanation.input() : explanation.layers().get(number - 1).outputs();
            String symbol = layer == null ? "x" : Explanation.symbol(number, layers.size());
            List<Node> column = new ArrayList<>();
            for (int i : drawnIndices(size)) {
                if (i < 0) {
                    column.add(new Node("e" + number, Kind.ELLIPSIS, c, size - HEAD - TAIL, "", null, null));
                    summarised = true;
                } else {
                    column.add(new Node("n" + number + "_" + i, Kind.NEURON, c, i, symbol + "[" + i + "]",
                            values == null ? null : values[i], null));
                }
            }
            if (c + 1 < numbers.size() && layers.get(numbers.get(c + 1) - 1) instanceof Dense next && next.useBias()) {
                column.add(new Node("b" + number, Kind.BIAS, c, -1, "bias", values == null ? null : 1f,
                        "bias node feeding layer " + numbers.get(c + 1) + " \"" + next.name() + "\": always 1"));
            }
            columns.add(column);
            columnLayers.add(layer);
            if (layer == null) {
                columnTitles.add("input");
                columnSubtitles.add(size + (size == 1 ? " value" : " values") + drawnNote(size));
            } else {
                columnTitles.add(layer.name());
                String kind = layer instanceof Dense dense ? LayerKinds.activation(dense.activation()) : LayerKinds.of(layer);
                columnSubtitles.add(kind + ", " + size + (size == 1 ? " neuron" : " neurons") + drawnNote(size));
            }
        }
        anyLayerSummarised = summarised;
        List<Edge> all = new ArrayList<>();
        for (int c = 1; c < columns.size(); c++) {
            int number = numbers.get(c);
            Layer layer = columnLayers.get(c);
            if (layer instanceof Dense dense) {
                all.addAll(weightedEdges(dense, number, columns.get(c - 1), columns.get(c)));
            } else if (layer.inputs() == layer.outputs()) {
                links.addAll(links(layer, explanation == null ? null : explanation.layers().get(number - 1),
                        columns.get(c - 1), columns.get(c)));
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
        parameterCount = network.parameterCount();
    }

    private static List<Edge> weightedEdges(Dense layer, int number, List<Node> sources, List<Node> targets) {
        float[][] kernel = layer.kernel().toArray();
        float[] bias = layer.bias().getRow(0);
        List<Edge> edges = new ArrayList<>();
        for (Node to : targets) {
            if (to.kind() != Kind.NEURON) {
                continue;
            }
            for (Node from : sources) {
                if (from.kind() == Kind.NEURON) {
                    edges.add(new Edge(from, to, kernel[from.index()][to.index()],
                            "L" + (number - 1) + "N" + from.index() + " -> L" + number + "N" + to.index()));
                } else if (from.kind() == Kind.BIAS) {
                    edges.add(new Edge(from, to, bias[to.index()], (number - 1) + "B -> L" + number + "N" + to.index()));
                }
            }
        }
        return edges;
    }

    /**
     * Neuron {@code i} to neuron {@code i}; the tooltip is the neuron's line of the explanation given an input, its
     * parameters ({@code gamma[0] = 0.5, ...}) or the layer's kind otherwise.
     */
    private static List<Link> links(Layer layer, LayerExplanation explained, List<Node> sources, List<Node> targets) {
        Map<String, float[]> vectors = LayerKinds.vectors(layer);
        List<Link> links = new ArrayList<>();
        for (Node to : targets) {
            if (to.kind() != Kind.NEURON) {
                continue;
            }
            for (Node from : sources) {
                if (from.kind() != Kind.NEURON || from.index() != to.index()) {
                    continue;
                }
                String title;
                if (explained != null) {
                    title = explained.neurons().get(to.index()).toString();
                } else if (!vectors.isEmpty()) {
                    StringJoiner parameters = new StringJoiner(", ");
                    vectors.forEach((name, vector) -> parameters.add(name + "[" + to.index() + "] = "
                            + Numbers.format(vector[to.index()], Numbers.EXACT)));
                    title = from.name() + " -> " + to.name() + ": " + parameters;
                } else {
                    title = from.name() + " -> " + to.name() + ": " + LayerKinds.of(layer);
                }
                links.add(new Link(from, to, title));
            }
        }
        return links;
    }

    /** {@code "dropout": Dropout(rate=0.2)} and {@code identity at inference: h3 = h2}. */
    private static List<String> markerLines(Layer layer, int number, int count, int[] inputShape, int[] outputShape) {
        String symbols = Explanation.symbol(number, count) + " = " + (number == 1 ? "x" : Explanation.symbol(number - 1, count));
        if (layer instanceof Reshape) {
            return List.of("\"" + layer.name() + "\": " + layer.kerasClass() + " " + LayerKinds.shape(inputShape) + " -> "
                    + LayerKinds.shape(outputShape), "same values: " + symbols);
        }
        return List.of("\"" + layer.name() + "\": " + LayerKinds.of(layer), "identity at inference: " + symbols);
    }

    /** The neuron indices drawn for a layer of {@code size}, with -1 where the ellipsis node goes. */
    static int[] drawnIndices(int size) {
        if (size <= MAX_NEURONS_DRAWN) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] drawn = new int[HEAD + 1 + TAIL];
        for (int i = 0; i < HEAD; i++) {
            drawn[i] = i;
        }
        drawn[HEAD] = -1;
        for (int i = 0; i < TAIL; i++) {
            drawn[HEAD + 1 + i] = size - TAIL + i;
        }
        return drawn;
    }

    private static String drawnNote(int size) {
        return size > MAX_NEURONS_DRAWN ? " (" + (HEAD + TAIL) + " drawn)" : "";
    }

    /** @return whether column {@code column} is a Dense layer's, whose edges carry weights */
    boolean isDense(int column) {
        return columnLayers.get(column) instanceof Dense;
    }

    /** @return the weighted edges drawn into column {@code column} */
    List<Edge> edgesInto(int column) {
        return edges.stream().filter(edge -> edge.to().column() == column).toList();
    }

    /** @return the largest |weight| drawn into {@code column}, at least a tiny positive number */
    float largestWeightInto(int column) {
        float largest = 1e-30f;
        for (Edge edge : edges) {
            if (edge.to().column() == column && Float.isFinite(edge.weight())) {
                largest = Math.max(largest, Math.abs(edge.weight()));
            }
        }
        return largest;
    }

    /** @return the most markers drawn in one gap between columns */
    int markersPerGap() {
        int most = 0;
        for (Marker marker : markers) {
            most = Math.max(most, (int) markers.stream().filter(m -> m.afterColumn() == marker.afterColumn()).count());
        }
        return most;
    }

    /** The notes under the picture: what is rounded, what is summarised, what is left out or only in tooltips. */
    List<String> notes(int digits, List<String> unlabelledColumns) {
        List<String> notes = new ArrayList<>();
        if (!edges.isEmpty()) {
            notes.add("Weights on the edges are rounded to " + digits + (digits == 1 ? " digit" : " digits")
                    + " after the point; blue is positive, red negative, thicker is larger.");
        }
        if (anyLayerSummarised) {
            notes.add("Layers of more than " + MAX_NEURONS_DRAWN + " neurons show their first " + HEAD + " and last "
                    + TAIL + " neurons; edges are drawn between drawn neurons only.");
        }
        if (edges.size() < edgesBetweenDrawnNodes) {
            notes.add("Only the " + edges.size() + " largest of the " + edgesBetweenDrawnNodes
                    + " weights between drawn neurons are drawn; " + (edgesBetweenDrawnNodes - edges.size())
                    + " omitted.");
        }
        if (!unlabelledColumns.isEmpty()) {
            notes.add("Too many edges to write on into " + String.join(", ", unlabelledColumns)
                    + ": hover over an edge (or read its SVG title) for its weight.");
        }
        Set<String> linked = new LinkedHashSet<>();
        int denseParameters = 0;
        List<String> otherParameters = new ArrayList<>();
        for (int c = 1; c < columns.size(); c++) {
            Layer layer = columnLayers.get(c);
            int column = c;
            if (layer instanceof Dense) {
                denseParameters += layer.parameterCount();
            } else {
                if (links.stream().anyMatch(link -> link.to().column() == column)) {
                    linked.add("\"" + layer.name() + "\"");
                }
                if (layer.parameterCount() > 0) {
                    otherParameters.add("\"" + layer.name() + "\"");
                }
            }
        }
        if (!linked.isEmpty()) {
            notes.add("Grey edges carry each value one to one through " + String.join(", ", linked)
                    + "; hover over one for its arithmetic.");
        }
        String others = "the " + (parameterCount - denseParameters) + " parameters of " + String.join(", ", otherParameters)
                + " are in the tooltips of the grey edges";
        if (denseParameters == parameterCount) {
            if (edges.size() < parameterCount) {
                notes.add(edges.size() + " of the network's " + parameterCount + " weights are drawn.");
            }
        } else if (edges.size() < denseParameters) {
            notes.add(edges.size() + " of the network's " + denseParameters + " Dense weights are drawn; " + others + ".");
        } else {
            notes.add(Character.toUpperCase(others.charAt(0)) + others.substring(1) + ".");
        }
        return notes;
    }

}
