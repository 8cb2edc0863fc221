package dev.nncore;

import dev.nncore.internal.DataChecks;
import dev.nncore.internal.GradientKernel;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import dev.nncore.math.MatrixOps;
import java.util.ArrayList;
import java.util.List;

/**
 * Analytic backpropagation in float32: the forward pass exactly as {@link Network#forward(Matrix)} computes it
 * (same kernels, same summation order, so the same bits), then the chain rule back to every weight.
 *
 * <p>For a layer {@code a = f(z)}, {@code z = a_prev · kernel + bias}, with {@code delta = dL/dz}:
 * {@code dL/dkernel = a_prev^T · delta}, {@code dL/dbias = column sums of delta},
 * {@code dL/da_prev = delta · kernel^T}. Activation derivatives are taken from the outputs {@code a}.
 *
 * <p>Two output/loss pairs take a fused path, because the general one divides by a probability and multiplies it
 * back: softmax with categorical cross-entropy gives {@code dL/dz = (p * sum(t) / sum(p) - t) / N}, which is
 * {@code (p - t) / N} for one-hot targets; sigmoid with binary cross-entropy gives {@code (p - t) / (N * M)}.
 * Both are the exact derivative of Keras's clipped loss wherever its clipping is inactive. Where it is active
 * (a probability outside {@code [1e-7, 1 - 1e-7]}) the loss is flat in that probability: binary cross-entropy
 * then contributes 0, as {@link Loss#gradient} says, and a clipped softmax row goes through the general chain rule
 * ({@link Loss#gradient} times the softmax Jacobian), so both paths match Keras's clipped value.
 *
 * <p>One instance per training run, reusing its buffers; not thread-safe.
 */
final class Backprop extends GradientKernel {

    static {
        GradientKernel.install(Backprop::new);
    }

    private final Activation[] activations;
    private final int[] inputs;
    private final int[] units;
    private final Loss loss;
    private final boolean softmaxCrossEntropy;
    private final boolean sigmoidCrossEntropy;

    private Buffers current;
    private Buffers spare;
    private float[][] lastX;

    /** Per-batch-size work arrays: outputs, dL/dz and dL/da per layer, transposed kernels. */
    private static final class Buffers {
        final int rows;
        final float[][][] outputs;
        final float[][][] deltas;
        final float[][][] upstream;
        final float[][][] transposed;
        final float[][][] inputsTransposed;

        Buffers(int rows, int[] inputs, int[] units) {
            this.rows = rows;
            int layers = units.length;
            outputs = new float[layers][][];
            deltas = new float[layers][][];
            upstream = new float[layers][][];
            transposed = new float[layers][][];
            inputsTransposed = new float[layers][][];
            for (int l = 0; l < layers; l++) {
                inputsTransposed[l] = new float[inputs[l]][rows];
                outputs[l] = new float[rows][units[l]];
                deltas[l] = new float[rows][units[l]];
                upstream[l] = new float[rows][units[l]];
                transposed[l] = l == 0 ? null : new float[units[l]][inputs[l]];
            }
        }
    }

    Backprop(Network network, Loss loss) {
        List<Dense> layers = network.layers();
        int count = layers.size();
        activations = new Activation[count];
        inputs = new int[count];
        units = new int[count];
        for (int l = 0; l < count; l++) {
            activations[l] = layers.get(l).activation();
            inputs[l] = layers.get(l).inputs();
            units[l] = layers.get(l).units();
        }
        this.loss = loss;
        Activation last = activations[count - 1];
        softmaxCrossEntropy = last == Activation.SOFTMAX && loss == Loss.CATEGORICAL_CROSSENTROPY;
        sigmoidCrossEntropy = last == Activation.SIGMOID && loss == Loss.BINARY_CROSSENTROPY;
    }

    /** {@link Network#gradients(Matrix, Matrix, Loss)}: checks, then one forward and one backward pass. */
    static List<Matrix> gradients(Network network, Matrix x, Matrix y, Loss loss) {
        DataChecks.checkShapes(network, x, y, "x", "y");
        if (loss == null) {
            throw new IllegalArgumentException("loss must not be null; pick one of Loss.values(), e.g. Loss.MEAN_SQUARED_ERROR");
        }
        List<float[][]> weights = new ArrayList<>();
        List<float[][]> gradients = new ArrayList<>();
        for (Dense layer : network.layers()) {
            weights.add(layer.kernelView());
            weights.add(new float[][] {layer.biasView()});
            gradients.add(new float[layer.inputs()][layer.units()]);
            gradients.add(new float[1][layer.units()]);
        }
        Backprop kernel = new Backprop(network, loss);
        float[][] targets = MatrixAccess.rows(y);
        kernel.forward(MatrixAccess.rows(x), targets, weights);
        kernel.backward(targets, weights, gradients);
        List<Matrix> result = new ArrayList<>(gradients.size());
        for (float[][] gradient : gradients) {
            result.add(MatrixAccess.wrap(gradient));
        }
        return List.copyOf(result);
    }

    @Override
    public double forward(float[][] x, float[][] y, List<float[][]> weights) {
        Buffers buffers = buffers(x.length);
        float[][] in = x;
        for (int l = 0; l < units.length; l++) {
            float[][] out = buffers.outputs[l];
            MatrixOps.affine(in, weights.get(2 * l), weights.get(2 * l + 1)[0], out);
            for (float[] row : out) {
                activations[l].applyInPlace(row);
            }
            in = out;
        }
        lastX = x;
        double sum = 0;
        for (int i = 0; i < in.length; i++) {
            sum += loss.sampleLoss(in[i], y[i]);
        }
        return sum / in.length;
    }

    @Override
    public float[][] outputs() {
        return current.outputs[units.length - 1];
    }

    @Override
    public void backward(float[][] y, List<float[][]> weights, List<float[][]> gradients) {
        Buffers buffers = current;
        int last = units.length - 1;
        double scale = 1.0 / buffers.rows;
        float[][] predicted = buffers.outputs[last];
        for (int i = 0; i < buffers.rows; i++) {
            outputDelta(predicted[i], y[i], scale, buffers.upstream[last][i], buffers.deltas[last][i]);
        }
        for (int l = last; l >= 0; l--) {
            float[][] in = l == 0 ? lastX : buffers.outputs[l - 1];
            float[][] delta = buffers.deltas[l];
            kernelGradient(in, delta, buffers.inputsTransposed[l], gradients.get(2 * l));
            biasGradient(delta, gradients.get(2 * l + 1)[0]);
            if (l > 0) {
                // dL/da_prev = delta · kernel^T; multiplying by a transposed copy keeps the inner loop contiguous.
                float[][] transposed = buffers.transposed[l];
                transpose(weights.get(2 * l), transposed);
                MatrixOps.multiply(delta, transposed, buffers.upstream[l - 1]);
                for (int i = 0; i < buffers.rows; i++) {
                    activationBackward(activations[l - 1], buffers.outputs[l - 1][i], buffers.upstream[l - 1][i],
                            buffers.deltas[l - 1][i]);
                }
            }
        }
    }

    /** dL/dz for one output row, {@code scale} = 1/N; {@code upstream} is scratch for dL/dp. */
    private void outputDelta(float[] p, float[] t, double scale, float[] upstream, float[] delta) {
        if (sigmoidCrossEntropy) {
            double perOutput = scale / p.length;
            for (int j = 0; j < p.length; j++) {
                delta[j] = Loss.clipped(p[j]) ? 0f : (float) (((double) p[j] - t[j]) * perOutput);
            }
            return;
        }
        if (softmaxCrossEntropy) {
            double rowSum = 0;
            double targetSum = 0;
            for (int j = 0; j < p.length; j++) {
                rowSum += p[j];
                targetSum += t[j];
            }
            boolean clipping = false;
            for (int j = 0; j < p.length && !clipping; j++) {
                clipping = Loss.clipped(p[j] / rowSum);
            }
            if (!clipping) {
                double ratio = targetSum / rowSum;
                for (int j = 0; j < p.length; j++) {
                    delta[j] = (float) ((p[j] * ratio - t[j]) * scale);
                }
                return;
            }
        }
        loss.sampleGradient(p, t, scale, upstream);
        activationBackward(activations[activations.length - 1], p, upstream, delta);
    }

    /** {@code out = dL/dz} from the activation's output {@code a} and {@code upstream = dL/da}. */
    static void activationBackward(Activation activation, float[] a, float[] upstream, float[] out) {
        switch (activation) {
            case LINEAR -> System.arraycopy(upstream, 0, out, 0, a.length);
            case RELU -> {
                for (int j = 0; j < a.length; j++) {
                    out[j] = a[j] > 0f ? upstream[j] : 0f; // a > 0 exactly where z > 0; Keras takes relu'(0) = 0
                }
            }
            case SIGMOID -> {
                for (int j = 0; j < a.length; j++) {
                    out[j] = (float) (upstream[j] * ((double) a[j] * (1.0 - a[j])));
                }
            }
            case TANH -> {
                for (int j = 0; j < a.length; j++) {
                    out[j] = (float) (upstream[j] * (1.0 - (double) a[j] * a[j]));
                }
            }
            case SOFTMAX -> {
                // Jacobian-vector product: dz_j = a_j (g_j - sum_k g_k a_k)
                double dot = 0;
                for (int j = 0; j < a.length; j++) {
                    dot += (double) upstream[j] * a[j];
                }
                for (int j = 0; j < a.length; j++) {
                    out[j] = (float) (a[j] * (upstream[j] - dot));
                }
            }
            default -> throw new IllegalStateException("no derivative for activation " + activation);
        }
    }

    /**
     * {@code gradient = in^T · delta}, summed over rows in increasing order: the input is transposed into a buffer so
     * that the product runs on the blocked (and, where present, Vector API) kernel; the copy costs one pass over the
     * batch against the product's {@code units} passes.
     */
    private static void kernelGradient(float[][] in, float[][] delta, float[][] inTransposed, float[][] gradient) {
        transpose(in, inTransposed);
        MatrixOps.multiply(inTransposed, delta, gradient);
    }

    private static void biasGradient(float[][] delta, float[] gradient) {
        java.util.Arrays.fill(gradient, 0f);
        for (float[] row : delta) {
            for (int j = 0; j < gradient.length; j++) {
                gradient[j] += row[j];
            }
        }
    }

    private static void transpose(float[][] matrix, float[][] out) {
        for (int r = 0; r < matrix.length; r++) {
            float[] row = matrix[r];
            for (int c = 0; c < row.length; c++) {
                out[c][r] = row[c];
            }
        }
    }

    /** A training run uses two batch sizes (full and the last, shorter one), so two buffer sets are kept. */
    private Buffers buffers(int rows) {
        if (current == null || current.rows != rows) {
            Buffers other = spare != null && spare.rows == rows ? spare : new Buffers(rows, inputs, units);
            spare = current;
            current = other;
        }
        return current;
    }
}
