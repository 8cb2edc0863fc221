package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples of Network's Javadoc, copied, while Network.java is on {@code DocExamplesTest}'s skip list; every other
 * example is compiled and checked from the sources themselves by {@code dev.nncore.docs.DocExamplesTest}.
 */
class ExamplesTest {

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
