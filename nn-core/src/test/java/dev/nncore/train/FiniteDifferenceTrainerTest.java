package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import dev.nncore.testing.Allocations;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiniteDifferenceTrainerTest {

    private static final Matrix BOOK_X = Matrix.column(1, 2, 3, 4);
    private static final Matrix BOOK_Y = Matrix.column(2, 4, 6, 8);

    private static Network bookStart() {
        return Network.of(Dense.of(new float[][] {{1.477867f}}, new float[] {0}, Activation.LINEAR));
    }

    private static FiniteDifferenceTrainer book(int epochs) {
        return FiniteDifferenceTrainer.builder()
                .loss(Loss.MEAN_SQUARED_ERROR)
                .optimizer(Optimizer.sgd(0.01))
                .difference(FiniteDifferenceTrainer.Difference.FORWARD)
                .step(1e-4)
                .batchSize(4)
                .shuffle(false)
                .epochs(epochs)
                .build();
    }

    /**
     * The cookbook's first update, by hand. L(w, b) = mean((w x + b - 2x)^2) over x = 1..4 is quadratic, so its
     * forward difference is exact: (L(w + h) - L(w)) / h = dL/dw + h/2 d2L/dw2 = 15 (w - 2) + 7.5e-4 (since
     * dL/dw = 2 mean((w - 2) x^2) = 15 (w - 2) and d2L/dw2 = 2 mean(x^2) = 15); for b: 5 (w - 2) + 1e-4. With
     * w = 1.477867 (as float32): w1 = w - 0.01 * (15 (w - 2) + 7.5e-4) = 1.5561794, b1 = 0.02610565. The float64
     * loss makes the difference quotient exact to ~1e-12, so the result differs from the hand value only by float32
     * rounding of the new weight (half an ulp: 6e-8 at 1.5, 1e-9 at 0.026).
     */
    @Test
    void firstUpdateIsTheBooksByHand() {
        double w = 1.477867f;
        double expectedW = w - 0.01 * (15 * (w - 2) + 7.5e-4);
        double expectedB = -0.01 * (5 * (w - 2) + 1e-4);

        TrainingResult result = book(1).fit(bookStart(), BOOK_X, BOOK_Y);

        List<Matrix> weights = result.network().getWeights();
        assertThat((double) weights.get(0).get(0, 0)).isCloseTo(expectedW, within(6e-8));
        assertThat((double) weights.get(1).get(0, 0)).isCloseTo(expectedB, within(2e-9));
        assertThat(weights.get(0).get(0, 0)).isEqualTo(1.5561794f);
        // the epoch's loss is the loss at the start: mean(((w - 2) x)^2) = (w - 2)^2 * 7.5
        assertThat(result.history().loss().get(0)).isCloseTo((w - 2) * (w - 2) * 7.5, within(1e-12));
    }

    /**
     * Onwards to y = 2x. The loss's Hessian in (w, b) is [[15, 5], [5, 2]], whose small eigenvalue 0.30 makes the slow
     * direction shrink by (1 - 0.003) per epoch: after 3000 epochs e^-9 of the start is left. Forward differences
     * move the fixed point to where the gradient equals -h/2 diag(H): w = 2 - 2e-4, b = 4.5e-4.
     */
    @Test
    void learnsYEqualsTwoXFromTheBooksStart() {
        TrainingResult result = book(3000).fit(bookStart(), BOOK_X, BOOK_Y);

        List<Matrix> weights = result.network().getWeights();
        assertThat(weights.get(0).get(0, 0)).isCloseTo(2f - 2e-4f, within(1e-4f));
        assertThat(weights.get(1).get(0, 0)).isCloseTo(4.5e-4f, within(3e-4f));
        // The loss falls every epoch until float32 weights can no longer resolve its changes (~1e-10 by then).
        List<Double> losses = result.history().loss();
        assertThat(losses.get(losses.size() - 1)).isLessThan(1e-6);
        for (int epoch = 1; epoch < 1500; epoch++) {
            assertThat(losses.get(epoch)).as("epoch %d", epoch).isLessThan(losses.get(epoch - 1));
        }
    }

    @Test
    void centralDifferencesCostTwoForwardPassesPerWeight() {
        Network network = Network.builder(3).dense(5, Activation.TANH).dense(2, Activation.LINEAR).seed(4).build();
        int weightCount = network.parameterCount();
        float[][] x = MatrixAccess.rows(Matrix.of(new float[][] {{1, 2, 3}, {-1, 0.5f, 2}}));
        float[][] y = MatrixAccess.rows(Matrix.of(new float[][] {{1, 0}, {0, 1}}));
        List<float[][]> weights = tensors(network);

        FiniteDifferenceStep central = FiniteDifferenceTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).build().newStep(network, weights, new java.util.SplittableRandom(0));
        central.lossAndGradients(x, y, zerosLike(weights));
        assertThat(central.forwardPasses()).isEqualTo(2L * weightCount + 1); // + 1: the loss at w itself

        FiniteDifferenceStep forward = FiniteDifferenceTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR)
                .difference(FiniteDifferenceTrainer.Difference.FORWARD).build().newStep(network, weights, new java.util.SplittableRandom(0));
        forward.lossAndGradients(x, y, zerosLike(weights));
        assertThat(forward.forwardPasses()).isEqualTo(weightCount + 1L);
    }

    /**
     * HotSpot counts the bytes each thread allocates. A step over 712 weights that allocated even one
     * 16-byte object per weight would show thousands of bytes; once its buffers exist it should show none (the
     * allowance covers the counter's own granularity).
     */
    @Test
    void allocatesNothingPerWeight() {
        Network network = Network.builder(2).dense(64, Activation.RELU).dense(8, Activation.SIGMOID).seed(9).build();
        float[][] x = MatrixAccess.rows(Matrix.of(new float[][] {{1, 2}, {-1, 0.5f}, {0.25f, 3}}));
        float[][] y = MatrixAccess.rows(Matrix.of(new float[3][8]));
        List<float[][]> weights = tensors(network);
        List<float[][]> gradients = zerosLike(weights);
        FiniteDifferenceStep step = FiniteDifferenceTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).build().newStep(network, weights, new java.util.SplittableRandom(0));
        long thread = Thread.currentThread().getId();
        step.lossAndGradients(x, y, gradients); // warm: buffers for this batch size
        Allocations.ofThread(thread);

        long before = Allocations.ofThread(thread);
        step.lossAndGradients(x, y, gradients);
        long allocated = Allocations.ofThread(thread) - before;

        assertThat(network.parameterCount()).isEqualTo(712);
        assertThat(allocated).as("bytes allocated by one step over 712 weights").isLessThan(512);
    }

    /** Central differences of the float64 loss agree with float32 backprop to float32 precision. */
    @Test
    void centralDifferencesAgreeWithBackprop() {
        Network network = Network.builder(3).dense(6, Activation.SIGMOID).dense(3, Activation.SOFTMAX).seed(21).build();
        Matrix x = Matrix.of(new float[][] {{1, 2, 3}, {-1, 0.5f, 2}, {0, -2, 1}});
        Matrix y = Matrix.of(new float[][] {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}});
        List<float[][]> weights = tensors(network);
        List<float[][]> numeric = zerosLike(weights);
        FiniteDifferenceTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).build().newStep(network, weights, new java.util.SplittableRandom(0))
                .lossAndGradients(MatrixAccess.rows(x), MatrixAccess.rows(y), numeric);

        List<Matrix> analytic = network.gradients(x, y, Loss.CATEGORICAL_CROSSENTROPY);
        for (int t = 0; t < analytic.size(); t++) {
            for (int r = 0; r < numeric.get(t).length; r++) {
                for (int c = 0; c < numeric.get(t)[r].length; c++) {
                    // step 1e-4: truncation h^2 f'''/6 ~ 1e-9; float32 backprop ~1e-7
                    assertThat(numeric.get(t)[r][c]).as("tensor %d [%d][%d]", t, r, c).isCloseTo(analytic.get(t).get(r, c), within(1e-6f));
                }
            }
        }
    }

    @Test
    void learnsXor() {
        Matrix x = Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Matrix y = Matrix.column(0, 1, 1, 0);
        Network start = Network.builder(2).dense(8, Activation.TANH).dense(1, Activation.SIGMOID).seed(7).build();

        Network trained = FiniteDifferenceTrainer.builder()
                .loss(Loss.BINARY_CROSSENTROPY).optimizer(Optimizer.adam(0.05)).epochs(400).batchSize(4).seed(7).build()
                .fit(start, x, y).network();

        Matrix predicted = trained.forward(x);
        for (int i = 0; i < 4; i++) {
            assertThat(predicted.get(i, 0)).as("XOR row %d", i).isCloseTo(y.get(i, 0), within(0.1f));
        }
    }

    static List<float[][]> tensors(Network network) {
        List<float[][]> out = new ArrayList<>();
        for (Matrix weight : network.getWeights()) {
            out.add(weight.toArray());
        }
        return out;
    }

    static List<float[][]> zerosLike(List<float[][]> tensors) {
        List<float[][]> out = new ArrayList<>();
        for (float[][] tensor : tensors) {
            out.add(new float[tensor.length][tensor[0].length]);
        }
        return out;
    }
}
