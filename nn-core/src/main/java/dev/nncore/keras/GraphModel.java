package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The graph a model configuration describes, when it is not a plain chain: a Functional model ({@code "Functional"},
 * Keras 1 and 2's {@code "Model"}) of named inputs, layers called on the outputs of others ({@code inbound_nodes}) and
 * named outputs, or a Sequential model holding a nested model. Keras 3 writes each call as
 * {@code {"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["dense", 0, 0]}}], "kwargs": {}}}
 * (a merge's args hold a list of such tensors), Keras 1 and 2 as {@code [["dense", 0, 0, {}], ...]}; both name a
 * layer, which of its calls (its node index) and which of that call's outputs.
 *
 * <p>{@link #build} makes the nn-core {@link Network} through {@link Node} and {@link Network#functional} (the work
 * of {@link GraphBuilder}): one node per call, in Keras's order (the config's order of layers, each call once the
 * calls it takes from are made), without recursion over layers, so a graph of 10,000 layers is as good as a chain
 * of 3. A layer called twice is shared: one
 * nn-core layer, built with its weights at its first call. A nested model ({@code Sequential} or {@code Functional}
 * as a layer) is inlined: each of its calls adds its layers' nodes to the outer graph, its layers shared between the
 * calls; models nest at most {@value #MAX_NESTING} deep.
 *
 * <p>Names: outer layers keep theirs. A nested model's layer keeps its name unless an outer layer, or a layer of a
 * nested model inlined earlier, has it already; it is then renamed {@code <model>_<layer>} (for example
 * {@code sequential_dense}), with {@code _1}, {@code _2}, ... if that is taken too. Weights are still matched to it by
 * its place in the file.
 */
final class GraphModel {

    /** How deep models may nest inside models. */
    static final int MAX_NESTING = 32;

    /** A tensor a layer takes: Keras's {@code [layer name, node index, tensor index]}. */
    record Ref(String layer, int node, int tensor, JsonView where) {
    }

    /** One of a model's layers, with the calls its config lists. */
    static final class Entry {
        final String name;
        final LayerSpec spec;
        final GraphModel nested;
        final List<List<Ref>> calls;
        final int[] declaredShape;
        final JsonView json;

        Entry(String name, LayerSpec spec, GraphModel nested, List<List<Ref>> calls, int[] declaredShape, JsonView json) {
            this.name = name;
            this.spec = spec;
            this.nested = nested;
            this.calls = calls;
            this.declaredShape = declaredShape;
            this.json = json;
        }

        boolean isInput() {
            return nested == null && "InputLayer".equals(spec.kerasClass());
        }
    }

    final String className;
    final String name;
    final JsonView json;
    final List<Entry> entries;
    final List<Ref> inputs;
    final List<Ref> outputs;

    private GraphModel(String className, String name, JsonView json, List<Entry> entries, List<Ref> inputs,
            List<Ref> outputs) {
        this.className = className;
        this.name = name;
        this.json = json;
        this.entries = entries;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    static boolean isModelClass(String className) {
        return "Sequential".equals(className) || "Functional".equals(className) || "Model".equals(className);
    }

    List<Entry> entries() {
        return entries;
    }

    /** {@code Functional model "functional_5"}. */
    String describe() {
        return className + " model \"" + name + "\"";
    }

    /**
     * Parses a model configuration ({@code class_name} and {@code config}). Every layer's class is looked up before
     * anything else, so a graph with an LSTM is refused for the LSTM.
     *
     * @param depth how deep this model is nested, 0 for the file's model
     */
    static GraphModel parse(JsonView root, Dialect dialect, int depth) throws ModelFormatException {
        if (depth > MAX_NESTING) {
            throw root.error("models nest more than " + MAX_NESTING + " deep; nn-core reads at most " + MAX_NESTING
                    + " levels of models used as layers");
        }
        String className = root.get("class_name").asString();
        JsonView config = root.get("config");
        boolean sequential = "Sequential".equals(className);
        String name = config.isObject() && config.has("name") && config.get("name").isString()
                ? config.get("name").asString() : LayerConfig.snakeCase(className);
        List<JsonView> layerList = sequential && config.isArray() ? config.elements() : config.get("layers").elements();
        for (JsonView layer : layerList) {
            String layerClass = layer.get("class_name").asString();
            if (!isModelClass(layerClass)) {
                LayerConfig layerConfig = LayerConfig.of(layer, dialect);
                if (LayerFormats.forClass(layerConfig.className()) == null) {
                    throw LayerFormats.refusal(layerConfig);
                }
            }
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < layerList.size(); i++) {
            JsonView layer = layerList.get(i);
            String layerClass = layer.get("class_name").asString();
            LayerSpec spec;
            GraphModel nested = null;
            int[] declared = null;
            String entryName;
            if (isModelClass(layerClass)) {
                nested = parse(layer, dialect, depth + 1);
                spec = new NestedSpec(nested, layer.source());
                entryName = layer.has("name") && layer.get("name").isString() ? layer.get("name").asString() : nested.name;
            } else {
                LayerConfig layerConfig = LayerConfig.of(layer, dialect);
                spec = LayerFormats.forClass(layerConfig.className()).read(layerConfig);
                entryName = layer.has("name") && layer.get("name").isString() ? layer.get("name").asString()
                        : layerConfig.name();
                if ("InputLayer".equals(layerClass)) {
                    declared = Architecture.declaredShape(layer, layerConfig, root);
                }
            }
            if (!names.add(entryName)) {
                throw layer.error(spec.describe() + " has the name of an earlier layer of " + className + " \"" + name
                        + "\"; Keras names the layers of a model uniquely");
            }
            List<List<Ref>> calls = new ArrayList<>();
            if (!sequential && layer.has("inbound_nodes")) {
                for (JsonView node : layer.get("inbound_nodes").elements()) {
                    List<Ref> refs = new ArrayList<>();
                    Object args = node.isObject() && node.has("args") ? node.get("args").raw() : node.raw();
                    collectRefs(args, node.has("args") ? node.get("args") : node, refs, 0);
                    if (refs.isEmpty()) {
                        throw node.error(spec.describe() + " has a call that takes no tensor");
                    }
                    calls.add(refs);
                }
            }
            entries.add(new Entry(entryName, spec, nested, calls, declared, layer));
        }
        if (entries.isEmpty()) {
            throw new UnsupportedModelException(root.source() + ": " + className + " \"" + name + "\" has no layers, so there"
                    + " is nothing to compute");
        }
        if (sequential) {
            return sequential(className, name, root, entries, dialect);
        }
        List<Ref> inputs = new ArrayList<>();
        collectRefs(config.get("input_layers").raw(), config.get("input_layers"), inputs, 0);
        List<Ref> outputs = new ArrayList<>();
        collectRefs(config.get("output_layers").raw(), config.get("output_layers"), outputs, 0);
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw config.error("the model lists " + inputs.size() + " input_layers and " + outputs.size()
                    + " output_layers; it needs at least one of each");
        }
        for (Entry entry : entries) {
            if (entry.calls.isEmpty() && !entry.isInput()) {
                throw entry.json.error(entry.spec.describe() + " is not called on any tensor (its inbound_nodes are"
                        + " empty), so it is not part of the graph");
            }
        }
        return new GraphModel(className, name, root, inTopologicalOrder(entries, className, name), inputs, outputs);
    }

    /**
     * The entries as Keras's {@code model.layers} lists them: the InputLayers, then each layer where its first call can
     * be made, smallest config position first (for any file Keras wrote, the config's own order; for a config listed
     * out of order, an order in which each layer follows those it takes from). Weights are matched to layers in this
     * order. Refuses a call of an unknown layer or call, and a cycle, naming the layer.
     */
    private static List<Entry> inTopologicalOrder(List<Entry> entries, String className, String name)
            throws ModelFormatException {
        Map<String, Integer> index = new HashMap<>();
        for (int e = 0; e < entries.size(); e++) {
            index.put(entries.get(e).name, e);
        }
        Map<Long, List<Long>> waiting = new HashMap<>();
        Map<Long, Integer> pending = new HashMap<>();
        PriorityQueue<Long> ready = new PriorityQueue<>();
        for (int e = 0; e < entries.size(); e++) {
            Entry entry = entries.get(e);
            for (int c = 0; c < entry.calls.size(); c++) {
                int unresolved = 0;
                for (Ref ref : entry.calls.get(c)) {
                    Integer target = index.get(ref.layer());
                    if (target == null) {
                        throw ref.where().error(entry.spec.describe() + " takes its input from layer \"" + ref.layer()
                                + "\", which " + className + " model \"" + name + "\" lacks");
                    }
                    Entry from = entries.get(target);
                    if (from.isInput()) {
                        continue;
                    }
                    if (ref.node() >= from.calls.size()) {
                        throw ref.where().error(entry.spec.describe() + " takes the output of call " + ref.node() + " of "
                                + from.spec.describe() + ", which is called " + from.calls.size() + " times");
                    }
                    unresolved++;
                    waiting.computeIfAbsent(GraphBuilder.key(target, ref.node()), k -> new ArrayList<>()).add(GraphBuilder.key(e, c));
                }
                if (unresolved == 0) {
                    ready.add(GraphBuilder.key(e, c));
                } else {
                    pending.put(GraphBuilder.key(e, c), unresolved);
                }
            }
        }
        List<Entry> ordered = new ArrayList<>();
        Set<Entry> placed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Entry entry : entries) {
            if (entry.isInput()) {
                ordered.add(entry);
                placed.add(entry);
            }
        }
        while (!ready.isEmpty()) {
            long task = ready.poll();
            Entry entry = entries.get((int) (task >>> 32));
            if (placed.add(entry)) {
                ordered.add(entry);
            }
            for (long next : waiting.getOrDefault(task, List.of())) {
                if (pending.merge(next, -1, Integer::sum) == 0) {
                    pending.remove(next);
                    ready.add(next);
                }
            }
        }
        if (!pending.isEmpty()) {
            throw GraphBuilder.cycle(entries, className + " model \"" + name + "\"", pending, index);
        }
        return List.copyOf(ordered);
    }

    /** A Sequential config as a graph: each layer called once on the one before. */
    private static GraphModel sequential(String className, String name, JsonView root, List<Entry> parsed, Dialect dialect)
            throws ModelFormatException {
        List<Entry> entries = new ArrayList<>();
        Entry first = parsed.get(0);
        Entry input;
        if (first.isInput()) {
            input = first;
        } else {
            int[] declared = first.nested == null ? Architecture.declaredShape(first.json,
                    LayerConfig.of(first.json, dialect), root) : first.nested.declaredInputShape();
            Set<String> taken = new HashSet<>();
            parsed.forEach(entry -> taken.add(entry.name));
            String inputName = "input_layer";
            for (int k = 1; taken.contains(inputName); k++) {
                inputName = "input_layer_" + k;
            }
            LayerSpec spec = new LayerSpec("InputLayer", inputName, root.source()) {
                @Override
                int[] outputShape(int[] inputShape) {
                    return inputShape.clone();
                }

                @Override
                Layer build(int[] inputShape, List<float[]> values) {
                    return null;
                }
            };
            input = new Entry(inputName, spec, null, List.of(), declared == null ? buildShape(root) : declared, root);
        }
        entries.add(input);
        String previous = input.name;
        for (Entry entry : parsed) {
            if (entry == input) {
                continue;
            }
            if (entry.isInput()) {
                throw entry.json.error(entry.spec.describe() + " comes after other layers; an InputLayer starts the chain");
            }
            entries.add(new Entry(entry.name, entry.spec, entry.nested,
                    List.of(List.of(new Ref(previous, 0, 0, entry.json))), null, entry.json));
            previous = entry.name;
        }
        if (entries.size() == 1) {
            throw new UnsupportedModelException(root.source() + ": " + className + " \"" + name + "\" has no layer after"
                    + " its input, so there is nothing to compute");
        }
        return new GraphModel(className, name, root, List.copyOf(entries), List.of(new Ref(input.name, 0, 0, root)),
                List.of(new Ref(previous, 0, 0, root)));
    }

    /** The shape this model's single input declares, or null (several inputs, or none declared). */
    private int[] declaredInputShape() {
        if (inputs.size() != 1) {
            return null;
        }
        for (Entry entry : entries) {
            if (entry.name.equals(inputs.get(0).layer())) {
                return entry.declaredShape;
            }
        }
        return null;
    }

    private static int[] buildShape(JsonView root) throws ModelFormatException {
        if (root.has("build_config") && root.get("build_config").isObject() && root.get("build_config").has("input_shape")
                && root.get("build_config").get("input_shape").isArray()) {
            List<JsonView> dimensions = root.get("build_config").get("input_shape").elements();
            if (dimensions.size() >= 2) {
                int[] shape = new int[dimensions.size() - 1];
                for (int i = 0; i < shape.length; i++) {
                    if (dimensions.get(i + 1).isNull()) {
                        return null;
                    }
                    shape[i] = dimensions.get(i + 1).asPositiveInt();
                }
                return shape;
            }
        }
        return null;
    }

    /**
     * Finds the tensors a call takes, in order: Keras 3's {@code keras_history} and Keras 1 and 2's
     * {@code [name, node, tensor, kwargs]}. Nesting is bounded, so a hostile file cannot overflow the stack.
     */
    private static void collectRefs(Object value, JsonView where, List<Ref> refs, int depth) throws ModelFormatException {
        if (depth > 64) {
            throw where.error("inbound tensors nest deeper than 64 levels");
        }
        if (value instanceof Map<?, ?> map) {
            if (map.get("keras_history") instanceof List<?> history) {
                refs.add(ref(history, where));
                return;
            }
            for (Object inner : map.values()) {
                collectRefs(inner, where, refs, depth + 1);
            }
        } else if (value instanceof List<?> list) {
            if (list.size() >= 3 && list.get(0) instanceof String && list.get(1) instanceof Number) {
                refs.add(ref(list, where));
                return;
            }
            for (Object inner : list) {
                collectRefs(inner, where, refs, depth + 1);
            }
        }
    }

    private static Ref ref(List<?> history, JsonView where) throws ModelFormatException {
        if (history.size() < 3 || !(history.get(0) instanceof String layer)) {
            throw where.error("expected a tensor [layer name, node index, tensor index], got " + history);
        }
        return new Ref(layer, index(history.get(1), where, history), index(history.get(2), where, history), where);
    }

    private static int index(Object value, JsonView where, List<?> history) throws ModelFormatException {
        if (value instanceof Number number && number.doubleValue() >= 0 && number.doubleValue() <= Integer.MAX_VALUE
                && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.intValue();
        }
        throw where.error("tensor " + history + " has an index that is not a whole number from 0");
    }

    /** Every leaf layer (InputLayers and merges included), nested models' in place, in the config's order. */
    List<LayerSpec> leaves() {
        List<LayerSpec> leaves = new ArrayList<>();
        addLeaves(this, leaves);
        return leaves;
    }

    /** Per leaf of {@link #leaves()}: the nested models around it, e.g. {@code block/}; empty for the model's own. */
    List<String> scopes() {
        List<String> scopes = new ArrayList<>();
        addScopes(this, "", scopes);
        return scopes;
    }

    private static void addScopes(GraphModel model, String scope, List<String> scopes) {
        for (Entry entry : model.entries) {
            if (entry.nested == null) {
                scopes.add(scope);
            } else {
                addScopes(entry.nested, scope + entry.nested.name + "/", scopes);
            }
        }
    }

    private static void addLeaves(GraphModel model, List<LayerSpec> leaves) {
        for (Entry entry : model.entries) {
            if (entry.nested == null) {
                leaves.add(entry.spec);
            } else {
                addLeaves(entry.nested, leaves); // nesting is at most MAX_NESTING deep
            }
        }
    }

    /** The specs of the model's own entries (nested models as {@link NestedSpec}), in the config's order. */
    List<LayerSpec> specs() {
        return entries.stream().map(entry -> entry.spec).toList();
    }

    /**
     * A nested model standing among its parent's layers for the weight readers: a legacy {@code .h5} keeps all its
     * weights in one group named after it, a {@code .keras} file in {@code layers/<sequential>/layers/...}.
     */
    static final class NestedSpec extends LayerSpec {
        final GraphModel model;
        private final List<String> weightNames = new ArrayList<>();

        NestedSpec(GraphModel model, String source) {
            super(model.className, model.name, source);
            this.model = model;
            for (LayerSpec leaf : model.leaves()) {
                for (String weight : leaf.weightNames()) {
                    weightNames.add(leaf.name() + "/" + weight);
                }
            }
        }

        @Override
        List<String> weightNames() {
            return weightNames;
        }

        @Override
        int[] outputShape(int[] inputShape) throws ModelFormatException {
            throw error("is a nested model");
        }

        @Override
        Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
            throw error("is a nested model");
        }
    }

    /**
     * Deals the tensors read for each entry out to the leaves: a nested model's, read as one list in its layers'
     * order, to each of its layers as many as it has weights (and a trailing optional scalar if there is one).
     */
    void spread(List<List<KerasWeights.Tensor>> perEntry, Map<LayerSpec, List<KerasWeights.Tensor>> perLeaf)
            throws ModelFormatException {
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            List<KerasWeights.Tensor> tensors = i < perEntry.size() && perEntry.get(i) != null ? perEntry.get(i) : List.of();
            if (entry.nested == null) {
                perLeaf.put(entry.spec, tensors);
                continue;
            }
            int used = entry.nested.split(tensors, 0, perLeaf);
            if (used != tensors.size()) {
                throw entry.spec.error("has " + tensors.size() + " weight arrays in the file, but its layers take " + used);
            }
        }
    }

    private int split(List<KerasWeights.Tensor> tensors, int at, Map<LayerSpec, List<KerasWeights.Tensor>> perLeaf) {
        for (Entry entry : entries) {
            if (entry.nested != null) {
                at = entry.nested.split(tensors, at, perLeaf);
                continue;
            }
            List<String> names = entry.spec.weightNames();
            int required = names.size() - entry.spec.optionalWeights();
            List<KerasWeights.Tensor> mine = new ArrayList<>();
            for (int k = 0; k < names.size() && at < tensors.size(); k++) {
                if (k >= required && tensors.get(at).shape().length != 0) {
                    break;
                }
                mine.add(tensors.get(at++));
            }
            perLeaf.put(entry.spec, mine);
        }
        return at;
    }

    /** Builds the network: one {@link Node} per call, in Keras's order. */
    Network build(Map<LayerSpec, List<KerasWeights.Tensor>> weights, String source) throws ModelFormatException {
        GraphBuilder builder = new GraphBuilder(weights, source);
        for (Entry entry : entries) {
            builder.used.add(entry.name); // outer names first: nested layers give way to them
        }
        List<Node> inputNodes = new ArrayList<>();
        List<Node> outputNodes = builder.expand(this, null, inputNodes);
        try {
            return Network.functional(inputNodes, outputNodes);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }
}
