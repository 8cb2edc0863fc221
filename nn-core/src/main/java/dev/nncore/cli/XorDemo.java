package dev.nncore.cli;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The tutorial's story told with nn-core: the 2-2-1 ReLU network that computes XOR, with the weights Keras
 * trained, rounded to one decimal as the video's diagram shows them.
 */
final class XorDemo {

    private XorDemo() {
    }

    /** The video's network: hidden weights 1.3/1.3 bias -1.3 and 1.2/1.2 bias 0, output -1.6/0.8 bias 0. */
    static Network videoNetwork() {
        return Network.builder(2)
                .dense(2, Activation.RELU)
                .dense(1, Activation.LINEAR)
                .seed(0)
                .build()
                .withWeights(List.of(
                        Matrix.of(new float[][] {{1.3f, 1.2f}, {1.3f, 1.2f}}), Matrix.row(-1.3f, 0f),
                        Matrix.of(new float[][] {{-1.6f}, {0.8f}}), Matrix.row(0f)));
    }

    static void run(PrintStream out) {
        Network network = videoNetwork();
        out.println("nn-core: a neural network is no magic.");
        out.println();
        out.println("The XOR network of the tutorial: 2 inputs, a hidden layer of 2 ReLU neurons, 1 linear output,");
        out.println("trained by Keras with mean squared error. Its weights, rounded as the video's diagram shows them:");
        out.println();
        out.println(network.summary());
        out.println();
        out.println("Weights, layer by layer, as the video's program dumps them (L = layer, N = neuron, B = bias):");
        out.print(weightDump(network));
        out.println();
        out.println("Outputs for the four XOR inputs (forward pass in float32):");
        float[][] inputs = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
        for (float[] input : inputs) {
            float y = network.forward(input)[0];
            int expected = (int) input[0] ^ (int) input[1];
            out.printf(Locale.ROOT, "  (%d, %d) -> %7.4f   (XOR: %d; float32 value %s)%n",
                    (int) input[0], (int) input[1], y, expected, Float.toString(y));
        }
        out.println();
        out.println("By hand, for (1, 0): h0 = relu(1 x 1.3 + 0 x 1.3 + (-1.3)) = relu(0) = 0,");
        out.println("                     h1 = relu(1 x 1.2 + 0 x 1.2 + 0) = 1.2,");
        out.println("                     y  = 0 x (-1.6) + 1.2 x 0.8 + 0 = 0.96, close to 1.");
    }

    /**
     * The video's dump: for each layer, the biases ({@code 0B -> L1N0: b}), then every weight
     * ({@code L0N0 -> L1N0 = w}), counting layers and neurons from 0 with layer 0 the inputs.
     */
    static String weightDump(Network network) {
        StringBuilder text = new StringBuilder();
        List<Dense> layers = network.layers();
        for (int layerNum = 0; layerNum < layers.size(); layerNum++) {
            Dense layer = layers.get(layerNum);
            Matrix kernel = layer.kernel();
            Matrix bias = layer.bias();
            for (int to = 0; to < layer.units(); to++) {
                text.append(layerNum).append("B -> L").append(layerNum + 1).append('N').append(to).append(": ")
                        .append(bias.get(0, to)).append('\n');
            }
            for (int from = 0; from < layer.inputs(); from++) {
                for (int to = 0; to < layer.units(); to++) {
                    text.append('L').append(layerNum).append('N').append(from).append(" -> L").append(layerNum + 1)
                            .append('N').append(to).append(" = ").append(kernel.get(from, to)).append('\n');
                }
            }
        }
        return text.toString();
    }
}
