package dev.nncore.activations;

/** {@code f(x) = e^x}, which overflows to infinity above ~88.7 in float32, as in Keras; {@code f' = f}. */
public final class Exponential extends Elementwise {

    @Override
    public String kerasName() {
        return "exponential";
    }

    @Override
    public double value(double x) {
        return Math.exp(x);
    }

    @Override
    public double derivative(double x, double y) {
        return Math.exp(x);
    }
}
