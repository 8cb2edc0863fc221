package dev.nncore.activations;

/**
 * Keras 3's {@code hard_silu} (alias {@code hard_swish}): {@code x relu6(x + 3) / 6}. Its derivative is that of the
 * product as Keras differentiates it: {@code (2x + 3) / 6} on (-3, 3), 1 above, 0 below, and relu6's 0 at the kinks
 * (so 0 at -3 and 1 at 3).
 */
public final class HardSilu extends Elementwise {

    @Override
    public String kerasName() {
        return "hard_silu";
    }

    @Override
    public double value(double x) {
        return x * (Math.min(Math.max(x + 3, 0), 6) / 6);
    }

    @Override
    public double derivative(double x, double y) {
        if (x <= -3) {
            return 0;
        }
        if (x >= 3) {
            return 1;
        }
        return (2 * x + 3) / 6;
    }
}
