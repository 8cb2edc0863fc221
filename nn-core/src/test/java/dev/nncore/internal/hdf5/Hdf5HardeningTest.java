package dev.nncore.internal.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input: truncated files, random byte mutations and hand-crafted traps (huge dimensions, deflate bombs,
 * cycles, deep nesting, continuation loops). Every case must end in a successful read or an
 * {@link Hdf5FormatException}, quickly, never in another exception or error.
 */
@Tag("slow")   // kernel-independent and slow: .ci/run runs it once, not on each kernel pass
class Hdf5HardeningTest {
    /** Small decode limit so mutated dimensions cannot make the test allocate much. */
    private static final long LIMIT = 4L << 20;

    private static byte[][] fuzzTargets() {
        return new byte[][] {
            Fixtures.resource("keras-models/keras2.2.4_xor_full_kishikishi-kishio.h5"),
            Fixtures.kerasWeights("keras3.10.0_xor_mehmetsefabalik.keras"),
            Fixtures.resource("hdf5/h5py_latest.h5"),
            Fixtures.resource("hdf5/h5py_default.h5"),
            Fixtures.resource("hdf5/h5py_userblock_small_offsets.h5"),
            Fixtures.resource("hdf5/hdf5writer_sample.h5"),
        };
    }

    /** Opens and fully walks {@code bytes}; anything but success or Hdf5FormatException fails the test. */
    private static void readOrFailCleanly(byte[] bytes, String what) {
        try {
            Fixtures.walk(Hdf5File.open(bytes, LIMIT).root());
        } catch (Hdf5FormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } catch (Throwable t) {
            fail(what + ": unexpected " + t, t);
        }
    }

    @Test
    void truncatedFilesFailCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            byte[][] targets = fuzzTargets();
            for (int t = 0; t < targets.length; t++) {
                byte[] full = targets[t];
                int step = t == 0 ? 1 : 41; // every prefix of the first file, a sample of the others
                for (int length = 0; length < full.length; length += step) {
                    byte[] prefix = Arrays.copyOf(full, length);
                    readOrFailCleanly(prefix, "file " + t + " truncated to " + length);
                    // also pretend the truncated file is complete, so parsing goes past the superblock check
                    if (length > 48 && full[8] == 0) {
                        Hdf5Writer.putLong(prefix, 40, length, 8);
                        readOrFailCleanly(prefix, "file " + t + " truncated to " + length + " with patched EOF");
                    }
                }
            }
        });
    }

    @Test
    void randomMutationsFailCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            byte[][] targets = fuzzTargets();
            int[] interesting = {0x00, 0xFF, 0x7F, 0x80, 0x01, 0x02, 0x08, 0x10, 0x40};
            for (int t = 0; t < targets.length; t++) {
                Random random = new Random(1234 + t);
                for (int i = 0; i < 2000; i++) {
                    byte[] mutated = targets[t].clone();
                    int changes = 1 + random.nextInt(4);
                    StringBuilder where = new StringBuilder();
                    for (int c = 0; c < changes; c++) {
                        int at = random.nextInt(mutated.length);
                        mutated[at] = (byte) (random.nextBoolean() ? random.nextInt(256)
                                : interesting[random.nextInt(interesting.length)]);
                        where.append(' ').append(at);
                    }
                    long start = System.nanoTime();
                    readOrFailCleanly(mutated, "file " + t + " mutation " + i + " at" + where);
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertThat(millis).as("file %d mutation %d took too long", t, i).isLessThan(2_000);
                }
            }
        });
    }

    @Test
    void garbageAndEmptyInputAreNotHdf5() {
        assertThatThrownBy(() -> Hdf5File.open(new byte[0])).isInstanceOf(Hdf5FormatException.class)
                .hasMessageContaining("not an HDF5 file");
        byte[] junk = new byte[5000];
        new Random(7).nextBytes(junk);
        assertThatThrownBy(() -> Hdf5File.open(junk)).isInstanceOf(Hdf5FormatException.class)
                .hasMessageContaining("not an HDF5 file");
    }

    @Test
    void unknownVersionsAreNamedWithTheirOffset() throws Exception {
        byte[] file = Hdf5WriterTest.sample().toBytes();
        byte[] badSuperblock = file.clone();
        badSuperblock[8] = 7;
        assertThatThrownBy(() -> Hdf5File.open(badSuperblock)).isInstanceOf(Hdf5FormatException.class)
                .hasMessage("superblock at offset 0x0: unknown version 7");

        byte[] badHeader = file.clone();
        int rootHeader = (int) readLong(file, 64);
        badHeader[rootHeader] = 7;
        assertThatThrownBy(() -> Hdf5File.open(badHeader)).isInstanceOf(Hdf5FormatException.class)
                .hasMessage("object header of / at offset " + Hdf5FormatException.hex(rootHeader)
                        + ": unknown version 7");

        byte[] mustUnderstand = file.clone();
        mustUnderstand[rootHeader + 16] = 0x1F; // first message type: unknown
        mustUnderstand[rootHeader + 20] = (byte) 0x80; // flags: fail if unknown
        assertThatThrownBy(() -> Hdf5File.open(mustUnderstand)).isInstanceOf(Hdf5FormatException.class)
                .hasMessageContaining("message type 0x1f is marked 'fail if unknown' and is not supported");
    }

    @Test
    void checksumsOfVersion2MetadataAreVerified() {
        byte[] file = Fixtures.resource("hdf5/h5py_v108.h5");
        byte[] badSuperblock = file.clone();
        badSuperblock[11] ^= 0x01; // file consistency flags
        assertThatThrownBy(() -> Hdf5File.open(badSuperblock)).isInstanceOf(Hdf5FormatException.class)
                .hasMessage("superblock at offset 0x0: checksum mismatch");
        byte[] badHeader = file.clone();
        int header = indexOf(file, "OHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        badHeader[header + 5] ^= 0x20; // object header flags
        assertThatThrownBy(() -> Fixtures.walk(Hdf5File.open(badHeader).root()))
                .isInstanceOf(Hdf5FormatException.class).hasMessageContaining("checksum mismatch");
    }

    @Test
    void datasetClaimingTrillionsOfElementsFailsWithoutAllocating() throws Exception {
        byte[] file = new Hdf5Writer().dataset("w", new long[] {2, 3}, new float[6]).toBytes();
        byte[] space = {1, 2, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0};
        int at = indexOf(file, space);
        assertThat(at).isPositive();
        byte[] huge = file.clone();
        Hdf5Writer.putLong(huge, at + 8, 1_000_000, 8);
        Hdf5Writer.putLong(huge, at + 16, 1_000_000, 8);
        Hdf5Dataset d = Hdf5File.open(huge).root().dataset("w");
        assertThat(d.shape()).containsExactly(1_000_000L, 1_000_000L);
        assertThatThrownBy(d::readFloats).isInstanceOf(Hdf5FormatException.class)
                .hasMessageContaining("dataset /w holds 4000000000000 bytes, more than the limit");

        byte[] implausible = file.clone();
        Hdf5Writer.putLong(implausible, at + 8, 10_000, 8);
        Hdf5Writer.putLong(implausible, at + 16, 10_000, 8);
        assertThatThrownBy(() -> Hdf5File.open(implausible, Long.MAX_VALUE).root().dataset("w").readFloats())
                .isInstanceOf(Hdf5FormatException.class)
                .hasMessageMatching("dataset /w claims 400000000 bytes, more than a \\d+-byte file can hold even compressed");

        byte[] overflow = file.clone();
        Hdf5Writer.putLong(overflow, at + 8, 1L << 62, 8);
        Hdf5Writer.putLong(overflow, at + 16, 1L << 62, 8);
        assertThatThrownBy(() -> Hdf5File.open(overflow).root().dataset("w").readFloats())
                .isInstanceOf(Hdf5FormatException.class).hasMessageContaining("overflows");

        byte[] beyondFile = file.clone();
        Hdf5Writer.putLong(beyondFile, at + 8, 1000, 8);
        assertThatThrownBy(() -> Hdf5File.open(beyondFile).root().dataset("w").readFloats())
                .isInstanceOf(Hdf5FormatException.class)
                .hasMessageContaining("contiguous storage holds 24 bytes, 12000 needed");
    }

    @Test
    void deflateBombStopsAtTheChunkSize() {
        byte[] zeros = new byte[64 << 20];
        Deflater deflater = new Deflater(9);
        deflater.setInput(zeros);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        byte[] bomb = compressed.toByteArray();
        assertThat(bomb.length).isLessThan(100_000);
        var deflate = new Messages.Filter(Messages.Filter.DEFLATE, null, 0, new int[0]);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThatThrownBy(
                () -> Filters.decode(bomb, java.util.List.of(deflate), 0, 4096, "chunk"))
                .isInstanceOf(Hdf5FormatException.class)
                .hasMessage("chunk: deflate data expands beyond the chunk size (4104 bytes)"));
    }

    @Test
    void unsupportedFilterIsNamed() throws Exception {
        byte[] file = Fixtures.resource("hdf5/h5py_default.h5");
        int name = indexOf(file, "deflate\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(name).isPositive();
        file[name - 8] = 0x01; // filter id 32001 (blosc), little-endian
        file[name - 7] = 0x7D;
        Hdf5Group root = Fixtures.open(file);
        String datasetWithPatchedFilter = null;
        for (String member : root.group("g").memberNames()) {
            try {
                if (root.group("g").get(member).orElseThrow() instanceof Hdf5Dataset d) {
                    d.readDoubles();
                }
            } catch (Hdf5FormatException e) {
                if (e.getMessage().contains("filter 32001 (blosc)")) {
                    datasetWithPatchedFilter = e.getMessage();
                }
            }
        }
        assertThat(datasetWithPatchedFilter).matches(
                "dataset /g/\\w+ uses filter 32001 \\(blosc\\), which is not supported \\(only deflate, shuffle and fletcher32 are\\)");
    }

    @Test
    void groupCyclesAreRefused() throws Exception {
        byte[] file = new Hdf5Writer().group("a/b").toBytes();
        Hdf5Group root = Fixtures.open(file);
        long a = root.group("a").address();
        long b = root.group("a/b").address();
        int entry = indexOf(file, littleEndian(b));
        byte[] cyclic = file.clone();
        Hdf5Writer.putLong(cyclic, entry, a, 8); // a/b now points back to a
        Hdf5Group cyclicRoot = Fixtures.open(cyclic);
        assertThatThrownBy(() -> cyclicRoot.get("a/b")).isInstanceOf(Hdf5FormatException.class)
                .hasMessage("group cycle: /a/b (object header " + Hdf5FormatException.hex(a)
                        + ") is one of its own ancestors");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Fixtures.walk(cyclicRoot));
    }

    @Test
    void softLinkLoopsFanOutAndLinksToAncestorsAreRefused() throws Exception {
        Hdf5Group root = Fixtures.open(Fixtures.resource("hdf5/h5py_softlink_traps.h5"));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThatThrownBy(() -> root.get("self")).isInstanceOf(Hdf5FormatException.class)
                    .hasMessage("soft link /self: more than 32 soft links followed for one path (loop?)");
            assertThatThrownBy(() -> root.get("t/x")).isInstanceOf(Hdf5FormatException.class)
                    .hasMessageContaining("more than 32 soft links followed");
            assertThatThrownBy(() -> root.get("up/root")).isInstanceOf(Hdf5FormatException.class)
                    .hasMessageStartingWith("group cycle: /up/root (object header ");
            assertThat(root.dataset("up/ok").readFloats()).containsExactly(0f, 1f, 2f);
            assertThat(Fixtures.walk(root)).isEqualTo(8);
        });
    }

    @Test
    void bTreeNodeReachedTwiceIsRefused() throws Exception {
        Hdf5Writer w = new Hdf5Writer();
        for (int i = 0; i < 300; i++) {
            w.group("big/g" + i);
        }
        byte[] file = w.toBytes();
        FileContext ctx = FileContext.open(file, LIMIT);
        long big = Fixtures.open(file).group("big").address();
        ObjectHeader header = ObjectHeader.read(ctx, big, "/big");
        long btree = Messages.symbolTable(header.body(header.first(ObjectHeader.SYMBOL_TABLE)), ctx).btreeAddress();
        assertThat(file[(int) btree + 5]).as("root node level").isEqualTo((byte) 1);
        Hdf5Writer.putLong(file, (int) btree + 48, readLong(file, (int) btree + 32), 8); // child 1 := child 0
        assertThatThrownBy(() -> Fixtures.open(file).group("big")).isInstanceOf(Hdf5FormatException.class)
                .hasMessageContaining("is reached twice");
    }

    @Test
    void continuationLoopIsRefused() throws Exception {
        byte[] empty = new Hdf5Writer().toBytes();
        int header = empty.length;
        byte[] file = Arrays.copyOf(empty, header + 40);
        file[header] = 1; // version-1 object header with one continuation message pointing at itself
        Hdf5Writer.putLong(file, header + 2, 1, 2);
        Hdf5Writer.putLong(file, header + 4, 1, 4);
        Hdf5Writer.putLong(file, header + 8, 24, 4);
        Hdf5Writer.putLong(file, header + 16, ObjectHeader.CONTINUATION, 2);
        Hdf5Writer.putLong(file, header + 18, 16, 2);
        Hdf5Writer.putLong(file, header + 24, header + 16, 8);
        Hdf5Writer.putLong(file, header + 32, 24, 8);
        Hdf5Writer.putLong(file, 40, file.length, 8); // end of file
        Hdf5Writer.putLong(file, 64, header, 8); // root object header
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThatThrownBy(() -> Hdf5File.open(file))
                .isInstanceOf(Hdf5FormatException.class).hasMessageContaining("continuation loop"));
    }

    @Test
    void deepNestingIsBounded() throws Exception {
        String path = "g/".repeat(100) + "leaf";
        Hdf5Group root = Fixtures.open(new Hdf5Writer().dataset(path, new long[] {1}, new float[] {1}).toBytes());
        assertThatThrownBy(() -> root.dataset(path)).isInstanceOf(Hdf5FormatException.class)
                .hasMessageContaining("groups nested more than 64 deep");
        assertThat(root.has("g/".repeat(50) + "g")).isTrue();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Fixtures.walk(root));
    }

    @Test
    void oversizedFilesAreRefusedBeforeReading(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.h5");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(Hdf5File.MAX_FILE_BYTES + 1); // sparse: nothing is written
        }
        assertThatThrownBy(() -> Hdf5File.open(big)).isInstanceOf(Hdf5FormatException.class)
                .hasMessageContaining("files over " + Hdf5File.MAX_FILE_BYTES + " bytes are not supported");
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static byte[] littleEndian(long v) {
        byte[] b = new byte[8];
        Hdf5Writer.putLong(b, 0, v, 8);
        return b;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        return dev.nncore.testing.Fixtures.indexOf(haystack, needle);
    }
}
