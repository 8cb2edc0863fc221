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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds each Dense layer's kernel and bias in the HDF5 layouts Keras has used:
 * <ul>
 *   <li>Keras 3 {@code model.weights.h5} (inside {@code .keras}, or alone as {@code .weights.h5}):
 *       {@code layers/<key>/vars/0} and {@code /1}, where {@code key} counts layers by class ({@code dense},
 *       {@code dense_1}, ...) and newer versions put the layer's own name in the {@code vars} group's {@code name}
 *       attribute;
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

    /** The weights of each Dense layer of {@code architecture}, read from an HDF5 file in any Keras layout. */
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
                    return readVarsLayout(root.group(container), architecture, source, budget);
                }
            }
            throw new ModelFormatException(source + ": no Keras weights found (no model_weights, layer_names, layers"
                    + " or _layer_checkpoint_dependencies at the root; it holds " + root.memberNames() + ")");
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
        List<String> layerNames = List.of(attribute(group, "layer_names", source).stringValues());
        List<String> chosen = new ArrayList<>();
        for (Architecture.DenseLayer layer : architecture.layers()) {
            chosen.add(layer.name());
        }
        if (!new java.util.HashSet<>(layerNames).containsAll(chosen)) {
            // Names differ (e.g. weights saved from another instance of the model): take the layers with weights, in order.
            chosen.clear();
            for (String name : layerNames) {
                if (group.has(name) && weightNames(group.group(name), source).length > 0) {
                    chosen.add(name);
                }
            }
            if (chosen.size() != architecture.layers().size()) {
                throw new ModelFormatException(source + ": " + architecture.layers().size() + " Dense layers "
                        + architecture.layers().stream().map(Architecture.DenseLayer::name).toList() + " but " + group.path()
                        + " has weights for " + chosen.size() + " layers " + chosen);
            }
        }
        List<List<Tensor>> weights = new ArrayList<>();
        for (String layerName : chosen) {
            Hdf5Group layerGroup = group.group(layerName);
            String[] weightNames = weightNames(layerGroup, source);
            List<Tensor> tensors = new ArrayList<>();
            for (String weightName : weightNames) {
                tensors.add(tensor(layerGroup.dataset(weightName), budget));
            }
            weights.add(tensors);
        }
        return weights;
    }

    private static String[] weightNames(Hdf5Group layerGroup, String source) throws ModelFormatException, Hdf5FormatException {
        Hdf5Attribute names = attribute(layerGroup, "weight_names", source);
        return names.size() == 0 ? new String[0] : names.stringValues();
    }

    /** Keras 3 and tf.keras 2.12+: match by the {@code vars} group's {@code name} attribute, else by order of key. */
    private static List<List<Tensor>> readVarsLayout(Hdf5Group container, Architecture architecture, String source, Budget budget)
            throws ModelFormatException, Hdf5FormatException {
        List<String> keys = new ArrayList<>();
        for (String key : container.memberNames()) {
            if (container.has(key + "/vars") && hasVariables(container.group(key + "/vars"))) {
                keys.add(key);
            }
        }
        keys.sort(Comparator.comparing(KerasWeights::keyBase).thenComparingLong(KerasWeights::keySuffix));
        // Each vars group's name attribute, read once: the first key in order wins, as a scan per layer would give.
        Map<String, String> keyByLayerName = new HashMap<>();
        for (String key : keys) {
            Hdf5Attribute name = container.group(key + "/vars").attributes().get("name");
            if (name != null) {
                keyByLayerName.putIfAbsent(name.stringValue(), key);
            }
        }
        List<Architecture.DenseLayer> layers = architecture.layers();
        List<String> chosen = new ArrayList<>();
        for (Architecture.DenseLayer layer : layers) {
            String key = keyByLayerName.get(layer.name());
            if (key == null) {
                chosen = null;
                break;
            }
            chosen.add(key);
        }
        if (chosen == null) {
            if (keys.size() != layers.size()) {
                throw new ModelFormatException(source + ": " + layers.size() + " Dense layers in the config but " + keys.size()
                        + " layers with weights in " + container.path() + " " + keys);
            }
            chosen = keys;
        }
        List<List<Tensor>> weights = new ArrayList<>();
        for (String key : chosen) {
            weights.add(variables(container.group(key + "/vars"), budget));
        }
        return weights;
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
