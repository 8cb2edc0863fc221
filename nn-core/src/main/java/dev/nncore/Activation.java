package dev.nncore;

import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The activation functions a {@link Dense} layer applies to its weighted sums, named as in Keras.
 *
 * <p>All but {@link #SOFTMAX} act on each value alone; softmax acts on each row (one sample's outputs). All are
 * numerically stable: sigmoid and tanh saturate to exactly 0/1 and -1/1 for large |x| without NaN, and softmax
 * subtracts the row's maximum before exponentiating, so inputs like 1000 still give a row summing to 1.
 * NaN inputs give NaN outputs (softmax: the whole row), as in Keras; nothing throws.
 *
 * <pre>{@code
 * Activation relu = Activation.fromKerasName("relu");          // Activation.RELU
 * float[] hidden = relu.apply(-1.3f, 1.2f);                     // {0.0, 1.2}
 * float[] p = Activation.SOFTMAX.apply(1000f, 1000f);          // {0.5, 0.5}
 * String name = Activation.SIGMOID.kerasName();                 // "sigmoid"
 * }</pre>
 *
 * @since 0.1.0
 */
public enum Activation {

    /** {@code f(x) = x}; Keras's default when a Dense layer names no activation. */
    LINEAR("linear") {
        @Override
        void applyInPlace(float[] row) {
            // identity
        }
    },

    /** {@code f(x) = max(x, 0)}. */
    RELU("relu") {
        @Override
        void applyInPlace(float[] row) {
            for (int i = 0; i < row.length; i++) {
                // "<= 0" keeps NaN (every comparison with NaN is false) and turns -0.0 into 0.0.
                if (row[i] <= 0f) {
                    row[i] = 0f;
                }
            }
        }
    },

    /** {@code f(x) = 1 / (1 + e^-x)}, computed without overflow for either sign of x. */
    SIGMOID("sigmoid") {
        @Override
        void applyInPlace(float[] row) {
            for (int i = 0; i < row.length; i++) {
                row[i] = sigmoid(row[i]);
            }
        }
    },

    /** {@code f(x) = tanh(x)}. */
    TANH("tanh") {
        @Override
        void applyInPlace(float[] row) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) Math.tanh(row[i]);
            }
        }
    },

    /** {@code f(x)_j = e^(x_j - max) / sum_k e^(x_k - max)} over each row. */
    SOFTMAX("softmax") {
        @Override
        void applyInPlace(float[] row) {
            float max = Float.NEGATIVE_INFINITY;
            for (float value : row) {
                max = Math.max(max, value); // Math.max propagates NaN, so a NaN row stays NaN
            }
            double sum = 0;
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) Math.exp((double) row[i] - max); // each term is in (0, 1], the max's is 1
                sum += row[i];
            }
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (row[i] / sum);
            }
        }
    };

    private final String kerasName;

    Activation(String kerasName) {
        this.kerasName = kerasName;
    }

    /** @return the name Keras uses for this activation, e.g. {@code "relu"} */
    public String kerasName() {
        return kerasName;
    }

    /**
     * The activation Keras calls {@code name}.
     *
     * @param name a Keras activation name such as {@code "relu"} or {@code "softmax"}; case is ignored
     * @return the activation
     * @throws IllegalArgumentException if nn-core has no activation of that name; the message lists those it has
     */
    public static Activation fromKerasName(String name) {
        if (name != null) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (Activation activation : values()) {
                if (activation.kerasName.equals(wanted)) {
                    return activation;
                }
            }
        }
        throw new IllegalArgumentException("Unknown activation '" + name + "'; nn-core knows "
                + Arrays.stream(values()).map(Activation::kerasName).collect(Collectors.joining(", ")));
    }

    /**
     * Applies the activation to one row (one sample).
     *
     * @param row the weighted sums; not modified
     * @return a new array with the activations
     */
    public float[] apply(float... row) {
        float[] out = row.clone();
        applyInPlace(out);
        return out;
    }

    /**
     * Applies the activation to every row of {@code batch}.
     *
     * @param batch one row per sample; not modified
     * @return a new matrix of the same shape
     */
    public Matrix apply(Matrix batch) {
        float[][] out = batch.toArray();
        for (float[] row : out) {
            applyInPlace(row);
        }
        return MatrixAccess.wrap(out);
    }

    /** Applies the activation to {@code row}, overwriting it. */
    abstract void applyInPlace(float[] row);

    static float sigmoid(float x) {
        if (x >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x); // x < 0 or NaN: e^x cannot overflow
        return (float) (e / (1.0 + e));
    }
}
