package dev.nncore.activations;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras 3's {@code relu(x, negative_slope, max_value, threshold)}, which the {@code ReLU}, {@code LeakyReLU} layers and
 * the {@code relu6} and {@code leaky_relu} activations are cases of: {@code x} above the threshold (capped at
 * {@code max_value}), {@code negative_slope * (x - threshold)} below it, 0 at it, computed as Keras's code computes
 * it. The derivative is that of each step as TensorFlow differentiates it: relu and relu6 give 0 at their kinks, a
 * clip passes the gradient at its bounds, and plain leaky relu gives its slope at 0.
 */
public final class Relu extends Elementwise {

    private final double negativeSlope;
    private final Double maxValue;
    private final double threshold;
    private final boolean plain;

    /**
     * @param negativeSlope the slope below the threshold
     * @param maxValue the cap, or null for none
     * @param threshold where the function starts to pass x through
     */
    public Relu(double negativeSlope, Double maxValue, double threshold) {
        this.negativeSlope = negativeSlope;
        this.maxValue = maxValue;
        this.threshold = threshold;
        this.plain = negativeSlope == 0 && maxValue == null && threshold == 0;
    }

    @Override
    public String kerasName() {
        if (negativeSlope == 0 && threshold == 0 && maxValue != null && maxValue == 6.0) {
            return "relu6";
        }
        if (negativeSlope != 0 && threshold == 0 && maxValue == null) {
            return "leaky_relu";
        }
        return "relu";
    }

    @Override
    public Map<String, Object> parameters() {
        String name = kerasName();
        if (plain || "relu6".equals(name)) {
            return Map.of();
        }
        if ("leaky_relu".equals(name)) {
            return Map.of("negative_slope", negativeSlope);
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("negative_slope", negativeSlope);
        parameters.put("max_value", maxValue);
        parameters.put("threshold", threshold);
        return parameters;
    }

    /** @return the slope below the threshold */
    public double negativeSlope() {
        return negativeSlope;
    }

    /** @return the cap, or null */
    public Double maxValue() {
        return maxValue;
    }

    /** @return the threshold */
    public double threshold() {
        return threshold;
    }

    /** Keras takes {@code relu6} for a cap of exactly 6 without a threshold, a clip otherwise. */
    private boolean relu6Path() {
        return threshold == 0 && maxValue != null && maxValue == 6.0;
    }

    /**
     * Keras 3's {@code activations.relu}, step by step: the positive part ({@code x * (x > threshold)}, or relu6, or
     * relu), clipped to {@code [0, max_value]} unless relu6 already capped it, minus
     * {@code negative_slope * relu(threshold - x)}.
     */
    @Override
    public double value(double x) {
        if (plain) {
            return x <= 0 ? 0 : x;
        }
        if (Double.isNaN(x)) {
            return x;
        }
        double y;
        if (threshold != 0) {
            y = x > threshold ? x : 0;
        } else if (relu6Path()) {
            y = Math.min(Math.max(x, 0), 6);
        } else {
            y = Math.max(x, 0);
        }
        if (maxValue != null && !relu6Path()) {
            y = Math.min(Math.max(y, 0), maxValue);
        }
        if (negativeSlope != 0) {
            y -= negativeSlope * Math.max(threshold - x, 0);
        }
        return y;
    }

    /** The derivative of {@link #value}'s steps as TensorFlow takes them: relu' and relu6' are 0 at their kinks. */
    @Override
    public double derivative(double x, double y) {
        if (plain) {
            return y > 0 ? 1 : 0;
        }
        if (negativeSlope != 0 && threshold == 0 && maxValue == null) {
            return x > 0 ? 1 : negativeSlope; // Keras calls leaky_relu, whose gradient at 0 is the slope
        }
        double positive;
        double positiveValue;
        if (threshold != 0) {
            positive = x > threshold ? 1 : 0;
            positiveValue = x > threshold ? x : 0;
        } else if (relu6Path()) {
            positive = x > 0 && x < 6 ? 1 : 0;
            positiveValue = Math.min(Math.max(x, 0), 6);
        } else {
            positive = x > 0 ? 1 : 0;
            positiveValue = Math.max(x, 0);
        }
        if (maxValue != null && !relu6Path() && (positiveValue < 0 || positiveValue > maxValue)) {
            positive = 0; // clip passes the gradient inside [0, max_value], bounds included
        }
        return positive + (x < threshold ? negativeSlope : 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Relu other && Double.compare(negativeSlope, other.negativeSlope) == 0
                && java.util.Objects.equals(maxValue, other.maxValue) && Double.compare(threshold, other.threshold) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(negativeSlope, maxValue, threshold);
    }

    @Override
    public void apply(float[] row) {
        if (!plain) {
            super.apply(row);
            return;
        }
        for (int i = 0; i < row.length; i++) {
            // Math.max keeps NaN and turns -0.0 into 0.0, as "if (x <= 0) x = 0" does, without a branch: on a batch's
            // half-negative rows that branch mispredicted often enough to cost 15 times the loop (256x128: 102 us, 7 us).
            row[i] = Math.max(row[i], 0f);
        }
    }

    @Override
    public void gradient(float[] z, float[] a, float[] upstream, float[] out) {
        if (!plain) {
            super.gradient(z, a, upstream, out);
            return;
        }
        for (int j = 0; j < a.length; j++) {
            // upstream where a > 0 (exactly where z > 0; Keras takes relu'(0) = 0), else +0.0: "a > 0 ? upstream : 0"
            // without a branch, which mispredicts on half-negative rows as the forward's did. a's bits minus 1, as
            // unsigned, lie below +inf's exactly when 0 < a <= +inf (not for +0.0, NaN or a negative sign).
            long below = ((Float.floatToRawIntBits(a[j]) - 1) & 0xFFFFFFFFL) - 0x7F800000L;
            int keep = (int) (below >> 63);
            out[j] = Float.intBitsToFloat(Float.floatToRawIntBits(upstream[j]) & keep);
        }
    }

    @Override
    public boolean needsInput() {
        return !plain;
    }
}
