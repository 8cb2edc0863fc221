package dev.nncore;

import dev.nncore.activations.ActivationFunction;
import dev.nncore.activations.Elu;
import dev.nncore.activations.Exponential;
import dev.nncore.activations.Gelu;
import dev.nncore.activations.HardSigmoid;
import dev.nncore.activations.HardSilu;
import dev.nncore.activations.Linear;
import dev.nncore.activations.LogSoftmax;
import dev.nncore.activations.Mish;
import dev.nncore.activations.Relu;
import dev.nncore.activations.Selu;
import dev.nncore.activations.Sigmoid;
import dev.nncore.activations.Silu;
import dev.nncore.activations.Softmax;
import dev.nncore.activations.Softplus;
import dev.nncore.activations.Softsign;
import dev.nncore.activations.Tanh;
import dev.nncore.internal.Checks;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An activation function, named as in Keras 3, that a {@link Dense} or {@link ActivationLayer} applies to its inputs:
 * a value that may carry parameters ({@code Activation.leakyRelu(0.2)}, {@code Activation.elu(1.0)},
 * {@code Activation.gelu(true)}), with its float32 forward, float64 forward and derivative kept together.
 *
 * <pre>{@code
 * Activation relu = Activation.fromKerasName("relu");          // Activation.RELU
 * float[] hidden = relu.apply(-1.3f, 1.2f);                     // {0.0, 1.2}
 * float[] p = Activation.SOFTMAX.apply(1000f, 1000f);          // {0.5, 0.5}
 * float[] leaky = Activation.leakyRelu(0.2).apply(-2f, 3f);     // {-0.4, 3.0}
 * float[] slope = Activation.TANH.gradient(new float[] {0}, new float[] {1}); // {1.0}: tanh'(0)
 * String name = Activation.SIGMOID.kerasName();                 // "sigmoid"
 * }</pre>
 *
 * <p>All but {@link #SOFTMAX} and {@link #LOG_SOFTMAX} act on each value alone; those two act on each row (one
 * sample's values). Each function is computed in float64 and rounded once to float32, and all are numerically
 * stable at large |x|: sigmoid and tanh saturate to exactly 0/1 and -1/1, softplus(1000) is 1000, softmax subtracts
 * the row's maximum. Only {@code exponential} overflows (to infinity, as in Keras). NaN inputs give NaN outputs
 * (softmax: the whole row); nothing throws. At kinks the derivative is Keras's (TensorFlow's): relu'(0) = 0, relu6'
 * is 0 at 0 and 6, leaky_relu'(0) is the negative slope.
 *
 * <p>Immutable and thread-safe; equal when the function and its parameters are.
 *
 * @since 0.1.0
 */
public final class Activation {

    /** {@code f(x) = x}; Keras's default when a Dense layer names no activation. */
    public static final Activation LINEAR = new Activation(new Linear());
    /** {@code f(x) = max(x, 0)}. */
    public static final Activation RELU = new Activation(new Relu(0, null, 0));
    /** {@code f(x) = 1 / (1 + e^-x)}, computed without overflow for either sign of x. */
    public static final Activation SIGMOID = new Activation(new Sigmoid());
    /** {@code f(x) = tanh(x)}. */
    public static final Activation TANH = new Activation(new Tanh());
    /** {@code f(x)_j = e^(x_j - max) / sum_k e^(x_k - max)} over each row. */
    public static final Activation SOFTMAX = new Activation(new Softmax());
    /** {@code f(x) = min(max(x, 0), 6)}. */
    public static final Activation RELU6 = new Activation(new Relu(0, 6.0, 0));
    /** Scaled exponential linear unit, {@code scale * elu(x, alpha)} with Keras's constants. */
    public static final Activation SELU = new Activation(new Selu());
    /** Exact GELU, {@code x Phi(x)}: Keras 3's {@code gelu} default. */
    public static final Activation GELU = new Activation(new Gelu(false));
    /** {@code f(x) = x sigmoid(x)}; Keras also calls it {@code swish}. */
    public static final Activation SILU = new Activation(new Silu());
    /** {@code f(x) = log(1 + e^x)}. */
    public static final Activation SOFTPLUS = new Activation(new Softplus());
    /** {@code f(x) = x / (1 + |x|)}. */
    public static final Activation SOFTSIGN = new Activation(new Softsign());
    /** Keras 3's {@code hard_sigmoid}: {@code relu6(x + 3) / 6}. */
    public static final Activation HARD_SIGMOID = new Activation(new HardSigmoid(false));
    /** Keras 3's {@code hard_silu} ({@code hard_swish}): {@code x relu6(x + 3) / 6}. */
    public static final Activation HARD_SILU = new Activation(new HardSilu());
    /** {@code f(x) = e^x}. */
    public static final Activation EXPONENTIAL = new Activation(new Exponential());
    /** {@code f(x) = x tanh(softplus(x))}. */
    public static final Activation MISH = new Activation(new Mish());
    /** {@code f(x)_j = x_j - log(sum_k e^(x_k))} over each row, stable where softmax rounds to 0. */
    public static final Activation LOG_SOFTMAX = new Activation(new LogSoftmax());

    private static final Activation[] BUILT_IN = {LINEAR, RELU, SIGMOID, TANH, SOFTMAX, RELU6, SELU, GELU, SILU,
        SOFTPLUS, SOFTSIGN, HARD_SIGMOID, HARD_SILU, EXPONENTIAL, MISH, LOG_SOFTMAX};

    /** Keras names to activations: the built-ins, the parametrised defaults and Keras's aliases. */
    private static final Map<String, Activation> BY_NAME = new LinkedHashMap<>();

    static {
        for (Activation activation : BUILT_IN) {
            BY_NAME.put(activation.kerasName(), activation);
        }
        BY_NAME.put("leaky_relu", leakyRelu(0.2));
        BY_NAME.put("elu", elu(1.0));
        BY_NAME.put("swish", SILU);
        BY_NAME.put("hard_swish", HARD_SILU);
    }

    private final ActivationFunction function;

    private Activation(ActivationFunction function) {
        this.function = function;
    }

    /**
     * Leaky relu, {@code x} above 0 and {@code negativeSlope * x} below: Keras's {@code leaky_relu} activation and
     * {@code LeakyReLU} layer ({@code negative_slope}; Keras 2 called it {@code alpha}).
     *
     * @param negativeSlope the slope below 0, finite
     * @return the activation
     */
    public static Activation leakyRelu(double negativeSlope) {
        return new Activation(new Relu(finite(negativeSlope, "negativeSlope"), null, 0));
    }

    /**
     * Exponential linear unit: {@code x} above 0, {@code alpha (e^x - 1)} below.
     *
     * @param alpha finite
     * @return the activation
     */
    public static Activation elu(double alpha) {
        return new Activation(new Elu(finite(alpha, "alpha")));
    }

    /**
     * GELU, exact ({@code x Phi(x)}) or the tanh approximation Keras's {@code approximate=True} computes.
     *
     * @param approximate the tanh form
     * @return the activation
     */
    public static Activation gelu(boolean approximate) {
        return approximate ? new Activation(new Gelu(true)) : GELU;
    }

    /**
     * Keras's general relu, as its {@code ReLU} layer computes it: {@code x} above {@code threshold} (capped at
     * {@code maxValue}), {@code negativeSlope * (x - threshold)} below it.
     *
     * @param maxValue the cap, or null for none; at least 0
     * @param negativeSlope the slope below the threshold, finite
     * @param threshold finite
     * @return the activation
     */
    public static Activation relu(Double maxValue, double negativeSlope, double threshold) {
        if (maxValue != null && !(maxValue >= 0 && maxValue < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("maxValue must be finite and at least 0, got " + maxValue);
        }
        Relu relu = new Relu(finite(negativeSlope, "negativeSlope"), maxValue, finite(threshold, "threshold"));
        return relu.equals(RELU.function) ? RELU : relu.equals(RELU6.function) ? RELU6 : new Activation(relu);
    }

    /** @return Keras 2's {@code hard_sigmoid}, {@code clip(0.2 x + 0.5, 0, 1)}, for files Keras 2 wrote */
    public static Activation hardSigmoidKeras2() {
        return new Activation(new HardSigmoid(true));
    }

    private static double finite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
        return value;
    }

    /** @return the name Keras uses for this activation, e.g. {@code "relu"} */
    public String kerasName() {
        return function.kerasName();
    }

    /**
     * @return the parameters Keras's config gives this function beside its name, e.g. {@code {negative_slope=0.1}}
     *     for {@code leakyRelu(0.1)}; empty for the built-in constants
     */
    public Map<String, Object> parameters() {
        return function.parameters();
    }

    /**
     * The activation Keras calls {@code name}, with Keras's default parameters ({@code leaky_relu}: slope 0.2,
     * {@code elu}: alpha 1) and aliases ({@code swish}, {@code hard_swish}).
     *
     * @param name a Keras activation name such as {@code "relu"} or {@code "softmax"}; case is ignored
     * @return the activation
     * @throws IllegalArgumentException if nn-core has no activation of that name; the message lists those it has
     */
    public static Activation fromKerasName(String name) {
        if (name != null) {
            Activation found = BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
            if (found != null) {
                return found;
            }
        }
        throw new IllegalArgumentException("Unknown activation '" + name + "'; nn-core knows " + String.join(", ", BY_NAME.keySet()));
    }

    /**
     * @return the built-in activations without parameters ({@link #LINEAR}, {@link #RELU}, ...), in a fixed order;
     *     the parametrised ones come from the factories
     */
    public static Activation[] values() {
        return BUILT_IN.clone();
    }

    /** @return every Keras name {@link #fromKerasName} accepts */
    public static List<String> kerasNames() {
        return List.copyOf(new ArrayList<>(BY_NAME.keySet()));
    }

    /**
     * Applies the activation to one row (one sample).
     *
     * @param row the inputs; not modified
     * @return a new array with the activations
     */
    public float[] apply(float... row) {
        Checks.notNull(row, "row");
        float[] out = row.clone();
        function.apply(out);
        return out;
    }

    /**
     * Applies the activation to every row of {@code batch}.
     *
     * @param batch one row per sample; not modified
     * @return a new matrix of the same shape
     */
    public Matrix apply(Matrix batch) {
        Checks.notNull(batch, "batch");
        float[][] out = batch.toArray();
        for (float[] row : out) {
            function.apply(row);
        }
        return MatrixAccess.wrap(out);
    }

    /**
     * The activation in float64, the form finite differences and gradient checks use.
     *
     * @param row the inputs; not modified
     * @return a new array
     */
    public double[] apply64(double... row) {
        Checks.notNull(row, "row");
        double[] out = row.clone();
        function.apply(out);
        return out;
    }

    /**
     * The chain rule through the activation for one row: {@code dL/dx} from the inputs {@code x} and
     * {@code upstream = dL/df(x)}. Element-wise functions give {@code upstream[j] * f'(x[j])}; softmax and
     * log_softmax the row's Jacobian-transpose product.
     *
     * @param input the inputs x; not modified
     * @param upstream dL/df(x), as many values; not modified
     * @return a new array with dL/dx
     * @throws IllegalArgumentException if the lengths differ
     */
    public float[] gradient(float[] input, float[] upstream) {
        Checks.notNull(input, "input");
        Checks.notNull(upstream, "upstream");
        if (input.length != upstream.length) {
            throw new IllegalArgumentException("input has " + input.length + " values but upstream " + upstream.length);
        }
        float[] output = apply(input);
        float[] out = new float[input.length];
        function.gradient(input, output, upstream, out);
        return out;
    }

    /** The function itself, for layers. */
    ActivationFunction function() {
        return function;
    }

    /** Applies the activation to {@code row}, overwriting it. */
    void applyInPlace(float[] row) {
        function.apply(row);
    }

    /** Each row of a batch, in place: what {@link #applyInPlace(float[])} gives each row, sometimes faster. */
    void applyInPlace(float[][] rows) {
        function.apply(rows);
    }

    void applyInPlace(double[] row) {
        function.apply(row);
    }

    /** Whether the derivative needs the input z, not only the output a. */
    boolean gradientNeedsInput() {
        return function.needsInput();
    }

    /** {@code out = dL/dz}; {@code z} may be null when {@link #gradientNeedsInput()} is false. */
    void gradient(float[] z, float[] a, float[] upstream, float[] out) {
        function.gradient(z, a, upstream, out);
    }

    boolean isIdentity() {
        return function.isIdentity();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Activation other && function.equals(other.function);
    }

    @Override
    public int hashCode() {
        return Objects.hash(function);
    }

    /** @return the Keras name and any parameters, e.g. {@code relu} or {@code leaky_relu{negative_slope=0.1}} */
    @Override
    public String toString() {
        return function.toString();
    }
}
