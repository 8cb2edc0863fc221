package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code <pre>} examples of the optimizer, schedule and callback Javadoc, verbatim, each then checked. */
class CallbackExamplesTest {

    @Test
    void reduceLrOnPlateau() {
        ReduceLROnPlateau plateau = ReduceLROnPlateau.builder()
                .monitor("val_loss").factor(0.5).patience(3).cooldown(1).minLr(1e-5)
                .build();
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.01)).validationSplit(0.2)
                .listener(plateau).build();
        assertThat(plateau).hasToString("ReduceLROnPlateau[monitor=val_loss, factor=0.5, patience=3, mode=auto,"
                + " minDelta=1.0E-4, cooldown=1, minLr=1.0E-5]");
    }

    @Test
    void learningRateScheduler() {
        LearningRateScheduler decay = LearningRateScheduler.of((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1));
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.01)).listener(decay).build();
        List<Double> rates = new ArrayList<>();
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.01)).epochs(12).listener(decay)
                .listener(LambdaCallback.create().onEpochEnd((run, epoch) -> rates.add(run.learningRate()))).build()
                .fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(), Matrix.column(1), Matrix.column(2));
        assertThat(rates.get(9)).isEqualTo(0.01);
        assertThat(rates.get(11)).isEqualTo(0.01 * Math.exp(-0.1) * Math.exp(-0.1));
    }

    @Test
    void modelCheckpoint() throws Exception {
        Path dir = Files.createTempDirectory("checkpoints");
        ModelCheckpoint best = ModelCheckpoint.builder(dir.resolve("best.keras"))
                .monitor("val_loss").saveBestOnly(true)
                .build();
        ModelCheckpoint every = ModelCheckpoint.builder(dir.resolve("model-{epoch:02d}-{loss:.3f}.keras")).build();
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(2).validationSplit(0.5).listener(best).listener(every)
                .build().fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(), Matrix.column(1, 2, 3, 4),
                        Matrix.column(2, 4, 6, 8));
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(3);
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
        assertThat(ModelCheckpoint.format("model-{epoch:02d}-{loss:.3f}.keras", 7, Map.of("loss", 0.12345)))
                .isEqualTo("model-07-0.123.keras");
    }

    @Test
    void trainingRunLearningRateAndLogs() {
        TrainingListener halveAtFive = new TrainingListener() {
            @Override
            public void onEpochBegin(TrainingRun run, int epoch) {
                if (epoch == 5) {
                    run.setLearningRate(run.learningRate() / 2);
                }
            }
        };
        List<Double> rates = new ArrayList<>();
        List<Double> validations = new ArrayList<>();
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.1)).epochs(6).validationSplit(0.5)
                .validationFreq(2).listener(halveAtFive)
                .listener(LambdaCallback.create().onEpochEnd((run, epoch) -> {
                    rates.add(run.learningRate());
                    validations.add(run.logs().get("val_loss"));   // null on an epoch without validation
                }))
                .build().fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(), Matrix.column(1, 2, 3, 4),
                        Matrix.column(2, 4, 6, 8));
        assertThat(rates).containsExactly(0.1, 0.1, 0.1, 0.1, 0.1, 0.05);
        assertThat(validations.get(0)).isNull();
        assertThat(validations.get(1)).isNotNull();
    }

    @Test
    void updateRuleExample() {
        UpdateRule plainDescent = (weight, gradient, slots, lr, iterations) -> {
            for (int r = 0; r < weight.length; r++) {
                for (int c = 0; c < weight[r].length; c++) {
                    weight[r][c] -= (float) (lr * gradient[r][c]);
                }
            }
        };
        Optimizer mine = Optimizer.custom("plain_descent", 0.01, plainDescent);
        Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(1).build();
        Network a = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(mine).epochs(3).seed(1).build()
                .fit(start, Matrix.column(1, 2), Matrix.column(2, 4)).network();
        Network b = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.01)).epochs(3).seed(1)
                .build().fit(start, Matrix.column(1, 2), Matrix.column(2, 4)).network();
        // the built-in SGD rounds w - lr g once; the lambda rounds lr g first: the same within float32 rounding
        for (int t = 0; t < 2; t++) {
            assertThat(a.getWeights().get(t).get(0, 0))
                    .isCloseTo(b.getWeights().get(t).get(0, 0), org.assertj.core.data.Offset.offset(1e-6f));
        }
    }
}
