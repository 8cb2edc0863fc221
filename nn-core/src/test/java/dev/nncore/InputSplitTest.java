package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.internal.Kernels;
import dev.nncore.math.Matrix;
import dev.nncore.testing.Allocations;
import dev.nncore.testing.Gaussian;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Dense layer reading the data, its kernel's rows shared between threads by input: the forward pass is the parts'
 * partial products added in part order, the kernel's gradient has one thread's bits, and a training step stays within
 * float32 rounding of one thread's, always with the same bits, allocating nothing once warm.
 */
class InputSplitTest {

    private static final int ROWS = 64;
    private static final int INPUTS = 256;
    private static final int UNITS = 128; // 64 x 256 x 128 = 2^21 multiply-adds: the threshold

    @BeforeEach
    void severalThreads() {
        Assumptions.assumeTrue(Kernels.threads() >= 2, "two threads");
    }

    @Test
    void theForwardPassIsThePartsProductsAddedInOrderAndTheGradientHasOneThreadsBits() {
        float[][] x = Gaussian.rows(ROWS, INPUTS, 1);
        float[][] kernel = Gaussian.rows(INPUTS, UNITS, 2);
        float[] bias = Gaussian.rows(1, UNITS, 3)[0];
        float[][] delta = Gaussian.rows(ROWS, UNITS, 4);
        InputSplit split = InputSplit.of(INPUTS);
        float[][] out = new float[ROWS][UNITS];
        float[][] gradient = new float[INPUTS][UNITS];
        float[] biasGradient = new float[UNITS];

        assertThat(split.forward(x, kernel, bias, out, Activation.LINEAR, out)).isTrue();
        assertThat(split.kernelGradient(x, delta, gradient, kernel, biasGradient)).isTrue();

        float[][] expected = partsAddedInOrder(x, kernel, bias);
        assertThat(out).isDeepEqualTo(expected);
        float[][] whole = new float[INPUTS][UNITS];
        Kernels.multiplyTransposedA(x, delta, whole);
        assertThat(gradient).isDeepEqualTo(whole);
        float[] biasSums = new float[UNITS];
        Scratch.columnSums(delta, biasSums);
        assertThat(biasGradient).as("the parts' shares of the bias gradient").containsExactly(biasSums);
        float[][] oneThread = new float[ROWS][UNITS];
        Kernels.affine(x, kernel, bias, oneThread);
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < UNITS; c++) {
                assertThat(out[r][c]).isCloseTo(oneThread[r][c], within(1e-4f * (1 + Math.abs(oneThread[r][c]))));
            }
        }
    }

    /** The parts' products, each on its own columns of {@code x} and rows of the kernel, added in part order. */
    private static float[][] partsAddedInOrder(float[][] x, float[][] kernel, float[] bias) {
        int units = kernel[0].length;
        int parts = Math.min(Kernels.threads(), INPUTS / InputSplit.MIN_PART_INPUTS);
        float[][] expected = new float[x.length][units];
        for (int p = 0; p < parts; p++) {
            int from = Kernels.rowBound(INPUTS, p, parts);
            int to = Kernels.rowBound(INPUTS, p + 1, parts);
            float[][] columns = new float[x.length][];
            for (int r = 0; r < x.length; r++) {
                columns[r] = Arrays.copyOfRange(x[r], from, to);
            }
            float[][] partial = new float[x.length][units];
            Kernels.affine(columns, Arrays.copyOfRange(kernel, from, to), p == 0 ? bias : null, partial);
            for (int r = 0; r < x.length; r++) {
                for (int c = 0; c < units; c++) {
                    expected[r][c] = p == 0 ? partial[r][c] : expected[r][c] + partial[r][c];
                }
            }
        }
        return expected;
    }

    /**
     * The split activates each row as it sums it, in place or into another array (for an activation whose gradient
     * needs the sums): the bits of summing every row and then activating, whether one thread sums (64 x 128 values)
     * or the parts share the rows (64 x 512, from {@link InputSplit#MIN_SPLIT_SUM}).
     */
    @Test
    void theRowsAreActivatedAsTheyAreSummedWithTheBitsOfSummingFirst() {
        float[][] x = Gaussian.rows(ROWS, INPUTS, 1);
        for (int units : new int[] {UNITS, 4 * UNITS}) {
            assertThat((long) ROWS * units >= InputSplit.MIN_SPLIT_SUM).isEqualTo(units > UNITS);
            float[][] kernel = Gaussian.rows(INPUTS, units, 2);
            float[] bias = Gaussian.rows(1, units, 3)[0];
            float[][] sums = partsAddedInOrder(x, kernel, bias);
            for (Activation activation : new Activation[] {Activation.RELU, Activation.GELU, Activation.SOFTMAX}) {
                float[][] expected = new float[ROWS][];
                for (int r = 0; r < ROWS; r++) {
                    expected[r] = sums[r].clone();
                    activation.applyInPlace(expected[r]);
                }
                InputSplit split = InputSplit.of(INPUTS);
                float[][] inPlace = new float[ROWS][units];
                assertThat(split.forward(x, kernel, bias, inPlace, activation, inPlace)).isTrue();
                assertThat(inPlace).as("%s in place, %d units", activation, units).isDeepEqualTo(expected);
                float[][] pre = new float[ROWS][units];
                float[][] activated = new float[ROWS][units];
                assertThat(split.forward(x, kernel, bias, pre, activation, activated)).isTrue();
                assertThat(pre).as("%s's sums, %d units", activation, units).isDeepEqualTo(sums);
                assertThat(activated).as("%s activated apart, %d units", activation, units).isDeepEqualTo(expected);
            }
        }
    }

    /**
     * From {@link InputSplit#MIN_SPLIT_SUM} values the activation's gradient is computed in parts cut by batch rows, with
     * one thread's bits, for an activation that reads its output (ReLU) and one that reads its input (GELU); below that,
     * or for an input the forward pass did not read, the split declines and leaves it to the caller.
     */
    @Test
    void theActivationGradientIsSharedByRowsWithOneThreadsBits() {
        float[][] x = Gaussian.rows(ROWS, INPUTS, 1);
        for (int units : new int[] {UNITS, 4 * UNITS}) {
            float[][] kernel = Gaussian.rows(INPUTS, units, 2);
            float[][] upstream = Gaussian.rows(ROWS, units, 5);
            for (Activation activation : new Activation[] {Activation.RELU, Activation.GELU}) {
                InputSplit split = InputSplit.of(INPUTS);
                float[][] z = new float[ROWS][units];
                float[][] output = new float[ROWS][units];
                assertThat(split.forward(x, kernel, null, z, activation, output)).isTrue();
                float[][] expected = new float[ROWS][units];
                for (int r = 0; r < ROWS; r++) {
                    activation.gradient(z[r], output[r], upstream[r], expected[r]);
                }
                float[][] delta = new float[ROWS][units];
                boolean shared = split.activationGradient(x, activation, z, output, upstream, delta);
                assertThat(shared).as("%s, %d units", activation, units).isEqualTo(units > UNITS);
                assertThat(delta).isDeepEqualTo(shared ? expected : new float[ROWS][units]);
                float[][] copy = x.clone();
                assertThat(split.activationGradient(copy, activation, z, output, upstream, delta)).isFalse();
            }
        }
    }

    /** Each part checks its rows of the gradient on its own thread; a ragged row is named as one thread names it. */
    @Test
    void aRaggedGradientRowIsRefusedWhicheverPartOwnsIt() {
        float[][] x = Gaussian.rows(ROWS, INPUTS, 1);
        float[][] kernel = Gaussian.rows(INPUTS, UNITS, 2);
        InputSplit split = InputSplit.of(INPUTS);
        assertThat(split.forward(x, kernel, null, new float[ROWS][UNITS], Activation.LINEAR, new float[ROWS][UNITS])).isTrue();
        for (int row : new int[] {0, INPUTS - 1}) {
            float[][] gradient = new float[INPUTS][UNITS];
            gradient[row] = new float[UNITS - 1];
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> split.kernelGradient(x, new float[ROWS][UNITS],
                    gradient, kernel, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("kernel gradient must be shaped like the kernel, [256][128], got [256][%d] or ragged rows",
                            row == 0 ? UNITS - 1 : UNITS);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> split.kernelGradient(x, new float[ROWS][UNITS],
                new float[INPUTS - 1][UNITS], kernel, null)).hasMessageContaining("got [255][128]");
    }

    @Test
    void smallProductsAndNarrowInputsAreNotSplit() {
        InputSplit split = InputSplit.of(INPUTS);
        float[][] small = new float[8][UNITS];
        assertThat(split.forward(Gaussian.rows(8, INPUTS, 1), Gaussian.rows(INPUTS, UNITS, 2), null, small, Activation.LINEAR, small))
                .as("8 x 256 x 128 multiply-adds").isFalse();
        assertThat(split.kernelGradient(new float[8][INPUTS], new float[8][UNITS], new float[INPUTS][UNITS],
                new float[INPUTS][UNITS], null)).isFalse();
        assertThat(InputSplit.of(2 * InputSplit.MIN_PART_INPUTS - 1)).as("too few inputs to share").isNull();
    }

    /** The backward pass reads the forward's input in place: for any other input it leaves the gradient to the caller. */
    @Test
    void theGradientIsSplitOnlyForTheInputTheForwardPassRead() {
        float[][] x = Gaussian.rows(ROWS, INPUTS, 1);
        float[][] kernel = Gaussian.rows(INPUTS, UNITS, 2);
        float[][] delta = Gaussian.rows(ROWS, UNITS, 4);
        InputSplit split = InputSplit.of(INPUTS);
        assertThat(split.forward(x, kernel, null, new float[ROWS][UNITS], Activation.LINEAR, new float[ROWS][UNITS])).isTrue();
        float[][] copy = new float[ROWS][];
        for (int r = 0; r < ROWS; r++) {
            copy[r] = x[r].clone();
        }
        assertThat(split.kernelGradient(copy, delta, new float[INPUTS][UNITS], kernel, null)).isFalse();
        assertThat(split.kernelGradient(x, delta, new float[INPUTS][UNITS], kernel, null)).isTrue();
        split.unsplit();
        assertThat(split.kernelGradient(x, delta, new float[INPUTS][UNITS], kernel, null)).isFalse();
    }

    /** The whole step: within rounding of one thread's (the sums' order differs), and the same bits every time. */
    @Test
    void aTrainingStepIsWithinRoundingOfOneThreadsAndAlwaysTheSame() {
        Network network = Network.builder(INPUTS).dense(UNITS, Activation.RELU).dense(10, Activation.SOFTMAX).seed(3)
                .build();
        float[][] x = Gaussian.rows(ROWS, INPUTS, 5);
        float[][] y = new float[ROWS][10];
        for (int r = 0; r < ROWS; r++) {
            y[r][r % 10] = 1;
        }
        List<float[][]> reference = step(network, x, y, true);
        List<float[][]> split = step(network, x, y, false);
        List<float[][]> again = step(network, x, y, false);

        for (int t = 0; t < split.size(); t++) {
            assertThat(again.get(t)).as("tensor %d, run twice", t).isDeepEqualTo(split.get(t));
            float[][] expected = reference.get(t);
            double scale = 0;
            for (float[] row : expected) {
                for (float v : row) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            for (int r = 0; r < expected.length; r++) {
                for (int c = 0; c < expected[r].length; c++) {
                    assertThat((double) split.get(t)[r][c]).as("tensor %d [%d][%d]", t, r, c)
                            .isCloseTo(expected[r][c], within(1e-5 * scale));
                }
            }
        }
        assertThat(split.get(0)).as("the split ran: its sums' last bits differ").isNotEqualTo(reference.get(0));
    }

    @Test
    void aSplitStepAllocatesNothingOnceWarm() {
        Network network = Network.builder(INPUTS).dense(UNITS, Activation.RELU).dense(10, Activation.SOFTMAX).seed(3)
                .build();
        float[][] x = Gaussian.rows(ROWS, INPUTS, 5);
        float[][] y = new float[ROWS][10];
        List<float[][]> weights = weights(network);
        Backprop backprop = Backprop.of(network, Loss.CATEGORICAL_CROSSENTROPY, weights, new SplittableRandom(1));
        List<float[][]> gradients = backprop.newGradients();
        for (int i = 0; i < 2000; i++) {
            backprop.forward(x, y, true);
            backprop.backward(y, gradients);
        }
        long[] threads = Allocations.callerAndWorkers();
        long allocated = Allocations.fewest(Allocations.UNTIL_COMPILED, 1024, () -> {
            for (int i = 0; i < 200; i++) {
                backprop.forward(x, y, true);
                backprop.backward(y, gradients);
            }
        }, threads);
        assertThat(allocated).as("bytes allocated by 200 split steps").isLessThan(1024);
    }

    /** The gradients of one forward and backward pass, from passes built with or without the split. */
    private static List<float[][]> step(Network network, float[][] x, float[][] y, boolean oneThread) {
        InputSplit.disabled = oneThread;
        try {
            Backprop backprop = Backprop.of(network, Loss.CATEGORICAL_CROSSENTROPY, weights(network),
                    new SplittableRandom(1));
            List<float[][]> gradients = backprop.newGradients();
            backprop.forward(x, y, true);
            backprop.backward(y, gradients);
            return gradients;
        } finally {
            InputSplit.disabled = false;
        }
    }

    private static List<float[][]> weights(Network network) {
        List<float[][]> weights = new ArrayList<>();
        for (Matrix weight : network.getWeights()) {
            weights.add(weight.toArray());
        }
        return weights;
    }
}
