package dev.nncore.onnx;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.BatchNormalization;
import dev.nncore.Dense;
import dev.nncore.Dropout;
import dev.nncore.Layer;
import dev.nncore.LayerNormalization;
import dev.nncore.Network;
import dev.nncore.PReLU;
import dev.nncore.Reshape;
import dev.nncore.keras.ModelFormatException;
import dev.nncore.keras.UnsupportedModelException;
import dev.nncore.math.Matrix;
import dev.nncore.onnx.OnnxModel.Attribute;
import dev.nncore.onnx.OnnxModel.Graph;
import dev.nncore.onnx.OnnxModel.Model;
import dev.nncore.onnx.OnnxModel.Node;
import dev.nncore.onnx.OnnxModel.Tensor;
import dev.nncore.onnx.OnnxModel.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a decoded ONNX graph onto a {@link Network}: a chain of operators from the one graph input to the one graph
 * output, each becoming a layer (or nothing: Identity, Cast to float, a Flatten of flat data). Shapes are tracked per
 * sample (the batch axis, dimension 0, may be symbolic); an operator that would mix samples or that nn-core cannot
 * compute is refused with an {@link UnsupportedModelException} naming the node, its op type and opset.
 */
final class OnnxImporter {

    /** The elementwise activations a multi-node pattern (e.g. PyTorch's Erf form of GELU) is compared against. */
    private static final Activation[] PATTERNS = {Activation.GELU, Activation.gelu(true), Activation.SILU,
        Activation.MISH, Activation.HARD_SILU};
    private static final int MAX_PATTERN_NODES = 24;
    /**
     * Most values per sample: BatchNormalization and broadcast weights are expanded to one value per feature, so a
     * forged input shape must not make them allocate gigabytes. 16 Mi values is a 4096 x 4096 image.
     */
    static final int MAX_SAMPLE_VALUES = 1 << 24;

    private final String source;
    private final Model model;
    private final Graph graph;
    private final Map<String, Tensor> constants = new HashMap<>();
    private final Map<String, List<Node>> consumers = new HashMap<>();
    private final Set<Node> used = new HashSet<>();
    private final Set<String> names = new HashSet<>();
    private final List<Layer> layers = new ArrayList<>();
    /** For each layer, the nodes it came from: a Dense whose activation nodes carry its name gets them fused. */
    private final List<String> layerNodeName = new ArrayList<>();
    /** For each layer, the name it was given, or null when Network gives it a default. */
    private final List<String> layerName = new ArrayList<>();
    private int[] shape;
    private long staticBatch = -1;

    OnnxImporter(String source, Model model) {
        this.source = source;
        this.model = model;
        this.graph = model.graph();
    }

    Network run() throws ModelFormatException {
        constants.putAll(graph.initializers());
        for (Node node : graph.nodes()) {
            if (!node.domain().isEmpty()) {
                throw unsupported(node, "operators of domain \"" + node.domain() + "\" are not supported");
            }
            if (node.opType().equals("Constant")) {
                constant(node);
            }
            for (String input : node.inputs()) {
                if (!input.isEmpty()) {
                    consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
                }
            }
        }
        List<ValueInfo> inputs = new ArrayList<>();
        for (ValueInfo input : graph.inputs()) {
            if (!constants.containsKey(input.name())) {
                inputs.add(input);
            }
        }
        if (inputs.size() != 1 || graph.outputs().size() != 1) {
            throw new UnsupportedModelException(source + ": the graph has " + inputs.size() + " inputs and "
                    + graph.outputs().size() + " outputs; nn-core reads a chain from one input to one output (graphs of"
                    + " several inputs or outputs need the Functional graphs issue)");
        }
        ValueInfo input = inputs.get(0);
        ValueInfo output = graph.outputs().get(0);
        shape = inputShape(input);
        int[] networkInputShape = shape.clone();
        String current = input.name();
        boolean first = true;
        while (true) {
            List<Node> next = open(consumers.getOrDefault(current, List.of()));
            if (next.isEmpty()) {
                break;
            }
            if (first && input.elemType() != OnnxModel.FLOAT && input.elemType() != 0
                    && !(next.size() == 1 && next.get(0).opType().equals("Cast") && castsToFloat(next.get(0)))) {
                throw new UnsupportedModelException(source + ": graph.input[\"" + input.name() + "\"] has element type "
                        + input.elemType() + "; nn-core computes in float32 and takes float inputs (or a Cast to float first)");
            }
            first = false;
            if (next.size() > 1) {
                current = pattern(current, next);
            } else {
                current = step(next.get(0), current);
            }
            if (current.equals(output.name()) && open(consumers.getOrDefault(current, List.of())).isEmpty()) {
                break;
            }
        }
        if (!current.equals(output.name())) {
            throw new UnsupportedModelException(source + ": the chain from input \"" + input.name() + "\" ends at \""
                    + current + "\", not at the graph output \"" + output.name() + "\"; nn-core reads a chain of"
                    + " operators from one input to one output");
        }
        for (Node node : graph.nodes()) {
            if (!used.contains(node)) {
                throw unsupported(node, "the node is not on the chain from the input to the output (a branch or an"
                        + " unused node); graphs need the Functional graphs issue");
            }
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
            if (known && declared != product(shape)) {
                throw new ModelFormatException(source + ": graph.output[\"" + output.name() + "\"] declares "
                        + Arrays.toString(output.shape()) + " per batch, but the operators give " + product(shape)
                        + " values per sample " + Arrays.toString(shape));
            }
        }
        if (layers.isEmpty()) {
            throw new UnsupportedModelException(source + ": the graph computes nothing nn-core has a layer for (only"
                    + " Identity, Cast or reshapes of flat data); a network needs at least one layer");
        }
        try {
            return Network.of(networkInputShape, layers);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": the layers do not fit together: " + e.getMessage(), e);
        }
    }

    private List<Node> open(List<Node> nodes) {
        List<Node> out = new ArrayList<>();
        for (Node node : nodes) {
            if (!used.contains(node) && !out.contains(node)) {
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
        staticBatch = dims[0];
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

    private int opset(Node node) {
        Long version = model.opsets().get(node.domain());
        return version == null ? model.opset() : version.intValue();
    }

    UnsupportedModelException unsupported(Node node, String why) {
        return new UnsupportedModelException(source + ": graph." + "node[" + node.index() + "]: " + node.opType()
                + (node.name().isEmpty() ? "" : " node \"" + node.name() + "\"") + " (opset " + opset(node) + ") is not"
                + " supported: " + why);
    }

    private ModelFormatException malformed(Node node, String why) {
        return new ModelFormatException(source + ": graph.node[" + node.index() + "] " + node.opType()
                + (node.name().isEmpty() ? "" : " \"" + node.name() + "\"") + ": " + why);
    }

    // ---- attributes and constants ----

    private long intAttribute(Node node, String name, long fallback) throws ModelFormatException {
        Attribute a = node.attributes().get(name);
        if (a == null) {
            return fallback;
        }
        if (a.type() != Attribute.INT) {
            throw malformed(node, "attribute " + name + " has type " + a.type() + ", expected INT");
        }
        return a.i();
    }

    /**
     * A float attribute as the shortest decimal that rounds to it ({@code 0.1f} gives 0.1, not 0.10000000149), so that
     * the epsilons and slopes nn-core wrote as float32 come back as the doubles they were.
     */
    private double floatAttribute(Node node, String name, double fallback) throws ModelFormatException {
        Attribute a = node.attributes().get(name);
        if (a == null) {
            return fallback;
        }
        if (a.type() != Attribute.FLOAT) {
            throw malformed(node, "attribute " + name + " has type " + a.type() + ", expected FLOAT");
        }
        if (!Float.isFinite(a.f())) {
            throw malformed(node, "attribute " + name + " is " + a.f());
        }
        return Double.parseDouble(Float.toString(a.f()));
    }

    private long[] intsAttribute(Node node, String name) throws ModelFormatException {
        Attribute a = node.attributes().get(name);
        if (a == null) {
            return null;
        }
        if (a.type() != Attribute.INTS) {
            throw malformed(node, "attribute " + name + " has type " + a.type() + ", expected INTS");
        }
        return a.ints();
    }

    private void constant(Node node) throws ModelFormatException {
        if (node.outputs().size() != 1 || node.attributes().size() != 1) {
            throw malformed(node, "a Constant needs one output and one value attribute");
        }
        Attribute a = node.attributes().values().iterator().next();
        String name = node.outputs().get(0);
        Tensor tensor = switch (a.name()) {
            case "value" -> {
                if (a.t() == null) {
                    throw malformed(node, "attribute value holds no tensor");
                }
                yield a.t();
            }
            case "value_float" -> new Tensor(name, OnnxModel.FLOAT, new long[0], new float[] {a.f()}, null);
            case "value_floats" -> new Tensor(name, OnnxModel.FLOAT, new long[] {a.floats().length}, a.floats(), null);
            case "value_int" -> new Tensor(name, OnnxModel.INT64, new long[0], null, new long[] {a.i()});
            case "value_ints" -> new Tensor(name, OnnxModel.INT64, new long[] {a.ints().length}, null, a.ints());
            default -> throw unsupported(node, "a constant given as " + a.name());
        };
        constants.put(name, tensor);
        used.add(node);
    }

    /** @return the constant an input names, or null when the input is absent (""); refuses a computed input */
    private Tensor constantInput(Node node, int index, String what) throws ModelFormatException {
        String name = node.input(index);
        if (name.isEmpty()) {
            return null;
        }
        Tensor tensor = constants.get(name);
        if (tensor == null) {
            throw unsupported(node, "its " + what + " (input " + index + ", \"" + name + "\") is computed by the graph,"
                    + " not a constant; nn-core needs it stored in the file");
        }
        return tensor;
    }

    private double scalar(Node node, int index, String what, double fallback) throws ModelFormatException {
        Tensor tensor = constantInput(node, index, what);
        if (tensor == null) {
            return fallback;
        }
        if (tensor.count() != 1) {
            throw unsupported(node, "its " + what + " has shape " + Arrays.toString(tensor.dims()) + ", not one value");
        }
        return tensor.values()[0];
    }

    private static boolean castsToFloat(Node node) {
        Attribute to = node.attributes().get("to");
        return to != null && to.i() == OnnxModel.FLOAT;
    }

    // ---- the chain ----

    private void requireSingleOutput(Node node, int maxOutputs) throws ModelFormatException {
        if (node.outputs().isEmpty() || node.outputs().get(0).isEmpty()) {
            throw malformed(node, "no output");
        }
        for (int i = 1; i < node.outputs().size(); i++) {
            String extra = node.outputs().get(i);
            if (extra.isEmpty()) {
                continue;
            }
            if (i >= maxOutputs || consumers.containsKey(extra) || isGraphOutput(extra)) {
                throw unsupported(node, "its output " + i + " (\"" + extra + "\") is used; nn-core computes inference,"
                        + " one output per operator");
            }
        }
    }

    private boolean isGraphOutput(String name) {
        for (ValueInfo output : graph.outputs()) {
            if (output.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Checks that the data flows into the node's first input only, and marks it read. */
    private void take(Node node, String current) throws ModelFormatException {
        if (!node.input(0).equals(current)) {
            throw unsupported(node, "the data \"" + current + "\" enters it as a later input, not as input 0");
        }
        for (int i = 1; i < node.inputs().size(); i++) {
            String other = node.input(i);
            if (!other.isEmpty() && !constants.containsKey(other)) {
                throw unsupported(node, "its input " + i + " (\"" + other + "\") is computed by another branch of the"
                        + " graph; graphs need the Functional graphs issue");
            }
        }
        used.add(node);
    }

    private String step(Node node, String current) throws ModelFormatException {
        String op = node.opType();
        int opset = opset(node);
        take(node, current);
        String out = node.outputs().isEmpty() ? "" : node.outputs().get(0);
        switch (op) {
            case "Gemm" -> {
                requireSingleOutput(node, 1);
                gemm(node);
            }
            case "MatMul" -> {
                requireSingleOutput(node, 1);
                out = matMul(node, out);
            }
            case "Identity" -> requireSingleOutput(node, 1);
            case "Cast" -> {
                requireSingleOutput(node, 1);
                if (!castsToFloat(node)) {
                    throw unsupported(node, "a Cast to type " + intAttribute(node, "to", 0) + "; nn-core computes in float32");
                }
            }
            case "Dropout" -> {
                requireSingleOutput(node, 2);
                double rate = opset < 12 ? floatAttribute(node, "ratio", 0.5)
                        : Double.parseDouble(Float.toString((float) scalar(node, 1, "ratio", 0.5)));
                if (scalar(node, 2, "training_mode", 0) != 0) {
                    throw unsupported(node, "training_mode is true; nn-core reads inference graphs");
                }
                if (!(rate >= 0 && rate < 1)) {
                    throw malformed(node, "ratio " + rate + " is outside [0, 1)");
                }
                add(Dropout.of(product(shape), rate), node);
            }
            case "Flatten" -> {
                requireSingleOutput(node, 1);
                int axis = axis(node, intAttribute(node, "axis", 1));
                if (axis != 1) {
                    throw unsupported(node, "Flatten at axis " + axis + " mixes the batch axis with the features; only"
                            + " axis 1 keeps samples apart");
                }
                reshapeTo(node, new int[] {product(shape)});
            }
            case "Reshape" -> {
                requireSingleOutput(node, 1);
                reshape(node, opset);
            }
            case "Squeeze", "Unsqueeze" -> {
                requireSingleOutput(node, 1);
                squeeze(node, opset, op.equals("Unsqueeze"));
            }
            case "BatchNormalization" -> {
                requireSingleOutput(node, 5); // Y, then the training statistics, which must be unused
                batchNormalization(node, opset);
            }
            case "LayerNormalization" -> {
                requireSingleOutput(node, 3);
                layerNormalization(node);
            }
            case "PRelu" -> {
                requireSingleOutput(node, 1);
                Tensor slope = constantInput(node, 1, "slope");
                if (slope == null) {
                    throw malformed(node, "no slope");
                }
                float[] alpha = broadcast(node, slope, "slope");
                flatten();
                add(PReLU.of(alpha), node);
            }
            default -> {
                requireSingleOutput(node, 1);
                Activation activation = activation(node, opset);
                if (activation == null) {
                    throw unsupported(node, "nn-core has no layer for this operator (it reads the operators of dense"
                            + " networks: Gemm, MatMul+Add, activations, BatchNormalization, LayerNormalization, Flatten,"
                            + " Reshape, Dropout, ...)");
                }
                addActivation(activation, node, List.of(node));
            }
        }
        return out;
    }

    private void add(Layer layer, Node node) {
        String name = node.name();
        boolean named = !name.isEmpty() && names.add(name);
        if (named) {
            layer = layer.named(name);
        }
        layers.add(layer);
        layerNodeName.add(name);
        layerName.add(named ? name : null);
        shape = layer.outputShape(shape);
    }

    /**
     * An activation right after a linear Dense whose nodes are all named {@code <dense name>/...} (as
     * {@link OnnxExporter} writes them) becomes that Dense's activation; otherwise it is an ActivationLayer.
     */
    private void addActivation(Activation activation, Node named, List<Node> nodes) {
        int last = layers.size() - 1;
        if (last >= 0 && layers.get(last) instanceof Dense dense && dense.activation().equals(Activation.LINEAR)
                && !layerNodeName.get(last).isEmpty()) {
            String prefix = layerNodeName.get(last) + "/";
            boolean fused = true;
            for (Node node : nodes) {
                fused &= node.name().startsWith(prefix);
            }
            if (fused) {
                Dense merged = dense.useBias()
                        ? Dense.of(dense.kernel(), dense.bias(), activation) : Dense.withoutBias(dense.kernel().toArray(), activation);
                layers.set(last, layerName.get(last) != null ? merged.named(layerName.get(last)) : merged);
                return;
            }
        }
        if (activation.equals(Activation.SOFTMAX) || activation.equals(Activation.LOG_SOFTMAX)) {
            flatten();
        }
        add(ActivationLayer.of(product(shape), activation), named);
    }

    private void flatten() {
        if (shape.length > 1) {
            Reshape flatten = Reshape.flatten(shape);
            layers.add(flatten);
            layerNodeName.add("");
            layerName.add(null);
            shape = flatten.outputShape(shape);
        }
    }

    private void reshapeTo(Node node, int[] target) throws ModelFormatException {
        if (product(target) != product(shape)) {
            throw malformed(node, "reshapes " + Arrays.toString(shape) + " per sample to " + Arrays.toString(target)
                    + ", which holds another number of values");
        }
        if (Arrays.equals(target, shape)) {
            return;
        }
        add(target.length == 1 ? Reshape.flatten(shape) : Reshape.of(shape, target), node);
    }

    /** The axis normalised against the rank with the batch axis, checked. */
    private int axis(Node node, long axis) throws ModelFormatException {
        int rank = shape.length + 1;
        long normalised = axis < 0 ? axis + rank : axis;
        if (normalised < 0 || normalised >= rank) {
            throw malformed(node, "axis " + axis + " is out of range for rank " + rank);
        }
        return (int) normalised;
    }

    private void gemm(Node node) throws ModelFormatException {
        if (intAttribute(node, "transA", 0) != 0) {
            throw unsupported(node, "transA = 1 would transpose the batch of inputs (A is the data)");
        }
        boolean transB = intAttribute(node, "transB", 0) != 0;
        double alpha = floatAttribute(node, "alpha", 1);
        double beta = floatAttribute(node, "beta", 1);
        if (node.inputs().size() < 2) {
            throw malformed(node, "Gemm needs inputs A and B");
        }
        Tensor b = constantInput(node, 1, "weight B");
        if (b == null) {
            throw malformed(node, "Gemm needs inputs A and B");
        }
        if (b.floats() == null || b.dims().length != 2) {
            throw unsupported(node, "B must be a float matrix, got shape " + Arrays.toString(b.dims()) + " of type " + b.dataType());
        }
        if (shape.length != 1) {
            throw malformed(node, "Gemm takes a matrix A, but the data has shape [batch] + " + Arrays.toString(shape));
        }
        int rows = (int) b.dims()[0];
        int cols = (int) b.dims()[1];
        int in = transB ? cols : rows;
        int units = transB ? rows : cols;
        if (in != shape[0]) {
            throw malformed(node, "B has shape " + Arrays.toString(b.dims()) + (transB ? " (transposed)" : "")
                    + ", so it takes " + in + " inputs, but the data has " + shape[0] + " per sample");
        }
        float[][] kernel = new float[in][units];
        float[] values = b.floats();
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < units; j++) {
                float v = transB ? values[j * cols + i] : values[i * cols + j];
                kernel[i][j] = alpha == 1 ? v : (float) (alpha * v);
            }
        }
        Tensor c = constantInput(node, 2, "bias C");
        if (c == null) {
            add(Dense.withoutBias(kernel, Activation.LINEAR), node);
            return;
        }
        float[] bias = vector(node, c, units, "bias C");
        if (beta != 1) {
            for (int j = 0; j < units; j++) {
                bias[j] = (float) (beta * bias[j]);
            }
        }
        add(Dense.of(kernel, bias, Activation.LINEAR), node);
    }

    /** A bias broadcast along the batch: shape [], [1], [n] or [1, n]; anything per row is refused. */
    private float[] vector(Node node, Tensor t, int n, String what) throws ModelFormatException {
        if (t.floats() == null) {
            throw unsupported(node, "its " + what + " has element type " + t.dataType() + ", not a floating type");
        }
        long[] d = t.dims();
        long count = t.count();
        boolean rowVector = d.length <= 2 && (count == 1 || count == n) && (d.length < 2 || d[0] == 1);
        if (!rowVector) {
            throw unsupported(node, "its " + what + " has shape " + Arrays.toString(d) + "; nn-core adds one bias to every"
                    + " sample ([" + n + "] or [1, " + n + "])");
        }
        float[] out = new float[n];
        for (int j = 0; j < n; j++) {
            out[j] = t.floats()[count == 1 ? 0 : j];
        }
        return out;
    }

    private String matMul(Node node, String out) throws ModelFormatException {
        Tensor w = constantInput(node, 1, "weight");
        if (w == null) {
            throw malformed(node, "MatMul needs two inputs");
        }
        if (w.floats() == null || w.dims().length != 2) {
            throw unsupported(node, "the weight must be a float matrix [in, out], got shape " + Arrays.toString(w.dims()));
        }
        if (shape.length != 1) {
            throw unsupported(node, "MatMul of data shaped [batch] + " + Arrays.toString(shape) + " applies the weight to"
                    + " each row of a sample; nn-core's Dense takes flat samples ([batch, features])");
        }
        int in = (int) w.dims()[0];
        int units = (int) w.dims()[1];
        if (in != shape[0]) {
            throw malformed(node, "the weight has shape " + Arrays.toString(w.dims()) + ", but the data has " + shape[0]
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
                add(Dense.of(kernel, vector(add, bias, units, "bias"), Activation.LINEAR), node);
                return add.outputs().get(0);
            }
        }
        add(Dense.withoutBias(kernel, Activation.LINEAR), node);
        return out;
    }

    private void reshape(Node node, int opset) throws ModelFormatException {
        long[] target;
        if (opset < 5) {
            target = intsAttribute(node, "shape");
        } else {
            Tensor t = constantInput(node, 1, "shape");
            target = t == null ? null : t.ints();
        }
        if (target == null) {
            throw malformed(node, "no target shape");
        }
        if (target.length < 1) {
            throw unsupported(node, "the target shape " + Arrays.toString(target) + " drops the batch axis");
        }
        boolean allowZero = intAttribute(node, "allowzero", 0) != 0;
        int[] full = new int[shape.length + 1];
        full[0] = -1;
        System.arraycopy(shape, 0, full, 1, shape.length);
        long known = 1;
        int unknown = -1;
        int[] sample = new int[target.length - 1];
        for (int i = 1; i < target.length; i++) {
            long d = target[i];
            if (d == 0 && !allowZero) {
                if (i >= full.length) {
                    throw malformed(node, "target dimension " + i + " copies an input dimension that does not exist");
                }
                d = full[i];
            }
            if (d == -1) {
                if (unknown >= 0) {
                    throw malformed(node, "the target shape " + Arrays.toString(target) + " has two -1s");
                }
                unknown = i - 1;
                continue;
            }
            if (d < 1 || d > Integer.MAX_VALUE) {
                throw unsupported(node, "target dimension " + d + " in " + Arrays.toString(target));
            }
            sample[i - 1] = (int) d;
            known *= d;
            if (known > Integer.MAX_VALUE) {
                throw malformed(node, "the target shape " + Arrays.toString(target) + " is too large");
            }
        }
        int width = product(shape);
        boolean keepsBatch = (target[0] == 0 && !allowZero) || (target[0] == -1 && unknown < 0)
                || (target[0] > 0 && target[0] == staticBatch);
        if (unknown >= 0) {
            if (known == 0 || width % known != 0) {
                throw malformed(node, "cannot reshape " + width + " values per sample to " + Arrays.toString(target));
            }
            sample[unknown] = (int) (width / known);
            known = width;
        }
        if (!keepsBatch || known != width) {
            throw unsupported(node, "the target shape " + Arrays.toString(target) + " does not keep the batch axis with"
                    + " " + Arrays.toString(shape) + " per sample; nn-core reshapes within a sample only");
        }
        reshapeTo(node, sample);
    }

    private void squeeze(Node node, int opset, boolean unsqueeze) throws ModelFormatException {
        long[] axes;
        if (opset < 13) {
            axes = intsAttribute(node, "axes");
        } else {
            Tensor t = constantInput(node, 1, "axes");
            axes = t == null ? null : t.ints();
        }
        if (axes == null) {
            if (unsqueeze) {
                throw malformed(node, "no axes");
            }
            if (staticBatch == 1) {
                throw unsupported(node, "Squeeze without axes would drop a batch axis of size 1");
            }
            List<Integer> kept = new ArrayList<>();
            for (int d : shape) {
                if (d != 1) {
                    kept.add(d);
                }
            }
            reshapeTo(node, kept.isEmpty() ? new int[] {1} : kept.stream().mapToInt(Integer::intValue).toArray());
            return;
        }
        int rank = shape.length + 1 + (unsqueeze ? axes.length : 0);
        Set<Integer> set = new LinkedHashSet<>();
        for (long a : axes) {
            long n = a < 0 ? a + rank : a;
            if (n < 0 || n >= rank || !set.add((int) n)) {
                throw malformed(node, "axes " + Arrays.toString(axes) + " are out of range or repeated for rank " + rank);
            }
            if (n == 0) {
                throw unsupported(node, "axes " + Arrays.toString(axes) + " include the batch axis 0");
            }
        }
        List<Integer> out = new ArrayList<>();
        if (unsqueeze) {
            int from = 0;
            for (int axis = 1; axis < rank; axis++) {
                out.add(set.contains(axis) ? 1 : shape[from++]);
            }
        } else {
            for (int axis = 1; axis <= shape.length; axis++) {
                if (set.contains(axis)) {
                    if (shape[axis - 1] != 1) {
                        throw malformed(node, "squeezes axis " + axis + " of size " + shape[axis - 1]);
                    }
                } else {
                    out.add(shape[axis - 1]);
                }
            }
        }
        if (out.isEmpty()) {
            throw unsupported(node, "the result has no feature axis left ([batch]); nn-core keeps [batch, features]");
        }
        reshapeTo(node, out.stream().mapToInt(Integer::intValue).toArray());
    }

    private void batchNormalization(Node node, int opset) throws ModelFormatException {
        if (intAttribute(node, "training_mode", 0) != 0) {
            throw unsupported(node, "training_mode = 1; nn-core reads inference graphs");
        }
        if (opset < 9 && intAttribute(node, "is_test", 1) == 0 && opset < 7) {
            throw unsupported(node, "is_test = 0; nn-core reads inference graphs");
        }
        double epsilon = floatAttribute(node, "epsilon", 1e-5);
        double momentum = floatAttribute(node, "momentum", 0.9);
        boolean spatial = intAttribute(node, "spatial", 1) != 0;
        if (!(epsilon > 0)) {
            throw unsupported(node, "epsilon " + epsilon + "; nn-core's BatchNormalization needs it above 0");
        }
        String[] what = {"scale", "B", "mean", "var"};
        float[][] params = new float[4][];
        int channels = shape[0];
        int spatialSize = product(shape) / channels;
        for (int k = 0; k < 4; k++) {
            Tensor t = constantInput(node, k + 1, what[k]);
            if (t == null || t.floats() == null) {
                throw malformed(node, "input " + what[k] + " is missing or not floating point");
            }
            if (!spatial && opset < 9) {
                params[k] = broadcast(node, t, what[k]);
                continue;
            }
            if (t.count() != channels) {
                throw malformed(node, what[k] + " has " + t.count() + " values, expected one per channel (" + channels
                        + ", axis 1 of " + Arrays.toString(shape) + " per sample)");
            }
            float[] expanded = new float[channels * spatialSize];
            for (int c = 0; c < channels; c++) {
                Arrays.fill(expanded, c * spatialSize, (c + 1) * spatialSize, t.floats()[c]);
            }
            params[k] = expanded;
        }
        for (float v : params[3]) {
            if (!(v >= 0)) {
                throw malformed(node, "var holds " + v + "; a variance is at least 0");
            }
        }
        flatten();
        add(BatchNormalization.of(momentum >= 0 && momentum <= 1 ? momentum : BatchNormalization.DEFAULT_MOMENTUM,
                epsilon, params[0], params[1], params[2], params[3]), node);
    }

    private void layerNormalization(Node node) throws ModelFormatException {
        int axis = axis(node, intAttribute(node, "axis", -1));
        if (axis < 1 || product(Arrays.copyOfRange(shape, 0, axis - 1)) != 1) {
            throw unsupported(node, "axis " + axis + " normalises " + (axis == 0 ? "across the batch" : "groups within a"
                    + " sample of shape " + Arrays.toString(shape)) + "; nn-core normalises each sample whole");
        }
        double epsilon = floatAttribute(node, "epsilon", 1e-5);
        if (!(epsilon > 0)) {
            throw unsupported(node, "epsilon " + epsilon + "; nn-core needs it above 0");
        }
        Tensor scale = constantInput(node, 1, "scale");
        if (scale == null) {
            throw malformed(node, "no scale");
        }
        float[] gamma = broadcast(node, scale, "scale");
        Tensor b = constantInput(node, 2, "B");
        float[] beta = b == null ? null : broadcast(node, b, "B");
        flatten();
        LayerNormalization layer = LayerNormalization.of(shape[0], epsilon, beta != null, true);
        List<Matrix> weights = beta == null ? List.of(Matrix.row(gamma)) : List.of(Matrix.row(gamma), Matrix.row(beta));
        add(layer.withWeights(weights), node);
    }

    /** Broadcasts a constant to one sample's shape (numpy rules); refuses one that differs along the batch axis. */
    private float[] broadcast(Node node, Tensor t, String what) throws ModelFormatException {
        if (t.floats() == null) {
            throw unsupported(node, "its " + what + " is not floating point");
        }
        long[] d = t.dims();
        int rank = shape.length + 1;
        if (d.length > rank || (d.length == rank && d[0] != 1)) {
            throw unsupported(node, "its " + what + " has shape " + Arrays.toString(d) + ", which differs along the"
                    + " batch axis of " + Arrays.toString(shape) + " per sample");
        }
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            int j = i + 1 - (rank - d.length);
            if (j < 0 || d[j] == 1) {
                strides[i] = 0;
            } else if (d[j] == shape[i]) {
                strides[i] = stride;
            } else {
                throw malformed(node, "its " + what + " of shape " + Arrays.toString(d) + " does not broadcast to "
                        + Arrays.toString(shape) + " per sample");
            }
            if (j >= 0) {
                stride *= (int) d[j];
            }
        }
        float[] out = new float[product(shape)];
        int[] index = new int[shape.length];
        for (int k = 0; k < out.length; k++) {
            int at = 0;
            for (int i = 0; i < shape.length; i++) {
                at += index[i] * strides[i];
            }
            out[k] = t.floats()[at];
            for (int i = shape.length - 1; i >= 0; i--) {
                if (++index[i] < shape[i]) {
                    break;
                }
                index[i] = 0;
            }
        }
        return out;
    }

    // ---- activations ----

    private Activation activation(Node node, int opset) throws ModelFormatException {
        switch (node.opType()) {
            case "Relu":
                return Activation.RELU;
            case "Sigmoid":
                return Activation.SIGMOID;
            case "Tanh":
                return Activation.TANH;
            case "Softplus":
                return Activation.SOFTPLUS;
            case "Softsign":
                return Activation.SOFTSIGN;
            case "Mish":
                return Activation.MISH;
            case "Exp":
                return Activation.EXPONENTIAL;
            case "HardSwish":
                return Activation.HARD_SILU;
            case "LeakyRelu":
                return Activation.leakyRelu(floatAttribute(node, "alpha", 0.01));
            case "Elu":
                return Activation.elu(floatAttribute(node, "alpha", 1));
            case "Celu": {
                double alpha = floatAttribute(node, "alpha", 1);
                if (alpha != 1) {
                    throw unsupported(node, "Celu with alpha " + alpha + "; nn-core computes it only for alpha 1,"
                            + " where it is elu");
                }
                return Activation.elu(1);
            }
            case "Selu": {
                double alpha = floatAttribute(node, "alpha", 1.67326319217681884765625);
                double gamma = floatAttribute(node, "gamma", 1.05070102214813232421875);
                if (Math.abs(alpha - 1.6732632423543772) > 1e-6 || Math.abs(gamma - 1.0507009873554805) > 1e-6) {
                    throw unsupported(node, "Selu with alpha " + alpha + " and gamma " + gamma + "; nn-core's selu has the"
                            + " standard constants (1.67326, 1.05070)");
                }
                return Activation.SELU;
            }
            case "HardSigmoid": {
                double alpha = floatAttribute(node, "alpha", 0.2);
                double beta = floatAttribute(node, "beta", 0.5);
                if (alpha == 0.2 && beta == 0.5) {
                    return Activation.hardSigmoidKeras2();
                }
                if (Math.abs(alpha - 1.0 / 6) < 1e-7 && beta == 0.5) {
                    return Activation.HARD_SIGMOID;
                }
                throw unsupported(node, "HardSigmoid with alpha " + alpha + " and beta " + beta + "; nn-core has"
                        + " (0.2, 0.5), Keras 2's hard_sigmoid, and (1/6, 0.5), Keras 3's");
            }
            case "Gelu": {
                Attribute a = node.attributes().get("approximate");
                String approximate = a == null || a.s() == null ? "none" : a.s();
                if (!approximate.equals("none") && !approximate.equals("tanh")) {
                    throw malformed(node, "approximate is \"" + approximate + "\", expected none or tanh");
                }
                return Activation.gelu(approximate.equals("tanh"));
            }
            case "Softmax", "LogSoftmax": {
                long axis = intAttribute(node, "axis", opset < 13 ? 1 : -1);
                int normalised = axis(node, axis);
                int before = normalised < 1 ? 0 : product(Arrays.copyOfRange(shape, 0, normalised - 1));
                int after = opset < 13 ? 1 : product(Arrays.copyOfRange(shape, Math.min(normalised, shape.length), shape.length));
                if (normalised < 1 || before != 1 || after != 1) {
                    throw unsupported(node, node.opType() + " over axis " + axis + " of [batch] + " + Arrays.toString(shape)
                            + (opset < 13 ? " (opset < 13: over all axes from it on)" : " (opset >= 13: over that axis only)")
                            + " computes separate groups within a sample; nn-core's softmax covers each sample's values whole");
                }
                return node.opType().equals("Softmax") ? Activation.SOFTMAX : Activation.LOG_SOFTMAX;
            }
            case "Clip": {
                double min;
                double max;
                if (opset < 11) {
                    min = floatAttribute(node, "min", -Float.MAX_VALUE);
                    max = floatAttribute(node, "max", Float.MAX_VALUE);
                } else {
                    min = scalar(node, 1, "min", Double.NEGATIVE_INFINITY);
                    max = scalar(node, 2, "max", Double.POSITIVE_INFINITY);
                }
                boolean noMax = max >= Float.MAX_VALUE;
                if (min != 0 || !(noMax || (max >= 0 && Double.isFinite(max)))) {
                    throw unsupported(node, "Clip(" + min + ", " + max + "); nn-core reads Clip(0, max) as a relu capped"
                            + " at max (ReLU6 is Clip(0, 6))");
                }
                return Activation.relu(noMax ? null : max, 0, 0);
            }
            default:
                return null;
        }
    }

    /**
     * The data feeds several nodes: the elementwise patterns exporters write for activations ONNX lacked, such as
     * {@code x * 0.5 * (1 + Erf(x / sqrt 2))} for GELU before opset 20, {@code x * Sigmoid(x)} for SiLU,
     * {@code x * Tanh(Softplus(x))} for Mish before opset 18. The nodes up to where the branches rejoin are evaluated
     * on probe values and compared with nn-core's activations; a pattern that matches none is refused.
     */
    private String pattern(String current, List<Node> first) throws ModelFormatException {
        Set<String> region = new HashSet<>();
        region.add(current);
        List<Node> nodes = new ArrayList<>();
        Set<Node> inRegion = new HashSet<>();
        int start = Integer.MAX_VALUE;
        for (Node node : first) {
            start = Math.min(start, node.index());
        }
        List<Node> all = graph.nodes();
        // nodes are topologically sorted (ONNX requires it), so the pattern starts at its first consumer; looking at
        // a bounded window keeps a hostile graph of many branches from costing quadratic time
        for (int k = start; k < all.size() && k < start + 16 * MAX_PATTERN_NODES; k++) {
            Node node = all.get(k);
            if (used.contains(node) || inRegion.contains(node)) {
                continue;
            }
            boolean touches = false;
            for (String input : node.inputs()) {
                touches |= region.contains(input);
            }
            if (!touches) {
                continue;
            }
            if (!Evaluator.OPS.contains(node.opType()) || nodes.size() >= MAX_PATTERN_NODES) {
                throw unsupported(node, "the data \"" + current + "\" feeds " + first.size() + " nodes, and this one is"
                        + " not part of an elementwise activation pattern nn-core recognises; branching graphs need the"
                        + " Functional graphs issue");
            }
            for (String input : node.inputs()) {
                if (!input.isEmpty() && !region.contains(input)) {
                    Tensor c = constants.get(input);
                    if (c == null || c.count() != 1) {
                        throw unsupported(node, "its input \"" + input + "\" is neither the data nor a one-value constant;"
                                + " branching graphs need the Functional graphs issue");
                    }
                }
            }
            if (node.outputs().size() != 1) {
                throw unsupported(node, "an elementwise node with " + node.outputs().size() + " outputs");
            }
            nodes.add(node);
            inRegion.add(node);
            region.add(node.outputs().get(0));
            String end = node.outputs().get(0);
            if (nodes.size() >= 2 && onlyOpen(region, inRegion, end)) {
                Evaluator evaluator = new Evaluator(current, nodes, constants);
                for (Activation candidate : PATTERNS) {
                    if (evaluator.matches(candidate)) {
                        used.addAll(nodes);
                        addActivation(candidate, nodes.get(nodes.size() - 1), nodes);
                        return end;
                    }
                }
            }
        }
        throw unsupported(first.get(1), "the data \"" + current + "\" feeds " + first.size() + " nodes ("
                + first.get(0).opType() + ", " + first.get(1).opType() + ", ...), which is not an elementwise activation"
                + " pattern nn-core recognises (GELU's Erf form, SiLU, Mish, HardSwish); branching graphs need the"
                + " Functional graphs issue");
    }

    /** Whether {@code end} is the only tensor of the region still read outside it (or a graph output). */
    private boolean onlyOpen(Set<String> region, Set<Node> inRegion, String end) {
        for (String tensor : region) {
            if (tensor.equals(end)) {
                continue;
            }
            if (isGraphOutput(tensor)) {
                return false;
            }
            for (Node consumer : consumers.getOrDefault(tensor, List.of())) {
                if (!inRegion.contains(consumer)) {
                    return false;
                }
            }
        }
        return true;
    }

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
