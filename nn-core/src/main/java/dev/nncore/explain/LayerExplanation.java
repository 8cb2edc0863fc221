package dev.nncore.explain;

import dev.nncore.Activation;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One layer's arithmetic for one input: a header naming the layer and its formula, a {@link NeuronExplanation} per
 * neuron, and for layers that act on the whole row (softmax, LayerNormalization) the step over the row.
 *
 * <pre>{@code
 * // given: video
 * LayerExplanation hidden = video.explain(0, 1).layers().get(0);
 * float[] h = hidden.outputs();      // {0.0, 1.2}
 * String name = hidden.symbol();     // "h1"
 * }</pre>
 *
 * <p>Layers are numbered from 1 in the network's order, as Keras's {@code model.layers} and the video's weight dump
 * (where layer 0 is the input) count them: layer {@code l}'s values are {@code h<l>[j]}, whatever its kind, the last
 * layer's are {@code y[j]}, and a Dense layer's weighted sums are {@code z<l>[j]}. A layer that passes its input on
 * unchanged at inference (Dropout, GaussianNoise, Flatten, ...) has no neurons: its text is one line. For
 * {@link Explanation}'s second example:
 * <pre>{@code
 * // given: network
 * LayerExplanation dropout = network.explain(1, 0.75f).layers().get(2);
 * String line = dropout.toString();  // "layer 3 \"dropout\": Dropout(rate=0.2), identity at inference: h3 = h2\n"
 * boolean same = dropout.isIdentityAtInference();   // true
 * }</pre>
 *
 * <p>Immutable and thread-safe; arrays are copied on the way out.
 *
 * @since 0.1.0
 */
public final class LayerExplanation {

    private final int number;
    private final String layerName;
    private final String kerasClass;
    private final String symbol;
    private final Activation activation;
    private final boolean identity;
    private final List<NeuronExplanation> neurons;
    private final float[] inputs;
    private final float[] weightedSums;
    private final float[] outputs;
    private final IntFunction<String> before;
    private final IntFunction<String> after;

    /**
     * @param before the header and any lines over the whole row, each ending in a newline
     * @param after lines after the neurons' lines (a Dense softmax's outputs), each ending in a newline
     */
    LayerExplanation(int number, String layerName, String kerasClass, String symbol, Activation activation,
            boolean identity, List<NeuronExplanation> neurons, float[] inputs, float[] weightedSums, float[] outputs,
            IntFunction<String> before, IntFunction<String> after) {
        this.number = number;
        this.layerName = layerName;
        this.kerasClass = kerasClass;
        this.symbol = symbol;
        this.activation = activation;
        this.identity = identity;
        this.neurons = List.copyOf(neurons);
        this.inputs = inputs;
        this.weightedSums = weightedSums;
        this.outputs = outputs;
        this.before = before;
        this.after = after;
    }

    /**
     * @return the layer's number: its position in {@code network.layers()} plus 1 (the input is layer 0); in a graph,
     *     the call's position among the layer nodes of {@code network.nodes()} plus 1
     */
    public int number() {
        return number;
    }

    /** @return the layer's Keras name, e.g. {@code "dense_1"} */
    public String layerName() {
        return layerName;
    }

    /** @return the layer's Keras class, e.g. {@code "Dense"}, {@code "BatchNormalization"}, {@code "Dropout"} */
    public String kerasClass() {
        return kerasClass;
    }

    /**
     * @return the name of its values in the text: {@code h1}, {@code h2}, ... or {@code y} for the last layer; in a
     *     graph, the node's name ({@code dense_1}, or {@code shared@1} for a shared layer's second call)
     */
    public String symbol() {
        return symbol;
    }

    /** @return the activation the layer applies (a Dense layer's or an activation layer's), or null if none */
    public Activation activation() {
        return activation;
    }

    /** @return whether the layer passes its input on unchanged at inference (Dropout, Flatten, ...) */
    public boolean isIdentityAtInference() {
        return identity;
    }

    /** @return one explanation per neuron, in order; empty for a layer that is the identity at inference */
    public List<NeuronExplanation> neurons() {
        return neurons;
    }

    /**
     * @return the values coming in (the network's input or the previous layer's outputs), a copy; for a merge in a
     *     graph, the values of the nodes it merges side by side
     */
    public float[] inputs() {
        return inputs.clone();
    }

    /**
     * @return the weighted sums {@code z} (before the activation), a copy
     * @throws IllegalStateException if the layer is not a Dense layer
     */
    public float[] weightedSums() {
        if (weightedSums == null) {
            throw new IllegalStateException("layer " + number + " \"" + layerName + "\" is a " + kerasClass
                    + " layer, which computes no weighted sums");
        }
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
        StringBuilder text = new StringBuilder(before.apply(digits));
        for (NeuronExplanation neuron : neurons) {
            text.append("  ").append(neuron.line(digits)).append('\n');
        }
        return text.append(after.apply(digits)).toString();
    }
}
