package dev.nncore.explain;

import dev.nncore.Dense;
import dev.nncore.Network;
import dev.nncore.math.MatrixOps;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's forward pass for one input, neuron by neuron, written the way the "no magic" video works it out on
 * the whiteboard: what {@link Network#explain(float...)} returns.
 *
 * <pre>{@code
 * Network video = Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).build()
 *         .withWeights(List.of(
 *                 Matrix.of(new float[][] {{1.3f, 1.2f}, {1.3f, 1.2f}}), Matrix.row(-1.3f, 0),
 *                 Matrix.of(new float[][] {{-1.6f}, {0.8f}}), Matrix.row(0)));
 * Explanation explanation = video.explain(0, 1);
 * float[] y = explanation.output();            // {0.96000004}, the same bits as video.forward(0, 1)
 * String exact = explanation.toString();       // ... "  h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0" ...
 * String rounded = explanation.toString(2);    // ... "  y[0] = 0 x (-1.6) + 1.2 x 0.8 + 0 = 0.96" ...
 * }</pre>
 *
 * <p>{@code toString()} for the video's network and input (0, 1):
 * <pre>
 * Network[2 -&gt; Dense(2, relu) -&gt; Dense(1, linear)], input x = [0, 1]
 * layer 1 "dense": 2 inputs -&gt; 2 neurons, relu
 *   h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0
 *   h1[1] = relu(0 x 1.2 + 1 x 1.2 + 0) = relu(1.2) = 1.2
 * layer 2 "dense_1": 2 inputs -&gt; 1 neuron, linear
 *   y[0] = 0 x (-1.6) + 1.2 x 0.8 + 0 = 0.96000004
 * output y = [0.96000004]
 * </pre>
 *
 * <p>Naming: the input is {@code x[i]}, hidden layer {@code l} (counting Dense layers from 1, as the video's weight
 * dump does) gives {@code h<l>[j]} with weighted sums {@code z<l>[j]}, and the last layer gives {@code y[j]}. Each
 * line is {@code name = activation(x0 x w0 + x1 x w1 + ... + bias) = activation(z) = value}; a linear layer drops
 * the {@code activation(...)}, and a softmax layer lists its weighted sums, then the row's maximum {@code m} and
 * sum of exponentials {@code s}, then each {@code y[j] = e^(z[j] - m) / s}. Fan-ins over 12 are written as the
 * first 6 and last 2 terms around {@code ... (n more terms)}.
 *
 * <p>Exactness: each layer's weighted sums come from the same kernel as {@link Network#forward(float...)}
 * ({@link MatrixOps#affine(float[], float[][], float[], float[])}) and its outputs from the layer's own
 * {@link dev.nncore.Activation#apply(float...)}, so {@link #output()} equals the forward pass bit for bit, with or
 * without the Vector API kernel. {@code toString()} writes each number as the shortest decimal that reads back as
 * the same float32; {@link #toString(int)} rounds for reading and says what the rounding costs.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Explanation {

    private final String description;
    private final float[] input;
    private final List<LayerExplanation> layers;
    private final List<Dense> denseLayers;

    private Explanation(String description, float[] input, List<LayerExplanation> layers, List<Dense> denseLayers) {
        this.description = description;
        this.input = input;
        this.layers = List.copyOf(layers);
        this.denseLayers = denseLayers;
    }

    /**
     * Explains {@code network}'s forward pass for {@code input}; {@link Network#explain(float...)} calls this.
     *
     * @param network the network
     * @param input {@link Network#inputs()} values; not modified
     * @return the explanation
     * @throws IllegalArgumentException if {@code input} has the wrong length, e.g. {@code Network expected 2 inputs, got 3}
     */
    public static Explanation of(Network network, float... input) {
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
        if (input == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        if (input.length != network.inputs()) {
            throw new IllegalArgumentException("Network expected " + network.inputs() + " inputs, got " + input.length
                    + (input.length == 0 ? " (an empty sample)" : ""));
        }
        List<Dense> dense = network.layers().stream().map(layer -> (Dense) layer).toList(); // TODO layers
        List<LayerExplanation> layers = new ArrayList<>(dense.size());
        float[] values = input.clone();
        for (int l = 0; l < dense.size(); l++) {
            Dense layer = dense.get(l);
            int number = l + 1;
            String symbol = l == dense.size() - 1 ? "y" : "h" + number;
            float[][] kernel = layer.kernel().toArray();
            float[] bias = layer.bias().getRow(0);
            float[] sums = new float[layer.units()];
            MatrixOps.affine(values, kernel, bias, sums);
            float[] outputs = layer.activation().apply(sums);
            List<NeuronExplanation> neurons = new ArrayList<>(layer.units());
            for (int j = 0; j < layer.units(); j++) {
                float[] column = new float[kernel.length];
                for (int k = 0; k < kernel.length; k++) {
                    column[k] = kernel[k][j];
                }
                neurons.add(new NeuronExplanation(symbol + "[" + j + "]", "z" + number + "[" + j + "]",
                        layer.activation(), values, column, bias[j], sums[j], outputs[j]));
            }
            layers.add(new LayerExplanation(number, layer.name(), symbol, layer.activation(), neurons, sums, outputs));
            values = outputs;
        }
        return new Explanation(network.toString(), input.clone(), layers, dense);
    }

    /** @return the input explained, a copy */
    public float[] input() {
        return input.clone();
    }

    /** @return one explanation per layer, first to last */
    public List<LayerExplanation> layers() {
        return layers;
    }

    /** @return the network's output, equal bit for bit to {@link Network#forward(float...)} for the same input */
    public float[] output() {
        return layers.get(layers.size() - 1).outputs();
    }

    /** @return the whole forward pass with exact numbers, one line per neuron; see the class comment */
    @Override
    public String toString() {
        return text(Numbers.EXACT);
    }

    /**
     * The whole forward pass with numbers rounded for reading, as the video's diagram rounds 1.29 to 1.3, and a
     * closing note on what that rounding loses: the sums were computed with the exact weights, and rounding the
     * weights themselves would give another output (shown, with the difference).
     *
     * @param digits places after the decimal point, 0 to 9; trailing zeros are dropped
     * @return the text
     * @throws IllegalArgumentException if {@code digits} is outside 0 to 9
     */
    public String toString(int digits) {
        return text(Numbers.checkDigits(digits));
    }

    private String text(int digits) {
        StringBuilder text = new StringBuilder(description).append(", input x = ").append(list(input, digits)).append('\n');
        for (LayerExplanation layer : layers) {
            text.append(layer.text(digits));
        }
        float[] output = output();
        text.append("output y = ").append(list(output, digits)).append('\n');
        if (digits != Numbers.EXACT) {
            text.append(roundingNote(digits, output));
        }
        return text.toString();
    }

    private String roundingNote(int digits, float[] output) {
        String places = digits + (digits == 1 ? " digit" : " digits") + " after the point";
        StringBuilder note = new StringBuilder("Numbers are rounded to ").append(places)
                .append(" for reading; every sum above was computed with the exact\nfloat32 weights, so rounded terms"
                        + " may not add up exactly.\n");
        float[] roundedOutput = roundedWeightsNetwork(digits).forward(input);
        double change = 0;
        for (int j = 0; j < output.length; j++) {
            change = Math.max(change, Math.abs((double) roundedOutput[j] - output[j]));
        }
        if (Double.isNaN(change) || change > 0) {
            note.append("Rounding the weights themselves to ").append(places)
                    .append(" (as the video rounds 1.29 to 1.3 on its diagram) loses\naccuracy: y would be ")
                    .append(list(roundedOutput, Numbers.EXACT)).append(" instead of ").append(list(output, Numbers.EXACT))
                    .append(" (largest change ").append(Numbers.format((float) change, Numbers.EXACT)).append(").\n");
        } else {
            note.append("Rounding the weights themselves to ").append(places).append(" would not change y.\n");
        }
        return note.toString();
    }

    private Network roundedWeightsNetwork(int digits) {
        List<Dense> rounded = new ArrayList<>(denseLayers.size());
        for (Dense layer : denseLayers) {
            float[][] kernel = layer.kernel().toArray();
            for (float[] row : kernel) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = Numbers.round(row[j], digits);
                }
            }
            float[] bias = layer.bias().getRow(0);
            for (int j = 0; j < bias.length; j++) {
                bias[j] = Numbers.round(bias[j], digits);
            }
            rounded.add(Dense.of(kernel, bias, layer.activation()).named(layer.name()));
        }
        return Network.of(rounded);
    }

    private static String list(float[] values, int digits) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                text.append(", ");
            }
            if (values.length > 16 && i == 12) {
                text.append("... (").append(values.length - 14).append(" more)");
                i = values.length - 3;
                continue;
            }
            text.append(Numbers.format(values[i], digits));
        }
        return text.append(']').toString();
    }
}
