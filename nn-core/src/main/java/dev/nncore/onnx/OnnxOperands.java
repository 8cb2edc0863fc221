package dev.nncore.onnx;

import dev.nncore.keras.ModelFormatException;
import dev.nncore.keras.UnsupportedModelException;
import dev.nncore.onnx.OnnxModel.Attribute;
import dev.nncore.onnx.OnnxModel.Model;
import dev.nncore.onnx.OnnxModel.Node;
import dev.nncore.onnx.OnnxModel.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * What an ONNX node is given besides its data: its attributes and its constant inputs (initializers and
 * {@code Constant} outputs), decoded and checked, with the errors that name the node, its op type and opset. Constant
 * tensors are broadcast here to one value per feature of a sample; a constant that differs along the batch axis is
 * refused.
 */
final class OnnxOperands {

    private final String source;
    private final Model model;
    private final Map<String, Tensor> constants;

    /** @param constants the graph's constants by tensor name; {@link #constant} adds to it */
    OnnxOperands(String source, Model model, Map<String, Tensor> constants) {
        this.source = source;
        this.model = model;
        this.constants = constants;
    }

    int opset(Node node) {
        Long version = model.opsets().get(node.domain());
        return version == null ? model.opset() : version.intValue();
    }

    UnsupportedModelException unsupported(Node node, String why) {
        return new UnsupportedModelException(source + ": graph." + "node[" + node.index() + "]: " + node.opType()
                + (node.name().isEmpty() ? "" : " node \"" + node.name() + "\"") + " (opset " + opset(node) + ") is not"
                + " supported: " + why);
    }

    ModelFormatException malformed(Node node, String why) {
        return new ModelFormatException(source + ": graph.node[" + node.index() + "] " + node.opType()
                + (node.name().isEmpty() ? "" : " \"" + node.name() + "\"") + " (opset " + opset(node) + "): " + why);
    }

    long intAttribute(Node node, String name, long fallback) throws ModelFormatException {
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
    double floatAttribute(Node node, String name, double fallback) throws ModelFormatException {
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

    long[] intsAttribute(Node node, String name) throws ModelFormatException {
        Attribute a = node.attributes().get(name);
        if (a == null) {
            return null;
        }
        if (a.type() != Attribute.INTS) {
            throw malformed(node, "attribute " + name + " has type " + a.type() + ", expected INTS");
        }
        return a.ints();
    }

    void constant(Node node) throws ModelFormatException {
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
    }

    /** @return the constant an input names, or null when the input is absent (""); refuses a computed input */
    Tensor constantInput(Node node, int index, String what) throws ModelFormatException {
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

    double scalar(Node node, int index, String what, double fallback) throws ModelFormatException {
        Tensor tensor = constantInput(node, index, what);
        if (tensor == null) {
            return fallback;
        }
        if (tensor.count() != 1) {
            throw unsupported(node, "its " + what + " has shape " + Arrays.toString(tensor.dims()) + ", not one value");
        }
        return tensor.values()[0];
    }

    static boolean castsToFloat(Node node) {
        Attribute to = node.attributes().get("to");
        return to != null && to.i() == OnnxModel.FLOAT;
    }

    /** A bias broadcast along the batch: shape [], [1], [n] or [1, n]; anything per row is refused. */
    float[] vector(Node node, Tensor t, int n, String what) throws ModelFormatException {
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

    /** Broadcasts a constant to one sample's shape (numpy rules); refuses one that differs along the batch axis. */
    float[] broadcast(Node node, int[] shape, Tensor t, String what) throws ModelFormatException {
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
        float[] out = new float[OnnxImporter.product(shape)];
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

    /** The axis normalised against the rank with the batch axis, checked. */
    int axis(Node node, int[] shape, long axis) throws ModelFormatException {
        int rank = shape.length + 1;
        long normalised = axis < 0 ? axis + rank : axis;
        if (normalised < 0 || normalised >= rank) {
            throw malformed(node, "axis " + axis + " is out of range for rank " + rank);
        }
        return (int) normalised;
    }
}
