package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.NoiseLayer;
import dev.nncore.Reshape;
import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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

    /** The network of interop/tfjs-layers/Gen2.java.txt: every layer kind TF.js runs. */
    static Network everyTfjsLayer() {
        SplittableRandom random = new SplittableRandom(11);
        Network network = Network.builder(4, 3).rescaling(0.5, -1).dropout(0.1).flatten()
                .dense(16, Activation.RELU).batchNormalization(0.9, 0.01).leakyRelu(0.1)
                .denseWithoutBias(8, Activation.TANH).prelu().add(ActivationLayer.of(8, Activation.elu(1.0), "ELU"))
                .gaussianNoise(0.2).layerNormalization().add(NoiseLayer.gaussianDropout(8, 0.3))
                .add(NoiseLayer.alphaDropout(8, 0.05)).add(ActivationLayer.of(8, Activation.RELU6, "ReLU"))
                .activation(Activation.SIGMOID).add(Reshape.of(new int[] {8}, new int[] {2, -1})).flatten()
                .dense(3, Activation.LINEAR, "logits").add(ActivationLayer.of(3, Activation.SOFTMAX, "Softmax"))
                .dense(2, Activation.hardSigmoidKeras2()).seed(11).build();
        List<Matrix> weights = new ArrayList<>();
        for (Layer layer : network.layers()) {
            List<Matrix> current = layer.getWeights();
            for (int i = 0; i < current.size(); i++) {
                boolean variance = layer.weightNames().get(i).contains("variance");
                float[][] values = new float[current.get(i).rows()][current.get(i).cols()];
                for (float[] row : values) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = (float) (variance ? random.nextDouble(0.1, 3) : random.nextDouble(-1.5, 1.5));
                    }
                }
                weights.add(Matrix.of(values));
            }
        }
        return network.withWeights(weights);
    }

    /**
     * TF.js 4.22 loaded nn-core's export of every layer kind and predicted in float32; the 20-layer pass agrees with
     * nn-core's within 1e-6 (seen: 2e-8).
     */
    @Test
    void tfjsRunsEveryLayerKindOfOurExportAsWeDo() throws IOException {
        Network network = everyTfjsLayer();
        Keras.saveTfjs(network, temp.resolve("layers"));
        assertThat(Files.readAllBytes(temp.resolve("layers/model.json"))).isEqualTo(Fixtures.bytes("/interop/tfjs-layers/model.json"));
        assertThat(Files.readAllBytes(temp.resolve("layers/weights.bin"))).isEqualTo(Fixtures.bytes("/interop/tfjs-layers/weights.bin"));
        double[][][] x = new double[3][][];
        List<?> rows = (List<?>) dev.nncore.internal.Json.parse(new String(Fixtures.bytes("/interop/tfjs-layers/x.json"),
                java.nio.charset.StandardCharsets.UTF_8));
        float[][] flat = new float[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            x[r] = Fixtures.doubles2d(rows.get(r));
            flat[r] = new float[12];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 3; j++) {
                    flat[r][i * 3 + j] = (float) x[r][i][j];
                }
            }
        }
        Map<String, Object> tfjs = Fixtures.json("/interop/tfjs-layers/tfjs-output.json");
        Fixtures.assertClose(network.forward(Matrix.of(flat)), Fixtures.doubles2d(tfjs.get("output_tfjs")), 1e-6, 0, "TF.js predict");
        assertThat(Keras.load(temp.resolve("layers/model.json"))).isEqualTo(network);
    }

    /** TF.js predicted in float32 with its own kernels; a 3-5-4-2 pass agrees with nn-core to a few ulps. */
    @Test
    void tfjsPredictionsFromOurFilesEqualOurs() {
        Map<String, Object> tfjs = Fixtures.json("/interop/tfjs-output.json");
        Matrix x = Matrix.of(new float[][] {{1, -2, 0.5f}, {0, 0, 0}, {3, 1, -1}});
        Fixtures.assertClose(network().forward(x), Fixtures.doubles2d(tfjs.get("output_tfjs")), 1e-6, 0, "TF.js predict");
    }
}
