package dev.nncore.activations;

import java.util.Map;

/**
 * One activation function's maths in one place: the float64 form, the float32 form (by default the float64 form
 * rounded once to float32) and the derivative, as micrograd keeps an operation's forward beside its backward.
 * {@code dev.nncore.Activation} wraps these and is the registry of names; this package is not exported.
 *
 * <p>Rows are one sample's values. Implementations are immutable; equality is by class and parameters.
 */
public abstract class ActivationFunction {

    /** @return the Keras 3 name, e.g. {@code "leaky_relu"} */
    public abstract String kerasName();

    /** @return the parameters Keras's config names, e.g. {@code {negative_slope=0.2}}; empty when there are none */
    public Map<String, Object> parameters() {
        return Map.of();
    }

    /** Applies the function to one row in float64, overwriting it. */
    public abstract void apply(double[] row);

    /** Applies the function to one row in float32, overwriting it. */
    public abstract void apply(float[] row);

    /**
     * Applies the function to each row of a batch in float32, overwriting them: the bits of {@link #apply(float[])} on
     * each row. A function may override this to share work between rows ({@link Softmax} does).
     */
    public void apply(float[][] rows) {
        for (float[] row : rows) {
            apply(row);
        }
    }

    /**
     * {@code out = dL/dz} for one row, from the input {@code z}, the output {@code a = f(z)} and {@code upstream =
     * dL/da}. {@code z} is null when {@link #needsInput()} is false; {@code out} may be {@code upstream}.
     */
    public abstract void gradient(float[] z, float[] a, float[] upstream, float[] out);

    /** @return whether {@link #gradient} needs the input {@code z}; if not, the output alone determines it */
    public boolean needsInput() {
        return true;
    }

    /** @return whether f(x) is x: a Dense layer with this activation skips the pass */
    public boolean isIdentity() {
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((ActivationFunction) o).parameters().equals(parameters());
    }

    @Override
    public int hashCode() {
        return getClass().hashCode() * 31 + parameters().hashCode();
    }

    @Override
    public String toString() {
        Map<String, Object> parameters = parameters();
        return parameters.isEmpty() ? kerasName() : kerasName() + parameters;
    }
}
