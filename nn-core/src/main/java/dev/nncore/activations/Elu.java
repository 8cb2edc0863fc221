package dev.nncore.activations;

import java.util.Map;

/** {@code f(x) = x} for {@code x > 0}, {@code alpha (e^x - 1)} otherwise; {@code f'(x) = 1} or {@code alpha e^x}. */
public final class Elu extends Elementwise {

    private final double alpha;

    /** @param alpha the value f approaches as x goes to minus infinity, negated */
    public Elu(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public String kerasName() {
        return "elu";
    }

    @Override
    public Map<String, Object> parameters() {
        return alpha == 1.0 ? Map.of() : Map.of("alpha", alpha);
    }

    /** @return alpha */
    public double alpha() {
        return alpha;
    }

    @Override
    public double value(double x) {
        return x > 0 ? x : alpha * Math.expm1(x);
    }

    @Override
    public double derivative(double x, double y) {
        return x > 0 ? 1 : alpha * Math.exp(x);
    }
}
