package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class LossTest {

    static Stream<Loss> firstFour() {
        return NetworkGradientsTest.FIRST_FOUR.stream();
    }

    static Stream<String> referenceCases() {
        return Stream.of("bce_4x3_multilabel", "bce_8x1", "cce_4x10", "cce_6x3", "mae_5x4", "mae_6x1", "mse_1x5", "mse_8x3");
    }

    /**
     * PyTorch float64 on float32-exact inputs. nn-core accumulates losses in double from float32 inputs, so the value
     * agrees to ~1e-15; the gradient is rounded once to float32 (relative 6e-8). The files' rule
     * (1e-5 + 1e-4 |expected|) holds with room to spare; we use the tighter 1e-7 + 1e-6 |expected|.
     */
    @ParameterizedTest
    @MethodSource("referenceCases")
    void matchesTheIndependentReference(String name) {
        Map<String, Object> c = Fixtures.json("/reference/loss/" + name + ".json");
        Loss loss = Loss.fromKerasName((String) c.get("loss"));
        Matrix predicted = Fixtures.matrix(c.get("predictions"));
        Matrix target = Fixtures.matrix(c.get("targets"));
        double expected = ((Number) c.get("loss_f64")).doubleValue();
        assertThat(loss.value(predicted, target)).isCloseTo(expected, within(1e-12 + 1e-12 * Math.abs(expected)));
        assertThat(loss.perSample(predicted, target)).containsExactly(Fixtures.doubles1d(c.get("per_sample_loss_f64")),
                within(1e-12));
        Fixtures.assertClose(loss.gradient(predicted, target), Fixtures.doubles2d(c.get("grad_wrt_predictions_f64")),
                1e-7, 1e-6, name + " gradient");
    }

    /**
     * The gradient is d value / d predicted: compare with central differences of the double-precision value.
     * Predictions are kept away from the clip bounds and from |p - t| = 0 (MAE's kink), where a difference quotient
     * straddles a corner. With step h = 1e-3 on values of order 1, the truncation error is O(h^2 f''') ~ 1e-6 relative
     * to the gradient; the float32 rounding of the analytic gradient adds 6e-8. A 1e-4 relative bound is ample yet
     * would catch a missing factor such as 1/N or 2.
     */
    @ParameterizedTest
    @MethodSource("firstFour")
    void gradientEqualsCentralFiniteDifferences(Loss loss) {
        Random random = new Random(NetworkGradientsTest.FIRST_FOUR.indexOf(loss));
        int rows = 4;
        int cols = 3;
        float[][] p = new float[rows][cols];
        float[][] t = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                p[i][j] = 0.1f + 0.8f * random.nextFloat();
                t[i][j] = loss == Loss.CATEGORICAL_CROSSENTROPY ? (j == i % cols ? 1 : 0) : random.nextFloat();
                if (Math.abs(p[i][j] - t[i][j]) < 0.05f) {
                    t[i][j] += 0.1f;
                }
            }
        }
        Matrix gradient = loss.gradient(Matrix.of(p), Matrix.of(t));
        double h = 1e-3;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double numeric = (valueAt(loss, p, t, i, j, h) - valueAt(loss, p, t, i, j, -h)) / (2 * h);
                assertThat((double) gradient.get(i, j)).as("%s d/dp[%d][%d]", loss, i, j)
                        .isCloseTo(numeric, within(1e-4 * Math.abs(numeric) + 1e-7));
            }
        }
    }

    /** The loss with p[i][j] moved by delta, evaluated in double (a float32 matrix would round the step away). */
    private static double valueAt(Loss loss, float[][] p, float[][] t, int i, int j, double delta) {
        double sum = 0;
        for (int r = 0; r < p.length; r++) {
            double[] row = new double[p[r].length];
            for (int c = 0; c < row.length; c++) {
                row[c] = p[r][c] + (r == i && c == j ? delta : 0);
            }
            sum += doubleSampleLoss(loss, row, t[r]);
        }
        return sum / p.length;
    }

    /** An independent double-precision statement of each per-sample loss, straight from the Keras definitions. */
    private static double doubleSampleLoss(Loss loss, double[] p, float[] t) {
        double total = 0;
        if (loss == Loss.MEAN_SQUARED_ERROR) {
            for (int j = 0; j < p.length; j++) {
                total += (p[j] - t[j]) * (p[j] - t[j]) / p.length;
            }
        }
        if (loss == Loss.MEAN_ABSOLUTE_ERROR) {
            for (int j = 0; j < p.length; j++) {
                total += Math.abs(p[j] - t[j]) / p.length;
            }
        }
        if (loss == Loss.BINARY_CROSSENTROPY) {
            for (int j = 0; j < p.length; j++) {
                total -= (t[j] * Math.log(p[j]) + (1 - t[j]) * Math.log(1 - p[j])) / p.length;
            }
        }
        if (loss == Loss.CATEGORICAL_CROSSENTROPY) {
            double s = 0;
            for (double v : p) {
                s += v;
            }
            for (int j = 0; j < p.length; j++) {
                total -= t[j] * Math.log(p[j] / s);
            }
        }
        return total;
    }

    @Test
    void crossEntropiesClipToKerasEpsilonAndHaveZeroGradientOutside() {
        // p = 0 with t = 1: Keras clips p to 1e-7 (float32), so the loss is -log(1e-7f) and flat in p.
        Matrix p = Matrix.of(new float[][] {{0f}});
        Matrix t = Matrix.of(new float[][] {{1f}});
        assertThat(Loss.BINARY_CROSSENTROPY.value(p, t)).isCloseTo(-Math.log(1e-7f), within(1e-12));
        assertThat(Loss.BINARY_CROSSENTROPY.gradient(p, t).get(0, 0)).isZero();
        Matrix q = Matrix.of(new float[][] {{0f, 1f}});
        Matrix onehot = Matrix.of(new float[][] {{1f, 0f}});
        assertThat(Loss.CATEGORICAL_CROSSENTROPY.value(q, onehot)).isCloseTo(-Math.log(1e-7f), within(1e-12));
        assertThat(Loss.BINARY_CROSSENTROPY.value(Matrix.row(1f), Matrix.row(1f))).isCloseTo(-Math.log(1f - 1e-7f), within(1e-15));
    }

    @Test
    void categoricalCrossentropyNormalisesRowsFirst() {
        // Unnormalised row (2, 2) with target (1, 0): q = (1/2, 1/2), loss = ln 2.
        assertThat(Loss.CATEGORICAL_CROSSENTROPY.value(Matrix.row(2, 2), Matrix.row(1, 0))).isCloseTo(Math.log(2), within(1e-15));
    }

    @Test
    void acceptsKerasNamesAliasesAndClassNames() {
        assertThat(Loss.fromKerasName("mse")).isSameAs(Loss.MEAN_SQUARED_ERROR);
        assertThat(Loss.fromKerasName("MSE")).isSameAs(Loss.MEAN_SQUARED_ERROR);
        assertThat(Loss.fromKerasName("mean_squared_error")).isSameAs(Loss.MEAN_SQUARED_ERROR);
        assertThat(Loss.fromKerasName("MeanSquaredError")).isSameAs(Loss.MEAN_SQUARED_ERROR);
        assertThat(Loss.fromKerasName("mae")).isSameAs(Loss.MEAN_ABSOLUTE_ERROR);
        assertThat(Loss.fromKerasName("binary_crossentropy")).isSameAs(Loss.BINARY_CROSSENTROPY);
        assertThat(Loss.fromKerasName("bce")).isSameAs(Loss.BINARY_CROSSENTROPY);
        assertThat(Loss.fromKerasName("CategoricalCrossentropy")).isSameAs(Loss.CATEGORICAL_CROSSENTROPY);
        for (Loss loss : Loss.values()) {
            assertThat(Loss.fromKerasName(loss.kerasName())).isSameAs(loss);
        }
    }

    @Test
    void kerasConfigsGiveTheirParameters() {
        assertThat(Loss.fromKeras("SparseCategoricalCrossentropy", Map.of("from_logits", true, "reduction",
                "sum_over_batch_size", "name", "sparse_categorical_crossentropy")))
                .isEqualTo(Loss.sparseCategoricalCrossentropy(true));
        assertThat(Loss.fromKeras("CategoricalCrossentropy", Map.of("label_smoothing", 0.1, "axis", -1)))
                .isEqualTo(Loss.categoricalCrossentropy(false, 0.1));
        assertThat(Loss.fromKeras("BinaryCrossentropy", Map.of())).isSameAs(Loss.BINARY_CROSSENTROPY);
        assertThat(Loss.fromKeras("Huber", Map.of("delta", 2.5)).parameters()).isEqualTo(Map.of("delta", 2.5));
        assertThat(Loss.fromKeras("mse", null)).isSameAs(Loss.MEAN_SQUARED_ERROR);
        assertThat(Loss.fromKeras("BinaryFocalCrossentropy", Map.of("gamma", 3.0, "apply_class_balancing", true)))
                .isEqualTo(Loss.binaryFocalCrossentropy(true, 0.25, 3.0, false, 0));
        assertThat(Loss.fromKerasName("mape")).isSameAs(Loss.MEAN_ABSOLUTE_PERCENTAGE_ERROR);
        assertThat(Loss.fromKerasName("KLDivergence")).isSameAs(Loss.KL_DIVERGENCE);
        assertThat(Loss.fromKerasName("SparseCategoricalCrossentropy")).isSameAs(Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
        assertThat(Loss.huber(1.0)).isSameAs(Loss.HUBER);
        assertThat(Loss.huber(2.0).toString()).isEqualTo("huber{delta=2.0}");
        assertThat(Loss.HUBER.toString()).isEqualTo("huber");
        assertThatThrownBy(() -> Loss.fromKeras("MeanSquaredError", Map.of("reduction", "sum")))
                .hasMessage("loss reduction 'sum' is not supported; nn-core takes the mean over the batch (sum_over_batch_size)");
        assertThatThrownBy(() -> Loss.binaryCrossentropy(false, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label_smoothing");
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Loss.fromKerasName("ctc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unknown loss 'ctc'; nn-core knows mean_squared_error, mean_absolute_error, ");
    }

    @Test
    void rejectsShapesThatDiffer() {
        assertThatThrownBy(() -> Loss.MEAN_SQUARED_ERROR.value(Matrix.zeros(4, 3), Matrix.zeros(4, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("predicted is 4x3 but target is 4x2; they must have the same shape (one row per sample, one column per output)");
        assertThatThrownBy(() -> Loss.MEAN_ABSOLUTE_ERROR.gradient(Matrix.zeros(4, 3), Matrix.zeros(3, 3)))
                .hasMessageContaining("predicted is 4x3 but target is 3x3");
    }

    @Test
    void nanPropagatesIntoValueAndGradient() {
        Matrix p = Matrix.row(Float.NaN, 0.5f);
        Matrix t = Matrix.row(1, 0);
        for (Loss loss : Loss.values()) {
            Matrix target = loss.sparseTargets() ? Matrix.row(1) : t;
            assertThat(loss.value(p, target)).as(loss.toString()).isNaN();
            assertThat(loss.gradient(p, target).get(0, 0)).as(loss.toString()).isNaN();
            // a NaN where the target is 0, whose term the cross-entropies skip the logarithm of
            assertThat(loss.value(Matrix.row(0.5f, Float.NaN), target)).as(loss.toString()).isNaN();
        }
    }
    /**
     * The cross-entropies read a float32 row in place on the training path; widening a float to a double is exact, so
     * each value must equal the widened row's bit for bit: one-hot, soft and unnormalised rows, probabilities that clip,
     * zeros, NaN, and the smoothed and logit variants that take the widened path.
     */
    @Test
    void aFloatRowReadInPlaceGivesTheWidenedRowsLoss() {
        Loss[] losses = {Loss.CATEGORICAL_CROSSENTROPY, Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
            Loss.categoricalCrossentropy(false, 0.1), Loss.categoricalCrossentropy(true, 0),
            Loss.sparseCategoricalCrossentropy(true)};
        Random random = new Random(11);
        for (int trial = 0; trial < 2_000; trial++) {
            float[] p = new float[10];
            for (int j = 0; j < p.length; j++) {
                int kind = random.nextInt(20);
                p[j] = kind == 0 ? 0f : kind == 1 ? 1e-9f : kind == 2 ? 1f : kind == 3 && trial % 50 == 0 ? Float.NaN
                        : random.nextFloat();
            }
            float[] oneHot = new float[10];
            int label = random.nextInt(10);
            oneHot[label] = 1;
            float[] soft = new float[10];
            for (int j = 0; j < soft.length; j++) {
                soft[j] = random.nextInt(3) == 0 ? 0 : random.nextFloat();
            }
            double[] wide = new double[10];
            for (int j = 0; j < p.length; j++) {
                wide[j] = p[j];
            }
            for (Loss loss : losses) {
                float[][] targets = loss.formula().sparse() ? new float[][] {{label}} : new float[][] {oneHot, soft};
                for (float[] t : targets) {
                    assertThat(Double.doubleToRawLongBits(loss.sampleLoss(p, t))).as("%s on %s", loss, java.util.Arrays.toString(p))
                            .isEqualTo(Double.doubleToRawLongBits(loss.sampleValue(wide, t)));
                }
            }
        }
    }
}
