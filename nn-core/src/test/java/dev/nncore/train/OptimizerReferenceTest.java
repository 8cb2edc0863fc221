package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import dev.nncore.testing.ReferenceCase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptimizerReferenceTest {

    /**
     * Full-batch, unshuffled fits of 1 and 10 epochs (one step each) against the float64 Keras formulas. Our weights
     * are float32: storing one costs up to 3e-8 (half an ulp at |w| < 1), each step adds a float32 rounding of the
     * update and a ~1e-6 relative gradient error times the learning rate (1e-2 at most here), so ten steps stay well
     * under 1e-7 + 1e-6 relative for SGD. Adam divides by sqrt(v): near g = 0 its first step is
     * lr * g / (|g| + 3.2e-6), whose slope 3e5 * lr turns a 1e-9 gradient error into 3e-7. The files' recommended
     * 1e-6 absolute plus 1e-4 relative is the budget (TF.js float32 uses up to a fifth of it); we ask for a tenth.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"train_mse_sgd_3-6-1.json", "train_cce_sgd_4-8-3.json", "train_bce_momentum_4-6-1.json",
            "train_mse_adam_3-6-1.json"})
    void fullBatchStepsReproduceKerasFormulas(String file) {
        ReferenceCase reference = ReferenceCase.load("reference/train/" + file);
        Network start = reference.network();
        Matrix x = reference.x();
        Matrix y = reference.y();
        Optimizer optimizer = optimizer(reference.object("optimizer"));
        List<Double> expectedLosses = ((List<?>) reference.get("loss_history_f64")).stream()
                .map(v -> ((Number) v).doubleValue()).toList();

        for (Object checkpoint : reference.list("checkpoints")) {
            Map<?, ?> expected = (Map<?, ?>) checkpoint;
            int steps = ((Number) expected.get("steps")).intValue();
            TrainingResult result = BackpropTrainer.builder()
                    .loss(reference.loss()).optimizer(optimizer).epochs(steps).batchSize(x.rows()).shuffle(false).build()
                    .fit(start, x, y);

            List<Matrix> weights = result.network().getWeights();
            List<?> expectedWeights = (List<?>) expected.get("weights_f64");
            for (int t = 0; t < weights.size(); t++) {
                double[][] e = ReferenceCase.doubles((List<?>) expectedWeights.get(t));
                for (int r = 0; r < e.length; r++) {
                    for (int c = 0; c < e[r].length; c++) {
                        double actual = weights.get(t).get(r, c);
                        assertThat(Math.abs(actual - e[r][c])).as("%s after %d steps, tensor %d [%d][%d]: %s vs %s", file, steps,
                                t, r, c, actual, e[r][c]).isLessThanOrEqualTo(1e-7 + 1e-5 * Math.abs(e[r][c]));
                    }
                }
            }
            // Keras's epoch loss is the batch loss before the update: with full batches, the loss at each step's start.
            for (int epoch = 0; epoch < steps; epoch++) {
                assertThat(result.history().loss().get(epoch)).as("%s loss of epoch %d", file, epoch)
                        .isCloseTo(expectedLosses.get(epoch), org.assertj.core.data.Offset.offset(1e-6 * expectedLosses.get(epoch)));
            }
        }
    }

    private static Optimizer optimizer(Map<?, ?> spec) {
        double lr = ((Number) spec.get("learning_rate")).doubleValue();
        return switch ((String) spec.get("name")) {
            case "sgd" -> Optimizer.sgd(lr);
            case "sgd_momentum" -> Optimizer.sgd(lr, ((Number) spec.get("momentum")).doubleValue());
            case "adam" -> Optimizer.adam(lr, ((Number) spec.get("beta_1")).doubleValue(), ((Number) spec.get("beta_2")).doubleValue(),
                    ((Number) spec.get("epsilon")).doubleValue());
            default -> throw new IllegalArgumentException("unknown optimizer " + spec);
        };
    }

    /** One weight, loss (w - 0)^2 / 1 with x = 1, y = 0: gradient 2w. Each rule by hand, in float64. */
    @Test
    void eachRuleByHand() {
        Network one = Network.of(Dense.of(new float[][] {{1}}, new float[] {0}, Activation.LINEAR));
        Matrix x = Matrix.column(1);
        Matrix y = Matrix.column(0);
        // gradient of mean((w + b)^2) in w and in b is 2 (w + b); start w = 1, b = 0.
        assertThat(step(one, x, y, Optimizer.sgd(0.1), 1)).containsExactly((float) (1 - 0.1 * 2), (float) (-0.1 * 2));

        // momentum 0.9: v1 = -0.2, w1 = 0.8, b1 = -0.2; g2 = 2 (0.8 - 0.2) = 1.2; v2 = 0.9 (-0.2) - 0.12 = -0.3
        assertThat(step(one, x, y, Optimizer.sgd(0.1, 0.9), 2)[0]).isCloseTo(0.8f - 0.3f, org.assertj.core.data.Offset.offset(1e-6f));

        // Adam, first step: m = 0.1 g, v = 0.001 g^2, lr_t = lr sqrt(0.001) / 0.1, w -= lr_t m / (sqrt v + eps)
        double g = 2;
        double lrT = 0.001 * Math.sqrt(1 - 0.999) / (1 - 0.9);
        double expectedAdam = 1 - lrT * (0.1 * g) / (Math.sqrt(0.001 * g * g) + 1e-7);
        assertThat(step(one, x, y, Optimizer.adam(), 1)[0]).isEqualTo((float) expectedAdam);

        // RMSprop (Keras 3): s = 0.1 g^2, w -= lr g / sqrt(s + eps)
        double expectedRms = 1 - 0.001 * g / Math.sqrt(0.1 * g * g + 1e-7);
        assertThat(step(one, x, y, Optimizer.rmsprop(), 1)[0]).isEqualTo((float) expectedRms);
    }

    private static float[] step(Network network, Matrix x, Matrix y, Optimizer optimizer, int epochs) {
        Network trained = BackpropTrainer.builder().loss(dev.nncore.Loss.MEAN_SQUARED_ERROR).optimizer(optimizer)
                .epochs(epochs).shuffle(false).build().fit(network, x, y).network();
        return new float[] {trained.getWeights().get(0).get(0, 0), trained.getWeights().get(1).get(0, 0)};
    }

    @Test
    void defaultsAndChecksAreKeras() {
        assertThat(Optimizer.adam()).hasToString("Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-7)");
        assertThat(Optimizer.rmsprop()).hasToString("RMSprop(learningRate=0.001, rho=0.9, epsilon=1.0E-7)");
        assertThat(Optimizer.sgd()).isEqualTo(Optimizer.sgd(0.01, 0));
        assertThat(Optimizer.sgd(0.01, 0.9).kerasName()).isEqualTo("sgd");
        assertThatThrownBy(() -> Optimizer.sgd(0)).hasMessage("learningRate must be a finite number above 0, got 0.0");
        assertThatThrownBy(() -> Optimizer.sgd(0.1, 1)).hasMessage("momentum must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> Optimizer.adam(0.1, 0.9, 1.5, 1e-7)).hasMessage("beta2 must be in [0, 1), got 1.5");
    }
}
