package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.BatchNormalization;
import dev.nncore.Dense;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BatchNormalization inside {@code fit}: after one epoch its moving statistics are exactly what Keras's update
 * {@code moving = moving * momentum + batch_statistic * (1 - momentum)} gives, batch by batch, with the biased batch
 * variance; the optimizer never touches them (they are not trainable) while gamma and beta do train.
 */
class BatchNormalizationTrainingTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"backprop", "finite differences"})
    void movingStatisticsAfterOneEpochFollowTheKerasUpdateStepByStep(String trainerKind) {
        int rows = 50;
        int batch = 16; // batches of 16, 16, 16 and 2 rows
        SplittableRandom random = new SplittableRandom(5);
        float[][] x = new float[rows][3];
        float[][] y = new float[rows][1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 3; c++) {
                x[r][c] = (float) (random.nextGaussian() * (c + 1) + 2 * c);
            }
            y[r][0] = x[r][0] - x[r][2] > 0 ? 1 : 0;
        }
        double momentum = 0.9;
        // BatchNormalization first: its input is the data itself, so the expected statistics need no network.
        Network network = Network.of(BatchNormalization.of(3, momentum, 1e-3, true, true),
                Dense.of(new float[][] {{0.5f}, {-0.3f}, {0.2f}}, new float[] {0.1f}, Activation.SIGMOID));
        Trainer trainer = trainerKind.equals("backprop")
                ? BackpropTrainer.builder().loss(Loss.BINARY_CROSSENTROPY).optimizer(Optimizer.adam(0.05)).epochs(1)
                        .batchSize(batch).shuffle(false).seed(1).build()
                : FiniteDifferenceTrainer.builder().loss(Loss.BINARY_CROSSENTROPY).optimizer(Optimizer.adam(0.05)).epochs(1)
                        .batchSize(batch).shuffle(false).seed(1).build();

        Network trained = trainer.fit(network, Matrix.of(x), Matrix.of(y)).network();

        float[] mean = {0, 0, 0};
        float[] variance = {1, 1, 1};
        for (int start = 0; start < rows; start += batch) {
            int end = Math.min(start + batch, rows);
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                for (int r = start; r < end; r++) {
                    sum += x[r][c];
                }
                double batchMean = sum / (end - start);
                double squares = 0;
                for (int r = start; r < end; r++) {
                    squares += (x[r][c] - batchMean) * (x[r][c] - batchMean);
                }
                double batchVariance = squares / (end - start); // biased, as Keras
                mean[c] = (float) (mean[c] * momentum + batchMean * (1 - momentum));
                variance[c] = (float) (variance[c] * momentum + batchVariance * (1 - momentum));
            }
        }
        List<Matrix> weights = trained.layers().get(0).getWeights();
        assertThat(trained.layers().get(0).weightNames()).containsExactly("gamma", "beta", "moving_mean", "moving_variance");
        assertThat(weights.get(2).getRow(0)).containsExactly(mean);
        assertThat(weights.get(3).getRow(0)).containsExactly(variance);
        assertThat(weights.get(0).getRow(0)).as("gamma trained").isNotEqualTo(new float[] {1, 1, 1});
        assertThat(trained.trainable()).containsExactly(true, true, false, false, true, true);
        assertThat(trained.trainableParameterCount()).isEqualTo(6 + 4);
    }

    @org.junit.jupiter.api.Test
    void dropoutMasksComeFromTheFitSeedAndActOnlyInTraining() {
        SplittableRandom random = new SplittableRandom(8);
        float[][] x = new float[40][4];
        float[][] y = new float[40][1];
        for (int r = 0; r < x.length; r++) {
            for (int c = 0; c < 4; c++) {
                x[r][c] = (float) random.nextDouble(-1, 1);
            }
            y[r][0] = x[r][0] + x[r][1];
        }
        Network network = Network.builder(4).dense(16, Activation.RELU).dropout(0.5).dense(1, Activation.LINEAR).seed(3).build();
        BackpropTrainer.Builder builder = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(3).batchSize(8);
        Network a = builder.seed(11).build().fit(network, Matrix.of(x), Matrix.of(y)).network();
        Network b = builder.seed(11).build().fit(network, Matrix.of(x), Matrix.of(y)).network();
        Network c = builder.seed(12).build().fit(network, Matrix.of(x), Matrix.of(y)).network();
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        // Without dropout in training, the same seed shuffles the same way but the weights end elsewhere.
        Network noDropout = Network.of(network.layers().get(0), network.layers().get(2));
        Network d = builder.seed(11).build().fit(noDropout, Matrix.of(x), Matrix.of(y)).network();
        assertThat(d.getWeights().get(0)).isNotEqualTo(a.getWeights().get(0));
        // At inference the dropout layer passes values through: the trained network equals its two Dense layers.
        Network withoutLayer = Network.of(a.layers().get(0), a.layers().get(2));
        assertThat(a.forward(Matrix.of(x))).isEqualTo(withoutLayer.forward(Matrix.of(x)));
    }
}
