package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backprop's weight gradients for every loss (and its from_logits, label_smoothing and parameter variants) against
 * central differences of the float64 forward pass ({@link GradientCheck}), on small tanh networks with the output
 * activation each loss expects: softmax or sigmoid for losses on probabilities, linear for logits and regressions,
 * softplus for those that need positive predictions (Poisson, MSLE). The loss values themselves are tied to PyTorch
 * by {@code LossReferenceTest}; this ties the chain rule (and the fused paths) to them. Targets avoid kinks (hinge
 * margins of exactly 0 do not occur with random weights). Float32 backprop against float64 differences agrees to
 * ~1e-5 relative; 1e-3 is the bound GradientCheck's own tests use.
 */
class LossGradientCheckTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Loss.MEAN_SQUARED_ERROR, Activation.LINEAR, "real"),
                Arguments.of(Loss.MEAN_ABSOLUTE_ERROR, Activation.LINEAR, "real"),
                Arguments.of(Loss.HUBER, Activation.LINEAR, "real"),
                Arguments.of(Loss.huber(0.3), Activation.LINEAR, "real"),
                Arguments.of(Loss.LOG_COSH, Activation.LINEAR, "real"),
                Arguments.of(Loss.MEAN_ABSOLUTE_PERCENTAGE_ERROR, Activation.LINEAR, "real"),
                Arguments.of(Loss.COSINE_SIMILARITY, Activation.LINEAR, "real"),
                Arguments.of(Loss.POISSON, Activation.SOFTPLUS, "counts"),
                Arguments.of(Loss.MEAN_SQUARED_LOGARITHMIC_ERROR, Activation.SOFTPLUS, "counts"),
                Arguments.of(Loss.HINGE, Activation.LINEAR, "binary"),
                Arguments.of(Loss.SQUARED_HINGE, Activation.TANH, "binary"),
                Arguments.of(Loss.CATEGORICAL_HINGE, Activation.LINEAR, "onehot"),
                Arguments.of(Loss.KL_DIVERGENCE, Activation.SOFTMAX, "distribution"),
                Arguments.of(Loss.BINARY_CROSSENTROPY, Activation.SIGMOID, "binary"),
                Arguments.of(Loss.binaryCrossentropy(false, 0.2), Activation.SIGMOID, "binary"),
                Arguments.of(Loss.binaryCrossentropy(true, 0.1), Activation.LINEAR, "binary"),
                Arguments.of(Loss.CATEGORICAL_CROSSENTROPY, Activation.SOFTMAX, "onehot"),
                Arguments.of(Loss.categoricalCrossentropy(false, 0.1), Activation.SOFTMAX, "onehot"),
                Arguments.of(Loss.categoricalCrossentropy(true, 0.0), Activation.LINEAR, "onehot"),
                Arguments.of(Loss.categoricalCrossentropy(true, 0.2), Activation.LINEAR, "onehot"),
                Arguments.of(Loss.BINARY_FOCAL_CROSSENTROPY, Activation.SIGMOID, "binary"),
                Arguments.of(Loss.binaryFocalCrossentropy(true, 0.3, 1.5, true, 0.1), Activation.LINEAR, "binary"));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void backpropMatchesCentralDifferences(Loss loss, Activation output, String targets) {
        SplittableRandom random = new SplittableRandom(loss.hashCode());
        Network network = Network.builder(3).dense(5, Activation.TANH).dense(4, output).seed(loss.toString().length()).build();
        float[][] x = new float[6][3];
        float[][] y = new float[6][4];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < 3; k++) {
                x[i][k] = (float) random.nextDouble(-2, 2);
            }
            int hot = random.nextInt(4);
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                y[i][j] = switch (targets) {
                    case "binary" -> random.nextBoolean() ? 1 : 0;
                    case "onehot" -> j == hot ? 1 : 0;
                    case "counts" -> random.nextInt(4);
                    case "distribution" -> (float) random.nextDouble(0.1, 1);
                    default -> (float) random.nextDouble(-2, 2);
                };
                sum += y[i][j];
            }
            if (targets.equals("distribution")) {
                for (int j = 0; j < 4; j++) {
                    y[i][j] /= (float) sum;
                }
            }
        }
        GradientCheck check = GradientCheck.of(network, Matrix.of(x), Matrix.of(y), loss);
        assertThat(check.weightsChecked()).isEqualTo(network.parameterCount());
        assertThat(check.isWithin(1e-3)).as("%s: %s", loss, check).isTrue();
    }
}
