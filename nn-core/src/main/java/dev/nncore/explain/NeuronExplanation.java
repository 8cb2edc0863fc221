package dev.nncore.explain;

import dev.nncore.Activation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One neuron's arithmetic for one input: the values coming in, the numbers the layer used (a Dense neuron's weights
 * and bias, a BatchNormalization neuron's gamma, beta and moving statistics, ...), and the value that came out.
 *
 * <pre>{@code
 * // given: video
 * NeuronExplanation h = video.explain(0, 1).layers().get(0).neurons().get(0);
 * String line = h.toString();        // "h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0"
 * float sum = h.weightedSum();       // 0.0
 * }</pre>
 *
 * <p>For a Dense neuron, {@link #weightedSum()} is the value the network's kernel computed, and {@link #output()}
 * the layer's own forward pass, so both equal the forward pass bit for bit; the terms {@code x[k] x w[k]} in the
 * text are there to be read. A softmax neuron's line shows its weighted sum only ({@code z2[0] = ...}), because
 * softmax acts on the whole row: {@link LayerExplanation#toString()} shows that step.
 *
 * <p>A neuron of another layer has no kernel column: {@link #parameters()} holds the numbers of its own that it
 * used, and its line writes them into the layer's formula. For the BatchNormalization of {@link Explanation}'s
 * second example:
 * <pre>{@code
 * // given: network
 * NeuronExplanation bn = network.explain(1, 0.75f).layers().get(1).neurons().get(0);
 * Map<String, Float> numbers = bn.parameters();  // {gamma=0.5, beta=0.1, moving_mean=1.0, moving_variance=4.0}
 * String line = bn.toString();   // "h2[0] = (3 - 1) / sqrt(4 + 0.001) x 0.5 + 0.1 = 3 x 0.24996875 + (-0.14996876) = 0.5999375"
 * }</pre>
 *
 * <p>Immutable and thread-safe; arrays are copied on the way out.
 *
 * @since 0.1.0
 */
public final class NeuronExplanation {

    private final String name;
    private final String kerasClass;
    private final Activation activation;
    private final float[] inputs;
    private final float[] weights;
    private final float bias;
    private final String sumName;
    private final float weightedSum;
    private final Map<String, Float> parameters;
    private final float output;
    private final IntFunction<String> line;

    private NeuronExplanation(String name, String kerasClass, Activation activation, float[] inputs, float[] weights,
            float bias, String sumName, float weightedSum, Map<String, Float> parameters, float output,
            IntFunction<String> line) {
        this.name = name;
        this.kerasClass = kerasClass;
        this.activation = activation;
        this.inputs = inputs;
        this.weights = weights;
        this.bias = bias;
        this.sumName = sumName;
        this.weightedSum = weightedSum;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.output = output;
        this.line = line;
    }

    /** A Dense neuron; {@code bias} null for a layer without one. */
    static NeuronExplanation dense(String name, String sumName, Activation activation, float[] inputs, float[] weights,
            Float bias, float weightedSum, float output) {
        IntFunction<String> line = digits -> {
            String sum = Terms.weightedSum(inputs, weights, bias, digits);
            String z = Numbers.format(weightedSum, digits);
            if (LayerKinds.rowWise(activation)) {
                return sumName + " = " + sum + " = " + z;
            }
            if (activation.equals(Activation.LINEAR)) {
                return name + " = " + sum + " = " + Numbers.format(output, digits);
            }
            String f = activation.kerasName();
            return name + " = " + f + "(" + sum + ") = " + f + "(" + z + ") = " + Numbers.format(output, digits);
        };
        return new NeuronExplanation(name, "Dense", activation, inputs, weights, bias == null ? 0f : bias, sumName,
                weightedSum, Map.of(), output, line);
    }

    /** A neuron of a layer without a kernel; {@code line} writes its whiteboard line for a number of digits. */
    static NeuronExplanation of(String name, String kerasClass, Activation activation, float[] inputs,
            Map<String, Float> parameters, float output, IntFunction<String> line) {
        return new NeuronExplanation(name, kerasClass, activation, inputs, null, Float.NaN, null, Float.NaN, parameters,
                output, line);
    }

    /** @return the neuron's name in the text: {@code h1[0]} (layer 1, neuron 0) or {@code y[0]} (output) */
    public String name() {
        return name;
    }

    /** @return the Keras class of the neuron's layer, e.g. {@code "Dense"}, {@code "BatchNormalization"} */
    public String kerasClass() {
        return kerasClass;
    }

    /** @return the activation the neuron applies (a Dense layer's or an activation layer's), or null if none */
    public Activation activation() {
        return activation;
    }

    /**
     * @return the values the neuron reads, a copy: the whole previous row for a Dense neuron and for layers that act
     *     on the row (softmax, LayerNormalization), otherwise the one value at its own index
     */
    public float[] inputs() {
        return inputs.clone();
    }

    /** @return whether this is a Dense neuron, with {@link #weights()}, {@link #bias()} and {@link #weightedSum()} */
    public boolean isDense() {
        return weights != null;
    }

    /**
     * @return the weight of each incoming value, the neuron's column of the kernel, a copy
     * @throws IllegalStateException if the neuron is not a Dense neuron ({@link #isDense()})
     */
    public float[] weights() {
        return dense("weights").clone();
    }

    /**
     * @return the bias; 0 for a Dense layer without one
     * @throws IllegalStateException if the neuron is not a Dense neuron
     */
    public float bias() {
        dense("bias");
        return bias;
    }

    /**
     * @return the name of its weighted sum: {@code z1[0]} for layer 1, neuron 0
     * @throws IllegalStateException if the neuron is not a Dense neuron
     */
    public String sumName() {
        dense("weighted sum");
        return sumName;
    }

    /**
     * @return {@code inputs · weights + bias}, as the network's kernel computed it
     * @throws IllegalStateException if the neuron is not a Dense neuron
     */
    public float weightedSum() {
        dense("weighted sum");
        return weightedSum;
    }

    /**
     * @return the numbers of its layer that this neuron used, by Keras name, in the order the layer lists them: e.g.
     *     {@code gamma}, {@code beta}, {@code moving_mean}, {@code moving_variance} for BatchNormalization,
     *     {@code alpha} for PReLU, {@code scale} and {@code offset} for Rescaling; empty for Dense neurons (see
     *     {@link #weights()} and {@link #bias()}) and for layers without numbers of their own (activations)
     */
    public Map<String, Float> parameters() {
        return parameters;
    }

    /** @return the neuron's output, equal bit for bit to what the forward pass computes */
    public float output() {
        return output;
    }

    private float[] dense(String what) {
        if (weights == null) {
            throw new IllegalStateException(name + " belongs to a " + kerasClass + " layer, which has no " + what
                    + "; see parameters()");
        }
        return weights;
    }

    /**
     * @return the whiteboard line, numbers written exactly (the shortest decimal that reads back as the same
     *     float32), e.g. {@code h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0}
     */
    @Override
    public String toString() {
        return line.apply(Numbers.EXACT);
    }

    /**
     * The whiteboard line with every number rounded for reading. A layer's settings (epsilon, a Rescaling's scale)
     * are written exactly.
     *
     * @param digits places after the decimal point, 0 to 9; trailing zeros are dropped ({@code 1.29} at 1 is
     *     {@code 1.3})
     * @return e.g. {@code h1[1] = relu(0 x 1.2 + 1 x 1.2 + 0) = relu(1.2) = 1.2}
     * @throws IllegalArgumentException if {@code digits} is outside 0 to 9
     */
    public String toString(int digits) {
        return line.apply(Numbers.checkDigits(digits));
    }

    String line(int digits) {
        return line.apply(digits);
    }
}
