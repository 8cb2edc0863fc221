package dev.nncore;

import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.List;
import java.util.Locale;

/**
 * The loss functions of Keras, with Keras's semantics, their values and their gradients.
 *
 * <p>{@code predicted} and {@code target} are {@code [batch][outputs]} matrices of the same shape. The loss is
 * the mean over the batch of a per-sample loss:
 * <ul>
 *   <li>{@link #MEAN_SQUARED_ERROR}: mean over the outputs of {@code (p - t)^2};
 *   <li>{@link #MEAN_ABSOLUTE_ERROR}: mean over the outputs of {@code |p - t|};
 *   <li>{@link #BINARY_CROSSENTROPY}: mean over the outputs of {@code -(t log p + (1 - t) log(1 - p))}, with
 *       {@code p} clipped to {@code [1e-7, 1 - 1e-7]} (float32 bounds, inclusive) as Keras does;
 *   <li>{@link #CATEGORICAL_CROSSENTROPY}: {@code -sum t log q}, where {@code q} is the prediction row divided by
 *       its sum and then clipped the same way.
 * </ul>
 * {@link #gradient(Matrix, Matrix)} is the exact derivative of {@link #value(Matrix, Matrix)} with respect to
 * {@code predicted}: zero where clipping flattened the loss, zero for {@code |x|} at 0 (as Keras and PyTorch
 * take it). Values are accumulated in double precision. NaN in either matrix gives NaN, it never throws.
 *
 * <pre>{@code
 * Loss mse = Loss.fromKerasName("mse");                          // Loss.MEAN_SQUARED_ERROR
 * Matrix predicted = Matrix.of(new float[][] {{0.5f, 1}, {2, 2}});
 * Matrix target = Matrix.of(new float[][] {{0, 1}, {2, 3}});
 * double loss = mse.value(predicted, target);                    // (0.25 / 2 + 1 / 2) / 2 = 0.3125
 * Matrix dLoss = mse.gradient(predicted, target);                // 2 (p - t) / 4: [[0.25, 0.0], [0.0, -0.5]]
 * }</pre>
 *
 * @since 0.1.0
 */
public enum Loss {

    /** Keras {@code mean_squared_error} ({@code mse}, {@code MeanSquaredError}). */
    MEAN_SQUARED_ERROR("mean_squared_error", "mse", "meansquarederror") {
        @Override
        double sampleLoss(float[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                double error = (double) p[j] - t[j];
                sum += error * error;
            }
            return sum / p.length;
        }

        @Override
        void sampleGradient(float[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                out[j] = (float) (2.0 * ((double) p[j] - t[j]) * scale / p.length);
            }
        }
    },

    /** Keras {@code mean_absolute_error} ({@code mae}, {@code MeanAbsoluteError}). */
    MEAN_ABSOLUTE_ERROR("mean_absolute_error", "mae", "meanabsoluteerror") {
        @Override
        double sampleLoss(float[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                sum += Math.abs((double) p[j] - t[j]);
            }
            return sum / p.length;
        }

        @Override
        void sampleGradient(float[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                out[j] = (float) (Math.signum((double) p[j] - t[j]) * scale / p.length);
            }
        }
    },

    /** Keras {@code binary_crossentropy} ({@code bce}, {@code BinaryCrossentropy}), on probabilities. */
    BINARY_CROSSENTROPY("binary_crossentropy", "bce", "binarycrossentropy") {
        @Override
        double sampleLoss(float[] p, float[] t) {
            double sum = 0;
            for (int j = 0; j < p.length; j++) {
                double q = clip(p[j]);
                sum -= t[j] * Math.log(q) + (1.0 - t[j]) * Math.log(1.0 - q);
            }
            return sum / p.length;
        }

        @Override
        void sampleGradient(float[] p, float[] t, double scale, float[] out) {
            for (int j = 0; j < p.length; j++) {
                double q = p[j];
                double d = clipped(p[j]) ? 0.0 : -t[j] / q + (1.0 - t[j]) / (1.0 - q);
                out[j] = (float) (d * scale / p.length);
            }
        }
    },

    /** Keras {@code categorical_crossentropy} ({@code cce}, {@code CategoricalCrossentropy}), on probabilities. */
    CATEGORICAL_CROSSENTROPY("categorical_crossentropy", "cce", "categoricalcrossentropy") {
        @Override
        double sampleLoss(float[] p, float[] t) {
            double rowSum = sum(p);
            double loss = 0;
            for (int j = 0; j < p.length; j++) {
                loss -= t[j] * Math.log(clip(p[j] / rowSum));
            }
            return loss;
        }

        @Override
        void sampleGradient(float[] p, float[] t, double scale, float[] out) {
            // L = -sum_j t_j log(clip(p_j / S)); dL/dp_k = -t_k / p_k [k unclipped] + sum_{j unclipped} t_j / S
            double rowSum = sum(p);
            double unclippedTargets = 0;
            for (int j = 0; j < p.length; j++) {
                if (!clipped(p[j] / rowSum)) {
                    unclippedTargets += t[j];
                }
            }
            for (int j = 0; j < p.length; j++) {
                double own = clipped(p[j] / rowSum) ? 0.0 : -t[j] / p[j];
                out[j] = (float) ((own + unclippedTargets / rowSum) * scale);
            }
        }
    };

    /** Keras's {@code epsilon()}, 1e-7 as a float32, and the clip bounds it gives in float32. */
    private static final double CLIP_LOW = 1e-7f;
    private static final double CLIP_HIGH = 1f - 1e-7f;

    private final String kerasName;
    private final List<String> aliases;

    Loss(String kerasName, String... aliases) {
        this.kerasName = kerasName;
        this.aliases = List.of(aliases);
    }

    /** @return the name Keras uses for this loss, e.g. {@code "mean_squared_error"} */
    public String kerasName() {
        return kerasName;
    }

    /**
     * Checks that this loss can be used on the network's outputs, before any training: cross-entropy takes
     * probabilities, so a network trained or differentiated with {@link #CATEGORICAL_CROSSENTROPY} or
     * {@link #BINARY_CROSSENTROPY} must end in a layer whose {@link Layer#activation()} is softmax, sigmoid or
     * hard sigmoid. On any other output (a linear or ReLU last layer) the logarithm of a value that is not a
     * probability gives NaN or infinite gradients. The regression losses fit every output.
     * <pre>{@code
     * Network logits = Network.builder(2).dense(3, Activation.LINEAR).seed(1).build();
     * Loss.CATEGORICAL_CROSSENTROPY.checkOutputs(logits);   // throws IllegalArgumentException: "... end the network with a softmax ..."
     * }</pre>
     *
     * @param network the network whose last layer is checked; not modified
     * @throws IllegalArgumentException if this is a cross-entropy loss and the network's output is not a probability;
     *     the message names the last layer and the fix
     * @since 0.1.0
     */
    public void checkOutputs(Network network) {
        if (this != CATEGORICAL_CROSSENTROPY && this != BINARY_CROSSENTROPY) {
            return;
        }
        List<Layer> layers = network.layers();
        Layer last = layers.get(layers.size() - 1);
        Activation activation = last.activation();
        String name = activation == null ? null : activation.kerasName();
        if ("softmax".equals(name) || "sigmoid".equals(name) || "hard_sigmoid".equals(name)) {
            return;
        }
        String fix = this == CATEGORICAL_CROSSENTROPY
                ? "end the network with a softmax output, e.g. .dense(" + last.outputs() + ", Activation.SOFTMAX)"
                : "end the network with a sigmoid output, e.g. .dense(" + last.outputs() + ", Activation.SIGMOID)";
        throw new IllegalArgumentException(kerasName + " needs probabilities, but the last layer \"" + last.name() + "\" of "
                + network + " outputs " + (name == null ? "values that are not probabilities" : name + " values")
                + "; " + fix + ", or use a regression loss such as mean_squared_error");
    }

    /**
     * The loss Keras calls {@code name}: its function name ({@code "binary_crossentropy"}), its short alias
     * ({@code "bce"}, {@code "mse"}, {@code "mae"}, {@code "cce"}) or its class name
     * ({@code "BinaryCrossentropy"}); case is ignored.
     *
     * @param name the Keras name
     * @return the loss
     * @throws IllegalArgumentException if no loss has that name; the message lists the names nn-core knows
     */
    public static Loss fromKerasName(String name) {
        if (name != null) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (Loss loss : values()) {
                if (loss.kerasName.equals(wanted) || loss.aliases.contains(wanted)) {
                    return loss;
                }
            }
        }
        StringBuilder known = new StringBuilder();
        for (Loss loss : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(loss.kerasName).append(" (").append(loss.aliases.get(0)).append(')');
        }
        throw new IllegalArgumentException("Unknown loss '" + name + "'; nn-core knows " + known);
    }

    /**
     * The loss of each sample.
     *
     * @param predicted the network's outputs, one row per sample; not modified
     * @param target the expected outputs, same shape; not modified
     * @return one loss per row
     * @throws IllegalArgumentException if the shapes differ
     */
    public double[] perSample(Matrix predicted, Matrix target) {
        checkShapes(predicted, target);
        float[][] p = MatrixAccess.rows(predicted);
        float[][] t = MatrixAccess.rows(target);
        double[] losses = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            losses[i] = sampleLoss(p[i], t[i]);
        }
        return losses;
    }

    /**
     * The loss: the mean over the batch of {@link #perSample(Matrix, Matrix)}.
     *
     * @param predicted the network's outputs, one row per sample; not modified
     * @param target the expected outputs, same shape; not modified
     * @return the mean loss
     * @throws IllegalArgumentException if the shapes differ
     */
    public double value(Matrix predicted, Matrix target) {
        double sum = 0;
        for (double loss : perSample(predicted, target)) {
            sum += loss;
        }
        return sum / predicted.rows();
    }

    /**
     * The gradient of {@link #value(Matrix, Matrix)} with respect to {@code predicted}.
     *
     * @param predicted the network's outputs, one row per sample; not modified
     * @param target the expected outputs, same shape; not modified
     * @return {@code d value / d predicted}, the shape of {@code predicted}
     * @throws IllegalArgumentException if the shapes differ
     */
    public Matrix gradient(Matrix predicted, Matrix target) {
        checkShapes(predicted, target);
        float[][] p = MatrixAccess.rows(predicted);
        float[][] t = MatrixAccess.rows(target);
        float[][] out = new float[p.length][p[0].length];
        double scale = 1.0 / p.length;
        for (int i = 0; i < p.length; i++) {
            sampleGradient(p[i], t[i], scale, out[i]);
        }
        return MatrixAccess.wrap(out);
    }

    /** One sample's loss. */
    abstract double sampleLoss(float[] predicted, float[] target);

    /** {@code scale} times the gradient of one sample's loss, written to {@code out}. */
    abstract void sampleGradient(float[] predicted, float[] target, double scale, float[] out);

    private static void checkShapes(Matrix predicted, Matrix target) {
        if (predicted == null || target == null) {
            throw new IllegalArgumentException("loss needs predicted and target matrices, got "
                    + (predicted == null ? "null" : predicted.shape()) + " and " + (target == null ? "null" : target.shape()));
        }
        if (predicted.rows() != target.rows() || predicted.cols() != target.cols()) {
            throw new IllegalArgumentException("predicted is " + predicted.shape() + " but target is " + target.shape()
                    + "; they must have the same shape (one row per sample, one column per output)");
        }
    }

    static double clip(double p) {
        return Math.min(Math.max(p, CLIP_LOW), CLIP_HIGH);
    }

    /** True where clipping changed {@code p}, so the loss is flat there; NaN is not clipped, so it propagates. */
    static boolean clipped(double p) {
        return p < CLIP_LOW || p > CLIP_HIGH;
    }

    private static double sum(float[] values) {
        double sum = 0;
        for (float value : values) {
            sum += value;
        }
        return sum;
    }
}
