package dev.nncore.keras;

import dev.nncore.Dense;
import dev.nncore.Network;
import dev.nncore.internal.Json;
import dev.nncore.math.Matrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow.js's layers-model format: {@code model.json} (topology and weights manifest) beside binary shards.
 * Each manifest group's shards are concatenated and its weights laid end to end, so a tensor may straddle two
 * shards. Weights are matched to layers by name ({@code <layer>/kernel}, {@code <layer>/bias}); float32, int32 and
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

    /** Shards read from files in {@code directory}, which they may not leave, even through a symbolic link. */
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
            if (!Files.exists(shard)) {
                throw new ModelFormatException(where.source() + ": shard \"" + relative + "\" does not exist beside model.json");
            }
            if (!Files.isRegularFile(shard) || !shard.toRealPath().startsWith(directory.toRealPath())) {
                throw new ModelFormatException(where.source() + ": shard \"" + relative + "\" is not a file in the model's"
                        + " directory (a directory, device, or a link to elsewhere)");
            }
            long size = Files.size(shard);
            if (size > budget) {
                throw new ModelFormatException(where.source() + ": shard \"" + relative + "\" has " + size + " bytes, over what"
                        + " is left of the limit of " + Limits.current().maxFileBytes() + " bytes for all shards (raise it with"
                        + " -Dnncore.maxFileBytes)");
            }
            try {
                byte[] bytes = Files.readAllBytes(shard);
                if (bytes.length > budget) { // grew since Files.size
                    throw new ModelFormatException(where.source() + ": shard \"" + relative + "\" grew while being read");
                }
                return bytes;
            } catch (NoSuchFileException e) {
                throw new ModelFormatException(where.source() + ": shard \"" + relative + "\" does not exist beside model.json");
            }
        };
    }

    static Network read(Map<String, Object> modelJson, String source, Shards shards) throws IOException {
        JsonView root = new JsonView(modelJson, "", source);
        if (root.has("format") && root.get("format").isString() && !"layers-model".equals(root.get("format").asString())) {
            throw new UnsupportedModelException(source + ": TensorFlow.js format \"" + root.get("format").asString()
                    + "\" is a converted graph model; nn-core reads layers models (format \"layers-model\")");
        }
        Architecture architecture = Architecture.parse(root.get("modelTopology").raw(), source + " modelTopology");
        Map<String, float[]> byName = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        long budget = Math.min(Limits.current().maxFileBytes(), Limits.MAX_ARRAY_BYTES);
        Map<String, byte[]> read = new HashMap<>();
        for (JsonView group : root.get("weightsManifest").elements()) {
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
        List<float[][]> kernels = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        Map<String, String> bySuffix = bySuffix(new java.util.TreeSet<>(byName.keySet()));
        for (Architecture.DenseLayer layer : architecture.layers()) {
            String kernelName = find(byName, bySuffix, layer.name(), "kernel", source);
            long[] shape = shapes.get(kernelName);
            if (shape.length != 2) {
                throw new ModelFormatException(source + ": weight \"" + kernelName + "\" has shape " + java.util.Arrays.toString(shape)
                        + "; a Dense kernel is [in][out]");
            }
            kernels.add(rows(byName.get(kernelName), shape[0], shape[1], source + ": weight \"" + kernelName + "\""));
            if (layer.useBias()) {
                String biasName = find(byName, bySuffix, layer.name(), "bias", source);
                if (shapes.get(biasName).length != 1) {
                    throw new ModelFormatException(source + ": weight \"" + biasName + "\" has shape "
                            + java.util.Arrays.toString(shapes.get(biasName)) + "; a Dense bias is 1-D");
                }
                biases.add(byName.get(biasName));
            } else {
                biases.add(null);
            }
        }
        return architecture.build(kernels, biases);
    }

    private static String find(Map<String, float[]> byName, Map<String, String> bySuffix, String layer, String role,
            String source) throws ModelFormatException {
        String exact = layer + "/" + role;
        if (byName.containsKey(exact)) {
            return exact;
        }
        // under a scope, e.g. "sequential/dense/kernel" for "dense/kernel" (Keras layer names have no '/')
        String scoped = layer.indexOf('/') < 0 ? bySuffix.get(exact) : null;
        if (scoped != null) {
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
     * A manifest group's shards, end to end; at most {@code budget} bytes in all. Each path is read once however
     * often the manifest lists it, so a million repetitions of one small shard cost memory within the budget, not a
     * million file reads.
     */
    private static byte[] concatenateShards(JsonView paths, Shards shards, long budget, Map<String, byte[]> read)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonView pathView : paths.elements()) {
            String path = pathView.asString();
            byte[] shard = read.get(path);
            if (shard == null) {
                shard = shards.read(path, pathView, budget - out.size());
                read.put(path, shard);
            } else if (shard.length > budget - out.size()) {
                throw new ModelFormatException(pathView.source() + ": the shards listed exceed the limit of "
                        + Limits.current().maxFileBytes() + " bytes (raise it with -Dnncore.maxFileBytes)");
            }
            out.write(shard);
        }
        return out.toByteArray();
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

    /** {@code model.json} for {@code network}, with one shard named {@code weightsFile}. */
    static String modelJson(Network network, String weightsFile, String generatedBy) {
        List<Object> layers = new ArrayList<>();
        List<Object> manifest = new ArrayList<>();
        for (int i = 0; i < network.layers().size(); i++) {
            Dense layer = (Dense) network.layers().get(i); // TODO layers
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("units", layer.units());
            config.put("activation", layer.activation().kerasName());
            config.put("use_bias", true);
            config.put("kernel_initializer", orderedMap("class_name", "VarianceScaling", "config",
                    orderedMap("scale", 1, "mode", "fan_avg", "distribution", "uniform", "seed", null)));
            config.put("bias_initializer", orderedMap("class_name", "Zeros", "config", Map.of()));
            config.put("kernel_regularizer", null);
            config.put("bias_regularizer", null);
            config.put("activity_regularizer", null);
            config.put("kernel_constraint", null);
            config.put("bias_constraint", null);
            config.put("name", layer.name());
            config.put("trainable", true);
            if (i == 0) {
                config.put("batch_input_shape", java.util.Arrays.asList(null, layer.inputs()));
            }
            config.put("dtype", "float32");
            layers.add(orderedMap("class_name", "Dense", "config", config));
            manifest.add(orderedMap("name", layer.name() + "/kernel", "shape", List.of(layer.inputs(), layer.units()),
                    "dtype", "float32"));
            manifest.add(orderedMap("name", layer.name() + "/bias", "shape", List.of(layer.units()), "dtype", "float32"));
        }
        Map<String, Object> topology = orderedMap(
                "class_name", "Sequential",
                "config", orderedMap("name", "sequential", "layers", layers),
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

    /** The weights as one little-endian float32 shard, in manifest order (kernel, bias, per layer). */
    static byte[] weightsBin(Network network) {
        int count = network.parameterCount();
        ByteBuffer buffer = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (Matrix weight : network.getWeights()) {
            for (float[] row : weight.toArray()) {
                for (float value : row) {
                    buffer.putFloat(value);
                }
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
