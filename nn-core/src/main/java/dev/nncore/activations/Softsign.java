package dev.nncore.activations;

/** {@code f(x) = x / (1 + |x|)}; {@code f' = 1 / (1 + |x|)^2}. */
public final class Softsign extends Elementwise {

    @Override
    public String kerasName() {
        return "softsign";
    }

    @Override
    public double value(double x) {
        return x / (1 + Math.abs(x));
    }

    @Override
    public double derivative(double x, double y) {
        double d = 1 + Math.abs(x);
        return 1 / (d * d);
    }
}
