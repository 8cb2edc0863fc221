package dev.nncore.onnx;

import dev.nncore.Activation;
import dev.nncore.keras.ModelFormatException;
import dev.nncore.onnx.OnnxModel.Attribute;
import dev.nncore.onnx.OnnxModel.Graph;
import dev.nncore.onnx.OnnxModel.Node;
import dev.nncore.onnx.OnnxModel.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recognises activations in an ONNX graph: single operators ({@code Relu}, {@code Gelu}, {@code Softmax} over a
 * whole sample, {@code Clip(0, max)}, ...) and the elementwise patterns exporters write for the ones ONNX lacked
 * (GELU's Erf form, SiLU, Mish, HardSwish), which {@link Evaluator} evaluates on probe values.
 */
final class ActivationPatterns {

    /** The elementwise activations a multi-node pattern (e.g. PyTorch's Erf form of GELU) is compared against. */
    private static final Activation[] PATTERNS = {Activation.GELU, Activation.gelu(true), Activation.SILU,
        Activation.MISH, Activation.HARD_SILU};
    private static final int MAX_PATTERN_NODES = 24;

    private final Graph graph;
    private final OnnxOperands operands;
    private final Map<String, Tensor> constants;
    private final Map<String, List<Node>> consumers;
    private final Set<String> graphOutputs;

    ActivationPatterns(Graph graph, OnnxOperands operands, Map<String, Tensor> constants,
            Map<String, List<Node>> consumers, Set<String> graphOutputs) {
        this.graph = graph;
        this.operands = operands;
        this.constants = constants;
        this.consumers = consumers;
        this.graphOutputs = graphOutputs;
    }

    Activation activation(Node node, int opset, int[] shape) throws ModelFormatException {
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
                return Activation.leakyRelu(operands.floatAttribute(node, "alpha", 0.01));
            case "Elu":
                return Activation.elu(operands.floatAttribute(node, "alpha", 1));
            case "Celu": {
                double alpha = operands.floatAttribute(node, "alpha", 1);
                if (alpha != 1) {
                    throw operands.unsupported(node, "Celu with alpha " + alpha + "; nn-core computes it only for alpha 1,"
                            + " where it is elu");
                }
                return Activation.elu(1);
            }
            case "Selu": {
                double alpha = operands.floatAttribute(node, "alpha", 1.67326319217681884765625);
                double gamma = operands.floatAttribute(node, "gamma", 1.05070102214813232421875);
                if (Math.abs(alpha - 1.6732632423543772) > 1e-6 || Math.abs(gamma - 1.0507009873554805) > 1e-6) {
                    throw operands.unsupported(node, "Selu with alpha " + alpha + " and gamma " + gamma + "; nn-core's selu has the"
                            + " standard constants (1.67326, 1.05070)");
                }
                return Activation.SELU;
            }
            case "HardSigmoid": {
                double alpha = operands.floatAttribute(node, "alpha", 0.2);
                double beta = operands.floatAttribute(node, "beta", 0.5);
                if (alpha == 0.2 && beta == 0.5) {
                    return Activation.hardSigmoidKeras2();
                }
                if (Math.abs(alpha - 1.0 / 6) < 1e-7 && beta == 0.5) {
                    return Activation.HARD_SIGMOID;
                }
                throw operands.unsupported(node, "HardSigmoid with alpha " + alpha + " and beta " + beta + "; nn-core has"
                        + " (0.2, 0.5), Keras 2's hard_sigmoid, and (1/6, 0.5), Keras 3's");
            }
            case "Gelu": {
                Attribute a = node.attributes().get("approximate");
                String approximate = a == null || a.s() == null ? "none" : a.s();
                if (!approximate.equals("none") && !approximate.equals("tanh")) {
                    throw operands.malformed(node, "approximate is \"" + approximate + "\", expected none or tanh");
                }
                return Activation.gelu(approximate.equals("tanh"));
            }
            case "Softmax", "LogSoftmax": {
                long axis = operands.intAttribute(node, "axis", opset < 13 ? 1 : -1);
                int normalised = operands.axis(node, shape, axis);
                int before = normalised < 1 ? 0 : OnnxImporter.product(Arrays.copyOfRange(shape, 0, normalised - 1));
                int after = opset < 13 ? 1 : OnnxImporter.product(Arrays.copyOfRange(shape, Math.min(normalised, shape.length), shape.length));
                if (normalised < 1 || before != 1 || after != 1) {
                    throw operands.unsupported(node, node.opType() + " over axis " + axis + " of [batch] + " + Arrays.toString(shape)
                            + (opset < 13 ? " (opset < 13: over all axes from it on)" : " (opset >= 13: over that axis only)")
                            + " computes separate groups within a sample; nn-core's softmax covers each sample's values whole");
                }
                return node.opType().equals("Softmax") ? Activation.SOFTMAX : Activation.LOG_SOFTMAX;
            }
            case "Clip": {
                double min;
                double max;
                if (opset < 11) {
                    min = operands.floatAttribute(node, "min", -Float.MAX_VALUE);
                    max = operands.floatAttribute(node, "max", Float.MAX_VALUE);
                } else {
                    min = operands.scalar(node, 1, "min", Double.NEGATIVE_INFINITY);
                    max = operands.scalar(node, 2, "max", Double.POSITIVE_INFINITY);
                }
                boolean noMax = max >= Float.MAX_VALUE;
                if (min != 0 || !(noMax || (max >= 0 && Double.isFinite(max)))) {
                    throw operands.unsupported(node, "Clip(" + min + ", " + max + "); nn-core reads Clip(0, max) as a relu capped"
                            + " at max (ReLU6 is Clip(0, 6))");
                }
                return Activation.relu(noMax ? null : max, 0, 0);
            }
            default:
                return null;
        }
    }

    /** A multi-node activation found by {@link #find}: its nodes in order, the activation, the tensor it ends at. */
    record Match(List<Node> nodes, Activation activation, String end) { }

    /**
     * The data feeds several nodes: the elementwise patterns exporters write for activations ONNX lacked, such as
     * {@code x * 0.5 * (1 + Erf(x / sqrt 2))} for GELU before opset 20, {@code x * Sigmoid(x)} for SiLU,
     * {@code x * Tanh(Softplus(x))} for Mish before opset 18. The nodes up to where the branches rejoin are evaluated
     * on probe values and compared with nn-core's activations.
     *
     * @param tensor the data, read by several nodes
     * @param first the nodes that read it
     * @param used nodes already read, which no pattern includes
     * @return the match; null when the nodes are no such pattern (the data then forks into branches)
     */
    Match find(String tensor, List<Node> first, Set<Node> used) {
        Set<String> region = new HashSet<>();
        region.add(tensor);
        List<Node> nodes = new ArrayList<>();
        Set<Node> inRegion = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
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
            if (!Evaluator.OPS.contains(node.opType()) || nodes.size() >= MAX_PATTERN_NODES || node.outputs().size() != 1) {
                return null;
            }
            for (String input : node.inputs()) {
                if (!input.isEmpty() && !region.contains(input)) {
                    Tensor c = constants.get(input);
                    if (c == null || c.count() != 1) {
                        return null;
                    }
                }
            }
            nodes.add(node);
            inRegion.add(node);
            region.add(node.outputs().get(0));
            String end = node.outputs().get(0);
            if (nodes.size() >= 2 && onlyOpen(region, inRegion, end)) {
                Evaluator evaluator = new Evaluator(tensor, nodes, constants);
                for (Activation candidate : PATTERNS) {
                    if (evaluator.matches(candidate)) {
                        return new Match(List.copyOf(nodes), candidate, end);
                    }
                }
            }
        }
        return null;
    }

    /** Whether {@code end} is the only tensor of the region still read outside it (or a graph output). */
    private boolean onlyOpen(Set<String> region, Set<Node> inRegion, String end) {
        for (String tensor : region) {
            if (tensor.equals(end)) {
                continue;
            }
            if (graphOutputs.contains(tensor)) {
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
}
