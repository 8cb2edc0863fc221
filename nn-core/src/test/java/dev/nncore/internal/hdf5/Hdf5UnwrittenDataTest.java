package dev.nncore.internal.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Storage a valid file never wrote, read as the HDF5 specification defines it: the dataset's fill value (zero when
 * none is declared), also for chunks on pages of a paged fixed-array index that were never initialised (whose
 * addresses read as 0, the superblock). The expected values are what h5py 3.7 (HDF5 1.10.8) reads from the files
 * {@code hostile/make_hostile.py} made.
 */
class Hdf5UnwrittenDataTest {

    private static float[] floats(Hdf5Group root, String path) throws Hdf5FormatException {
        return root.dataset(path).readFloats();
    }

    private static float[] expectedPaged(float fill) {
        float[] values = new float[4096];
        Arrays.fill(values, fill);
        values[0] = 1;
        values[1] = 2;
        values[2] = 3;
        values[2500] = 7;
        return values;
    }

    @Test
    void unwrittenChunksOnUninitialisedPagesReadAsTheFillValue() throws Hdf5FormatException {
        Hdf5Group root = Fixtures.open(Fixtures.resource("hostile/h5py_unwritten_chunks.h5"));
        assertThat(floats(root, "paged_zero_fill")).containsExactly(expectedPaged(0));
        assertThat(floats(root, "paged_fill")).containsExactly(expectedPaged(2.5f));
    }

    @Test
    void declaredFillValuesAreReadForUnwrittenChunksAndContiguousData() throws Hdf5FormatException {
        for (String file : new String[] {"hostile/h5py_unwritten_chunks.h5", "hostile/h5py_unwritten_chunks_v1btree.h5"}) {
            Hdf5Group root = Fixtures.open(Fixtures.resource(file));
            assertThat(floats(root, "chunked_fill")).as(file)
                    .containsExactly(1, 2, -1.5f, -1.5f, 3, 4, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f);
            assertThat(root.dataset("contiguous_fill").readDoubles()).as(file).containsExactly(0.25, 0.25, 0.25);
        }
        Hdf5Group root = Fixtures.open(Fixtures.resource("hostile/h5py_unwritten_chunks.h5"));
        assertThat(floats(root, "contiguous_zero")).containsExactly(0, 0, 0);
    }

    @Test
    void aMillionTinyChunksAreRefusedBeforeTheIndexIsRead() throws Exception {
        byte[] file;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(
                Fixtures.resource("hostile/h5py_million_chunks.h5.gz")))) {
            file = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Hdf5Dataset tiny = Fixtures.open(file).dataset("tiny");
        assertThatThrownBy(tiny::readFloats).isInstanceOf(Hdf5FormatException.class)
                .hasMessage("dataset /tiny: 1100000 chunks of shape [1], more than the 1048576 one dataset may have");
    }
}
