package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.internal.Json;
import dev.nncore.internal.RegularFiles;
import dev.nncore.math.Matrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow.js's layers-model format: {@code model.json} (topology and weights manifest) beside binary shards.
 * Each manifest group's shards are concatenated and its weights laid end to end, so a tensor may straddle two
 * shards. Weights are matched to layers by name ({@code <layer>/kernel}, {@code <layer>/moving_mean}, possibly under a
 * scope such as {@code sequential/<layer>/kernel}); float32, int32 and
 * the quantised forms (uint8, uint16 and float16 with {@code scale} and {@code min}) are read.
 */
final class Tfjs {

    private Tfjs() {
    }

    static boolean isLayersModel(Map<String, Object> json) {
        return json.containsKey("modelTopology") && json.containsKey("weightsManifest");
    }

    /** Where a model's shards come from: files beside {@code model.json}, or memory in tests. */
    @FunctionalInterface
    interface Shards {
        /**
         * @param path the path the manifest gives, relative to {@code model.json}
         * @param where the manifest entry, for messages
         * @param budget the most bytes the shard may have
         * @return the shard's bytes
         * @throws ModelFormatException if the path is refused, the shard is missing, or it is over {@code budget}
         */
        byte[] read(String path, JsonView where, long budget) throws IOException;
    }

    /**
     * Shards read from files in {@code directory}, which they may not leave, even through a symbolic link. Each shard
     * is opened once and read from that handle, so swapping it for a link between a check and the read cannot reach
     * a file outside: where the platform offers a {@link SecureDirectoryStream} (Linux, macOS), the path is walked
     * from the opened model directory one name at a time without following any symbolic link ({@code openat} with
     * {@code O_NOFOLLOW}); elsewhere the file is opened without following a link in its last name, then its real
     * path is checked. The read stops at the bytes the budget allows, whatever size the file reports.
     */
    static Shards beside(Path modelFile) {
        Path directory = modelFile.toAbsolutePath().normalize().getParent();
        return (relative, where, budget) -> {
            Path shard;
            try {
                shard = directory.resolve(relative).normalize();
            } catch (InvalidPathException e) {
                throw new ModelFormatException(where.source() + ": shard path \"" + relative + "\" is not a valid path ("
                        + e.getReason() + ")");
            }
            if (!shard.startsWith(directory) || shard.equals(directory)) {
                throw new ModelFormatException(where.source() + ": shard path \"" + relative
                        + "\" leaves the model's directory; shards must sit beside model.json");
            }
            try {
                return readShard(directory, directory.relativize(shard), relative, where, budget);
            } catch (NoSuchFileException e) {
                throw new ModelFormatException(where.source() + ": shard \"" + relative + "\" does not exist beside model.json");
            } catch (RegularFiles.RefusedException e) {
                if (e.getMessage().equals("the file is empty")) {
                    return new byte[0];
                }
                throw new ModelFormatException(where.source() + ": shard \"" + relative + "\" grew while being read, past"
                        + " what is left of the limit of " + Limits.current().maxFileBytes() + " bytes for all shards");
            } catch (ModelFormatException | java.nio.file.AccessDeniedException e) {
                throw e;
            } catch (IOException e) {
                // ELOOP from O_NOFOLLOW (a link swapped in), ENOTDIR, EISDIR
                ModelFormatException refused = notAFileInTheDirectory(relative, where);
                refused.initCause(e);
                throw refused;
            }
        };
    }

    private static ModelFormatException notAFileInTheDirectory(String relative, JsonView where) {
        return new ModelFormatException(where.source() + ": shard \"" + relative + "\" is not a file in the model's"
                + " directory (a directory, device, or a link to elsewhere)");
    }

    /** Opens {@code inside} (relative to {@code directory}) once, checks what was opened, and reads it. */
    private static byte[] readShard(Path directory, Path inside, String relative, JsonView where, long budget)
            throws IOException {
        try (DirectoryStream<Path> opened = Files.newDirectoryStream(directory)) {
            if (opened instanceof SecureDirectoryStream<Path> secure) {
                return readSecurely(secure, inside, relative, where, budget);
            }
        }
        Path shard = directory.resolve(inside);
        try (SeekableByteChannel channel = Files.newByteChannel(shard, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(shard, LinkOption.NOFOLLOW_LINKS)
                    || !shard.toRealPath().startsWith(directory.toRealPath())) {
                throw notAFileInTheDirectory(relative, where);
            }
            return readOpened(channel, relative, where, budget);
        }
    }

    /** Reads an opened shard, at most {@code budget} bytes, whatever size it reports. */
    private static byte[] readOpened(SeekableByteChannel channel, String relative, JsonView where, long budget)
            throws IOException {
        long size = channel.size();
        if (size > budget) {
            throw new ModelFormatException(where.source() + ": shard \"" + relative + "\" has " + size + " bytes, over what"
                    + " is left of the limit of " + Limits.current().maxFileBytes() + " bytes for all shards (raise it with"
                    + " -Dnncore.maxFileBytes)");
        }
        return RegularFiles.readAtMost(channel, budget, size);
    }

    /**
     * Walks {@code inside} from the opened directory: every directory on the way is opened relative to the previous
     * one without following links, and the shard itself too; its type is checked by name in the directory already
     * opened (no link can be in between) before it is opened, so a FIFO or device is never opened.
     */
    private static byte[] readSecurely(SecureDirectoryStream<Path> root, Path inside, String relative, JsonView where,
            long budget) throws IOException {
        List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
        try {
            SecureDirectoryStream<Path> current = root;
            for (int i = 0; i < inside.getNameCount() - 1; i++) {
                current = current.newDirectoryStream(inside.getName(i), LinkOption.NOFOLLOW_LINKS);
                opened.add(current);
            }
            Path name = inside.getFileName();
            BasicFileAttributes attributes = current.getFileAttributeView(name, BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes();
            if (!attributes.isRegularFile()) {
                throw notAFileInTheDirectory(relative, where);
            }
            try (SeekableByteChannel channel = current.newByteChannel(name, java.util.Set.of(StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS))) {
                return readOpened(channel, relative, where, budget);
            }
        } finally {
            for (SecureDirectoryStream<Path> stream : opened) {
                stream.close();
            }
        }
    }

    static Network read(Map<String, Object> modelJson, String source, Shards shards) throws IOException {
        JsonView root = new JsonView(modelJson, "", source);
        if (root.has("format") && root.get("format").isString() && !"layers-model".equals(root.get("format").asString())) {
            throw new UnsupportedModelException(source + ": TensorFlow.js format \"" + root.get("format").asString()
                    + "\" is a converted graph model; nn-core reads layers models (format \"layers-model\")");
        }
        JsonView topology = root.get("modelTopology");
        String version = topology.has("keras_version") && topology.get("keras_version").isString()
                ? topology.get("keras_version").asString() : null;
        Architecture architecture = Architecture.parse(topology.raw(), source + " modelTopology",
                Dialect.ofVersion(version, Dialect.KERAS_2));
        Map<String, float[]> byName = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        decode(root.get("weightsManifest"), shards, byName, shapes); // the shards' bytes are garbage once it returns
        Map<String, String> bySuffix = bySuffix(new java.util.TreeSet<>(byName.keySet()));
        List<List<KerasWeights.Tensor>> weights = new ArrayList<>();
        List<String> scopes = architecture.scopes();
        List<LayerSpec> leaves = architecture.leaves();
        for (int l = 0; l < leaves.size(); l++) {
            LayerSpec layer = leaves.get(l);
            List<KerasWeights.Tensor> tensors = new ArrayList<>();
            List<String> names = layer.weightNames();
            for (int i = 0; i < names.size(); i++) {
                boolean optional = i >= names.size() - layer.optionalWeights();
                // a nested model's layer: "block/dense/kernel" first, as its scope names it
                String scoped = scopes.get(l) + layer.name() + "/" + names.get(i);
                String name = !scopes.get(l).isEmpty() && byName.containsKey(scoped) ? scoped
                        : find(byName, bySuffix, layer.name(), names.get(i), source, optional);
                if (name == null) {
                    break;
                }
                tensors.add(new KerasWeights.Tensor(shapes.get(name), byName.get(name), "\"" + name + "\""));
            }
            weights.add(tensors);
        }
        // only the tensors hold the flat arrays now, and build lets each go once its layer has its rows: the peak is
        // the weights twice (flat and rows, then rows and the layer's copy), not three times
        byName.clear();
        return architecture.buildLeaves(weights);
    }

    /**
     * Decodes every weight of the manifest into {@code byName} and {@code shapes}. The shards' bytes live only while
     * this runs.
     */
    private static void decode(JsonView manifest, Shards shards, Map<String, float[]> byName, Map<String, long[]> shapes)
            throws IOException {
        long budget = Math.min(Limits.current().maxFileBytes(), Limits.MAX_ARRAY_BYTES);
        java.util.Set<String> read = new java.util.HashSet<>();
        for (JsonView group : manifest.elements()) {
            byte[] data = concatenateShards(group.get("paths"), shards, budget, read);
            budget -= data.length;
            long offset = 0;
            for (JsonView weight : group.get("weights").elements()) {
                String name = weight.get("name").asString();
                long[] shape = shape(weight.get("shape"));
                Decoder decoder = decoder(weight);
                long bytes = Numpy.byteCount(shape, decoder.bytesPerValue);
                if (bytes > data.length - offset) {
                    throw new ModelFormatException(weight.source() + ": weight \"" + name + "\" of shape "
                            + java.util.Arrays.toString(shape) + " needs " + (bytes == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE
                            : String.valueOf(bytes)) + " bytes from offset " + offset + " of its shards, which hold "
                            + data.length + " bytes");
                }
                byName.put(name, decoder.decode(data, (int) offset, (int) (bytes / decoder.bytesPerValue)));
                shapes.put(name, shape);
                offset += bytes;
            }
        }
    }

    /** The manifest's name for a layer's weight, or null if an optional one is absent. */
    private static String find(Map<String, float[]> byName, Map<String, String> bySuffix, String layer, String role,
            String source, boolean optional) throws ModelFormatException {
        String exact = layer + "/" + role;
        if (byName.containsKey(exact)) {
            return exact;
        }
        // under a scope, e.g. "sequential/dense/kernel" for "dense/kernel" (Keras layer names have no '/')
        String scoped = layer.indexOf('/') < 0 ? bySuffix.get(exact) : null;
        if (scoped != null || optional) {
            return scoped;
        }
        List<String> names = byName.keySet().stream().sorted().limit(20).toList();
        throw new ModelFormatException(source + ": the weights manifest has no \"" + exact + "\" for layer \"" + layer
                + "\" (it has " + names + (byName.size() > 20 ? " and " + (byName.size() - 20) + " more" : "") + ")");
    }

    /**
     * Scoped names by their last two segments, {@code a/b/kernel} as {@code b/kernel}: one lookup per layer instead
     * of a scan of every name, which a manifest of many weights and a config of many layers would make quadratic.
     */
    private static Map<String, String> bySuffix(Iterable<String> names) {
        Map<String, String> suffixes = new HashMap<>();
        for (String name : names) {
            int last = name.lastIndexOf('/');
            int previous = last <= 0 ? -1 : name.lastIndexOf('/', last - 1);
            if (previous >= 0) {
                suffixes.putIfAbsent(name.substring(previous + 1), name);
            }
        }
        return suffixes;
    }

    /**
     * A kernel's values in row-major order as rows, once its shape is known to hold them: an empty kernel is refused
     * before anything is allocated, since a shape such as {@code [2147483647][0]} would otherwise ask for two billion
     * empty rows.
     *
     * @param what the file and weight, for messages
     */
    static float[][] rows(float[] values, long rows, long cols, String what) throws ModelFormatException {
        if (rows < 1 || cols < 1) {
            throw new ModelFormatException(what + " is an empty kernel (shape [" + rows + "][" + cols + "])");
        }
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE || rows * cols != values.length) {
            throw new ModelFormatException(what + " has shape [" + rows + "][" + cols + "] but " + values.length + " values");
        }
        float[][] out = new float[(int) rows][(int) cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(values, r * (int) cols, out[r], 0, (int) cols);
        }
        return out;
    }

    private static long[] shape(JsonView shape) throws ModelFormatException {
        List<JsonView> dimensions = shape.elements();
        long[] out = new long[dimensions.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dimensions.get(i).asNonNegativeLong();
        }
        return out;
    }

    /**
     * A manifest group's shards, end to end; at most {@code budget} bytes in all. A path listed a second time (in any
     * group of the manifest; {@code read} holds the names seen) is refused, so the weights are never more than the
     * bytes of the files really there.
     */
    private static byte[] concatenateShards(JsonView paths, Shards shards, long budget, java.util.Set<String> read)
            throws IOException {
        List<byte[]> parts = new ArrayList<>();
        long total = 0;
        for (JsonView pathView : paths.elements()) {
            String path = pathView.asString();
            if (!read.add(path)) {
                // the converter lists each shard once; one listed 1024 times would make a 1 MiB file 1 GiB of weights
                throw new ModelFormatException(pathView.source() + ": shard \"" + path + "\" is listed a second time;"
                        + " each shard of a model holds its own bytes");
            }
            byte[] shard = shards.read(path, pathView, budget - total);
            parts.add(shard);
            total += shard.length;
        }
        if (parts.size() == 1) {
            return parts.get(0); // one shard (what the converter and saveTfjs write for most models): read, not copied
        }
        // one array of the exact size: no doubling buffer and copy (a shard listed 1024 times took 3x its total)
        byte[] out = new byte[(int) total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** Turns stored bytes into float32 values. */
    private abstract static class Decoder {
        final int bytesPerValue;

        Decoder(int bytesPerValue) {
            this.bytesPerValue = bytesPerValue;
        }

        abstract float value(ByteBuffer buffer);

        float[] decode(byte[] data, int offset, int count) {
            ByteBuffer buffer = ByteBuffer.wrap(data, offset, count * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = value(buffer);
            }
            return values;
        }
    }

    private static Decoder decoder(JsonView weight) throws ModelFormatException {
        String dtype = weight.has("dtype") ? weight.get("dtype").asString() : "float32";
        if (!weight.has("quantization") || weight.get("quantization").isNull()) {
            return switch (dtype) {
                case "float32" -> new Decoder(4) {
                    @Override
                    float value(ByteBuffer buffer) {
                        return buffer.getFloat();
                    }
                };
                case "int32" -> new Decoder(4) {
                    @Override
                    float value(ByteBuffer buffer) {
                        return buffer.getInt();
                    }
                };
                default -> throw new UnsupportedModelException(weight.source() + ": weight dtype \"" + dtype
                        + "\" is not supported (float32, int32 and quantised uint8/uint16/float16 are)");
            };
        }
        JsonView quantization = weight.get("quantization");
        String stored = quantization.get("dtype").asString();
        if ("float16".equals(stored)) {
            return new Decoder(2) {
                @Override
                float value(ByteBuffer buffer) {
                    return halfToFloat(buffer.getShort());
                }
            };
        }
        float scale = (float) quantization.get("scale").asDouble();
        float min = (float) quantization.get("min").asDouble();
        return switch (stored) {
            case "uint8" -> new Decoder(1) {
                @Override
                float value(ByteBuffer buffer) {
                    return (buffer.get() & 0xff) * scale + min;
                }
            };
            case "uint16" -> new Decoder(2) {
                @Override
                float value(ByteBuffer buffer) {
                    return (buffer.getShort() & 0xffff) * scale + min;
                }
            };
            default -> throw new UnsupportedModelException(quantization.source() + ": quantisation dtype \"" + stored
                    + "\" is not supported (uint8, uint16 and float16 are)");
        };
    }

    /** IEEE 754 binary16 to float32 (JDK 20's Float.float16ToFloat, for JDK 17). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-24, exact in float32
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * {@code model.json} for {@code network}, with one shard named {@code weightsFile}: a Sequential model whose first
     * layer carries the network's input shape as {@code batch_input_shape}, and a manifest of every weight in
     * {@code get_weights()} order, named {@code <layer>/<weight>}.
     *
     * @throws IllegalArgumentException if TensorFlow.js cannot express a layer or activation of the network
     */
    static String modelJson(Network network, String weightsFile, String generatedBy) {
        List<Object> layers = new ArrayList<>();
        List<Object> manifest = new ArrayList<>();
        for (int i = 0; i < network.layers().size(); i++) {
            Layer layer = network.layers().get(i);
            LayerFormat format = LayerFormats.forLayer(layer);
            Map<String, Object> config = new LinkedHashMap<>(format.tfjsConfig(layer));
            config.put("name", layer.name());
            config.put("trainable", true);
            if (i == 0 && network.isSequential()) {
                config.put("batch_input_shape", Architecture.batchShape(network.inputShape()));
            }
            config.put("dtype", "float32");
            layers.add(orderedMap("class_name", layer.kerasClass(), "config", config));
            for (int w = 0; w < layer.weightNames().size(); w++) {
                manifest.add(orderedMap("name", layer.name() + "/" + layer.weightNames().get(w),
                        "shape", Arrays.stream(layer.weightShape(w)).boxed().toList(), "dtype", "float32"));
            }
            for (LayerFormat.Extra extra : format.extraWeights(layer)) {
                manifest.add(orderedMap("name", layer.name() + "/" + extra.name(), "shape", List.of(),
                        "dtype", extra.integer() ? "int32" : "float32"));
            }
        }
        Map<String, Object> topology = orderedMap(
                "class_name", network.isSequential() ? "Sequential" : "Model",
                "config", network.isSequential() ? orderedMap("name", "sequential", "layers", layers)
                        : GraphWriter.config(network, false, "model"),
                "keras_version", generatedBy,
                "backend", "tensor_flow.js");
        Map<String, Object> model = orderedMap(
                "modelTopology", topology,
                "format", "layers-model",
                "generatedBy", generatedBy,
                "convertedBy", null,
                "weightsManifest", List.of(orderedMap("paths", List.of(weightsFile), "weights", manifest)));
        return Json.write(model);
    }

    /**
     * The weights as one little-endian shard in manifest order: float32, and each extra scalar (Normalization's
     * {@code count}) as an int32 0, whose four bytes are a float32 0's.
     */
    static byte[] weightsBin(Network network) {
        int count = network.parameterCount();
        int extras = 0;
        for (Layer layer : network.layers()) {
            extras += LayerFormats.forLayer(layer).extraWeights(layer).size();
        }
        ByteBuffer buffer = ByteBuffer.allocate(4 * (count + extras)).order(ByteOrder.LITTLE_ENDIAN);
        for (Layer layer : network.layers()) {
            for (Matrix weight : layer.getWeights()) {
                for (float[] row : weight.toArray()) {
                    for (float value : row) {
                        buffer.putFloat(value);
                    }
                }
            }
            for (int i = 0; i < LayerFormats.forLayer(layer).extraWeights(layer).size(); i++) {
                buffer.putInt(0);
            }
        }
        return buffer.array();
    }

    static Map<String, Object> orderedMap(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
