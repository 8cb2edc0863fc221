package dev.nncore.activations;

/** {@code f(x) = tanh(x)}; {@code f' = 1 - f^2}. */
public final class Tanh extends Elementwise {

    @Override
    public String kerasName() {
        return "tanh";
    }

    @Override
    public double value(double x) {
        return Math.tanh(x);
    }

    @Override
    public double derivative(double x, double y) {
        return 1.0 - y * y;
    }

    @Override
    public boolean needsInput() {
        return false;
    }
}
