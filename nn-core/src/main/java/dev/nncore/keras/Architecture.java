package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The layers a Keras model configuration describes (Keras 1 to 3.x, tf.keras, TensorFlow.js), each read by its
 * class's {@link LayerFormat} from {@link LayerFormats}: a Sequential chain and the sample shape it declares, or the
 * graph of a Functional model (or of a model holding a nested one) as a {@link GraphModel}; or the layers of an
 * existing network, to read weights onto. {@link #build} checks every weight read
 * against what its layer expects and makes the {@link Network}.
 */
final class Architecture {

    private final List<LayerSpec> layers;
    private final int[] declaredShape;
    private final String source;
    /** The graph, for a Functional model or a model holding a nested one; null for a chain. */
    private final GraphModel graph;
    /** For {@link #of(Network, String)}: the network whose graph the weights go onto. */
    private final Network network;

    private Architecture(List<LayerSpec> layers, int[] declaredShape, String source, Network network) {
        this.layers = List.copyOf(layers);
        this.declaredShape = declaredShape;
        this.source = source;
        this.graph = null;
        this.network = network;
    }

    private Architecture(List<LayerSpec> layers, int[] declaredShape, String source) {
        this(layers, declaredShape, source, null);
    }

    private Architecture(GraphModel graph, String source) {
        this.layers = graph.specs();
        this.declaredShape = null;
        this.source = source;
        this.graph = graph;
        this.network = null;
    }

    /**
     * The layers of an existing network, to read weights onto it.
     *
     * @param source the weights file, for messages
     */
    static Architecture of(Network network, String source) {
        List<LayerSpec> layers = new ArrayList<>();
        for (Layer layer : network.layers()) {
            layers.add(new NetworkLayer(layer, source));
        }
        return new Architecture(layers, network.inputShape(), source, network);
    }

    /**
     * Every layer of the chain, InputLayer included, in order; for a graph, the model's own layers in its config's
     * order, a nested model as one {@link GraphModel.NestedSpec}.
     */
    List<LayerSpec> layers() {
        return layers;
    }

    /** Per leaf of {@link #leaves()}: the names of the nested models around it, {@code "block/"}, or empty. */
    List<String> scopes() {
        return graph == null ? java.util.Collections.nCopies(layers.size(), "") : graph.scopes();
    }

    /** Every leaf layer, nested models' in their place: {@link #layers()} for a chain. */
    List<LayerSpec> leaves() {
        return graph == null ? layers : graph.leaves();
    }

    /**
     * Parses a model configuration: the object with {@code class_name} and {@code config} that {@code model.to_json()},
     * a {@code .keras} file's {@code config.json}, an {@code .h5}'s {@code model_config} attribute and a TF.js
     * {@code modelTopology} hold. Every layer's class is looked up before anything else is checked, so a model with
     * an LSTM is refused for the LSTM, whatever its input shape.
     *
     * @param model the parsed JSON
     * @param source the file, for messages
     * @param dialect the Keras that wrote it, for names that changed meaning
     */
    static Architecture parse(Object model, String source, Dialect dialect) throws ModelFormatException {
        JsonView root = new JsonView(model, "", source);
        if (root.isObject() && root.has("model_config")) { // TF.js topology converted from Keras, and Keras 2 h5
            root = root.get("model_config");
        }
        String className = root.get("class_name").asString();
        JsonView config = root.get("config");
        List<JsonView> layerList;
        switch (className) {
            case "Sequential" -> layerList = config.isArray() ? config.elements() : config.get("layers").elements();
            case "Model", "Functional" -> layerList = null;
            default -> throw new UnsupportedModelException(source + ": the model is of class \"" + className + "\""
                    + registeredName(root) + ", a subclassed model: its config has no list of layers, so its architecture"
                    + " exists only in its Python code. nn-core reads Sequential and Functional models; rebuild the"
                    + " model as one of those in Keras and save it again.");
        }
        if (layerList == null || layerList.stream().anyMatch(Architecture::isModel)) {
            return new Architecture(GraphModel.parse(root, dialect, 0), source);
        }
        List<LayerConfig> configs = new ArrayList<>();
        for (JsonView layer : layerList) {
            LayerConfig layerConfig = LayerConfig.of(layer, dialect);
            if (LayerFormats.forClass(layerConfig.className()) == null) {
                throw LayerFormats.refusal(layerConfig);
            }
            configs.add(layerConfig);
        }
        List<LayerSpec> specs = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            LayerConfig layerConfig = configs.get(i);
            if ("InputLayer".equals(layerConfig.className()) && i > 0) {
                throw new ModelFormatException(layerConfig.json().source() + ": " + layerConfig.describe()
                        + " comes after other layers; an InputLayer starts the chain");
            }
            specs.add(LayerFormats.forClass(layerConfig.className()).read(layerConfig));
        }
        if (specs.isEmpty()) {
            throw new UnsupportedModelException(source + ": the model has no layers, so there is nothing to compute");
        }
        int[] declared = declaredShape(layerList.get(0), configs.get(0), root);
        Architecture architecture = new Architecture(specs, declared, source);
        if (declared != null) {
            architecture.shapes(declared); // refuse what nn-core cannot compute before reading any weights
        }
        return architecture;
    }

    private static boolean isModel(JsonView layer) {
        return layer.raw() instanceof Map<?, ?> map && map.get("class_name") instanceof String className
                && GraphModel.isModelClass(className);
    }

    private static String registeredName(JsonView root) throws ModelFormatException {
        if (root.has("registered_name") && root.get("registered_name").isString()) {
            return " (registered as \"" + root.get("registered_name").asString() + "\")";
        }
        return "";
    }

    /**
     * The sample shape the model declares: the InputLayer's {@code batch_shape}/{@code batch_input_shape}, the
     * first layer's ({@code batch_input_shape}, {@code input_dim}), or a {@code build_config}'s {@code input_shape};
     * null if it declares none.
     */
    static int[] declaredShape(JsonView firstEntry, LayerConfig first, JsonView model) throws ModelFormatException {
        for (String key : new String[] {"batch_shape", "batch_input_shape"}) {
            if (first.has(key)) {
                return sampleShape(first.get(key), first);
            }
        }
        if (first.has("input_dim")) {
            return new int[] {first.get("input_dim").asPositiveInt()};
        }
        for (JsonView owner : new JsonView[] {firstEntry, model}) {
            if (owner.has("build_config") && owner.get("build_config").isObject()
                    && owner.get("build_config").has("input_shape") && owner.get("build_config").get("input_shape").isArray()) {
                return sampleShape(owner.get("build_config").get("input_shape"), first);
            }
        }
        return null;
    }

    /** {@code [null, 28, 28]} as {@code [28, 28]}: the batch axis dropped, every other dimension known and at least 1. */
    private static int[] sampleShape(JsonView batchShape, LayerConfig layer) throws ModelFormatException {
        List<JsonView> dimensions = batchShape.elements();
        if (dimensions.size() < 2) {
            throw new UnsupportedModelException(batchShape.source() + ": " + layer.describe() + " is not supported: it"
                    + " takes samples of shape " + batchShape.raw() + ", without an axis of features");
        }
        if (dimensions.size() > 33) {
            throw batchShape.error(layer.describe() + " declares " + (dimensions.size() - 1) + " axes per sample; at most 32");
        }
        int[] shape = new int[dimensions.size() - 1];
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonView dimension = dimensions.get(i + 1);
            if (dimension.isNull()) {
                throw new UnsupportedModelException(batchShape.source() + ": " + layer.describe() + " is not supported:"
                        + " it takes samples of shape " + batchShape.raw() + ", with an axis of unknown length; nn-core"
                        + " takes samples of a fixed shape");
            }
            shape[i] = dimension.asPositiveInt();
            size *= shape[i];
            if (size > Integer.MAX_VALUE) {
                throw batchShape.error(layer.describe() + " declares samples of shape " + batchShape.raw()
                        + ", more than 2^31 - 1 values each");
            }
        }
        return shape;
    }

    /** Keras's batch shape of a sample shape: {@code [null, 28, 28]}. */
    static List<Object> batchShape(int[] shape) {
        List<Object> batch = new ArrayList<>();
        batch.add(null);
        for (int dimension : shape) {
            batch.add(dimension);
        }
        return batch;
    }

    /** The values in one sample of {@code shape}, which parsing has checked fits an int. */
    static int size(int[] shape) {
        int size = 1;
        for (int dimension : shape) {
            size *= dimension;
        }
        return size;
    }

    /** Whether a shape has 1 to 32 axes of at least 1 and at most 2^31 - 1 values in all. */
    private static boolean fits(int[] shape) {
        long size = 1;
        for (int dimension : shape) {
            size *= dimension;
            if (dimension < 1 || size > Integer.MAX_VALUE) {
                return false;
            }
        }
        return shape.length >= 1 && shape.length <= 32;
    }

    /** Walks the shapes from {@code inputShape}: each layer's input shape, and the output shape last. */
    private List<int[]> shapes(int[] inputShape) throws ModelFormatException {
        long limit = Limits.current().maxUnzippedBytes() / Float.BYTES;
        List<int[]> shapes = new ArrayList<>();
        int[] shape = inputShape;
        for (LayerSpec layer : layers) {
            if (size(shape) > limit) {
                throw new ModelFormatException(source + ": " + layer.describe() + " takes samples of shape "
                        + LayerSpec.shapeText(shape) + ", " + size(shape) + " float32 values each, past the limit of "
                        + Limits.current().maxUnzippedBytes() + " bytes (raise it with -Dnncore.maxUnzippedBytes)");
            }
            shapes.add(shape);
            shape = layer.outputShape(shape);
            if (!fits(shape)) {
                throw new ModelFormatException(source + ": " + layer.describe() + " gives samples of shape "
                        + Arrays.toString(shape) + ", which nn-core cannot hold");
            }
        }
        shapes.add(shape);
        return shapes;
    }

    /**
     * Builds the network from the weights read for each layer, checking their number and shapes against what each
     * layer expects. Without a declared input shape, the first weight read tells the input width.
     *
     * @param weights per layer of {@link #layers()}, the tensors read, in {@code get_weights()} order
     * @throws UnsupportedModelException if a layer cannot take the samples it would receive
     * @throws ModelFormatException if a weight is missing, extra, or of the wrong shape
     */
    Network build(List<List<KerasWeights.Tensor>> weights) throws ModelFormatException {
        if (graph != null) {
            Map<LayerSpec, List<KerasWeights.Tensor>> perLeaf = new java.util.IdentityHashMap<>();
            graph.spread(weights, perLeaf);
            if (weights instanceof ArrayList<?>) {
                weights.clear(); // the readers' lists: only the map holds the tensors now
            }
            return graph.build(perLeaf, source);
        }
        int[] inputShape = declaredShape != null ? declaredShape : inferredShape(weights);
        List<int[]> shapes;
        if (network != null && !network.isSequential()) { // a graph's layers do not follow one another: each its own width
            shapes = new ArrayList<>();
            for (Layer layer : network.layers()) {
                shapes.add(new int[] {layer.inputs()});
            }
        } else {
            shapes = shapes(inputShape);
        }
        List<Layer> built = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            List<float[]> values = checkWeights(layer, shapes.get(i), weights.get(i));
            if (weights instanceof ArrayList<?>) {
                weights.set(i, null); // the readers' lists: let a layer drop its flat arrays once it has built its own
            }
            Layer made = layer.build(shapes.get(i), values);
            if (made != null) {
                built.add(made);
            }
        }
        if (built.isEmpty()) {
            throw new UnsupportedModelException(source + ": the model has no layer after its input, so there is nothing"
                    + " to compute");
        }
        try {
            if (network != null && !network.isSequential()) { // weights onto a graph: its topology stays
                List<Matrix> all = new ArrayList<>();
                for (Layer layer : built) {
                    all.addAll(layer.getWeights());
                }
                return network.withWeights(all);
            }
            return Network.of(inputShape, built);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    /** {@link #build} from the tensors read for each of {@link #leaves()}, as TF.js names them. */
    Network buildLeaves(List<List<KerasWeights.Tensor>> perLeaf) throws ModelFormatException {
        if (graph == null) {
            return build(perLeaf);
        }
        Map<LayerSpec, List<KerasWeights.Tensor>> weights = new java.util.IdentityHashMap<>();
        List<LayerSpec> leaves = leaves();
        for (int i = 0; i < leaves.size(); i++) {
            weights.put(leaves.get(i), perLeaf.get(i));
        }
        return graph.build(weights, source);
    }

    private int[] inferredShape(List<List<KerasWeights.Tensor>> weights) throws ModelFormatException {
        for (List<KerasWeights.Tensor> tensors : weights) {
            if (!tensors.isEmpty()) {
                KerasWeights.Tensor first = tensors.get(0);
                if (first.shape().length == 0 || first.shape()[0] < 1 || first.shape()[0] > Integer.MAX_VALUE) {
                    throw new ModelFormatException(source + ": weight " + first.path() + " has shape "
                            + Arrays.toString(first.shape()) + ", which tells no input width");
                }
                return new int[] {(int) first.shape()[0]};
            }
        }
        throw new ModelFormatException(source + ": the model declares no input shape and has no weights to tell it");
    }

    /** Checks a layer's tensors against its weights' names and shapes; returns their values. */
    static List<float[]> checkWeights(LayerSpec layer, int[] inputShape, List<KerasWeights.Tensor> tensors)
            throws ModelFormatException {
        List<String> names = layer.weightNames();
        int required = names.size() - layer.optionalWeights();
        if (tensors.size() < required || tensors.size() > names.size()) {
            throw layer.error("has " + tensors.size() + " weight arrays in the file " + paths(tensors) + ", expected "
                    + (required == names.size() ? String.valueOf(required) : required + " to " + names.size()) + " "
                    + names + " (its config and input shape " + LayerSpec.shapeText(inputShape) + " say so)");
        }
        List<long[]> shapes = layer.weightShapes(inputShape);
        List<float[]> values = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            KerasWeights.Tensor tensor = tensors.get(i);
            long[] expected = shapes.get(i);
            boolean matches = Arrays.equals(tensor.shape(), expected)
                    || expected.length == 1 && tensor.shape().length == 2 && tensor.shape()[0] == 1 && tensor.shape()[1] == expected[0]
                    || expected.length == 0 && tensor.values().length == 1; // a scalar stored as [1]
            if (!matches) {
                String hint = layer.weightHint(i);
                throw layer.error("weight \"" + names.get(i) + "\" (" + tensor.path() + ") has shape "
                        + Arrays.toString(tensor.shape()) + ", expected " + Arrays.toString(expected) + " for input "
                        + LayerSpec.shapeText(inputShape) + (hint.isEmpty() ? "" : "; " + hint));
            }
            if (tensor.values().length != Numpy.byteCount(expected, 1) && expected.length > 0) {
                throw layer.error("weight \"" + names.get(i) + "\" (" + tensor.path() + ") has " + tensor.values().length
                        + " values for shape " + Arrays.toString(tensor.shape()));
            }
            values.add(tensor.values());
        }
        return values;
    }

    private static List<String> paths(List<KerasWeights.Tensor> tensors) {
        return tensors.stream().map(KerasWeights.Tensor::path).limit(10).toList();
    }

    /** A layer of an existing network: its weights as {@link Layer} lists them, plus its format's extras. */
    private static final class NetworkLayer extends LayerSpec {
        private final Layer layer;
        private final List<String> names = new ArrayList<>();
        private final int extras;

        NetworkLayer(Layer layer, String source) {
            super(layer.kerasClass(), layer.name(), source);
            this.layer = layer;
            names.addAll(layer.weightNames());
            LayerFormat format = LayerFormats.forClass(layer.kerasClass());
            List<LayerFormat.Extra> extra = format == null ? List.of() : format.extraWeights(layer);
            for (LayerFormat.Extra weight : extra) {
                names.add(weight.name());
            }
            extras = extra.size();
        }

        @Override
        List<String> weightNames() {
            return names;
        }

        @Override
        int optionalWeights() {
            return extras;
        }

        @Override
        int[] outputShape(int[] inputShape) throws ModelFormatException {
            try {
                return layer.outputShape(inputShape);
            } catch (IllegalArgumentException e) {
                throw unsupported(e.getMessage());
            }
        }

        @Override
        List<long[]> weightShapes(int[] inputShape) {
            List<long[]> shapes = new ArrayList<>();
            for (int i = 0; i < layer.weightNames().size(); i++) {
                shapes.add(Arrays.stream(layer.weightShape(i)).asLongStream().toArray());
            }
            for (int i = 0; i < extras; i++) {
                shapes.add(new long[0]);
            }
            return shapes;
        }

        @Override
        String weightHint(int index) {
            return "kernel".equals(names.get(index)) ? "Keras stores kernels as [in, units]" : "";
        }

        @Override
        Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
            List<Matrix> weights = new ArrayList<>();
            for (int i = 0; i < layer.weightNames().size(); i++) {
                int[] shape = layer.weightShape(i);
                if (shape.length == 1) {
                    weights.add(Matrix.row(values.get(i)));
                } else {
                    // fresh rows, handed over; the flat array may go before the layer copies them
                    weights.add(MatrixAccess.wrap(Tfjs.rows(values.get(i), shape[0], shape[1], describe() + " " + names.get(i))));
                    values.set(i, null);
                }
            }
            return checked(() -> layer.withWeights(weights));
        }
    }

}
