package dev.nncore.activations;

/**
 * A function of each value alone, {@code a = f(z)}: subclasses give {@code f} and {@code f'} once, in float64; the
 * float32 forward is the float64 value rounded once, and the float32 gradient is {@code upstream * f'(z)} in
 * float64, rounded once.
 */
public abstract class Elementwise extends ActivationFunction {

    /** @return {@code f(x)} */
    public abstract double value(double x);

    /**
     * @param x the input (0 when {@link #needsInput()} is false and no input was kept)
     * @param y the output {@code f(x)}
     * @return {@code f'(x)}, Keras's convention at kinks
     */
    public abstract double derivative(double x, double y);

    @Override
    public void apply(double[] row) {
        for (int j = 0; j < row.length; j++) {
            row[j] = value(row[j]);
        }
    }

    @Override
    public void apply(float[] row) {
        for (int j = 0; j < row.length; j++) {
            row[j] = (float) value(row[j]);
        }
    }

    @Override
    public void gradient(float[] z, float[] a, float[] upstream, float[] out) {
        for (int j = 0; j < a.length; j++) {
            out[j] = (float) (upstream[j] * derivative(z == null ? 0 : z[j], a[j]));
        }
    }

    /** {@code 1 / (1 + e^-x)} without overflow for either sign. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** {@code log(1 + e^x)} without overflow: {@code max(x, 0) + log1p(e^-|x|)}. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
