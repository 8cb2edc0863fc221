package dev.nncore;

import dev.nncore.internal.Checks;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.internal.NetworkAccess;
import dev.nncore.internal.Tensors;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * A feed-forward network: Keras's {@code Sequential} model, a chain of {@link Layer}s ({@link Dense},
 * {@link BatchNormalization}, {@link Dropout}, {@link ActivationLayer}, ...), or a Functional model, a graph of
 * layers with several named inputs and outputs, {@link Merge} layers and shared layers (built from {@link Node}s with
 * {@link #functional(List, List)}).
 *
 * <p>Build one the way Keras does, or from the weights Keras's {@code model.get_weights()} printed:
 * <pre>{@code
 * Network xor = Network.builder(2)
 *         .dense(2, Activation.RELU)
 *         .dense(1, Activation.LINEAR)
 *         .seed(42)
 *         .build();                                    // glorot_uniform kernels, zero biases
 * Network video = xor.withWeights(List.of(
 *         Matrix.of(new float[][] {{1.3f, 1.2f}, {1.3f, 1.2f}}), Matrix.row(-1.3f, 0),
 *         Matrix.of(new float[][] {{-1.6f}, {0.8f}}), Matrix.row(0)));
 * float[] y = video.forward(1, 0);                      // {0.96}
 *
 * Network mnist = Network.builder(28, 28)               // a 28x28 input, fed as 784 values row by row
 *         .flatten()
 *         .dense(64, Activation.RELU)
 *         .batchNormalization()
 *         .dropout(0.2)
 *         .dense(10, Activation.SOFTMAX)
 *         .build();
 * }</pre>
 *
 * <p>A graph runs with {@link #forwardAll(List)}, one matrix per input and per output; {@code forward} works for
 * graphs of one input and one output, as for chains. Training and {@link #gradients} take several inputs (and
 * targets) side by side in one row, in {@link #inputNames()} ({@link #outputNames()}) order.
 *
 * <p>Input shape {@code [batch][inputs()]}, output shape {@code [batch][outputs()]}; a sample with several axes
 * ({@link #inputShape()}) is passed flat in row-major order. Weights are listed in Keras's {@code get_weights()}
 * order: each layer's weights in turn (a Dense layer's kernel {@code inputs x units} then bias {@code 1 x units};
 * a BatchNormalization's gamma, beta, moving mean, moving variance, each {@code 1 x features}).
 *
 * <p>{@code forward} is always inference: Dropout and noise layers pass values through and BatchNormalization uses
 * its moving statistics. Only a trainer's {@code fit} runs layers in training mode.
 *
 * <p>NaN or infinite inputs are not rejected: they propagate through the arithmetic as IEEE 754 says (a NaN
 * input gives NaN outputs), as in Keras, so a caller can check outputs instead of catching exceptions.
 *
 * <p>Immutable and thread-safe: {@code forward} may be called from many threads at once, and every method that
 * "changes" a network returns a new one.
 *
 * @since 0.1.0
 */
public final class Network {

    private final Graph graph;
    private final List<Layer> layers;
    private final int[] inputShape;
    /** In a chain, the layers that compute something at inference; Dropout, Flatten and the like are skipped. */
    private final Layer[] computing;
    /** Per row of a batch, the chain's multiply-adds ({@link Layer#multiplyAddsPerRow()}). */
    private final long multiplyAddsPerRow;

    private Network(int[] inputShape, List<Layer> layers) {
        this(Graph.chain(DEFAULT_INPUT_NAME, inputShape, layers));
    }

    private Network(Graph graph) {
        this.graph = graph;
        this.layers = graph.distinctLayers();
        this.inputShape = graph.inputCount() == 1 ? graph.inputShapes[0].clone()
                : new int[] {Arrays.stream(graph.widths, 0, graph.inputCount()).sum()};
        this.computing = layers.stream().filter(layer -> !layer.isIdentityAtInference()).toArray(Layer[]::new);
        long work = 0;
        for (Layer layer : computing) {
            work += layer.multiplyAddsPerRow();
        }
        this.multiplyAddsPerRow = work;
    }

    /** Keras 3's name for a {@code Sequential} model's input. */
    static final String DEFAULT_INPUT_NAME = "input_layer";

    /**
     * A graph network, Keras's {@code Model(inputs, outputs)} of the Functional API, with the weights its nodes' layers
     * have now (freshly drawn unless given). See {@link Node} for how to build one.
     *
     * <pre>{@code
     * Node x = Node.input("x", 4);
     * Node h = x.dense(8, Activation.RELU);
     * Node residual = Node.add(h, h.dense(8, Activation.RELU));     // a skip connection
     * Network net = Network.functional(List.of(x), List.of(residual.dense(1, Activation.SIGMOID)));
     * float[] p = net.forward(1, 2, 3, 4);                          // one input, one output: forward works
     * }</pre>
     *
     * @param inputs the graph's inputs, each a {@link Node#input}, in the order {@link #forwardAll} takes them
     * @param outputs the nodes whose values the network returns, in order
     * @return the network; when it is a plain chain from one input to one output, it is also {@link #isSequential()}
     * @throws IllegalArgumentException if an output needs an input that is not listed, names collide, or a node is
     *     listed twice
     */
    public static Network functional(List<Node> inputs, List<Node> outputs) {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(outputs, "outputs");
        return new Network(Graph.compile(List.copyOf(inputs), List.copyOf(outputs), null));
    }

    /**
     * As {@link #functional(List, List)}, with the layers that nodes made ({@link Node#dense}, {@link Node#then})
     * drawn again from {@code seed} in node order, so the same seed gives the same network on every JVM; layers given
     * to {@link Node#apply(Layer)} keep their weights.
     *
     * @param inputs the graph's inputs
     * @param outputs the graph's outputs
     * @param seed the seed of the initial weights
     * @return the network
     */
    public static Network functional(List<Node> inputs, List<Node> outputs, long seed) {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(outputs, "outputs");
        return new Network(Graph.compile(List.copyOf(inputs), List.copyOf(outputs), seed));
    }

    /**
     * Starts a network the way Keras's {@code Sequential} does, with the number of inputs per sample.
     *
     * @param inputs values per sample, at least 1
     * @return a builder
     * @throws IllegalArgumentException if {@code inputs} is below 1
     */
    public static Builder builder(int inputs) {
        return new Builder(new int[] {Checks.positive(inputs, "inputs")});
    }

    /**
     * Starts a network whose samples have several axes, Keras's {@code Input(shape=(28, 28))}: each sample is then
     * passed as {@code 28 * 28} values in row-major order, and a {@link Builder#flatten()} makes it flat for Dense
     * layers.
     *
     * @param inputShape the shape of one sample, each dimension at least 1
     * @return a builder
     * @throws IllegalArgumentException if a dimension is below 1
     */
    public static Builder builder(int... inputShape) {
        Checks.notNull(inputShape, "inputShape");
        if (inputShape.length == 0) {
            throw new IllegalArgumentException("the input shape needs at least one dimension");
        }
        for (int dimension : inputShape) {
            Checks.positive(dimension, "inputs");
        }
        Reshape.flatten(inputShape); // checks the size fits an int
        return new Builder(inputShape.clone());
    }

    /**
     * A network of the given layers, in order. Layers without a name get Keras's defaults: {@code dense},
     * {@code dense_1}, {@code batch_normalization}, ...
     *
     * @param layers at least one layer; each layer's inputs must equal the previous layer's outputs
     * @return the network
     * @throws IllegalArgumentException if there are no layers, two share a name, or adjacent sizes disagree
     */
    public static Network of(Layer... layers) {
        Checks.notNull(layers, "layers");
        return of(List.of(layers));
    }

    /**
     * A network of the given layers, in order; see {@link #of(Layer...)}. The input shape is the first layer's: flat,
     * or a {@link Reshape}'s input shape when the network starts with a Flatten.
     *
     * @param layers at least one layer
     * @return the network
     * @throws IllegalArgumentException if there are no layers, two share a name, or adjacent sizes disagree
     */
    public static Network of(List<? extends Layer> layers) {
        Checks.notNull(layers, "layers");
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        Layer first = Checks.notNull(layers.get(0), "layer 0");
        int[] shape = first instanceof Reshape reshape ? reshape.inputShapeView().clone() : new int[] {first.inputs()};
        return of(shape, layers);
    }

    /**
     * A network of the given layers, with samples of the given shape.
     *
     * @param inputShape the shape of one sample
     * @param layers at least one layer
     * @return the network
     * @throws IllegalArgumentException if there are no layers, two share a name, or sizes or shapes disagree
     */
    public static Network of(int[] inputShape, List<? extends Layer> layers) {
        Checks.notNull(inputShape, "inputShape");
        Checks.notNull(layers, "layers");
        Reshape.flatten(inputShape); // each dimension at least 1, the product an int
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        Set<String> used = new HashSet<>();
        int[] shape = inputShape.clone();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = Checks.notNull(layers.get(i), "layer " + i);
            if (layer.hasName() && !used.add(layer.name())) {
                throw new IllegalArgumentException("layer " + i + " is named \"" + layer.name()
                        + "\" like an earlier layer; layer names must be unique");
            }
            int width = Reshape.product(shape);
            if (layer.inputs() != width) {
                if (i == 0) {
                    throw new IllegalArgumentException("layer 0 (" + layer + ") expects " + layer.inputs()
                            + " inputs, but the input shape " + Arrays.toString(inputShape) + " has " + width);
                }
                Layer previous = layers.get(i - 1);
                throw new IllegalArgumentException("layer " + i + " (" + layer + ") expects " + layer.inputs()
                        + " inputs, but layer " + (i - 1) + " (" + previous + ") has " + previous.outputs()
                        + (previous instanceof Dense ? " units" : " outputs"));
            }
            try {
                shape = layer.outputShape(shape);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + ": " + e.getMessage(), e);
            }
        }
        List<Layer> named = new ArrayList<>(layers.size());
        Map<String, Integer> next = new HashMap<>();
        for (Layer layer : layers) {
            if (layer.hasName()) {
                named.add(layer);
                continue;
            }
            String base = layer.defaultName();
            String name;
            do {
                int count = next.merge(base, 1, Integer::sum) - 1;
                name = count == 0 ? base : base + "_" + count;
            } while (used.contains(name));
            used.add(name);
            named.add(layer.named(name));
        }
        return new Network(inputShape.clone(), List.copyOf(named));
    }

    /** @return the layers, first to last (an unmodifiable list of immutable layers) */
    public List<Layer> layers() {
        return layers;
    }

    /** @return the shape of one sample, e.g. {@code [28, 28]}; {@code [inputs()]} for flat input */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /**
     * @return the number of inputs per sample (the product of {@link #inputShape()}); for a graph of several inputs,
     *     all of them side by side in {@link #inputNames()} order, as {@code fit} and the CLI take them
     */
    public int inputs() {
        return inputShape.length == 1 ? inputShape[0] : Reshape.product(inputShape);
    }

    /**
     * @return the number of outputs per sample; for a graph of several outputs, all of them side by side in
     *     {@link #outputNames()} order
     */
    public int outputs() {
        int sum = 0;
        for (int slot : graph.outputs) {
            sum += graph.widths[slot];
        }
        return sum;
    }

    /**
     * The names of the network's inputs, Keras's {@code model.input_names}: a Sequential network has one,
     * {@code input_layer} unless a file named it.
     *
     * @return the names, in the order {@link #forwardAll} takes the inputs
     */
    public List<String> inputNames() {
        return List.of(graph.inputNames);
    }

    /**
     * The names of the network's outputs, Keras's {@code model.output_names}: the names of the layers that compute
     * them.
     *
     * @return the names, in the order {@link #forwardAll} returns the outputs
     */
    public List<String> outputNames() {
        return List.of(graph.outputNames);
    }

    /**
     * @param index an input's position in {@link #inputNames()}
     * @return that input's sample shape
     */
    public int[] inputShape(int index) {
        checkIndex(index, graph.inputCount(), "input");
        return graph.inputShapes[index].clone();
    }

    /**
     * @param index an output's position in {@link #outputNames()}
     * @return that output's values per sample
     */
    public int outputWidth(int index) {
        checkIndex(index, graph.outputs.length, "output");
        return graph.widths[graph.outputs[index]];
    }

    /**
     * Where output {@code index} is computed: its node's position in {@link #nodes()} (an input's position if the
     * output is an input). Tells which call of a shared layer an output is, e.g. for writing the graph to a file.
     *
     * <pre>{@code
     * // given: model
     * Node output = model.nodes().get(model.outputNodeIndex(0));   // the Dense "main"
     * }</pre>
     *
     * @param index an output's position in {@link #outputNames()}
     * @return the position of its node in {@link #nodes()}
     */
    public int outputNodeIndex(int index) {
        checkIndex(index, graph.outputs.length, "output");
        return graph.outputs[index];
    }

    /**
     * @return true if the network is a chain from one input to one output with no layer used twice, Keras's
     *     {@code Sequential}; false for other graphs
     */
    public boolean isSequential() {
        return graph.chain;
    }

    /**
     * The graph, node by node in topological order: each node's layer and the nodes it takes (inputs are nodes with
     * no layer). A Sequential network is a chain of them.
     *
     * <pre>{@code
     * // given: model
     * for (Node node : model.nodes()) {
     *     System.out.println(node.name() + " <- " + node.inputs().stream().map(Node::name).toList());
     * }
     * }</pre>
     *
     * @return the input nodes, then one node per layer call, in order
     */
    public List<Node> nodes() {
        int inputCount = graph.inputCount();
        Node[] slots = new Node[graph.widths.length];
        for (int i = 0; i < inputCount; i++) {
            slots[i] = Node.namedInput(graph.inputNames[i], graph.inputShapes[i].clone());
        }
        for (int n = 0; n < graph.nodeCount(); n++) {
            List<Node> from = new ArrayList<>();
            for (int slot : graph.sources[n]) {
                from.add(slots[slot]);
            }
            slots[inputCount + n] = Node.of(graph.layers[n], null, from);
        }
        return List.of(slots);
    }

    /** @return each node's layer, in {@link #nodes()} order without the inputs: a shared layer appears once per call */
    List<Layer> nodeLayers() {
        return List.of(graph.layers);
    }

    Graph graph() {
        return graph;
    }

    /** @return the layer computing output {@code index}, or null when that output is an input */
    Layer outputLayer(int index) {
        int slot = graph.outputs[index];
        return slot < graph.inputCount() ? null : graph.layers[slot - graph.inputCount()];
    }

    /**
     * The network's outputs for a batch of every input, Keras's {@code model.predict([wide, deep])}.
     *
     * <pre>{@code
     * // given: model
     * Matrix wide = Matrix.of(new float[][] {{1, 2, 3, 4, 5}});
     * Matrix deep = Matrix.of(new float[][] {{1, 2, 3, 4, 5, 6}});
     * List<Matrix> outputs = model.forwardAll(List.of(wide, deep));  // inputNames() order
     * Matrix main = outputs.get(0);                                   // outputNames().get(0)
     * }</pre>
     *
     * @param inputs one matrix per input in {@link #inputNames()} order, each one row per sample, the same number of
     *     rows; not modified
     * @return one matrix per output in {@link #outputNames()} order
     * @throws IllegalArgumentException if the count, a width or a row count is wrong, e.g.
     *     {@code expected 2 inputs (wide, deep), got 3}
     */
    public List<Matrix> forwardAll(List<Matrix> inputs) {
        Checks.notNull(inputs, "inputs");
        if (inputs.size() != graph.inputCount()) {
            throw new IllegalArgumentException("expected " + graph.inputCount() + " inputs (" + String.join(", ", inputNames())
                    + "), got " + inputs.size());
        }
        float[][][] batches = new float[inputs.size()][][];
        for (int i = 0; i < batches.length; i++) {
            Matrix input = Checks.notNull(inputs.get(i), "input " + i);
            int width = graph.widths[i];
            if (input.cols() != width) {
                throw new IllegalArgumentException("input " + i + " (\"" + graph.inputNames[i] + "\") expects " + width
                        + " values per row, got " + input.cols() + " (shape [" + input.rows() + "][" + input.cols() + "])");
            }
            if (input.rows() != inputs.get(0).rows()) {
                throw new IllegalArgumentException("input " + i + " (\"" + graph.inputNames[i] + "\") has " + input.rows()
                        + " rows but input 0 has " + inputs.get(0).rows() + "; every input needs one row per sample");
            }
            batches[i] = MatrixAccess.rows(input);
        }
        int rows = batches[0].length;
        float[][][] results = new float[graph.outputs.length][][];
        for (int k = 0; k < results.length; k++) {
            results[k] = new float[rows][graph.widths[graph.outputs[k]]];
        }
        if (rows > 0) {
            forwardAll(batches, results);
        }
        List<Matrix> matrices = new ArrayList<>(results.length);
        for (float[][] result : results) {
            matrices.add(MatrixAccess.wrap(result));
        }
        return List.copyOf(matrices);
    }

    /**
     * {@link #forwardAll(List)} into buffers the caller supplies: in steady state this allocates nothing.
     *
     * @param inputs {@code inputs[i]} holds input {@code i}'s rows, in {@link #inputNames()} order; not modified
     * @param outputs {@code outputs[k]} receives output {@code k}'s rows, as many as the inputs have; overwritten
     * @throws IllegalArgumentException if a count, width or row count is wrong, or an output row is an input row
     */
    public void forwardAll(float[][][] inputs, float[][][] outputs) {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(outputs, "outputs");
        if (inputs.length != graph.inputCount() || outputs.length != graph.outputs.length) {
            throw new IllegalArgumentException("expected " + graph.inputCount() + " inputs and " + graph.outputs.length
                    + " outputs, got " + inputs.length + " and " + outputs.length);
        }
        int rows = inputs[0] == null ? 0 : inputs[0].length;
        for (int i = 0; i < inputs.length; i++) {
            checkRows(inputs[i], rows, graph.widths[i], "input", i, graph.inputNames[i]);
        }
        for (int k = 0; k < outputs.length; k++) {
            checkRows(outputs[k], rows, graph.widths[graph.outputs[k]], "output", k, graph.outputNames[k]);
            for (float[][] input : inputs) {
                for (int r = 0; r < rows; r++) {
                    if (outputs[k][r] == input[r]) {
                        throw new IllegalArgumentException("output " + k + " row " + r + " is an input's row; pass separate"
                                + " buffers");
                    }
                }
            }
        }
        if (graph.chain) {
            forwardRowsInto(inputs[0], outputs[0]);
        } else {
            graph.forward(inputs, outputs);
        }
    }

    /** Checks a batch's row count and widths; the message is built only on failure, so a steady call allocates nothing. */
    private static void checkRows(float[][] rows, int count, int width, String kind, int index, String name) {
        if (rows == null || rows.length != count || count == 0) {
            throw new IllegalArgumentException(kind + " " + index + " (\"" + name + "\") has "
                    + (rows == null ? "no" : rows.length) + " rows, expected " + Math.max(count, 1)
                    + " or more, as many as input 0");
        }
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null || rows[r].length != width) {
                throw new IllegalArgumentException(kind + " " + index + " (\"" + name + "\") row " + r + " has "
                        + (rows[r] == null ? "no" : rows[r].length) + " values, expected " + width);
            }
        }
    }

    private static void checkIndex(int index, int count, String what) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(what + " " + index + " does not exist; there are " + count);
        }
    }

    /** One input and one output, or an error that says why not and what to call instead. */
    private void checkSingle(String call) {
        if (graph.inputCount() != 1 || graph.outputs.length != 1) {
            throw new IllegalStateException(call + " takes one input and gives one output, but this network has "
                    + graph.inputCount() + " inputs " + inputNames() + " and " + graph.outputs.length + " outputs "
                    + outputNames() + "; use forwardAll(List.of(" + String.join(", ", inputNames()) + "))");
        }
    }

    /**
     * The network's output for one sample.
     *
     * @param input {@link #inputs()} values; not modified
     * @return a new array of {@link #outputs()} values
     * @throws IllegalArgumentException if {@code input} has the wrong length, e.g. {@code expected 2 inputs, got 3}
     */
    public float[] forward(float... input) {
        checkSingle("forward(float...)");
        checkInput(input);
        float[] output = new float[outputs()];
        forwardInto(input, output);
        return output;
    }

    /**
     * The network's output for one sample, written into a buffer the caller supplies: in steady state this allocates
     * nothing, so a service can run it in a tight loop without garbage.
     *
     * @param input {@link #inputs()} values; not modified
     * @param output {@link #outputs()} values; overwritten
     * @return {@code output}
     * @throws IllegalArgumentException if either length is wrong, or {@code output} is {@code input}
     */
    public float[] forward(float[] input, float[] output) {
        checkSingle("forward(float[], float[])");
        checkInput(input);
        Checks.notNull(output, "output");
        if (output.length != outputs()) {
            throw new IllegalArgumentException("output must have " + outputs() + " values (the network's outputs), got "
                    + output.length);
        }
        if (output == input) {
            throw new IllegalArgumentException("output is the input array; pass a separate buffer");
        }
        forwardInto(input, output);
        return output;
    }

    private void checkInput(float[] input) {
        Checks.notNull(input, "input");
        if (input.length != inputs()) {
            throw new IllegalArgumentException("Network expected " + inputs() + " inputs, got " + input.length
                    + (input.length == 0 ? " (an empty sample)" : ""));
        }
    }

    /** Layers between input and output write into this thread's workspace; the last writes into {@code output}. */
    private void forwardInto(float[] input, float[] output) {
        if (!graph.chain) {
            graph.forwardSingle(input, output);
            return;
        }
        if (computing.length == 0) {
            System.arraycopy(input, 0, output, 0, output.length);
            return;
        }
        Workspace workspace = Workspace.local();
        float[] activations = input;
        int last = computing.length - 1;
        for (int l = 0; l < last; l++) {
            Layer layer = computing[l];
            float[] out = workspace.buffer(1, layer.outputs(), l & 1)[0];
            layer.forward(activations, out);
            activations = out;
        }
        computing[last].forward(activations, output);
    }

    /**
     * The network's outputs for a batch, one row per sample, as Keras's {@code model.predict}.
     *
     * @param batch one row per sample, {@link #inputs()} columns; not modified
     * @return a new matrix, one row per sample and {@link #outputs()} columns
     * @throws IllegalArgumentException if the batch has the wrong number of columns
     */
    public Matrix forward(Matrix batch) {
        checkSingle("forward(Matrix)");
        Checks.notNull(batch, "batch");
        if (batch.cols() != inputs()) {
            throw new IllegalArgumentException(layers.get(0).describe() + " expects " + inputs() + " inputs per row, got "
                    + batch.cols() + " (input shape [" + batch.rows() + "][" + batch.cols() + "])");
        }
        float[][] rows = MatrixAccess.rows(batch);
        float[][] output = new float[rows.length][outputs()];
        forwardRowsInto(rows, output);
        return MatrixAccess.wrap(output);
    }

    /**
     * The network's outputs for a batch, written into a buffer the caller supplies: in steady state this allocates
     * nothing. A large batch is cut by rows over nn-core's worker threads ({@code -Dnncore.threads}), each part
     * through every layer (a graph network shares its large products instead), with results identical to one thread.
     *
     * @param batch one row per sample, {@link #inputs()} values each; not modified
     * @param output one row per sample, {@link #outputs()} values each; overwritten
     * @throws IllegalArgumentException if a row has the wrong length, the row counts differ, or rows are shared
     */
    public void forward(float[][] batch, float[][] output) {
        checkSingle("forward(float[][], float[][])");
        Checks.notNull(batch, "batch");
        Checks.notNull(output, "output");
        if (batch.length == 0 || output.length != batch.length) {
            throw new IllegalArgumentException("batch has " + batch.length + " rows and output " + output.length
                    + "; they must be equal and at least 1");
        }
        for (int r = 0; r < batch.length; r++) {
            if (batch[r] == null || batch[r].length != inputs()) {
                throw new IllegalArgumentException("batch row " + r + " has " + (batch[r] == null ? "no" : batch[r].length)
                        + " values, expected " + inputs());
            }
            if (output[r] == null || output[r].length != outputs()) {
                throw new IllegalArgumentException("output row " + r + " has " + (output[r] == null ? "no" : output[r].length)
                        + " values, expected " + outputs());
            }
        }
        forwardRowsInto(batch, output);
    }

    private void forwardRowsInto(float[][] rows, float[][] output) {
        if (!graph.chain) {
            graph.forwardSingle(rows, output);
            return;
        }
        if (computing.length == 0) {
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(rows[r], 0, output[r], 0, output[r].length);
            }
            return;
        }
        int parts = BatchSplit.parts(rows.length, multiplyAddsPerRow);
        if (parts > 1 && Workspace.local().split().run(this, rows, output, parts)) {
            return;
        }
        forwardChain(rows, output);
    }

    /** The chain's layers over {@code rows} on this thread, hidden layers in its workspace. */
    void forwardChain(float[][] rows, float[][] output) {
        Workspace workspace = Workspace.local();
        float[][] activations = rows;
        int last = computing.length - 1;
        for (int l = 0; l < last; l++) {
            Layer layer = computing[l];
            float[][] out = workspace.buffer(rows.length, layer.outputs(), l & 1);
            layer.forward(activations, out);
            activations = out;
        }
        computing[last].forward(activations, output);
    }

    /**
     * @return the weights in Keras {@code get_weights()} order: each layer's weights in turn, e.g. kernel
     *     ({@code in x out}) and bias ({@code 1 x out}) for a Dense layer
     */
    public List<Matrix> getWeights() {
        List<Matrix> weights = new ArrayList<>();
        for (Layer layer : layers) {
            weights.addAll(layer.getWeights());
        }
        return List.copyOf(weights);
    }

    /**
     * @return for each weight of {@link #getWeights()}, whether training updates it; BatchNormalization's moving
     *     statistics and Normalization's mean and variance are not trainable
     */
    public List<Boolean> trainable() {
        List<Boolean> flags = new ArrayList<>();
        for (Layer layer : layers) {
            for (int i = 0; i < layer.weightNames().size(); i++) {
                flags.add(layer.isTrainable(i));
            }
        }
        return List.copyOf(flags);
    }

    /**
     * A network of the same architecture (sizes, activations, names) with other weights, as Keras's
     * {@code set_weights}.
     *
     * @param weights every layer's weights, in {@link #getWeights()} order and shapes; not modified
     * @return the new network; this one is unchanged
     * @throws IllegalArgumentException if the count or a shape is wrong; the message names the first mismatch,
     *     e.g. {@code weight 2 (layer 1 kernel) must be 2x1, got 1x2}
     */
    public Network withWeights(List<Matrix> weights) {
        return withWeights(weights, true);
    }

    static {
        NetworkAccess.install(new NetworkAccess.Bridge() {
            @Override
            public Network withOwnedWeights(Network architecture, List<float[][]> weights) {
                List<Matrix> views = new ArrayList<>(weights.size());
                for (float[][] tensor : weights) {
                    views.add(MatrixAccess.wrap(tensor));
                }
                return architecture.withWeights(views, false);
            }

            @Override
            public List<float[][]> weightArrays(Network network) {
                return network.weightArrays();
            }

            @Override
            public Backprop cutByUnits(Network network, Loss loss, List<float[][]> weights,
                    java.util.random.RandomGenerator random, int[] bounds) {
                return Backprop.cutByUnits(network, loss, weights, random, 0, bounds);
            }

            @Override
            public void afterUnitGradients(Backprop run, dev.nncore.internal.Kernels.Parts hook) {
                run.afterUnitGradients(hook);
            }
        });
    }

    /** Every layer's weight arrays in {@link #getWeights()} order, this network's own: read only. */
    List<float[][]> weightArrays() {
        List<float[][]> arrays = new ArrayList<>();
        for (Layer layer : layers) {
            arrays.addAll(layer.weightArrays());
        }
        return arrays;
    }

    /** {@link #withWeights(List)}; {@code copy} false: the layers take the weights' arrays over instead of copying them. */
    private Network withWeights(List<Matrix> weights, boolean copy) {
        Checks.notNull(weights, "weights");
        int expected = 0;
        for (Layer layer : layers) {
            expected += layer.weightNames().size();
        }
        if (weights.size() != expected) {
            throw new IllegalArgumentException("expected " + expected + " weights (" + weightInventory() + "), got "
                    + weights.size());
        }
        List<Layer> replaced = new ArrayList<>(layers.size());
        int index = 0;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            List<float[][]> current = layer.weightArrays();
            List<float[][]> arrays = new ArrayList<>(current.size());
            for (int i = 0; i < current.size(); i++, index++) {
                Matrix weight = weights.get(index);
                String role = layer.weightNames().get(i);
                int rows = current.get(i).length;
                int cols = current.get(i)[0].length;
                if (weight == null) {
                    throw new IllegalArgumentException("weight " + index + " (layer " + l + " " + role + ") is null");
                }
                if (weight.rows() != rows || weight.cols() != cols) {
                    throw new IllegalArgumentException("weight " + index + " (layer " + l + " " + role + ") must be " + rows
                            + "x" + cols + ", got " + weight.shape() + " (layer \"" + layer.name() + "\": "
                            + (layer instanceof Dense dense ? dense.inputs() + " inputs, " + dense.units() + " units"
                                    : layer.kerasClass() + " of " + layer.inputs() + " features")
                            + ("kernel".equals(role) ? "; Keras stores kernels as [in][out]" : "") + ")");
                }
                arrays.add(MatrixAccess.rows(weight));
            }
            replaced.add(arrays.isEmpty() ? layer : layer.withWeightArrays(copy ? Tensors.copies(arrays) : arrays));
        }
        Map<Layer, Layer> replace = new java.util.IdentityHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            replace.put(layers.get(l), replaced.get(l));
        }
        return new Network(graph.withLayers(replace));
    }


    /** E.g. "a kernel and a bias for each of 2 layers", or each layer's weight names. */
    private String weightInventory() {
        boolean allDenseWithBias = layers.stream().allMatch(layer -> layer instanceof Dense dense && dense.useBias());
        if (allDenseWithBias) {
            return "a kernel and a bias for each of " + layers.size() + " layers";
        }
        return layers.stream().filter(layer -> !layer.weightNames().isEmpty())
                .map(layer -> layer.name() + ": " + String.join(", ", layer.weightNames()))
                .collect(Collectors.joining("; "));
    }

    /**
     * The gradient of the mean batch loss with respect to every trainable weight, by analytic backpropagation in
     * float32: what Keras's {@code tape.gradient(loss, model.trainable_weights)} returns for {@code model(x)} at
     * inference (Dropout off, BatchNormalization on its moving statistics).
     *
     * <pre>{@code
     * Network line = Network.of(Dense.of(new float[][] {{1}}, new float[] {0}, Activation.LINEAR));
     * Matrix x = Matrix.column(1, 2);
     * Matrix y = Matrix.column(2, 4);
     * List<Matrix> g = line.gradients(x, y, Loss.MEAN_SQUARED_ERROR);
     * // loss = mean((w x + b - y)^2): dL/dw = mean(2 (x - y) x) = -5, dL/db = mean(2 (x - y)) = -3
     * float dw = g.get(0).get(0, 0);                     // -5.0
     * float db = g.get(1).get(0, 0);                     // -3.0
     * }</pre>
     *
     * <p>Softmax with categorical cross-entropy and sigmoid with binary cross-entropy take the stable fused path
     * {@code dL/dz = (p - t) / N} (divided by the outputs too for binary), which equals the chain rule through
     * Keras's clipped loss; where the clipping to {@code [1e-7, 1 - 1e-7]} is active the clipped gradient is used.
     * NaN in {@code x} or {@code y} propagates, as in {@link #forward(Matrix)}.
     *
     * @param x inputs, one row per sample, {@link #inputs()} columns; not modified
     * @param y targets, one row per row of {@code x}, {@link #outputs()} columns; not modified
     * @param loss the loss whose batch mean is differentiated
     * @return one matrix per trainable weight, in {@link #getWeights()} order and shapes (for a network of Dense
     *     layers, every weight)
     * @throws IllegalArgumentException if a shape disagrees, e.g. {@code x has 4 rows but y has 3}
     */
    public List<Matrix> gradients(Matrix x, Matrix y, Loss loss) {
        return Backprop.gradients(this, x, y, java.util.Collections.singletonList(loss), null);
    }

    /**
     * The gradient of a graph network's total loss, {@code sum over outputs k of lossWeights[k] * mean loss k}, with
     * respect to every trainable weight, at inference; a shared layer's gradient sums over its calls.
     *
     * <pre>{@code
     * // given: model, wide, deep, mainTargets, auxTargets
     * List<Matrix> g = model.gradients(List.of(wide, deep), List.of(mainTargets, auxTargets),
     *         List.of(Loss.MEAN_SQUARED_ERROR, Loss.BINARY_CROSSENTROPY), new double[] {1.0, 0.2});
     * }</pre>
     *
     * @param inputs one matrix per input, in {@link #inputNames()} order, the same number of rows; not modified
     * @param targets one matrix per output, in {@link #outputNames()} order; not modified
     * @param losses one loss per output
     * @param lossWeights one finite weight per output
     * @return one matrix per trainable weight, in {@link #getWeights()} order and shapes
     * @throws IllegalArgumentException if a count or shape does not fit the network
     */
    public List<Matrix> gradients(List<Matrix> inputs, List<Matrix> targets, List<Loss> losses, double[] lossWeights) {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(targets, "targets");
        Checks.notNull(losses, "losses");
        Checks.notNull(lossWeights, "lossWeights");
        if (inputs.size() != graph.inputCount() || targets.size() != graph.outputs.length) {
            throw new IllegalArgumentException("expected " + graph.inputCount() + " inputs " + inputNames() + " and "
                    + graph.outputs.length + " targets " + outputNames() + ", got " + inputs.size() + " and "
                    + targets.size());
        }
        return Backprop.gradients(this, sideBySide(inputs, true), sideBySide(targets, false), losses,
                lossWeights);
    }

    /** The inputs (or the targets) side by side, each checked against its input's (output's) width. */
    private Matrix sideBySide(List<Matrix> parts, boolean inputs) {
        int[] widths = new int[parts.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = inputs ? graph.widths[i] : graph.widths[graph.outputs[i]];
        }
        return dev.nncore.internal.SideBySide.of(parts, inputs ? "input" : "target", inputs ? inputNames() : outputNames(),
                widths);
    }

    /**
     * Keras's {@code model.evaluate(x, y)}: the mean loss over the rows and each metric on the predictions.
     * <pre>{@code
     * // given: network, x, y
     * Evaluation result = network.evaluate(x, y, Loss.CATEGORICAL_CROSSENTROPY, Metric.accuracy());
     * result.get("accuracy");
     * }</pre>
     *
     * @param x inputs, one row per sample; not modified
     * @param y targets, one row per row of {@code x}, as the loss needs them; not modified
     * @param loss the loss, e.g. the one the network was trained with
     * @param metrics the metrics to compute, each on all rows at once
     * @return the loss and the metrics by name, in the order given
     * @throws IllegalArgumentException if a shape disagrees or two metrics have the same name
     */
    public dev.nncore.metrics.Evaluation evaluate(Matrix x, Matrix y, Loss loss, dev.nncore.metrics.Metric... metrics) {
        Checks.notNull(x, "x");
        Checks.notNull(y, "y");
        Checks.notNull(loss, "loss");
        Checks.notNull(metrics, "metrics");
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("x has " + x.rows() + " rows but y has " + y.rows());
        }
        Matrix predicted = forward(x);
        Map<String, Double> values = new java.util.LinkedHashMap<>();
        for (dev.nncore.metrics.Metric metric : metrics) {
            if (values.put(metric.name(), metric.compute(y, predicted)) != null) {
                throw new IllegalArgumentException("two metrics are named '" + metric.name()
                        + "'; rename one with Metric.named(...)");
            }
        }
        return new dev.nncore.metrics.Evaluation(loss.value(predicted, y), values);
    }

    /**
     * The predicted class of each row: the index of the largest output (the first on ties), or, for a network with
     * one output (a sigmoid), 1 where the output is above 0.5 and 0 elsewhere.
     * <pre>{@code
     * // given: network, x, data
     * int[] classes = network.predictClasses(x);              // one class index per row
     * String first = data.classNames().get(0);               // "setosa"
     * }</pre>
     *
     * @param x inputs, one row per sample; not modified
     * @return one class index per row
     */
    public int[] predictClasses(Matrix x) {
        return predictClasses(x, 0.5);
    }

    /**
     * @param x inputs, one row per sample; not modified
     * @param threshold for a network with one output, the output above which the class is 1; ignored otherwise
     * @return one class index per row, as {@link #predictClasses(Matrix)}
     */
    public int[] predictClasses(Matrix x, double threshold) {
        Matrix predicted = forward(x);
        int[] classes = new int[predicted.rows()];
        for (int r = 0; r < classes.length; r++) {
            if (predicted.cols() == 1) {
                classes[r] = predicted.get(r, 0) > threshold ? 1 : 0;
                continue;
            }
            int best = 0;
            for (int j = 1; j < predicted.cols(); j++) {
                if (predicted.get(r, j) > predicted.get(r, best)) {
                    best = j;
                }
            }
            classes[r] = best;
        }
        return classes;
    }

    /** @return the number of weights, over all layers, trainable or not */
    public int parameterCount() {
        return layers.stream().mapToInt(Layer::parameterCount).sum();
    }

    /** @return the number of trainable weights */
    public int trainableParameterCount() {
        return layers.stream().mapToInt(Layer::trainableParameterCount).sum();
    }

    /**
     * A table of the layers as Keras's {@code model.summary()} prints it: name and type, output shape, parameter
     * count, then the totals, trainable and not. A graph is printed as Keras 2 prints a Functional model: the inputs
     * as {@code InputLayer} rows, and a "Connected to" column naming what each layer reads ({@code dense_1[0][0]}).
     *
     * @return the summary, lines separated by {@code \n}
     */
    public String summary() {
        if (!isSequential()) { return GraphSummary.of(this); }
        String rule = "_".repeat(65);
        StringBuilder text = new StringBuilder("Model: \"sequential\"\n").append(rule).append('\n');
        text.append(summaryRow("Layer (type)", "Output Shape", "Param #")).append('\n');
        text.append("=".repeat(65)).append('\n');
        int[] shape = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            shape = layer.outputShape(shape);
            text.append(summaryRow(layer.name() + " (" + layer.kerasClass() + ")", Layer.shapeText(shape),
                    String.valueOf(layer.parameterCount()))).append('\n');
            if (i < layers.size() - 1) {
                text.append('\n');
            }
        }
        int total = parameterCount();
        int trainable = trainableParameterCount();
        text.append("=".repeat(65)).append('\n');
        text.append("Total params: ").append(total).append(" (").append(bytes(4L * total)).append(")\n");
        text.append("Trainable params: ").append(trainable).append(" (").append(bytes(4L * trainable)).append(")\n");
        text.append("Non-trainable params: ").append(total - trainable).append(" (").append(bytes(4L * (total - trainable)))
                .append(")\n");
        text.append(rule);
        return text.toString();
    }

    /** Column ends of Keras 2's {@code print_summary} for its default line length of 65. */
    private static final int[] SUMMARY_COLUMNS = {29, 55, 65};

    /**
     * One row as Keras 2's {@code print_row} prints it: each cell cut to its column less two spaces, the rest
     * continued on the next line, so a long name such as {@code batch_normalization (BatchNormalization)} wraps.
     */
    private static String summaryRow(String layer, String shape, String params) {
        String[] left = {layer, shape, params};
        StringBuilder rows = new StringBuilder();
        while (!left[0].isEmpty() || !left[1].isEmpty() || !left[2].isEmpty()) {
            StringBuilder line = new StringBuilder(" ");
            for (int col = 0; col < left.length; col++) {
                int start = col == 0 ? 0 : SUMMARY_COLUMNS[col - 1];
                int space = col == left.length - 1 ? 0 : 2;
                int cutoff = Math.min(left[col].length(), SUMMARY_COLUMNS[col] - start - space);
                line.append(left[col], 0, cutoff).append(" ".repeat(space));
                left[col] = left[col].substring(cutoff);
                line.append(" ".repeat(Math.max(0, SUMMARY_COLUMNS[col] - line.length())));
            }
            rows.append(rows.length() == 0 ? "" : "\n").append(line.toString().stripTrailing());
        }
        return rows.toString();
    }

    /** Keras's byte count format: {@code 36.00 Byte}, {@code 1.23 KB}, {@code 4.56 MB}. */
    private static String bytes(long count) {
        if (count < 1024) {
            return String.format(java.util.Locale.ROOT, "%.2f Byte", (double) count);
        }
        if (count < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.2f KB", count / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.2f MB", count / (1024.0 * 1024.0));
    }

    /** Equal networks have equal layers (weights included) in the same graph; input names do not count. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Network other && Arrays.equals(inputShape, other.inputShape) && layers.equals(other.layers)
                && graph.sameTopology(other.graph);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(inputShape) + layers.hashCode();
    }

    /**
     * @return e.g. {@code Network[2 -> Dense(2, relu) -> Dense(1, sigmoid)]}, or for a graph each node with what it
     *     takes: {@code Network[wide: 5, deep: 6; dense <- deep: Dense(30, relu); ...]}
     */
    @Override
    public String toString() {
        if (!graph.chain) {
            StringBuilder text = new StringBuilder("Network[");
            for (int i = 0; i < graph.inputCount(); i++) {
                text.append(i == 0 ? "" : ", ").append(graph.inputNames[i]).append(": ")
                        .append(Arrays.stream(graph.inputShapes[i]).mapToObj(String::valueOf).collect(Collectors.joining("x")));
            }
            for (int n = 0; n < graph.nodeCount(); n++) {
                text.append("; ").append(graph.layers[n].name()).append(" <- ")
                        .append(Arrays.stream(graph.sources[n]).mapToObj(graph::slotName).collect(Collectors.joining(" + ")))
                        .append(": ").append(graph.layers[n].shortForm());
            }
            return text.append("; outputs ").append(String.join(", ", graph.outputNames)).append("]").toString();
        }
        String input = inputShape.length == 1 ? String.valueOf(inputShape[0])
                : Arrays.stream(inputShape).mapToObj(String::valueOf).collect(Collectors.joining("x"));
        return "Network[" + input + " -> " + layers.stream().map(Layer::shortForm).collect(Collectors.joining(" -> ")) + "]";
    }

    /**
     * Builds a network layer by layer, initialised as Keras initialises each layer: Dense kernels drawn from
     * glorot_uniform ({@code U(-l, l)}, {@code l = sqrt(6 / (inputs + units))}), biases zero; BatchNormalization
     * gamma 1, beta 0, moving mean 0, moving variance 1; PReLU slopes 0.
     *
     * <pre>{@code
     * Network network = Network.builder(4)
     *         .dense(16, Activation.RELU)
     *         .batchNormalization()
     *         .dropout(0.2)
     *         .dense(3, Activation.SOFTMAX, "probabilities")
     *         .seed(7)
     *         .build();
     * }</pre>
     *
     * <p>The kernels are drawn layer by layer, row by row, from a {@link SplittableRandom} seeded with
     * {@link #seed(long)}, so the same seed gives the same network on every JVM. Without a seed, as in Keras,
     * each build draws different weights. Not thread-safe; {@link #build()} may be called more than once.
     */
    public static final class Builder {

        private final int[] inputShape;
        private final List<Node.Spec> specs = new ArrayList<>();
        private Long seed;

        private Builder(int[] inputShape) {
            this.inputShape = inputShape;
        }

        /**
         * Adds a Dense layer with a default name ({@code dense}, {@code dense_1}, ...).
         *
         * @param units outputs of the layer, at least 1
         * @param activation its activation
         * @return this builder
         * @throws IllegalArgumentException if {@code units} is below 1 or {@code activation} is null
         */
        public Builder dense(int units, Activation activation) {
            return dense(units, activation, true, null);
        }

        /**
         * Adds a named Dense layer.
         *
         * @param units outputs of the layer, at least 1
         * @param activation its activation
         * @param name the layer's name, unique in the network
         * @return this builder
         * @throws IllegalArgumentException if {@code units} is below 1, {@code activation} is null or the name blank
         */
        public Builder dense(int units, Activation activation, String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a layer name must not be blank, got '" + name + "'");
            }
            return dense(units, activation, true, name);
        }

        /**
         * Adds a Dense layer without a bias, Keras's {@code use_bias=False} (common before a BatchNormalization).
         *
         * @param units outputs of the layer, at least 1
         * @param activation its activation
         * @return this builder
         */
        public Builder denseWithoutBias(int units, Activation activation) {
            return dense(units, activation, false, null);
        }

        /**
         * Adds a Dense layer whose kernel and bias start as the given initializers draw them, Keras's
         * {@code Dense(units, activation, kernel_initializer=..., bias_initializer=...)}. The kernel is drawn first,
         * then the bias, from the builder's seeded generator; {@code dense(u, a, Initializer.GLOROT_UNIFORM,
         * Initializer.ZEROS)} is {@code dense(u, a)} bit for bit.
         * <pre>{@code
         * Network network = Network.builder(64).dense(32, Activation.RELU, Initializer.HE_NORMAL, Initializer.ZEROS)
         *         .dense(10, Activation.SOFTMAX).seed(1).build();
         * }</pre>
         *
         * @param units outputs of the layer, at least 1
         * @param activation its activation
         * @param kernelInitializer draws the {@code [inputs][units]} kernel
         * @param biasInitializer draws the bias (fans both {@code units}, as Keras computes them for a 1-D weight)
         * @return this builder
         * @throws IllegalArgumentException if {@code units} is below 1 or an argument is null
         */
        public Builder dense(int units, Activation activation, Initializer kernelInitializer, Initializer biasInitializer) {
            Checks.positive(units, "units");
            Checks.notNull(activation, "activation");
            Checks.notNull(kernelInitializer, "kernelInitializer");
            Checks.notNull(biasInitializer, "biasInitializer");
            return add((shape, random) -> {
                float[][] kernel = kernelInitializer.sample(flat(shape, "Dense"), units, random);
                return Dense.of(kernel, biasInitializer.sample(units, random), activation)
                        .withInitializers(kernelInitializer, biasInitializer);
            });
        }

        private Builder dense(int units, Activation activation, boolean useBias, String name) {
            Checks.positive(units, "units");
            Checks.notNull(activation, "activation");
            return add((shape, random) -> {
                float[][] kernel = glorotUniform(flat(shape, "Dense"), units, random);
                Dense layer = useBias ? Dense.of(kernel, new float[units], activation) : Dense.withoutBias(kernel, activation);
                return name == null ? layer : layer.named(name);
            });
        }

        /**
         * Adds a Keras {@code Activation} layer, e.g. a softmax after a Dense layer that already applies relu.
         *
         * @param activation the function
         * @return this builder
         */
        public Builder activation(Activation activation) {
            Checks.notNull(activation, "activation");
            return add((shape, random) -> ActivationLayer.of(Reshape.product(shape), activation));
        }

        /**
         * Adds Keras's {@code LeakyReLU} layer.
         *
         * @param negativeSlope the slope below 0 (Keras's {@code negative_slope}, 0.3 by default there)
         * @return this builder
         */
        public Builder leakyRelu(double negativeSlope) {
            Activation activation = Activation.leakyRelu(negativeSlope);
            return add((shape, random) -> ActivationLayer.of(Reshape.product(shape), activation, "LeakyReLU"));
        }

        /**
         * Adds Keras's {@code PReLU} layer, slopes learned from 0.
         *
         * @return this builder
         */
        public Builder prelu() {
            return add((shape, random) -> PReLU.of(flat(shape, "PReLU")));
        }

        /**
         * Adds Keras's {@code BatchNormalization} with its defaults (momentum 0.99, epsilon 1e-3).
         *
         * @return this builder
         */
        public Builder batchNormalization() {
            return add((shape, random) -> BatchNormalization.of(flat(shape, "BatchNormalization")));
        }

        /**
         * Adds Keras's {@code BatchNormalization} with the given options.
         *
         * @param momentum of the moving statistics, in [0, 1]
         * @param epsilon above 0
         * @return this builder
         */
        public Builder batchNormalization(double momentum, double epsilon) {
            Checks.inRange(momentum, 0, 1, "momentum");
            Checks.positive(epsilon, "epsilon");
            return add((shape, random) -> BatchNormalization.of(flat(shape, "BatchNormalization"), momentum, epsilon, true,
                    true));
        }

        /**
         * Adds Keras's {@code LayerNormalization} with its defaults (epsilon 1e-3).
         *
         * @return this builder
         */
        public Builder layerNormalization() {
            return add((shape, random) -> LayerNormalization.of(flat(shape, "LayerNormalization")));
        }

        /**
         * Adds Keras's {@code Normalization} adapted to {@code data} (its column means and variances), so the
         * network scales its own input.
         *
         * @param data sample rows of the input, as many columns as values per sample; not modified
         * @return this builder
         */
        public Builder normalization(Matrix data) {
            Normalization layer = Normalization.adapt(data);
            return add((shape, random) -> layer);
        }

        /**
         * Adds Keras's {@code Dropout(rate)}: active only in training.
         *
         * @param rate the fraction dropped, in [0, 1)
         * @return this builder
         */
        public Builder dropout(double rate) {
            Dropout.of(1, rate); // checks the rate now
            return add((shape, random) -> Dropout.of(Reshape.product(shape), rate));
        }

        /**
         * Adds Keras's {@code GaussianNoise(stddev)}: active only in training.
         *
         * @param stddev at least 0
         * @return this builder
         */
        public Builder gaussianNoise(double stddev) {
            NoiseLayer.gaussianNoise(1, stddev);
            return add((shape, random) -> NoiseLayer.gaussianNoise(Reshape.product(shape), stddev));
        }

        /**
         * Adds Keras's {@code GaussianDropout(rate)}: multiplicative noise, active only in training.
         *
         * @param rate in [0, 1)
         * @return this builder
         */
        public Builder gaussianDropout(double rate) {
            NoiseLayer.gaussianDropout(1, rate);
            return add((shape, random) -> NoiseLayer.gaussianDropout(Reshape.product(shape), rate));
        }

        /**
         * Adds Keras's {@code AlphaDropout(rate)}, the dropout that keeps a SELU network's mean and variance: active
         * only in training.
         *
         * @param rate in [0, 1)
         * @return this builder
         */
        public Builder alphaDropout(double rate) {
            NoiseLayer.alphaDropout(1, rate);
            return add((shape, random) -> NoiseLayer.alphaDropout(Reshape.product(shape), rate));
        }

        /**
         * Adds Keras's {@code Reshape(target_shape)}; one dimension may be -1.
         *
         * @param targetShape the shape of one sample coming out
         * @return this builder
         */
        public Builder reshape(int... targetShape) {
            int[] target = Checks.notNull(targetShape, "targetShape").clone();
            return add((shape, random) -> Reshape.of(shape, target));
        }

        /**
         * Adds Keras's {@code Rescaling(scale, offset)}.
         *
         * @param scale finite
         * @param offset finite
         * @return this builder
         */
        public Builder rescaling(double scale, double offset) {
            Rescaling.of(1, scale, offset);
            return add((shape, random) -> Rescaling.of(Reshape.product(shape), scale, offset));
        }

        /**
         * Adds Keras's {@code Flatten}: samples of several axes become one flat vector.
         *
         * @return this builder
         */
        public Builder flatten() {
            return add((shape, random) -> Reshape.flatten(shape));
        }

        /**
         * Adds a layer built elsewhere, e.g. {@code NoiseLayer.alphaDropout(64, 0.1)} or a trained
         * {@code Normalization}; its inputs must match the layer before.
         *
         * @param layer the layer
         * @return this builder
         */
        public Builder add(Layer layer) {
            Checks.notNull(layer, "layer");
            return add((shape, random) -> layer);
        }

        private Builder add(Node.Spec spec) {
            specs.add(spec);
            return this;
        }

        /** The layers to make, for {@link Node#then}. */
        List<Node.Spec> specs() {
            return List.copyOf(specs);
        }

        private static int flat(int[] shape, String layer) {
            if (shape.length != 1) {
                throw new IllegalArgumentException(layer + " takes one flat vector per sample, got shape "
                        + Layer.shapeText(shape) + "; add flatten() before it");
            }
            return shape[0];
        }

        /**
         * Fixes the random seed of the initial weights.
         *
         * @param value the seed
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * @return a new network with freshly initialised weights
         * @throws IllegalStateException if no layer was added
         * @throws IllegalArgumentException if two layers share a name, or a layer does not fit the shape before it
         */
        public Network build() {
            if (specs.isEmpty()) {
                throw new IllegalStateException("add at least one layer with dense(units, activation) before build()");
            }
            RandomGenerator random = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
            List<Layer> layers = new ArrayList<>(specs.size());
            int[] shape = inputShape;
            for (int i = 0; i < specs.size(); i++) {
                Layer layer;
                try {
                    layer = specs.get(i).make(shape, random);
                    shape = layer.outputShape(shape);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("layer " + i + ": " + e.getMessage(), e);
                }
                layers.add(layer);
            }
            return Network.of(inputShape, layers);
        }

        private static float[][] glorotUniform(int fanIn, int fanOut, RandomGenerator random) {
            double limit = Math.sqrt(6.0 / (fanIn + fanOut));
            float[][] kernel = new float[fanIn][fanOut];
            for (float[] row : kernel) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) random.nextDouble(-limit, limit);
                }
            }
            return kernel;
        }
    }

    /**
     * This network's forward pass for one input, neuron by neuron, as the "no magic" video works it out by hand:
     * {@code network.explain(0, 1).toString()} gives lines like
     * {@code h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0}. See {@link dev.nncore.explain.Explanation}.
     *
     * <p>A graph is explained call by call, its merges as their arithmetic; give its inputs side by side here, or one
     * array per input to {@link dev.nncore.explain.Explanation#of(Network, List)}.
     *
     * @param input {@link #inputs()} values; not modified
     * @return the explanation; its output equals {@link #forward(float...)} (for a graph, {@link #forwardAll}) bit for
     *     bit
     * @throws IllegalArgumentException if {@code input} has the wrong length, e.g. {@code Network expected 2 inputs, got 3}
     */
    public dev.nncore.explain.Explanation explain(float... input) {
        return dev.nncore.explain.Explanation.of(this, input);
    }

    /**
     * This network as bytes, for a cache, a message queue or a broadcast to Spark or Flink workers; read them back
     * with {@link #fromBytes(byte[])}. They are the bytes of the Keras 3 {@code .keras} file
     * {@link dev.nncore.keras.Keras#save} writes: versioned by that format, the same for equal networks, and loaded by
     * {@code keras.saving.load_model} once written to a file. See {@link dev.nncore.keras.ModelBytes}.
     * <pre>{@code
     * Network network = Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).seed(1).build();
     * byte[] bytes = network.toBytes();                  // about 1.4 KB for this 2-2-1 network
     * Network copy = Network.fromBytes(bytes);           // equal weights, names and layers
     * float[] y = copy.forward(1, 0);                    // bit for bit network.forward(1, 0)
     * }</pre>
     *
     * @return new bytes
     * @throws IllegalArgumentException if Keras 3 cannot express an activation of the network (Keras 2's hard_sigmoid,
     *     approximate gelu)
     */
    public byte[] toBytes() {
        return dev.nncore.keras.ModelBytes.write(this);
    }

    /**
     * The network {@link #toBytes()} gave (or the bytes of any {@code .keras} or legacy {@code .h5} model file),
     * checked as the file readers check a file: truncated, corrupted or hostile bytes (a zip bomb, huge declared
     * sizes) end in a {@link dev.nncore.keras.ModelFormatException}, never an {@link OutOfMemoryError}.
     * <pre>{@code
     * Network copy = Network.fromBytes(Network.builder(4).dense(3, Activation.SOFTMAX).seed(2).build().toBytes());
     * }</pre>
     *
     * @param bytes the bytes; not modified
     * @return the network
     * @throws dev.nncore.keras.UnsupportedModelException if the model uses a layer or activation nn-core lacks
     * @throws dev.nncore.keras.ModelFormatException if the bytes are not a model, or are truncated, corrupted or over
     *     the size limits
     */
    public static Network fromBytes(byte[] bytes) throws dev.nncore.keras.ModelFormatException {
        return dev.nncore.keras.ModelBytes.read(bytes);
    }
}
