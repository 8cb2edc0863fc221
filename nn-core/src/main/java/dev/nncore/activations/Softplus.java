package dev.nncore.activations;

/** {@code f(x) = log(1 + e^x)}, computed as {@code max(x, 0) + log1p(e^-|x|)} so that it never overflows; {@code f' = sigmoid}. */
public final class Softplus extends Elementwise {

    @Override
    public String kerasName() {
        return "softplus";
    }

    @Override
    public double value(double x) {
        return softplus(x);
    }

    @Override
    public double derivative(double x, double y) {
        return sigmoid(x);
    }
}
