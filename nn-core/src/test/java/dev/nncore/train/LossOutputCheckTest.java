package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cross-entropy on an output that is not a probability (issue 17: categorical cross-entropy on a linear output gave NaN
 * gradients and a GradientCheck of "Infinity ... numeric NaN") is refused before any work, by {@code fit},
 * {@link Network#gradients} and {@link GradientCheck}, with a message that names the fix.
 */
class LossOutputCheckTest {

    private static final Matrix X = Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    private static final Matrix ONE_HOT = Matrix.of(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}});
    private static final Matrix BINARY = Matrix.column(0, 1, 1, 0);

    private static final String CCE_ON_LINEAR = "categorical_crossentropy needs probabilities, but the last layer"
            + " \"dense_1\" of Network[2 -> Dense(4, relu) -> Dense(3, linear)] outputs linear values; end the network"
            + " with a softmax output, e.g. .dense(3, Activation.SOFTMAX), or keep it and use from_logits=true"
            + " (Loss.categoricalCrossentropy(true, 0)), or use a regression loss such as mean_squared_error";

    private static Network network(Activation output, int units) {
        return Network.builder(2).dense(4, Activation.RELU).dense(units, output).seed(7).build();
    }

    @Test
    void fitRefusesCategoricalCrossEntropyOnALinearOutputBeforeTraining() {
        List<Integer> epochsStarted = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, int epoch) {
                epochsStarted.add(epoch);
            }
        };
        Trainer backprop = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).epochs(3).listener(listener)
                .build();
        Network linear = network(Activation.LINEAR, 3);
        assertThatThrownBy(() -> backprop.fit(linear, X, ONE_HOT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(CCE_ON_LINEAR);
        assertThatThrownBy(() -> backprop.fit(linear, BatchSource.of(X, ONE_HOT, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(CCE_ON_LINEAR);
        Trainer finiteDifferences = FiniteDifferenceTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).epochs(3)
                .build();
        assertThatThrownBy(() -> finiteDifferences.fit(linear, X, ONE_HOT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(CCE_ON_LINEAR);
        assertThat(epochsStarted).isEmpty();
    }

    @Test
    void gradientsRefuseBinaryCrossEntropyOnAReluOutput() {
        Network relu = network(Activation.RELU, 1);
        assertThatThrownBy(() -> relu.gradients(X, BINARY, Loss.BINARY_CROSSENTROPY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("binary_crossentropy needs probabilities, but the last layer \"dense_1\" of"
                        + " Network[2 -> Dense(4, relu) -> Dense(1, relu)] outputs relu values; end the network with a"
                        + " sigmoid output, e.g. .dense(1, Activation.SIGMOID), or keep it and use from_logits=true"
                        + " (Loss.binaryCrossentropy(true, 0)), or use a regression loss such as mean_squared_error");
    }

    @Test
    void gradientCheckRefusesCrossEntropyOnALinearOutputInsteadOfReportingNaN() {
        assertThatThrownBy(() -> GradientCheck.of(network(Activation.LINEAR, 3), X, ONE_HOT,
                Loss.CATEGORICAL_CROSSENTROPY)).isInstanceOf(IllegalArgumentException.class).hasMessage(CCE_ON_LINEAR);
    }

    @Test
    void fromLogitsCrossEntropiesAreAcceptedOnALinearOutputAndProbabilityOnesRefused() {
        Network linear = network(Activation.LINEAR, 3);
        assertThat(linear.gradients(X, ONE_HOT, Loss.categoricalCrossentropy(true, 0))).hasSize(4);
        assertThat(network(Activation.LINEAR, 1).gradients(X, BINARY, Loss.binaryCrossentropy(true, 0.1))).hasSize(4);
        assertThatThrownBy(() -> Loss.SPARSE_CATEGORICAL_CROSSENTROPY.checkOutputs(linear))
                .hasMessageContaining("sparse_categorical_crossentropy needs probabilities")
                .hasMessageContaining("from_logits=true (Loss.sparseCategoricalCrossentropy(true))");
        Loss.sparseCategoricalCrossentropy(true).checkOutputs(linear);
    }

    @Test
    void probabilityOutputsAndRegressionLossesAreAccepted() {
        assertThat(network(Activation.SOFTMAX, 3).gradients(X, ONE_HOT, Loss.CATEGORICAL_CROSSENTROPY)).hasSize(4);
        assertThat(network(Activation.SIGMOID, 3).gradients(X, ONE_HOT, Loss.CATEGORICAL_CROSSENTROPY)).hasSize(4);
        assertThat(network(Activation.SIGMOID, 1).gradients(X, BINARY, Loss.BINARY_CROSSENTROPY)).hasSize(4);
        assertThat(network(Activation.HARD_SIGMOID, 1).gradients(X, BINARY, Loss.BINARY_CROSSENTROPY)).hasSize(4);
        // softmax as a layer of its own after a linear Dense layer, as Keras's Activation('softmax')
        Network separate = Network.builder(2).dense(3, Activation.LINEAR).activation(Activation.SOFTMAX).seed(7).build();
        assertThat(GradientCheck.of(separate, X, ONE_HOT, Loss.CATEGORICAL_CROSSENTROPY).worstRelativeError())
                .isLessThan(1e-3);
        assertThat(network(Activation.LINEAR, 1).gradients(X, BINARY, Loss.MEAN_SQUARED_ERROR)).hasSize(4);
        assertThat(BackpropTrainer.builder().loss(Loss.BINARY_CROSSENTROPY).epochs(2).build()
                .fit(network(Activation.SIGMOID, 1), X, BINARY).history().loss()).hasSize(2);
    }
}
