package dev.nncore.explain;

import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph's forward pass node by node, for {@link Explanation#of(Network, List)}: each layer call in the order of
 * {@link Network#nodes()}, its input the value of the node it reads (a merge's, the values of its nodes side by side,
 * as the graph's executor gathers them), its output the layer's own forward pass.
 */
final class GraphExplainer {

    private GraphExplainer() {
    }

    /** What the explanation and the diagram know about each node: its symbol, values and place. */
    record Walk(List<Node> nodes, List<String> symbols, List<float[]> values, List<LayerExplanation> layers,
            int[] outputNodes) {
    }

    static Explanation explain(Network network, List<float[]> inputs) {
        Walk walk = walk(network, inputs);
        List<float[]> outputs = new ArrayList<>();
        for (int node : walk.outputNodes()) {
            outputs.add(walk.values().get(node).clone());
        }
        return Explanation.ofGraph(network, inputs, walk.layers(), outputs);
    }

    /** Every node's symbol and, given inputs (or null), its values and explanation. */
    static Walk walk(Network network, List<float[]> inputs) {
        List<Node> nodes = network.nodes();
        int inputCount = network.inputNames().size();
        List<String> symbols = symbols(nodes, inputCount);
        Map<Node, Integer> index = new IdentityHashMap<>();
        for (int n = 0; n < nodes.size(); n++) {
            index.put(nodes.get(n), n);
        }
        List<float[]> values = new ArrayList<>();
        List<LayerExplanation> layers = new ArrayList<>();
        Map<Layer, Integer> uses = new IdentityHashMap<>();
        for (int n = inputCount; n < nodes.size(); n++) {
            uses.merge(nodes.get(n).layer(), 1, Integer::sum);
        }
        Map<Layer, Integer> calls = new IdentityHashMap<>();
        for (int n = 0; n < nodes.size(); n++) {
            Node node = nodes.get(n);
            if (n < inputCount) {
                values.add(inputs == null ? null : inputs.get(n));
                continue;
            }
            if (inputs == null) {
                values.add(null);
                continue;
            }
            Layer layer = node.layer();
            List<String> sourceSymbols = new ArrayList<>();
            List<float[]> sourceValues = new ArrayList<>();
            for (Node source : node.inputs()) {
                int at = index.get(source);
                sourceSymbols.add(symbols.get(at));
                sourceValues.add(values.get(at));
            }
            float[] in = sourceValues.size() == 1 ? sourceValues.get(0) : concatenated(sourceValues);
            float[] out = layer.forward(in); // what the graph's executor runs, node by node
            int number = n - inputCount + 1;
            int call = calls.merge(layer, 1, Integer::sum) - 1;
            String note = uses.get(layer) > 1 ? " (shared, call @" + call + " of " + uses.get(layer) + ")" : "";
            String title = "layer " + number + " \"" + layer.name() + "\"" + note + " <- "
                    + String.join(", ", sourceSymbols) + ": ";
            int[] inShape = node.inputs().size() == 1 ? node.inputs().get(0).shape() : new int[] {in.length};
            LayerExplainer.Step step = new LayerExplainer.Step(number, sourceSymbols.get(0), symbols.get(n), in, out,
                    inShape, node.shape(), "z_" + symbols.get(n), title, sourceSymbols);
            layers.add(LayerExplainer.explain(layer, step));
            values.add(out);
        }
        return new Walk(nodes, symbols, values, layers, outputNodes(network, nodes, inputCount));
    }

    /**
     * Each node's name in the text: an input's name, a layer's name, or for a layer called more than once its name
     * and the call counting from 0, {@code shared@1}.
     */
    static List<String> symbols(List<Node> nodes, int inputCount) {
        Map<Layer, Integer> uses = new IdentityHashMap<>();
        for (int n = inputCount; n < nodes.size(); n++) {
            uses.merge(nodes.get(n).layer(), 1, Integer::sum);
        }
        Map<Layer, Integer> seen = new IdentityHashMap<>();
        List<String> symbols = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            Node node = nodes.get(n);
            if (n < inputCount) {
                symbols.add(node.name());
                continue;
            }
            int call = seen.merge(node.layer(), 1, Integer::sum) - 1;
            symbols.add(uses.get(node.layer()) > 1 ? node.name() + "@" + call : node.name());
        }
        return symbols;
    }

    /**
     * The node of each output. Outputs are known by name; a shared layer's calls share it, so among nodes of that
     * name the last one no other node reads is taken (Keras's outputs are usually the graph's sinks), else the last.
     */
    static int[] outputNodes(Network network, List<Node> nodes, int inputCount) {
        List<String> names = network.outputNames();
        Map<Node, Boolean> read = new IdentityHashMap<>();
        for (Node node : nodes) {
            for (Node source : node.inputs()) {
                read.put(source, true);
            }
        }
        int[] result = new int[names.size()];
        for (int k = 0; k < names.size(); k++) {
            int last = -1;
            int lastSink = -1;
            for (int n = 0; n < nodes.size(); n++) {
                if (nodes.get(n).name().equals(names.get(k))) {
                    last = n;
                    if (!read.containsKey(nodes.get(n))) {
                        lastSink = n;
                    }
                }
            }
            if (last < 0) {
                throw new IllegalStateException("output \"" + names.get(k) + "\" names no node of " + network);
            }
            result[k] = lastSink >= 0 ? lastSink : last;
        }
        return result;
    }

    private static float[] concatenated(List<float[]> parts) {
        int total = 0;
        for (float[] part : parts) {
            total += part.length;
        }
        float[] all = new float[total];
        int offset = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }
}
