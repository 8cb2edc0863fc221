package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.Node;
import dev.nncore.keras.GraphModel.Entry;
import dev.nncore.keras.GraphModel.Ref;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Makes the nn-core nodes of a {@link GraphModel}: one per call, in Keras's order (Kahn's algorithm over the calls,
 * the smallest layer and call first), without recursion over layers; a nested model is expanded per call (its depth
 * is bounded by {@link GraphModel#MAX_NESTING}). Each leaf layer is built with its weights at its first call and
 * shared after; a nested model's layers are named as {@link GraphModel} says.
 */
final class GraphBuilder {

    private final Map<LayerSpec, List<KerasWeights.Tensor>> weights;
    private final String source;
    private final Map<LayerSpec, Layer> built = new IdentityHashMap<>();
    private final Map<LayerSpec, int[]> builtShape = new IdentityHashMap<>();
    private final Map<LayerSpec, String> names = new IdentityHashMap<>();
    private final Set<GraphModel> named = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    final Set<String> used = new HashSet<>();
    private final Map<String, Integer> counters = new HashMap<>();

    GraphBuilder(Map<LayerSpec, List<KerasWeights.Tensor>> weights, String source) {
        this.weights = weights;
        this.source = source;
    }

    /** A nested model's layers named once, before any of them is built; see the class comment. */
    private void name(GraphModel model, boolean outer) {
        if (!named.add(model)) {
            return;
        }
        for (Entry entry : model.entries) {
            if (entry.nested != null || entry.isInput()) {
                continue;
            }
            String name = entry.spec.name();
            if (!outer && used.contains(name)) {
                String base = model.name + "_" + name;
                name = fresh(base);
            }
            used.add(name);
            names.put(entry.spec, name);
        }
    }

    private String fresh(String base) {
        String name = base;
        while (used.contains(name)) {
            name = base + "_" + counters.merge(base, 1, Integer::sum);
        }
        return name;
    }

    /**
     * The nodes of one call of {@code model}: on {@code bound} inputs for a nested model, on new input nodes
     * (added to {@code inputNodes}) for the file's model. Returns its outputs.
     */
    List<Node> expand(GraphModel model, List<Node> bound, List<Node> inputNodes) throws ModelFormatException {
        name(model, bound == null);
        Map<String, Integer> index = new HashMap<>();
        for (int e = 0; e < model.entries.size(); e++) {
            index.put(model.entries.get(e).name, e);
        }
        Map<Integer, Node> inputValues = new HashMap<>();
        if (bound != null && bound.size() != model.inputs.size()) {
            throw new ModelFormatException(model.json.source() + ": " + model.describe() + " takes "
                    + model.inputs.size() + " inputs, but is called on " + bound.size());
        }
        for (int k = 0; k < model.inputs.size(); k++) {
            Ref ref = model.inputs.get(k);
            Integer at = index.get(ref.layer());
            if (at == null || !model.entries.get(at).isInput()) {
                throw ref.where().error(model.describe() + " lists \"" + ref.layer() + "\" among its input_layers, "
                        + (at == null ? "but has no layer of that name" : "which is a "
                                + model.entries.get(at).spec.describe() + ", not an InputLayer"));
            }
            Entry input = model.entries.get(at);
            Node node;
            if (bound == null) {
                if (input.declaredShape == null) {
                    throw input.json.error(input.spec.describe() + " declares no shape (batch_shape or"
                            + " batch_input_shape); nn-core needs the shape of every input");
                }
                node = Node.input(input.name, input.declaredShape);
                inputNodes.add(node);
            } else {
                node = bound.get(k);
                if (input.declaredShape != null && !Arrays.equals(input.declaredShape, node.shape())) {
                    throw input.json.error(input.spec.describe() + " of " + model.describe() + " takes samples of"
                            + " shape " + LayerSpec.shapeText(input.declaredShape) + ", but is given "
                            + LayerSpec.shapeText(node.shape()));
                }
            }
            if (inputValues.put(at, node) != null) {
                throw ref.where().error(model.describe() + " lists input \"" + ref.layer() + "\" twice");
            }
        }
        // Kahn's algorithm over the calls, smallest (layer, call) first: Keras's order, and no recursion
        List<List<List<Node>>> results = new ArrayList<>();
        Map<Long, List<Long>> waiting = new HashMap<>();
        Map<Long, Integer> pending = new HashMap<>();
        PriorityQueue<Long> ready = new PriorityQueue<>();
        int total = 0;
        for (int e = 0; e < model.entries.size(); e++) {
            Entry entry = model.entries.get(e);
            List<List<Node>> perCall = new ArrayList<>();
            for (int c = 0; c < entry.calls.size(); c++) {
                perCall.add(null);
            }
            results.add(perCall);
            for (int c = 0; c < entry.calls.size(); c++) {
                long task = key(e, c);
                total++;
                int unresolved = 0;
                for (Ref ref : entry.calls.get(c)) {
                    Integer target = index.get(ref.layer());
                    if (target == null) {
                        throw ref.where().error(entry.spec.describe() + " takes its input from layer \"" + ref.layer()
                                + "\", which " + model.describe() + " lacks");
                    }
                    Entry from = model.entries.get(target);
                    if (from.isInput()) {
                        if (!inputValues.containsKey(target)) {
                            throw ref.where().error(entry.spec.describe() + " takes its input from "
                                    + from.spec.describe() + ", which is not among the model's input_layers "
                                    + model.inputs.stream().map(Ref::layer).toList()
                                    + ", so no input reaches it");
                        }
                        if (ref.node() != 0 || ref.tensor() != 0) {
                            throw ref.where().error(entry.spec.describe() + " takes tensor " + ref.tensor()
                                    + " of call " + ref.node() + " of " + from.spec.describe() + ", which has one");
                        }
                        continue;
                    }
                    if (ref.node() >= from.calls.size()) {
                        throw ref.where().error(entry.spec.describe() + " takes the output of call " + ref.node()
                                + " of " + from.spec.describe() + ", which is called " + from.calls.size() + " times");
                    }
                    unresolved++;
                    waiting.computeIfAbsent(key(target, ref.node()), k -> new ArrayList<>()).add(task);
                }
                if (unresolved == 0) {
                    ready.add(task);
                } else {
                    pending.put(task, unresolved);
                }
            }
        }
        int done = 0;
        while (!ready.isEmpty()) {
            long task = ready.poll();
            int e = (int) (task >>> 32);
            int c = (int) task;
            Entry entry = model.entries.get(e);
            List<Node> in = new ArrayList<>();
            for (Ref ref : entry.calls.get(c)) {
                int target = index.get(ref.layer());
                if (inputValues.containsKey(target)) {
                    in.add(inputValues.get(target));
                    continue;
                }
                List<Node> outs = results.get(target).get(ref.node());
                if (ref.tensor() >= outs.size()) {
                    throw ref.where().error(entry.spec.describe() + " takes output " + ref.tensor() + " of "
                            + model.entries.get(target).spec.describe() + ", which has " + outs.size());
                }
                in.add(outs.get(ref.tensor()));
            }
            results.get(e).set(c, entry.nested != null ? expand(entry.nested, in, null) : List.of(call(entry, in)));
            done++;
            for (long next : waiting.getOrDefault(task, List.of())) {
                if (pending.merge(next, -1, Integer::sum) == 0) {
                    pending.remove(next);
                    ready.add(next);
                }
            }
        }
        if (done < total) {
            throw cycle(model.entries, model.describe(), pending, index);
        }
        List<Node> outs = new ArrayList<>();
        for (Ref ref : model.outputs) {
            Integer target = index.get(ref.layer());
            if (target == null) {
                throw ref.where().error(model.describe() + " lists \"" + ref.layer() + "\" among its output_layers, but"
                        + " has no layer of that name");
            }
            if (inputValues.containsKey(target)) {
                outs.add(inputValues.get(target));
                continue;
            }
            Entry from = model.entries.get(target);
            if (from.isInput() || ref.node() >= from.calls.size()
                    || ref.tensor() >= results.get(target).get(ref.node()).size()) {
                throw ref.where().error(model.describe() + " outputs tensor " + ref.tensor() + " of call " + ref.node()
                        + " of " + from.spec.describe() + ", which " + (from.isInput()
                                ? "is not among the model's input_layers" : "does not compute it"));
            }
            outs.add(results.get(target).get(ref.node()).get(ref.tensor()));
        }
        return outs;
    }

    static long key(int entry, int call) {
        return ((long) entry << 32) | call;
    }

    /** Names a cycle among the calls left waiting: follows each one's first unmade input until one repeats. */
    static ModelFormatException cycle(List<Entry> entries, String model, Map<Long, Integer> pending,
            Map<String, Integer> index) {
        long task = pending.keySet().stream().min(Long::compare).orElseThrow();
        List<String> path = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        while (seen.add(task)) {
            Entry entry = entries.get((int) (task >>> 32));
            path.add(entry.name);
            long next = task;
            for (Ref ref : entry.calls.get((int) task)) {
                long candidate = key(index.get(ref.layer()), ref.node());
                if (pending.containsKey(candidate)) {
                    next = candidate;
                    break;
                }
            }
            task = next;
        }
        String start = entries.get((int) (task >>> 32)).name;
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(start), path.size()));
        loop.add(start);
        Entry first = entries.get((int) (task >>> 32));
        return new ModelFormatException(first.json.source() + ": " + first.spec.describe() + " of " + model
                + " depends on its own output through a cycle " + String.join(" <- ", loop)
                + "; a Keras model is a graph without cycles");
    }

    /** One call of a leaf layer: the layer is built with its weights at its first call, and shared after. */
    private Node call(Entry entry, List<Node> in) throws ModelFormatException {
        LayerSpec spec = entry.spec;
        Layer layer = built.get(spec);
        if (spec instanceof MergeFormat.Spec merge) {
            if (layer == null) {
                layer = merge.merge(in.stream().map(Node::shape).toList());
                String name = names.getOrDefault(spec, spec.name());
                layer = name.equals(layer.name()) ? layer : layer.named(name);
                built.put(spec, layer);
            }
            try {
                return Node.merge((dev.nncore.Merge) layer, in.toArray(Node[]::new));
            } catch (IllegalArgumentException e) {
                throw spec.error("cannot be called on " + in + ": " + e.getMessage());
            }
        }
        if (in.size() != 1) {
            throw spec.unsupported("it is called on " + in.size() + " tensors " + in.stream().map(Node::name).toList()
                    + ", and nn-core's " + spec.kerasClass() + " takes one");
        }
        Node input = in.get(0);
        int[] shape = input.shape();
        if (layer == null) {
            long limit = Limits.current().maxUnzippedBytes() / Float.BYTES;
            if (Architecture.size(shape) > limit) {
                throw new ModelFormatException(source + ": " + spec.describe() + " takes samples of shape "
                        + LayerSpec.shapeText(shape) + ", past the limit of " + Limits.current().maxUnzippedBytes()
                        + " bytes (raise it with -Dnncore.maxUnzippedBytes)");
            }
            spec.outputShape(shape); // refuses what nn-core cannot compute, before the weights are checked
            List<float[]> values = Architecture.checkWeights(spec, shape, weights.getOrDefault(spec, List.of()));
            layer = spec.build(shape, values);
            if (layer == null) {
                throw spec.error("computes nothing, so it cannot be called on a tensor");
            }
            String name = names.getOrDefault(spec, spec.name());
            if (!name.equals(layer.name())) {
                layer = layer.named(name);
            }
            built.put(spec, layer);
            builtShape.put(spec, shape);
            weights.remove(spec);
        } else if (!Arrays.equals(builtShape.get(spec), shape)) {
            throw spec.error("is shared, called on samples of shape " + LayerSpec.shapeText(builtShape.get(spec))
                    + " and then " + LayerSpec.shapeText(shape) + "; a shared layer takes one shape");
        }
        try {
            return input.apply(layer);
        } catch (IllegalArgumentException e) {
            throw spec.error("cannot be called on " + input + ": " + e.getMessage());
        }
    }
}
