package dev.nncore.explain;

import dev.nncore.Activation;
import java.util.List;

/**
 * One layer's arithmetic for one input: a {@link NeuronExplanation} per neuron and, for softmax, the step over
 * the whole row.
 *
 * <pre>{@code
 * LayerExplanation hidden = video.explain(0, 1).layers().get(0);
 * float[] h = hidden.outputs();      // {0.0, 1.2}
 * String name = hidden.symbol();     // "h1"
 * }</pre>
 *
 * <p>Layers are numbered from 1, as in the video's weight dump where layer 0 is the input: the values of hidden
 * layer {@code l} are {@code h<l>[j]}, its weighted sums {@code z<l>[j]}, and the last layer's values are
 * {@code y[j]}.
 *
 * <p>Immutable and thread-safe; arrays are copied on the way out.
 *
 * @since 0.1.0
 */
public final class LayerExplanation {

    private final int number;
    private final String layerName;
    private final String symbol;
    private final Activation activation;
    private final List<NeuronExplanation> neurons;
    private final float[] weightedSums;
    private final float[] outputs;

    LayerExplanation(int number, String layerName, String symbol, Activation activation, List<NeuronExplanation> neurons,
            float[] weightedSums, float[] outputs) {
        this.number = number;
        this.layerName = layerName;
        this.symbol = symbol;
        this.activation = activation;
        this.neurons = List.copyOf(neurons);
        this.weightedSums = weightedSums;
        this.outputs = outputs;
    }

    /** @return the layer's number: 1 for the first Dense layer (the input is layer 0) */
    public int number() {
        return number;
    }

    /** @return the layer's Keras name, e.g. {@code "dense_1"} */
    public String layerName() {
        return layerName;
    }

    /** @return the name of its values in the text: {@code h1}, {@code h2}, ... or {@code y} for the last layer */
    public String symbol() {
        return symbol;
    }

    /** @return the layer's activation */
    public Activation activation() {
        return activation;
    }

    /** @return one explanation per neuron, in order */
    public List<NeuronExplanation> neurons() {
        return neurons;
    }

    /** @return the weighted sums {@code z} (before the activation), a copy */
    public float[] weightedSums() {
        return weightedSums.clone();
    }

    /** @return the layer's outputs, a copy; equal bit for bit to what the forward pass computes */
    public float[] outputs() {
        return outputs.clone();
    }

    /** @return the layer's lines with exact numbers; see {@link Explanation#toString()} */
    @Override
    public String toString() {
        return text(Numbers.EXACT);
    }

    /**
     * @param digits places after the decimal point, 0 to 9
     * @return the layer's lines, numbers rounded for reading
     * @throws IllegalArgumentException if {@code digits} is outside 0 to 9
     */
    public String toString(int digits) {
        return text(Numbers.checkDigits(digits));
    }

    String text(int digits) {
        int inputs = neurons.get(0).inputs().length;
        StringBuilder text = new StringBuilder("layer ").append(number).append(" \"").append(layerName).append("\": ")
                .append(inputs).append(inputs == 1 ? " input -> " : " inputs -> ").append(outputs.length)
                .append(outputs.length == 1 ? " neuron, " : " neurons, ").append(activation.kerasName());
        if (activation == Activation.SOFTMAX) {
            text.append(" over the row z").append(number);
        }
        text.append('\n');
        for (NeuronExplanation neuron : neurons) {
            text.append("  ").append(neuron.line(digits)).append('\n');
        }
        if (activation == Activation.SOFTMAX) {
            appendSoftmax(text, digits);
        }
        return text.toString();
    }

    /**
     * softmax(z)[j] = e^(z[j] - m) / s with m the row's maximum and s the sum of the exponentials, as
     * {@link Activation#SOFTMAX} computes it; the outputs shown are the activation's own.
     */
    private void appendSoftmax(StringBuilder text, int digits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float z : weightedSums) {
            max = Math.max(max, z);
        }
        double sum = 0;
        StringBuilder terms = new StringBuilder();
        int count = weightedSums.length;
        boolean shorten = count > NeuronExplanation.MAX_TERMS_WRITTEN;
        for (int j = 0; j < count; j++) {
            sum += (float) Math.exp((double) weightedSums[j] - max);
            if (shorten && j >= 6 && j < count - 2) {
                if (j == 6) {
                    terms.append(" + ... (").append(count - 8).append(" more terms)");
                }
                continue;
            }
            terms.append(j == 0 ? "" : " + ").append(exponential(weightedSums[j], max, digits));
        }
        String m = Numbers.format(max, digits);
        String s = Numbers.format((float) sum, digits);
        text.append("  softmax: m = max(z").append(number).append(") = ").append(m).append(", s = ").append(terms)
                .append(" = ").append(s).append('\n');
        for (int j = 0; j < count; j++) {
            text.append("  ").append(symbol).append('[').append(j).append("] = ")
                    .append(exponential(weightedSums[j], max, digits)).append(" / ").append(s).append(" = ")
                    .append(Numbers.format(outputs[j], digits)).append('\n');
        }
    }

    private static String exponential(float z, float max, int digits) {
        return "e^(" + Numbers.format(z, digits) + " - " + Numbers.operand(max, digits) + ")";
    }
}
