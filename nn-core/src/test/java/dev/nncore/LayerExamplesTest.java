package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every example in the Javadoc of the layers, Activation's new factories and Backprop, copied verbatim. */
class LayerExamplesTest {

    @Test
    void activationValues() {
        float[] leaky = Activation.leakyRelu(0.2).apply(-2f, 3f);     // {-0.4, 3.0}
        float[] slope = Activation.TANH.gradient(new float[] {0}, new float[] {1}); // {1.0}: tanh'(0)

        assertThat(leaky).containsExactly(-0.4f, 3f);
        assertThat(slope).containsExactly(1f);
    }

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
    void denseWithoutBias() {
        Dense noBias = Dense.withoutBias(new float[][] {{1}, {1}}, Activation.LINEAR);
        float[] sum = noBias.forward(new float[] {2, 3}); // {5}

        assertThat(sum).containsExactly(5f);
        assertThat(noBias.weightNames()).containsExactly("kernel");
    }

    @Test
    void activationLayer() {
        ActivationLayer softmax = ActivationLayer.of(3, Activation.SOFTMAX);
        Matrix p = softmax.forward(Matrix.row(1, 1, 1));               // [[0.3333, 0.3333, 0.3333]]
        ActivationLayer leaky = ActivationLayer.of(2, Activation.leakyRelu(0.3), "LeakyReLU");
        String name = leaky.defaultName();                               // "leaky_re_lu"

        assertThat(p.getRow(0)).containsExactly(1 / 3f, 1 / 3f, 1 / 3f);
        assertThat(name).isEqualTo("leaky_re_lu");
    }

    @Test
    void dropout() {
        Dropout dropout = Dropout.of(4, 0.2);
        float[] out = new float[4];
        dropout.forward(new float[] {1, 2, 3, 4}, out);     // {1, 2, 3, 4}: inference
        Network network = Network.builder(4).dense(8, Activation.RELU).dropout(0.2).dense(1, Activation.SIGMOID).build();

        assertThat(out).containsExactly(1, 2, 3, 4);
        assertThat(network.layers().get(1).name()).isEqualTo("dropout");
    }

    @Test
    void noiseLayer() {
        NoiseLayer noise = NoiseLayer.gaussianNoise(3, 0.1);
        float[] out = new float[3];
        noise.forward(new float[] {1, 2, 3}, out);          // {1, 2, 3}: inference
        String kind = NoiseLayer.alphaDropout(3, 0.1).kerasClass(); // "AlphaDropout"

        assertThat(out).containsExactly(1, 2, 3);
        assertThat(kind).isEqualTo("AlphaDropout");
    }

    @Test
    void batchNormalization() {
        BatchNormalization bn = BatchNormalization.of(2);          // gamma 1, beta 0, mean 0, variance 1
        List<String> names = bn.weightNames();                     // [gamma, beta, moving_mean, moving_variance]
        Network network = Network.builder(4).dense(8, Activation.RELU).batchNormalization().dense(1, Activation.SIGMOID).build();

        assertThat(names).containsExactly("gamma", "beta", "moving_mean", "moving_variance");
        assertThat(bn.getWeights()).containsExactly(Matrix.row(1, 1), Matrix.row(0, 0), Matrix.row(0, 0), Matrix.row(1, 1));
        assertThat(network.layers().get(1).name()).isEqualTo("batch_normalization");
        assertThat(network.parameterCount()).isEqualTo(40 + 32 + 9);
        assertThat(network.trainableParameterCount()).isEqualTo(40 + 16 + 9);
    }

    @Test
    void layerNormalization() {
        LayerNormalization norm = LayerNormalization.of(2);         // gamma 1, beta 0, epsilon 1e-3
        Matrix y = norm.forward(Matrix.row(1, 3));                   // [[-0.9995, 0.9995]]

        assertThat(y.get(0, 0)).isCloseTo(-0.9995f, within(5e-5f));
        assertThat(y.get(0, 1)).isCloseTo(0.9995f, within(5e-5f));
    }

    @Test
    void normalization() {
        Matrix data = Matrix.of(new float[][] {{1, 10}, {3, 30}});
        Normalization norm = Normalization.adapt(data);             // mean [2, 20], variance [1, 100]
        float[] out = new float[2];
        norm.forward(new float[] {3, 30}, out);                     // {1, 1}
        Network network = Network.builder(2).normalization(data).dense(1, Activation.LINEAR).build();

        assertThat(norm.mean()).isEqualTo(Matrix.row(2, 20));
        assertThat(norm.variance()).isEqualTo(Matrix.row(1, 100));
        assertThat(out).containsExactly(1, 1);
        assertThat(network.trainableParameterCount()).isEqualTo(3);
        assertThat(norm.inverted().forward(1f, 1f)).containsExactly(3, 30);
    }

    @Test
    void rescaling() {
        Rescaling pixels = Rescaling.of(784, 1 / 255.0, 0);
        Rescaling symmetric = Rescaling.of(2, 2, -1);                // [0, 1] to [-1, 1]
        float[] out = new float[2];
        symmetric.forward(new float[] {0, 1}, out);                 // {-1, 1}

        assertThat(out).containsExactly(-1, 1);
        assertThat(pixels.forward(new float[784])[0]).isZero();
    }

    @Test
    void reshape() {
        Reshape flatten = Reshape.flatten(28, 28);                  // (None, 28, 28) -> (None, 784)
        int[] shape = flatten.outputShape(new int[] {28, 28});      // {784}
        Network mnist = Network.builder(28, 28).flatten().dense(128, Activation.RELU).dense(10, Activation.SOFTMAX).build();

        assertThat(shape).containsExactly(784);
        assertThat(mnist.inputShape()).containsExactly(28, 28);
        assertThat(mnist.inputs()).isEqualTo(784);
        assertThat(mnist.summary()).contains(" flatten (Flatten)           (None, 784)               0");
    }

    @Test
    void prelu() {
        PReLU prelu = PReLU.of(new float[] {0.1f, 0.5f});
        float[] out = new float[2];
        prelu.forward(new float[] {-1, -1}, out);                   // {-0.1, -0.5}

        assertThat(out).containsExactly(-0.1f, -0.5f);
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
