package dev.nncore.internal.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Variable-length string elements that all point to one large global heap object: 100,000 references to one MiB
 * would once have decoded to 100,000 Strings of a MiB each (about 100 GB); each object is now decoded once and
 * shared, and distinct lengths of one object may together decode to no more than the file's size.
 */
class Hdf5SharedStringsTest {

    private static final int MIB = 1 << 20;

    /** A file with one variable-length string of a MiB, and the 16 bytes (length, collection, index) that point to it. */
    private static byte[] fileWithALargeString() {
        return new Hdf5Writer().attribute("/", "model_config", "x".repeat(MIB)).toBytes();
    }

    private static byte[] reference(byte[] file, long length) {
        ByteBuffer bytes = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int collection = -1;
        for (int i = 0; i + 4 <= file.length; i++) {
            if (file[i] == 'G' && file[i + 1] == 'C' && file[i + 2] == 'O' && file[i + 3] == 'L') {
                collection = i;
                break;
            }
        }
        for (int i = 0; i + 16 <= file.length; i++) {
            if (bytes.getInt(i) == MIB && bytes.getLong(i + 4) == collection) {
                return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt((int) length).putLong(collection)
                        .putInt(bytes.getInt(i + 12)).array();
            }
        }
        throw new AssertionError("no reference to the heap object in the file");
    }

    @Test
    void aHundredThousandReferencesToOneHeapObjectDecodeItOnce() throws Exception {
        byte[] file = fileWithALargeString();
        FileContext ctx = FileContext.open(file, Hdf5File.DEFAULT_MAX_DATASET_BYTES);
        Hdf5DataType type = Hdf5File.open(file).root().attributes().get("model_config").dataType();
        byte[] one = reference(file, MIB);
        int count = 100_000;
        ByteBuffer elements = ByteBuffer.allocate(16 * count);
        for (int i = 0; i < count; i++) {
            elements.put(one);
        }
        String[] strings = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> Values.strings(ctx, elements.array(), type, count, "attribute 'name' of /vars"));
        assertThat(strings).hasSize(count);
        assertThat(strings[0]).hasSize(MIB);
        assertThat(strings[count - 1]).isSameAs(strings[0]);
    }

    @Test
    void distinctLengthsOfOneHeapObjectMayNotDecodeToMoreThanTheFile() throws Exception {
        byte[] file = fileWithALargeString();
        FileContext ctx = FileContext.open(file, Hdf5File.DEFAULT_MAX_DATASET_BYTES);
        Hdf5DataType type = Hdf5File.open(file).root().attributes().get("model_config").dataType();
        int count = 10_000;
        byte[] one = reference(file, MIB);
        ByteBuffer elements = ByteBuffer.allocate(16 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            elements.put(one).putInt(16 * i, MIB - i);
        }
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(
                () -> Values.strings(ctx, elements.array(), type, count, "attribute 'name' of /vars"))
                .isInstanceOf(Hdf5FormatException.class)
                .hasMessageContaining("variable-length string 1 of attribute 'name' of /vars")
                .hasMessageEndingWith("variable-length strings decode to more than the file's " + file.length
                        + " bytes (distinct lengths of shared heap objects)"));
    }

    @Test
    void aStringValueOfManyElementsIsRefusedBeforeDecoding() throws Exception {
        String[] names = new String[1_000];
        java.util.Arrays.fill(names, "n");
        Hdf5File file = Hdf5File.open(new Hdf5Writer().attribute("/", "model_config", names).toBytes());
        assertThatThrownBy(() -> file.root().attributes().get("model_config").stringValue())
                .isInstanceOf(Hdf5FormatException.class)
                .hasMessage("attribute 'model_config' of / holds 1000 strings, expected one");
    }
}
