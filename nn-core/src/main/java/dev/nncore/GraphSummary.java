package dev.nncore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link Network#summary()} for a graph, as Keras 2's {@code print_summary} prints a Functional model: one row per
 * layer (input layers included) with its output shape, parameter count and the tensors it is connected to, in
 * Keras's {@code model.layers} order.
 *
 * <p>The layout is Keras 2.13's for models that are not sequential-like: a line length of 98, columns ending at
 * {@code [.33, .55, .67, 1.]} of it (32, 53, 65, 98), each cell cut to its column less two spaces and the rest carried
 * to the next line, and a cell broken early after {@code "',"}, so that each connection of a merge gets its own
 * line. An input row reads {@code input_1 (InputLayer)  [(None, 5)]  0  []}; a connection is
 * {@code name[call][0]}, where {@code call} counts a shared layer's calls from 0. A shared layer has one row listing
 * every call's input. Trailing spaces are dropped, as {@link Network#summary()} drops them for a Sequential model.
 *
 * <p>Rows are ordered as Keras 2's {@code Functional} orders {@code model.layers}: by depth (the longest path to an
 * output), deepest first, and within a depth in the order a depth-first walk from the outputs first reaches them.
 */
final class GraphSummary {

    /** Column ends of Keras 2's {@code print_summary} for a Functional model: {@code [.33, .55, .67, 1.]} of 98. */
    static final int[] COLUMNS = {32, 53, 65, 98};
    static final int LINE_LENGTH = 98;

    private GraphSummary() {
    }

    /** The summary of a graph network, lines separated by {@code \n}. */
    static String of(Network network) {
        Graph graph = network.graph();
        List<Node> nodes = network.nodes();
        int inputCount = graph.inputCount();
        // a layer's calls in node order; an input is its own "layer" with one call
        Map<Object, List<Integer>> calls = new IdentityHashMap<>();
        int[] callIndex = new int[nodes.size()];
        for (int slot = 0; slot < nodes.size(); slot++) {
            List<Integer> list = calls.computeIfAbsent(owner(graph, slot), k -> new ArrayList<>());
            callIndex[slot] = list.size();
            list.add(slot);
        }
        List<Object> ordered = kerasOrder(graph, nodes.size());

        String rule = "_".repeat(LINE_LENGTH);
        StringBuilder text = new StringBuilder("Model: \"model\"\n").append(rule).append('\n');
        text.append(row("Layer (type)", "Output Shape", "Param #", "Connected to")).append('\n');
        text.append("=".repeat(LINE_LENGTH)).append('\n');
        for (int i = 0; i < ordered.size(); i++) {
            Object owner = ordered.get(i);
            List<Integer> slots = calls.get(owner);
            int first = slots.get(0);
            String cell;
            if (first < inputCount) {
                cell = row(graph.inputNames[first] + " (InputLayer)", "[" + Layer.shapeText(graph.inputShapes[first]) + "]",
                        "0", "[]");
            } else {
                Layer layer = (Layer) owner;
                List<String> connections = new ArrayList<>();
                String shape = null;
                boolean several = false;
                for (int slot : slots) {
                    for (int source : graph.sources[slot - inputCount]) {
                        connections.add("'" + graph.slotName(source) + "[" + callIndex[source] + "][0]'");
                    }
                    String own = Layer.shapeText(nodes.get(slot).shapeView());
                    several |= shape != null && !shape.equals(own);
                    shape = own;
                }
                cell = row(layer.name() + " (" + layer.kerasClass() + ")", several ? "multiple" : shape,
                        String.valueOf(layer.parameterCount()), "[" + String.join(", ", connections) + "]");
            }
            text.append(cell).append('\n');
            if (i < ordered.size() - 1) {
                text.append('\n');
            }
        }
        int total = network.parameterCount();
        int trainable = network.trainableParameterCount();
        text.append("=".repeat(LINE_LENGTH)).append('\n');
        text.append("Total params: ").append(total).append(" (").append(bytes(4L * total)).append(")\n");
        text.append("Trainable params: ").append(trainable).append(" (").append(bytes(4L * trainable)).append(")\n");
        text.append("Non-trainable params: ").append(total - trainable).append(" (").append(bytes(4L * (total - trainable)))
                .append(")\n");
        return text.append(rule).toString();
    }

    /**
     * What a slot's row belongs to, compared by identity: its layer (shared by several slots if shared), or for an
     * input the one name object the graph holds for it.
     */
    private static Object owner(Graph graph, int slot) {
        return slot < graph.inputCount() ? graph.inputNames[slot] : graph.layers[slot - graph.inputCount()];
    }

    /**
     * Keras 2's {@code Functional._init_graph_network} order: a depth-first walk from each output in turn numbers the
     * layers as it first meets them; a node's depth is the most of its readers' depths plus one (outputs 0), a
     * shared layer's the deepest of its calls; layers are listed deepest first, ties in walk order.
     */
    static List<Object> kerasOrder(Graph graph, int slotCount) {
        int inputCount = graph.inputCount();
        Map<Object, Integer> walkIndex = new IdentityHashMap<>();
        List<Integer> postOrder = new ArrayList<>();
        boolean[] finished = new boolean[slotCount];
        for (int output : graph.outputs) {
            walk(graph, output, finished, postOrder, walkIndex);
        }
        int[] nodeDepth = new int[slotCount];
        Map<Object, Integer> layerDepth = new IdentityHashMap<>();
        for (int i = postOrder.size() - 1; i >= 0; i--) {
            int slot = postOrder.get(i);
            Object owner = owner(graph, slot);
            int depth = Math.max(nodeDepth[slot], layerDepth.getOrDefault(owner, 0));
            layerDepth.put(owner, depth);
            nodeDepth[slot] = depth;
            if (slot >= inputCount) {
                for (int source : graph.sources[slot - inputCount]) {
                    nodeDepth[source] = Math.max(nodeDepth[source], depth + 1);
                }
            }
        }
        // an input no output needs (Keras keeps it, at depth 0)
        for (int slot = 0; slot < inputCount; slot++) {
            Object owner = owner(graph, slot);
            if (!layerDepth.containsKey(owner)) {
                layerDepth.put(owner, 0);
                walkIndex.put(owner, -1);
            }
        }
        TreeMap<Integer, List<Object>> byDepth = new TreeMap<>(Comparator.reverseOrder());
        layerDepth.forEach((owner, depth) -> byDepth.computeIfAbsent(depth, k -> new ArrayList<>()).add(owner));
        List<Object> ordered = new ArrayList<>();
        for (List<Object> owners : byDepth.values()) {
            owners.sort(Comparator.comparingInt(walkIndex::get));
            ordered.addAll(owners);
        }
        return ordered;
    }

    /** Keras's {@code _build_map_helper}, without recursion so that 10,000 layers cannot overflow the stack. */
    private static void walk(Graph graph, int start, boolean[] finished, List<Integer> postOrder,
            Map<Object, Integer> walkIndex) {
        int inputCount = graph.inputCount();
        Map<Integer, Integer> nextSource = new HashMap<>();
        List<Integer> stack = new ArrayList<>();
        if (finished[start]) {
            return;
        }
        stack.add(start);
        walkIndex.putIfAbsent(owner(graph, start), walkIndex.size());
        while (!stack.isEmpty()) {
            int slot = stack.get(stack.size() - 1);
            int[] sources = slot < inputCount ? new int[0] : graph.sources[slot - inputCount];
            int next = nextSource.getOrDefault(slot, 0);
            while (next < sources.length && finished[sources[next]]) {
                next++;
            }
            if (next < sources.length) {
                nextSource.put(slot, next + 1);
                int source = sources[next];
                walkIndex.putIfAbsent(owner(graph, source), walkIndex.size());
                stack.add(source);
            } else {
                stack.remove(stack.size() - 1);
                if (!finished[slot]) {
                    finished[slot] = true;
                    postOrder.add(slot);
                }
            }
        }
    }

    /**
     * One row as Keras 2's {@code print_row} prints it: each cell cut to its column less two spaces (the last column
     * to its end), or earlier just after the first {@code "),"}, {@code "},"}, {@code "],"} or {@code "',"} in what
     * fits, the rest carried to the next line; trailing spaces dropped.
     */
    static String row(String... cells) {
        String[] left = cells.clone();
        StringBuilder rows = new StringBuilder();
        while (anyLeft(left)) {
            StringBuilder line = new StringBuilder(" ");
            for (int col = 0; col < left.length; col++) {
                int start = col == 0 ? 0 : COLUMNS[col - 1];
                int space = col == left.length - 1 ? 0 : 2;
                int cutoff = Math.min(left[col].length(), Math.max(0, COLUMNS[col] - start - space));
                String fit = left[col].substring(0, cutoff);
                int early = Integer.MAX_VALUE;
                for (String end : new String[] {"),", "},", "],", "',"}) {
                    int at = fit.indexOf(end);
                    if (at >= 0) {
                        early = Math.min(early, at + end.length());
                    }
                }
                if (early != Integer.MAX_VALUE) {
                    cutoff = early;
                    fit = fit.substring(0, cutoff);
                }
                line.append(fit).append(" ".repeat(space));
                left[col] = left[col].substring(cutoff);
                line.append(" ".repeat(Math.max(0, COLUMNS[col] - line.length())));
            }
            rows.append(rows.length() == 0 ? "" : "\n").append(line.toString().stripTrailing());
        }
        return rows.toString();
    }

    private static boolean anyLeft(String[] cells) {
        for (String cell : cells) {
            if (!cell.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Keras's byte count format: {@code 36.00 Byte}, {@code 1.23 KB}, {@code 4.56 MB}. */
    private static String bytes(long count) {
        if (count < 1024) {
            return String.format(Locale.ROOT, "%.2f Byte", (double) count);
        }
        if (count < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2f KB", count / 1024.0);
        }
        return String.format(Locale.ROOT, "%.2f MB", count / (1024.0 * 1024.0));
    }
}
