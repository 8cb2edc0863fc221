package dev.nncore.onnx;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.BatchNormalization;
import dev.nncore.Dense;
import dev.nncore.Dropout;
import dev.nncore.Layer;
import dev.nncore.LayerNormalization;
import dev.nncore.Merge;
import dev.nncore.Network;
import dev.nncore.Normalization;
import dev.nncore.PReLU;
import dev.nncore.Rescaling;
import dev.nncore.Reshape;
import dev.nncore.keras.ModelFormatException;
import dev.nncore.keras.UnsupportedModelException;
import dev.nncore.onnx.OnnxModel.Attribute;
import dev.nncore.onnx.OnnxModel.Graph;
import dev.nncore.onnx.OnnxModel.Model;
import dev.nncore.onnx.OnnxModel.Node;
import dev.nncore.onnx.OnnxModel.Tensor;
import dev.nncore.onnx.OnnxModel.ValueInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Maps a decoded ONNX graph onto a {@link Network}: each graph input becomes a {@link dev.nncore.Node#input}, each
 * operator a layer applied to the nodes of its inputs (or nothing: Identity, Cast to float, a Flatten of flat data),
 * and the graph outputs the network's outputs, through {@link Network#functional}. A graph that is a chain comes out
 * {@link Network#isSequential()}. Operators are visited in a topological order computed without recursion, so a
 * cycle, a tensor nothing computes or an output nothing reaches is reported by name. Shapes are tracked per sample
 * (the batch axis, dimension 0, may be symbolic); an operator that would mix samples or that nn-core cannot compute
 * is refused with an {@link UnsupportedModelException} naming the node, its op type and opset.
 *
 * <p>This class assembles the graph: the order of the nodes, the values they compute, merges, forks, fusions
 * (a Dense with the activation nodes named after it, nn-core's own multi-node merges) and shared layers. The layers
 * themselves come from {@link OnnxLayers} (Gemm, normalisations, reshapes) and {@link ActivationPatterns}
 * (activations, single or as elementwise patterns), the attributes and constants from {@link OnnxOperands}.
 */
final class OnnxImporter {

    /** Operators of several computed inputs, which become {@link Merge} layers. */
    private static final Set<String> MERGES = Set.of("Concat", "Add", "Sub", "Mul", "Div", "Max", "Min", "Sum", "Mean");
    /**
     * Most values per sample: BatchNormalization and broadcast weights are expanded to one value per feature, so a
     * forged input shape must not make them allocate gigabytes. 16 Mi values is a 4096 x 4096 image.
     */
    static final int MAX_SAMPLE_VALUES = 1 << 24;

    /** A tensor computed by the graph: the nn-core node that computes it, and its shape per sample. */
    private record Value(dev.nncore.Node node, int[] shape) { }

    private final String source;
    private final Model model;
    private final Graph graph;
    private final Map<String, Tensor> constants = new HashMap<>();
    private final OnnxOperands operands;
    private final ActivationPatterns patterns;
    private final OnnxLayers layers;
    private final Map<String, List<Node>> consumers = new HashMap<>();
    private final Map<String, Node> producers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    /** Nodes are records whose hash reads every input name: node sets and maps go by identity, in linear time. */
    private final Set<Node> used = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<String> names = new HashSet<>();
    private final Map<String, Value> values = new HashMap<>();
    private final Set<String> patternsTried = new HashSet<>();
    /** The ONNX node each nn-core node came from: a Dense whose activation nodes carry its name gets them fused. */
    private final Map<dev.nncore.Node, String> origin = new IdentityHashMap<>();
    /** Layers by the name this reader gave them, and by the initializers they were made of, for shared layers. */
    private final Map<String, Layer> byName = new HashMap<>();
    private final Map<String, Layer> byWeights = new HashMap<>();
    /** A Dense, and the Dense with an activation it became: a second call of the same Dense fuses the same way. */
    private final Map<Layer, Layer> fusedAs = new IdentityHashMap<>();
    private final Map<Layer, Layer> unfused = new IdentityHashMap<>();
    /** An unnamed copy of a Dense that was fused, made for a second call, and that Dense. */
    private final Map<Layer, Layer> copies = new IdentityHashMap<>();
    private final Map<Layer, Integer> calls = new IdentityHashMap<>();
    /** The data of the operator being read: its nn-core node and its shape per sample. */
    private dev.nncore.Node current;
    private int[] shape;
    private long staticBatch = -1;

    OnnxImporter(String source, Model model) {
        this.source = source;
        this.model = model;
        this.graph = model.graph();
        this.operands = new OnnxOperands(source, model, constants);
        this.patterns = new ActivationPatterns(graph, operands, constants, consumers, graphOutputs);
        this.layers = new OnnxLayers(operands);
    }

    Network run() throws ModelFormatException {
        constants.putAll(graph.initializers());
        for (Node node : graph.nodes()) {
            if (!node.domain().isEmpty()) {
                throw operands.unsupported(node, "operators of domain \"" + node.domain() + "\" are not supported");
            }
            if (node.opType().equals("Constant")) {
                operands.constant(node);
                used.add(node);
            }
            for (String input : node.inputs()) {
                if (!input.isEmpty()) {
                    consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
                }
            }
            for (String output : node.outputs()) {
                if (!output.isEmpty() && producers.putIfAbsent(output, node) != null) {
                    throw operands.malformed(node, "its output \"" + output + "\" is also computed by " + producers.get(output)
                            .describe() + "; ONNX assigns each tensor once");
                }
            }
        }
        List<dev.nncore.Node> inputNodes = inputs();
        if (graph.outputs().isEmpty()) {
            throw new ModelFormatException(source + ": graph.output: the graph has no output");
        }
        for (ValueInfo output : graph.outputs()) {
            graphOutputs.add(output.name());
        }
        for (Node node : order()) {
            if (!used.contains(node)) {
                read(node);
            }
        }
        List<dev.nncore.Node> outputNodes = new ArrayList<>();
        boolean computes = false;
        for (int k = 0; k < graph.outputs().size(); k++) {
            ValueInfo output = graph.outputs().get(k);
            Value value = values.get(output.name());
            checkOutput(k, output, value);
            outputNodes.add(value.node());
            computes |= !value.node().isInput();
        }
        if (!computes) {
            throw new UnsupportedModelException(source + ": the graph computes nothing nn-core has a layer for (only"
                    + " Identity, Cast or reshapes of flat data); a network needs at least one layer");
        }
        try {
            return Network.functional(inputNodes, outputNodes);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException(source + ": the graph does not make an nn-core network: " + e.getMessage());
        }
    }

    /** The graph inputs that are not initializers, as nn-core input nodes. */
    private List<dev.nncore.Node> inputs() throws ModelFormatException {
        List<dev.nncore.Node> inputNodes = new ArrayList<>();
        for (ValueInfo input : graph.inputs()) {
            if (constants.containsKey(input.name())) {
                continue;
            }
            if (input.name().isBlank() || values.containsKey(input.name())) {
                throw new ModelFormatException(source + ": graph.input[" + inputNodes.size() + "] is named \""
                        + input.name() + "\"; each input needs a name of its own");
            }
            int[] sample = inputShape(input);
            if (inputNodes.isEmpty()) {
                staticBatch = input.shape()[0];
            } else if (staticBatch != input.shape()[0]) {
                staticBatch = -1;
            }
            if (input.elemType() != OnnxModel.FLOAT && input.elemType() != 0) {
                for (Node consumer : consumers.getOrDefault(input.name(), List.of())) {
                    if (!consumer.opType().equals("Cast") || !OnnxOperands.castsToFloat(consumer)) {
                        throw new UnsupportedModelException(source + ": graph.input[\"" + input.name() + "\"] has element"
                                + " type " + input.elemType() + "; nn-core computes in float32 and takes float inputs (or"
                                + " a Cast to float first)");
                    }
                }
            }
            dev.nncore.Node node = dev.nncore.Node.input(input.name(), sample);
            names.add(input.name());
            values.put(input.name(), new Value(node, sample));
            inputNodes.add(node);
        }
        if (inputNodes.isEmpty()) {
            throw new UnsupportedModelException(source + ": the graph has no input that is not an initializer; nn-core"
                    + " computes a function of its inputs");
        }
        return inputNodes;
    }

    /**
     * The nodes the graph outputs need, in a topological order (file order where the file allows it), found without
     * recursion: a tensor nothing computes, or a cycle, is refused naming a node that reads it.
     */
    private List<Node> order() throws ModelFormatException {
        Set<Node> needed = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<String> tensors = new ArrayDeque<>();
        for (ValueInfo output : graph.outputs()) {
            tensors.push(output.name());
        }
        while (!tensors.isEmpty()) {
            String tensor = tensors.pop();
            Node producer = producers.get(tensor);
            if (producer != null && !used.contains(producer) && needed.add(producer)) {
                for (String input : producer.inputs()) {
                    if (!input.isEmpty()) {
                        tensors.push(input);
                    }
                }
            }
        }
        Map<Node, Integer> waiting = new IdentityHashMap<>();
        PriorityQueue<Node> ready = new PriorityQueue<>(Comparator.comparingInt(Node::index));
        for (Node node : needed) {
            int count = 0;
            for (String input : node.inputs()) {
                if (input.isEmpty() || values.containsKey(input) || constants.containsKey(input)) {
                    continue;
                }
                Node producer = producers.get(input);
                if (producer == null) {
                    throw operands.malformed(node, "it reads \"" + input + "\", which no node computes and which is neither a"
                            + " graph input nor an initializer");
                }
                count++;
            }
            waiting.put(node, count);
            if (count == 0) {
                ready.add(node);
            }
        }
        List<Node> order = new ArrayList<>(needed.size());
        while (!ready.isEmpty()) {
            Node node = ready.poll();
            order.add(node);
            for (String output : node.outputs()) {
                if (output.isEmpty() || values.containsKey(output) || constants.containsKey(output)) {
                    continue; // not counted as waited for
                }
                // a consumer is listed once per input it reads this tensor at, as it was counted
                for (Node consumer : consumers.getOrDefault(output, List.of())) {
                    Integer count = waiting.get(consumer);
                    if (count != null) {
                        waiting.put(consumer, count - 1);
                        if (count == 1) {
                            ready.add(consumer);
                        }
                    }
                }
            }
        }
        if (order.size() < needed.size()) {
            Node first = null;
            for (Node node : needed) {
                if (waiting.get(node) > 0 && (first == null || node.index() < first.index())) {
                    first = node;
                }
            }
            throw operands.malformed(first, "it is on a cycle: its inputs depend on its own output");
        }
        return order;
    }

    private void checkOutput(int k, ValueInfo output, Value value) throws ModelFormatException {
        if (value == null) {
            throw new ModelFormatException(source + ": graph.output[" + k + "] (\"" + output.name() + "\") is computed by"
                    + " no node and is not a graph input");
        }
        if (output.elemType() != OnnxModel.FLOAT && output.elemType() != 0) {
            throw new UnsupportedModelException(source + ": graph.output[\"" + output.name() + "\"] has element type "
                    + output.elemType() + "; nn-core gives float outputs");
        }
        if (output.shape() != null && output.shape().length >= 2) {
            long declared = 1;
            boolean known = true;
            for (int i = 1; i < output.shape().length; i++) {
                known &= output.shape()[i] >= 0;
                declared *= Math.max(0, output.shape()[i]);
            }
            if (known && declared != product(value.shape())) {
                throw new ModelFormatException(source + ": graph.output[\"" + output.name() + "\"] declares "
                        + Arrays.toString(output.shape()) + " per batch, but the operators give " + product(value.shape())
                        + " values per sample " + Arrays.toString(value.shape()));
            }
        }
    }

    private List<Node> open(List<Node> nodes) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> out = new ArrayList<>();
        for (Node node : nodes) {
            if (!used.contains(node) && seen.add(node)) {
                out.add(node);
            }
        }
        return out;
    }

    private int[] inputShape(ValueInfo input) throws ModelFormatException {
        long[] dims = input.shape();
        if (dims == null || dims.length < 2) {
            throw new UnsupportedModelException(source + ": graph.input[\"" + input.name() + "\"] has shape "
                    + (dims == null ? "unknown" : Arrays.toString(dims)) + "; nn-core needs [batch, features...] with the"
                    + " features known");
        }
        int[] sample = new int[dims.length - 1];
        for (int i = 1; i < dims.length; i++) {
            if (dims[i] < 1 || dims[i] > Integer.MAX_VALUE) {
                throw new UnsupportedModelException(source + ": graph.input[\"" + input.name() + "\"] dimension " + i
                        + " is " + (dims[i] < 0 ? "symbolic" : dims[i]) + "; only the batch dimension (0) may be dynamic");
            }
            sample[i - 1] = (int) dims[i];
        }
        if (product(sample) < 0 || product(sample) > MAX_SAMPLE_VALUES) {
            throw new UnsupportedModelException(source + ": graph.input[\"" + input.name() + "\"] has shape "
                    + Arrays.toString(dims) + ", over " + MAX_SAMPLE_VALUES + " values per sample");
        }
        return sample;
    }

    // ---- attributes and constants ----

    // ---- the graph, node by node ----

    private void requireSingleOutput(Node node, int maxOutputs) throws ModelFormatException {
        if (node.outputs().isEmpty() || node.outputs().get(0).isEmpty()) {
            throw operands.malformed(node, "no output");
        }
        for (int i = 1; i < node.outputs().size(); i++) {
            String extra = node.outputs().get(i);
            if (extra.isEmpty()) {
                continue;
            }
            if (i >= maxOutputs || consumers.containsKey(extra) || isGraphOutput(extra)) {
                throw operands.unsupported(node, "its output " + i + " (\"" + extra + "\") is used; nn-core computes inference,"
                        + " one output per operator");
            }
        }
    }

    private boolean isGraphOutput(String name) {
        return graphOutputs.contains(name);
    }

    /**
     * Reads one operator: a merge of several computed inputs, or an operator of one computed input (the data) and
     * constant weights. A tensor read by several operators is first tried as an activation pattern, then forks.
     */
    private void read(Node node) throws ModelFormatException {
        List<Integer> data = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            String input = node.input(i);
            if (!input.isEmpty() && !constants.containsKey(input)) {
                data.add(i);
            }
        }
        if (data.isEmpty()) {
            throw operands.unsupported(node, "all its inputs are constants; nn-core computes functions of the graph inputs");
        }
        if (MERGES.contains(node.opType()) && (data.size() > 1 || node.opType().equals("Concat"))) {
            merge(node, data);
            return;
        }
        if (data.size() > 1) {
            throw operands.unsupported(node, "its inputs " + data + " are all computed by the graph; nn-core reads this operator"
                    + " with one computed input and constant weights");
        }
        String tensor = node.input(data.get(0));
        Value value = values.get(tensor);
        current = value.node();
        shape = value.shape();
        List<Node> readers = patternsTried.add(tensor) ? open(consumers.getOrDefault(tensor, List.of())) : List.of();
        if (readers.size() > 1) {
            ActivationPatterns.Match match = patterns.find(tensor, readers, used);
            if (match != null) {
                for (Node patternNode : match.nodes()) {
                    requireSingleOutput(patternNode, 1);
                }
                used.addAll(match.nodes());
                addActivation(match.activation(), match.nodes().get(match.nodes().size() - 1), match.nodes(), tensor);
                values.put(match.end(), new Value(current, shape));
                return;
            }
        }
        String out = step(node, tensor, data.get(0));
        values.put(out, new Value(current, shape));
    }

    /** Checks that the data flows into the node's first input (or either input of arithmetic), and marks it read. */
    private void take(Node node, String tensor, int slot) throws ModelFormatException {
        boolean either = Set.of("Add", "Sub", "Mul", "Div").contains(node.opType()); // arithmetic() refuses c / x
        if (slot != 0 && !(slot == 1 && either)) {
            throw operands.unsupported(node, "the data \"" + tensor + "\" enters it as input " + slot + ", not as input 0");
        }
        used.add(node);
    }

    private String step(Node node, String tensor, int slot) throws ModelFormatException {
        String op = node.opType();
        int opset = operands.opset(node);
        take(node, tensor, slot);
        String out = node.outputs().isEmpty() ? "" : node.outputs().get(0);
        switch (op) {
            case "Gemm" -> {
                requireSingleOutput(node, 1);
                add(layers.gemm(node, shape), node);
            }
            case "MatMul" -> {
                requireSingleOutput(node, 1);
                out = matMul(node, out);
            }
            case "Identity" -> requireSingleOutput(node, 1);
            case "Sum", "Max", "Min", "Mean" -> {
                requireSingleOutput(node, 1);
                if (node.inputs().size() != 1) {
                    throw operands.unsupported(node, "it takes the constant \"" + node.input(1 - slot) + "\" besides the data;"
                            + " nn-core merges computed inputs only");
                }
            }
            case "Add", "Sub", "Mul", "Div" -> {
                requireSingleOutput(node, 1);
                arithmetic(node, tensor, slot);
            }
            case "Cast" -> {
                requireSingleOutput(node, 1);
                if (!OnnxOperands.castsToFloat(node)) {
                    throw operands.unsupported(node, "a Cast to type " + operands.intAttribute(node, "to", 0) + "; nn-core computes in float32");
                }
            }
            case "Dropout" -> {
                requireSingleOutput(node, 2);
                double rate = opset < 12 ? operands.floatAttribute(node, "ratio", 0.5)
                        : Double.parseDouble(Float.toString((float) operands.scalar(node, 1, "ratio", 0.5)));
                if (operands.scalar(node, 2, "training_mode", 0) != 0) {
                    throw operands.unsupported(node, "training_mode is true; nn-core reads inference graphs");
                }
                if (!(rate >= 0 && rate < 1)) {
                    throw operands.malformed(node, "ratio " + rate + " is outside [0, 1)");
                }
                add(Dropout.of(product(shape), rate), node);
            }
            case "Flatten" -> {
                requireSingleOutput(node, 1);
                int axis = operands.axis(node, shape, operands.intAttribute(node, "axis", 1));
                if (axis != 1) {
                    throw operands.unsupported(node, "Flatten at axis " + axis + " mixes the batch axis with the features; only"
                            + " axis 1 keeps samples apart");
                }
                reshapeTo(node, new int[] {product(shape)});
            }
            case "Reshape" -> {
                requireSingleOutput(node, 1);
                reshapeTo(node, layers.reshape(node, opset, shape, staticBatch));
            }
            case "Squeeze", "Unsqueeze" -> {
                requireSingleOutput(node, 1);
                reshapeTo(node, layers.squeeze(node, opset, op.equals("Unsqueeze"), shape, staticBatch));
            }
            case "BatchNormalization" -> {
                requireSingleOutput(node, 5); // Y, then the training statistics, which must be unused
                BatchNormalization batchNormalization = layers.batchNormalization(node, opset, shape);
                flatten();
                add(batchNormalization, node);
            }
            case "LayerNormalization" -> {
                requireSingleOutput(node, 3);
                Layer layerNormalization = layers.layerNormalization(node, shape);
                flatten();
                add(layerNormalization, node);
            }
            case "PRelu" -> {
                requireSingleOutput(node, 1);
                Tensor slope = operands.constantInput(node, 1, "slope");
                if (slope == null) {
                    throw operands.malformed(node, "no slope");
                }
                float[] alpha = operands.broadcast(node, shape, slope, "slope");
                flatten();
                add(PReLU.of(alpha), node);
            }
            default -> {
                requireSingleOutput(node, 1);
                Activation activation = patterns.activation(node, opset, shape);
                if (activation == null) {
                    throw operands.unsupported(node, "nn-core has no layer for this operator (it reads the operators of dense"
                            + " networks: Gemm, MatMul+Add, activations, BatchNormalization, LayerNormalization, Flatten,"
                            + " Reshape, Dropout, Concat, Add, Sub, Mul, Max, Min, Sum, Mean, ...)");
                }
                addActivation(activation, node, List.of(node), tensor);
            }
        }
        return out;
    }

    /**
     * The name a layer made from {@code node} gets: in a graph of several outputs, the output it computes; else the
     * node's name; null (Keras's default) when that is empty or taken.
     */
    private String nameFor(Node node, String out) {
        if (graph.outputs().size() > 1 && isGraphOutput(out) && !names.contains(out)) {
            return out;
        }
        return node.name().isEmpty() || names.contains(node.name()) ? null : node.name();
    }

    private Layer named(Layer layer, String name) {
        if (name == null) {
            return layer;
        }
        Layer named = layer.named(name);
        names.add(name);
        byName.put(name, named);
        return named;
    }

    /** Applies a layer made from {@code node} to the data, or the layer it shares (see {@link #shared}). */
    private void add(Layer layer, Node node) {
        Layer shared = shared(layer, node);
        if (shared == null) {
            layer = named(layer, nameFor(node, node.outputs().isEmpty() ? "" : node.outputs().get(0)));
            String key = weightKey(node);
            if (key != null) {
                byWeights.putIfAbsent(key, layer);
            }
        } else {
            layer = shared;
        }
        apply(layer, node.name());
    }

    private void apply(Layer layer, String from) {
        current = current.apply(layer);
        origin.put(current, from);
        calls.merge(layer, 1, Integer::sum);
        shape = current.shape();
    }

    /**
     * The layer an earlier node made that {@code node} calls again, or null: the same initializers read with the same
     * attributes (a module PyTorch calls twice), or nn-core's naming of a second call, {@code <layer>/call<k>}. A
     * Dense that became a Dense with an activation comes back as an unnamed copy, which its activation then fuses
     * into the same layer.
     */
    private Layer shared(Layer candidate, Node node) {
        String key = weightKey(node);
        Layer cached = key == null ? null : byWeights.get(key);
        if (cached == null) {
            int call = node.name().lastIndexOf("/call");
            if (call > 0 && node.name().substring(call + 5).matches("[1-9][0-9]{0,8}")) {
                cached = byName.get(node.name().substring(0, call));
            }
        }
        if (cached == null) {
            return null;
        }
        cached = unfused.getOrDefault(cached, cached);
        if (!cached.equals(candidate.named(cached.name()))) {
            return null;
        }
        if (fusedAs.containsKey(cached)) {
            copies.put(candidate, cached);
            return candidate;
        }
        return cached;
    }

    /** Operator, attributes and initializer inputs of a node with weights; null for one without. */
    private String weightKey(Node node) {
        if (!Set.of("Gemm", "MatMul", "BatchNormalization", "LayerNormalization", "PRelu").contains(node.opType())) {
            return null;
        }
        StringBuilder key = new StringBuilder(node.opType());
        boolean weights = false;
        for (int i = 1; i < node.inputs().size(); i++) {
            key.append('|').append(node.input(i));
            weights |= graph.initializers().containsKey(node.input(i));
        }
        if (!weights) {
            return null;
        }
        node.attributes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> key.append('|')
                .append(e.getKey()).append('=').append(e.getValue().f()).append(',').append(e.getValue().i()).append(',')
                .append(e.getValue().s()));
        return key.toString();
    }

    /**
     * An activation right after a linear Dense whose nodes are all named {@code <dense node>/...} (as
     * {@link OnnxExporter} writes them), reading its output alone, becomes that Dense's activation; otherwise it is an
     * ActivationLayer.
     */
    private void addActivation(Activation activation, Node named, List<Node> nodes, String tensor) {
        if (current.layer() instanceof Dense dense && dense.activation().equals(Activation.LINEAR)
                && fusable(current, nodes, tensor)) {
            Layer base = copies.getOrDefault(dense, dense);
            Layer fused = fusedAs.get(base);
            if (fused == null && base == dense && calls.get(dense) == 1) {
                Dense merged = dense.useBias()
                        ? Dense.of(dense.kernel(), dense.bias(), activation) : Dense.withoutBias(dense.kernel().toArray(), activation);
                fused = byName.get(dense.name()) == dense ? merged.named(dense.name()) : merged;
                if (byName.get(dense.name()) == dense) {
                    byName.put(dense.name(), fused);
                }
                fusedAs.put(dense, fused);
                unfused.put(fused, dense);
            }
            if (fused != null && fused.activation().equals(activation)) {
                String from = origin.get(current);
                calls.merge(dense, -1, Integer::sum);
                current = current.inputs().get(0);
                apply(fused, from);
                return;
            }
        }
        if (activation.equals(Activation.SOFTMAX) || activation.equals(Activation.LOG_SOFTMAX)) {
            flatten();
        }
        add(ActivationLayer.of(product(shape), activation), named);
    }

    /**
     * Whether {@code node}'s layer may absorb the ONNX nodes that follow it: they are named {@code <its node>/...},
     * they alone read its output {@code tensor}, which is no graph output, and its layer has no other call.
     */
    private boolean fusable(dev.nncore.Node node, List<Node> following, String tensor) {
        String from = origin.get(node);
        if (from == null || from.isEmpty() || isGraphOutput(tensor)) {
            return false;
        }
        for (Node next : following) {
            if (!next.name().startsWith(from + "/")) {
                return false;
            }
        }
        for (Node reader : consumers.getOrDefault(tensor, List.of())) {
            if (!following.contains(reader)) {
                return false;
            }
        }
        Layer base = copies.getOrDefault(node.layer(), node.layer());
        return calls.getOrDefault(node.layer(), 0) == 1 || fusedAs.containsKey(base);
    }

    private void flatten() {
        if (shape.length > 1) {
            apply(Reshape.flatten(shape), "");
        }
    }

    private void reshapeTo(Node node, int[] target) throws ModelFormatException {
        if (product(target) != product(shape)) {
            throw operands.malformed(node, "reshapes " + Arrays.toString(shape) + " per sample to " + Arrays.toString(target)
                    + ", which holds another number of values");
        }
        if (Arrays.equals(target, shape)) {
            return;
        }
        add(target.length == 1 ? Reshape.flatten(shape) : Reshape.of(shape, target), node);
    }

    // ---- merges and arithmetic ----

    /**
     * An operator of several computed inputs: Concat along the first axis after the batch (or any axis with only 1s
     * before it), Add, Sub, Mul, Max, Min, Sum and Mean of inputs of one shape, each a {@link Merge}. A merge of inputs
     * with several axes works on them flattened, then reshapes the result back.
     */
    private void merge(Node node, List<Integer> data) throws ModelFormatException {
        String op = node.opType();
        requireSingleOutput(node, 1);
        for (int i = 0; i < node.inputs().size(); i++) {
            if (node.input(i).isEmpty() || constants.containsKey(node.input(i))) {
                throw operands.unsupported(node, "it mixes computed inputs with " + (node.input(i).isEmpty() ? "an absent input"
                        : "the constant \"" + node.input(i) + "\"") + "; nn-core merges computed inputs only");
            }
        }
        if (op.equals("Div")) {
            throw operands.unsupported(node, "Div of two computed inputs; nn-core's merges add, subtract, multiply, average and"
                    + " take the maximum or minimum, but do not divide");
        }
        used.add(node);
        String out = node.outputs().get(0);
        List<dev.nncore.Node> parts = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (int i : data) {
            Value value = values.get(node.input(i));
            parts.add(value.node());
            shapes.add(value.shape());
        }
        if (parts.size() == 1) {
            values.put(out, values.get(node.input(0)));
            return;
        }
        int[] first = shapes.get(0);
        int[] result = first;
        Merge.Kind kind;
        if (op.equals("Concat")) {
            kind = Merge.Kind.CONCATENATE;
            result = concatShape(node, shapes);
        } else {
            for (int[] s : shapes) {
                if (!Arrays.equals(s, first)) {
                    throw operands.unsupported(node, "its inputs have shapes " + shapes.stream().map(Arrays::toString).toList()
                            + " per sample; nn-core merges inputs of one shape (no broadcasting between computed inputs)");
                }
            }
            kind = switch (op) {
                case "Add", "Sum" -> Merge.Kind.ADD;
                case "Sub" -> Merge.Kind.SUBTRACT;
                case "Mul" -> Merge.Kind.MULTIPLY;
                case "Max" -> Merge.Kind.MAXIMUM;
                case "Min" -> Merge.Kind.MINIMUM;
                default -> Merge.Kind.AVERAGE;
            };
        }
        String name = nameFor(node, out);
        dev.nncore.Node head = parts.get(0);
        boolean nWay = kind == Merge.Kind.ADD || kind == Merge.Kind.MULTIPLY || kind == Merge.Kind.MAXIMUM
                || kind == Merge.Kind.MINIMUM;
        if (nWay && head.layer() instanceof Merge inner && inner.kind() == kind && !op.equals("Sum")
                && fusable(head, List.of(node), node.input(0))) {
            // nn-core writes a merge of more than two inputs as a chain of binary nodes named <merge>, <merge>/...
            List<dev.nncore.Node> all = new ArrayList<>(head.inputs());
            all.addAll(parts.subList(1, parts.size()));
            parts = all;
            name = byName.get(inner.name()) == inner ? inner.name() : null;
            calls.merge(inner, -1, Integer::sum);
            node = withName(node, origin.get(head));
        }
        mergeNode(Merge.of(kind, widths(parts)), name, node, parts, result);
        values.put(out, new Value(current, shape));
    }

    private static Node withName(Node node, String name) {
        return new Node(node.index(), name, node.opType(), node.domain(), node.inputs(), node.outputs(), node.attributes());
    }

    private static int[] widths(List<dev.nncore.Node> parts) {
        return parts.stream().mapToInt(dev.nncore.Node::width).toArray();
    }

    /** Applies a merge to {@code parts}, named {@code name} unless null, and reshapes a flat result to {@code result}. */
    private void mergeNode(Merge merge, String name, Node node, List<dev.nncore.Node> parts, int[] result) {
        Layer layer = name != null && byName.get(name) != null ? merge.named(name) : named(merge, name);
        if (name != null) {
            byName.put(name, layer);
        }
        current = dev.nncore.Node.merge((Merge) layer, parts.toArray(dev.nncore.Node[]::new));
        origin.put(current, node.name());
        calls.merge(layer, 1, Integer::sum);
        shape = current.shape();
        if (result.length > 1) {
            apply(Reshape.of(shape, result), "");
        }
    }

    /** The shape of a Concat whose inputs are whole samples side by side; refuses one that interleaves them. */
    private int[] concatShape(Node node, List<int[]> shapes) throws ModelFormatException {
        int[] first = shapes.get(0);
        Attribute a = node.attributes().get("axis");
        if (a == null) {
            throw operands.malformed(node, "Concat needs an axis");
        }
        long axisValue = operands.intAttribute(node, "axis", 1);
        int rank = first.length + 1;
        long normalised = axisValue < 0 ? axisValue + rank : axisValue;
        if (normalised < 0 || normalised >= rank) {
            throw operands.malformed(node, "axis " + axisValue + " is out of range for rank " + rank);
        }
        if (normalised == 0) {
            throw operands.unsupported(node, "Concat along the batch axis 0 joins samples; nn-core keeps samples apart");
        }
        int axis = (int) normalised - 1;
        int[] result = first.clone();
        result[axis] = 0;
        for (int[] s : shapes) {
            boolean fits = s.length == first.length;
            for (int i = 0; fits && i < s.length; i++) {
                fits = i == axis || s[i] == first[i];
            }
            if (!fits) {
                throw operands.malformed(node, "its inputs have shapes " + shapes.stream().map(Arrays::toString).toList()
                        + " per sample, which differ off the axis " + axisValue);
            }
            result[axis] += s[axis];
        }
        if (product(Arrays.copyOfRange(first, 0, axis)) != 1) {
            throw operands.unsupported(node, "Concat along axis " + axisValue + " of [batch] + " + Arrays.toString(first)
                    + " interleaves the inputs within a sample; nn-core's Concatenate puts whole samples side by side"
                    + " (axis 1, or the last axis of flat data)");
        }
        if (product(result) < 0 || product(result) > MAX_SAMPLE_VALUES) {
            throw operands.unsupported(node, "the result has over " + MAX_SAMPLE_VALUES + " values per sample");
        }
        return result;
    }

    /**
     * Add, Sub, Mul or Div of the data and a constant, as layers that compute exactly what the operator computes in
     * float32: one value for every feature is a {@link Rescaling} ({@code x * 1 + c}, {@code x * c + 0}; division by a
     * power of two is a multiplication by its exact inverse); one value per feature is a {@link Normalization}
     * ({@code (x - mean) / deviation}, with the deviation exactly |c| when dividing or multiplying), followed by a
     * Rescaling by -1 for a negative divisor or factor or for {@code c - x}. The exporter's Average (a Sum, then a Div
     * by the count named {@code <merge>/...}) becomes a Merge again.
     */
    private void arithmetic(Node node, String tensor, int slot) throws ModelFormatException {
        String op = node.opType();
        Tensor t = operands.constantInput(node, 1 - slot, "constant");
        if (t == null) {
            throw operands.malformed(node, op + " needs two inputs");
        }
        if (op.equals("Div") && slot == 1) {
            throw operands.unsupported(node, "it divides a constant by the data; nn-core has no layer for c / x");
        }
        if (t.floats() == null) {
            throw operands.unsupported(node, "its constant \"" + t.name() + "\" is not floating point");
        }
        if (t.dims().length > shape.length + 1) {
            throw operands.unsupported(node, "its constant of shape " + Arrays.toString(t.dims()) + " has more axes than the data");
        }
        float[] c = t.count() == 1 ? new float[] {t.floats()[0]} : operands.broadcast(node, shape, t, "constant");
        boolean uniform = true;
        for (float v : c) {
            if (!Float.isFinite(v)) {
                throw operands.unsupported(node, "its constant holds " + v + "; nn-core's layers take finite constants");
            }
            uniform &= v == c[0];
        }
        int width = product(shape);
        float v = c[0];
        if (op.equals("Div") && uniform && current.layer() instanceof Merge sum && sum.kind() == Merge.Kind.ADD
                && v == sum.parts().length && fusable(current, List.of(node), tensor)) {
            List<dev.nncore.Node> parts = current.inputs();
            String name = byName.get(sum.name()) == sum ? sum.name() : null;
            calls.merge(sum, -1, Integer::sum);
            mergeNode(Merge.of(Merge.Kind.AVERAGE, widths(parts)), name, withName(node, origin.get(current)), parts,
                    new int[] {width});
            return;
        }
        if (op.equals("Add") && uniform && current.layer() instanceof Rescaling scaled && scaled.offset() == 0
                && fusable(current, List.of(node), tensor)) {
            // nn-core writes Rescaling as Mul then Add named <layer>/...: x * scale + offset, the same two roundings
            Layer fused = Rescaling.of(width, scaled.scale(), decimal(v));
            fused = byName.get(scaled.name()) == scaled ? fused.named(scaled.name()) : fused;
            if (byName.get(scaled.name()) == scaled) {
                byName.put(scaled.name(), fused);
            }
            String from = origin.get(current);
            calls.merge(scaled, -1, Integer::sum);
            current = current.inputs().get(0);
            apply(fused, from);
            return;
        }
        if (uniform) {
            Rescaling rescaling = switch (op) {
                case "Add" -> Rescaling.of(width, 1, decimal(v));
                case "Sub" -> slot == 0 ? Rescaling.of(width, 1, -decimal(v)) : Rescaling.of(width, -1, decimal(v));
                case "Mul" -> Rescaling.of(width, decimal(v), 0);
                default -> isPowerOfTwo(v) ? Rescaling.of(width, 1 / (double) v, 0) : null;
            };
            if (rescaling != null) {
                add(rescaling, node);
                return;
            }
            c = new float[width];
            Arrays.fill(c, v);
        }
        flatten();
        width = c.length;
        float[] zeros = new float[width];
        float[] ones = new float[width];
        Arrays.fill(ones, 1f);
        Normalization normalization;
        boolean negate;
        if (op.equals("Add") || op.equals("Sub")) {
            float[] mean = new float[width];
            for (int j = 0; j < width; j++) {
                mean[j] = op.equals("Add") ? -c[j] : c[j];
            }
            normalization = Normalization.of(mean, ones, false);
            negate = slot == 1;
        } else {
            negate = c[0] < 0;
            float[] squares = new float[width];
            for (int j = 0; j < width; j++) {
                if (c[j] == 0 || (c[j] < 0) != negate) {
                    throw operands.unsupported(node, "a " + op + " by per-feature constants of mixed signs or 0 ("
                            + Arrays.toString(Arrays.copyOf(c, Math.min(width, 8))) + (width > 8 ? "..." : "") + "); nn-core"
                            + " has no exact layer for it");
                }
                squares[j] = (float) ((double) c[j] * c[j]);
                if (!Float.isFinite(squares[j])) {
                    throw operands.unsupported(node, "a " + op + " by " + c[j] + ", whose square nn-core's Normalization would hold"
                            + " as its variance, is beyond float32");
                }
            }
            // the deviation Normalization divides (multiplies) by must be exactly |c|: the inverse layer shows it
            float[] deviation = Normalization.of(zeros, squares, true).forward(ones);
            for (int j = 0; j < width; j++) {
                if (deviation[j] != Math.abs(c[j])) {
                    throw operands.unsupported(node, "a " + op + " by " + c[j] + ", which nn-core's Normalization cannot represent"
                            + " exactly (its deviation would be " + deviation[j] + ")");
                }
            }
            normalization = Normalization.of(zeros, squares, op.equals("Mul"));
        }
        add(normalization, node);
        if (negate) {
            apply(Rescaling.of(width, -1, 0), "");
        }
    }

    /** The shortest decimal that rounds to {@code v} (0.1, not 0.10000000149): the double nn-core wrote as float32. */
    private static double decimal(float v) {
        return Double.parseDouble(Float.toString(v));
    }

    private static boolean isPowerOfTwo(float v) {
        float inverse = 1 / v;
        return v != 0 && Float.isFinite(inverse) && Math.getExponent(v) >= Float.MIN_EXPONENT
                && Math.getExponent(inverse) >= Float.MIN_EXPONENT && Math.abs(v) == Math.scalb(1f, Math.getExponent(v));
    }

    private String matMul(Node node, String out) throws ModelFormatException {
        Tensor w = operands.constantInput(node, 1, "weight");
        if (w == null) {
            throw operands.malformed(node, "MatMul needs two inputs");
        }
        if (w.floats() == null || w.dims().length != 2) {
            throw operands.unsupported(node, "the weight must be a float matrix [in, out], got shape " + Arrays.toString(w.dims()));
        }
        if (shape.length != 1) {
            throw operands.unsupported(node, "MatMul of data shaped [batch] + " + Arrays.toString(shape) + " applies the weight to"
                    + " each row of a sample; nn-core's Dense takes flat samples ([batch, features])");
        }
        int in = (int) w.dims()[0];
        int units = (int) w.dims()[1];
        if (in != shape[0]) {
            throw operands.malformed(node, "the weight has shape " + Arrays.toString(w.dims()) + ", but the data has " + shape[0]
                    + " values per sample");
        }
        float[][] kernel = new float[in][units];
        for (int i = 0; i < in; i++) {
            System.arraycopy(w.floats(), i * units, kernel[i], 0, units);
        }
        List<Node> next = open(consumers.getOrDefault(out, List.of()));
        if (next.size() == 1 && next.get(0).opType().equals("Add") && !isGraphOutput(out)) {
            Node add = next.get(0);
            int dataSlot = add.input(0).equals(out) ? 0 : 1;
            String biasName = add.input(1 - dataSlot);
            Tensor bias = constants.get(biasName);
            if (bias != null && add.inputs().size() == 2) {
                requireSingleOutput(add, 1);
                used.add(add);
                add(Dense.of(kernel, operands.vector(add, bias, units, "bias"), Activation.LINEAR), node);
                return add.outputs().get(0);
            }
        }
        add(Dense.withoutBias(kernel, Activation.LINEAR), node);
        return out;
    }

    // ---- activations ----

    static int product(int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return (int) n;
    }
}
