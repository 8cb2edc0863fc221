package dev.nncore.activations;

/** {@code f(x) = 1 / (1 + e^-x)}, without overflow for either sign; {@code f' = f (1 - f)}. */
public final class Sigmoid extends Elementwise {

    @Override
    public String kerasName() {
        return "sigmoid";
    }

    @Override
    public double value(double x) {
        return sigmoid(x);
    }

    @Override
    public double derivative(double x, double y) {
        return y * (1.0 - y);
    }

    @Override
    public boolean needsInput() {
        return false;
    }
}
