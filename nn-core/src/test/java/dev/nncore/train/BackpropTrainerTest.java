package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedTest;

class BackpropTrainerTest {

    private static final Matrix XOR_X = Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    private static final Matrix XOR_Y = Matrix.column(0, 1, 1, 0);

    @Test
    void learnsXor() {
        Network start = Network.builder(2).dense(8, Activation.TANH).dense(1, Activation.SIGMOID).seed(7).build();

        TrainingResult result = BackpropTrainer.builder()
                .loss(Loss.BINARY_CROSSENTROPY).optimizer(Optimizer.adam(0.05)).epochs(300).batchSize(4).seed(7).build()
                .fit(start, XOR_X, XOR_Y);

        Matrix predicted = result.network().forward(XOR_X);
        for (int i = 0; i < 4; i++) {
            assertThat(predicted.get(i, 0)).as("XOR row %d", i).isCloseTo(XOR_Y.get(i, 0), within(0.1f));
        }
        assertThat(result.history().accuracy().get(299)).isEqualTo(1.0);
    }

    /** The Stack Overflow question's model: Dense(16, relu) then Dense(1, linear), MSE, Adam, batch 10, on y = 2x + 5. */
    @Test
    void learnsTwoXPlusFive() {
        float[] xs = new float[20];
        float[] ys = new float[20];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i * 0.5f;
            ys[i] = 2 * xs[i] + 5;
        }
        Network start = Network.builder(1).dense(16, Activation.RELU).dense(1, Activation.LINEAR).seed(5).build();

        Network trained = BackpropTrainer.builder()
                .loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.01)).epochs(1000).batchSize(10).seed(5).build()
                .fit(start, Matrix.column(xs), Matrix.column(ys)).network();

        for (float x : new float[] {0, 3, 7.5f, 9.5f}) {
            assertThat(trained.forward(x)[0]).as("f(%s)", x).isCloseTo(2 * x + 5, within(0.1f));
        }
    }

    @Test
    void sameSeedSameDataGivesBitIdenticalWeights() {
        Network start = Network.builder(2).dense(8, Activation.TANH).dense(1, Activation.SIGMOID).seed(3).build();
        Matrix x = Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0.5f, 0.5f}, {0.2f, 0.9f}});
        Matrix y = Matrix.column(0, 1, 1, 0, 1, 1);
        BackpropTrainer trainer = BackpropTrainer.builder()
                .loss(Loss.BINARY_CROSSENTROPY).optimizer(Optimizer.adam(0.01)).epochs(20).batchSize(2).seed(11).build();

        Network first = trainer.fit(start, x, y).network();
        Network second = trainer.fit(start, x, y).network();
        Network otherSeed = BackpropTrainer.builder()
                .loss(Loss.BINARY_CROSSENTROPY).optimizer(Optimizer.adam(0.01)).epochs(20).batchSize(2).seed(12).build()
                .fit(start, x, y).network();

        assertThat(second).isEqualTo(first); // Network.equals compares every weight bit for bit
        assertThat(otherSeed).isNotEqualTo(first); // the seed does drive the shuffle
    }

    @Test
    void theNetworkPassedInIsUnchanged() {
        Network start = Network.builder(2).dense(4, Activation.RELU).dense(1, Activation.LINEAR).seed(1).build();
        List<Matrix> before = start.getWeights();

        TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.1))
                .epochs(5).build().fit(start, XOR_X, XOR_Y);

        assertThat(start.getWeights()).isEqualTo(before);
        assertThat(result.network()).isNotEqualTo(start);
        assertThat(result.network().toString()).isEqualTo(start.toString());
    }

    @Test
    void badDataIsRejectedBeforeAnyTraining() {
        Network network = Network.builder(4).dense(3, Activation.SOFTMAX).seed(1).build();
        List<String> events = new ArrayList<>();
        TrainingListener spy = new TrainingListener() {
            @Override
            public void onTrainBegin(TrainingRun run) {
                events.add("begin");
            }
        };
        BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).listener(spy).build();
        float[][] x = new float[150][4];
        float[][] y = new float[150][3];

        assertThatThrownBy(() -> trainer.fit(network, Matrix.of(x), Matrix.zeros(149, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("x has 150 rows but y has 149");
        assertThatThrownBy(() -> trainer.fit(network, Matrix.of(x), Matrix.zeros(150, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("y has 2 columns but the network has 3 outputs");
        assertThatThrownBy(() -> trainer.fit(network, Matrix.zeros(150, 5), Matrix.of(y)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("x has 5 columns but the network has 4 inputs");
        x[3][1] = Float.NaN;
        assertThatThrownBy(() -> trainer.fit(network, Matrix.of(x), Matrix.of(y)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("x has NaN at row 3, column 1");
        x[3][1] = 0;
        y[140][2] = Float.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> trainer.fit(network, Matrix.of(x), Matrix.of(y)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("y has -Infinity at row 140, column 2");
        y[140][2] = 0;
        assertThatThrownBy(() -> BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY)
                .validationData(Matrix.of(x), Matrix.zeros(150, 4)).build().fit(network, Matrix.of(x), Matrix.of(y)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("validation y has 4 columns but the network has 3 outputs");
        assertThatThrownBy(() -> BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).validationSplit(0.2).build()
                .fit(network, Matrix.zeros(1, 4), Matrix.zeros(1, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("validationSplit 0.2 of 1 rows leaves 0 rows for training and 1 for validation; each needs at least one");
        assertThat(events).isEmpty();
    }

    @Test
    void builderChecksItsArguments() {
        assertThatThrownBy(() -> BackpropTrainer.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("call loss(...) before build()");
        assertThatThrownBy(() -> BackpropTrainer.builder().epochs(0)).hasMessage("epochs must be at least 1, got 0");
        assertThatThrownBy(() -> BackpropTrainer.builder().batchSize(-1)).hasMessage("batchSize must be at least 1, got -1");
        assertThatThrownBy(() -> BackpropTrainer.builder().validationSplit(1))
                .hasMessageStartingWith("validationSplit must be in [0, 1)");
        assertThatThrownBy(() -> BackpropTrainer.builder().validationData(Matrix.zeros(3, 1), Matrix.zeros(2, 1)))
                .hasMessage("validation x has 3 rows but validation y has 2");
        assertThatThrownBy(() -> BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).validationSplit(0.2)
                .validationData(Matrix.zeros(3, 1), Matrix.zeros(3, 1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("set validationSplit(0.2) or validationData(x, y), not both");
        assertThatThrownBy(() -> FiniteDifferenceTrainer.builder().step(0)).hasMessage("step must be a finite number above 0, got 0.0");
    }

    /** A learning rate of 1e4 on MSE multiplies the error by ~1e4 per step: the loss overflows within a few epochs. */
    @Test
    void divergenceStopsWithTheLastFiniteNetwork() {
        Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(1).build();
        Matrix x = Matrix.column(1, 2, 3, 4, 5, 6);
        Matrix y = Matrix.column(2, 4, 6, 8, 10, 12);

        TrainingDivergedException e = catchThrowableOfType(() -> BackpropTrainer.builder()
                .loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(1e4)).epochs(100).batchSize(2).shuffle(false).build()
                .fit(start, x, y), TrainingDivergedException.class);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("training diverged: the loss became " + e.loss() + " in epoch " + e.epoch()
                + "/100, batch " + e.batch() + "/3; try a smaller learning rate than 10000.0");
        assertThat(Double.isFinite(e.loss())).isFalse();
        assertThat(e.epoch()).isBetween(1, 100);
        assertThat(e.history().epochs()).isEqualTo(e.epoch() - 1);
        Network lastGood = e.lastFiniteNetwork();
        // its batch loss was finite: the batch before the failing one (unshuffled, batches of 2 rows)
        int previousBatch = e.batch() == 1 ? 2 : e.batch() - 2;
        Matrix rows = Matrix.column(x.get(2 * previousBatch, 0), x.get(2 * previousBatch + 1, 0));
        Matrix targets = Matrix.column(y.get(2 * previousBatch, 0), y.get(2 * previousBatch + 1, 0));
        assertThat(Double.isFinite(Loss.MEAN_SQUARED_ERROR.value(lastGood.forward(rows), targets))).isTrue();
        assertThat(lastGood).isNotEqualTo(start);
    }

    /**
     * The last finite network is exactly the one the batch before the failing one started from (its loss was the last
     * finite one), with momentum and several batches an epoch, for the exception and for TerminateOnNaN alike.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizersKeepingTheLastFiniteWeightsEachWay")
    void theLastFiniteWeightsAreThoseOfTheLastFiniteBatch(String way, Optimizer optimizer) {
        Network start = Network.builder(2).dense(3, Activation.TANH).dense(1, Activation.LINEAR).seed(5).build();
        Matrix x = Matrix.of(new float[][] {{1, 2}, {2, 1}, {3, 5}, {4, 4}, {5, 1}, {6, 2}, {7, 7}});
        Matrix y = Matrix.column(3, 3, 8, 8, 6, 8, 14);
        List<Network> startedFrom = new ArrayList<>();
        TrainingListener spy = new TrainingListener() {
            @Override
            public void onBatchBegin(TrainingRun run, int epoch, int batch) {
                startedFrom.add(run.network());
            }
        };
        BackpropTrainer.Builder trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR)
                .optimizer(optimizer).epochs(100).batchSize(3).seed(2).listener(spy);

        TrainingDivergedException e = catchThrowableOfType(() -> trainer.build().fit(start, x, y),
                TrainingDivergedException.class);

        assertThat(startedFrom.size()).isGreaterThan(3);
        assertThat(e.lastFiniteNetwork()).isEqualTo(startedFrom.get(startedFrom.size() - 2));
        Network diverged = startedFrom.get(startedFrom.size() - 1);
        startedFrom.clear();
        TrainingResult stopped = trainer.listener(new TerminateOnNaN()).build().fit(start, x, y);
        assertThat(stopped.network()).isEqualTo(e.lastFiniteNetwork()).isNotEqualTo(diverged);
    }

    /** The step writes the new weights over the gradients, or (weight decay, a custom rule) into a set of their own. */
    static Stream<Arguments> optimizersKeepingTheLastFiniteWeightsEachWay() {
        return Stream.of(Arguments.of("over the gradients", Optimizer.sgd(3e3, 0.5, false)),
                Arguments.of("a set of their own", Optimizer.sgd(3e3, 0.5, false).weightDecay(1e-4)),
                Arguments.of("a custom rule", Optimizer.custom("Plain", 3e3, (w, g, slots, rate, step) -> {
                    for (int r = 0; r < w.length; r++) {
                        for (int c = 0; c < w[r].length; c++) {
                            w[r][c] -= (float) (rate * g[r][c]);
                        }
                    }
                })));
    }

    /** A loss that is not finite on the very first batch: the last finite weights are the ones the fit started from. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizersKeepingTheLastFiniteWeightsEachWay")
    void aFirstBatchThatDivergesGivesBackTheStartingWeights(String way, Optimizer optimizer) {
        Network start = Network.builder(2).dense(1, Activation.LINEAR).build()
                .withWeights(List.of(Matrix.column(2, 2), Matrix.row(0.5f))); // 2 x 3e38 + 2 x 3e38 overflows float
        Matrix x = Matrix.of(new float[][] {{3e38f, 3e38f}, {1, 2}});
        Matrix y = Matrix.column(1, 2);

        TrainingDivergedException e = catchThrowableOfType(() -> BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR)
                .optimizer(optimizer).epochs(3).batchSize(2).shuffle(false).build().fit(start, x, y),
                TrainingDivergedException.class);

        assertThat(e).as("diverged").isNotNull();
        assertThat(e.batch()).isEqualTo(1);
        assertThat(e.epoch()).isEqualTo(1);
        assertThat(e.lastFiniteNetwork()).isEqualTo(start);
    }

    @Test
    void validationSplitHoldsOutTheLastRowsBeforeShuffling() {
        Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(2).build();
        Matrix x = Matrix.column(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        Matrix y = Matrix.column(2, 4, 6, 8, 10, 12, 14, 16, 18, 1000); // the last row is far off the line
        int[] sizes = new int[2];
        TrainingListener sizesSpy = new TrainingListener() {
            @Override
            public void onTrainBegin(TrainingRun run) {
                sizes[0] = run.trainingSamples();
                sizes[1] = run.validationSamples();
            }
        };

        TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.01))
                .epochs(3).validationSplit(0.2).seed(4).listener(sizesSpy).build().fit(start, x, y);

        assertThat(sizes).containsExactly(8, 2);
        Matrix validationX = Matrix.column(9, 10);
        Matrix validationY = Matrix.column(18, 1000);
        double expected = Loss.MEAN_SQUARED_ERROR.value(result.network().forward(validationX), validationY);
        assertThat(result.history().validationLoss().get(2)).isCloseTo(expected, within(1e-9 * expected));
        assertThat(result.history().metricNames()).containsExactly("loss", "val_loss");
        assertThat(result.history().loss().get(2)).isLessThan(1000); // the outlier never trained
    }

    @Test
    void historyRecordsAccuracyForClassificationLosses() {
        Network start = Network.builder(2).dense(3, Activation.SOFTMAX).seed(2).build();
        Matrix x = Matrix.of(new float[][] {{5, 0}, {0, 5}, {-5, -5}, {4, 1}});
        Matrix y = Matrix.of(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}});

        History history = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.adam(0.1))
                .epochs(30).validationData(x, y).seed(2).build().fit(start, x, y).history();

        assertThat(history.metricNames()).containsExactly("loss", "accuracy", "val_loss", "val_accuracy");
        assertThat(history.epochs()).isEqualTo(30);
        assertThat(history.validationAccuracy().get(29)).isEqualTo(1.0);
        assertThat(history.epochTimes()).hasSize(30).allSatisfy(t -> assertThat(t.isNegative()).isFalse());
        assertThat(history.toString()).startsWith("History[30 epochs, loss ");
        assertThatThrownBy(() -> history.metric("mse")).hasMessageStartingWith("no metric \"mse\" in this history; it has [loss, accuracy, val_loss, val_accuracy]");
        // Keras's accuracy: the argmax of each row
        assertThat(TrainingLoop.correct(Loss.CATEGORICAL_CROSSENTROPY, new float[][] {{0.2f, 0.5f, 0.3f}, {0.6f, 0.3f, 0.1f}},
                new float[][] {{0, 1, 0}, {0, 0, 1}})).isEqualTo(1.0);
        // binary: each output thresholded at 0.5, averaged over the outputs
        assertThat(TrainingLoop.correct(Loss.BINARY_CROSSENTROPY, new float[][] {{0.7f, 0.2f}, {0.5f, 0.9f}},
                new float[][] {{1, 1}, {0, 1}})).isEqualTo(1.5);
    }

    /**
     * The hits counted with each row's class known (fit's path for one-hot targets) are those of the argmax of each
     * row, the first index of its maximum, on rows drawn to hold ties (values from a set of five), signed zeros,
     * infinities and, in some rows, NaN (where both paths must still agree with the one that takes the targets).
     */
    @Test
    void hitsWithKnownClassesAreTheFirstMaximumsOnTiesZerosAndNaN() {
        SplittableRandom random = new SplittableRandom(5);
        float[] values = {0.25f, 0.5f, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        int checkedWithoutNaN = 0;
        for (int trial = 0; trial < 2000; trial++) {
            int columns = 1 + random.nextInt(12);
            float[][] predicted = new float[1 + random.nextInt(8)][columns];
            float[][] oneHot = new float[predicted.length][columns];
            int[] labels = new int[predicted.length];
            int expected = 0;
            boolean anyNaN = false;
            for (int r = 0; r < predicted.length; r++) {
                for (int c = 0; c < columns; c++) {
                    // NaN in about one row in five
                    predicted[r][c] = values[random.nextInt(random.nextInt(5) == 0 ? values.length : values.length - 1)];
                    anyNaN |= Float.isNaN(predicted[r][c]);
                }
                labels[r] = random.nextInt(columns);
                oneHot[r][labels[r]] = 1;
                int first = 0;
                for (int c = 1; c < columns; c++) {
                    if (predicted[r][c] > predicted[r][first]) {
                        first = c;
                    }
                }
                expected += first == labels[r] ? 1 : 0;
            }
            int hits = TrainingLoop.correct(predicted, labels);
            assertThat((double) hits).isEqualTo(TrainingLoop.correct(Loss.CATEGORICAL_CROSSENTROPY, predicted, oneHot));
            if (!anyNaN) {
                assertThat(hits).as("trial %d", trial).isEqualTo(expected);
                checkedWithoutNaN++;
            }
        }
        assertThat(checkedWithoutNaN).isGreaterThan(300);
    }

    /**
     * The training accuracy counts each shuffled batch's rows against their own classes: with a learning rate too small
     * to move a float32 weight, every batch sees the starting network, so the epoch's accuracy is its accuracy on all
     * rows, whatever order the batches (the last one short) took them in.
     */
    @Test
    void trainingAccuracyMatchesTheNetworksOwnOverShuffledBatches() {
        SplittableRandom random = new SplittableRandom(11);
        float[][] xs = new float[200][4];
        float[][] ys = new float[200][5];
        for (int r = 0; r < xs.length; r++) {
            for (int c = 0; c < 4; c++) {
                xs[r][c] = (float) random.nextGaussian();
            }
            ys[r][random.nextInt(5)] = 1;
        }
        Matrix x = Matrix.of(xs);
        Matrix y = Matrix.of(ys);
        Network glorot = Network.builder(4).dense(8, Activation.TANH).dense(5, Activation.SOFTMAX).seed(4).build();
        List<Matrix> weights = new ArrayList<>(glorot.getWeights());
        weights.set(1, Matrix.of(new float[][] {{0.5f, -0.5f, 0.25f, -0.25f, 0.5f, -0.5f, 0.25f, -0.25f}}));
        weights.set(3, Matrix.of(new float[][] {{0.5f, -0.5f, 0.25f, -0.25f, 0.125f}}));
        Network start = glorot.withWeights(weights); // biases away from 0, where a step of 1e-30 would still show

        TrainingResult result = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.sgd(1e-30))
                .epochs(1).batchSize(16).shuffle(true).seed(5).build().fit(start, x, y);

        assertThat(result.network().getWeights()).isEqualTo(start.getWeights()); // the premise: nothing moved
        double expected = dev.nncore.metrics.Metric.accuracy().compute(y, start.forward(x));
        assertThat(expected).isBetween(0.1, 0.9); // some rows right, some wrong: a count, not a constant
        assertThat(result.history().accuracy().get(0)).isCloseTo(expected, within(1e-12));
    }
}
