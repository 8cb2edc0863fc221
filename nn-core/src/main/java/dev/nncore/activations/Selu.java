package dev.nncore.activations;

/**
 * {@code f(x) = scale * (x > 0 ? x : alpha (e^x - 1))} with Klambauer et al.'s constants, as Keras's {@code selu}.
 */
public final class Selu extends Elementwise {

    /** Keras's {@code alpha}. */
    public static final double ALPHA = 1.6732632423543772848170429916717;
    /** Keras's {@code scale}. */
    public static final double SCALE = 1.0507009873554804934193349852946;

    @Override
    public String kerasName() {
        return "selu";
    }

    @Override
    public double value(double x) {
        return SCALE * (x > 0 ? x : ALPHA * Math.expm1(x));
    }

    @Override
    public double derivative(double x, double y) {
        return SCALE * (x < 0 ? ALPHA * Math.exp(x) : 1); // TensorFlow's SeluGrad: scale at 0
    }
}
