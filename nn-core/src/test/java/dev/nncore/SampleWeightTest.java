package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sample weights as Keras applies them (sum of weighted losses over the batch size): weights of 1 change nothing, and
 * a weight of 3 on a row is that row three times in a batch twice as long, at twice the loss and gradients.
 */
class SampleWeightTest {

    static List<Loss> losses() {
        return List.of(Loss.MEAN_SQUARED_ERROR, Loss.BINARY_CROSSENTROPY, Loss.CATEGORICAL_CROSSENTROPY);
    }

    @ParameterizedTest
    @MethodSource("losses")
    void aWeightIsARepeatedRow(Loss loss) {
        Activation output = loss == Loss.CATEGORICAL_CROSSENTROPY ? Activation.SOFTMAX : Activation.SIGMOID;
        Network network = Network.builder(3).dense(4, Activation.TANH).dense(2, output).seed(9).build();
        float[][] x = {{0.5f, -1, 2}, {1, 0.25f, -0.5f}};
        float[][] y = {{1, 0}, {0, 1}};
        float[][] repeatedX = {x[0], x[1], x[1], x[1]};
        float[][] repeatedY = {y[0], y[1], y[1], y[1]};

        Backprop weighted = run(network, loss);
        double weightedLoss = weighted.forward(x, y, new float[] {1, 3}, true);
        List<float[][]> weightedGradients = weighted.newGradients();
        weighted.backward(y, weightedGradients);

        Backprop repeated = run(network, loss);
        double repeatedLoss = repeated.forward(repeatedX, repeatedY, true);
        List<float[][]> repeatedGradients = repeated.newGradients();
        repeated.backward(repeatedY, repeatedGradients);

        assertThat(weightedLoss).isCloseTo(2 * repeatedLoss, within(1e-6));
        for (int t = 0; t < weightedGradients.size(); t++) {
            for (int r = 0; r < weightedGradients.get(t).length; r++) {
                for (int c = 0; c < weightedGradients.get(t)[r].length; c++) {
                    assertThat(weightedGradients.get(t)[r][c]).isCloseTo(2 * repeatedGradients.get(t)[r][c], within(1e-6f));
                }
            }
        }

        Backprop ones = run(network, loss);
        Backprop plain = run(network, loss);
        assertThat(ones.forward(x, y, new float[] {1, 1}, true)).isEqualTo(plain.forward(x, y, true));
        List<float[][]> onesGradients = ones.newGradients();
        List<float[][]> plainGradients = plain.newGradients();
        ones.backward(y, onesGradients);
        plain.backward(y, plainGradients);
        assertThat(onesGradients).usingRecursiveComparison().isEqualTo(plainGradients);
    }

    @Test
    void oneWeightPerRow() {
        Loss loss = Loss.MEAN_SQUARED_ERROR;
        Backprop backprop = run(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(), loss);
        assertThatThrownBy(() -> backprop.forward(new float[][] {{1}, {2}}, new float[][] {{1}, {2}}, new float[] {1}, true))
                .hasMessageContaining("expected a sample weight for each of 2 rows, got 1");
    }

    private static Backprop run(Network network, Loss loss) {
        List<float[][]> weights = new ArrayList<>();
        for (Matrix w : network.getWeights()) {
            weights.add(w.toArray());
        }
        return Backprop.of(network, loss, weights, new SplittableRandom(1));
    }
}
