package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.keras.Keras;
import dev.nncore.math.Matrix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallbacksTest {

    @TempDir
    Path dir;

    private static final Matrix X = Matrix.column(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private static final Matrix Y = Matrix.column(1, 3, 5, 7, 9, 11, 13, 15, 17, 19);

    private static Network line() {
        return Network.builder(1).dense(1, Activation.LINEAR).seed(2).build();
    }

    /** A metric of our choosing in the epoch's logs, put there before the callback under test reads them. */
    private static LambdaCallback script(String key, List<Double> values) {
        return LambdaCallback.create().onEpochEnd((run, epoch) -> run.logs().put(key, values.get(epoch)));
    }

    /**
     * Keras's ReduceLROnPlateau walked by hand (factor 0.5, patience 2, cooldown 1, minDelta 0.01, minLr 0.2, rate 1):
     * epoch 2 ties 0.99 (not below best - minDelta) and is the second epoch waited: 1 -> 0.5, cooldown 1. Epoch 3 spends
     * the cooldown and improves (0.98 < 0.99). 0.97 is not below 0.98 - 0.01; 0.5 improves; 0.6 and 0.7 wait: 0.5 ->
     * 0.25. Epoch 8 spends the cooldown but still waits (Keras re-checks the cooldown after spending it); epoch 9 makes
     * two: 0.25 -> max(0.125, minLr) = 0.2.
     */
    @Test
    void reduceLrOnPlateauFollowsKerasRulesAndChangesTheRunningOptimizer() {
        List<Double> scores = List.of(1.0, 0.995, 0.99, 0.98, 0.97, 0.5, 0.6, 0.7, 0.8, 0.9);
        ReduceLROnPlateau plateau = ReduceLROnPlateau.builder().monitor("score").factor(0.5).patience(2).cooldown(1)
                .minDelta(0.01).minLr(0.2).build();
        List<Double> ratesAfter = new ArrayList<>();
        List<Double> logged = new ArrayList<>();
        LambdaCallback watch = LambdaCallback.create().onEpochEnd((run, epoch) -> {
            ratesAfter.add(run.learningRate());
            logged.add(run.logs().get("learning_rate"));
        });
        Network reduced = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(1.0)).epochs(10)
                .batchSize(10).shuffle(false).listener(script("score", scores)).listener(plateau).listener(watch).build()
                .fit(Network.of(Dense.of(new float[][] {{0.1f}}, new float[] {0}, Activation.LINEAR)), Matrix.column(0.01f),
                        Matrix.column(0.02f))
                .network();

        assertThat(ratesAfter).containsExactly(1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2);
        assertThat(logged).containsExactly(1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25);
        assertThat(plateau.best()).isEqualTo(0.5);

        // the same rates set before each epoch by a LearningRateScheduler give the same weights, bit for bit
        LearningRateScheduler same = LearningRateScheduler.of((epoch, lr) -> epoch == 0 ? 1.0 : ratesAfter.get(epoch - 1));
        Network scheduled = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(1.0)).epochs(10)
                .batchSize(10).shuffle(false).listener(same).build()
                .fit(Network.of(Dense.of(new float[][] {{0.1f}}, new float[] {0}, Activation.LINEAR)), Matrix.column(0.01f),
                        Matrix.column(0.02f))
                .network();
        assertThat(scheduled).isEqualTo(reduced);
    }

    /** One weight and a bias, x = 1, y = 0: the gradient of (w + b)^2 is 2 (w + b) for both. */
    @Test
    void learningRateSchedulerSetsTheRateBeforeEachEpoch() {
        Network one = Network.of(Dense.of(new float[][] {{1}}, new float[] {0}, Activation.LINEAR));
        List<Double> seen = new ArrayList<>();
        TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.5))
                .epochs(2).shuffle(false)
                .listener(LearningRateScheduler.of((epoch, lr) -> {
                    seen.add(lr);
                    return epoch == 0 ? 0.1 : 0.05;
                }))
                .build().fit(one, Matrix.column(1), Matrix.column(0));
        // w + b = 1: w = 1 - 0.1 * 2 = 0.8, b = -0.2; then w + b = 0.6: w = 0.8 - 0.05 * 1.2 = 0.74
        assertThat(result.network().getWeights().get(0).get(0, 0)).isCloseTo(0.74f, within(1e-6f));
        assertThat(seen).containsExactly(0.5, 0.1);
        assertThatThrownBy(() -> BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR)
                .optimizer(Optimizer.sgd().withSchedule(step -> 0.1)).listener(LearningRateScheduler.of((e, lr) -> lr))
                .build().fit(one, Matrix.column(1), Matrix.column(0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be set");
    }

    /** Keras: keys sorted from the first epoch; with validationFreq 2 the first epoch has no val_ key, so val_ twins. */
    @Test
    void csvLoggerWritesKerasColumns() throws Exception {
        Path file = dir.resolve("log.csv");
        TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.1))
                .epochs(3).seed(1).validationSplit(0.2).validationFreq(2).listener(CsvLogger.to(file)).build()
                .fit(line(), X, Y);
        List<String> lines = List.of(Files.readString(file, StandardCharsets.UTF_8).split("\r\n", -1));
        History history = result.history();
        assertThat(lines).containsExactly("epoch,loss,val_loss",
                "0," + CsvLogger.pythonRepr(history.loss().get(0)) + ",NA",
                "1," + CsvLogger.pythonRepr(history.loss().get(1)) + "," + CsvLogger.pythonRepr(history.validationLoss().get(0)),
                "2," + CsvLogger.pythonRepr(history.loss().get(2)) + ",NA",
                "");

        // appending adds rows without a second header; ReduceLROnPlateau's learning_rate becomes a column
        Path second = dir.resolve("lr.csv");
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(2).seed(1).validationSplit(0.2)
                .listener(ReduceLROnPlateau.builder().build()).listener(CsvLogger.to(second, ';', true)).build()
                .fit(line(), X, Y);
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(1).seed(1).validationSplit(0.2)
                .listener(ReduceLROnPlateau.builder().build()).listener(CsvLogger.to(second, ';', true)).build()
                .fit(line(), X, Y);
        List<String> rows = List.of(Files.readString(second).split("\r\n"));
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).isEqualTo("epoch;learning_rate;loss;val_loss");
        assertThat(rows.get(1)).startsWith("0;0.001;");
        assertThat(rows.get(3)).startsWith("0;0.001;");
    }

    @Test
    void pythonReprOfFloats() {
        assertThat(Stream.of(0.25, 1e-5, 1.5e-5, 123.0, 1e16, 1e15, 0.0001, -2.5e-7, 0.0, Double.NaN,
                Double.NEGATIVE_INFINITY, 0.1 + 0.2).map(CsvLogger::pythonRepr))
                .containsExactly("0.25", "1e-05", "1.5e-05", "123.0", "1e+16", "1000000000000000.0", "0.0001", "-2.5e-07",
                        "0.0", "nan", "-inf", "0.30000000000000004");
    }

    @Test
    void modelCheckpointSavesTheBestEpochsAtomicallyUnderFormattedNames() throws Exception {
        List<Double> scores = List.of(0.5, 0.4, 0.45, 0.3);
        Map<Integer, Network> networks = new HashMap<>();
        ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir.resolve("m-{epoch:02d}-{score:.2f}.keras"))
                .monitor("score").saveBestOnly(true).build();
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.1)).epochs(4).seed(1)
                .listener(script("score", scores))
                .listener(LambdaCallback.create().onEpochEnd((run, epoch) -> networks.put(epoch, run.network())))
                .listener(checkpoint).build().fit(line(), X, Y);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("m-01-0.50.keras", "m-02-0.40.keras", "m-04-0.30.keras");
        }
        assertThat(Keras.load(dir.resolve("m-04-0.30.keras")).getWeights()).isEqualTo(networks.get(3).getWeights());
        assertThat(Keras.load(dir.resolve("m-02-0.40.keras")).getWeights()).isEqualTo(networks.get(1).getWeights());
        assertThat(checkpoint.best()).isEqualTo(0.3);

        // mode max keeps only rising values; every epoch without saveBestOnly
        Path maxDir = dir.resolve("max");
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(4).seed(1).listener(script("score", scores))
                .listener(ModelCheckpoint.builder(maxDir.resolve("{epoch}.keras")).monitor("score").mode(MonitorMode.MAX)
                        .saveBestOnly(true).build())
                .build().fit(line(), X, Y);
        try (Stream<Path> files = Files.list(maxDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("1.keras");
        }
        assertThatThrownBy(() -> ModelCheckpoint.builder(dir.resolve("model.h5")))
                .hasMessageStartingWith("the filepath must end in .keras, as Keras 3's ModelCheckpoint requires; got");
    }

    @Test
    void terminateOnNaNEndsTheFitWithTheLastFiniteWeights() {
        TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(1e6))
                .epochs(50).seed(1).listener(new TerminateOnNaN()).build()
                .fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(), Matrix.column(1, 2, 3), Matrix.column(2, 4, 6));
        int epochs = result.history().epochs();   // fewer than 50; the last loss is not finite

        assertThat(epochs).isLessThan(50);
        assertThat(Double.isFinite(result.history().loss().get(epochs - 1))).isFalse();
        for (Matrix weight : result.network().getWeights()) {
            assertThat(Float.isFinite(weight.get(0, 0))).isTrue();
        }
    }

    @Test
    void lambdaCallbackCallsItsHooksInKerasOrder() {
        List<String> calls = new ArrayList<>();
        LambdaCallback callback = LambdaCallback.create()
                .onTrainBegin(run -> calls.add("train"))
                .onEpochBegin((run, epoch) -> calls.add("epoch " + epoch))
                .onBatchBegin((run, epoch, batch) -> calls.add("batch " + batch))
                .onBatchEnd((run, epoch, batch, loss) -> calls.add("end " + batch))
                .onEpochEnd((run, epoch) -> calls.add("logs " + run.logs().keySet()))
                .onTrainEnd(run -> calls.add("done"));
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(1).batchSize(5).listener(callback).build()
                .fit(line(), X, Y);
        assertThat(calls).containsExactly("train", "epoch 0", "batch 0", "end 0", "batch 1", "end 1", "logs [loss]", "done");
    }

    @Test
    void javadocExamples() throws Exception {
        List<Double> losses = new ArrayList<>();
        LambdaCallback callback = LambdaCallback.create()
                .onEpochEnd((run, epoch) -> losses.add(run.logs().get("loss")))
                .onBatchBegin((run, epoch, batch) -> { })
                .onBatchEnd((run, epoch, batch, loss) -> { });
        Path file = Files.createTempFile(dir, "training", ".csv");
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(2).listener(CsvLogger.to(file)).listener(callback)
                .build()
                .fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(), Matrix.column(1, 2), Matrix.column(2, 4));
        assertThat(losses).hasSize(2);
        assertThat(Files.readAllLines(file).get(0)).isEqualTo("epoch,loss,val_loss");
        assertThat(Files.readAllLines(file).get(1)).endsWith(",NA");
        assertThat(MonitorMode.fromKerasName("max")).isEqualTo(MonitorMode.MAX);
        assertThat(MonitorMode.AUTO.maximises("val_accuracy")).isTrue();
        assertThatThrownBy(() -> MonitorMode.fromKerasName("best")).hasMessage("mode must be \"auto\", \"min\" or \"max\", got \"best\"");
        assertThatThrownBy(() -> ReduceLROnPlateau.builder().factor(1.0))
                .hasMessage("factor must be in [0, 1) (ReduceLROnPlateau does not support a factor >= 1), got 1.0");
    }
}
