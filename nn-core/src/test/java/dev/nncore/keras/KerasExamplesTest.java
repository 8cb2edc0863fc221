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
    void functionalGraph() throws IOException {
        Files.write(dir.resolve("functional_model.h5"),
                Fixtures.bytes("/keras-models/real-wild/rogersaloo_example_wide_deep_multi_io/functional_model.h5"));
        dev.nncore.math.Matrix wide = dev.nncore.math.Matrix.of(new float[][] {{-0.7429f, -0.0014f, 0.203f, -0.9426f, -0.7041f}});
        dev.nncore.math.Matrix deep = dev.nncore.math.Matrix.of(new float[][] {{0.8564f, -0.8592f, -0.7405f, 0.8967f, 0.2438f, -0.262f}});

        Network wideDeep = Keras.load(dir.resolve("functional_model.h5"));       // inputs wide_input (5), deep_input (6)
        java.util.List<dev.nncore.math.Matrix> outputs = wideDeep.forwardAll(java.util.List.of(wide, deep)); // main_output, aux_output
        java.util.List<String> names = wideDeep.outputNames();

        assertThat(names).containsExactly("main_output", "aux_output");
        assertThat(outputs.get(0).get(0, 0)).isCloseTo(0.8299349f, org.assertj.core.api.Assertions.within(1e-5f)); // numpy
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
