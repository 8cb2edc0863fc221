package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Network;
import dev.nncore.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Javadoc examples of this package, with {@code Path.of(name)} made {@code dir.resolve(name)}. */
class KerasExamplesTest {

    @TempDir
    Path dir;

    @Test
    void keras() throws IOException {
        Files.write(dir.resolve("model.keras"), Fixtures.bytes("/keras-models/keras3.10.0_xor_mehmetsefabalik.keras"));

        Network network = Keras.load(dir.resolve("model.keras"));       // or model.h5, or tfjs/model.json
        float[] y = network.forward(1, 0);

        Keras.save(network, dir.resolve("copy.keras"));                  // Keras 3: keras.saving.load_model("copy.keras")
        Keras.saveTfjs(network, dir.resolve("web-model"));               // TF.js: tf.loadLayersModel(".../model.json")
        Keras.saveNpz(network, dir.resolve("weights.npz"));              // numpy: list(np.load("weights.npz").values())
        Network again = Keras.loadWeights(dir.resolve("weights.npz"), network);

        assertThat(y[0]).isBetween(0.68f, 0.69f); // numpy: 0.684889
        assertThat(again).isEqualTo(network);
        assertThat(Keras.load(dir.resolve("copy.keras"))).isEqualTo(network);
        assertThat(Keras.load(dir.resolve("web-model/model.json"))).isEqualTo(network);
    }

    @Test
    void modelFormatException() throws IOException {
        Files.write(dir.resolve("model.keras"), new byte[] {'P', 'K', 3, 4, 0, 0});
        String caught = null;
        try {
            Network network = Keras.load(dir.resolve("model.keras"));
        } catch (UnsupportedModelException e) {
            caught = "unsupported";
        } catch (ModelFormatException e) {
            caught = e.getMessage();
        }
        assertThat(caught).startsWith("model.keras: ");
    }

    @Test
    void unsupportedModelException() throws IOException {
        Files.write(dir.resolve("cnn.keras"), Fixtures.bytes("/keras-models/keras3.15.0_nested_subclassed_keras-team-testdata.keras"));
        assertThatThrownBy(() -> Keras.load(dir.resolve("cnn.keras"))).isInstanceOf(UnsupportedModelException.class);
    }
}
