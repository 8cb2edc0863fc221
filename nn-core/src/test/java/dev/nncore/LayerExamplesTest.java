package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The examples of Layer's, Backprop's and Network's Javadoc, copied, while those files are on {@code DocExamplesTest}'s
 * skip list; the other layers' examples are compiled and checked from the sources by {@code DocExamplesTest}.
 */
class LayerExamplesTest {

    @Test
    void layer() {
        Layer dense = Dense.of(new float[][] {{1, -2}, {3, -4}}, new float[] {5, -6}, Activation.RELU);
        float[] out = new float[2];
        dense.forward(new float[] {-1, 2}, out);                 // out = {10, 0}
        List<String> names = dense.weightNames();                 // [kernel, bias]
        Layer dropout = Dropout.of(2, 0.5);                       // identity at inference

        assertThat(out).containsExactly(10f, 0f);
        assertThat(names).containsExactly("kernel", "bias");
        assertThat(dropout.forward(3f, 4f)).containsExactly(3f, 4f);
    }

    @Test
    void backprop() {
        Network network = Network.builder(2).dense(2, Activation.TANH).dense(1, Activation.SIGMOID).seed(3).build();
        List<float[][]> weights = new ArrayList<>();
        for (Matrix w : network.getWeights()) {
            weights.add(w.toArray());
        }
        Backprop backprop = Backprop.of(network, Loss.BINARY_CROSSENTROPY, weights, new SplittableRandom(1));
        float[][] x = {{0, 1}, {1, 1}};
        float[][] y = {{1}, {0}};
        double loss = backprop.forward(x, y, true);               // the mean batch loss
        List<float[][]> gradients = backprop.newGradients();       // one array per trainable weight
        backprop.backward(y, gradients);                           // dL/dw for each, e.g. to step: w -= 0.1 * g

        assertThat(loss).isCloseTo(Loss.BINARY_CROSSENTROPY.value(network.forward(Matrix.of(x)), Matrix.of(y)), within(1e-7));
        List<Matrix> expected = network.gradients(Matrix.of(x), Matrix.of(y), Loss.BINARY_CROSSENTROPY);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(Matrix.of(gradients.get(i))).isEqualTo(expected.get(i));
        }
    }

    @Test
    void networkWithLayers() {
        Network mnist = Network.builder(28, 28)               // a 28x28 input, fed as 784 values row by row
                .flatten()
                .dense(64, Activation.RELU)
                .batchNormalization()
                .dropout(0.2)
                .dense(10, Activation.SOFTMAX)
                .build();

        assertThat(mnist.layers()).extracting(Layer::name)
                .containsExactly("flatten", "dense", "batch_normalization", "dropout", "dense_1");
        assertThat(mnist).hasToString("Network[28x28 -> Flatten[784] -> Dense(64, relu) -> BatchNormalization(64) -> Dropout(0.2)"
                + " -> Dense(10, softmax)]");
    }

    @Test
    void builderWithLayers() {
        Network network = Network.builder(4)
                .dense(16, Activation.RELU)
                .batchNormalization()
                .dropout(0.2)
                .dense(3, Activation.SOFTMAX, "probabilities")
                .seed(7)
                .build();

        assertThat(network.layers()).extracting(Layer::name).containsExactly("dense", "batch_normalization", "dropout", "probabilities");
    }

    @Test
    void builderHasEveryRegularisationAndShapeLayer() {
        Network network = Network.builder(12).reshape(3, 4).flatten().dense(8, Activation.SELU).alphaDropout(0.1)
                .gaussianDropout(0.2).gaussianNoise(0.1).dense(2, Activation.LINEAR).seed(1).build();

        assertThat(network.layers()).extracting(Layer::kerasClass).containsExactly("Reshape", "Flatten", "Dense",
                "AlphaDropout", "GaussianDropout", "GaussianNoise", "Dense");
        float[] x = new float[12];
        java.util.Arrays.fill(x, 0.5f);
        Network denseOnly = Network.of(network.layers().get(2), network.layers().get(6));
        assertThat(network.forward(x)).containsExactly(denseOnly.forward(x));
    }
}
