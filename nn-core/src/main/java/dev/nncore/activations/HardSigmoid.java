package dev.nncore.activations;

import java.util.Map;

/**
 * Keras 3's {@code hard_sigmoid}, {@code relu6(x + 3) / 6} (slope 1/6 on (-3, 3)), or Keras 2's
 * {@code clip(0.2 x + 0.5, 0, 1)} (slope 0.2 on [-2.5, 2.5], a clip passing the gradient at its bounds); Keras 3's
 * derivative is 0 at its kinks, as relu6's.
 */
public final class HardSigmoid extends Elementwise {

    private final boolean keras2;

    /** @param keras2 Keras 2's form instead of Keras 3's */
    public HardSigmoid(boolean keras2) {
        this.keras2 = keras2;
    }

    @Override
    public String kerasName() {
        return "hard_sigmoid";
    }

    @Override
    public Map<String, Object> parameters() {
        return keras2 ? Map.of("keras2", true) : Map.of();
    }

    /** @return whether this is Keras 2's form */
    public boolean keras2() {
        return keras2;
    }

    @Override
    public double value(double x) {
        if (keras2) {
            return Math.min(Math.max(0.2 * x + 0.5, 0), 1);
        }
        return Math.min(Math.max(x + 3, 0), 6) / 6;
    }

    @Override
    public double derivative(double x, double y) {
        if (keras2) {
            return x >= -2.5 && x <= 2.5 ? 0.2 : 0; // a clip passes the gradient at its bounds
        }
        return x > -3 && x < 3 ? 1.0 / 6 : 0;
    }
}
