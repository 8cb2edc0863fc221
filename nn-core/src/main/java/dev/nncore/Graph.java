package dev.nncore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A network's topology compiled to arrays: values live in numbered slots, the inputs first ({@code 0 .. I-1}), then
 * one per node in topological order ({@code I + n}); each node reads its source slots, several of them side by side
 * (a merge). A chain is the graph whose node {@code n} reads slot {@code n}. Immutable; the inference executor keeps
 * its buffers per thread, so a forward pass into caller buffers allocates nothing once warm.
 */
final class Graph {

    final String[] inputNames;
    final int[][] inputShapes;
    /** Per node: its layer (a shared layer appears at several nodes) and its source slots. */
    final Layer[] layers;
    final int[][] sources;
    /** Per slot: values per sample. */
    final int[] widths;
    /** Per output: its slot and name. */
    final int[] outputs;
    final String[] outputNames;
    /** Per slot: how many node inputs and outputs read it. */
    final int[] readers;
    final boolean chain;
    /** Per node: the output it writes straight into, or -1. */
    private final int[] writesOutput;
    private final ThreadLocal<Buffers> local;

    private Graph(String[] inputNames, int[][] inputShapes, Layer[] layers, int[][] sources, int[] outputs) {
        this.inputNames = inputNames;
        this.inputShapes = inputShapes;
        this.layers = layers;
        this.sources = sources;
        this.outputs = outputs;
        int inputCount = inputNames.length;
        widths = new int[inputCount + layers.length];
        for (int i = 0; i < inputCount; i++) {
            widths[i] = Reshape.product(inputShapes[i]);
        }
        for (int n = 0; n < layers.length; n++) {
            widths[inputCount + n] = layers[n].outputs();
        }
        outputNames = new String[outputs.length];
        for (int k = 0; k < outputs.length; k++) {
            outputNames[k] = slotName(outputs[k]);
        }
        readers = new int[widths.length];
        for (int[] nodeSources : sources) {
            for (int slot : nodeSources) {
                readers[slot]++;
            }
        }
        for (int slot : outputs) {
            readers[slot]++;
        }
        writesOutput = new int[layers.length];
        Arrays.fill(writesOutput, -1);
        for (int k = outputs.length - 1; k >= 0; k--) {
            if (outputs[k] >= inputCount) {
                writesOutput[outputs[k] - inputCount] = k;
            }
        }
        chain = isChain();
        local = ThreadLocal.withInitial(() -> new Buffers(this));
    }

    /** The graph of a chain of layers from one input. */
    static Graph chain(String inputName, int[] inputShape, List<Layer> layers) {
        int[][] sources = new int[layers.size()][];
        for (int n = 0; n < sources.length; n++) {
            sources[n] = new int[] {n};
        }
        return new Graph(new String[] {inputName}, new int[][] {inputShape.clone()}, layers.toArray(Layer[]::new), sources,
                new int[] {layers.size()});
    }

    private boolean isChain() {
        if (inputNames.length != 1 || outputs.length != 1 || outputs[0] != layers.length || layers.length == 0) {
            return false;
        }
        Set<Layer> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (int n = 0; n < layers.length; n++) {
            if (sources[n].length != 1 || sources[n][0] != n || !seen.add(layers[n])) {
                return false;
            }
        }
        return true;
    }

    /** Same inputs shapes, same layers per node (by equality) and same wiring. */
    boolean sameTopology(Graph other) {
        return Arrays.deepEquals(inputShapes, other.inputShapes) && Arrays.equals(layers, other.layers)
                && Arrays.deepEquals(sources, other.sources) && Arrays.equals(outputs, other.outputs);
    }

    int inputCount() {
        return inputNames.length;
    }

    int nodeCount() {
        return layers.length;
    }

    String slotName(int slot) {
        return slot < inputNames.length ? inputNames[slot] : layers[slot - inputNames.length].name();
    }

    /** The same topology with each layer replaced as {@code replace} maps it (shared layers stay shared). */
    Graph withLayers(Map<Layer, Layer> replace) {
        Layer[] replaced = new Layer[layers.length];
        for (int n = 0; n < layers.length; n++) {
            replaced[n] = replace.getOrDefault(layers[n], layers[n]);
        }
        return new Graph(inputNames, inputShapes, replaced, sources, outputs);
    }

    /** The distinct layers in node order, each once: Keras's {@code model.layers} without the inputs. */
    List<Layer> distinctLayers() {
        Set<Layer> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Layer> distinct = new ArrayList<>();
        for (Layer layer : layers) {
            if (seen.add(layer)) {
                distinct.add(layer);
            }
        }
        return List.copyOf(distinct);
    }

    /**
     * Compiles the nodes between {@code inputs} and {@code outputs}: every node an output needs, in the order they were
     * made (a topological order, since a node is made after its inputs), each unnamed layer and input given Keras's
     * default name. With a seed, layers that nodes made ({@link Node#dense}, {@link Node#then}) are drawn again.
     */
    static Graph compile(List<Node> inputs, List<Node> outputs, Long seed) {
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one input and one output, got " + inputs.size()
                    + " and " + outputs.size());
        }
        Map<Node, Integer> inputSlot = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Node input = inputs.get(i);
            if (input == null || !input.isInput()) {
                throw new IllegalArgumentException("input " + i + " must be a Node.input(...), got " + input);
            }
            if (inputSlot.put(input, i) != null) {
                throw new IllegalArgumentException("input " + i + " (" + input + ") is listed twice");
            }
        }
        List<Node> nodes = reachable(outputs, inputSlot, inputs);
        nodes.sort(Comparator.comparingLong(Node::id));
        Map<Node, Integer> nodeSlot = new IdentityHashMap<>();
        for (int n = 0; n < nodes.size(); n++) {
            nodeSlot.put(nodes.get(n), inputs.size() + n);
        }
        Layer[] layers = drawn(nodes, seed);
        String[] inputNames = names(inputs, layers);
        int[][] sources = new int[nodes.size()][];
        for (int n = 0; n < nodes.size(); n++) {
            List<Node> from = nodes.get(n).inputs();
            sources[n] = new int[from.size()];
            for (int s = 0; s < from.size(); s++) {
                Node source = from.get(s);
                sources[n][s] = source.isInput() ? inputSlot.get(source) : nodeSlot.get(source);
            }
        }
        int[] outputSlots = new int[outputs.size()];
        for (int k = 0; k < outputs.size(); k++) {
            Node output = outputs.get(k);
            outputSlots[k] = output.isInput() ? inputSlot.get(output) : nodeSlot.get(output);
            for (int earlier = 0; earlier < k; earlier++) {
                if (outputSlots[earlier] == outputSlots[k]) {
                    throw new IllegalArgumentException("output " + k + " (" + output + ") is output " + earlier
                            + " again; each output must be a different node");
                }
            }
        }
        int[][] inputShapes = inputs.stream().map(Node::shapeView).toArray(int[][]::new);
        return new Graph(inputNames, inputShapes, layers, sources, outputSlots);
    }

    /** Every node the outputs need, walked without recursion; an input outside {@code inputs} is refused. */
    private static List<Node> reachable(List<Node> outputs, Map<Node, Integer> inputSlot, List<Node> inputs) {
        Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> stack = new ArrayDeque<>();
        List<Node> nodes = new ArrayList<>();
        for (int k = 0; k < outputs.size(); k++) {
            Node output = outputs.get(k);
            if (output == null) {
                throw new IllegalArgumentException("output " + k + " is null");
            }
            stack.push(output);
        }
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            if (!seen.add(node)) {
                continue;
            }
            if (node.isInput()) {
                if (!inputSlot.containsKey(node)) {
                    throw new IllegalArgumentException("the outputs need " + node + ", which is not among the network's inputs "
                            + inputs.stream().map(Node::name).toList() + "; add it to the inputs");
                }
                continue;
            }
            nodes.add(node);
            for (Node input : node.inputs()) {
                stack.push(input);
            }
        }
        return nodes;
    }

    /** Each node's layer, drawn again from the seed where a node made it; a layer object used twice stays shared. */
    private static Layer[] drawn(List<Node> nodes, Long seed) {
        Layer[] layers = new Layer[nodes.size()];
        RandomGenerator random = seed == null ? null : new SplittableRandom(seed);
        for (int n = 0; n < layers.length; n++) {
            Node node = nodes.get(n);
            Node.Spec spec = node.spec();
            layers[n] = random == null || spec == null ? node.layer()
                    : spec.make(node.inputs().get(0).shapeView(), random);
        }
        return layers;
    }

    /**
     * Gives each unnamed input and layer Keras's default name (in place, keeping shared layers shared) and checks that
     * all names differ; returns the inputs' names.
     */
    private static String[] names(List<Node> inputs, Layer[] layers) {
        Set<String> used = new HashSet<>();
        for (Node input : inputs) {
            if (input.hasName() && !used.add(input.name())) {
                throw new IllegalArgumentException("two inputs are named \"" + input.name() + "\"; names must be unique");
            }
        }
        Map<Layer, Layer> named = new IdentityHashMap<>();
        for (Layer layer : layers) {
            if (layer.hasName() && !named.containsKey(layer)) {
                named.put(layer, layer);
                if (!used.add(layer.name())) {
                    throw new IllegalArgumentException(layer.describe() + " has the name of another layer or input; "
                            + "names must be unique");
                }
            }
        }
        Map<String, Integer> counters = new HashMap<>();
        String[] inputNames = new String[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            Node input = inputs.get(i);
            inputNames[i] = input.hasName() ? input.name() : fresh("input_layer", counters, used);
        }
        for (int n = 0; n < layers.length; n++) {
            Layer layer = layers[n];
            Layer renamed = named.get(layer);
            if (renamed == null) {
                renamed = layer.named(fresh(layer.defaultName(), counters, used));
                named.put(layer, renamed);
            }
            layers[n] = renamed;
        }
        return inputNames;
    }

    static String fresh(String base, Map<String, Integer> counters, Set<String> used) {
        String name;
        do {
            int count = counters.merge(base, 1, Integer::sum) - 1;
            name = count == 0 ? base : base + "_" + count;
        } while (used.contains(name));
        used.add(name);
        return name;
    }

    /**
     * Inference over a batch: {@code inputs[i]} holds input {@code i}'s rows, {@code results[k]} receives output
     * {@code k}'s rows.
     */
    void forward(float[][][] inputs, float[][][] results) {
        Buffers buffers = local.get();
        float[][][] values = buffers.values;
        int inputCount = inputNames.length;
        int rows = inputs[0].length;
        System.arraycopy(inputs, 0, values, 0, inputCount);
        for (int n = 0; n < layers.length; n++) {
            Layer layer = layers[n];
            float[][] in = input(n, values, buffers.scratch, rows);
            if (layer.isIdentityAtInference()) {
                values[inputCount + n] = in;
                continue;
            }
            int output = writesOutput[n];
            float[][] out = output >= 0 ? results[output] : buffers.scratch.get(n, rows, widths[inputCount + n]);
            layer.forward(in, out);
            values[inputCount + n] = out;
        }
        for (int k = 0; k < outputs.length; k++) {
            float[][] value = values[outputs[k]];
            if (value != results[k]) {
                Scratch.copy(value, results[k]);
            }
        }
        Arrays.fill(values, null);
    }

    /** Inference on one sample of a one-input, one-output graph. */
    void forwardSingle(float[] input, float[] result) {
        Buffers buffers = local.get();
        buffers.inputRow[0] = input;
        buffers.resultRow[0] = result;
        forwardSingle(buffers.inputRow, buffers.resultRow);
        buffers.inputRow[0] = null;
        buffers.resultRow[0] = null;
    }

    /** Inference on a batch of a one-input, one-output graph. */
    void forwardSingle(float[][] input, float[][] result) {
        Buffers buffers = local.get();
        buffers.inputBatch[0] = input;
        buffers.resultBatch[0] = result;
        try {
            forward(buffers.inputBatch, buffers.resultBatch);
        } finally {
            buffers.inputBatch[0] = null;
            buffers.resultBatch[0] = null;
        }
    }

    /**
     * Node {@code n}'s input: its source's values, or, for a merge, its sources' values copied side by side into a
     * buffer of the node's own.
     */
    float[][] input(int n, float[][][] values, Scratch scratch, int rows) {
        int[] from = sources[n];
        if (from.length == 1) {
            return values[from[0]];
        }
        float[][] gathered = scratch.get(layers.length + n, rows, layers[n].inputs());
        gather(from, values, gathered);
        return gathered;
    }

    void gather(int[] from, float[][][] values, float[][] gathered) {
        for (int r = 0; r < gathered.length; r++) {
            int offset = 0;
            for (int slot : from) {
                float[] row = values[slot][r];
                System.arraycopy(row, 0, gathered[r], offset, row.length);
                offset += row.length;
            }
        }
    }

    /** One thread's buffers: slot values, node outputs and merge inputs, and holders for one-input calls. */
    private static final class Buffers {
        final float[][][] values;
        final Scratch scratch;
        final float[][] inputRow = new float[1][];
        final float[][] resultRow = new float[1][];
        final float[][][] inputBatch = new float[1][][];
        final float[][][] resultBatch = new float[1][][];

        Buffers(Graph graph) {
            values = new float[graph.widths.length][][];
            scratch = new Scratch(2 * graph.layers.length);
        }
    }
}
