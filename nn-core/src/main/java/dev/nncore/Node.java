package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * A value flowing through a graph network, Keras's Functional API: an {@code Input}, or a layer called on one or more
 * nodes. Build a graph from nodes, then a {@link Network} of its inputs and outputs:
 *
 * <pre>{@code
 * Node wide = Node.input("wide", 5);
 * Node deep = Node.input("deep", 6);
 * Node hidden = deep.then(b -> b.dense(30, Activation.RELU).dense(30, Activation.RELU));
 * Node merged = Node.concatenate(wide, hidden);                  // 35 values
 * Node main = merged.dense(1, Activation.LINEAR, "main_output");
 * Node aux = hidden.dense(1, Activation.LINEAR, "aux_output");
 * Network model = Network.functional(List.of(wide, deep), List.of(main, aux), 42);
 * List<String> outputs = model.outputNames();                    // [main_output, aux_output]
 * }</pre>
 *
 * <p>A residual block adds a layer's input to its output ({@code Node.add(x, x.dense(16, Activation.RELU))}); a
 * layer applied twice with {@link #apply(Layer)} is shared, one set of weights as in Keras. Layers made by
 * {@link #dense} or {@link #then} are initialised as {@link Network.Builder} initialises them, and drawn again from
 * the seed given to {@link Network#functional(List, List, long)}.
 *
 * <p>Nodes are immutable; each is numbered as it is made, and a network lists its layers in that order (which is
 * Keras's order for a model built the same way).
 *
 * @since 0.2.0
 */
public final class Node {

    /** Makes a node's layer again from the input shape and a seeded generator. */
    @FunctionalInterface
    interface Spec {
        Layer make(int[] shape, RandomGenerator random);
    }

    private static final AtomicLong NEXT_ID = new AtomicLong();

    private final long id;
    private final String inputName;
    private final int[] shape;
    private final Layer layer;
    private final Spec spec;
    private final List<Node> inputs;

    private Node(String inputName, int[] shape, Layer layer, Spec spec, List<Node> inputs) {
        this.id = NEXT_ID.getAndIncrement();
        this.inputName = inputName;
        this.shape = shape;
        this.layer = layer;
        this.spec = spec;
        this.inputs = inputs;
    }

    /**
     * An input of the graph, Keras's {@code Input(shape, name=...)}.
     *
     * @param name the input's name, unique among the network's layers and inputs
     * @param shape one sample's shape, e.g. {@code 5} or {@code 28, 28}
     * @return the node
     * @throws IllegalArgumentException if the name is blank or a dimension below 1
     */
    public static Node input(String name, int... shape) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an input's name must not be blank, got '" + name + "'");
        }
        return new Node(name, checkedShape(shape), null, null, List.of());
    }

    /**
     * An unnamed input: the network names it as Keras does, {@code input_layer}, {@code input_layer_1}, ...
     *
     * @param shape one sample's shape
     * @return the node
     */
    public static Node input(int... shape) {
        return new Node(null, checkedShape(shape), null, null, List.of());
    }

    private static int[] checkedShape(int[] shape) {
        Checks.notNull(shape, "shape");
        if (shape.length == 0) {
            throw new IllegalArgumentException("an input's shape needs at least one dimension");
        }
        for (int dimension : shape) {
            Checks.positive(dimension, "input dimension");
        }
        Reshape.flatten(shape);
        return shape.clone();
    }

    /** A layer node; package-private so that {@link Network} can rebuild graphs it reads or reseeds. */
    static Node of(Layer layer, Spec spec, List<Node> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(layer.describe() + " is called on no input");
        }
        if (inputs.size() > 1 && !(layer instanceof Merge)) {
            throw new IllegalArgumentException(layer.describe() + " takes one input, got " + inputs.size());
        }
        long width = 0;
        for (Node input : inputs) {
            width += input.width();
        }
        if (layer instanceof Merge merge && merge.partCount() != inputs.size()) {
            throw new IllegalArgumentException(layer.describe() + " merges " + merge.partCount() + " inputs, got "
                    + inputs.size());
        }
        if (layer instanceof Merge merge) {
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i).width() != merge.part(i)) {
                    throw new IllegalArgumentException(layer.describe() + " expects input " + i + " of "
                            + merge.part(i) + " values, got " + inputs.get(i));
                }
            }
        }
        if (width != layer.inputs()) {
            throw new IllegalArgumentException(layer.describe() + " expects " + layer.inputs() + " inputs, got " + width
                    + " from " + inputs);
        }
        int[] in = inputs.size() == 1 ? inputs.get(0).shape : new int[] {layer.inputs()};
        return new Node(null, layer.outputShape(in), layer, spec, List.copyOf(inputs));
    }

    /** An input node with a fixed name, for {@link Network}. */
    static Node namedInput(String name, int[] shape) {
        return new Node(name, shape, null, null, List.of());
    }

    /**
     * This node through a Dense layer, Keras's {@code Dense(units, activation)(node)}.
     *
     * @param units outputs, at least 1
     * @param activation its activation
     * @return the new node
     */
    public Node dense(int units, Activation activation) {
        return then(b -> b.dense(units, activation));
    }

    /**
     * This node through a named Dense layer.
     *
     * @param units outputs, at least 1
     * @param activation its activation
     * @param name the layer's name, unique in the network (output nodes are known by it)
     * @return the new node
     */
    public Node dense(int units, Activation activation, String name) {
        return then(b -> b.dense(units, activation, name));
    }

    /**
     * This node through the layers a {@link Network.Builder} adds, one node per layer: any chain the sequential
     * builder can make.
     *
     * <pre>{@code
     * Node x = Node.input("x", 8);
     * Node y = x.then(b -> b.dense(16, Activation.RELU).batchNormalization().dropout(0.1));
     * }</pre>
     *
     * @param layers adds at least one layer to the builder it is given; returns it
     * @return the node of the last layer added
     * @throws IllegalArgumentException if no layer was added or one does not fit the shape before it
     */
    public Node then(UnaryOperator<Network.Builder> layers) {
        Checks.notNull(layers, "layers");
        Network.Builder builder = Network.builder(shape);
        layers.apply(builder);
        List<Spec> specs = builder.specs();
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("then(...) added no layer; call e.g. b.dense(8, Activation.RELU) on the builder");
        }
        RandomGenerator random = new SplittableRandom();
        Node node = this;
        for (int i = 0; i < specs.size(); i++) {
            Spec spec = specs.get(i);
            Layer made;
            try {
                made = spec.make(node.shape, random);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + " of then(...): " + e.getMessage(), e);
            }
            node = of(made, spec, List.of(node));
        }
        return node;
    }

    /**
     * This node through a given layer, Keras's {@code layer(node)}. Applying the same layer object to several nodes
     * shares it: one set of weights, trained by the gradients of every use.
     *
     * @param layer a layer whose {@link Layer#inputs()} equal this node's width
     * @return the new node
     * @throws IllegalArgumentException if the widths differ, naming the layer
     */
    public Node apply(Layer layer) {
        Checks.notNull(layer, "layer");
        if (layer instanceof Merge) {
            throw new IllegalArgumentException(layer.describe() + " takes several inputs; use Node.merge(...)");
        }
        if (layer.inputs() != width()) {
            throw new IllegalArgumentException(layer.describe() + " expects " + layer.inputs() + " inputs, but "
                    + this + " has " + width());
        }
        return of(layer, null, List.of(this));
    }

    /**
     * This node through a whole network of one input and one output, Keras's {@code model(node)} for a model used as
     * a layer: its layers join this graph (the network's own input is replaced by this node), sharing their weights
     * with the network and with every other call of it.
     *
     * <pre>{@code
     * Network encoder = Network.builder(8).dense(4, Activation.RELU).seed(1).build();
     * Node left = Node.input("left", 8);
     * Node right = Node.input("right", 8);
     * Node similarity = Node.dot(left.apply(encoder), right.apply(encoder), true);   // a siamese pair, one encoder
     * }</pre>
     *
     * @param network a network of one input, as wide as this node, and one output
     * @return the node of the network's output
     * @throws IllegalArgumentException if the network takes several inputs or gives several outputs, or the widths
     *     differ
     */
    public Node apply(Network network) {
        Checks.notNull(network, "network");
        if (network.outputNames().size() != 1) {
            throw new IllegalArgumentException("the network gives " + network.outputNames().size() + " outputs "
                    + network.outputNames() + "; use Node.apply(network, inputs) for its list of outputs");
        }
        return apply(network, List.of(this)).get(0);
    }

    /**
     * The given nodes through a whole network, Keras's {@code model([a, b])}: its layers join this graph, sharing
     * their weights with the network.
     *
     * @param network the network
     * @param inputs one node per network input, in {@link Network#inputNames()} order, of the same widths
     * @return one node per network output, in {@link Network#outputNames()} order
     * @throws IllegalArgumentException if the count or a width differs
     */
    public static List<Node> apply(Network network, List<Node> inputs) {
        Checks.notNull(network, "network");
        Checks.notNull(inputs, "inputs");
        List<String> inputNames = network.inputNames();
        if (inputs.size() != inputNames.size()) {
            throw new IllegalArgumentException("the network takes " + inputNames.size() + " inputs " + inputNames + ", got "
                    + inputs.size() + " nodes");
        }
        List<Node> nodes = network.nodes();
        java.util.Map<Node, Node> mapped = new java.util.IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Node input = Checks.notNull(inputs.get(i), "input " + i);
            Node own = nodes.get(i);
            if (input.width() != own.width()) {
                throw new IllegalArgumentException("input " + i + " (" + own.name() + ") of the network takes " + own.width()
                        + " values, but " + input + " has " + input.width());
            }
            mapped.put(own, input);
        }
        for (int n = inputs.size(); n < nodes.size(); n++) {
            Node own = nodes.get(n);
            List<Node> from = own.inputs().stream().map(mapped::get).toList();
            mapped.put(own, of(own.layer(), null, from));
        }
        List<Node> outputs = new java.util.ArrayList<>();
        for (int k = 0; k < network.outputNames().size(); k++) {
            outputs.add(mapped.get(nodes.get(network.outputNodeIndex(k))));
        }
        return List.copyOf(outputs);
    }

    /**
     * A merge layer over the given nodes, in order.
     *
     * @param kind the operation
     * @param name the layer's name, or null for Keras's default ({@code concatenate}, {@code add}, ...)
     * @param nodes at least 2 nodes (exactly 2 for subtract and dot)
     * @return the merged node
     * @throws IllegalArgumentException if the widths do not suit the operation, e.g.
     *     {@code Add needs inputs of one width, got [3, 4]}
     */
    public static Node merge(Merge.Kind kind, String name, Node... nodes) {
        return merge(kind, false, name, nodes);
    }

    private static Node merge(Merge.Kind kind, boolean normalize, String name, Node... nodes) {
        Checks.notNull(nodes, "nodes");
        int[] widths = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            Node node = Checks.notNull(nodes[i], "node " + i);
            if (node.shape.length != 1) {
                throw new IllegalArgumentException(kind.kerasClass() + " merges flat vectors, but node " + i + " (" + node
                        + ") has shape " + Layer.shapeText(node.shape) + "; flatten it first");
            }
            widths[i] = node.width();
        }
        Merge layer = kind == Merge.Kind.DOT ? Merge.dot(checkedDotWidth(widths), normalize) : Merge.of(kind, widths);
        return of(name == null ? layer : layer.named(name), null, List.of(nodes));
    }

    /**
     * A given merge layer over the given nodes, e.g. one read from a file with its name and options.
     *
     * @param layer the merge, whose {@link Merge#parts()} are the nodes' widths
     * @param nodes as many nodes as the merge has parts
     * @return the merged node
     * @throws IllegalArgumentException if the count or a width differs, naming the layer
     */
    public static Node merge(Merge layer, Node... nodes) {
        Checks.notNull(layer, "layer");
        Checks.notNull(nodes, "nodes");
        for (int i = 0; i < nodes.length; i++) {
            Checks.notNull(nodes[i], "node " + i);
        }
        return of(layer, null, List.of(nodes));
    }

    private static int checkedDotWidth(int[] widths) {
        if (widths.length != 2 || widths[0] != widths[1]) {
            throw new IllegalArgumentException("Dot needs 2 inputs of one width, got " + Arrays.toString(widths));
        }
        return widths[0];
    }

    /**
     * @param nodes at least 2 flat nodes
     * @return Keras's {@code Concatenate()(nodes)}: the values side by side
     */
    public static Node concatenate(Node... nodes) {
        return merge(Merge.Kind.CONCATENATE, null, nodes);
    }

    /**
     * @param nodes at least 2 nodes of one width
     * @return Keras's {@code Add()(nodes)}
     */
    public static Node add(Node... nodes) {
        return merge(Merge.Kind.ADD, null, nodes);
    }

    /**
     * @param first the minuend
     * @param second the subtrahend, of the same width
     * @return Keras's {@code Subtract()([first, second])}
     */
    public static Node subtract(Node first, Node second) {
        return merge(Merge.Kind.SUBTRACT, null, first, second);
    }

    /**
     * @param nodes at least 2 nodes of one width
     * @return Keras's {@code Multiply()(nodes)}
     */
    public static Node multiply(Node... nodes) {
        return merge(Merge.Kind.MULTIPLY, null, nodes);
    }

    /**
     * @param nodes at least 2 nodes of one width
     * @return Keras's {@code Average()(nodes)}
     */
    public static Node average(Node... nodes) {
        return merge(Merge.Kind.AVERAGE, null, nodes);
    }

    /**
     * @param nodes at least 2 nodes of one width
     * @return Keras's {@code Maximum()(nodes)}
     */
    public static Node maximum(Node... nodes) {
        return merge(Merge.Kind.MAXIMUM, null, nodes);
    }

    /**
     * @param nodes at least 2 nodes of one width
     * @return Keras's {@code Minimum()(nodes)}
     */
    public static Node minimum(Node... nodes) {
        return merge(Merge.Kind.MINIMUM, null, nodes);
    }

    /**
     * @param first a flat node
     * @param second a flat node of the same width
     * @param normalize whether both are L2-normalised first (the cosine similarity)
     * @return Keras's {@code Dot(axes=-1, normalize=...)([first, second])}: one value
     */
    public static Node dot(Node first, Node second, boolean normalize) {
        return merge(Merge.Kind.DOT, normalize, null, first, second);
    }

    /** @return true for an {@link #input} */
    public boolean isInput() {
        return layer == null;
    }

    /** @return the layer this node applies; null for an input */
    public Layer layer() {
        return layer;
    }

    Spec spec() {
        return spec;
    }

    long id() {
        return id;
    }

    /** @return the nodes this one takes, in order; empty for an input */
    public List<Node> inputs() {
        return inputs;
    }

    /** @return one sample's shape coming out of this node */
    public int[] shape() {
        return shape.clone();
    }

    int[] shapeView() {
        return shape;
    }

    /** @return values per sample coming out of this node */
    public int width() {
        return Reshape.product(shape);
    }

    /**
     * @return the input's name, or the layer's; an unnamed input or layer has its default name only once it is part of
     *     a {@link Network}
     */
    public String name() {
        return layer == null ? (inputName == null ? "input_layer" : inputName) : layer.name();
    }

    boolean hasName() {
        return layer == null ? inputName != null : layer.hasName();
    }

    /** @return e.g. {@code Input "wide" [5]} or {@code Dense "dense_1" [30]} */
    @Override
    public String toString() {
        return (layer == null ? "Input \"" + name() + "\"" : layer.describe()) + " " + Layer.shapeText(shape);
    }
}
