package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every {@code <pre>} example in dev.nncore.train's Javadoc, verbatim, with its comments checked: a stale example fails here. */
class TrainExamplesTest {

    @Test
    void optimizer() {
        Optimizer plain = Optimizer.sgd(0.01);
        Optimizer heavyBall = Optimizer.sgd(0.01, 0.9);
        Optimizer adam = Optimizer.adam();                  // Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-7)
        double lr = Optimizer.adam(0.01).learningRate();    // 0.01

        assertThat(plain).hasToString("SGD(learningRate=0.01, momentum=0.0)");
        assertThat(heavyBall).hasToString("SGD(learningRate=0.01, momentum=0.9)");
        assertThat(adam).hasToString("Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-7)");
        assertThat(lr).isEqualTo(0.01);
    }

    @Test
    void history() {
        TrainingResult result = BackpropTrainer.builder()
                .loss(Loss.BINARY_CROSSENTROPY).optimizer(Optimizer.adam(0.05)).epochs(5).seed(1).build()
                .fit(Network.builder(2).dense(4, Activation.TANH).dense(1, Activation.SIGMOID).seed(1).build(),
                        Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}), Matrix.column(0, 1, 1, 0));
        History history = result.history();
        int epochs = history.epochs();                       // 5
        double last = history.loss().get(4);                 // the fifth epoch's loss
        List<Double> accuracy = history.metric("accuracy");   // Keras's history.history["accuracy"]

        assertThat(epochs).isEqualTo(5);
        assertThat(last).isEqualTo(history.asMap().get("loss").get(4));
        assertThat(accuracy).hasSize(5);
    }

    @Test
    void trainingResult() {
        Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(3).build();
        TrainingResult result = BackpropTrainer.builder()
                .loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.05)).epochs(200).seed(3).build()
                .fit(start, Matrix.column(1, 2, 3, 4), Matrix.column(2, 4, 6, 8));
        Network trained = result.network();                  // close to y = 2x
        float y5 = trained.forward(5f)[0];                    // about 10
        History history = result.history();

        assertThat(y5).isCloseTo(10f, within(0.05f));
        assertThat(history.epochs()).isEqualTo(200);
    }

    @Test
    void trainer() {
        Trainer trainer = BackpropTrainer.builder()
                .loss(Loss.MEAN_SQUARED_ERROR)
                .optimizer(Optimizer.adam(0.01))
                .epochs(10)
                .batchSize(32)
                .seed(42)
                .build();
        Network start = Network.builder(1).dense(8, Activation.RELU).dense(1, Activation.LINEAR).seed(42).build();
        TrainingResult result = trainer.fit(start, Matrix.column(0, 1, 2, 3), Matrix.column(5, 7, 9, 11));

        assertThat(result.history().epochs()).isEqualTo(10);
        assertThat(result.history().loss().get(9)).isLessThan(result.history().loss().get(0));
    }

    @Test
    void trainingDivergedException() {
        Network lastGood = null;
        int epoch = 0;
        try {
            BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(1e6)).epochs(50).seed(1).build()
                    .fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(),
                            Matrix.column(1, 2, 3), Matrix.column(2, 4, 6));
        } catch (TrainingDivergedException e) {
            lastGood = e.lastFiniteNetwork();     // its loss was finite
            epoch = e.epoch();                    // where the loss stopped being finite
        }
        assertThat(lastGood).isNotNull();
        assertThat(epoch).isBetween(2, 50);
    }

    @Test
    void trainingListener() {
        List<Double> losses = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, int epoch) {
                losses.add(run.history().loss().get(epoch));
            }
        };
        BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(3).seed(1).listener(recorder).build()
                .fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(), Matrix.column(1, 2), Matrix.column(2, 4));
        // losses has 3 values
        assertThat(losses).hasSize(3);
    }

    @Test
    void trainingRun() {
        TrainingListener stopBelow = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, int epoch) {
                if (run.history().loss().get(epoch) < 0.01) {
                    run.stop();                       // ends the fit after this epoch
                }
            }
        };
        History history = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.05)).epochs(1000)
                .seed(1).listener(stopBelow).build()
                .fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(), Matrix.column(1, 2, 3), Matrix.column(2, 4, 6))
                .history();
        assertThat(history.epochs()).isLessThan(1000);
        assertThat(history.loss().get(history.epochs() - 1)).isLessThan(0.01);
    }

    @Test
    void backpropTrainer() {
        Matrix x = Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Matrix y = Matrix.column(0, 1, 1, 0);
        Network xor = Network.builder(2).dense(8, Activation.TANH).dense(1, Activation.SIGMOID).seed(7).build();
        TrainingResult result = BackpropTrainer.builder()
                .loss(Loss.BINARY_CROSSENTROPY)
                .optimizer(Optimizer.adam(0.05))
                .epochs(300)
                .batchSize(4)
                .seed(7)
                .build()
                .fit(xor, x, y);
        float[] p = result.network().forward(1, 0);          // close to {1}

        assertThat(p[0]).isCloseTo(1f, within(0.1f));
    }

    @Test
    void backpropTrainerBuilder() {
        BackpropTrainer trainer = BackpropTrainer.builder()
                .loss(Loss.CATEGORICAL_CROSSENTROPY)
                .optimizer(Optimizer.adam())
                .epochs(20)
                .batchSize(32)
                .shuffle(true)
                .seed(42)
                .validationSplit(0.2)
                .listener(EarlyStopping.builder().monitor("val_loss").patience(3).restoreBestWeights(true).build())
                .build();

        assertThat(trainer.toString()).isEqualTo("BackpropTrainer[loss=categorical_crossentropy, optimizer=Adam(learningRate=0.001,"
                + " beta1=0.9, beta2=0.999, epsilon=1.0E-7), epochs=20, batchSize=32, shuffle=true, seed=42, validationSplit=0.2,"
                + " listeners=1]");
    }

    @Test
    void trainerBuilder() {
        BackpropTrainer trainer = BackpropTrainer.builder()
                .loss(Loss.MEAN_SQUARED_ERROR)       // required, as in Keras's compile
                .epochs(50)                          // default 1
                .batchSize(16)                       // default 32
                .validationSplit(0.2)                // the last 20 % of the rows, before shuffling
                .build();

        assertThat(trainer.toString()).contains("epochs=50").contains("batchSize=16");
    }

    @Test
    void finiteDifferenceTrainer() {
        Network line = Network.of(Dense.of(new float[][] {{1.477867f}}, new float[] {0}, Activation.LINEAR));
        TrainingResult result = FiniteDifferenceTrainer.builder()
                .loss(Loss.MEAN_SQUARED_ERROR)
                .optimizer(Optimizer.sgd(0.01))
                .difference(FiniteDifferenceTrainer.Difference.FORWARD)
                .step(1e-4)
                .batchSize(4)
                .shuffle(false)
                .epochs(1)
                .build()
                .fit(line, Matrix.column(1, 2, 3, 4), Matrix.column(2, 4, 6, 8));
        float w = result.network().getWeights().get(0).get(0, 0);   // 1.5561794, the book's first update

        assertThat(w).isEqualTo(1.5561794f);
    }

    @Test
    void finiteDifferenceTrainerBuilder() {
        FiniteDifferenceTrainer trainer = FiniteDifferenceTrainer.builder()
                .loss(Loss.MEAN_SQUARED_ERROR)
                .difference(FiniteDifferenceTrainer.Difference.CENTRAL)
                .step(1e-4)
                .epochs(100)
                .seed(1)
                .build();

        assertThat(trainer.toString()).startsWith("FiniteDifferenceTrainer[CENTRAL, step=1.0E-4, loss=mean_squared_error,"
                + " optimizer=SGD(learningRate=0.01, momentum=0.0), epochs=100");
    }

    @Test
    void finiteDifferenceTrainerDifference() {
        FiniteDifferenceTrainer book = FiniteDifferenceTrainer.builder()
                .loss(Loss.MEAN_SQUARED_ERROR)
                .difference(FiniteDifferenceTrainer.Difference.FORWARD)   // the seed book's (L(w + h) - L(w)) / h
                .build();

        assertThat(book.toString()).startsWith("FiniteDifferenceTrainer[FORWARD, step=1.0E-4");
    }

    @Test
    void earlyStopping() {
        EarlyStopping early = EarlyStopping.builder()
                .monitor("val_loss")          // Keras's default
                .patience(5)                  // epochs without improvement before stopping
                .minDelta(1e-4)               // smaller changes are not improvements
                .restoreBestWeights(true)     // end with the best epoch's weights
                .build();
        TrainingResult result = BackpropTrainer.builder()
                .loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.01)).epochs(500).validationSplit(0.25)
                .seed(1).listener(early).build()
                .fit(Network.builder(1).dense(8, Activation.TANH).dense(1, Activation.LINEAR).seed(1).build(),
                        Matrix.column(0, 1, 2, 3, 4, 5, 6, 7), Matrix.column(5, 7, 9, 11, 13, 15, 17, 19));
        int stoppedAt = early.stoppedEpoch();  // the epoch (from 0) that stopped the fit, or -1

        assertThat(stoppedAt).isEqualTo(result.history().epochs() == 500 ? -1 : result.history().epochs() - 1);
        assertThat(EarlyStopping.builder().monitor("loss").patience(3).build())
                .hasToString("EarlyStopping[monitor=loss, patience=3, minDelta=0.0, restoreBestWeights=false]");
    }

    @Test
    void consoleProgress() {
        BackpropTrainer trainer = BackpropTrainer.builder()
                .loss(Loss.MEAN_SQUARED_ERROR)
                .epochs(10)
                .listener(ConsoleProgress.to(System.out))
                .build();
        assertThat(trainer.toString()).endsWith("listeners=1]");
    }

    @Test
    void gradientCheck() {
        Network network = Network.builder(3).dense(4, Activation.TANH).dense(2, Activation.SOFTMAX).seed(5).build();
        Matrix x = Matrix.of(new float[][] {{0.5f, -1, 2}, {1, 0.25f, -0.5f}});
        Matrix y = Matrix.of(new float[][] {{1, 0}, {0, 1}});
        GradientCheck check = GradientCheck.of(network, x, y, Loss.CATEGORICAL_CROSSENTROPY);
        boolean fine = check.isWithin(1e-3);           // true
        String where = check.toString();               // worst relative error 1.8e-06 at layer 0 ("dense") bias[0][1]: ...

        assertThat(fine).isTrue();
        // The exact worst error depends on the kernel's rounding (FMA or not); its size and form do not.
        assertThat(where).matches("worst relative error \\d\\.\\d\\de-0[6-9] at layer \\d \\(\"dense(_1)?\"\\) (kernel|bias)\\[\\d\\]\\[\\d\\]: .*\\(26 weights\\)");
    }
}
