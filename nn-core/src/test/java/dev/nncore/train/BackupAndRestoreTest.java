package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupAndRestoreTest {

    @TempDir
    Path dir;

    /** Shuffling, Dropout, Gaussian noise, BatchNormalization's moving statistics and Adam's slots all carry state. */
    private static Network network() {
        return Network.builder(3).dense(8, Activation.RELU).batchNormalization().dropout(0.3).gaussianDropout(0.2)
                .dense(1, Activation.LINEAR).seed(5).build();
    }

    private static Matrix[] data() {
        Random random = new Random(11);
        float[][] x = new float[50][3];
        float[][] y = new float[50][1];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i][0] = x[i][0] - 2 * x[i][1] + 0.5f * x[i][2];
        }
        return new Matrix[] {Matrix.of(x), Matrix.of(y)};
    }

    private BackpropTrainer.Builder trainer(Optimizer optimizer) {
        return BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(optimizer).epochs(8).batchSize(8)
                .seed(3).validationSplit(0.2);
    }

    @Test
    void aFitKilledAtEpochThreeAndResumedEndsBitIdenticalToAnUninterruptedOne() {
        for (Optimizer optimizer : List.of(Optimizer.adam(0.01).ema(0.9), Optimizer.nadam(0.01).clipNorm(1.0),
                Optimizer.sgd(0.01, 0.9, true))) {
            Matrix[] data = data();
            Network uninterrupted = trainer(optimizer).build().fit(network(), data[0], data[1]).network();

            Path backup = dir.resolve(optimizer.kerasName());
            TrainingListener killer = new TrainingListener() {
                @Override
                public void onEpochBegin(TrainingRun run, int epoch) {
                    if (epoch == 3) {
                        throw new IllegalStateException("killed");
                    }
                }
            };
            BackpropTrainer interrupted = trainer(optimizer).listener(BackupAndRestore.to(backup)).listener(killer).build();
            assertThatThrownBy(() -> interrupted.fit(network(), data[0], data[1])).hasMessage("killed");
            assertThat(backup.resolve("backup.bin")).exists();

            List<Integer> epochsRun = new java.util.ArrayList<>();
            TrainingListener counter = new TrainingListener() {
                @Override
                public void onEpochBegin(TrainingRun run, int epoch) {
                    epochsRun.add(epoch);
                }
            };
            TrainingResult resumed = trainer(optimizer).listener(BackupAndRestore.to(backup)).listener(counter).build()
                    .fit(network(), data[0], data[1]);

            assertThat(epochsRun).as(optimizer.toString()).containsExactly(3, 4, 5, 6, 7);
            assertThat(resumed.history().epochs()).isEqualTo(5);
            List<Matrix> expected = uninterrupted.getWeights();
            List<Matrix> actual = resumed.network().getWeights();
            for (int t = 0; t < expected.size(); t++) {
                assertThat(actual.get(t).toArray()).as("%s tensor %d", optimizer, t).isDeepEqualTo(expected.get(t).toArray());
            }
            assertThat(backup.resolve("backup.bin")).doesNotExist();   // deleted when the fit ends
        }
    }

    @Test
    void withStepsPerEpochTheDataPositionIsRestoredToo() {
        Matrix[] data = data();
        Optimizer optimizer = Optimizer.rmsprop(0.01, 0.9, 0.5, 1e-7, true);
        Network uninterrupted = trainer(optimizer).stepsPerEpoch(3).build().fit(network(), data[0], data[1]).network();
        TrainingListener killer = new TrainingListener() {
            @Override
            public void onEpochBegin(TrainingRun run, int epoch) {
                if (epoch == 5) {
                    throw new IllegalStateException("killed");
                }
            }
        };
        Path backup = dir.resolve("steps");
        assertThatThrownBy(() -> trainer(optimizer).stepsPerEpoch(3).listener(BackupAndRestore.to(backup)).listener(killer)
                .build().fit(network(), data[0], data[1])).hasMessage("killed");
        Network resumed = trainer(optimizer).stepsPerEpoch(3).listener(BackupAndRestore.to(backup)).build()
                .fit(network(), data[0], data[1]).network();
        for (int t = 0; t < uninterrupted.getWeights().size(); t++) {
            assertThat(resumed.getWeights().get(t).toArray()).isDeepEqualTo(uninterrupted.getWeights().get(t).toArray());
        }
    }

    @Test
    void aBackupOfAnotherOptimizerIsRefusedByName() {
        Matrix[] data = data();
        Path backup = dir.resolve("other");
        trainer(Optimizer.adam()).epochs(2).listener(BackupAndRestore.to(backup).keep()).build().fit(network(), data[0], data[1]);
        assertThat(backup.resolve("backup.bin")).exists();
        assertThatThrownBy(() -> trainer(Optimizer.sgd()).listener(BackupAndRestore.to(backup)).build()
                .fit(network(), data[0], data[1]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("was made with Adam, not SGD; delete it or use another directory");
    }

    @Test
    void javadocExample() throws Exception {
        Path dir = Files.createTempDirectory("backup");
        BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(10).seed(7)
                .listener(BackupAndRestore.to(dir))
                .build();
        // if this fit is killed at epoch 6, the same call again runs epochs 7 to 10 only
        TrainingResult result = trainer.fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(),
                Matrix.column(1, 2, 3), Matrix.column(2, 4, 6));
        assertThat(result.history().epochs()).isEqualTo(10);
        Files.delete(dir);
    }
}
