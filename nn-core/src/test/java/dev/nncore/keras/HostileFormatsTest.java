package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Network;
import dev.nncore.testing.Fixtures;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Files that are valid but unusual, read as the reference readers (h5py, numpy, Python's zipfile) read them, or
 * refused: an HDF5 user block, zips whose central directory and local headers disagree, .npy headers numpy writes
 * or refuses. The HDF5 files come from {@code hostile/make_hostile.py}.
 */
class HostileFormatsTest {

    @Test
    void aWeightsFileWithAUserBlockLoads() throws IOException {
        Network network = Network.builder(3).dense(2, Activation.LINEAR).build();
        Network loaded = Keras.loadWeights(Fixtures.bytes("/hostile/h5py_userblock.weights.h5"), "user.weights.h5", network);
        Dense dense = (Dense) loaded.layers().get(0);
        assertThat(dense.kernel().toArray()).isEqualTo(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        assertThat(dense.bias().getRow(0)).containsExactly(0.5f, -0.5f);
    }

    private static java.util.List<Numpy.Array> npy(String name) throws ModelFormatException {
        return Numpy.readNpy(Fixtures.bytes("/hostile/" + name), name);
    }

    @Test
    void npyHeadersAreReadAsPythonLiteralsTheWayNumpyReadsThem() throws ModelFormatException {
        // make_npy.py: numpy reads float64 (2, 1) [1.5, -2.25]; pattern matching read the first descr and shape
        Numpy.Array duplicate = npy("npy_duplicate_keys.npy").get(0);
        assertThat(duplicate.shape()).containsExactly(2, 1);
        assertThat(duplicate.values()).containsExactly(1.5f, -2.25f);
        Numpy.Array quoted = npy("npy_double_quotes.npy").get(0);
        assertThat(quoted.shape()).containsExactly(2);
        assertThat(quoted.values()).containsExactly(1.5f, -2.25f);
        Numpy.Array commented = npy("npy_shape_in_a_comment.npy").get(0);
        assertThat(commented.shape()).containsExactly(2);
        assertThat(commented.values()).containsExactly(1.5f, -2.25f);
    }

    @Test
    void npyHeadersNumpyRefusesAreRefused() {
        assertThatThrownBy(() -> npy("npy_extra_key.npy")).isInstanceOf(ModelFormatException.class)
                .hasMessage("npy_extra_key.npy (array 0 at offset 0): the .npy header has the keys [descr, fortran_order,"
                        + " shape, extra], numpy's has exactly descr, fortran_order and shape");
        assertThatThrownBy(() -> npy("npy_missing_key.npy")).isInstanceOf(ModelFormatException.class)
                .hasMessage("npy_missing_key.npy (array 0 at offset 0): the .npy header has the keys [descr, shape],"
                        + " numpy's has exactly descr, fortran_order and shape");
        assertThatThrownBy(() -> npy("npy_shape_not_tuple.npy")).isInstanceOf(ModelFormatException.class)
                .hasMessage("npy_shape_not_tuple.npy (array 0 at offset 0): .npy header at character 50: (x) is x, not a"
                        + " tuple: numpy's shape of one dimension is written (x,)");
        assertThatThrownBy(() -> npy("npy_not_python.npy")).isInstanceOf(ModelFormatException.class)
                .hasMessage("npy_not_python.npy (array 0 at offset 0): .npy header at character 34: 'f' starts no Python"
                        + " literal numpy reads");
    }

    @Test
    void zipsWhoseCentralDirectoryAndLocalHeadersDisagreeAreRefused() throws IOException {
        // make_zips.py: Python's zipfile reads only config.json; the local headers also hold a model.weights.h5
        byte[] hidden = Fixtures.bytes("/hostile/zip_hidden_entry.zip");
        assertThatThrownBy(() -> ZipEntries.read(hidden, "hidden.keras")).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("hidden.keras: the zip's central directory (")
                .hasMessageEndingWith("data before the first entry or between the entries is refused");
        // zipfile refuses it too: "File name in directory 'conf1g.json' and header b'config.json' differ"
        byte[] renamed = Fixtures.bytes("/hostile/zip_renamed_in_directory.zip");
        assertThatThrownBy(() -> ZipEntries.read(renamed, "renamed.keras")).isInstanceOf(ModelFormatException.class)
                .hasMessage("renamed.keras: zip entry 0's local header does not match the central directory (name or"
                        + " size)");
        // nn-core's own archives agree with themselves
        Network network = Network.builder(3).dense(2, Activation.RELU).seed(3).build();
        assertThat(ZipEntries.read(KerasZip.write(network), "model.keras")).containsOnlyKeys("metadata.json",
                "config.json", "model.weights.h5");
        assertThat(ZipEntries.read(Keras.npz(network), "weights.npz")).containsOnlyKeys("arr_0.npy", "arr_1.npy");
    }
}
