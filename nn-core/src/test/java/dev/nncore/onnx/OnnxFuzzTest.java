package dev.nncore.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nncore.Network;
import dev.nncore.keras.ModelFormatException;
import dev.nncore.keras.UnsupportedModelException;
import dev.nncore.math.Matrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ONNX reader, fed {@value #VARIANTS} mutated and truncated variants (by default) of each test file, generated
 * from a fixed seed, as {@code KerasFuzzTest} does for the Keras readers: each variant must end in a
 * {@link ModelFormatException} (or {@link UnsupportedModelException}) naming the source, or in a network that
 * computes; never in another exception, an error, or a hang. The reader is called through the package-private byte
 * entry point, which lacks {@link Onnx}'s last-resort guard, so a runtime exception is a finding here.
 *
 * <p>To reproduce a failure, the report names the file and the variant's seed: {@code new Random(seed)} fed to
 * {@link #mutate} gives the same bytes. {@code -Dnncore.onnx.fuzz.variants=100000} explores further.
 */
@Tag("slow")   // kernel-independent and slow: .ci/run runs it once, not on each kernel pass
class OnnxFuzzTest {

    static final int VARIANTS = Integer.getInteger("nncore.onnx.fuzz.variants", 10_000);
    private static final long SEED = Long.getLong("nncore.fuzz.seed", 0);
    private static final Duration MAX_PER_FILE = Duration.ofSeconds(Math.max(60, VARIANTS / 50));
    private static final long[] INTERESTING = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFFL, 0xFFFFFFFFL,
        -1L, Long.MAX_VALUE, 1L << 40};

    /** Node tests fuzzed with every input a graph input (merges of computed inputs). */
    private static final java.util.Set<String> GRAPH_CASES = java.util.Set.of("node/test_concat_3d_axis_1", "node/test_add",
            "node/test_mean_example", "node/test_max_two_inputs");

    /**
     * One conformance case per operator family, the PyTorch exports (chains and graphs) and nn-core's own fixtures.
     */
    static Stream<String> files() {
        return Stream.of("node/test_gemm_all_attributes", "node/test_gemm_default_vector_bias", "node/test_matmul_2d",
                "node/test_relu", "node/test_leakyrelu", "node/test_prelu_broadcast", "node/test_elu", "node/test_selu_default",
                "node/test_hardsigmoid_default", "node/test_hardswish", "node/test_softmax_example",
                "node/test_logsoftmax_axis_1", "node/test_clip_default_inbounds", "node/test_batchnorm_example",
                "node/test_layer_normalization_2d_axis1", "node/test_flatten_axis1", "node/test_reshape_reduced_dims",
                "node/test_squeeze_negative_axes", "node/test_unsqueeze_axis_2", "node/test_dropout_default_ratio",
                "node/test_cast_DOUBLE_to_FLOAT", "node/test_softplus", "node/test_erf",
                "pytorch/mlp64_opset11.onnx", "pytorch/mlp784_opset13.onnx", "pytorch/bn_gelu_opset13.onnx",
                "pytorch/misc_opset17.onnx", "saved_every_kind.onnx", "node/test_concat_3d_axis_1", "node/test_add",
                "node/test_mean_example", "node/test_max_two_inputs", "node/test_div_bcast",
                "pytorch/two_branches_opset17.onnx", "pytorch/residual_opset11.onnx", "pytorch/merges_opset13.onnx",
                "saved_graph.onnx");
    }

    static byte[] original(String file) throws ModelFormatException {
        if (!file.startsWith("node/")) {
            return OnnxTesting.resource(file);
        }
        if (GRAPH_CASES.contains(file)) { // every input a graph input, as OnnxGraphConformanceTest runs them
            byte[] model = OnnxTesting.resource(file + "/model.onnx");
            return file.startsWith("node/test_concat") ? model : OnnxTesting.withOneAxisInputsAsColumns(model);
        }
        List<byte[]> constants = new ArrayList<>();
        for (int i = 1; OnnxFuzzTest.class.getResource("/onnx/" + file + "/test_data_set_0/input_" + i + ".pb") != null; i++) {
            constants.add(OnnxTesting.resource(file + "/test_data_set_0/input_" + i + ".pb"));
        }
        return OnnxTesting.withInitializers(OnnxTesting.resource(file + "/model.onnx"), constants);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void variantsEndOnlyInTheDocumentedExceptions(String file) throws IOException {
        byte[] original = original(file);
        int[] counts = new int[3];
        List<String> failures = new ArrayList<>();
        long seedBase = SEED + file.hashCode() * 1_000_003L;
        long start = System.nanoTime();
        assertTimeoutPreemptively(MAX_PER_FILE, () -> {
            for (int v = 0; v < VARIANTS; v++) {
                long seed = seedBase + v;
                byte[] variant = mutate(original, new Random(seed));
                try {
                    Network network = Onnx.load(variant, "fuzz.onnx", null);
                    if (network.inputs() <= 1 << 16) {
                        List<Matrix> zeros = new ArrayList<>();
                        for (int i = 0; i < network.inputNames().size(); i++) {
                            zeros.add(Matrix.of(new float[1][OnnxImporter.product(network.inputShape(i))]));
                        }
                        network.forwardAll(zeros);
                    }
                    counts[0]++;
                } catch (UnsupportedModelException e) {
                    counts[2]++;
                    check(e, seed, failures);
                } catch (ModelFormatException e) {
                    counts[1]++;
                    check(e, seed, failures);
                } catch (RuntimeException | Error e) {
                    failures.add("seed " + seed + ": " + e);
                }
            }
        }, () -> "fuzzing " + file + " took over " + MAX_PER_FILE);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("ONNX fuzz %s: %d variants, %d loaded, %d malformed, %d unsupported, %d ms%n", file, VARIANTS,
                counts[0], counts[1], counts[2], millis);
        assertThat(failures).as("variants of %s that ended in something other than the documented exceptions", file)
                .isEmpty();
        assertThat(counts[1] + counts[2]).as("variants refused").isPositive();
    }

    private static void check(ModelFormatException e, long seed, List<String> failures) {
        if (e.getMessage() == null || !e.getMessage().startsWith("fuzz.onnx")) {
            failures.add("seed " + seed + ": message does not name the source: " + e.getMessage());
        }
    }

    /** Byte flips, truncation, splices, and protobuf-aware edits of varints (lengths, dims, types). */
    static byte[] mutate(byte[] bytes, Random random) {
        byte[] out = bytes.clone();
        switch (random.nextInt(6)) {
            case 0, 1 -> {
                int changes = 1 + random.nextInt(4);
                for (int c = 0; c < changes; c++) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
                return out;
            }
            case 2 -> {
                return Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            case 3 -> {
                int from = random.nextInt(bytes.length);
                int length = 1 + random.nextInt(Math.min(64, bytes.length - from));
                ByteArrayOutputStream spliced = new ByteArrayOutputStream();
                spliced.write(bytes, 0, from);
                if (random.nextBoolean()) {
                    spliced.write(bytes, from, length); // duplicate
                    spliced.write(bytes, from, bytes.length - from);
                } else {
                    spliced.write(bytes, from + length, bytes.length - from - length); // delete
                }
                return spliced.toByteArray();
            }
            default -> {
                // replace a varint-looking run (a byte with its top bit set, then one without) by an interesting varint
                int at = random.nextInt(bytes.length);
                int end = at;
                while (end < bytes.length && (bytes[end] & 0x80) != 0 && end - at < 10) {
                    end++;
                }
                long value = INTERESTING[random.nextInt(INTERESTING.length)];
                ByteArrayOutputStream edited = new ByteArrayOutputStream();
                edited.write(bytes, 0, at);
                while ((value & ~0x7FL) != 0) {
                    edited.write((int) (value & 0x7F) | 0x80);
                    value >>>= 7;
                }
                edited.write((int) value);
                edited.write(bytes, Math.min(bytes.length, end + 1), bytes.length - Math.min(bytes.length, end + 1));
                return edited.toByteArray();
            }
        }
    }
}
