package dev.nncore.activations;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras 3's {@code relu(x, negative_slope, max_value, threshold)}, which the {@code ReLU}, {@code LeakyReLU} layers and
 * the {@code relu6} and {@code leaky_relu} activations are cases of: {@code x} above the threshold (capped at
 * {@code max_value}), {@code negative_slope * (x - threshold)} below it, 0 at it. Derivative 1 strictly between the
 * threshold and the cap, {@code negative_slope} below the threshold, 0 at the kinks; plain leaky relu takes
 * TensorFlow's {@code negative_slope} at 0.
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

    @Override
    public double value(double x) {
        if (plain) {
            return x <= 0 ? 0 : x;
        }
        if (Double.isNaN(x)) {
            return x;
        }
        double y;
        if (x > threshold) {
            y = maxValue != null && x >= maxValue ? maxValue : x;
        } else if (x < threshold) {
            y = negativeSlope * (x - threshold);
        } else {
            y = 0;
        }
        return y;
    }

    @Override
    public double derivative(double x, double y) {
        if (plain) {
            return y > 0 ? 1 : 0;
        }
        if (x > threshold) {
            return maxValue != null && x >= maxValue ? 0 : 1;
        }
        if (x < threshold || (threshold == 0 && maxValue == null)) {
            return negativeSlope;
        }
        return 0;
    }

    @Override
    public void apply(float[] row) {
        if (!plain) {
            super.apply(row);
            return;
        }
        for (int i = 0; i < row.length; i++) {
            // "<= 0" keeps NaN (every comparison with NaN is false) and turns -0.0 into 0.0.
            if (row[i] <= 0f) {
                row[i] = 0f;
            }
        }
    }

    @Override
    public void gradient(float[] z, float[] a, float[] upstream, float[] out) {
        if (!plain) {
            super.gradient(z, a, upstream, out);
            return;
        }
        for (int j = 0; j < a.length; j++) {
            out[j] = a[j] > 0f ? upstream[j] : 0f; // a > 0 exactly where z > 0; Keras takes relu'(0) = 0
        }
    }

    @Override
    public boolean needsInput() {
        return !plain;
    }
}
