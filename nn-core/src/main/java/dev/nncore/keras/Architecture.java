package dev.nncore.keras;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chain of Dense layers a Keras model configuration describes (Sequential or Functional, Keras 2.2 to 3.x,
 * tf.keras, TensorFlow.js), with {@code Activation}, {@code ReLU} and {@code Softmax} layers folded into the Dense
 * layer before them and {@code Dropout}, {@code Flatten} of flat input and {@code InputLayer} dropped.
 */
final class Architecture {

    /** One Dense layer to build: the layer's Keras name, size, activation, and the input width the config declares. */
    record DenseLayer(String name, int units, Activation activation, boolean useBias, Integer declaredInputs) {
    }

    private final List<DenseLayer> layers;
    private final String source;

    private Architecture(List<DenseLayer> layers, String source) {
        this.layers = List.copyOf(layers);
        this.source = source;
    }

    /** The architecture of an existing network, to read weights onto it. */
    static Architecture of(Network network) {
        List<DenseLayer> layers = new ArrayList<>();
        for (Dense layer : network.layers().stream().map(layer -> (Dense) layer).toList()) { // TODO layers
            layers.add(new DenseLayer(layer.name(), layer.units(), layer.activation(), true,
                    layers.isEmpty() ? layer.inputs() : null));
        }
        return new Architecture(layers, "network " + network);
    }

    List<DenseLayer> layers() {
        return layers;
    }

    /**
     * Parses a model configuration: the object with {@code class_name} and {@code config} that {@code model.to_json()},
     * a {@code .keras} file's {@code config.json}, an {@code .h5}'s {@code model_config} attribute and a TF.js
     * {@code modelTopology} hold.
     *
     * @param model the parsed JSON
     * @param source the file, for messages
     */
    static Architecture parse(Object model, String source) throws ModelFormatException {
        JsonView root = new JsonView(model, "", source);
        if (root.isObject() && root.has("model_config")) { // TF.js topology converted from Keras, and Keras 2 h5
            root = root.get("model_config");
        }
        String className = root.get("class_name").asString();
        JsonView config = root.get("config");
        List<JsonView> layerList;
        switch (className) {
            case "Sequential" -> layerList = config.isArray() ? config.elements() : config.get("layers").elements();
            case "Model", "Functional" -> layerList = functionalChain(config, source);
            default -> throw new UnsupportedModelException(source + ": the model is of class \"" + className + "\""
                    + registeredName(root) + ", a subclassed model: its config has no list of layers, so its architecture"
                    + " exists only in its Python code. nn-core reads Sequential and Functional models of Dense layers;"
                    + " rebuild the model as one of those in Keras and save it again.");
        }
        return new Architecture(denseLayers(layerList, source), source);
    }

    private static String registeredName(JsonView root) throws ModelFormatException {
        if (root.has("registered_name") && root.get("registered_name").isString()) {
            return " (registered as \"" + root.get("registered_name").asString() + "\")";
        }
        return "";
    }

    private static List<DenseLayer> denseLayers(List<JsonView> layerList, String source) throws ModelFormatException {
        List<DenseLayer> dense = new ArrayList<>();
        Integer pendingInputs = null; // an InputLayer's width, or a Sequential first layer's batch_input_shape
        boolean flat = true;          // Flatten is only the identity while the data is one vector per sample
        for (JsonView layer : layerList) {
            String className = layer.get("class_name").asString();
            JsonView config = layer.get("config");
            String name = config.has("name") ? config.get("name").asString() : className.toLowerCase(java.util.Locale.ROOT);
            if (name.isBlank()) {
                throw new ModelFormatException(config.source() + ": a layer of class " + className + " with a blank name");
            }
            Integer declared = declaredInputWidth(config, className, name);
            if (declared != null && dense.isEmpty()) {
                pendingInputs = declared;
            }
            switch (className) {
                case "InputLayer" -> {
                    if (declared == null) {
                        flat = false;
                    }
                }
                case "Dense" -> {
                    int units = config.get("units").asPositiveInt();
                    Activation activation = activation(config.has("activation") ? config.get("activation") : null,
                            className, name);
                    boolean useBias = !config.has("use_bias") || config.get("use_bias").asBoolean();
                    if (!flat) {
                        throw new UnsupportedModelException(source + ": Dense layer \"" + name + "\" receives data with more than"
                                + " one axis per sample; nn-core's Dense layers take one flat vector per sample");
                    }
                    dense.add(new DenseLayer(name, units, activation, useBias, dense.isEmpty() ? pendingInputs : null));
                }
                case "Activation", "ReLU", "Softmax" -> {
                    Activation activation = "Activation".equals(className)
                            ? activation(config.get("activation"), className, name)
                            : activation(layer, className, name);
                    fold(dense, activation, className, name, source);
                }
                case "Dropout" -> {
                    // identity at inference
                }
                case "Flatten" -> {
                    if (!flat) {
                        throw new UnsupportedModelException(source + ": layer \"" + name + "\" (class Flatten) flattens"
                                + " multi-axis input; nn-core reads Flatten only over flat (one-axis) input, where it changes nothing");
                    }
                }
                default -> throw new UnsupportedModelException(source + ": layer \"" + name + "\" (class " + className
                        + ") is not supported; nn-core reads InputLayer, Dense, Activation, ReLU, Softmax, Dropout and"
                        + " Flatten of flat input");
            }
        }
        if (dense.isEmpty()) {
            throw new UnsupportedModelException(source + ": the model has no Dense layer, so there is nothing to compute");
        }
        return dense;
    }

    /** Folds an activation layer into the Dense layer before it, the only place nn-core can apply it. */
    private static void fold(List<DenseLayer> dense, Activation activation, String className, String name, String source)
            throws UnsupportedModelException {
        if (activation == Activation.LINEAR) {
            return;
        }
        if (dense.isEmpty()) {
            throw new UnsupportedModelException(source + ": layer \"" + name + "\" (class " + className
                    + ") comes before any Dense layer; nn-core applies activations only after a Dense layer");
        }
        DenseLayer previous = dense.get(dense.size() - 1);
        if (previous.activation() != Activation.LINEAR) {
            throw new UnsupportedModelException(source + ": layer \"" + name + "\" (class " + className + ", "
                    + activation.kerasName() + ") follows Dense layer \"" + previous.name() + "\", which already applies "
                    + previous.activation().kerasName() + "; nn-core's Dense layers apply one activation each");
        }
        dense.set(dense.size() - 1, new DenseLayer(previous.name(), previous.units(), activation, previous.useBias(),
                previous.declaredInputs()));
    }

    /**
     * The activation of a Dense or Activation layer: a name ({@code "relu"}), null (linear), Keras 3's serialised
     * function ({@code {"class_name": "function", "config": "relu"}}), or a layer object such as
     * {@code {"class_name": "ReLU", "config": {}}}.
     */
    private static Activation activation(JsonView value, String layerClass, String layerName) throws ModelFormatException {
        if (value == null || value.isNull()) {
            return Activation.LINEAR;
        }
        if (value.isString()) {
            return activationNamed(value.asString(), layerClass, layerName, value);
        }
        String className = value.get("class_name").asString();
        JsonView config = value.has("config") ? value.get("config") : null;
        switch (className) {
            case "function":
                return activationNamed(value.get("config").asString(), layerClass, layerName, value);
            case "ReLU":
                for (String option : new String[] {"max_value", "negative_slope", "threshold"}) {
                    if (config != null && config.has(option) && !config.get(option).isNull()
                            && !(config.get(option).isNumber() && config.get(option).asDouble() == 0.0)) {
                        throw new UnsupportedModelException(value.source() + ": layer \"" + layerName + "\" (class " + layerClass
                                + ") uses ReLU with " + option + " = " + config.get(option).raw()
                                + "; nn-core computes only the plain relu max(x, 0)");
                    }
                }
                return Activation.RELU;
            case "Softmax":
                if (config != null && config.has("axis")) {
                    JsonView axis = config.get("axis");
                    boolean last = axis.isNumber() ? axis.asDouble() == -1
                            : axis.isArray() && axis.elements().size() == 1 && axis.elements().get(0).asDouble() == -1;
                    if (!last) {
                        throw new UnsupportedModelException(value.source() + ": layer \"" + layerName + "\" uses Softmax over axis "
                                + axis.raw() + "; nn-core computes softmax over the last axis only");
                    }
                }
                return Activation.SOFTMAX;
            case "Activation":
                return activation(config == null ? null : config.get("activation"), layerClass, layerName);
            default:
                return activationNamed(className, layerClass, layerName, value);
        }
    }

    private static final Map<String, Activation> ACTIVATION_ALIASES = Map.of(
            "softmax_v2", Activation.SOFTMAX, "Sigmoid", Activation.SIGMOID, "Tanh", Activation.TANH,
            "Linear", Activation.LINEAR);

    private static Activation activationNamed(String name, String layerClass, String layerName, JsonView where)
            throws UnsupportedModelException {
        if (ACTIVATION_ALIASES.containsKey(name)) {
            return ACTIVATION_ALIASES.get(name);
        }
        try {
            return Activation.fromKerasName(name);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException(where.source() + ": layer \"" + layerName + "\" (class " + layerClass
                    + ") uses activation \"" + name + "\"; nn-core computes linear, relu, sigmoid, tanh and softmax");
        }
    }

    /** The input width a layer's config declares, if it declares one of a flat shape; null otherwise. */
    private static Integer declaredInputWidth(JsonView config, String className, String name) throws ModelFormatException {
        for (String key : new String[] {"batch_input_shape", "batch_shape"}) {
            if (config.has(key) && !config.get(key).isNull()) {
                List<JsonView> shape = config.get(key).elements();
                if (shape.size() != 2) {
                    if ("InputLayer".equals(className)) {
                        return null; // multi-axis input; Dense or Flatten after it reports the problem
                    }
                    throw new UnsupportedModelException(config.source() + ": layer \"" + name + "\" (class " + className
                            + ") takes input of shape " + config.get(key).raw() + "; nn-core takes one flat vector per sample");
                }
                return shape.get(1).asPositiveInt();
            }
        }
        if (config.has("input_dim") && !config.get("input_dim").isNull()) {
            return config.get("input_dim").asPositiveInt();
        }
        return null;
    }

    /**
     * Orders a Functional model's layers from input to output, checking that the graph is a chain: one input, one
     * output, every layer called once on the output of the one before.
     */
    private static List<JsonView> functionalChain(JsonView config, String source) throws ModelFormatException {
        Map<String, JsonView> byName = new LinkedHashMap<>();
        Map<String, String> inboundOf = new HashMap<>();
        for (JsonView layer : config.get("layers").elements()) {
            String name = layer.has("name") ? layer.get("name").asString() : layer.get("config").get("name").asString();
            byName.put(name, layer);
            List<String> inbound = new ArrayList<>();
            List<JsonView> nodes = layer.has("inbound_nodes") ? layer.get("inbound_nodes").elements() : List.of();
            if (nodes.size() > 1) {
                throw new UnsupportedModelException(source + ": layer \"" + name + "\" is called " + nodes.size()
                        + " times (a shared layer); nn-core reads models whose layers form a single chain");
            }
            for (JsonView node : nodes) {
                collectInboundLayers(node.raw(), inbound, 0, node.source());
            }
            if (inbound.size() > 1) {
                throw new UnsupportedModelException(source + ": layer \"" + name + "\" (class "
                        + layer.get("class_name").asString() + ") takes " + inbound.size() + " inputs " + inbound
                        + "; nn-core reads models whose layers form a single chain");
            }
            if (!inbound.isEmpty()) {
                inboundOf.put(name, inbound.get(0));
            }
        }
        List<String> outputs = tensorNames(config.get("output_layers"));
        List<String> inputs = tensorNames(config.get("input_layers"));
        if (outputs.size() != 1 || inputs.size() != 1) {
            throw new UnsupportedModelException(source + ": the model has " + inputs.size() + " inputs " + inputs + " and "
                    + outputs.size() + " outputs " + outputs + "; nn-core reads single-input, single-output chains");
        }
        List<JsonView> chain = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        String current = outputs.get(0);
        while (current != null) {
            if (!seen.add(current)) {
                throw new ModelFormatException(source + ": the layer graph has a cycle through \"" + current + "\"");
            }
            JsonView layer = byName.get(current);
            if (layer == null) {
                throw new ModelFormatException(source + ": the graph refers to layer \"" + current + "\", which config.layers lacks");
            }
            chain.add(layer);
            current = inboundOf.get(current);
        }
        if (!seen.contains(inputs.get(0))) {
            throw new ModelFormatException(source + ": the output does not depend on the input layer \"" + inputs.get(0) + "\"");
        }
        if (chain.size() != byName.size()) {
            List<String> unused = new ArrayList<>(byName.keySet());
            unused.removeAll(seen);
            throw new UnsupportedModelException(source + ": layers " + unused + " are not on the path from input to output;"
                    + " nn-core reads models whose layers form a single chain");
        }
        Collections.reverse(chain);
        return chain;
    }

    /** Finds the layers a node reads: Keras 2's {@code [[name, node, tensor, {}]]} and Keras 3's {@code keras_history}. */
    private static void collectInboundLayers(Object node, List<String> names, int depth, String source)
            throws ModelFormatException {
        if (depth > 64) {
            throw new ModelFormatException(source + ": inbound_nodes nest deeper than 64 levels");
        }
        if (node instanceof Map<?, ?> map) {
            Object history = map.get("keras_history");
            if (history instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof String name) {
                names.add(name);
                return;
            }
            for (Object value : map.values()) {
                collectInboundLayers(value, names, depth + 1, source);
            }
        } else if (node instanceof List<?> list) {
            if (list.size() >= 3 && list.get(0) instanceof String name && list.get(1) instanceof Number) {
                names.add(name);
                return;
            }
            for (Object value : list) {
                collectInboundLayers(value, names, depth + 1, source);
            }
        }
    }

    /** Layer names from {@code input_layers}/{@code output_layers}: {@code [[name, 0, 0], ...]} or {@code [name, 0, 0]}. */
    private static List<String> tensorNames(JsonView tensors) throws ModelFormatException {
        List<String> names = new ArrayList<>();
        List<JsonView> elements = tensors.elements();
        if (!elements.isEmpty() && elements.get(0).isString()) {
            names.add(elements.get(0).asString());
            return names;
        }
        for (JsonView tensor : elements) {
            List<JsonView> parts = tensor.elements();
            if (parts.isEmpty()) {
                throw tensor.error("expected [layer name, node index, tensor index], got []");
            }
            names.add(parts.get(0).asString());
        }
        return names;
    }

    /**
     * Builds the network from one kernel and one bias per Dense layer (bias null for {@code use_bias=False}),
     * checking each shape against the configuration.
     *
     * @param weights kernel and bias per layer, in layer order
     */
    Network build(List<float[][]> kernels, List<float[]> biases) throws ModelFormatException {
        List<Dense> built = new ArrayList<>();
        int previousUnits = -1;
        for (int i = 0; i < layers.size(); i++) {
            DenseLayer layer = layers.get(i);
            float[][] kernel = kernels.get(i);
            int kernelCols = kernel.length == 0 ? 0 : kernel[0].length;
            if (kernelCols != layer.units() || kernel.length == 0) {
                throw new ModelFormatException(source + ": kernel for \"" + layer.name() + "\" has shape [" + kernel.length
                        + "][" + kernelCols + "], but the layer has " + layer.units() + " units; Keras stores kernels as [in][out]");
            }
            Integer expectedInputs = i == 0 ? layer.declaredInputs() : Integer.valueOf(previousUnits);
            if (expectedInputs != null && kernel.length != expectedInputs) {
                throw new ModelFormatException(source + ": kernel for \"" + layer.name() + "\" has shape [" + kernel.length
                        + "][" + kernelCols + "], expected [" + expectedInputs + "][" + layer.units() + "]"
                        + (i == 0 ? " (the model's declared input width)" : " (the previous layer's units)"));
            }
            // Only now that a kernel of `units` columns was really read: a config may claim 2^31 - 1 units.
            float[] bias = biases.get(i) == null ? new float[layer.units()] : biases.get(i);
            if (bias.length != layer.units()) {
                throw new ModelFormatException(source + ": bias for \"" + layer.name() + "\" has " + bias.length
                        + " values, expected " + layer.units() + " (one per unit)");
            }
            built.add(Dense.of(Matrix.of(kernel), Matrix.row(bias), layer.activation()).named(layer.name()));
            previousUnits = layer.units();
        }
        try {
            return Network.of(built);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }
}
