package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.math.Matrix;
import dev.nncore.testing.Float64Reference;
import dev.nncore.testing.ReferenceCase;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkGradientsTest {

    /** The activations Float64Reference states independently; the others are checked in ActivationReferenceTest. */
    private static final List<Activation> CLASSIC = List.of(Activation.LINEAR, Activation.RELU, Activation.SIGMOID,
            Activation.TANH, Activation.SOFTMAX);


    /**
     * PyTorch float64 autograd gradients. Our float32 pass rounds each product and each partial sum (unit roundoff
     * 6e-8); with fan-ins and batches of at most 10 the error of a gradient element is at most ~20 roundings of
     * terms of size <= 1, i.e. ~1e-6, and TF.js's float32 answers sit within 2e-7 of float64. So 2e-6 absolute plus
     * 1e-5 relative has room for our float32 arithmetic and none for a wrong formula (the smallest non-zero
     * gradients in these files are ~1e-3).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "grad_01_mse_3-5-2_tanh-linear.json",
            "grad_03_mse_2-3_linear.json",
            "grad_05_mae_3-6-2_relu-linear.json",
            "grad_08_bce_4-6-1_relu-sigmoid.json",
            "grad_10_bce_2-4-1_sigmoid-sigmoid.json",
            "grad_11_cce_4-8-3_relu-softmax.json",
            "grad_13_cce_3-5_softmax.json"})
    void gradientsMatchPyTorchFloat64(String file) {
        ReferenceCase reference = ReferenceCase.load("reference/grad/" + file);
        Network network = reference.network();

        List<Matrix> gradients = network.gradients(reference.x(), reference.y(), reference.loss());

        List<?> expected = reference.list("grads_f64");
        assertThat(gradients).hasSize(expected.size());
        for (int t = 0; t < gradients.size(); t++) {
            assertClose(gradients.get(t), ReferenceCase.doubles((List<?>) expected.get(t)), 2e-6, 1e-5, file + " tensor " + t);
        }
        assertThat(reference.loss().value(network.forward(reference.x()), reference.y()))
                .isCloseTo(reference.number("loss_f64"), org.assertj.core.data.Offset.offset(1e-6));
    }

    /** The losses nn-core had first; LossReferenceTest covers the others against PyTorch and numpy. */
    static final java.util.List<Loss> FIRST_FOUR = java.util.List.of(Loss.MEAN_SQUARED_ERROR, Loss.MEAN_ABSOLUTE_ERROR,
            Loss.BINARY_CROSSENTROPY, Loss.CATEGORICAL_CROSSENTROPY);

    static Stream<Arguments> everyActivationAndLoss() {
        List<Arguments> cases = new ArrayList<>();
        for (Activation hidden : CLASSIC) {
            for (Activation output : CLASSIC) {
                for (Loss loss : FIRST_FOUR) {
                    cases.add(Arguments.of(hidden, output, loss));
                }
            }
        }
        return cases.stream();
    }

    /**
     * Central differences of an independent float64 forward pass (step 1e-6: truncation error step^2 f'''/6 ~ 1e-13,
     * rounding error 1e-16 * loss / step ~ 1e-10, so the difference quotient is exact to far better than float32).
     * What is left is our float32 arithmetic, ~1e-6 on these unit-scale networks: hence 1e-5 absolute plus 1e-4
     * relative. A kink (ReLU at 0, |x| at 0, a clip bound) within one step of a sample would break the
     * comparison; with seeded Gaussian data none is, and the test would say so by failing, not silently pass.
     */
    @ParameterizedTest(name = "hidden {0}, output {1}, {2}")
    @MethodSource("everyActivationAndLoss")
    void gradientsMatchCentralDifferencesOfFloat64Forward(Activation hidden, Activation output, Loss loss) {
        SplittableRandom random = new SplittableRandom(1000L * CLASSIC.indexOf(hidden) + 100L * CLASSIC.indexOf(output) + FIRST_FOUR.indexOf(loss));
        Network network = randomNetwork(random, 3, hidden, 4, output, 3);
        if (loss == Loss.CATEGORICAL_CROSSENTROPY && output == Activation.RELU) {
            // A ReLU row can be all zeros, and Keras's p / sum(p) is then 0/0 = NaN (in Keras too): lift the outputs
            // with a bias of 1 so every row has a sum to divide by.
            List<Matrix> weights = new ArrayList<>(network.getWeights());
            weights.set(3, Matrix.row(1, 1, 1));
            network = network.withWeights(weights);
        }
        Matrix x = gaussian(random, 5, 3, 1.0);
        Matrix y = targets(random, loss, 5, 3);

        boolean refused = (loss == Loss.CATEGORICAL_CROSSENTROPY || loss == Loss.BINARY_CROSSENTROPY)
                && output != Activation.SIGMOID && output != Activation.SOFTMAX;
        List<Matrix> analytic;
        if (refused) {
            // Network.gradients refuses cross-entropy on an output that is not a probability; the chain rule through
            // every output activation is still checked here, on Backprop itself, which a hand-written loop runs.
            Network probabilityless = network;
            assertThatThrownBy(() -> probabilityless.gradients(x, y, loss)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(loss.kerasName() + " needs probabilities");
            analytic = backpropGradients(network, x, y, loss);
        } else {
            analytic = network.gradients(x, y, loss);
        }

        Float64Reference reference = new Float64Reference(network);
        List<double[][]> numeric = reference.centralDifferences(Float64Reference.toDoubles(x), Float64Reference.toDoubles(y), loss, 1e-6);
        for (int t = 0; t < analytic.size(); t++) {
            assertClose(analytic.get(t), numeric.get(t), 1e-5, 1e-4, hidden + "/" + output + "/" + loss + " tensor " + t);
        }
    }

    /** {@link Network#gradients} without its loss/output check: {@link Backprop} run by hand, at inference. */
    private static List<Matrix> backpropGradients(Network network, Matrix x, Matrix y, Loss loss) {
        List<float[][]> weights = new ArrayList<>();
        for (Matrix weight : network.getWeights()) {
            weights.add(weight.toArray());
        }
        Backprop backprop = Backprop.of(network, loss, weights, new SplittableRandom(0));
        float[][] targets = y.toArray();
        backprop.forward(x.toArray(), targets, false);
        List<float[][]> gradients = backprop.newGradients();
        backprop.backward(targets, gradients);
        List<Matrix> result = new ArrayList<>();
        for (float[][] gradient : gradients) {
            result.add(Matrix.of(gradient));
        }
        return result;
    }

    /**
     * Where Keras's clipping bites the loss is flat in that probability. For softmax + categorical cross-entropy the
     * fused (p - t) / N would then be wrong for a row whose target probability is below 1e-7 (Keras: 0); for
     * sigmoid + binary cross-entropy an output beyond a clip bound contributes 0. Rows here: target clipped low,
     * a non-target clipped low (no effect on the loss's slope), everything unclipped.
     */
    @Test
    void clippedProbabilitiesFollowKerasClippedGradient() {
        Network softmax = Network.of(Dense.of(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, new float[] {0, 0, 0},
                Activation.SOFTMAX));
        Matrix x = Matrix.of(new float[][] {{20, 0, 1}, {20, 1, 0.5f}, {0.3f, -0.2f, 0.1f}, {20, 0, 0}});
        Matrix y = Matrix.of(new float[][] {{0, 1, 0}, {1, 0, 0}, {0, 0, 1}, {1, 0, 0}});
        // row 0: target p ~ e^-20 < 1e-7 (clipped: flat); row 1: non-targets tiny; row 3: target p > 1 - 1e-7 (clipped)
        List<Matrix> analytic = softmax.gradients(x, y, Loss.CATEGORICAL_CROSSENTROPY);
        List<double[][]> numeric = new Float64Reference(softmax).centralDifferences(Float64Reference.toDoubles(x),
                Float64Reference.toDoubles(y), Loss.CATEGORICAL_CROSSENTROPY, 1e-6);
        assertClose(analytic.get(0), numeric.get(0), 1e-6, 1e-4, "softmax kernel");
        assertClose(analytic.get(1), numeric.get(1), 1e-6, 1e-4, "softmax bias");

        // One row at a time, the bias gradient is dL/dz of that row: compare with the general chain rule built from
        // the public Loss.gradient (the exact clipped dL/dp) and the softmax Jacobian.
        for (int row = 0; row < x.rows(); row++) {
            Matrix xi = Matrix.row(x.getRow(row));
            Matrix yi = Matrix.row(y.getRow(row));
            float[] p = softmax.forward(xi).getRow(0);
            float[] dp = Loss.CATEGORICAL_CROSSENTROPY.gradient(Matrix.row(p), yi).getRow(0);
            double dot = 0;
            for (int j = 0; j < p.length; j++) {
                dot += (double) dp[j] * p[j];
            }
            float[] fused = softmax.gradients(xi, yi, Loss.CATEGORICAL_CROSSENTROPY).get(1).getRow(0);
            for (int j = 0; j < p.length; j++) {
                assertThat((double) fused[j]).as("row %d, output %d", row, j).isCloseTo(p[j] * (dp[j] - dot),
                        org.assertj.core.data.Offset.offset(1e-7));
            }
        }
        assertThat(softmax.gradients(Matrix.row(x.getRow(0)), Matrix.row(y.getRow(0)), Loss.CATEGORICAL_CROSSENTROPY).get(1))
                .isEqualTo(Matrix.row(0, 0, 0));

        Network sigmoid = Network.of(Dense.of(new float[][] {{1, 0}, {0, 1}}, new float[] {0, 0}, Activation.SIGMOID));
        Matrix xs = Matrix.of(new float[][] {{-20, 0.5f}, {18, -0.25f}});
        Matrix ys = Matrix.of(new float[][] {{1, 0}, {0, 1}});
        List<Matrix> bce = sigmoid.gradients(xs, ys, Loss.BINARY_CROSSENTROPY);
        List<double[][]> bceNumeric = new Float64Reference(sigmoid).centralDifferences(Float64Reference.toDoubles(xs),
                Float64Reference.toDoubles(ys), Loss.BINARY_CROSSENTROPY, 1e-6);
        assertClose(bce.get(0), bceNumeric.get(0), 1e-6, 1e-4, "sigmoid kernel");
        assertClose(bce.get(1), bceNumeric.get(1), 1e-6, 1e-4, "sigmoid bias");
        assertThat(bce.get(1).get(0, 0)).isZero(); // p = sigmoid(-20) < 1e-7: clipped, flat
    }

    @Test
    void handComputedLine() {
        // loss = mean((w x + b - y)^2) at w = 1, b = 0: dL/dw = mean(2 (x - y) x) = (2*(-1)*1 + 2*(-2)*2) / 2 = -5
        Network line = Network.of(Dense.of(new float[][] {{1}}, new float[] {0}, Activation.LINEAR));
        List<Matrix> g = line.gradients(Matrix.column(1, 2), Matrix.column(2, 4), Loss.MEAN_SQUARED_ERROR);
        assertThat(g.get(0)).isEqualTo(Matrix.column(-5));
        assertThat(g.get(1)).isEqualTo(Matrix.row(-3));
    }

    /** The example in {@link Network#gradients}'s Javadoc, verbatim. */
    @Test
    void javadocExample() {
        Network line = Network.of(Dense.of(new float[][] {{1}}, new float[] {0}, Activation.LINEAR));
        Matrix x = Matrix.column(1, 2);
        Matrix y = Matrix.column(2, 4);
        List<Matrix> g = line.gradients(x, y, Loss.MEAN_SQUARED_ERROR);
        // loss = mean((w x + b - y)^2): dL/dw = mean(2 (x - y) x) = -5, dL/db = mean(2 (x - y)) = -3
        float dw = g.get(0).get(0, 0);                     // -5.0
        float db = g.get(1).get(0, 0);                     // -3.0

        assertThat(dw).isEqualTo(-5.0f);
        assertThat(db).isEqualTo(-3.0f);
    }

    @Test
    void badShapesAreNamed() {
        Network network = Network.builder(2).dense(3, Activation.SOFTMAX).seed(1).build();
        assertThatThrownBy(() -> network.gradients(Matrix.zeros(4, 2), Matrix.zeros(3, 3), Loss.CATEGORICAL_CROSSENTROPY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("x has 4 rows but y has 3");
        assertThatThrownBy(() -> network.gradients(Matrix.zeros(4, 2), Matrix.zeros(4, 2), Loss.CATEGORICAL_CROSSENTROPY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("y has 2 columns but the network has 3 outputs");
        assertThatThrownBy(() -> network.gradients(Matrix.zeros(4, 5), Matrix.zeros(4, 3), Loss.CATEGORICAL_CROSSENTROPY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("x has 5 columns but the network has 2 inputs");
        assertThatThrownBy(() -> network.gradients(Matrix.zeros(4, 2), Matrix.zeros(4, 3), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loss must not be null");
    }

    static Network randomNetwork(SplittableRandom random, int inputs, Activation hidden, int units, Activation output, int outputs) {
        Network network = Network.builder(inputs).dense(units, hidden).dense(outputs, output).seed(random.nextLong()).build();
        List<Matrix> weights = new ArrayList<>(network.getWeights());
        weights.set(1, gaussian(random, 1, units, 0.3));
        weights.set(3, gaussian(random, 1, outputs, 0.3));
        return network.withWeights(weights);
    }

    static Matrix gaussian(SplittableRandom random, int rows, int cols, double scale) {
        float[][] values = new float[rows][cols];
        for (float[] row : values) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) (random.nextGaussian() * scale);
            }
        }
        return Matrix.of(values);
    }

    static Matrix targets(SplittableRandom random, Loss loss, int rows, int cols) {
        float[][] values = new float[rows][cols];
        for (float[] row : values) {
            if (loss == Loss.BINARY_CROSSENTROPY) {
                for (int c = 0; c < cols; c++) {
                    row[c] = random.nextBoolean() ? 1 : 0;
                }
            }
            if (loss == Loss.CATEGORICAL_CROSSENTROPY) {
                row[random.nextInt(cols)] = 1;
            }
            if (loss != Loss.BINARY_CROSSENTROPY && loss != Loss.CATEGORICAL_CROSSENTROPY) {
                for (int c = 0; c < cols; c++) {
                    row[c] = (float) random.nextGaussian();
                }
            }
        }
        return Matrix.of(values);
    }

    static void assertClose(Matrix actual, double[][] expected, double atol, double rtol, String what) {
        assertThat(actual.rows()).as(what + " rows").isEqualTo(expected.length);
        assertThat(actual.cols()).as(what + " cols").isEqualTo(expected[0].length);
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < expected[r].length; c++) {
                double e = expected[r][c];
                double a = actual.get(r, c);
                assertThat(Math.abs(a - e)).as("%s [%d][%d]: actual %s, expected %s", what, r, c, a, e)
                        .isLessThanOrEqualTo(atol + rtol * Math.abs(e));
            }
        }
    }
}
