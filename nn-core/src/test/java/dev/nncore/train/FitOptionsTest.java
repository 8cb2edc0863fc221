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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FitOptionsTest {

    private static final Matrix X = Matrix.column(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private static final Matrix Y = Matrix.column(1, 3, 5, 7, 9, 11, 13, 15, 17, 19);

    private static Network line() {
        return Network.builder(1).dense(1, Activation.LINEAR).seed(2).build();
    }

    @Test
    void initialEpochRunsTheRemainingEpochsWithAbsoluteNumbers() {
        List<Integer> epochs = new ArrayList<>();
        TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(5).initialEpoch(3)
                .listener(LambdaCallback.create().onEpochBegin((run, epoch) -> epochs.add(epoch))).build().fit(line(), X, Y);
        assertThat(epochs).containsExactly(3, 4);
        assertThat(result.history().epochs()).isEqualTo(2);
        assertThatThrownBy(() -> BackpropTrainer.builder().initialEpoch(-1))
                .hasMessage("initialEpoch must be >= 0 (the epoch to start from, counted from 0), got -1");
    }

    /** 10 rows in batches of 2 are 5 batches: with 3 steps an epoch, epochs read 3, then the 2 left, then 3, 2. */
    @Test
    void stepsPerEpochRunsOnThroughTheDataAsKeras3Does() {
        Map<Integer, Integer> batches = new TreeMap<>();
        List<Long> iterations = new ArrayList<>();
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(4).batchSize(2).stepsPerEpoch(3).seed(1)
                .listener(LambdaCallback.create()
                        .onBatchEnd((run, epoch, batch, loss) -> batches.merge(epoch, 1, Integer::sum))
                        .onEpochEnd((run, epoch) -> iterations.add(run.iterations())))
                .build().fit(line(), X, Y);
        assertThat(batches).containsExactly(Map.entry(0, 3), Map.entry(1, 2), Map.entry(2, 3), Map.entry(3, 2));
        assertThat(iterations).containsExactly(3L, 5L, 8L, 10L);

        // fewer steps than batches: the same updates as one epoch of 5 batches split 3 + 2 without reshuffling
        Network twoEpochs = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(2).batchSize(2).stepsPerEpoch(3)
                .seed(1).build().fit(line(), X, Y).network();
        Network oneEpoch = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(1).batchSize(2).seed(1).build()
                .fit(line(), X, Y).network();
        assertThat(twoEpochs).isEqualTo(oneEpoch);
    }

    @Test
    void stepsPerEpochOnABatchSourceReopensItWhenItRunsOut() {
        Map<Integer, Integer> batches = new TreeMap<>();
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(4).stepsPerEpoch(3)
                .listener(LambdaCallback.create().onBatchEnd((run, epoch, batch, loss) -> batches.merge(epoch, 1, Integer::sum)))
                .build().fit(line(), BatchSource.of(X, Y, 2));
        assertThat(batches).containsExactly(Map.entry(0, 3), Map.entry(1, 2), Map.entry(2, 3), Map.entry(3, 2));

        // more steps than batches: an epoch ends when the data does, as Keras's (which warns)
        batches.clear();
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(2).batchSize(2).stepsPerEpoch(7).seed(1)
                .listener(LambdaCallback.create().onBatchEnd((run, epoch, batch, loss) -> batches.merge(epoch, 1, Integer::sum)))
                .build().fit(line(), X, Y);
        assertThat(batches).containsExactly(Map.entry(0, 5), Map.entry(1, 5));
    }

    @Test
    void anInitialEpochAtTheEndRunsNothingAsInKeras() {
        Network start = line();
        TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(3).initialEpoch(3).build()
                .fit(start, X, Y);
        assertThat(result.history().epochs()).isZero();
        assertThat(result.network()).isEqualTo(start);
    }

    @Test
    void validationFreqValidatesEveryNthEpoch() {
        TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(6).validationSplit(0.2)
                .validationFreq(3).seed(1).build().fit(line(), X, Y);
        assertThat(result.history().loss()).hasSize(6);
        assertThat(result.history().validationLoss()).hasSize(2);
        assertThatThrownBy(() -> BackpropTrainer.builder().validationFreq(0))
                .hasMessage("validationFreq must be at least 1, got 0");
    }

    @Test
    void verboseModes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(3).batchSize(4).validationSplit(0.2).seed(1)
                .listener(ConsoleProgress.perEpoch(out)).build().fit(line(), X, Y);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[1]).matches("Epoch 2/3 - 2/2 - \\d+s - \\d+(us|ms|s)/step - loss: [0-9.]+ - val_loss: [0-9.]+");

        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(3)
                .listener(ConsoleProgress.verbose(new PrintStream(quiet), 0)).build().fit(line(), X, Y);
        assertThat(quiet.size()).isZero();
        assertThatThrownBy(() -> ConsoleProgress.verbose(System.out, 3))
                .hasMessage("verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch), got 3");
    }

    @Test
    void emaWeightsReplaceTheWeightsAtTheEndOfFit() {
        List<Network> lastEpoch = new ArrayList<>();
        TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.1).ema(0.5))
                .epochs(3).batchSize(10).shuffle(false)
                .listener(LambdaCallback.create().onEpochEnd((run, epoch) -> lastEpoch.add(run.network()))).build()
                .fit(line(), X, Y);
        // full batches: one step per epoch; the average after 3 steps is 0.25 w1 + 0.25 w2 + 0.5 w3
        float w1 = lastEpoch.get(0).getWeights().get(0).get(0, 0);
        float w2 = lastEpoch.get(1).getWeights().get(0).get(0, 0);
        float w3 = lastEpoch.get(2).getWeights().get(0).get(0, 0);
        assertThat(result.network().getWeights().get(0).get(0, 0))
                .isCloseTo(0.25f * w1 + 0.25f * w2 + 0.5f * w3, org.assertj.core.data.Offset.offset(1e-6f));
    }
}
