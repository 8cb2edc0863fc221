package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import dev.nncore.testing.Allocations;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A batch cut by rows into parts, each part's passes on its own thread: the whole batch's outputs bit for bit, its
 * loss and gradients as the sum of the parts' in part order, the same bits whichever threads ran the parts, and no cut
 * where a layer needs the whole batch.
 */
class SampleSplitTest {

    private static final int ROWS = 256;

    @Test
    void theGradientsAreThePartsGradientsSummedInPartOrder() {
        Network network = Network.builder(64).dense(256, Activation.RELU).dense(10, Activation.SOFTMAX).seed(1).build();
        float[][][] data = data(ROWS, 64, 10, 2);
        Backprop cut = run(network, 2);
        double loss = cut.forward(data[0], data[1], true);
        List<float[][]> gradients = cut.newGradients();
        cut.backward(data[1], gradients);
        assertThat(cut.lastSplitParts()).isEqualTo(2);

        // Each half alone, with sample weights of 1/2: its loss is then a mean over all 256 rows, scaled exactly
        // (powers of two), so each is bit for bit the part the cut run computed.
        int half = ROWS / 2;
        float[] halves = new float[half];
        java.util.Arrays.fill(halves, 0.5f);
        double expectedLoss = 0;
        List<float[][]> expected = null;
        for (int p = 0; p < 2; p++) {
            float[][] x = java.util.Arrays.copyOfRange(data[0], p * half, (p + 1) * half);
            float[][] y = java.util.Arrays.copyOfRange(data[1], p * half, (p + 1) * half);
            Backprop alone = run(network, 1);
            expectedLoss += alone.forward(x, y, halves, true);
            List<float[][]> part = alone.newGradients();
            alone.backward(y, part);
            if (expected == null) {
                expected = part;
            } else {
                for (int t = 0; t < part.size(); t++) {
                    for (int r = 0; r < part.get(t).length; r++) {
                        for (int c = 0; c < part.get(t)[r].length; c++) {
                            expected.get(t)[r][c] += part.get(t)[r][c];
                        }
                    }
                }
            }
        }
        assertThat(loss).isEqualTo(expectedLoss);
        for (int t = 0; t < gradients.size(); t++) {
            assertThat(gradients.get(t)).as("gradient %d", t).isDeepEqualTo(expected.get(t));
        }
    }

    @Test
    void aCutBatchHasTheWholeBatchsOutputsAndItsGradientsToRounding() {
        Network network = Network.builder(64).dense(256, Activation.TANH).dense(32, Activation.RELU)
                .dense(10, Activation.SOFTMAX).seed(4).build();
        float[][][] data = data(ROWS, 64, 10, 5);
        Backprop whole = run(network, 1);
        Backprop cut = run(network, 2);
        double wholeLoss = whole.forward(data[0], data[1], true);
        double cutLoss = cut.forward(data[0], data[1], true);

        assertThat(cut.lastSplitParts()).isEqualTo(2);
        assertThat(whole.lastSplitParts()).isZero();
        assertThat(cut.outputs()).isDeepEqualTo(whole.outputs()); // each row's arithmetic is the same in any part
        assertThat(cutLoss).isCloseTo(wholeLoss, within(1e-12 * Math.abs(wholeLoss)));
        assertClose(gradients(cut, data[1]), gradients(whole, data[1]));
    }

    @Test
    void partsRunInParallelOrInOrderGiveTheSameBits() {
        Network network = Network.builder(64).dense(256, Activation.RELU).dropout(0.3).dense(10, Activation.SOFTMAX)
                .seed(2).build();
        float[][][] data = data(ROWS, 64, 10, 3);
        Backprop parallel = run(network, 2);
        Backprop inOrder = run(network, 2);
        inOrder.splitInParallel = false;
        for (int step = 0; step < 3; step++) { // Dropout draws new masks each step, from each part's own stream
            assertThat(parallel.forward(data[0], data[1], true)).isEqualTo(inOrder.forward(data[0], data[1], true));
            assertThat(parallel.lastSplitParts()).isEqualTo(2);
            List<float[][]> a = gradients(parallel, data[1]);
            List<float[][]> b = gradients(inOrder, data[1]);
            for (int t = 0; t < a.size(); t++) {
                assertThat(a.get(t)).isDeepEqualTo(b.get(t));
            }
        }
    }

    @Test
    void aBatchNormalizationNetworkIsNeverCut() {
        Network network = Network.builder(64).dense(256, Activation.RELU).batchNormalization()
                .dense(10, Activation.SOFTMAX).seed(2).build();
        float[][][] data = data(ROWS, 64, 10, 3);
        Backprop two = run(network, 2);
        Backprop one = run(network, 1);
        assertThat(two.forward(data[0], data[1], true)).isEqualTo(one.forward(data[0], data[1], true));
        assertThat(two.lastSplitParts()).isZero();
        List<float[][]> a = gradients(two, data[1]);
        List<float[][]> b = gradients(one, data[1]);
        for (int t = 0; t < a.size(); t++) {
            assertThat(a.get(t)).isDeepEqualTo(b.get(t));
        }
    }

    @Test
    void smallBatchesAndSmallNetworksAreNotCut() {
        Network wide = Network.builder(64).dense(256, Activation.RELU).dense(10, Activation.SOFTMAX).seed(1).build();
        Backprop run = run(wide, 2);
        float[][][] few = data(Backprop.MIN_PART_ROWS * 2 - 4, 64, 10, 1);
        run.forward(few[0], few[1], true);
        assertThat(run.lastSplitParts()).as("parts under %d rows", Backprop.MIN_PART_ROWS).isZero();

        Network small = Network.builder(4).dense(3, Activation.RELU).dense(2, Activation.SOFTMAX).seed(1).build();
        Backprop tiny = run(small, 2);
        float[][][] many = data(4096, 4, 2, 1);
        tiny.forward(many[0], many[1], true);
        assertThat(tiny.lastSplitParts()).as("too little work to share").isZero();
    }

    @Test
    void aGraphOfTwoInputsAndTwoOutputsIsCutWithItsSampleWeights() {
        Node wide = Node.input("wide", 48);
        Node deep = Node.input("deep", 64);
        Node hidden = deep.dense(128, Activation.RELU);
        Node main = Node.concatenate(wide, hidden).dense(1, Activation.LINEAR, "main");
        Node aux = hidden.dense(3, Activation.SOFTMAX, "aux");
        Network network = Network.functional(List.of(wide, deep), List.of(main, aux), 6);
        float[][][] data = data(ROWS, 48 + 64, 4, 8);
        SplittableRandom random = new SplittableRandom(9);
        for (float[] y : data[1]) { // main, then aux one-hot over 3
            java.util.Arrays.fill(y, 0);
            y[0] = (float) random.nextGaussian();
            y[1 + random.nextInt(3)] = 1;
        }
        float[] weights = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            weights[r] = r % 3;
        }
        List<Loss> losses = List.of(Loss.MEAN_SQUARED_ERROR, Loss.CATEGORICAL_CROSSENTROPY);
        Backprop whole = Backprop.of(network, losses, new double[] {1, 0.5}, copy(network), new SplittableRandom(1));
        whole.splitThreads = 1;
        Backprop cut = Backprop.of(network, losses, new double[] {1, 0.5}, copy(network), new SplittableRandom(1));
        cut.splitThreads = 2;
        double wholeLoss = whole.forward(data[0], data[1], weights, true);
        double cutLoss = cut.forward(data[0], data[1], weights, true);

        assertThat(cut.lastSplitParts()).isEqualTo(2);
        assertThat(cut.outputs()).isDeepEqualTo(whole.outputs());
        assertThat(cutLoss).isCloseTo(wholeLoss, within(1e-12 * Math.abs(wholeLoss)));
        assertClose(gradients(cut, data[1]), gradients(whole, data[1]));
    }

    @Test
    void aWrongRowIsNamedByItsPlaceInTheBatch() {
        Network network = Network.builder(64).dense(256, Activation.RELU).dense(10, Activation.SOFTMAX).seed(1).build();
        float[][][] data = data(ROWS, 64, 10, 2);
        data[0][200] = new float[63];
        Backprop cut = run(network, 2);
        assertThatThrownBy(() -> cut.forward(data[0], data[1], true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input row 200 has 63 values")
                .hasMessageContaining("takes 64");
        float[][] fewer = java.util.Arrays.copyOf(data[1], ROWS - 1);
        data[0][200] = new float[64];
        assertThatThrownBy(() -> cut.forward(data[0], fewer, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a target row for each of 256 input rows, got 255");
    }

    @Test
    void aCutBatchAllocatesNothingOnceWarm() {
        Network network = Network.builder(64).dense(256, Activation.RELU).dropout(0.2).dense(3, Activation.SOFTMAX)
                .seed(3).build();
        float[][][] data = data(ROWS, 64, 3, 4);
        Backprop cut = run(network, 2);
        cut.splitInParallel = false; // both parts on this thread, whose allocations are counted
        List<float[][]> gradients = cut.newGradients();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 2000; i++) {
            cut.forward(data[0], data[1], true);
            cut.backward(data[1], gradients);
        }
        long allocated = Allocations.fewest(Allocations.UNTIL_COMPILED, 1024, () -> {
            for (int i = 0; i < 200; i++) {
                cut.forward(data[0], data[1], true);
                cut.backward(data[1], gradients);
            }
        }, thread);
        assertThat(cut.lastSplitParts()).isEqualTo(2);
        assertThat(allocated).as("bytes allocated by 200 cut steps").isLessThan(1024);
    }

    private static Backprop run(Network network, int threads) {
        Backprop backprop = Backprop.of(network, Loss.CATEGORICAL_CROSSENTROPY, copy(network), new SplittableRandom(1));
        backprop.splitThreads = threads;
        return backprop;
    }

    private static List<float[][]> copy(Network network) {
        List<float[][]> weights = new ArrayList<>();
        for (Matrix weight : network.getWeights()) {
            weights.add(weight.toArray());
        }
        return weights;
    }

    private static List<float[][]> gradients(Backprop backprop, float[][] y) {
        List<float[][]> gradients = backprop.newGradients();
        backprop.backward(y, gradients);
        return gradients;
    }

    /** Equal to float rounding: the parts' sums group the rows differently. */
    private static void assertClose(List<float[][]> actual, List<float[][]> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int t = 0; t < actual.size(); t++) {
            float largest = 0;
            for (float[] row : expected.get(t)) {
                for (float value : row) {
                    largest = Math.max(largest, Math.abs(value));
                }
            }
            for (int r = 0; r < actual.get(t).length; r++) {
                for (int c = 0; c < actual.get(t)[r].length; c++) {
                    assertThat(actual.get(t)[r][c]).as("gradient %d [%d][%d]", t, r, c)
                            .isCloseTo(expected.get(t)[r][c], within(1e-5f * largest));
                }
            }
        }
    }

    /** Inputs from a normal distribution, one-hot targets. */
    private static float[][][] data(int rows, int inputs, int outputs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] x = new float[rows][inputs];
        float[][] y = new float[rows][outputs];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < inputs; c++) {
                x[r][c] = (float) random.nextGaussian();
            }
            y[r][random.nextInt(outputs)] = 1;
        }
        return new float[][][] {x, y};
    }
}
