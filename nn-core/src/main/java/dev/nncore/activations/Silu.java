package dev.nncore.activations;

/** {@code f(x) = x sigmoid(x)}, Keras's {@code silu} (alias {@code swish}); {@code f' = s + x s (1 - s)}. */
public final class Silu extends Elementwise {

    @Override
    public String kerasName() {
        return "silu";
    }

    @Override
    public double value(double x) {
        return x * sigmoid(x);
    }

    @Override
    public double derivative(double x, double y) {
        double s = sigmoid(x);
        return s + x * s * (1 - s);
    }
}
