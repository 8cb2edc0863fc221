package dev.nncore.keras;

import static dev.nncore.keras.Tfjs.orderedMap;

import dev.nncore.Dense;
import dev.nncore.Network;
import dev.nncore.internal.Json;
import dev.nncore.internal.hdf5.Hdf5Writer;
import dev.nncore.math.Matrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.time.LocalDateTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the Keras 3 {@code .keras} layout: a zip of {@code metadata.json}, {@code config.json} (a Sequential
 * model: an InputLayer, then the Dense layers) and {@code model.weights.h5}, where the k-th Dense layer's kernel
 * and bias are {@code layers/dense_k/vars/0} and {@code /1} (the first is {@code layers/dense}) and each
 * {@code vars} group names its layer, as Keras 3.10 writes them.
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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "metadata.json", Json.write(orderedMap("keras_version", Keras.KERAS_FORMAT_VERSION,
                    "date_saved", "1980-01-01@00:00:00", "generated_by", "nn-core")).getBytes(StandardCharsets.UTF_8));
            put(zip, "config.json", Json.write(config(network)).getBytes(StandardCharsets.UTF_8));
            put(zip, "model.weights.h5", weights(network));
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

    static byte[] weights(Network network) {
        Hdf5Writer writer = new Hdf5Writer();
        writer.group("layers");
        List<Dense> layers = network.layers().stream().map(layer -> (Dense) layer).toList(); // TODO layers
        for (int i = 0; i < layers.size(); i++) {
            Dense layer = layers.get(i);
            String vars = "layers/" + (i == 0 ? "dense" : "dense_" + i) + "/vars";
            writer.group(vars);
            writer.attribute(vars, "name", layer.name());
            Matrix kernel = layer.kernel();
            writer.dataset(vars + "/0", new long[] {kernel.rows(), kernel.cols()}, Keras.flatten(kernel));
            writer.dataset(vars + "/1", new long[] {layer.units()}, layer.bias().getRow(0));
        }
        writer.group("vars");
        writer.attribute("vars", "name", "sequential");
        return writer.toBytes();
    }

    private static Map<String, Object> config(Network network) {
        Map<String, Object> dtype = orderedMap("module", "keras", "class_name", "DTypePolicy",
                "config", orderedMap("name", "float32"), "registered_name", null);
        List<Object> layers = new ArrayList<>();
        List<Object> inputShape = Arrays.asList(null, network.inputs());
        layers.add(orderedMap("module", "keras.layers", "class_name", "InputLayer",
                "config", orderedMap("batch_shape", inputShape, "dtype", "float32", "sparse", false, "name", "input_layer"),
                "registered_name", null));
        for (Dense layer : network.layers().stream().map(layer -> (Dense) layer).toList()) { // TODO layers
            Map<String, Object> config = orderedMap(
                    "name", layer.name(),
                    "trainable", true,
                    "dtype", dtype,
                    "units", layer.units(),
                    "activation", layer.activation().kerasName(),
                    "use_bias", true,
                    "kernel_initializer", orderedMap("module", "keras.initializers", "class_name", "GlorotUniform",
                            "config", orderedMap("seed", null), "registered_name", null),
                    "bias_initializer", orderedMap("module", "keras.initializers", "class_name", "Zeros",
                            "config", Map.of(), "registered_name", null),
                    "kernel_regularizer", null,
                    "bias_regularizer", null,
                    "kernel_constraint", null,
                    "bias_constraint", null);
            layers.add(orderedMap("module", "keras.layers", "class_name", "Dense", "config", config,
                    "registered_name", null, "build_config", orderedMap("input_shape", Arrays.asList(null, layer.inputs()))));
        }
        return orderedMap("module", "keras", "class_name", "Sequential",
                "config", orderedMap("name", "sequential", "trainable", true, "dtype", dtype, "layers", layers),
                "registered_name", null,
                "build_config", orderedMap("input_shape", inputShape));
    }
}
