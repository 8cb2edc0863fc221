package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files in {@code interop/} were written by nn-core and checked once by h5py, numpy and TensorFlow.js (see its
 * README). nn-core must keep writing exactly those bytes, so what was verified is what ships, and TF.js's predictions
 * from them must equal nn-core's.
 */
class InteropFixturesTest {

    @TempDir
    Path temp;

    /** The network of Gen.java.txt. */
    private static Network network() {
        return Network.builder(3).dense(5, Activation.RELU, "hidden").dense(4, Activation.TANH).dense(2, Activation.SOFTMAX)
                .seed(2026).build();
    }

    @Test
    void writesTheBytesThatH5pyNumpyAndTfjsWereCheckedOn() throws IOException {
        Network network = network();
        Keras.save(network, temp.resolve("model.keras"));
        Keras.saveNpz(network, temp.resolve("weights.npz"));
        Keras.saveTfjs(network, temp.resolve("tfjs"));
        assertThat(Files.readAllBytes(temp.resolve("model.keras"))).isEqualTo(Fixtures.bytes("/interop/model.keras"));
        assertThat(Files.readAllBytes(temp.resolve("weights.npz"))).isEqualTo(Fixtures.bytes("/interop/weights.npz"));
        assertThat(Files.readAllBytes(temp.resolve("tfjs/model.json"))).isEqualTo(Fixtures.bytes("/interop/tfjs/model.json"));
        assertThat(Files.readAllBytes(temp.resolve("tfjs/weights.bin"))).isEqualTo(Fixtures.bytes("/interop/tfjs/weights.bin"));
    }

    /** TF.js predicted in float32 with its own kernels; a 3-5-4-2 pass agrees with nn-core to a few ulps. */
    @Test
    void tfjsPredictionsFromOurFilesEqualOurs() {
        Map<String, Object> tfjs = Fixtures.json("/interop/tfjs-output.json");
        Matrix x = Matrix.of(new float[][] {{1, -2, 0.5f}, {0, 0, 0}, {3, 1, -1}});
        Fixtures.assertClose(network().forward(x), Fixtures.doubles2d(tfjs.get("output_tfjs")), 1e-6, 0, "TF.js predict");
    }
}
