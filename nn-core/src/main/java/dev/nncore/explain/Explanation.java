package dev.nncore.explain;

import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's forward pass for one input, neuron by neuron, written the way the "no magic" video works it out on
 * the whiteboard: what {@link Network#explain(float...)} returns. Every layer kind is explained in its own terms.
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
 * <p>A network with a BatchNormalization, a Dropout and a softmax layer:
 * <pre>{@code
 * Network network = Network.of(
 *         Dense.of(new float[][] {{1, -1, 0.5f}, {2, 0.5f, -1}}, new float[] {0.5f, 0, 0.1f}, Activation.RELU),
 *         BatchNormalization.of(0.99, 0.001, new float[] {0.5f, 2, 1}, new float[] {0.1f, -0.2f, 0},
 *                 new float[] {1, 0.5f, -0.25f}, new float[] {4, 0.25f, 1}),
 *         Dropout.of(3, 0.2),
 *         Dense.of(new float[][] {{1, -1}, {0.5f, 0.25f}, {-1, 2}}, new float[] {0, 0.1f}, Activation.LINEAR),
 *         ActivationLayer.of(2, Activation.SOFTMAX));
 * String text = network.explain(1, 0.75f).toString();   // as below
 * float[] y = network.explain(1, 0.75f).output();       // {0.4504746, 0.5495254}, the bits of network.forward(1, 0.75f)
 * }</pre>
 * <pre>
 * Network[2 -&gt; Dense(3, relu) -&gt; BatchNormalization(3) -&gt; Dropout(0.2) -&gt; Dense(2, linear) -&gt; Activation(softmax)], input x = [1, 0.75]
 * layer 1 "dense": 2 inputs -&gt; 3 neurons, relu
 *   h1[0] = relu(1 x 1 + 0.75 x 2 + 0.5) = relu(3) = 3
 *   h1[1] = relu(1 x (-1) + 0.75 x 0.5 + 0) = relu(-0.625) = 0
 *   h1[2] = relu(1 x 0.5 + 0.75 x (-1) + 0.1) = relu(-0.15) = 0
 * layer 2 "batch_normalization": BatchNormalization of 3 values, epsilon = 0.001
 *   h2[j] = (h1[j] - moving_mean[j]) / sqrt(moving_variance[j] + epsilon) x gamma[j] + beta[j]
 *         = h1[j] x inv[j] + shift[j], with inv = gamma / sqrt(moving_variance + epsilon) and shift = beta - moving_mean x inv
 *   h2[0] = (3 - 1) / sqrt(4 + 0.001) x 0.5 + 0.1 = 3 x 0.24996875 + (-0.14996876) = 0.5999375
 *   h2[1] = (0 - 0.5) / sqrt(0.25 + 0.001) x 2 + (-0.2) = 0 x 3.992024 + (-2.196012) = -2.196012
 *   h2[2] = (0 - (-0.25)) / sqrt(1 + 0.001) x 1 + 0 = 0 x 0.9995004 + 0.2498751 = 0.2498751
 * layer 3 "dropout": Dropout(rate=0.2), identity at inference: h3 = h2
 * layer 4 "dense_1": 3 inputs -&gt; 2 neurons, linear
 *   h4[0] = 0.5999375 x 1 + (-2.196012) x 0.5 + 0.2498751 x (-1) + 0 = -0.74794364
 *   h4[1] = 0.5999375 x (-1) + (-2.196012) x 0.25 + 0.2498751 x 2 + 0.1 = -0.54919034
 * layer 5 "activation": Activation of 2 values, softmax over the row h4
 *   softmax: m = max(h4) = -0.54919034, s = e^(-0.74794364 - (-0.54919034)) + e^(-0.54919034 - (-0.54919034)) = 1.8197521
 *   y[0] = e^(-0.74794364 - (-0.54919034)) / 1.8197521 = 0.4504746
 *   y[1] = e^(-0.54919034 - (-0.54919034)) / 1.8197521 = 0.5495254
 * output y = [0.4504746, 0.5495254]
 * </pre>
 *
 * <p>Naming: the input is {@code x[i]}. Layers are numbered from 1 in the network's order, every layer whatever its
 * kind, as Keras's {@code model.layers} and {@code model.summary()} list them and as the video's weight dump counts
 * them (layer 0 is the input); the {@code weights} command and {@link NetworkDiagram} use the same numbers. Layer
 * {@code l}'s values are {@code h<l>[j]}, the last layer's are {@code y[j]}, and a Dense layer's weighted sums are
 * {@code z<l>[j]}. Each layer starts with a header naming it, its kind and its formula, then one line per neuron:
 * <ul>
 *   <li>Dense: {@code h1[0] = activation(x0 x w0 + x1 x w1 + ... + bias) = activation(z) = value}; a linear layer
 *       drops the {@code activation(...)}; an activation's parameters are in the header, e.g.
 *       {@code leaky_relu(negative_slope=0.2)}.
 *   <li>Softmax (a Dense layer's or an activation layer's): the row {@code z}, its maximum {@code m} and sum of
 *       exponentials {@code s}, then each {@code y[j] = e^(z[j] - m) / s}; log_softmax writes
 *       {@code z[j] - (m + ln(s))}.
 *   <li>BatchNormalization: {@code (x - moving_mean) / sqrt(moving_variance + epsilon) x gamma + beta}, then
 *       {@code x x inv + shift}, the two float32 steps its forward pass takes, then the value.
 *   <li>LayerNormalization: the row's mean and variance, then {@code (x - mean) / sqrt(variance + epsilon) x gamma +
 *       beta} per value. Normalization: {@code (x - mean) / sqrt(variance)}. Rescaling: {@code x x scale + offset}.
 *       PReLU: {@code prelu(x) = alpha x x} below 0. Activation layers (Activation, ReLU, LeakyReLU, ELU):
 *       {@code leaky_relu(-2) = -0.4}.
 *   <li>Dropout, GaussianNoise, GaussianDropout, AlphaDropout, Flatten and Reshape pass their input on unchanged at
 *       inference: one line, {@code layer 3 "dropout": Dropout(rate=0.2), identity at inference: h3 = h2}.
 * </ul>
 * Sums of more than 12 terms (fan-ins, a softmax's exponentials, a LayerNormalization row) are written as their
 * first 6 and last 2 terms around {@code ... (n more terms)}.
 *
 * <p>Exactness: each layer's outputs are its own {@link dev.nncore.Layer#forward(float...)}, the inference pass
 * {@link Network#forward(float...)} runs layer by layer, so {@link #output()} equals the forward pass bit for bit,
 * with or without the Vector API kernel. A Dense layer's weighted sums come from the same kernel
 * ({@link dev.nncore.math.MatrixOps#affine(float[], float[][], float[], float[])}); the other numbers in the text
 * (a BatchNormalization's {@code inv} and {@code shift}, a row's mean) are computed as the layer computes them, and
 * a BatchNormalization line shows {@code x x inv + shift} only if those float32 steps give its output exactly.
 * {@code toString()} writes each number as the shortest decimal that reads back as the same float32;
 * {@link #toString(int)} rounds for reading (a layer's settings, such as epsilon, stay exact) and says what the
 * rounding costs.
 *
 * <p>Graphs (Functional networks, {@link dev.nncore.Node}): {@link #of(Network, List)} takes one sample of every
 * input ({@link Network#explain(float...)} takes them side by side in {@code inputNames()} order) and explains each
 * node of {@link Network#nodes()} in order. Values are named by their node: an input's name ({@code wide[0]}), a
 * layer's name ({@code dense_1[0]}), for a shared layer its name and call ({@code shared@1[0]}). Each header says
 * what the layer reads, {@code layer 3 "add" <- dense, wide: ...}, and merges are written as their arithmetic:
 * <pre>
 * layer 2 "add" &lt;- dense, b: Add of 2 inputs of 2 values: the sum at each position
 *   add[0] = dense[0] + b[0] = 1.5 + 0.25 = 1.75
 * layer 7 "concatenate" &lt;- b, a: Concatenate of 2 + 2 values, side by side
 *   concatenate = [b[0..1], a[0..1]] = [3, 5, 1, -2]
 * layer 6 "dot" &lt;- a, b: Dot of 2 inputs of 2 values: the sum of their products, as a neuron's weighted sum
 *   dot[0] = sum over k of a[k] x b[k] = 1 x 3 + (-2) x 5 = -7
 * </pre>
 * Subtract, Multiply, Average, Maximum and Minimum are written likewise ({@code max(a[0], b[0]) = max(1, 3) = 3}); a
 * normalised Dot shows each input's L2 norm first. The text ends with one {@code output <name> = [...]} line per
 * output, and {@link #outputs()} equals {@link Network#forwardAll(List)} bit for bit.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Explanation {

    private final Network network;
    private final float[] input;
    private final List<LayerExplanation> layers;
    /** For a graph: each input's values and each output's, in {@code inputNames()} and {@code outputNames()} order. */
    private final List<float[]> inputs;
    private final List<float[]> outputs;

    private Explanation(Network network, float[] input, List<LayerExplanation> layers) {
        this(network, input, layers, null, null);
    }

    private Explanation(Network network, float[] input, List<LayerExplanation> layers, List<float[]> inputs,
            List<float[]> outputs) {
        this.network = network;
        this.input = input;
        this.layers = List.copyOf(layers);
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /**
     * Explains {@code network}'s forward pass for {@code input}; {@link Network#explain(float...)} calls this.
     *
     * @param network the network
     * @param input {@link Network#inputs()} values; not modified; for a graph of several inputs, all of them side by
     *     side in {@link Network#inputNames()} order, explained as {@link #of(Network, List)} explains them
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
                    + (input.length == 0 ? " (an empty sample)" : "")
                    + (network.inputNames().size() > 1 ? " (" + inputWidths(network) + " side by side)" : ""));
        }
        if (!network.isSequential()) {
            List<float[]> split = new ArrayList<>();
            int offset = 0;
            for (int i = 0; i < network.inputNames().size(); i++) {
                int width = width(network.inputShape(i));
                split.add(java.util.Arrays.copyOfRange(input, offset, offset + width));
                offset += width;
            }
            return GraphExplainer.explain(network, split);
        }
        List<Layer> networkLayers = network.layers();
        List<LayerExplanation> layers = new ArrayList<>(networkLayers.size());
        float[] values = input.clone();
        String inputSymbol = "x";
        int[] shape = network.inputShape();
        for (int l = 0; l < networkLayers.size(); l++) {
            Layer layer = networkLayers.get(l);
            int number = l + 1;
            String symbol = symbol(number, networkLayers.size());
            int[] outputShape = layer.outputShape(shape);
            float[] outputs = layer.forward(values); // what Network.forward runs, layer by layer
            layers.add(LayerExplainer.explain(layer, new LayerExplainer.Step(number, inputSymbol, symbol, values, outputs,
                    shape, outputShape)));
            values = outputs;
            inputSymbol = symbol;
            shape = outputShape;
        }
        return new Explanation(network, input.clone(), layers);
    }

    /**
     * Explains a graph's forward pass for one sample of every input, node by node: each layer call in the order of
     * {@link Network#nodes()}, a merge as its arithmetic, a shared layer once per call. A Sequential network takes
     * one input and is explained as {@link #of(Network, float...)} explains it.
     *
     * <pre>{@code
     * Node a = Node.input("a", 2);
     * Node b = Node.input("b", 2);
     * Node hidden = a.apply(Dense.of(new float[][] {{1, 0}, {0, 2}}, new float[] {0.5f, 0}, Activation.RELU));
     * Network graph = Network.functional(List.of(a, b), List.of(Node.add(hidden, b)));
     * Explanation explanation = Explanation.of(graph, List.of(new float[] {1, 2}, new float[] {0.25f, -1}));
     * float[] y = explanation.outputs().get(0);   // {1.75, 3}, the bits of graph.forwardAll(...)
     * String text = explanation.toString();      // ... "  add[0] = dense[0] + b[0] = 1.5 + 0.25 = 1.75" ...
     * }</pre>
     *
     * <p>Inputs are named by their names ({@code a[0]}), each call's values by its layer's name ({@code dense[0]}),
     * a shared layer's calls by its name and the call, counting from 0 ({@code shared@1[0]}); a Dense layer's
     * weighted sums are {@code z_dense[0]}. Each layer's header says what it reads:
     * {@code layer 3 "add" <- dense, b: Add of 2 inputs of 2 values: the sum at each position}. The text ends with
     * one {@code output <name> = [...]} line per output.
     *
     * @param network the network
     * @param inputs one sample of each input, in {@link Network#inputNames()} order, each of
     *     {@link Network#inputShape(int)} values; not modified
     * @return the explanation; {@link #outputs()} equals {@link Network#forwardAll(List)} bit for bit
     * @throws IllegalArgumentException if the count or a length is wrong, naming the input, e.g.
     *     {@code input 1 ("b") expects 2 values, got 3}
     */
    public static Explanation of(Network network, List<float[]> inputs) {
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
        if (inputs == null) {
            throw new IllegalArgumentException("inputs must not be null");
        }
        List<String> names = network.inputNames();
        if (inputs.size() != names.size()) {
            throw new IllegalArgumentException("Network expected " + names.size() + " inputs " + names + ", got "
                    + inputs.size());
        }
        List<float[]> copies = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            float[] values = inputs.get(i);
            int width = width(network.inputShape(i));
            if (values == null || values.length != width) {
                throw new IllegalArgumentException("input " + i + " (\"" + names.get(i) + "\") expects " + width
                        + " values, got " + (values == null ? "null" : String.valueOf(values.length)));
            }
            copies.add(values.clone());
        }
        if (network.isSequential()) {
            return of(network, copies.get(0));
        }
        return GraphExplainer.explain(network, copies);
    }

    /** A graph's explanation, made by {@link GraphExplainer}. */
    static Explanation ofGraph(Network network, List<float[]> inputs, List<LayerExplanation> layers,
            List<float[]> outputs) {
        int total = 0;
        for (float[] values : inputs) {
            total += values.length;
        }
        float[] all = new float[total];
        int offset = 0;
        for (float[] values : inputs) {
            System.arraycopy(values, 0, all, offset, values.length);
            offset += values.length;
        }
        return new Explanation(network, all, layers, List.copyOf(inputs), List.copyOf(outputs));
    }

    private static int width(int[] shape) {
        int product = 1;
        for (int dimension : shape) {
            product *= dimension;
        }
        return product;
    }

    private static String inputWidths(Network network) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < network.inputNames().size(); i++) {
            text.append(i == 0 ? "" : " + ").append(network.inputNames().get(i)).append(": ")
                    .append(width(network.inputShape(i)));
        }
        return text.toString();
    }

    /** The name of layer {@code number}'s values (counting from 1) in a network of {@code count} layers: h1, h2, ..., y. */
    static String symbol(int number, int count) {
        return number == count ? "y" : "h" + number;
    }

    /** @return the input explained, a copy; for a graph, every input's values side by side in {@code inputNames()} order */
    public float[] input() {
        return input.clone();
    }

    /**
     * @return one sample of each input, in {@link Network#inputNames()} order (copies); for a Sequential network, the
     *     one {@link #input()}
     */
    public List<float[]> inputs() {
        if (inputs == null) {
            return List.of(input.clone());
        }
        return inputs.stream().map(float[]::clone).toList();
    }

    /**
     * @return each output's values, in {@link Network#outputNames()} order (copies), equal bit for bit to
     *     {@link Network#forwardAll(List)} for the same sample; for a Sequential network, the one {@link #output()}
     */
    public List<float[]> outputs() {
        if (outputs == null) {
            return List.of(output());
        }
        return outputs.stream().map(float[]::clone).toList();
    }

    /** @return one explanation per layer, first to last; for a graph, one per layer call in {@link Network#nodes()} order */
    public List<LayerExplanation> layers() {
        return layers;
    }

    /**
     * @return the network's output, equal bit for bit to {@link Network#forward(float...)} for the same input; for a
     *     graph, every output's values side by side in {@code outputNames()} order
     */
    public float[] output() {
        if (outputs != null) {
            return concatenated(outputs);
        }
        return layers.get(layers.size() - 1).outputs();
    }

    private static float[] concatenated(List<float[]> parts) {
        int total = 0;
        for (float[] part : parts) {
            total += part.length;
        }
        float[] all = new float[total];
        int offset = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }

    /** @return the whole forward pass with exact numbers, one line per neuron; see the class comment */
    @Override
    public String toString() {
        return text(Numbers.EXACT);
    }

    /**
     * The whole forward pass with numbers rounded for reading, as the video's diagram rounds 1.29 to 1.3, and a
     * closing note on what that rounding loses: the sums were computed with the exact weights, and rounding the
     * weights themselves (every weight of every layer: kernels, biases, gamma, moving statistics, ...) would give
     * another output (shown, with the difference).
     *
     * @param digits places after the decimal point, 0 to 9; trailing zeros are dropped
     * @return the text
     * @throws IllegalArgumentException if {@code digits} is outside 0 to 9
     */
    public String toString(int digits) {
        return text(Numbers.checkDigits(digits));
    }

    private String text(int digits) {
        StringBuilder text = new StringBuilder(network.toString());
        if (inputs == null) {
            text.append(", input x = ").append(list(input, digits)).append('\n');
        } else {
            for (int i = 0; i < inputs.size(); i++) {
                text.append(i == 0 ? "\ninput " : "input ").append(network.inputNames().get(i)).append(" = ")
                        .append(list(inputs.get(i), digits)).append('\n');
            }
        }
        for (LayerExplanation layer : layers) {
            text.append(layer.text(digits));
        }
        float[] output = output();
        if (outputs == null) {
            text.append("output y = ").append(list(output, digits)).append('\n');
        } else {
            for (int k = 0; k < outputs.size(); k++) {
                text.append("output ").append(network.outputNames().get(k)).append(" = ")
                        .append(list(outputs.get(k), digits)).append('\n');
            }
        }
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
        Network rounded = roundedWeightsNetwork(digits);
        float[] roundedOutput;
        if (inputs == null) {
            roundedOutput = rounded.forward(input);
        } else {
            List<Matrix> rows = inputs.stream().map(Matrix::row).toList();
            roundedOutput = concatenated(rounded.forwardAll(rows).stream().map(m -> m.getRow(0)).toList());
        }
        // a graph's outputs are named, written side by side in outputNames() order
        String y = inputs == null ? "y" : "the outputs (" + String.join(", ", network.outputNames()) + ")";
        double change = 0;
        for (int j = 0; j < output.length; j++) {
            change = Math.max(change, Math.abs((double) roundedOutput[j] - output[j]));
        }
        if (Double.isNaN(change) || change > 0) {
            note.append("Rounding the weights themselves to ").append(places)
                    .append(" (as the video rounds 1.29 to 1.3 on its diagram) loses\naccuracy: " + y + " would be ")
                    .append(list(roundedOutput, Numbers.EXACT)).append(" instead of ").append(list(output, Numbers.EXACT))
                    .append(" (largest change ").append(Numbers.format((float) change, Numbers.EXACT)).append(").\n");
        } else {
            note.append("Rounding the weights themselves to ").append(places).append(" would not change ").append(y).append(".\n");
        }
        return note.toString();
    }

    /** The network with every weight (kernels, biases, gamma, moving statistics, ...) rounded to {@code digits} places. */
    private Network roundedWeightsNetwork(int digits) {
        List<Matrix> rounded = new ArrayList<>();
        for (Matrix weight : network.getWeights()) {
            float[][] values = weight.toArray();
            for (float[] row : values) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = Numbers.round(row[j], digits);
                }
            }
            rounded.add(Matrix.of(values));
        }
        return network.withWeights(rounded);
    }

    static String list(float[] values, int digits) {
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
