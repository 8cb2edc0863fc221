package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersTest {

    private static final Matrix X = Matrix.column(1, 2, 3, 4, 5, 6, 7, 8);
    private static final Matrix Y = Matrix.column(2, 4, 6, 8, 10, 12, 14, 16);

    /** Keeps the network at the end of every epoch. */
    private static TrainingListener recordNetworks(List<Network> networks) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, int epoch) {
                networks.add(run.network());
            }
        };
    }

    /**
     * setNetwork replaces the weights being trained (the next epoch starts from them), and once the fit has returned
     * it refuses: the returned network holds the arrays the run trained, which must not change under it.
     */
    @Test
    void setNetworkReplacesTheWeightsWhileTheFitRunsAndIsRefusedAfter() {
        Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(3).build();
        Network fixed = start.withWeights(List.of(Matrix.row(2), Matrix.row(0))); // y = 2x: the loss is 0
        List<TrainingRun> runs = new ArrayList<>();
        List<Network> ends = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, int epoch) {
                runs.add(run);
                run.setNetwork(fixed);
                ends.add(run.network());
            }
        };
        TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.01))
                .epochs(2).batchSize(8).shuffle(false).listener(listener).build().fit(start, X, Y);

        assertThat(ends).containsExactly(fixed, fixed);
        assertThat(result.history().loss().get(1)).as("epoch 2 trained from y = 2x").isZero();
        assertThat(result.network()).isEqualTo(fixed);
        TrainingRun run = runs.get(0);
        assertThatThrownBy(() -> run.setNetwork(start)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the fit has returned; setNetwork replaces the weights only while it runs");
        assertThat(result.network()).isEqualTo(fixed);
        assertThat(run.network()).isEqualTo(fixed);
    }

    @Test
    void earlyStoppingStopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBest() {
        // Adam with a large learning rate: the loss falls fast, then bounces around the minimum. Record every
        // epoch's network so the restored one can be identified.
        Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(3).build();
        List<Network> networks = new ArrayList<>();
        EarlyStopping early = EarlyStopping.builder().monitor("loss").patience(2).restoreBestWeights(true).build();
        TrainingListener recorder = recordNetworks(networks);

        TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.5))
                .epochs(200).batchSize(8).shuffle(false).listener(recorder).listener(early).build().fit(start, X, Y);

        List<Double> losses = result.history().loss();
        int best = 0;
        for (int epoch = 1; epoch < losses.size(); epoch++) {
            if (losses.get(epoch) < losses.get(best)) {
                best = epoch;
            }
        }
        assertThat(losses.size()).isLessThan(200);
        assertThat(early.stoppedEpoch()).isEqualTo(best + 2).isEqualTo(losses.size() - 1);
        assertThat(early.bestEpoch()).isEqualTo(best);
        assertThat(early.best()).isEqualTo(losses.get(best));
        assertThat(result.network()).isEqualTo(networks.get(best)); // the weights at the end of the best epoch
    }

    @Test
    void earlyStoppingFollowsKerasRules() {
        List<Double> scripted = List.of(1.0, 0.9, 0.85, 0.86, 0.84, 0.849, 0.845, 0.9);
        // minDelta 0.01: 0.85 is an improvement on 0.9 (by 0.05), 0.84 on 0.85 only by 0.01, which is not more than it
        assertThat(stopEpoch(scripted, EarlyStopping.builder().monitor("loss").patience(2).minDelta(0.01).build())).isEqualTo(4);
        assertThat(stopEpoch(scripted, EarlyStopping.builder().monitor("loss").patience(3).build())).isEqualTo(7);
        assertThat(stopEpoch(scripted, EarlyStopping.builder().monitor("loss").patience(0).build())).isEqualTo(3);
        assertThat(stopEpoch(List.of(0.5, 0.7, 0.9, 0.8), EarlyStopping.builder().monitor("accuracy").patience(1).build())).isEqualTo(3);
    }

    /** Runs EarlyStopping against a scripted metric, with a fake run; returns the epoch it stopped at, or -1. */
    private static int stopEpoch(List<Double> values, EarlyStopping early) {
        History.Recorder recorder = new History.Recorder(true, false);
        Network network = Network.builder(1).dense(1, Activation.LINEAR).seed(1).build();
        TrainingRun run = new TrainingRun(network, new ArrayList<>(List.of(new float[1][1], new float[1][1])), recorder,
                values.size(), 1, 1, 0);
        early.onTrainBegin(run);
        for (int epoch = 0; epoch < values.size() && !run.stopRequested(); epoch++) {
            recorder.add(History.LOSS, values.get(epoch));
            recorder.add(History.ACCURACY, values.get(epoch));
            recorder.endEpoch(Duration.ZERO);
            early.onEpochEnd(run, epoch);
        }
        return early.stoppedEpoch();
    }

    @Test
    void earlyStoppingNeedsItsMetric() {
        EarlyStopping early = EarlyStopping.builder().build(); // monitors val_loss, as Keras
        BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(3).listener(early).build();
        Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(3).build();
        assertThatThrownBy(() -> trainer.fit(start, X, Y)).isInstanceOf(IllegalStateException.class)
                .hasMessage("EarlyStopping monitors \"val_loss\" but this fit records only [loss]; set validationSplit or validationData, or monitor \"loss\"");
        assertThatThrownBy(() -> EarlyStopping.builder().monitor("val_mse"))
                .hasMessage("EarlyStopping can monitor loss, val_loss, accuracy or val_accuracy, got \"val_mse\"");
        assertThatThrownBy(() -> EarlyStopping.builder().minDelta(Double.NaN)).hasMessage("minDelta must be a finite number, got NaN");
    }

    @Test
    void consoleProgressDrawsKerasBars() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(3).build();

        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.01)).epochs(3).batchSize(2)
                .validationSplit(0.25).shuffle(false).listener(ConsoleProgress.to(out, Duration.ZERO)).build().fit(start, X, Y);

        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        assertThat(lines).hasSize(6);
        assertThat(lines[0]).isEqualTo("Epoch 1/3");
        assertThat(lines[2]).isEqualTo("Epoch 2/3");
        // 6 training rows in batches of 2: 3 batches; the first two redraw the bar with \r, the last is the final line
        assertThat(lines[1]).startsWith("1/3 [=========>....................] - ETA: ")
                .contains(" - loss: ")
                .contains("\r2/3 [===================>..........] - ETA: ")
                .containsPattern("\r3/3 \\[==============================\\] - \\d+s \\d+(us|ms)/step - loss: \\d+\\.\\d{4} - val_loss: \\d+\\.\\d{4} *$");
        assertThat(ConsoleProgress.bar(12, 38)).isEqualTo("12/38 [========>.....................]");
        assertThat(ConsoleProgress.bar(38, 38)).isEqualTo("38/38 [==============================]");
        assertThat(ConsoleProgress.bar(0, 5)).isEqualTo("0/5 [..............................]");
    }

    @Test
    void listenersSeeTheRunAndCanStopIt() {
        List<String> events = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onTrainBegin(TrainingRun run) {
                events.add("begin " + run.epochs() + " epochs x " + run.batchesPerEpoch() + " batches, " + run.metricNames());
            }

            @Override
            public void onEpochBegin(TrainingRun run, int epoch) {
                events.add("epoch " + epoch);
            }

            @Override
            public void onBatchEnd(TrainingRun run, int epoch, int batch, double loss) {
                events.add("batch " + batch);
            }

            @Override
            public void onEpochEnd(TrainingRun run, int epoch) {
                events.add("end " + epoch + " history " + run.history().epochs());
                if (epoch == 1) {
                    run.stop();
                }
            }

            @Override
            public void onTrainEnd(TrainingRun run) {
                events.add("done");
            }
        };
        Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(3).build();

        History history = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(10).batchSize(5).listener(listener)
                .seed(1).build().fit(start, X, Y).history();

        assertThat(history.epochs()).isEqualTo(2);
        assertThat(events).containsExactly("begin 10 epochs x 2 batches, [loss]", "epoch 0", "batch 0", "batch 1",
                "end 0 history 1", "epoch 1", "batch 0", "batch 1", "end 1 history 2", "done");
    }
}
