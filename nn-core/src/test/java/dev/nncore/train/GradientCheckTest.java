package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import org.junit.jupiter.api.Test;

class GradientCheckTest {

    @Test
    void correctGradientsAgreeToFloat32Precision() {
        Network network = Network.builder(3).dense(5, Activation.TANH).dense(4, Activation.RELU).dense(2, Activation.SIGMOID)
                .seed(8).build();
        Matrix x = Matrix.of(new float[][] {{0.5f, -1, 2}, {1, 0.25f, -0.5f}, {-2, 1, 0.75f}});
        Matrix y = Matrix.of(new float[][] {{1, 0}, {0, 1}, {1, 1}});

        GradientCheck check = GradientCheck.of(network, x, y, Loss.BINARY_CROSSENTROPY);

        assertThat(check.weightsChecked()).isEqualTo(network.parameterCount());
        assertThat(check.worstRelativeError()).isLessThan(1e-4);
        assertThat(check.isWithin(1e-3)).isTrue();
        assertThat(check.toString()).startsWith("worst relative error ").contains(" at layer " + check.layer() + " (\"" + check.layerName() + "\") "
                + check.weightKind() + "[" + check.row() + "][" + check.column() + "]").endsWith("(" + network.parameterCount() + " weights)");
    }

    /** Every trainable weight of every layer kind, none of the moving statistics; names are the layers' Keras names. */
    @Test
    void checksTheTrainableWeightsOfEveryLayer() {
        Network network = Network.builder(3).dense(4, Activation.TANH).batchNormalization().dropout(0.5).prelu()
                .layerNormalization().dense(2, Activation.LINEAR).activation(Activation.SOFTMAX).seed(8).build();
        Matrix x = Matrix.of(new float[][] {{0.5f, -1, 2}, {1, 0.25f, -0.5f}, {-2, 1, 0.75f}});
        Matrix y = Matrix.of(new float[][] {{1, 0}, {0, 1}, {1, 0}});

        GradientCheck check = GradientCheck.of(network, x, y, Loss.CATEGORICAL_CROSSENTROPY);

        assertThat(check.weightsChecked()).isEqualTo(network.trainableParameterCount()).isEqualTo(network.parameterCount() - 8);
        assertThat(check.isWithin(1e-3)).as(check.toString()).isTrue();
        assertThat(network.layers().get(check.layer()).weightNames()).contains(check.weightKind());
    }

    /**
     * A check must be able to fail. ReLU's kink is one-sided: at z = 0 exactly the analytic derivative is Keras's 0,
     * while central differences see the average of the slopes 0 and 1. The check reports the first weight in front
     * of that kink, with relative error 1.
     */
    @Test
    void aKinkShowsAsALargeErrorAtItsWeight() {
        Network network = Network.of(Dense.of(new float[][] {{1}}, new float[] {-1}, Activation.RELU),
                Dense.of(new float[][] {{2}}, new float[] {0.5f}, Activation.LINEAR));
        Matrix x = Matrix.column(1); // z = 1 * 1 - 1 = 0
        Matrix y = Matrix.column(3);

        GradientCheck check = GradientCheck.of(network, x, y, Loss.MEAN_SQUARED_ERROR);

        assertThat(check.isWithin(1e-3)).isFalse();
        assertThat(check.worstRelativeError()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(check.layer()).isZero();
        assertThat(check.layerName()).isEqualTo("dense");
        assertThat(check.weightKind()).isEqualTo("kernel");
        assertThat(check.row()).isZero();
        assertThat(check.column()).isZero();
        assertThat(check.analytic()).isZero();
        // dL/da = 2 (0.5 - 3) * 2 = -10, times the half slope 0.5 and x = 1; one-sided, the loss's curvature
        // (d2L/dw2 = 8 on the active side) adds 8 h / 4 = 2e-5 for h = 1e-5
        assertThat(check.numeric()).isCloseTo(-5.0 + 2e-5, org.assertj.core.data.Offset.offset(1e-8));
    }

    @Test
    void badDataIsNamed() {
        Network network = Network.builder(2).dense(1, Activation.LINEAR).seed(1).build();
        assertThatThrownBy(() -> GradientCheck.of(network, Matrix.of(new float[][] {{1, Float.NaN}}), Matrix.column(1), Loss.MEAN_SQUARED_ERROR))
                .hasMessageStartingWith("x has NaN at row 0, column 1");
        assertThatThrownBy(() -> GradientCheck.of(network, Matrix.zeros(2, 2), Matrix.column(1), Loss.MEAN_SQUARED_ERROR))
                .hasMessageStartingWith("x has 2 rows but y has 1");
    }
}
