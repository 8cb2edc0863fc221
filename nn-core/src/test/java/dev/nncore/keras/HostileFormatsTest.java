package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;

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
}
