package dev.nncore.keras;

import static dev.nncore.keras.Tfjs.orderedMap;

import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.internal.Json;
import dev.nncore.internal.hdf5.Hdf5Writer;
import dev.nncore.math.Matrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.LocalDateTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the Keras 3 {@code .keras} layout: a zip of {@code metadata.json}, {@code config.json} (a Sequential
 * model: an InputLayer, then every layer with its class's Keras 3 config; for a graph, a Functional model as
 * {@link GraphWriter} writes it) and {@code model.weights.h5}, where the
 * k-th layer of a class keeps its weights under {@code layers/<class in snake case>_k/vars/0, 1, ...} (the first
 * has no {@code _k}: {@code layers/dense}) and each {@code vars} group names its layer, as Keras 3.10 writes them.
 */
final class KerasZip {

    /**
     * The time stamped on every entry: fixed, so the same network gives the same bytes. Two seconds past zip's
     * epoch, because for the epoch itself the JDK adds an extended-time field that depends on the time zone.
     */
    private static final LocalDateTime ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0, 2);

    private KerasZip() {
    }

    static byte[] write(Network network) throws IOException {
        return write(network, null);
    }

    /** With a training setup: its {@code compile_config} in {@code config.json}, its optimizer's variables. */
    static byte[] write(Network network, KerasTraining training) throws IOException {
        Map<String, Object> config = config(network);
        if (training != null) {
            config.put("compile_config", CompileConfig.write(training));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "metadata.json", Json.write(orderedMap("keras_version", Keras.KERAS_FORMAT_VERSION,
                    "date_saved", "1980-01-01@00:00:00", "generated_by", "nn-core")).getBytes(StandardCharsets.UTF_8));
            put(zip, "config.json", Json.write(config).getBytes(StandardCharsets.UTF_8));
            put(zip, "model.weights.h5", weights(network, training));
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(ZIP_EPOCH);
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * The {@code model.weights.h5} of {@code network}: each layer's weights under {@code layers/<key>/vars/0, 1, ...}
     * in {@code get_weights()} order, where the key is Keras's: the class in snake case, counted per class
     * ({@code dense}, {@code dense_1}, {@code batch_normalization}); every layer gets its group, with or without
     * weights, named in the group's {@code name} attribute, as Keras 3.10 writes them.
     */
    static byte[] weights(Network network) {
        return weights(network, null);
    }

    static byte[] weights(Network network, KerasTraining training) {
        Hdf5Writer writer = new Hdf5Writer();
        writer.group("layers");
        Map<String, Integer> perClass = new HashMap<>();
        if (!network.isSequential()) { // a Functional model's layers start with its InputLayers, which have no weights
            for (String input : network.inputNames()) {
                int count = perClass.merge("input_layer", 1, Integer::sum) - 1;
                String vars = "layers/" + (count == 0 ? "input_layer" : "input_layer_" + count) + "/vars";
                writer.group(vars);
                writer.attribute(vars, "name", input);
            }
        }
        for (Layer layer : network.layers()) {
            String base = layer.defaultName();
            int count = perClass.merge(base, 1, Integer::sum) - 1;
            String vars = "layers/" + (count == 0 ? base : base + "_" + count) + "/vars";
            writer.group(vars);
            writer.attribute(vars, "name", layer.name());
            List<Matrix> weights = layer.getWeights();
            for (int i = 0; i < weights.size(); i++) {
                long[] shape = Arrays.stream(layer.weightShape(i)).asLongStream().toArray();
                writer.dataset(vars + "/" + i, shape, Keras.flatten(weights.get(i)));
            }
            List<LayerFormat.Extra> extras = LayerFormats.forLayer(layer).extraWeights(layer);
            for (int i = 0; i < extras.size(); i++) {
                String path = vars + "/" + (weights.size() + i);
                if (extras.get(i).integer()) {
                    writer.dataset(path, new long[0], new long[] {0});
                } else {
                    writer.dataset(path, new long[0], new float[] {0});
                }
            }
        }
        if (training != null) {
            CompileConfig.writeVariables(writer, training);
        }
        writer.group("vars");
        writer.attribute("vars", "name", network.isSequential() ? "sequential" : "functional");
        return writer.toBytes();
    }

    /** Keras 3's float32 dtype policy, as every layer's config gives it. */
    static final Map<String, Object> DTYPE = orderedMap("module", "keras", "class_name", "DTypePolicy",
            "config", orderedMap("name", "float32"), "registered_name", null);

    /**
     * {@code config.json}: a Sequential model of an InputLayer of the network's input shape, then each layer with
     * Keras 3's config of its class and a {@code build_config} of its input shape.
     */
    private static Map<String, Object> config(Network network) {
        if (!network.isSequential()) {
            return orderedMap("module", "keras.src.models.functional", "class_name", "Functional",
                    "config", GraphWriter.config(network, true, "functional"),
                    "registered_name", "Functional",
                    "build_config", orderedMap("input_shape", null));
        }
        List<Object> layers = new ArrayList<>();
        layers.add(InputLayerFormat.kerasEntry(network.inputShape()));
        int[] shape = network.inputShape();
        for (Layer layer : network.layers()) {
            Map<String, Object> config = orderedMap("name", layer.name(), "trainable", true, "dtype", DTYPE);
            config.putAll(LayerFormats.forLayer(layer).kerasConfig(layer));
            layers.add(orderedMap("module", "keras.layers", "class_name", layer.kerasClass(), "config", config,
                    "registered_name", null, "build_config", orderedMap("input_shape", Architecture.batchShape(shape))));
            shape = layer.outputShape(shape);
        }
        return orderedMap("module", "keras", "class_name", "Sequential",
                "config", orderedMap("name", "sequential", "trainable", true, "dtype", DTYPE, "layers", layers),
                "registered_name", null,
                "build_config", orderedMap("input_shape", Architecture.batchShape(network.inputShape())));
    }
}
