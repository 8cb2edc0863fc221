package dev.nncore.activations;

/**
 * {@code f(x) = x tanh(softplus(x))} (Misra 2019); {@code f' = tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2)}.
 */
public final class Mish extends Elementwise {

    @Override
    public String kerasName() {
        return "mish";
    }

    @Override
    public double value(double x) {
        return x * Math.tanh(softplus(x));
    }

    @Override
    public double derivative(double x, double y) {
        double t = Math.tanh(softplus(x));
        return t + x * sigmoid(x) * (1 - t * t);
    }
}
