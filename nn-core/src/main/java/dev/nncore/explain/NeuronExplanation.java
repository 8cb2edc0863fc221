package dev.nncore.explain;

import dev.nncore.Activation;

/**
 * One neuron's arithmetic for one input: the values coming in, its weights and bias, the weighted sum, and what
 * its activation made of it.
 *
 * <pre>{@code
 * NeuronExplanation h = video.explain(0, 1).layers().get(0).neurons().get(0);
 * String line = h.toString();        // "h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0"
 * float sum = h.weightedSum();       // 0.0
 * }</pre>
 *
 * <p>{@link #weightedSum()} is the value the network's kernel computed, so it and {@link #output()} equal the
 * forward pass bit for bit; the terms {@code x[k] x w[k]} in the text are there to be read. A softmax neuron's
 * line shows its weighted sum only ({@code z2[0] = ...}), because softmax acts on the whole row:
 * {@link LayerExplanation#toString()} shows that step.
 *
 * <p>Immutable and thread-safe; arrays are copied on the way out.
 *
 * @since 0.1.0
 */
public final class NeuronExplanation {

    /** Fan-ins above this are written as their first and last terms around an ellipsis. */
    static final int MAX_TERMS_WRITTEN = 12;
    private static final int HEAD_TERMS = 6;
    private static final int TAIL_TERMS = 2;

    private final String name;
    private final String sumName;
    private final Activation activation;
    private final float[] inputs;
    private final float[] weights;
    private final float bias;
    private final float weightedSum;
    private final float output;

    NeuronExplanation(String name, String sumName, Activation activation, float[] inputs, float[] weights, float bias,
            float weightedSum, float output) {
        this.name = name;
        this.sumName = sumName;
        this.activation = activation;
        this.inputs = inputs;
        this.weights = weights;
        this.bias = bias;
        this.weightedSum = weightedSum;
        this.output = output;
    }

    /** @return the neuron's name in the text: {@code h1[0]} (hidden layer 1, neuron 0) or {@code y[0]} (output) */
    public String name() {
        return name;
    }

    /** @return the name of its weighted sum: {@code z1[0]} for layer 1, neuron 0 */
    public String sumName() {
        return sumName;
    }

    /** @return the layer's activation */
    public Activation activation() {
        return activation;
    }

    /** @return the values coming in (the network's input or the previous layer's outputs), a copy */
    public float[] inputs() {
        return inputs.clone();
    }

    /** @return the weight of each incoming value, the neuron's column of the kernel, a copy */
    public float[] weights() {
        return weights.clone();
    }

    /** @return the bias */
    public float bias() {
        return bias;
    }

    /** @return {@code inputs · weights + bias}, as the network's kernel computed it */
    public float weightedSum() {
        return weightedSum;
    }

    /** @return the neuron's output, the activation of the weighted sum (for softmax: over the layer's row) */
    public float output() {
        return output;
    }

    /**
     * @return the whiteboard line, numbers written exactly (the shortest decimal that reads back as the same
     *     float32), e.g. {@code h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0}
     */
    @Override
    public String toString() {
        return toString(Numbers.EXACT);
    }

    /**
     * The whiteboard line with every number rounded for reading.
     *
     * @param digits places after the decimal point, 0 to 9; trailing zeros are dropped ({@code 1.29} at 1 is
     *     {@code 1.3})
     * @return e.g. {@code h1[1] = relu(0 x 1.2 + 1 x 1.2 + 0) = relu(1.2) = 1.2}
     * @throws IllegalArgumentException if {@code digits} is outside 0 to 9
     */
    public String toString(int digits) {
        return line(Numbers.checkDigits(digits));
    }

    String line(int digits) {
        String sum = sumExpression(digits);
        String z = Numbers.format(weightedSum, digits);
        if (activation.equals(Activation.LINEAR)) {
            return name + " = " + sum + " = " + z;
        }
        if (activation.equals(Activation.SOFTMAX)) {
            return sumName + " = " + sum + " = " + z;
        }
        String f = activation.kerasName();
        return name + " = " + f + "(" + sum + ") = " + f + "(" + z + ") = " + Numbers.format(output, digits);
    }

    /** {@code x0 x w0 + x1 x w1 + ... + b}; long fan-ins keep their first and last terms around an ellipsis. */
    String sumExpression(int digits) {
        StringBuilder text = new StringBuilder();
        int count = inputs.length;
        boolean shorten = count > MAX_TERMS_WRITTEN;
        for (int k = 0; k < count; k++) {
            if (shorten && k == HEAD_TERMS) {
                int skipped = count - HEAD_TERMS - TAIL_TERMS;
                text.append("... (").append(skipped).append(" more terms) + ");
                k = count - TAIL_TERMS - 1;
                continue;
            }
            text.append(Numbers.operand(inputs[k], digits)).append(" x ").append(Numbers.operand(weights[k], digits))
                    .append(" + ");
        }
        return text.append(Numbers.operand(bias, digits)).toString();
    }
}
