package dev.nncore.onnx;

import dev.nncore.Activation;
import dev.nncore.BatchNormalization;
import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.LayerNormalization;
import dev.nncore.keras.ModelFormatException;
import dev.nncore.math.Matrix;
import dev.nncore.onnx.OnnxModel.Node;
import dev.nncore.onnx.OnnxModel.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The operators with weights or shapes, each mapped onto one nn-core layer (or a shape per sample) from the node and
 * the shape per sample of its data: Gemm, BatchNormalization, LayerNormalization, Reshape, Squeeze and Unsqueeze.
 * Where the layer goes in the graph is {@link OnnxImporter}'s business.
 */
final class OnnxLayers {

    private final OnnxOperands operands;

    OnnxLayers(OnnxOperands operands) {
        this.operands = operands;
    }

    /** Gemm with the data as A: a Dense of kernel {@code alpha * B} (transposed with {@code transB}) and bias {@code beta * C}. */
    Dense gemm(Node node, int[] shape) throws ModelFormatException {
        if (operands.intAttribute(node, "transA", 0) != 0) {
            throw operands.unsupported(node, "transA = 1 would transpose the batch of inputs (A is the data)");
        }
        boolean transB = operands.intAttribute(node, "transB", 0) != 0;
        double alpha = operands.floatAttribute(node, "alpha", 1);
        double beta = operands.floatAttribute(node, "beta", 1);
        if (node.inputs().size() < 2) {
            throw operands.malformed(node, "Gemm needs inputs A and B");
        }
        Tensor b = operands.constantInput(node, 1, "weight B");
        if (b == null) {
            throw operands.malformed(node, "Gemm needs inputs A and B");
        }
        if (b.floats() == null || b.dims().length != 2) {
            throw operands.unsupported(node, "B must be a float matrix, got shape " + Arrays.toString(b.dims()) + " of type " + b.dataType());
        }
        if (shape.length != 1) {
            throw operands.malformed(node, "Gemm takes a matrix A, but the data has shape [batch] + " + Arrays.toString(shape));
        }
        int rows = (int) b.dims()[0];
        int cols = (int) b.dims()[1];
        int in = transB ? cols : rows;
        int units = transB ? rows : cols;
        if (in != shape[0]) {
            throw operands.malformed(node, "B has shape " + Arrays.toString(b.dims()) + (transB ? " (transposed)" : "")
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
        Tensor c = operands.constantInput(node, 2, "bias C");
        if (c == null) {
            return Dense.withoutBias(kernel, Activation.LINEAR);
        }
        float[] bias = operands.vector(node, c, units, "bias C");
        if (beta != 1) {
            for (int j = 0; j < units; j++) {
                bias[j] = (float) (beta * bias[j]);
            }
        }
        return Dense.of(kernel, bias, Activation.LINEAR);
    }

    /** @return the shape per sample a Reshape gives; refuses one that moves the batch axis */
    int[] reshape(Node node, int opset, int[] shape, long staticBatch) throws ModelFormatException {
        long[] target;
        if (opset < 5) {
            target = operands.intsAttribute(node, "shape");
        } else {
            Tensor t = operands.constantInput(node, 1, "shape");
            target = t == null ? null : t.ints();
        }
        if (target == null) {
            throw operands.malformed(node, "no target shape");
        }
        if (target.length < 1) {
            throw operands.unsupported(node, "the target shape " + Arrays.toString(target) + " drops the batch axis");
        }
        boolean allowZero = operands.intAttribute(node, "allowzero", 0) != 0;
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
                    throw operands.malformed(node, "target dimension " + i + " copies an input dimension that does not exist");
                }
                d = full[i];
            }
            if (d == -1) {
                if (unknown >= 0) {
                    throw operands.malformed(node, "the target shape " + Arrays.toString(target) + " has two -1s");
                }
                unknown = i - 1;
                continue;
            }
            if (d < 1 || d > Integer.MAX_VALUE) {
                throw operands.unsupported(node, "target dimension " + d + " in " + Arrays.toString(target));
            }
            sample[i - 1] = (int) d;
            known *= d;
            if (known > Integer.MAX_VALUE) {
                throw operands.malformed(node, "the target shape " + Arrays.toString(target) + " is too large");
            }
        }
        int width = OnnxImporter.product(shape);
        boolean keepsBatch = (target[0] == 0 && !allowZero) || (target[0] == -1 && unknown < 0)
                || (target[0] > 0 && target[0] == staticBatch);
        if (unknown >= 0) {
            if (known == 0 || width % known != 0) {
                throw operands.malformed(node, "cannot reshape " + width + " values per sample to " + Arrays.toString(target));
            }
            sample[unknown] = (int) (width / known);
            known = width;
        }
        if (!keepsBatch || known != width) {
            throw operands.unsupported(node, "the target shape " + Arrays.toString(target) + " does not keep the batch axis with"
                    + " " + Arrays.toString(shape) + " per sample; nn-core reshapes within a sample only");
        }
        return sample;
    }

    /** @return the shape per sample a Squeeze or Unsqueeze gives; refuses one that touches the batch axis */
    int[] squeeze(Node node, int opset, boolean unsqueeze, int[] shape, long staticBatch) throws ModelFormatException {
        long[] axes;
        if (opset < 13) {
            axes = operands.intsAttribute(node, "axes");
        } else {
            Tensor t = operands.constantInput(node, 1, "axes");
            axes = t == null ? null : t.ints();
        }
        if (axes == null) {
            if (unsqueeze) {
                throw operands.malformed(node, "no axes");
            }
            if (staticBatch == 1) {
                throw operands.unsupported(node, "Squeeze without axes would drop a batch axis of size 1");
            }
            List<Integer> kept = new ArrayList<>();
            for (int d : shape) {
                if (d != 1) {
                    kept.add(d);
                }
            }
            return kept.isEmpty() ? new int[] {1} : kept.stream().mapToInt(Integer::intValue).toArray();
        }
        int rank = shape.length + 1 + (unsqueeze ? axes.length : 0);
        Set<Integer> set = new LinkedHashSet<>();
        for (long a : axes) {
            long n = a < 0 ? a + rank : a;
            if (n < 0 || n >= rank || !set.add((int) n)) {
                throw operands.malformed(node, "axes " + Arrays.toString(axes) + " are out of range or repeated for rank " + rank);
            }
            if (n == 0) {
                throw operands.unsupported(node, "axes " + Arrays.toString(axes) + " include the batch axis 0");
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
                        throw operands.malformed(node, "squeezes axis " + axis + " of size " + shape[axis - 1]);
                    }
                } else {
                    out.add(shape[axis - 1]);
                }
            }
        }
        if (out.isEmpty()) {
            throw operands.unsupported(node, "the result has no feature axis left ([batch]); nn-core keeps [batch, features]");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** BatchNormalization in inference, its statistics expanded to one value per feature of the flattened sample. */
    BatchNormalization batchNormalization(Node node, int opset, int[] shape) throws ModelFormatException {
        if (operands.intAttribute(node, "training_mode", 0) != 0) {
            throw operands.unsupported(node, "training_mode = 1; nn-core reads inference graphs");
        }
        if (opset < 9 && operands.intAttribute(node, "is_test", 1) == 0 && opset < 7) {
            throw operands.unsupported(node, "is_test = 0; nn-core reads inference graphs");
        }
        double epsilon = operands.floatAttribute(node, "epsilon", 1e-5);
        double momentum = operands.floatAttribute(node, "momentum", 0.9);
        boolean spatial = operands.intAttribute(node, "spatial", 1) != 0;
        if (!(epsilon > 0)) {
            throw operands.unsupported(node, "epsilon " + epsilon + "; nn-core's BatchNormalization needs it above 0");
        }
        String[] what = {"scale", "B", "mean", "var"};
        float[][] params = new float[4][];
        int channels = shape[0];
        int spatialSize = OnnxImporter.product(shape) / channels;
        for (int k = 0; k < 4; k++) {
            Tensor t = operands.constantInput(node, k + 1, what[k]);
            if (t == null || t.floats() == null) {
                throw operands.malformed(node, "input " + what[k] + " is missing or not floating point");
            }
            if (!spatial && opset < 9) {
                params[k] = operands.broadcast(node, shape, t, what[k]);
                continue;
            }
            if (t.count() != channels) {
                throw operands.malformed(node, what[k] + " has " + t.count() + " values, expected one per channel (" + channels
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
                throw operands.malformed(node, "var holds " + v + "; a variance is at least 0");
            }
        }
        return BatchNormalization.of(momentum >= 0 && momentum <= 1 ? momentum : BatchNormalization.DEFAULT_MOMENTUM,
                epsilon, params[0], params[1], params[2], params[3]);
    }

    /** LayerNormalization over each sample whole, its scale and offset broadcast to the flattened sample. */
    Layer layerNormalization(Node node, int[] shape) throws ModelFormatException {
        int axis = operands.axis(node, shape, operands.intAttribute(node, "axis", -1));
        if (axis < 1 || OnnxImporter.product(Arrays.copyOfRange(shape, 0, axis - 1)) != 1) {
            throw operands.unsupported(node, "axis " + axis + " normalises " + (axis == 0 ? "across the batch" : "groups within a"
                    + " sample of shape " + Arrays.toString(shape)) + "; nn-core normalises each sample whole");
        }
        double epsilon = operands.floatAttribute(node, "epsilon", 1e-5);
        if (!(epsilon > 0)) {
            throw operands.unsupported(node, "epsilon " + epsilon + "; nn-core needs it above 0");
        }
        Tensor scale = operands.constantInput(node, 1, "scale");
        if (scale == null) {
            throw operands.malformed(node, "no scale");
        }
        float[] gamma = operands.broadcast(node, shape, scale, "scale");
        Tensor b = operands.constantInput(node, 2, "B");
        float[] beta = b == null ? null : operands.broadcast(node, shape, b, "B");
        LayerNormalization layer = LayerNormalization.of(OnnxImporter.product(shape), epsilon, beta != null, true);
        List<Matrix> weights = beta == null ? List.of(Matrix.row(gamma)) : List.of(Matrix.row(gamma), Matrix.row(beta));
        return layer.withWeights(weights);
    }
}
