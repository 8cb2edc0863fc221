package dev.nncore.explain;

import dev.nncore.Dense;
import dev.nncore.Network;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a {@link NetworkDiagram} draws, independent of the output format: the columns of nodes (with large layers
 * summarised), the edges kept under the edge budget, and the counts the notes report.
 */
final class DiagramLayout {

    /** Layers of more neurons than this are drawn as their first {@link #HEAD} and last {@link #TAIL} neurons. */
    static final int MAX_NEURONS_DRAWN = 10;
    static final int HEAD = 6;
    static final int TAIL = 3;

    enum Kind { NEURON, BIAS, ELLIPSIS }

    /** A drawn node; {@code index} is the neuron's index, or the number of neurons hidden for an ellipsis. */
    record Node(String id, Kind kind, int column, int index, String name, Float value) {
    }

    /** A drawn edge; {@code name} is the video's weight name, e.g. {@code L0N1 -> L1N0} or {@code 0B -> L1N0}. */
    record Edge(Node from, Node to, float weight, String name) {
    }

    final List<List<Node>> columns = new ArrayList<>();
    final List<String> columnTitles = new ArrayList<>();
    final List<String> columnSubtitles = new ArrayList<>();
    final List<Edge> edges = new ArrayList<>();
    final int edgesBetweenDrawnNodes;
    final int parameterCount;
    final boolean anyLayerSummarised;

    DiagramLayout(Network network, float[] input, int maxEdges) {
        List<Dense> layers = network.layers().stream().map(layer -> (Dense) layer).toList(); // TODO layers
        Explanation explanation = input == null ? null : network.explain(input);
        int lastColumn = layers.size();
        boolean summarised = false;
        for (int c = 0; c <= lastColumn; c++) {
            int size = c == 0 ? network.inputs() : layers.get(c - 1).units();
            float[] values = explanation == null ? null : c == 0 ? explanation.input() : explanation.layers().get(c - 1).outputs();
            String symbol = c == 0 ? "x" : c == lastColumn ? "y" : "h" + c;
            List<Node> column = new ArrayList<>();
            for (int i : drawnIndices(size)) {
                if (i < 0) {
                    column.add(new Node("e" + c, Kind.ELLIPSIS, c, size - HEAD - TAIL, "", null));
                    summarised = true;
                } else {
                    column.add(new Node("n" + c + "_" + i, Kind.NEURON, c, i, symbol + "[" + i + "]",
                            values == null ? null : values[i]));
                }
            }
            if (c < lastColumn) {
                column.add(new Node("b" + c, Kind.BIAS, c, -1, "bias", values == null ? null : 1f));
            }
            columns.add(column);
            if (c == 0) {
                columnTitles.add("input");
                columnSubtitles.add(size + (size == 1 ? " value" : " values") + drawnNote(size));
            } else {
                Dense layer = layers.get(c - 1);
                columnTitles.add(layer.name());
                columnSubtitles.add(layer.activation().kerasName() + ", " + size + (size == 1 ? " neuron" : " neurons")
                        + drawnNote(size));
            }
        }
        anyLayerSummarised = summarised;
        List<Edge> all = new ArrayList<>();
        for (int l = 1; l <= lastColumn; l++) {
            Dense layer = layers.get(l - 1);
            float[][] kernel = layer.kernel().toArray();
            float[] bias = layer.bias().getRow(0);
            for (Node to : columns.get(l)) {
                if (to.kind() != Kind.NEURON) {
                    continue;
                }
                for (Node from : columns.get(l - 1)) {
                    if (from.kind() == Kind.NEURON) {
                        all.add(new Edge(from, to, kernel[from.index()][to.index()],
                                "L" + (l - 1) + "N" + from.index() + " -> L" + l + "N" + to.index()));
                    } else if (from.kind() == Kind.BIAS) {
                        all.add(new Edge(from, to, bias[to.index()], (l - 1) + "B -> L" + l + "N" + to.index()));
                    }
                }
            }
        }
        edgesBetweenDrawnNodes = all.size();
        if (all.size() > maxEdges) {
            List<Edge> largest = new ArrayList<>(all);
            largest.sort(Comparator.comparingDouble((Edge e) -> -Math.abs(e.weight())));
            List<Edge> kept = largest.subList(0, maxEdges);
            all.removeIf(edge -> !kept.contains(edge));
        }
        edges.addAll(all);
        parameterCount = network.parameterCount();
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

    /** @return the edges drawn into column {@code column} */
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

    /** The notes under the picture: what is rounded, what is summarised, what is left out or only in tooltips. */
    List<String> notes(int digits, List<String> unlabelledColumns) {
        List<String> notes = new ArrayList<>();
        notes.add("Weights on the edges are rounded to " + digits + (digits == 1 ? " digit" : " digits")
                + " after the point; blue is positive, red negative, thicker is larger.");
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
        if (edges.size() < parameterCount) {
            notes.add(edges.size() + " of the network's " + parameterCount + " weights are drawn.");
        }
        return notes;
    }
}
