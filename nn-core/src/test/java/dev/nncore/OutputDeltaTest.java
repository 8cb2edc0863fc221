package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused output gradients against two independent routes: the loss's own gradient through the activation's
 * Jacobian (the general path), and the {@code from_logits} loss's gradient at the logits, which
 * {@link LossReferenceTest} ties to PyTorch's {@code cross_entropy} and {@code binary_cross_entropy_with_logits}.
 * All three are the same derivative; the tolerance is float32 rounding of values of order 1 (1e-6 absolute, as the
 * softmax probabilities are themselves float32).
 */
class OutputDeltaTest {

    @Test
    void knownCase() {
        OutputDelta delta = OutputDelta.of(Loss.CATEGORICAL_CROSSENTROPY, Activation.SOFTMAX);
        float[] out = new float[2];
        delta.delta(new float[] {0.25f, 0.75f}, new float[] {0, 1}, 1.0, out);
        assertThat(out).containsExactly(0.25f, -0.25f);
        assertThat(delta.fusedWithActivation()).isTrue();
        assertThat(OutputDelta.of(Loss.categoricalCrossentropy(true, 0), Activation.LINEAR).fusedWithActivation()).isFalse();
        assertThat(OutputDelta.of(Loss.MEAN_SQUARED_ERROR, Activation.SOFTMAX).fusedWithActivation()).isFalse();
    }

    @Test
    void softmaxPairsEqualTheGeneralChainRuleAndTheLogitsGradient() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + random.nextInt(6);
            float[] z = new float[n];
            for (int j = 0; j < n; j++) {
                z[j] = (float) (3 * random.nextGaussian());
            }
            float[] p = Activation.SOFTMAX.apply(z);
            int label = random.nextInt(n);
            float[] oneHot = new float[n];
            oneHot[label] = 1;
            double smoothing = trial % 2 == 0 ? 0 : 0.1;
            check(Loss.categoricalCrossentropy(false, smoothing), Loss.categoricalCrossentropy(true, smoothing),
                    Activation.SOFTMAX, z, p, oneHot);
            check(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Loss.sparseCategoricalCrossentropy(true), Activation.SOFTMAX, z, p,
                    new float[] {label});
            float[] binaryTarget = new float[n];
            for (int j = 0; j < n; j++) {
                binaryTarget[j] = random.nextBoolean() ? 1 : 0;
            }
            check(Loss.binaryCrossentropy(false, smoothing), Loss.binaryCrossentropy(true, smoothing), Activation.SIGMOID, z,
                    Activation.SIGMOID.apply(z), binaryTarget);
        }
    }

    private static void check(Loss onProbabilities, Loss onLogits, Activation activation, float[] z, float[] p, float[] t) {
        OutputDelta fused = OutputDelta.of(onProbabilities, activation);
        assertThat(fused.fusedWithActivation()).isTrue();
        float[] delta = new float[p.length];
        fused.delta(p, t, 0.5, delta);
        float[] lossGradient = new float[p.length];
        onProbabilities.sampleGradient(p, t, 0.5, lossGradient);
        float[] chain = activation.gradient(z, lossGradient);
        float[] logits = new float[p.length];
        onLogits.sampleGradient(z, t, 0.5, logits);
        for (int j = 0; j < p.length; j++) {
            assertThat(delta[j]).as("%s vs chain rule, output %d", onProbabilities, j).isCloseTo(chain[j], within(1e-5f));
            assertThat(delta[j]).as("%s vs from_logits, output %d", onProbabilities, j).isCloseTo(logits[j], within(1e-6f));
        }
    }

    /**
     * A softmax row whose probability is clipped (below 1e-7) leaves the fused form: the loss is flat there, and the
     * delta is the loss's gradient through the softmax Jacobian, for one-hot and sparse targets alike.
     */
    @Test
    void aClippedSoftmaxRowTakesTheGeneralChainRule() {
        float[] z = {0, 20, -5};
        float[] p = Activation.SOFTMAX.apply(z);   // p[2] ~ 3e-11, clipped
        for (Loss loss : new Loss[] {Loss.CATEGORICAL_CROSSENTROPY, Loss.SPARSE_CATEGORICAL_CROSSENTROPY}) {
            float[] t = loss.sparseTargets() ? new float[] {2} : new float[] {0, 0, 1};
            float[] delta = new float[3];
            OutputDelta.of(loss, Activation.SOFTMAX).delta(p, t, 1.0, delta);
            float[] lossGradient = new float[3];
            loss.sampleGradient(p, t, 1.0, lossGradient);
            assertThat(delta).as(loss.toString()).containsExactly(Activation.SOFTMAX.gradient(z, lossGradient));
        }
        float[] sigmoid = {1e-9f, 0.5f};
        float[] delta = new float[2];
        OutputDelta.of(Loss.BINARY_CROSSENTROPY, Activation.SIGMOID).delta(sigmoid, new float[] {1, 1}, 1.0, delta);
        assertThat(delta).containsExactly(0f, -0.25f);
    }

    /**
     * Probabilities within a few ulps of the clip bounds (1e-7 and 1 - 1e-7, relative to the row's sum) take the fused
     * form exactly when dividing by the sum gives an unclipped value: the shortcut that skips the division for
     * probabilities clear of the bounds never decides a case the division would decide otherwise.
     */
    @Test
    void probabilitiesAtTheClipBoundsChooseThePathTheDivisionChooses() {
        Loss loss = Loss.CATEGORICAL_CROSSENTROPY;
        OutputDelta fused = OutputDelta.of(loss, Activation.SOFTMAX);
        int fusedRows = 0;
        int clippedRows = 0;
        for (float bound : new float[] {1e-7f, 1f - 1e-7f}) {
            for (int step = -6; step <= 6; step++) {
                float x = Float.intBitsToFloat(Float.floatToIntBits(bound) + step);
                // the other probability a few of its own ulps either side of 1 - x: row sums within ~2^-46 of 1 move
                // x / sum across the bound by less than one float ulp of x
                for (int k : new int[] {0, 1, -1, 3, -3, 1000, -1000, 50_000, -50_000}) {
                    float rest = 1f - x;
                    float y = Float.intBitsToFloat(Float.floatToIntBits(rest) + (Math.abs(k) > 3 && rest > 0.5f ? 0 : k));
                    float[] p = {x, y};
                    float[] t = {1, 0};
                    double rowSum = (double) p[0] + p[1];
                    boolean clipped = LossFormula.clipped(p[0] / rowSum) || LossFormula.clipped(p[1] / rowSum);
                    float[] expected = new float[2];
                    if (clipped) {
                        float[] lossGradient = new float[2];
                        loss.sampleGradient(p, t, 0.5, lossGradient);
                        Activation.SOFTMAX.function().gradient(null, p, lossGradient, expected);
                        clippedRows++;
                    } else {
                        double ratio = 1 / rowSum;
                        expected[0] = (float) ((p[0] * ratio - 1) * 0.5);
                        expected[1] = (float) ((p[1] * ratio) * 0.5);
                        fusedRows++;
                    }
                    float[] delta = new float[2];
                    fused.delta(p, t, 0.5, delta);
                    assertThat(delta).as("p = %s, %s", p[0], p[1]).containsExactly(expected);
                }
            }
        }
        assertThat(fusedRows).isPositive();
        assertThat(clippedRows).isPositive();
    }

    /** Backprop through a softmax network with sparse labels gives the gradients of one-hot categorical targets. */
    @Test
    void sparseLabelsBackpropLikeOneHotTargets() {
        Network network = Network.builder(3).dense(5, Activation.TANH).dense(4, Activation.SOFTMAX).seed(9).build();
        float[][] x = {{0.1f, -1, 2}, {1, 1, 0}, {-0.5f, 0.3f, 0.2f}};
        float[][] labels = {{3}, {0}, {2}};
        float[][] oneHot = {{0, 0, 0, 1}, {1, 0, 0, 0}, {0, 0, 1, 0}};
        List<float[][]> sparse = gradients(network, Loss.SPARSE_CATEGORICAL_CROSSENTROPY, x, labels);
        List<float[][]> dense = gradients(network, Loss.CATEGORICAL_CROSSENTROPY, x, oneHot);
        for (int w = 0; w < sparse.size(); w++) {
            assertThat(sparse.get(w)).isDeepEqualTo(dense.get(w));
        }
    }

    private static List<float[][]> gradients(Network network, Loss loss, float[][] x, float[][] y) {
        List<float[][]> weights = new ArrayList<>();
        for (Matrix w : network.getWeights()) {
            weights.add(w.toArray());
        }
        Backprop backprop = Backprop.of(network, loss, weights, new SplittableRandom(1));
        backprop.forward(x, y, false);
        List<float[][]> gradients = backprop.newGradients();
        backprop.backward(y, gradients);
        return gradients;
    }

    @Test
    void aTrainingForwardNamesTheLayerAnInputRowDoesNotFit() {
        Network network = Network.builder(3).dense(2, Activation.RELU, "hidden").dense(1, Activation.LINEAR)
                .build();
        List<float[][]> weights = new ArrayList<>();
        for (Matrix w : network.getWeights()) {
            weights.add(w.toArray());
        }
        Backprop backprop = Backprop.of(network, Loss.MEAN_SQUARED_ERROR, weights, new SplittableRandom(1));

        assertThatThrownBy(() -> backprop.forward(new float[][] {{1, 2, 3}, {4, 5}}, new float[][] {{1}, {2}}, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input row 1 has 2 values, but Dense \"hidden\" takes 3");
    }

    @Test
    void sparseLabelsOutOfRangeAreNamed() {
        Matrix p = Matrix.of(new float[][] {{0.2f, 0.3f, 0.5f}, {0.2f, 0.3f, 0.5f}});
        assertThatThrownBy(() -> Loss.SPARSE_CATEGORICAL_CROSSENTROPY.value(p, Matrix.column(1, 7)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label 7 is out of range for 3 outputs (row 1 of target); sparse_categorical_crossentropy takes"
                        + " integer class indices 0..2");
        assertThatThrownBy(() -> Loss.SPARSE_CATEGORICAL_CROSSENTROPY.value(p, Matrix.column(1, 0.5f)))
                .hasMessageStartingWith("label 0.5 is out of range for 3 outputs (row 1 of target)");
        assertThatThrownBy(() -> Loss.SPARSE_CATEGORICAL_CROSSENTROPY.value(p, p))
                .hasMessage("predicted is 2x3 but target is 2x3; sparse_categorical_crossentropy takes one target column of"
                        + " class indices, one row per sample");
    }
}
