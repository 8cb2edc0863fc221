package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nncore.Activation;
import dev.nncore.Network;
import dev.nncore.internal.Json;
import dev.nncore.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every reader, fed {@value #VARIANTS} mutated and truncated variants of real files per format, generated from a
 * fixed seed: each variant must end in a {@link ModelFormatException} (or {@link UnsupportedModelException}) whose
 * message names the file, or in a network that computes; never in another exception, an error, or a hang. The
 * readers are called through the package-private byte entry points, which lack {@link Keras}'s last-resort guard,
 * so a runtime exception is a finding here rather than being wrapped.
 *
 * <p>To reproduce a failure, the report names the format, the variant and its seed: {@code new Random(seed)} fed
 * to the same generator gives the same bytes.
 */
@Tag("slow")   // kernel-independent and slow: .ci/run runs it once, not on each kernel pass
class KerasFuzzTest {

    /** Variants per format; {@code -Dnncore.fuzz.variants=1000000} explores further (with more time). */
    static final int VARIANTS = Integer.getInteger("nncore.fuzz.variants", 10_000);
    /** Added to every format's seed; {@code -Dnncore.fuzz.seed=N} explores other variants. */
    private static final long SEED = Long.getLong("nncore.fuzz.seed", 0);
    /**
     * Bounds each variant's memory: no mutation may make a reader inflate or read more than this. With
     * {@code -Dnncore.fuzz.defaultLimits=true} the variants run at the default limits instead, which
     * {@code MemoryModelTest} does in a JVM of a small heap, so that what a file declares is shown to be bounded by
     * what it holds, not by lowered limits.
     */
    private static final Limits SMALL = Boolean.getBoolean("nncore.fuzz.defaultLimits") ? Limits.DEFAULTS
            : new Limits(8 << 20, 8 << 20, 1_000, 1 << 20);
    private static final long MAX_MILLIS_PER_VARIANT = 2_000;
    private static final Duration MAX_PER_FORMAT = Duration.ofSeconds(Math.max(60, VARIANTS / 100));

    /** A reader under test. */
    @FunctionalInterface
    interface Reader<V> {
        Network read(V variant) throws IOException;
    }

    /** What the variants of one format came to. */
    record Outcome(int loaded, int refused, int unsupported, List<String> failures) {
        int total() {
            return loaded + refused + unsupported + failures.size();
        }
    }

    /** The variant being read, so that a hang is reported by name when the preemptive timeout stops it. */
    private static volatile String current = "none yet";

    private static String stuck() {
        return "no variant may hang; stopped while reading " + current;
    }

    static <V> Outcome fuzz(String format, long seed, Function<Random, V> generator, Reader<V> reader, String... fileNames) {
        int loaded = 0;
        int refused = 0;
        int unsupported = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < VARIANTS; i++) {
            long variantSeed = seed * 1_000_003L + i + SEED * 1_000_000_007L;
            V variant = generator.apply(new Random(variantSeed));
            String where = format + " variant " + i + " (new Random(" + variantSeed + "))";
            current = where;
            long start = System.nanoTime();
            try {
                Network network = Limits.overriding(SMALL, () -> reader.read(variant));
                assertThat(network).as(where).isNotNull();
                List<dev.nncore.math.Matrix> zeros = new ArrayList<>();
                for (int input = 0; input < network.inputNames().size(); input++) {
                    int width = 1;
                    for (int dimension : network.inputShape(input)) {
                        width *= dimension;
                    }
                    zeros.add(dev.nncore.math.Matrix.of(new float[1][width]));
                }
                List<dev.nncore.math.Matrix> outputs = network.forwardAll(zeros); // a graph may have several of each
                for (int k = 0; k < outputs.size(); k++) {
                    assertThat(outputs.get(k).cols()).as(where).isEqualTo(network.outputWidth(k));
                }
                loaded++;
            } catch (UnsupportedModelException e) {
                unsupported++;
                checkMessage(e, where, fileNames, failures);
            } catch (ModelFormatException e) {
                refused++;
                checkMessage(e, where, fileNames, failures);
            } catch (Throwable t) {
                StackTraceElement[] trace = t.getStackTrace();
                failures.add(where + ": " + t + (trace.length > 0 ? " at " + trace[0] : "")
                        + (trace.length > 1 ? " < " + trace[1] : "") + (trace.length > 2 ? " < " + trace[2] : ""));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (millis > MAX_MILLIS_PER_VARIANT) {
                failures.add(where + ": took " + millis + " ms");
            }
        }
        return new Outcome(loaded, refused, unsupported, failures);
    }

    private static void checkMessage(ModelFormatException e, String where, String[] fileNames, List<String> failures) {
        String message = e.getMessage();
        if (message == null || message.isBlank() || Arrays.stream(fileNames).noneMatch(message::contains)) {
            failures.add(where + ": message does not name " + Arrays.toString(fileNames) + ": " + message);
        }
    }

    private static void assertClean(Outcome outcome) {
        assertThat(outcome.failures().stream().limit(20).toList()).as("failures (the first 20 of %d)", outcome.failures().size())
                .isEmpty();
        assertThat(outcome.total()).isEqualTo(VARIANTS);
        // The mutations must reach past the first check: some variants fail, and each seed file itself loads.
        assertThat(outcome.refused() + outcome.unsupported()).isGreaterThan(VARIANTS / 10);
    }

    private static <T> T pick(List<T> seeds, Random random) {
        return seeds.get(random.nextInt(seeds.size()));
    }

    static final Tfjs.Shards NO_SHARDS = inMemory(Map.of());

    /** Shards held in memory by path, refused past the budget as files are. */
    static Tfjs.Shards inMemory(Map<String, byte[]> files) {
        return (path, where, budget) -> {
            byte[] bytes = files.get(path);
            if (bytes == null) {
                throw new ModelFormatException(where.source() + ": shard \"" + path + "\" does not exist beside model.json");
            }
            if (bytes.length > budget) {
                throw new ModelFormatException(where.source() + ": shard \"" + path + "\" is over the limit");
            }
            return bytes;
        };
    }

    static Network blankXor() {
        return Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).seed(1).build();
    }

    private static Network threeLayers() {
        return Network.builder(3).dense(5, Activation.RELU, "hidden").dense(4, Activation.TANH).dense(2, Activation.SOFTMAX)
                .seed(2026).build();
    }

    // ---- .keras --------------------------------------------------------------------------------------------------

    private static List<byte[]> kerasSeeds() throws IOException {
        return List.of(Fixtures.bytes("/keras-models/keras3.10.0_xor_mehmetsefabalik.keras"),
                Fixtures.bytes("/keras-models/keras2.13.1_iris_untrained_tyza66.keras"),
                KerasZip.write(threeLayers()));
    }

    @Test
    void kerasZipBytes() throws IOException {
        List<byte[]> seeds = kerasSeeds();
        for (byte[] seed : seeds) {
            assertThat(Keras.load(seed, "fuzz.keras", NO_SHARDS)).isNotNull();
        }
        Outcome outcome = assertTimeoutPreemptively(MAX_PER_FORMAT, () -> fuzz(".keras bytes", 1, random -> {
            byte[] seed = pick(seeds, random);
            if (random.nextInt(4) == 0) { // a size, name length or offset field of a local or central header
                List<Integer> headers = signatures(seed);
                int header = pick(headers, random);
                byte[] out = seed.clone();
                int[] fields = seed[header + 2] == 3 ? new int[] {8, 14, 18, 22, 26, 28} : new int[] {10, 16, 20, 24, 28, 30, 32, 42};
                int field = pick(Arrays.stream(fields).boxed().toList(), random);
                long[] values = {0, 1, 0xFFFF, 0x7FFFFFFFL, 0xFFFFFFFFL, seed.length, 1 << 30};
                Mutations.putInteger(out, header + field, values[random.nextInt(values.length)], field == 8 || field == 10
                        || field == 26 || field == 28 || field == 30 || field == 32 ? 2 : 4, true);
                return out;
            }
            return Mutations.anyBytes(seed, random);
        }, bytes -> Keras.load(bytes, "fuzz.keras", NO_SHARDS), "fuzz.keras"), KerasFuzzTest::stuck);
        assertClean(outcome);
    }

    /** Offsets of local ({@code PK\3\4}) and central ({@code PK\1\2}) zip headers. */
    private static List<Integer> signatures(byte[] zip) {
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i + 3 < zip.length; i++) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && ((zip[i + 2] == 3 && zip[i + 3] == 4) || (zip[i + 2] == 1 && zip[i + 3] == 2))) {
                offsets.add(i);
            }
        }
        return offsets;
    }

    @Test
    void kerasZipEntries() throws IOException {
        List<Map<String, byte[]>> seeds = kerasSeeds().stream().map(Mutations::unzip).toList();
        Outcome outcome = assertTimeoutPreemptively(MAX_PER_FORMAT, () -> fuzz(".keras entries", 2,
                random -> Mutations.zipEntries(pick(seeds, random), random),
                bytes -> Keras.load(bytes, "fuzz.keras", NO_SHARDS), "fuzz.keras"), KerasFuzzTest::stuck);
        assertClean(outcome);
        assertThat(outcome.loaded()).as("harmless mutations load").isPositive();
    }

    // ---- legacy .h5 ----------------------------------------------------------------------------------------------

    @Test
    void legacyH5Models() {
        List<byte[]> seeds = List.of(Fixtures.bytes("/keras-models/keras2.2.4_xor_full_kishikishi-kishio.h5"),
                Fixtures.bytes("/keras-models/keras3.6.0_xor_legacyh5_ArnavKhurana22.h5"));
        Outcome outcome = assertTimeoutPreemptively(MAX_PER_FORMAT, () -> fuzz("legacy .h5", 3, random -> {
            byte[] seed = pick(seeds, random);
            int choice = random.nextInt(10);
            if (choice < 4) { // the model_config JSON inside the file, same length, so the HDF5 stays valid
                int start = modelConfigStart(seed);
                return Mutations.jsonInPlace(seed, start, jsonEnd(seed, start), random);
            }
            return Mutations.anyBytes(seed, random);
        }, bytes -> Keras.load(bytes, "fuzz.h5", NO_SHARDS), "fuzz.h5"), KerasFuzzTest::stuck);
        assertClean(outcome);
        assertThat(outcome.loaded()).as("harmless mutations load").isPositive();
    }

    /** Where the model_config JSON starts: Keras 2 writes {@code {"class_name": ...}}, Keras 3 {@code {"module": ...}}. */
    private static int modelConfigStart(byte[] h5) {
        int start = Integer.MAX_VALUE;
        for (String prefix : new String[] {"{\"class_name\"", "{\"module\""}) {
            int at = Fixtures.indexOf(h5, prefix.getBytes(StandardCharsets.US_ASCII));
            if (at >= 0) {
                start = Math.min(start, at);
            }
        }
        if (start == Integer.MAX_VALUE) {
            throw new IllegalStateException("no model_config JSON in the seed file");
        }
        return start;
    }

    /** The end of the JSON object starting at {@code start}: its closing brace, strings skipped. */
    private static int jsonEnd(byte[] bytes, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < bytes.length; i++) {
            byte b = bytes[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{') {
                depth++;
            } else if (b == '}' && --depth == 0) {
                return i + 1;
            }
        }
        throw new IllegalStateException("no end of JSON");
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        int at = Fixtures.indexOf(haystack, needle);
        if (at < 0) {
            throw new IllegalStateException("not found");
        }
        return at;
    }

    // ---- JSON ----------------------------------------------------------------------------------------------------

    @Test
    void jsonParser() {
        List<String> seeds = List.of(
                new String(Mutations.unzip(Fixtures.bytes("/keras-models/keras3.10.0_xor_mehmetsefabalik.keras"))
                        .get("config.json"), StandardCharsets.UTF_8),
                new String(Fixtures.bytes("/keras-models/keras2.2.4-tf_xor_to_json_kdalkafoukis.json"), StandardCharsets.UTF_8),
                new String(Fixtures.bytes("/interop/tfjs/model.json"), StandardCharsets.UTF_8),
                "{\"a\": [1, -2.5e-3, 1E+2, true, false, null, NaN, -Infinity], \"b\\u00e9\\n\": {\"c\": [[[]]], \"d\": \"\\\\\\\"\"}}");
        List<String> failures = new ArrayList<>();
        int[] parsed = new int[2];
        assertTimeoutPreemptively(MAX_PER_FORMAT, () -> {
            for (int i = 0; i < VARIANTS; i++) {
                Random random = new Random(4 * 1_000_003L + i + SEED * 1_000_000_007L);
                String text = Mutations.json(pick(seeds, random), random);
                current = "JSON variant " + i;
                long start = System.nanoTime();
                try {
                    Json.parse(text);
                    parsed[0]++;
                } catch (Json.ParseException e) {
                    parsed[1]++;
                    if (!e.getMessage().startsWith("JSON at offset ") || e.offset() < 0 || e.offset() > text.length()) {
                        failures.add("variant " + i + ": " + e.getMessage());
                    }
                } catch (Throwable t) {
                    failures.add("variant " + i + ": " + t + " at " + Arrays.toString(Arrays.copyOf(t.getStackTrace(), 3)));
                }
                if ((System.nanoTime() - start) / 1_000_000 > MAX_MILLIS_PER_VARIANT) {
                    failures.add("variant " + i + " took too long");
                }
            }
        }, KerasFuzzTest::stuck);
        assertThat(failures).isEmpty();
        assertThat(parsed[0]).isPositive();
        assertThat(parsed[1]).isGreaterThan(VARIANTS / 10);
    }

    // ---- TF.js ---------------------------------------------------------------------------------------------------

    /** A TF.js model: model.json's bytes and the shards by path. */
    record TfjsModel(byte[] modelJson, Map<String, byte[]> shards) {
    }

    private static TfjsModel tfjsResource(String directory) {
        return new TfjsModel(Fixtures.bytes(directory + "/model.json"), Map.of("weights.bin", Fixtures.bytes(directory + "/weights.bin")));
    }

    /** nn-core's TF.js output with every weight quantised to {@code dtype}, as the TF.js converter writes it. */
    @SuppressWarnings("unchecked")
    static TfjsModel quantised(String dtype) {
        Network network = threeLayers();
        Map<String, Object> model = Json.parseObject(Tfjs.modelJson(network, "weights.bin", "test"));
        Map<String, Object> group = (Map<String, Object>) ((List<Object>) model.get("weightsManifest")).get(0);
        ByteBuffer shard = ByteBuffer.allocate(2 * network.parameterCount()).order(ByteOrder.LITTLE_ENDIAN);
        int count = 0;
        for (Object weight : (List<Object>) group.get("weights")) {
            Map<String, Object> entry = (Map<String, Object>) weight;
            entry.put("quantization", "float16".equals(dtype) ? Map.of("dtype", dtype)
                    : Map.of("dtype", dtype, "scale", 0.01, "min", -1.0));
            long values = 1;
            for (Object dimension : (List<Object>) entry.get("shape")) {
                values *= ((Number) dimension).longValue();
            }
            for (int v = 0; v < values; v++, count++) {
                if ("uint8".equals(dtype)) {
                    shard.put((byte) (count * 37));
                } else {
                    shard.putShort((short) ("float16".equals(dtype) ? 0x3c00 + count : count * 997));
                }
            }
        }
        return new TfjsModel(Json.write(model).getBytes(StandardCharsets.UTF_8),
                Map.of("weights.bin", Arrays.copyOf(shard.array(), shard.position())));
    }

    /** The interop model with its shard split into two at an odd offset, so a tensor straddles them. */
    @SuppressWarnings("unchecked")
    private static TfjsModel twoShards() {
        TfjsModel model = tfjsResource("/interop/tfjs");
        Map<String, Object> json = Json.parseObject(new String(model.modelJson(), StandardCharsets.UTF_8));
        Map<String, Object> group = (Map<String, Object>) ((List<Object>) json.get("weightsManifest")).get(0);
        group.put("paths", List.of("group1-shard1of2.bin", "group1-shard2of2.bin"));
        byte[] shard = model.shards().get("weights.bin");
        return new TfjsModel(Json.write(json).getBytes(StandardCharsets.UTF_8), Map.of(
                "group1-shard1of2.bin", Arrays.copyOf(shard, 37), "group1-shard2of2.bin", Arrays.copyOfRange(shard, 37, shard.length)));
    }

    /** Topologies of the other shapes Architecture reads, for a 2-2-1 network of layers "hidden" and "out". */
    private static final List<String> TOPOLOGIES = List.of(
            // Keras 2 functional: layers out of order, inbound_nodes as [[[name, node, tensor, {}]]]
            "{\"class_name\": \"Model\", \"config\": {\"name\": \"m\", \"layers\": ["
                    + "{\"name\": \"out\", \"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 1, \"activation\": \"linear\"},"
                    + " \"inbound_nodes\": [[[\"hidden\", 0, 0, {}]]]},"
                    + "{\"name\": \"in\", \"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 2], \"name\": \"in\"},"
                    + " \"inbound_nodes\": []},"
                    + "{\"name\": \"hidden\", \"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 2, \"activation\": \"relu\"},"
                    + " \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]}],"
                    + " \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"out\", 0, 0]]}}",
            // Keras 3 functional: keras_history tensors
            "{\"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": ["
                    + "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 2], \"name\": \"in\"},"
                    + " \"name\": \"in\", \"inbound_nodes\": []},"
                    + "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 2,"
                    + " \"activation\": \"relu\"}, \"name\": \"hidden\", \"inbound_nodes\": [{\"args\": [{\"class_name\": \"__keras_tensor__\","
                    + " \"config\": {\"shape\": [null, 2], \"keras_history\": [\"in\", 0, 0]}}], \"kwargs\": {}}]},"
                    + "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 1,"
                    + " \"activation\": \"linear\"}, \"name\": \"out\", \"inbound_nodes\": [{\"args\": [{\"class_name\": \"__keras_tensor__\","
                    + " \"config\": {\"shape\": [null, 2], \"keras_history\": [\"hidden\", 0, 0]}}], \"kwargs\": {}}]}],"
                    + " \"input_layers\": [\"in\", 0, 0], \"output_layers\": [\"out\", 0, 0]}}",
            // Sequential with a serialised function, Dropout, Flatten and a Softmax layer
            "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
                    + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 2], \"name\": \"in\"}},"
                    + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 2, \"activation\": {\"module\": \"builtins\","
                    + " \"class_name\": \"function\", \"config\": \"tanh\", \"registered_name\": \"function\"}}},"
                    + "{\"class_name\": \"Dropout\", \"config\": {\"name\": \"drop\", \"rate\": 0.5}},"
                    + "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flat\"}},"
                    + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 1, \"activation\": null}},"
                    + "{\"class_name\": \"Softmax\", \"config\": {\"name\": \"sm\", \"axis\": -1}}]}}",
            // Sequential with ReLU and Activation layers folded into the Dense layers before them
            "{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 2,"
                    + " \"batch_input_shape\": [null, 2], \"use_bias\": true}},"
                    + "{\"class_name\": \"ReLU\", \"config\": {\"name\": \"r\", \"max_value\": null, \"negative_slope\": 0.0, \"threshold\": 0.0}},"
                    + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 1, \"input_dim\": 2}},"
                    + "{\"class_name\": \"Activation\", \"config\": {\"name\": \"a\", \"activation\": {\"class_name\": \"Sigmoid\"}}}]}",
            // Keras 2 graph: hidden shared (called on in, then on its own output), an Add of both calls, then out
            "{\"class_name\": \"Model\", \"config\": {\"name\": \"g\", \"layers\": ["
                    + "{\"name\": \"in\", \"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 2], \"name\": \"in\"},"
                    + " \"inbound_nodes\": []},"
                    + "{\"name\": \"hidden\", \"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 2, \"activation\": \"relu\"},"
                    + " \"inbound_nodes\": [[[\"in\", 0, 0, {}]], [[\"hidden\", 0, 0, {}]]]},"
                    + "{\"name\": \"sum\", \"class_name\": \"Add\", \"config\": {\"name\": \"sum\"},"
                    + " \"inbound_nodes\": [[[\"hidden\", 0, 0, {}], [\"hidden\", 1, 0, {}], [\"in\", 0, 0, {}]]]},"
                    + "{\"name\": \"out\", \"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 1},"
                    + " \"inbound_nodes\": [[[\"sum\", 0, 0, {}]]]}],"
                    + " \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"out\", 0, 0], [\"hidden\", 1, 0]]}}",
            // Keras 3 graph: a nested Sequential holding hidden, a Maximum merge, two outputs
            "{\"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": ["
                    + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 2], \"name\": \"in\"}, \"name\": \"in\", \"inbound_nodes\": []},"
                    + "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"block\", \"layers\": [{\"class_name\": \"Dense\","
                    + " \"config\": {\"name\": \"hidden\", \"units\": 2, \"activation\": \"relu\"}}]}, \"name\": \"block\","
                    + " \"inbound_nodes\": [{\"args\": [{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"in\", 0, 0]}}], \"kwargs\": {}}]},"
                    + "{\"class_name\": \"Maximum\", \"config\": {\"name\": \"max\"}, \"name\": \"max\", \"inbound_nodes\": [{\"args\": [["
                    + "{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"block\", 0, 0]}},"
                    + "{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"in\", 0, 0]}}]], \"kwargs\": {}}]},"
                    + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 1}, \"name\": \"out\", \"inbound_nodes\": [{\"args\": ["
                    + "{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"max\", 0, 0]}}], \"kwargs\": {}}]}],"
                    + " \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"out\", 0, 0], [\"max\", 0, 0]]}}");

    /** A TF.js model of a 2-2-1 network named hidden and out under {@code topology}. */
    @SuppressWarnings("unchecked")
    private static TfjsModel withTopology(String topology) {
        Network network = Network.builder(2).dense(2, Activation.RELU, "hidden").dense(1, Activation.LINEAR, "out").seed(3).build();
        Map<String, Object> model = Json.parseObject(Tfjs.modelJson(network, "weights.bin", "test"));
        model.put("modelTopology", Json.parse(topology));
        return new TfjsModel(Json.write(model).getBytes(StandardCharsets.UTF_8), Map.of("weights.bin", Tfjs.weightsBin(network)));
    }

    @Test
    void tfjsModels() throws IOException {
        List<TfjsModel> seeds = new ArrayList<>(List.of(tfjsResource("/interop/tfjs"),
                tfjsResource("/keras-models/tfjs_node4.5.0_xor_MartinTintin3"), tfjsResource("/reference/models/xor_2-8-1"),
                quantised("uint8"), quantised("uint16"), quantised("float16"), twoShards()));
        TOPOLOGIES.forEach(topology -> seeds.add(withTopology(topology)));
        for (TfjsModel seed : seeds) {
            assertThat(Keras.load(seed.modelJson(), "model.json", inMemory(seed.shards()))).isNotNull();
        }
        Outcome outcome = assertTimeoutPreemptively(MAX_PER_FORMAT, () -> fuzz("TF.js", 5, random -> {
            TfjsModel seed = pick(seeds, random);
            int choice = random.nextInt(10);
            byte[] json = seed.modelJson();
            Map<String, byte[]> shards = new LinkedHashMap<>(seed.shards());
            if (choice < 7 || choice == 9) { // manifest and topology: shapes, dtypes, paths, names, order
                json = Mutations.json(new String(json, StandardCharsets.UTF_8), random).getBytes(StandardCharsets.UTF_8);
            }
            if (choice >= 7) { // shards truncated, grown, flipped
                String path = pick(new ArrayList<>(shards.keySet()), random);
                shards.put(path, Mutations.anyBytes(shards.get(path), random));
            }
            return new TfjsModel(json, shards);
        }, model -> Keras.load(model.modelJson(), "model.json", inMemory(model.shards())), "model.json"),
                KerasFuzzTest::stuck);
        assertClean(outcome);
        assertThat(outcome.loaded()).as("harmless mutations load").isPositive();
    }

    // ---- numpy ---------------------------------------------------------------------------------------------------

    /** Mutates the header of one array of an .npy sequence: its dict text, version or declared length. */
    static byte[] npyHeader(byte[] npy, Random random) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i + 6 <= npy.length; i++) {
            if ((npy[i] & 0xff) == 0x93 && npy[i + 1] == 'N' && npy[i + 2] == 'U' && npy[i + 3] == 'M' && npy[i + 4] == 'P'
                    && npy[i + 5] == 'Y') {
                starts.add(i);
            }
        }
        int start = pick(starts, random);
        int version = npy[start + 6];
        int lengthBytes = version == 1 ? 2 : 4;
        ByteBuffer buffer = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = version == 1 ? buffer.getShort(start + 8) & 0xffff : buffer.getInt(start + 8);
        int headerStart = start + 8 + lengthBytes;
        String header = new String(npy, headerStart, headerLength, StandardCharsets.ISO_8859_1);
        byte[] out = npy.clone();
        switch (random.nextInt(6)) {
            case 0 -> out[start + 6] = (byte) random.nextInt(5); // version 0 to 4
            case 1 -> Mutations.putInteger(out, start + 8, new long[] {0, 1, 0x7FFF, 0xFFFF, 0x7FFFFFFFL, 0xFFFFFFFFL,
                headerLength + 1, headerLength - 1}[random.nextInt(8)], lengthBytes, true);
            default -> {
                String mutated = switch (random.nextInt(5)) {
                    case 0 -> header.replaceFirst("'shape': \\([^)]*\\)", "'shape': (" + new String[] {"", "0,", "0, 2",
                        "2, 0", "100000000000, 10", "2147483648, 2", "9223372036854775807, 9223372036854775807",
                        "99999999999999999999,", "-1, 2", "2, 2, 2", "2L, 2L", "4611686018427387904, 4", "3,"}[random.nextInt(13)] + ")");
                    case 1 -> header.replaceFirst("'descr': '[^']*'", "'descr': '" + new String[] {"<f4", "<f8", ">f4", ">f8",
                        "|u1", "<i8", "<u8", "<f2", "|O", "<c8", "|b1", "<f16", "<i3", "<U5", "=f4"}[random.nextInt(15)] + "'");
                    case 2 -> header.replace(random.nextBoolean() ? "False" : "True", random.nextBoolean() ? "True" : "Maybe");
                    case 3 -> Mutations.json(header, random);
                    default -> header.substring(0, random.nextInt(header.length() + 1));
                };
                byte[] text = mutated.getBytes(StandardCharsets.ISO_8859_1);
                ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
                rebuilt.write(npy, 0, start + 8);
                boolean keepDeclaredLength = random.nextInt(3) == 0; // else the length field tells the truth
                byte[] length = new byte[lengthBytes];
                Mutations.putInteger(length, 0, keepDeclaredLength ? headerLength : text.length, lengthBytes, true);
                rebuilt.write(length, 0, lengthBytes);
                rebuilt.write(text, 0, text.length);
                rebuilt.write(npy, headerStart + headerLength, npy.length - headerStart - headerLength);
                out = rebuilt.toByteArray();
            }
        }
        return out;
    }

    @Test
    void npzArchives() throws IOException {
        List<byte[]> seeds = List.of(Fixtures.bytes("/numpy/xor_savez.npz"), Fixtures.bytes("/numpy/xor_savez_compressed.npz"),
                Fixtures.bytes("/numpy/xor_float64_fortran.npz"), Fixtures.bytes("/numpy/xor_big_endian.npz"),
                Keras.npz(blankXor())); // nn-core's own
        List<Map<String, byte[]>> entries = seeds.stream().map(Mutations::unzip).toList();
        Network blank = blankXor();
        Outcome outcome = assertTimeoutPreemptively(MAX_PER_FORMAT, () -> fuzz(".npz", 6, random -> {
            int seed = random.nextInt(seeds.size());
            int choice = random.nextInt(10);
            if (choice < 4) {
                Map<String, byte[]> arrays = new LinkedHashMap<>(entries.get(seed));
                String name = pick(new ArrayList<>(arrays.keySet()), random);
                arrays.put(name, npyHeader(arrays.get(name), random));
                return Mutations.zip(arrays, random.nextBoolean());
            }
            if (choice < 6) {
                return Mutations.zipEntries(entries.get(seed), random);
            }
            return Mutations.anyBytes(seeds.get(seed), random);
        }, bytes -> Keras.loadWeights(bytes, "weights.npz", blank), "weights.npz"), KerasFuzzTest::stuck);
        assertClean(outcome);
        assertThat(outcome.loaded()).as("harmless mutations load").isPositive();
    }

    @Test
    void npyFiles() {
        Map<String, byte[]> fortran = Mutations.unzip(Fixtures.bytes("/numpy/xor_float64_fortran.npz"));
        Map<String, byte[]> bigEndian = Mutations.unzip(Fixtures.bytes("/numpy/xor_big_endian.npz"));
        List<byte[]> seeds = List.of(Fixtures.bytes("/numpy/xor_sequence.npy"), concatenate(fortran), concatenate(bigEndian));
        Network blank = blankXor();
        Outcome outcome = assertTimeoutPreemptively(MAX_PER_FORMAT, () -> fuzz(".npy", 7, random -> {
            byte[] seed = pick(seeds, random);
            return random.nextInt(2) == 0 ? npyHeader(seed, random) : Mutations.anyBytes(seed, random);
        }, bytes -> Keras.loadWeights(bytes, "weights.npy", blank), "weights.npy"), KerasFuzzTest::stuck);
        assertClean(outcome);
        assertThat(outcome.loaded()).as("harmless mutations load").isPositive();
    }

    /** The arrays of an npz one after another, as successive np.save calls write them. */
    private static byte[] concatenate(Map<String, byte[]> arrays) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < arrays.size(); i++) {
            byte[] array = arrays.get("arr_" + i + ".npy");
            out.write(array, 0, array.length);
        }
        return out.toByteArray();
    }

    // ---- architecture JSON + weights -----------------------------------------------------------------------------

    @Test
    void architectureJsonAndWeights() throws IOException {
        byte[] nnCoreConfig = Mutations.unzip(KerasZip.write(threeLayers())).get("config.json");
        List<byte[][]> seeds = new ArrayList<>(List.of(
                new byte[][] {Fixtures.bytes("/keras-models/keras2.2.4-tf_xor_to_json_kdalkafoukis.json"),
                    Fixtures.bytes("/keras-models/keras2.2.4-tf_xor_saveweights_kdalkafoukis.h5")},
                new byte[][] {nnCoreConfig, KerasZip.weights(threeLayers())}));
        byte[] hiddenOut = KerasZip.weights(Network.builder(2).dense(2, Activation.RELU, "hidden").dense(1, Activation.LINEAR, "out")
                .seed(3).build());
        for (String topology : TOPOLOGIES) {
            if (!topology.contains("\"block\"")) { // a nested model's weights would lie under layers/sequential/layers
                seeds.add(new byte[][] {topology.getBytes(StandardCharsets.UTF_8), hiddenOut});
            }
        }
        for (byte[][] seed : seeds) {
            assertThat(Keras.load(seed[0], "arch.json", seed[1], "weights.h5")).isNotNull();
        }
        Outcome outcome = assertTimeoutPreemptively(MAX_PER_FORMAT, () -> fuzz("architecture + weights", 8, random -> {
            byte[][] seed = pick(seeds, random);
            int choice = random.nextInt(10);
            byte[] json = choice < 5 || choice == 9
                    ? Mutations.json(new String(seed[0], StandardCharsets.UTF_8), random).getBytes(StandardCharsets.UTF_8) : seed[0];
            byte[] weights = choice >= 5 ? Mutations.anyBytes(seed[1], random) : seed[1];
            return new byte[][] {json, weights};
        }, pair -> Keras.load(pair[0], "arch.json", pair[1], "weights.h5"), "arch.json", "weights.h5"),
                KerasFuzzTest::stuck);
        assertClean(outcome);
        assertThat(outcome.loaded()).as("harmless mutations load").isPositive();
    }
}
