package dev.nncore;

import static dev.nncore.testing.Fixtures.assertClose;
import static dev.nncore.testing.Fixtures.doubles2d;
import static dev.nncore.testing.Fixtures.floats1d;
import static dev.nncore.testing.Fixtures.floats2d;
import static dev.nncore.testing.Fixtures.matrix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.FiniteDifferenceTrainer;
import dev.nncore.train.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Dense's {@code activity_regularizer} as Keras 3 trains it (the penalty of each batch's outputs, undivided), against
 * PyTorch float64 ({@code reference/activity/make_activity.py}): the loss, its gradients and three SGD steps.
 */
class ActivityRegularizerTest {

    private static final Map<String, Object> REFERENCE = Fixtures.json("/reference/activity/activity.json");

    private static Network network() {
        List<?> w = (List<?>) REFERENCE.get("weights");
        Dense hidden = Dense.of(floats2d(w.get(0)), floats1d(((List<?>) w.get(1)).get(0)), Activation.RELU)
                .withRegularizers(null, null, Regularizer.l2(0.01));
        Dense output = Dense.of(floats2d(w.get(2)), floats1d(((List<?>) w.get(3)).get(0)), Activation.LINEAR)
                .withRegularizers(null, null, Regularizer.l1(0.001));
        return Network.of(hidden, output);
    }

    @Test
    void theLossAndItsGradientsHoldTheOutputsPenalties() {
        Network network = network();
        List<float[][]> weights = new ArrayList<>();
        for (Matrix weight : network.getWeights()) {
            weights.add(weight.toArray());
        }
        Backprop backprop = Backprop.of(network, Loss.MEAN_SQUARED_ERROR, weights, new SplittableRandom(1));
        float[][] y = floats2d(REFERENCE.get("y"));
        double loss = backprop.forward(floats2d(REFERENCE.get("x")), y, true);
        assertThat(loss).isCloseTo((Double) REFERENCE.get("loss"), within(1e-6));
        List<float[][]> gradients = backprop.newGradients();
        backprop.backward(y, gradients);
        List<?> expected = (List<?>) REFERENCE.get("gradients");
        for (int t = 0; t < gradients.size(); t++) {
            assertClose(Matrix.of(gradients.get(t)), doubles2d(expected.get(t)), 1e-6, 1e-4, "gradient " + t);
        }
    }

    @Test
    void fitMinimisesThemAsKeras3Does() {
        Network trained = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.1))
                .epochs(3).batchSize(4).shuffle(false).seed(1).build()
                .fit(network(), matrix(REFERENCE.get("x")), matrix(REFERENCE.get("y"))).network();
        List<?> expected = (List<?>) REFERENCE.get("trained");
        for (int t = 0; t < expected.size(); t++) {
            assertClose(trained.getWeights().get(t), doubles2d(expected.get(t)), 1e-6, 1e-4, "weight " + t);
        }
    }

    @Test
    void networkGradientsAreTheLossAloneAndFiniteDifferencesRefuseThePenalty() {
        Network regularised = network();
        Network plain = Network.of(regularised.layers().stream()
                .map(layer -> (Layer) ((Dense) layer).withRegularizers(null, null, null)).toList());
        Matrix x = matrix(REFERENCE.get("x"));
        Matrix y = matrix(REFERENCE.get("y"));
        assertThat(regularised.gradients(x, y, Loss.MEAN_SQUARED_ERROR)).isEqualTo(plain.gradients(x, y, Loss.MEAN_SQUARED_ERROR));
        assertThatThrownBy(() -> FiniteDifferenceTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).build().fit(regularised, x, y))
                .hasMessageContaining("activity_regularizer").hasMessageContaining("BackpropTrainer");
    }
}
