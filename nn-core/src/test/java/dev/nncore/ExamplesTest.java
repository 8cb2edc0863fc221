package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import dev.nncore.math.MatrixOps;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every example in the public Javadoc, copied verbatim, so a stale example fails the build. */
class ExamplesTest {

    @Test
    void matrix() {
        Matrix a = Matrix.of(new float[][] {{1, 2}, {3, 4}});
        Matrix b = Matrix.row(10, 100);                      // 1 x 2
        Matrix c = b.multiply(a);                            // [[310.0, 420.0]]
        float top = a.transpose().get(0, 1);                 // 3.0

        assertThat(c).isEqualTo(Matrix.row(310, 420));
        assertThat(top).isEqualTo(3f);
    }

    @Test
    void matrixOps() {
        float[][] a = {{1, 2}, {3, 4}};
        float[][] b = {{5}, {6}};
        float[][] out = new float[2][1];
        MatrixOps.multiply(a, b, out);                                   // out = {{17}, {39}}
        assertThat(out).isEqualTo(new float[][] {{17}, {39}});
        MatrixOps.affine(a, b, new float[] {0.5f}, out);                  // out = {{17.5}, {39.5}}
        assertThat(out).isEqualTo(new float[][] {{17.5f}, {39.5f}});
    }

    @Test
    void activation() {
        Activation relu = Activation.fromKerasName("relu");          // Activation.RELU
        float[] hidden = relu.apply(-1.3f, 1.2f);                     // {0.0, 1.2}
        float[] p = Activation.SOFTMAX.apply(1000f, 1000f);          // {0.5, 0.5}
        String name = Activation.SIGMOID.kerasName();                 // "sigmoid"

        assertThat(relu).isSameAs(Activation.RELU);
        assertThat(hidden).containsExactly(0f, 1.2f);
        assertThat(p).containsExactly(0.5f, 0.5f);
        assertThat(name).isEqualTo("sigmoid");
    }

    @Test
    void loss() {
        Loss mse = Loss.fromKerasName("mse");                          // Loss.MEAN_SQUARED_ERROR
        Matrix predicted = Matrix.of(new float[][] {{0.5f, 1}, {2, 2}});
        Matrix target = Matrix.of(new float[][] {{0, 1}, {2, 3}});
        double loss = mse.value(predicted, target);                    // (0.25 / 2 + 1 / 2) / 2 = 0.3125
        Matrix dLoss = mse.gradient(predicted, target);                // 2 (p - t) / 4: [[0.25, 0.0], [0.0, -0.5]]

        assertThat(mse).isSameAs(Loss.MEAN_SQUARED_ERROR);
        assertThat(loss).isEqualTo(0.3125);
        assertThat(dLoss).isEqualTo(Matrix.of(new float[][] {{0.25f, 0}, {0, -0.5f}}));
    }

    @Test
    void dense() {
        Dense layer = Dense.of(new float[][] {{1, -2}, {3, -4}}, new float[] {5, -6}, Activation.RELU);
        float[] y = layer.forward(new float[] {-1, 2});   // {10, 0}

        assertThat(y).containsExactly(10, 0);
    }

    @Test
    void network() {
        Network xor = Network.builder(2)
                .dense(2, Activation.RELU)
                .dense(1, Activation.LINEAR)
                .seed(42)
                .build();                                    // glorot_uniform kernels, zero biases
        Network video = xor.withWeights(List.of(
                Matrix.of(new float[][] {{1.3f, 1.2f}, {1.3f, 1.2f}}), Matrix.row(-1.3f, 0),
                Matrix.of(new float[][] {{-1.6f}, {0.8f}}), Matrix.row(0)));
        float[] y = video.forward(1, 0);                      // {0.96}

        assertThat(y[0]).isCloseTo(0.96f, within(1e-6f));
    }

    @Test
    void networkBuilder() {
        Network network = Network.builder(4)
                .dense(16, Activation.RELU)
                .dense(3, Activation.SOFTMAX, "probabilities")
                .seed(7)
                .build();

        assertThat(network.layers()).extracting(Layer::name).containsExactly("dense", "probabilities");
        assertThat(network.parameterCount()).isEqualTo(4 * 16 + 16 + 16 * 3 + 3);
    }
}
