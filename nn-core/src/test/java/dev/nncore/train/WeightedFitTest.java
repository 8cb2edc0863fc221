package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Keras's {@code sample_weight} and {@code class_weight} in {@code fit}. */
class WeightedFitTest {

    @Test
    void aSampleWeightOfThreeIsTheRowThreeTimesAtTwiceTheLearningRate() {
        Network start = Network.builder(2).dense(3, Activation.TANH).dense(1, Activation.SIGMOID).seed(4).build();
        float[][] x = {{0.5f, -1}, {1, 0.25f}};
        float[][] y = {{1}, {0}};
        // loss with weights {1, 3} over 2 rows = (l1 + 3 l2) / 2 = 2 x the loss of the 4 rows {r1, r2, r2, r2}
        Network weighted = BackpropTrainer.builder().loss(Loss.BINARY_CROSSENTROPY).optimizer(Optimizer.sgd(0.05))
                .epochs(20).batchSize(2).shuffle(false).seed(1).build()
                .fit(start, Matrix.of(x), Matrix.of(y), new float[] {1, 3}).network();
        Network repeated = BackpropTrainer.builder().loss(Loss.BINARY_CROSSENTROPY).optimizer(Optimizer.sgd(0.1))
                .epochs(20).batchSize(4).shuffle(false).seed(1).build()
                .fit(start, Matrix.of(new float[][] {x[0], x[1], x[1], x[1]}), Matrix.of(new float[][] {y[0], y[1], y[1], y[1]}))
                .network();
        for (int t = 0; t < start.getWeights().size(); t++) {
            float[][] a = weighted.getWeights().get(t).toArray();
            float[][] b = repeated.getWeights().get(t).toArray();
            for (int r = 0; r < a.length; r++) {
                for (int c = 0; c < a[r].length; c++) {
                    assertThat(a[r][c]).isCloseTo(b[r][c], within(1e-5f));
                }
            }
            assertThat(a).isNotEqualTo(start.getWeights().get(t).toArray());
        }
    }

    @Test
    void classWeightRaisesTheMinorityRecallOnSkewedData() {
        SplittableRandom random = new SplittableRandom(11);
        int rows = 2000;
        float[][] x = new float[rows][2];
        float[][] y = new float[rows][1];
        for (int r = 0; r < rows; r++) {
            boolean minority = r % 20 == 0; // 5 % positives, overlapping the majority
            y[r][0] = minority ? 1 : 0;
            double centre = minority ? 1.0 : -0.5;
            x[r][0] = (float) (centre + random.nextGaussian());
            x[r][1] = (float) (centre + random.nextGaussian());
        }
        Network start = Network.builder(2).dense(8, Activation.RELU).dense(1, Activation.SIGMOID).seed(3).build();
        BackpropTrainer.Builder common = BackpropTrainer.builder().loss(Loss.BINARY_CROSSENTROPY)
                .optimizer(Optimizer.adam(0.01)).epochs(20).batchSize(64).seed(5);
        Network plain = common.build().fit(start, Matrix.of(x), Matrix.of(y)).network();
        Network balanced = common.classWeight(Map.of(0, 1.0, 1, 19.0)).build().fit(start, Matrix.of(x), Matrix.of(y))
                .network();

        double plainRecall = recall(plain, x, y);
        double balancedRecall = recall(balanced, x, y);
        assertThat(balancedRecall).as("minority recall: balanced %.3f vs plain %.3f", balancedRecall, plainRecall)
                .isGreaterThan(plainRecall + 0.3);
    }

    @Test
    void badWeightsAreRefusedBeforeTraining() {
        Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(1).build();
        Trainer trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).build();
        assertThatThrownBy(() -> trainer.fit(start, Matrix.column(1, 2), Matrix.column(1, 2), new float[] {1}))
                .hasMessageContaining("expected a sample weight for each of 2 rows, got 1");
        assertThatThrownBy(() -> trainer.fit(start, Matrix.column(1, 2), Matrix.column(1, 2), new float[] {1, Float.NaN}))
                .hasMessageContaining("sample weight 1 must be finite and at least 0, got NaN");
        assertThatThrownBy(() -> BackpropTrainer.builder().classWeight(Map.of(1, -2.0)))
                .hasMessageContaining("the weight of class 1 must be finite and at least 0, got -2.0");
        assertThatThrownBy(() -> FiniteDifferenceTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).classWeight(Map.of(0, 2.0))
                .build().fit(start, Matrix.column(1, 2), Matrix.column(1, 2)))
                .hasMessageContaining("does not weight samples");
        assertThat(List.of(trainer)).hasSize(1);
    }

    private static double recall(Network network, float[][] x, float[][] y) {
        int positives = 0;
        int found = 0;
        int[] predicted = network.predictClasses(Matrix.of(x));
        for (int r = 0; r < x.length; r++) {
            if (y[r][0] == 1) {
                positives++;
                found += predicted[r];
            }
        }
        return (double) found / positives;
    }
}
