package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.nncore.Activation;
import dev.nncore.Network;
import dev.nncore.internal.Json;
import dev.nncore.testing.Allocations;
import dev.nncore.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-made hostile files, each refused with the exact message a user would see, quickly and without allocating
 * what the file claims: a zip bomb, a zip of 100,000 entries, JSON nested 100,000 deep, an .npy and a TF.js weight
 * of a trillion elements, shard paths that leave the model's directory, an HDF5 external link.
 */
class HostileFilesTest {

    private static final Duration QUICKLY = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private static Network network() {
        return Network.builder(3).dense(5, Activation.RELU, "hidden").dense(2, Activation.SOFTMAX).seed(5).build();
    }

    @Test
    void aZipBombStopsAtTheUnzippedLimit() throws IOException {
        Map<String, byte[]> entries = Mutations.unzip(KerasZip.write(network()));
        entries.put("model.weights.h5", new byte[4 << 20]); // 4 MiB of zeros deflate to about 4 KiB
        Path bomb = Files.write(temp.resolve("bomb.keras"), Mutations.zip(entries, false));
        assertThat(Files.size(bomb)).isLessThan(16 << 10);
        Limits oneMebibyte = new Limits(Limits.DEFAULTS.maxFileBytes(), 1 << 20, Limits.DEFAULTS.maxZipEntries(), Limits.DEFAULTS.maxJsonBytes());
        assertThatThrownBy(() -> Limits.overriding(oneMebibyte, () -> Keras.load(bomb)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("bomb.keras: zip entry \"model.weights.h5\" unpacks past the limit of 1048576 bytes"
                        + " (raise it with -Dnncore.maxUnzippedBytes)");
        // the same file under the default limit is merely not HDF5
        assertThatThrownBy(() -> Keras.load(bomb)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("bomb.keras model.weights.h5: ");
    }

    @Test
    void aZipOfAHundredThousandEntriesStopsAtTheEntryLimit() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < 100_000; i++) {
                ZipEntry entry = new ZipEntry("e" + i);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(0);
                entry.setCompressedSize(0);
                entry.setCrc(new CRC32().getValue());
                zip.putNextEntry(entry);
                zip.closeEntry();
            }
        }
        Path many = Files.write(temp.resolve("many.keras"), bytes.toByteArray());
        assertTimeoutPreemptively(QUICKLY, () -> assertThatThrownBy(() -> Keras.load(many))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("many.keras: more than 10000 zip entries (raise the limit with -Dnncore.maxZipEntries)"));
        assertThat(Limits.DEFAULTS.maxZipEntries()).isEqualTo(10_000);
    }

    @Test
    void jsonNestedAHundredThousandDeepIsRefusedAtTheDepthLimit() throws IOException {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(Json.ParseException.class)
                .hasMessage("JSON at offset 256 (line 1, column 257): nesting deeper than 256 levels");
        Path model = Files.writeString(temp.resolve("deep.json"), "{\"modelTopology\": " + deep + "}");
        assertThatThrownBy(() -> Keras.load(model)).isInstanceOf(ModelFormatException.class)
                .hasMessage("deep.json: JSON at offset 273 (line 1, column 274): nesting deeper than 256 levels");
        Path architecture = Files.writeString(temp.resolve("deep-arch.json"), "{\"config\": " + deep + "}");
        Path weights = Files.write(temp.resolve("w.h5"), KerasZip.weights(network()));
        assertThatThrownBy(() -> Keras.load(architecture, weights)).isInstanceOf(ModelFormatException.class)
                .hasMessage("deep-arch.json: JSON at offset 266 (line 1, column 267): nesting deeper than 256 levels");
    }

    @Test
    void anNpyDeclaringATrillionValuesIsRefusedBeforeAllocating() throws IOException {
        Path huge = Files.write(temp.resolve("huge.npy"), Numpy.npy(new long[] {100_000_000_000L, 10}, new float[4]));
        assertThatThrownBy(() -> Keras.loadWeights(huge, network())).isInstanceOf(ModelFormatException.class)
                .hasMessage("huge.npy (array 0 at offset 0): shape (100000000000, 10) of 4-byte values needs 4000000000000"
                        + " bytes but only 16 remain");
        Path overflow = Files.write(temp.resolve("overflow.npy"),
                Numpy.npy(new long[] {Long.MAX_VALUE, Long.MAX_VALUE}, new float[1]));
        assertThatThrownBy(() -> Keras.loadWeights(overflow, network())).isInstanceOf(ModelFormatException.class)
                .hasMessage("overflow.npy (array 0 at offset 0): shape (9223372036854775807, 9223372036854775807) of 4-byte"
                        + " values needs more than 9223372036854775807 bytes but only 4 remain");
    }

    /** nn-core's TF.js files for {@link #network()}, with model.json edited by {@code edit}. */
    @SuppressWarnings("unchecked")
    private Path tfjs(String directory, java.util.function.Consumer<Map<String, Object>> edit) throws IOException {
        Path dir = temp.resolve(directory);
        Keras.saveTfjs(network(), dir);
        Map<String, Object> json = Json.parseObject(Files.readString(dir.resolve("model.json")));
        edit.accept(json);
        return Files.writeString(dir.resolve("model.json"), Json.write(json));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> group(Map<String, Object> json) {
        return (Map<String, Object>) ((List<Object>) json.get("weightsManifest")).get(0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTfjsWeightOfATrillionElementsIsRefusedBeforeAllocating() throws IOException {
        Path model = tfjs("trillion", json -> ((Map<String, Object>) ((List<Object>) group(json).get("weights")).get(0))
                .put("shape", List.of(1_000_000, 1_000_000)));
        assertThatThrownBy(() -> Keras.load(model)).isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json at weightsManifest[0].weights[0]: weight \"hidden/kernel\" of shape [1000000, 1000000]"
                        + " needs 4000000000000 bytes from offset 0 of its shards, which hold 128 bytes");
        Path overflow = tfjs("overflow", json -> ((Map<String, Object>) ((List<Object>) group(json).get("weights")).get(1))
                .put("shape", List.of(1L << 52, 1L << 52)));
        assertThatThrownBy(() -> Keras.load(overflow)).isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json at weightsManifest[0].weights[1]: weight \"hidden/bias\" of shape [4503599627370496,"
                        + " 4503599627370496] needs more than 9223372036854775807 bytes from offset 60 of its shards, which"
                        + " hold 128 bytes");
        Path empty = tfjs("empty", json -> {
            Map<String, Object> kernel = (Map<String, Object>) ((List<Object>) group(json).get("weights")).get(0);
            kernel.put("shape", List.of(2147483647, 0));
        });
        assertThatThrownBy(() -> Keras.load(empty)).isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json modelTopology at config.layers[0].config: Dense layer \"hidden\" weight \"kernel\""
                        + " (\"hidden/kernel\") has shape [2147483647, 0], expected [3, 5] for input (None, 3); Keras stores"
                        + " kernels as [in, units]");
    }

    @Test
    void shardPathsMayNotLeaveTheModelsDirectory() throws IOException {
        Files.write(temp.resolve("secret.bin"), new byte[128]);
        Path dotDot = tfjs("dotdot", json -> group(json).put("paths", List.of("../secret.bin")));
        assertThatThrownBy(() -> Keras.load(dotDot)).isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json at weightsManifest[0].paths[0]: shard path \"../secret.bin\" leaves the model's"
                        + " directory; shards must sit beside model.json");
        Path absolute = tfjs("absolute", json -> group(json).put("paths", List.of(temp.resolve("secret.bin").toString())));
        assertThatThrownBy(() -> Keras.load(absolute)).isInstanceOf(ModelFormatException.class)
                .hasMessageEndingWith("leaves the model's directory; shards must sit beside model.json");
        Path link = tfjs("link", json -> group(json).put("paths", List.of("link.bin")));
        Files.createSymbolicLink(link.resolveSibling("link.bin"), temp.resolve("secret.bin"));
        assertThatThrownBy(() -> Keras.load(link)).isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json at weightsManifest[0].paths[0]: shard \"link.bin\" is not a file in the model's"
                        + " directory (a directory, device, or a link to elsewhere)");
        Path directory = tfjs("directory", json -> group(json).put("paths", List.of(".")));
        assertThatThrownBy(() -> Keras.load(directory)).isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json at weightsManifest[0].paths[0]: shard path \".\" leaves the model's directory;"
                        + " shards must sit beside model.json");
        Path nul = tfjs("nul", json -> group(json).put("paths", List.of("weights\0.bin")));
        assertThatThrownBy(() -> Keras.load(nul)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("model.json at weightsManifest[0].paths[0]: shard path \"weights\0.bin\" is not a valid path");
    }

    @Test
    void shardsOverTheFileLimitAreRefusedBeforeReading() throws IOException {
        Path model = tfjs("big", json -> group(json).put("paths", List.of("weights.bin", "copy.bin")));
        Path shard = model.resolveSibling("weights.bin");
        Files.write(shard, java.util.Arrays.copyOf(Files.readAllBytes(shard), 5000)); // trailing bytes are allowed
        Files.copy(shard, model.resolveSibling("copy.bin"));
        Limits small = new Limits(8000, Limits.DEFAULTS.maxUnzippedBytes(), Limits.DEFAULTS.maxZipEntries(), Limits.DEFAULTS.maxJsonBytes());
        assertThatThrownBy(() -> Limits.overriding(small, () -> Keras.load(model))).isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json at weightsManifest[0].paths[1]: shard \"copy.bin\" has 5000 bytes, over what is left"
                        + " of the limit of 8000 bytes for all shards (raise it with -Dnncore.maxFileBytes)");
        // one shard listed a million times is refused at its second listing, before anything is concatenated
        Path repeated = tfjs("repeated", json -> group(json).put("paths", java.util.Collections.nCopies(1_000_000, "weights.bin")));
        assertTimeoutPreemptively(QUICKLY, () -> assertThatThrownBy(() -> Limits.overriding(
                new Limits(64 << 20, 1 << 20, 10, 64 << 20), () -> Keras.load(repeated)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json at weightsManifest[0].paths[1]: shard \"weights.bin\" is listed a second time; each"
                        + " shard of a model holds its own bytes"));
        // parsed JSON takes many times its text in memory, so its size has a limit of its own
        assertThatThrownBy(() -> Limits.overriding(new Limits(64 << 20, 1 << 20, 10, 1 << 20), () -> Keras.load(repeated)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json: " + Files.size(repeated) + " bytes of JSON, over the limit of 1048576"
                        + " (raise it with -Dnncore.maxJsonBytes)");
        assertThat(Limits.DEFAULTS.maxJsonBytes()).isEqualTo(16 << 20);
    }

    @Test
    void aTruncatedShardNamesTheWeightThatRunsPastItsEnd() throws IOException {
        Path model = tfjs("short", json -> { });
        Path shard = model.resolveSibling("weights.bin");
        byte[] bytes = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(bytes, 100));
        assertThatThrownBy(() -> Keras.load(model)).isInstanceOf(ModelFormatException.class)
                .hasMessage("model.json at weightsManifest[0].weights[2]: weight \"dense/kernel\" of shape [5, 2] needs 40 bytes"
                        + " from offset 80 of its shards, which hold 100 bytes");
    }

    @Test
    void anHdf5ExternalLinkIsRefusedAndNamesTheFile() throws IOException {
        // h5py_default.h5's group "g" holds an external link to other.h5:/x; renamed in place to "layers" (its name
        // sits in an 8-byte slot of the root's local heap, and "layers" still sorts between "g" and "many"), it is
        // where Keras 3 weights live, so reading them follows the link.
        byte[] file = Fixtures.bytes("/hdf5/h5py_default.h5");
        int name = KerasFuzzTest.indexOf(file, "g\0\0\0\0\0\0\0many".getBytes(StandardCharsets.US_ASCII));
        System.arraycopy("layers\0\0".getBytes(StandardCharsets.US_ASCII), 0, file, name, 8);
        // its dangling soft link would be reported first: rename it to sort after "external" (h5py left a stale copy
        // of the name in the old-style heap before its link message, so rename every copy)
        for (int at = 0; at + 8 <= file.length; at++) {
            if (new String(file, at, 8, StandardCharsets.ISO_8859_1).equals("dangling")) {
                System.arraycopy("zangling".getBytes(StandardCharsets.US_ASCII), 0, file, at, 8);
            }
        }
        Path weights = Files.write(temp.resolve("linked.weights.h5"), file);
        assertThatThrownBy(() -> Keras.loadWeights(weights, network())).isInstanceOf(ModelFormatException.class)
                .hasMessage("linked.weights.h5: external link /layers/external -> other.h5:/x is not supported");
    }

    /**
     * HDF5 datasets can be compressed, or chunked with chunks never written, so a small file can declare gigabytes
     * of weights over many layers; what one file decodes to is bounded in all, from the shapes, before decoding.
     */
    @Test
    void weightsDecodedFromOneHdf5FileAreBoundedInAll() throws IOException {
        Path weights = Files.write(temp.resolve("w.weights.h5"), KerasZip.weights(network()));
        Limits small = new Limits(Limits.DEFAULTS.maxFileBytes(), 100, Limits.DEFAULTS.maxZipEntries(), Limits.DEFAULTS.maxJsonBytes());
        assertThatThrownBy(() -> Limits.overriding(small, () -> Keras.loadWeights(weights, network())))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("w.weights.h5: dataset /layers/dense_1/vars/0 of shape [5, 2] takes the weights read past the"
                        + " limit of 100 bytes for one file (raise it with -Dnncore.maxUnzippedBytes)");
        assertThat(Keras.loadWeights(weights, network())).isEqualTo(network());
    }

    @Test
    void theLastLineOfDefenceWrapsARuntimeExceptionNamingTheFile() {
        assertThatThrownBy(() -> Keras.guard("model.keras", () -> {
            throw new IllegalStateException("a reader bug");
        })).isInstanceOf(ModelFormatException.class)
                .hasMessage("model.keras: malformed file (IllegalStateException: a reader bug)")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    /**
     * A zip entry that declares 600 MiB, plausible for its 1 MiB of compressed bytes, but inflates to 1 MiB: refused
     * after counting, before an array of the declared size is made (the thread allocates well under the lie).
     */
    @Test
    void anOverstatedEntrySizeIsCountedBeforeItIsAllocated() throws Exception {
        byte[] file = HostileBuilds.overstated(1, 600L << 20);
        long thread = Thread.currentThread().getId();
        long before = Allocations.ofThread(thread);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Keras.load(file, "overstated.keras", Tfjs.beside(java.nio.file.Path.of("x"))))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("zip entry \"model.weights.h5\" unpacks to 1048576 bytes, but the central directory says 629145600");
        long allocated = Allocations.ofThread(thread) - before;
        org.assertj.core.api.Assertions.assertThat(allocated).as("bytes allocated refusing the entry").isLessThan(64L << 20);
    }
}
