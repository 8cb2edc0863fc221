package dev.nncore.activations;

/** {@code f(x) = x}; Keras's default when a layer names no activation. */
public final class Linear extends Elementwise {

    @Override
    public String kerasName() {
        return "linear";
    }

    @Override
    public double value(double x) {
        return x;
    }

    @Override
    public double derivative(double x, double y) {
        return 1;
    }

    @Override
    public void apply(float[] row) {
        // identity
    }

    @Override
    public void gradient(float[] z, float[] a, float[] upstream, float[] out) {
        System.arraycopy(upstream, 0, out, 0, a.length);
    }

    @Override
    public boolean needsInput() {
        return false;
    }

    @Override
    public boolean isIdentity() {
        return true;
    }
}
