package dev.nncore;

import java.util.Map;

/**
 * One loss's per-sample formula and its exact derivative, in float64, as Keras 3 writes it in
 * {@code keras/src/losses/losses.py} and the backend's {@code nn.py} ({@code binary_crossentropy},
 * {@code categorical_crossentropy}, {@code sparse_categorical_crossentropy}). Each subclass is one loss; the
 * value and the gradient of a loss sit side by side so a reader can check one against the other.
 *
 * <p>{@code p} is one prediction row, {@code t} its target row (one integer label for the sparse loss).
 * {@link #gradient} writes {@code scale * d value / d p}, rounded once to float32. Immutable.
 */
abstract class LossFormula {

    /** Keras's {@code epsilon()}, 1e-7 as a float32, and the clip bounds it gives in float32. */
    static final double EPSILON = 1e-7f;
    static final double CLIP_HIGH = 1f - 1e-7f;

    /** @return the Keras function name, e.g. {@code "binary_crossentropy"} */
    abstract String kerasName();

    /** @return the non-default-capable parameters in Keras's config spelling; empty if none */
    Map<String, Object> parameters() {
        return Map.of();
    }

    /** @return one sample's loss */
    abstract double value(double[] p, float[] t);

    /**
     * One sample's loss from a float32 prediction row: {@link #value(double[], float[])} of the row widened to float64
     * (exactly), through a per-thread row so that a training step allocates nothing. Formulas on the common training
     * path read the floats in place with the same arithmetic, which spares the copy and the thread-local lookup.
     */
    double value(float[] p, float[] t) {
        return value(widen(p), t);
    }

    /** Writes {@code scale * d value / d p} for one float32 prediction row, widened as {@link #value(float[], float[])}. */
    final void gradient(float[] p, float[] t, double scale, float[] out) {
        gradient(widen(p), t, scale, out);
    }

    /** One row widened to double, per thread: the training step calls this for every row, and must not allocate. */
    private static final ThreadLocal<double[][]> WIDE = ThreadLocal.withInitial(() -> new double[1][0]);

    private static double[] widen(float[] values) {
        double[][] holder = WIDE.get();
        double[] out = holder[0];
        if (out.length != values.length) {
            out = new double[values.length];
            holder[0] = out;
        }
        for (int j = 0; j < values.length; j++) {
            out[j] = values[j];
        }
        return out;
    }

    /** Writes {@code scale * d value / d p} for one sample to {@code out}. */
    abstract void gradient(double[] p, float[] t, double scale, float[] out);

    /** @return whether the predictions must be probabilities (a cross-entropy not {@code from_logits}) */
    boolean needsProbabilities() {
        return false;
    }

    /** @return whether the target row is one integer label instead of one value per output */
    boolean sparse() {
        return false;
    }

    /** Formulas without parameters are equal when they are the same loss; those with parameters compare them too. */
    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }

    static double clip(double p) {
        return Math.min(Math.max(p, EPSILON), CLIP_HIGH);
    }

    /** True where clipping changed {@code p}, so the loss is flat there; NaN is not clipped, so it propagates. */
    static boolean clipped(double p) {
        return p < EPSILON || p > CLIP_HIGH;
    }

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** {@code log(1 + exp(x))} without overflow. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** {@code log(sum(exp(z)))} without overflow, the max subtracted first. */
    static double logSumExp(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double value : z) {
            max = Math.max(max, value);
        }
        if (Double.isInfinite(max)) {
            return max;
        }
        double sum = 0;
        for (double value : z) {
            sum += Math.exp(value - max);
        }
        return max + Math.log(sum);
    }

    static double sum(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum;
    }

    /** {@link #sum(double[])} of a float32 row, each value widened exactly: the same bits. */
    static double sum(float[] values) {
        double sum = 0;
        for (float value : values) {
            sum += value;
        }
        return sum;
    }

    /**
     * The integer label held in a sparse target row, checked against the number of outputs.
     *
     * @throws IllegalArgumentException naming the label and the number of outputs if it is not a class index
     */
    static int label(float[] t, int outputs) {
        float value = t[0];
        int label = (int) value;
        if (label != value || label < 0 || label >= outputs) {
            throw new IllegalArgumentException("label " + (label == value ? String.valueOf(label) : String.valueOf(value))
                    + " is out of range for " + outputs + " outputs; sparse_categorical_crossentropy takes integer class"
                    + " indices 0.." + (outputs - 1) + " in one target column");
        }
        return label;
    }
}
