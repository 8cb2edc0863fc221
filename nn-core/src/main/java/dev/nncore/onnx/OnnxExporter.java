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
import dev.nncore.PReLU;
import dev.nncore.Rescaling;
import dev.nncore.Reshape;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link Network} as an ONNX model: one node per layer call (Gemm for Dense, then its activation as nodes
 * named {@code <dense>/<op>}), weights as raw little-endian float32 initializers named {@code <layer>/<weight>}. A
 * Sequential network has input {@code input} of shape {@code [batch, ...]} and output {@code output}; any other graph
 * ({@link Network#nodes()}) keeps its input and output names, writes merges as Concat (axis 1), Add (Sum for more
 * than two), Sub, Mul (a chain {@code <merge>}, {@code <merge>/Mul_2}, ... for more than two), Max, Min, and Average
 * as a Sum then a Div by the count ({@code <merge>/Div}), Rescaling as a Mul then an Add ({@code <layer>/Add}),
 * and a layer called again as nodes named
 * {@code <layer>/call<k>} that read the same initializers. The opset is 13, or 14 with HardSwish, or 17 with
 * LayerNormalization; activations ONNX lacks at that opset are written in the elementwise forms that
 * {@link OnnxImporter} recognises (GELU as Erf, SiLU as x * Sigmoid(x), Mish as x * Tanh(Softplus(x))).
 */
final class OnnxExporter {

    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final Set<String> written = new HashSet<>();
    /** Tensor names the intermediate {@code t<k>} must avoid: the graph's input and output names. */
    private final Set<String> reserved = new HashSet<>();
    private int opset = 13;
    private int counter;
    private String current = "input";
    /** The graph output the layer being written computes, or null. */
    private String outputTensor;

    static byte[] encode(Network network) {
        return new OnnxExporter().write(network);
    }

    private byte[] write(Network network) {
        boolean sequential = network.isSequential();
        List<dev.nncore.Node> graphNodes = network.nodes();
        int inputCount = network.inputNames().size();
        List<String> inputNames = sequential ? List.of("input") : network.inputNames();
        List<String> outputNames = sequential ? List.of("output") : network.outputNames();
        reserved.addAll(inputNames);
        reserved.addAll(outputNames);
        Map<dev.nncore.Node, String> tensors = new IdentityHashMap<>();
        for (int i = 0; i < inputCount; i++) {
            tensors.put(graphNodes.get(i), inputNames.get(i));
        }
        // output k is the last node of its name, as Node.apply(Network, ...) finds it (a shared layer has several)
        Map<String, dev.nncore.Node> lastOfName = new HashMap<>();
        for (dev.nncore.Node node : graphNodes) {
            lastOfName.put(node.name(), node);
        }
        Map<dev.nncore.Node, String> outputs = new IdentityHashMap<>();
        for (int k = 0; k < outputNames.size(); k++) {
            dev.nncore.Node node = lastOfName.get(network.outputNames().get(k));
            if (!node.isInput()) { // an input given back as an output is listed as an output under its own name
                outputs.put(node, outputNames.get(k));
            }
        }
        Map<Layer, Integer> calls = new IdentityHashMap<>();
        for (int n = inputCount; n < graphNodes.size(); n++) {
            dev.nncore.Node node = graphNodes.get(n);
            Layer layer = node.layer();
            int call = calls.merge(layer, 1, Integer::sum) - 1;
            String nodeName = call == 0 ? layer.name() : layer.name() + "/call" + call;
            outputTensor = outputs.get(node);
            boolean last = outputTensor != null;
            if (layer instanceof Merge merge) {
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < node.inputs().size(); i++) {
                    dev.nncore.Node part = node.inputs().get(i);
                    String tensor = tensors.get(part);
                    if (part.shape().length > 1) {
                        tensor = node("Flatten", nodeName + "/Flatten_" + i, List.of(tensor), output(false),
                                List.of(intAttribute("axis", 1)));
                    }
                    parts.add(tensor);
                }
                merge(merge, nodeName, parts, last);
            } else {
                current = tensors.get(node.inputs().get(0));
                layer(layer, nodeName, last);
            }
            if (last && !current.equals(outputTensor)) { // the layer wrote nothing (a linear activation layer)
                node("Identity", sequential ? "output_identity" : nodeName + "/Identity", List.of(current), outputTensor,
                        List.of());
            }
            tensors.put(node, current);
        }
        ProtoWriter graph = new ProtoWriter();
        for (ProtoWriter node : nodes) {
            graph.message(1, node);
        }
        graph.string(2, "nn-core");
        for (ProtoWriter initializer : initializers) {
            graph.message(5, initializer);
        }
        for (int i = 0; i < inputCount; i++) {
            graph.message(11, valueInfo(inputNames.get(i), network.inputShape(i)));
        }
        for (int k = 0; k < outputNames.size(); k++) {
            graph.message(12, valueInfo(outputNames.get(k), new int[] {network.outputWidth(k)}));
        }
        ProtoWriter model = new ProtoWriter();
        model.int64(1, opset <= 14 ? 7 : 8);
        model.string(2, "nn-core");
        model.message(7, graph);
        model.message(8, new ProtoWriter().int64(2, opset));
        return model.toByteArray();
    }

    /** A merge of the (flat) tensors {@code parts}, in the operators whose float32 results are the Merge's own. */
    private void merge(Merge merge, String name, List<String> parts, boolean last) {
        int count = parts.size();
        switch (merge.kind()) {
            case CONCATENATE -> node("Concat", name, parts, output(last), List.of(intAttribute("axis", 1)));
            case ADD -> node(count == 2 ? "Add" : "Sum", name, parts, output(last), List.of());
            case SUBTRACT -> node("Sub", name, parts, output(last), List.of());
            case MAXIMUM -> node("Max", name, parts, output(last), List.of());
            case MINIMUM -> node("Min", name, parts, output(last), List.of());
            case MULTIPLY -> {
                String product = node("Mul", name, parts.subList(0, 2), output(last && count == 2), List.of());
                for (int k = 2; k < count; k++) {
                    product = node("Mul", name + "/Mul_" + k, List.of(product, parts.get(k)), output(last && k == count - 1),
                            List.of());
                }
            }
            case AVERAGE -> {
                String sum = node(count == 2 ? "Add" : "Sum", name, parts, output(false), List.of());
                String divisor = scalarInitializer(name + "/count", count);
                node("Div", name + "/Div", List.of(sum, divisor), output(last), List.of());
            }
            default -> throw new IllegalArgumentException("layer \"" + name + "\" (" + merge.kerasClass() + ") cannot be"
                    + " written to ONNX yet; Onnx.save writes the merges Concatenate, Add, Subtract, Multiply, Average,"
                    + " Maximum and Minimum");
        }
    }

    private static ProtoWriter valueInfo(String name, int[] sample) {
        ProtoWriter shape = new ProtoWriter();
        shape.message(1, new ProtoWriter().string(2, "batch"));
        for (int d : sample) {
            shape.message(1, new ProtoWriter().int64(1, d));
        }
        ProtoWriter tensorType = new ProtoWriter().int64(1, OnnxModel.FLOAT).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    /** Writes one call of a layer: nodes named after {@code name}, initializers after the layer's own name. */
    private void layer(Layer layer, String name, boolean last) {
        String owner = layer.name();
        if (layer instanceof Dense dense) {
            List<String> inputs = new ArrayList<>(List.of(current, initializer(owner + "/kernel", dense.kernel(), true)));
            if (dense.useBias()) {
                inputs.add(initializer(owner + "/bias", dense.bias()));
            }
            boolean linear = dense.activation().equals(Activation.LINEAR);
            node("Gemm", name, inputs, output(last && linear), List.of());
            if (!linear) {
                activation(dense.activation(), name + "/", null, last);
            }
        } else if (layer instanceof ActivationLayer activation) {
            if (activation.activation().equals(Activation.LINEAR)) {
                return;
            }
            activation(activation.activation(), name + "/", name, last);
        } else if (layer instanceof BatchNormalization bn) {
            List<Matrix> weights = bn.getWeights();
            int width = bn.inputs();
            int k = 0;
            Matrix gamma = bn.scale() ? weights.get(k++) : ones(width, 1f);
            Matrix beta = bn.center() ? weights.get(k++) : ones(width, 0f);
            List<String> inputs = List.of(current, initializer(owner + "/gamma", gamma), initializer(owner + "/beta", beta),
                    initializer(owner + "/moving_mean", weights.get(k)), initializer(owner + "/moving_variance", weights.get(k + 1)));
            node("BatchNormalization", name, inputs, output(last), List.of(floatAttribute("epsilon", bn.epsilon()),
                    floatAttribute("momentum", bn.momentum())));
        } else if (layer instanceof LayerNormalization ln) {
            opset = Math.max(opset, 17);
            List<Matrix> weights = ln.getWeights();
            int k = 0;
            Matrix gamma = ln.scale() ? weights.get(k++) : ones(ln.inputs(), 1f);
            List<String> inputs = new ArrayList<>(List.of(current, initializer(owner + "/gamma", gamma)));
            if (ln.center()) {
                inputs.add(initializer(owner + "/beta", weights.get(k)));
            }
            node("LayerNormalization", name, inputs, output(last), List.of(intAttribute("axis", -1),
                    floatAttribute("epsilon", ln.epsilon())));
        } else if (layer instanceof Dropout dropout) {
            String ratio = scalarInitializer(owner + "/ratio", (float) dropout.rate());
            node("Dropout", name, List.of(current, ratio), output(last), List.of());
        } else if (layer instanceof Rescaling rescaling) {
            // x * scale + offset in two float32 roundings, as Rescaling computes it; read back as one Rescaling
            String scale = scalarInitializer(owner + "/scale", (float) rescaling.scale());
            String offset = scalarInitializer(owner + "/offset", (float) rescaling.offset());
            String scaled = node("Mul", name, List.of(current, scale), output(false), List.of());
            node("Add", name + "/Add", List.of(scaled, offset), output(last), List.of());
        } else if (layer instanceof PReLU) {
            node("PRelu", name, List.of(current, initializer(owner + "/alpha", layer.getWeights().get(0))), output(last),
                    List.of());
        } else if (layer instanceof Reshape reshape) {
            if (reshape.isFlatten()) {
                node("Flatten", name, List.of(current), output(last), List.of(intAttribute("axis", 1)));
            } else {
                int[] target = reshape.targetShape();
                long[] shape = new long[target.length + 1];
                for (int i = 0; i < target.length; i++) {
                    shape[i + 1] = target[i];
                }
                String shapeName = owner + "/shape";
                if (written.add(shapeName)) {
                    initializers.add(new ProtoWriter().packed(1, shape.length).int64(2, OnnxModel.INT64).string(8, shapeName)
                            .packed(7, shape));
                }
                node("Reshape", name, List.of(current, shapeName), output(last), List.of());
            }
        } else {
            throw new IllegalArgumentException("layer \"" + name + "\" (" + layer.kerasClass() + ") cannot be written"
                    + " to ONNX yet; Onnx.save writes Dense, activations, BatchNormalization, LayerNormalization,"
                    + " Dropout, PReLU, Rescaling, Flatten, Reshape and the merges");
        }
    }

    private String output(boolean last) {
        if (last) {
            return outputTensor;
        }
        String name;
        do {
            name = "t" + counter++;
        } while (reserved.contains(name));
        return name;
    }

    /** Writes an activation; the last node is named {@code lastName} when given, else {@code prefix + op}. */
    private void activation(Activation activation, String prefix, String lastName, boolean last) {
        String keras = activation.kerasName();
        Map<String, Object> p = activation.parameters();
        String x = current;
        switch (keras) {
            case "relu" -> {
                if (p.isEmpty()) {
                    single("Relu", prefix, lastName, last, List.of());
                } else {
                    Object max = p.get("max_value");
                    if (((Number) p.get("negative_slope")).doubleValue() != 0 || ((Number) p.get("threshold")).doubleValue() != 0) {
                        throw new IllegalArgumentException("relu with a negative slope and a cap or threshold cannot be"
                                + " written to ONNX: " + activation);
                    }
                    clip(prefix, lastName, last, ((Number) max).floatValue());
                }
            }
            case "relu6" -> clip(prefix, lastName, last, 6f);
            case "leaky_relu" -> single("LeakyRelu", prefix, lastName, last,
                    List.of(floatAttribute("alpha", ((Number) p.get("negative_slope")).doubleValue())));
            case "elu" -> single("Elu", prefix, lastName, last,
                    List.of(floatAttribute("alpha", p.isEmpty() ? 1.0 : ((Number) p.get("alpha")).doubleValue())));
            case "sigmoid" -> single("Sigmoid", prefix, lastName, last, List.of());
            case "tanh" -> single("Tanh", prefix, lastName, last, List.of());
            case "selu" -> single("Selu", prefix, lastName, last, List.of());
            case "softplus" -> single("Softplus", prefix, lastName, last, List.of());
            case "softsign" -> single("Softsign", prefix, lastName, last, List.of());
            case "exponential" -> single("Exp", prefix, lastName, last, List.of());
            case "softmax" -> single("Softmax", prefix, lastName, last, List.of(intAttribute("axis", -1)));
            case "log_softmax" -> single("LogSoftmax", prefix, lastName, last, List.of(intAttribute("axis", -1)));
            case "hard_sigmoid" -> single("HardSigmoid", prefix, lastName, last, p.isEmpty()
                    ? List.of(floatAttribute("alpha", 1.0 / 6), floatAttribute("beta", 0.5))
                    : List.of(floatAttribute("alpha", 0.2), floatAttribute("beta", 0.5)));
            case "hard_silu" -> {
                opset = Math.max(opset, 14);
                single("HardSwish", prefix, lastName, last, List.of());
            }
            case "silu" -> {
                String s = node("Sigmoid", prefix + "Sigmoid", List.of(x), output(false), List.of());
                node("Mul", nameOf(prefix + "Mul", lastName), List.of(x, s), output(last), List.of());
            }
            case "mish" -> {
                String sp = node("Softplus", prefix + "Softplus", List.of(x), output(false), List.of());
                String th = node("Tanh", prefix + "Tanh", List.of(sp), output(false), List.of());
                node("Mul", nameOf(prefix + "Mul", lastName), List.of(x, th), output(last), List.of());
            }
            case "gelu" -> {
                String half = scalarInitializer(prefix + "half", 0.5f);
                String one = scalarInitializer(prefix + "one", 1f);
                String inner;
                if (p.isEmpty()) {
                    String root2 = scalarInitializer(prefix + "sqrt2", (float) Math.sqrt(2));
                    String div = node("Div", prefix + "Div", List.of(x, root2), output(false), List.of());
                    inner = node("Erf", prefix + "Erf", List.of(div), output(false), List.of());
                } else {
                    String three = scalarInitializer(prefix + "three", 3f);
                    String cubic = scalarInitializer(prefix + "cubic", 0.044715f);
                    String scale = scalarInitializer(prefix + "scale", (float) Math.sqrt(2 / Math.PI));
                    String pow = node("Pow", prefix + "Pow", List.of(x, three), output(false), List.of());
                    String mul = node("Mul", prefix + "Mul_cubic", List.of(pow, cubic), output(false), List.of());
                    String add = node("Add", prefix + "Add_x", List.of(x, mul), output(false), List.of());
                    String scaled = node("Mul", prefix + "Mul_scale", List.of(add, scale), output(false), List.of());
                    inner = node("Tanh", prefix + "Tanh", List.of(scaled), output(false), List.of());
                }
                String plus = node("Add", prefix + "Add", List.of(inner, one), output(false), List.of());
                String times = node("Mul", prefix + "Mul", List.of(x, plus), output(false), List.of());
                node("Mul", nameOf(prefix + "Mul_half", lastName), List.of(times, half), output(last), List.of());
            }
            default -> throw new IllegalArgumentException("activation " + activation + " cannot be written to ONNX");
        }
    }

    private static String nameOf(String name, String lastName) {
        return lastName != null ? lastName : name;
    }

    private void single(String op, String prefix, String lastName, boolean last, List<ProtoWriter> attributes) {
        node(op, nameOf(prefix + op, lastName), List.of(current), output(last), attributes);
    }

    private void clip(String prefix, String lastName, boolean last, float max) {
        String min = scalarInitializer(prefix + "min", 0f);
        String cap = scalarInitializer(prefix + "max", max);
        node("Clip", nameOf(prefix + "Clip", lastName), List.of(current, min, cap), output(last), List.of());
    }

    /** Appends a node; its output becomes the current tensor. */
    private String node(String op, String name, List<String> inputs, String output, List<ProtoWriter> attributes) {
        ProtoWriter node = new ProtoWriter();
        for (String input : inputs) {
            node.string(1, input);
        }
        node.string(2, output).string(3, name).string(4, op);
        for (ProtoWriter attribute : attributes) {
            node.message(5, attribute);
        }
        nodes.add(node);
        current = output;
        return output;
    }

    /** A float attribute; the value is rounded to float32, which ONNX stores. */
    private static ProtoWriter floatAttribute(String name, double value) {
        return new ProtoWriter().string(1, name).float32(2, (float) value).int64(20, OnnxModel.Attribute.FLOAT);
    }

    private static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(1, name).int64(3, value).int64(20, OnnxModel.Attribute.INT);
    }

    private String initializer(String name, Matrix matrix) {
        return initializer(name, matrix, false);
    }

    /** A weight: a matrix {@code [rows, cols]}, or a vector {@code [cols]} when {@code vector}. */
    private String initializer(String name, Matrix matrix, boolean matrixShape) {
        float[][] rows = matrix.toArray();
        float[] flat = new float[matrix.rows() * matrix.cols()];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * matrix.cols(), matrix.cols());
        }
        long[] dims = !matrixShape ? new long[] {(long) matrix.rows() * matrix.cols()} : new long[] {matrix.rows(), matrix.cols()};
        if (written.add(name)) { // a layer called again reads the initializers of its first call
            initializers.add(tensor(name, dims, flat));
        }
        return name;
    }

    private String scalarInitializer(String name, float value) {
        if (written.add(name)) {
            initializers.add(tensor(name, new long[0], new float[] {value}));
        }
        return name;
    }

    private static ProtoWriter tensor(String name, long[] dims, float[] values) {
        ProtoWriter tensor = new ProtoWriter();
        if (dims.length > 0) {
            tensor.packed(1, dims);
        }
        return tensor.int64(2, OnnxModel.FLOAT).string(8, name).bytes(9, ProtoWriter.littleEndian(values));
    }

    private static Matrix ones(int width, float value) {
        float[] row = new float[width];
        Arrays.fill(row, value);
        return Matrix.row(row);
    }
}
