package dev.nncore.keras;

import dev.nncore.internal.hdf5.Hdf5Attribute;
import dev.nncore.internal.hdf5.Hdf5Dataset;
import dev.nncore.internal.hdf5.Hdf5File;
import dev.nncore.internal.hdf5.Hdf5FormatException;
import dev.nncore.internal.hdf5.Hdf5Group;
import dev.nncore.internal.hdf5.Hdf5Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds each layer's weights in the HDF5 layouts Keras has used:
 * <ul>
 *   <li>Keras 3 {@code model.weights.h5} (inside {@code .keras}, or alone as {@code .weights.h5}):
 *       {@code layers/<key>/vars/0}, {@code /1}, ..., where {@code key} counts layers by class ({@code dense},
 *       {@code dense_1}, {@code batch_normalization}, ...) and newer versions put the layer's own name in the
 *       {@code vars} group's {@code name} attribute;
 *   <li>tf.keras 2.12-2.15 {@code .keras}: the same under {@code _layer_checkpoint_dependencies/<key>/vars};
 *   <li>legacy {@code .h5} ({@code model.save}): group {@code model_weights}, attribute {@code layer_names}, and per
 *       layer a {@code weight_names} attribute naming datasets ({@code dense/kernel:0}, Keras 3: {@code dense/kernel});
 *   <li>legacy {@code save_weights} files: the same on the root group.
 * </ul>
 */
final class KerasWeights {

    /** A layer's arrays as stored: shape and values in row-major order. */
    record Tensor(long[] shape, float[] values, String path) {
    }

    private KerasWeights() {
    }

    /**
     * The weights of each layer of {@code architecture} (none for layers without), read from an HDF5 file in any
     * Keras layout, in {@code get_weights()} order.
     *
     * @throws ModelFormatException if a layer's weights are missing, or the file holds weights for layers the
     *     architecture lacks (naming them)
     */
    static List<List<Tensor>> read(Hdf5File file, Architecture architecture, String source) throws ModelFormatException {
        Budget budget = new Budget(Limits.current().maxUnzippedBytes(), source);
        try {
            Hdf5Group root = file.root();
            if (root.has("model_weights")) {
                return readLegacy(root.group("model_weights"), architecture, source, budget);
            }
            if (root.attributes().containsKey("layer_names")) {
                return readLegacy(root, architecture, source, budget);
            }
            for (String container : new String[] {"layers", "_layer_checkpoint_dependencies"}) {
                if (root.has(container)) {
                    return readVarsLayout(root.group(container), "", architecture, source, budget);
                }
            }
            // tf.keras 2.13-2.15 on Windows joined the path with a backslash: one root link per layer,
            // "_layer_checkpoint_dependencies\\dense", holding its "vars" group.
            String windows = "_layer_checkpoint_dependencies\\";
            if (root.memberNames().stream().anyMatch(name -> name.startsWith(windows))) {
                return readVarsLayout(root, windows, architecture, source, budget);
            }
            throw new ModelFormatException(source + ": no Keras weights found (no model_weights, layer_names, layers"
                    + " or _layer_checkpoint_dependencies at the root; it holds " + abbreviated(root.memberNames()) + ")");
        } catch (Hdf5FormatException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The bytes of weights one file may decode to, {@link Limits#maxUnzippedBytes()} in all: HDF5 datasets may be
     * compressed, or chunked with chunks never written (read as zeros), so a small file can declare gigabytes of
     * weights over many layers, each under the HDF5 reader's per-dataset limit. Checked from the shape, before
     * decoding.
     */
    private static final class Budget {
        private final long limit;
        private final String source;
        private long spent;

        Budget(long limit, String source) {
            this.limit = limit;
            this.source = source;
        }

        void spend(Hdf5Dataset dataset) throws ModelFormatException {
            long bytes = Numpy.byteCount(dataset.shape(), Float.BYTES);
            if (bytes > limit - spent) {
                throw new ModelFormatException(source + ": dataset " + dataset.path() + " of shape "
                        + java.util.Arrays.toString(dataset.shape()) + " takes the weights read past the limit of " + limit
                        + " bytes for one file (raise it with -Dnncore.maxUnzippedBytes)");
            }
            spent += bytes;
        }
    }

    private static List<List<Tensor>> readLegacy(Hdf5Group group, Architecture architecture, String source, Budget budget)
            throws ModelFormatException, Hdf5FormatException {
        java.util.Set<String> seen = new java.util.LinkedHashSet<>(); // a set: layer_names may hold 60,000 names
        for (String name : attribute(group, "layer_names", source).stringValues()) {
            if (!seen.contains(name) && group.get(name).orElse(null) instanceof Hdf5Group layerGroup
                    && weightNames(layerGroup, source).length > 0) {
                seen.add(name);
            }
        }
        List<String> weighted = new ArrayList<>(seen);
        List<LayerSpec> layers = architecture.layers();
        Map<Integer, String> chosen = byName(weighted, layers, group.path(), source);
        if (chosen == null) {
            // Keras's default names (dense_1, batch_normalization_2) say each layer's class: match by class, and name
            // any layer the network lacks; other names only by order
            boolean defaultNames = weighted.stream().allMatch(name -> LayerFormats.isDefaultNameBase(keyBase(name)));
            chosen = byClass(weighted, layers, group.path(), source, defaultNames);
        }
        if (chosen == null) {
            chosen = byOrder(weighted, layers, group.path(), source);
        }
        List<List<Tensor>> weights = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            List<Tensor> tensors = new ArrayList<>();
            String layerName = chosen.get(i);
            if (layerName != null) {
                Hdf5Group layerGroup = group.group(layerName);
                for (String weightName : weightNames(layerGroup, source)) {
                    tensors.add(tensor(layerGroup.dataset(weightName), budget));
                }
            }
            weights.add(tensors);
        }
        return weights;
    }

    private static String[] weightNames(Hdf5Group layerGroup, String source) throws ModelFormatException, Hdf5FormatException {
        Hdf5Attribute names = attribute(layerGroup, "weight_names", source);
        return names.size() == 0 ? new String[0] : names.stringValues();
    }

    /**
     * Layers matched by name, when every layer with weights finds its name among the file's layers with weights;
     * null otherwise. The file may hold no weights for layers the model lacks.
     */
    private static Map<Integer, String> byName(List<String> weighted, List<LayerSpec> layers, String group, String source) throws ModelFormatException {
        Map<Integer, String> chosen = new HashMap<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        java.util.Set<String> inFile = new java.util.HashSet<>(weighted);
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            names.add(layer.name());
            if (inFile.contains(layer.name())) {
                chosen.put(i, layer.name());
            } else if (layer.hasWeights()) {
                return null;
            }
        }
        List<String> extra = weighted.stream().filter(name -> !names.contains(name)).toList();
        if (!extra.isEmpty()) {
            throw lacking(source, group, extra, layers);
        }
        return chosen;
    }

    /**
     * Layers matched class by class, in order: the k-th Dense layer with the k-th file entry named {@code dense},
     * {@code dense_1}, ... (Keras 3 counts {@code dense}, {@code dense_1}; tf.keras 2.12-2.15 {@code dense},
     * {@code dense_2}, {@code dense_4}, since it visits each layer twice). This is how Keras itself loads these
     * layouts, whatever the layers' own names.
     *
     * @param strict whether to refuse a mismatch (the vars layouts) or return null so that order is tried (legacy
     *     files, whose entries are named after the layers, not their classes)
     */
    private static Map<Integer, String> byClass(List<String> keys, List<LayerSpec> layers, String where, String source,
            boolean strict) throws ModelFormatException {
        Map<String, List<String>> keysByBase = new LinkedHashMap<>();
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.comparing(KerasWeights::keyBase).thenComparingLong(KerasWeights::keySuffix));
        for (String key : sorted) {
            keysByBase.computeIfAbsent(keyBase(key), base -> new ArrayList<>()).add(key);
        }
        Map<Integer, String> chosen = new HashMap<>();
        List<String> missing = new ArrayList<>();
        Map<String, Integer> used = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            if (!layer.hasWeights()) {
                continue;
            }
            String base = LayerConfig.snakeCase(layer.kerasClass());
            int index = used.merge(base, 1, Integer::sum) - 1;
            List<String> candidates = keysByBase.getOrDefault(base, List.of());
            if (index < candidates.size()) {
                chosen.put(i, candidates.get(index));
            } else {
                missing.add(layer.describe());
            }
        }
        List<String> extra = new ArrayList<>();
        keysByBase.forEach((base, candidates) -> extra.addAll(candidates.subList(Math.min(used.getOrDefault(base, 0),
                candidates.size()), candidates.size())));
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            position.putIfAbsent(keys.get(i), i);
        }
        extra.sort(Comparator.comparingInt(position::get)); // in the file's order
        if (!strict && (!missing.isEmpty() || !extra.isEmpty())) {
            return null;
        }
        if (!extra.isEmpty()) {
            throw lacking(source, where, extra, layers);
        }
        if (!missing.isEmpty()) {
            throw new ModelFormatException(source + ": no weights for " + (missing.size() <= 10 ? String.join(", ", missing)
                    : String.join(", ", missing.subList(0, 10)) + " and " + (missing.size() - 10) + " more") + " in " + where
                    + ", which holds weights for " + abbreviated(sorted));
        }
        return chosen;
    }

    /** Layers with weights matched to the file's in order, when neither names nor classes match. */
    private static Map<Integer, String> byOrder(List<String> weighted, List<LayerSpec> layers, String where, String source)
            throws ModelFormatException {
        List<Integer> withWeights = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).hasWeights()) {
                withWeights.add(i);
            }
        }
        if (withWeights.size() != weighted.size()) {
            throw new ModelFormatException(source + ": " + withWeights.size() + " layers with weights "
                    + abbreviated(withWeights.stream().map(i -> layers.get(i).describe()).toList()) + " but " + where
                    + " has weights for " + weighted.size() + " layers " + abbreviated(weighted));
        }
        Map<Integer, String> chosen = new HashMap<>();
        for (int k = 0; k < withWeights.size(); k++) {
            chosen.put(withWeights.get(k), weighted.get(k));
        }
        return chosen;
    }

    /** The file holds weights for layers the model or network lacks: {@code Keras.loadWeights} must not drop them. */
    private static ModelFormatException lacking(String source, String where, List<String> extra, List<LayerSpec> layers) {
        return new ModelFormatException(source + ": " + where + " holds weights for layers "
                + abbreviated(extra) + " that the model lacks (it has " + abbreviated(layers.stream()
                        .filter(LayerSpec::hasWeights).map(LayerSpec::describe).toList())
                + " with weights); load the file onto a network with those layers, or save the weights of this one");
    }

    private static String abbreviated(List<String> names) {
        return names.size() <= 10 ? names.toString() : names.subList(0, 10) + " and " + (names.size() - 10) + " more";
    }

    /**
     * Keras 3 and tf.keras 2.12+: layers matched to {@code <container>/<prefix><key>/vars} class by class; the prefix
     * is empty but for files saved on Windows, whose layer links carry their parent's name and a backslash.
     */
    private static List<List<Tensor>> readVarsLayout(Hdf5Group container, String prefix, Architecture architecture,
            String source, Budget budget) throws ModelFormatException, Hdf5FormatException {
        return readVarsLayout(container, prefix, architecture.layers(), source, budget, 0);
    }

    /**
     * The vars layout of one model's layers. A nested model (a {@link GraphModel.NestedSpec}) keeps its layers'
     * weights under {@code <key>/layers/...} (tf.keras: {@code <key>/_layer_checkpoint_dependencies/...}), read the
     * same way and returned as one list in its layers' order.
     */
    private static List<List<Tensor>> readVarsLayout(Hdf5Group container, String prefix, List<LayerSpec> layers,
            String source, Budget budget, int depth) throws ModelFormatException, Hdf5FormatException {
        List<String> keys = new ArrayList<>();
        for (String member : container.memberNames()) {
            if (!member.startsWith(prefix)) {
                continue;
            }
            String key = member.substring(prefix.length());
            if (container.has(member + "/vars") && container.get(member + "/vars").orElse(null) instanceof Hdf5Group vars
                    && hasVariables(vars) || nestedContainer(container, member) != null) {
                keys.add(key);
            }
        }
        Map<Integer, String> chosen = byClass(keys, layers, container.path(), source, true);
        List<List<Tensor>> weights = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            String key = chosen.get(i);
            if (key != null && layers.get(i) instanceof GraphModel.NestedSpec nested) {
                Hdf5Group inner = nestedContainer(container, prefix + key);
                if (inner == null || depth >= GraphModel.MAX_NESTING) {
                    throw new ModelFormatException(source + ": " + container.path() + "/" + prefix + key + " holds no layers"
                            + " for " + nested.describe());
                }
                List<Tensor> all = new ArrayList<>();
                for (List<Tensor> tensors : readVarsLayout(inner, "", nested.model.specs(), source, budget, depth + 1)) {
                    all.addAll(tensors);
                }
                weights.add(all);
            } else {
                weights.add(key == null ? List.of() : variables(container.group(prefix + key + "/vars"), budget));
            }
        }
        return weights;
    }

    /** A nested model's group of layers under {@code member}, or null. */
    private static Hdf5Group nestedContainer(Hdf5Group container, String member) throws Hdf5FormatException {
        for (String inner : new String[] {"layers", "_layer_checkpoint_dependencies"}) {
            if (container.has(member + "/" + inner) && container.get(member + "/" + inner).orElse(null) instanceof Hdf5Group group) {
                return group;
            }
        }
        return null;
    }

    /** Whether a {@code vars} group holds a dataset among {@code 0, 1, ...}, without reading any. */
    private static boolean hasVariables(Hdf5Group vars) throws Hdf5FormatException {
        for (int i = 0; vars.has(String.valueOf(i)); i++) {
            Optional<Hdf5Node> node = vars.get(String.valueOf(i));
            if (node.isPresent() && node.get() instanceof Hdf5Dataset) {
                return true;
            }
        }
        return false;
    }

    /** The datasets {@code 0, 1, ...} of a {@code vars} group, in numeric order. */
    private static List<Tensor> variables(Hdf5Group vars, Budget budget) throws Hdf5FormatException, ModelFormatException {
        List<Tensor> tensors = new ArrayList<>();
        for (int i = 0; vars.has(String.valueOf(i)); i++) {
            Optional<Hdf5Node> node = vars.get(String.valueOf(i));
            if (node.isPresent() && node.get() instanceof Hdf5Dataset dataset) {
                tensors.add(tensor(dataset, budget));
            }
        }
        return tensors;
    }

    private static String keyBase(String key) {
        int underscore = key.lastIndexOf('_');
        return underscore > 0 && key.substring(underscore + 1).matches("\\d{1,9}") ? key.substring(0, underscore) : key;
    }

    private static long keySuffix(String key) {
        int underscore = key.lastIndexOf('_');
        return underscore > 0 && key.substring(underscore + 1).matches("\\d{1,9}") ? Long.parseLong(key.substring(underscore + 1)) : 0;
    }

    private static Tensor tensor(Hdf5Dataset dataset, Budget budget) throws Hdf5FormatException, ModelFormatException {
        budget.spend(dataset);
        return new Tensor(dataset.shape(), dataset.readFloats(), dataset.path());
    }

    private static Hdf5Attribute attribute(Hdf5Group group, String name, String source) throws ModelFormatException {
        Hdf5Attribute attribute = group.attributes().get(name);
        if (attribute == null) {
            throw new ModelFormatException(source + ": group " + group.path() + " lacks the \"" + name + "\" attribute");
        }
        return attribute;
    }
}
