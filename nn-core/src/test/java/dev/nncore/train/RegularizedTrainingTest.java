package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.Constraint;
import dev.nncore.Dense;
import dev.nncore.Initializer;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.Regularizer;
import dev.nncore.math.Matrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Training with integer labels, He initialisation, L2 penalties and constraints: the penalty is part of the loss
 * {@code fit} reports, its gradient part of the update, and constraints hold after every update.
 */
class RegularizedTrainingTest {

    /**
     * The digits of {@code RealDataTest} (every 5th row held out, 64 pixels / 16) with the labels as one column:
     * 64-32-10 ReLU/softmax, he_normal kernels, L2(1e-4) on both kernels, sparse_categorical_crossentropy, AdamW 0.01
     * (Keras's default weight decay 0.004) on a cosine schedule to 0 over the 30 epochs' 1,350 steps, batch 32. The
     * README's plain one-hot run (Adam 0.003) reaches 96.7-97.5 % over seeds 1-6; this one reaches 96.9-97.5 % (349-351 of
     * 360 over the fit seeds 1, 2, 3, 42), so the bar is the README run's lowest, 348 of 360. (With AdamW at 0.003 the
     * cosine schedule decays too early: 95.6-96.1 %.)
     */
    @Test
    void digitsWithSparseLabelsHeNormalAdamWL2AndACosineScheduleReachNinetyFivePercentHeldOut() throws IOException {
        List<float[]> rows = csv("data/digits.csv.gz");
        List<float[]> trainX = new ArrayList<>();
        List<float[]> trainY = new ArrayList<>();
        List<float[]> testX = new ArrayList<>();
        List<float[]> testY = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            float[] x = java.util.Arrays.copyOf(rows.get(i), 64);
            for (int c = 0; c < 64; c++) {
                x[c] /= 16f;
            }
            (i % 5 == 0 ? testX : trainX).add(x);
            (i % 5 == 0 ? testY : trainY).add(new float[] {rows.get(i)[64]});
        }
        Regularizer l2 = Regularizer.l2(1e-4);
        Network start = Network.builder(64).dense(32, Activation.RELU, Initializer.HE_NORMAL, Initializer.ZEROS)
                .dense(10, Activation.SOFTMAX, Initializer.HE_NORMAL, Initializer.ZEROS).seed(42).build();
        Network regularised = Network.of(((Dense) start.layers().get(0)).withRegularizers(l2, null, null),
                ((Dense) start.layers().get(1)).withRegularizers(l2, null, null));

        TrainingResult result = BackpropTrainer.builder().loss(Loss.SPARSE_CATEGORICAL_CROSSENTROPY)
                .optimizer(Optimizer.adamW(0.01).withSchedule(LearningRateSchedule.cosineDecay(0.01, 30 * 45, 0.0)))
                .epochs(30).batchSize(32).seed(42).build()
                .fit(regularised, Matrix.of(trainX.toArray(float[][]::new)), Matrix.of(trainY.toArray(float[][]::new)));

        Matrix predicted = result.network().forward(Matrix.of(testX.toArray(float[][]::new)));
        int correct = 0;
        for (int i = 0; i < testX.size(); i++) {
            float[] p = predicted.getRow(i);
            int best = 0;
            for (int j = 1; j < p.length; j++) {
                best = p[j] > p[best] ? j : best;
            }
            correct += best == (int) testY.get(i)[0] ? 1 : 0;
        }
        assertThat(testX).hasSize(360);
        assertThat(correct).as("digits held out, of 360").isGreaterThanOrEqualTo(348);
        assertThat(result.history().accuracy().get(29)).as("training accuracy on sparse labels").isGreaterThan(0.95);
        Dense trained = (Dense) result.network().layers().get(0);
        assertThat(trained.kernelRegularizer()).contains(l2);
        assertThat(trained.kernelInitializer()).isEqualTo(Initializer.HE_NORMAL);
    }

    /** With a learning rate too small to move a float32 weight, the reported loss is the data loss plus the penalty. */
    @Test
    void reportedLossIncludesThePenaltyAsKerasDoes() {
        float[][] kernel = {{0.5f, -1}, {2, 0.25f}};
        Regularizer l2 = Regularizer.l2(0.1);
        Network network = Network.of(Dense.of(kernel, new float[] {0.1f, -0.2f}, Activation.LINEAR)
                .withRegularizers(l2, Regularizer.l1(0.5), null));
        Matrix x = Matrix.of(new float[][] {{1, 2}, {-1, 0.5f}});
        Matrix y = Matrix.of(new float[][] {{0, 1}, {1, 0}});
        History history = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(1e-30)).epochs(1)
                .batchSize(2).shuffle(false).validationData(x, y).build().fit(network, x, y).history();
        double expected = Loss.MEAN_SQUARED_ERROR.value(network.forward(x), y) + l2.penalty(kernel)
                + Regularizer.l1(0.5).penalty(new float[][] {{0.1f, -0.2f}});
        assertThat(history.loss().get(0)).isCloseTo(expected, within(1e-9));
        assertThat(history.validationLoss().get(0)).isCloseTo(expected, within(1e-9));
    }

    /** One SGD step: w - lr (dL/dw + 2 l2 w), then MaxNorm caps each unit's column; NonNeg zeroes the negative bias. */
    @Test
    void penaltyGradientEntersTheUpdateAndConstraintsHoldAfterIt() {
        float[][] kernel = {{3, 0.5f}, {4, -0.5f}};
        Network network = Network.of(Dense.of(kernel, new float[] {-1, 1}, Activation.LINEAR)
                .withRegularizers(Regularizer.l2(0.5), null, null)
                .withConstraints(Constraint.maxNorm(2, 0), Constraint.nonNeg()));
        Matrix x = Matrix.of(new float[][] {{0, 0}});
        Matrix y = Matrix.of(new float[][] {{-1, 1}});   // the data gradient is 0 for the kernel: x is 0
        Network trained = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.1)).epochs(1)
                .batchSize(1).build().fit(network, x, y).network();
        float[][] k = trained.getWeights().get(0).toArray();
        // after the step: 0.9 w (2 * 0.5 * w * 0.1 = 0.1 w); column 0 (2.7, 3.6) has norm 4.5 > 2, so is scaled to 2
        double eps = 1e-7f;
        double norm = Math.hypot(0.9f * 3f, 0.9f * 4f);
        assertThat((double) k[0][0]).isCloseTo(2.7 * 2 / (eps + norm), within(1e-6));
        assertThat((double) k[1][0]).isCloseTo(3.6 * 2 / (eps + norm), within(1e-6));
        assertThat(Math.hypot(k[0][0], k[1][0])).isLessThanOrEqualTo(2.0 + 1e-6);
        assertThat((double) k[0][1]).isCloseTo(0.45, within(1e-6));
        assertThat(trained.getWeights().get(1).get(0, 0)).isEqualTo(-0f);
    }

    /**
     * Finite differences train with the same rules: the penalty's exact gradient is added to the estimated one, and
     * the constraints hold after every update; from the same start both trainers take (nearly) the same steps.
     */
    @Test
    void finiteDifferencesApplyPenaltiesAndConstraintsToo() {
        Network start = Network.builder(2).dense(3, Activation.TANH).dense(1, Activation.SIGMOID).seed(4).build();
        Network network = Network.of(((Dense) start.layers().get(0)).withRegularizers(Regularizer.l2(0.05), null, null)
                .withConstraints(Constraint.nonNeg(), Constraint.unitNorm(0)), start.layers().get(1));
        Matrix x = Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Matrix y = Matrix.column(0, 1, 1, 0);
        TrainingResult differences = FiniteDifferenceTrainer.builder().loss(Loss.BINARY_CROSSENTROPY)
                .optimizer(Optimizer.sgd(0.1)).epochs(3).batchSize(4).build().fit(network, x, y);
        TrainingResult backprop = BackpropTrainer.builder().loss(Loss.BINARY_CROSSENTROPY)
                .optimizer(Optimizer.sgd(0.1)).epochs(3).batchSize(4).build().fit(network, x, y);
        for (TrainingResult result : List.of(differences, backprop)) {
            float[][] kernel = result.network().getWeights().get(0).toArray();
            for (float[] row : kernel) {
                for (float w : row) {
                    assertThat(w).isGreaterThanOrEqualTo(0f);
                }
            }
            float[] bias = result.network().getWeights().get(1).getRow(0);
            double norm = 0;
            for (float b : bias) {
                norm += (double) b * b;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-6));
        }
        for (int epoch = 0; epoch < 3; epoch++) {
            assertThat(differences.history().loss().get(epoch)).isCloseTo(backprop.history().loss().get(epoch), within(1e-5));
        }
    }

    /** Accuracy against a label column, and on logits (z > 0 is sigmoid(z) > 0.5). */
    @Test
    void accuracyReadsLabelsAndLogits() {
        float[][] probabilities = {{0.2f, 0.5f, 0.3f}, {0.6f, 0.3f, 0.1f}};
        assertThat(TrainingLoop.correct(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, probabilities, new float[][] {{1}, {2}}))
                .isEqualTo(1);
        assertThat(TrainingLoop.correct(Loss.sparseCategoricalCrossentropy(true), new float[][] {{-1, 3, 0}},
                new float[][] {{1}})).isEqualTo(1);
        assertThat(TrainingLoop.correct(Loss.binaryCrossentropy(true, 0), new float[][] {{0.3f, -0.2f}},
                new float[][] {{1, 0}})).isEqualTo(1);
        assertThat(TrainingLoop.correct(Loss.BINARY_CROSSENTROPY, new float[][] {{0.3f, -0.2f}},
                new float[][] {{1, 0}})).isEqualTo(0.5);
    }

    @Test
    void sparseLabelsOutOfRangeAreRefusedBeforeTraining() {
        Network network = Network.builder(2).dense(3, Activation.SOFTMAX).seed(1).build();
        Matrix x = Matrix.of(new float[][] {{0, 1}, {1, 0}});
        assertThatThrownBy(() -> BackpropTrainer.builder().loss(Loss.SPARSE_CATEGORICAL_CROSSENTROPY).epochs(1).build()
                .fit(network, x, Matrix.column(2, 7))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label 7 is out of range for 3 outputs (row 1 of y); sparse_categorical_crossentropy takes integer"
                        + " class indices 0..2");
        assertThatThrownBy(() -> BackpropTrainer.builder().loss(Loss.SPARSE_CATEGORICAL_CROSSENTROPY).epochs(1).build()
                .fit(network, x, Matrix.of(new float[][] {{1, 0, 0}, {0, 1, 0}})))
                .hasMessageStartingWith("y has 3 columns but sparse_categorical_crossentropy takes one column of class indices");
        assertThatThrownBy(() -> BackpropTrainer.builder().loss(Loss.SPARSE_CATEGORICAL_CROSSENTROPY).epochs(1).build()
                .fit(network, BatchSource.of(x, Matrix.column(2, 3), 1)))
                .hasMessageStartingWith("label 3 is out of range for 3 outputs (row 0 of batch 2 y)");
        assertThat(BackpropTrainer.builder().loss(Loss.SPARSE_CATEGORICAL_CROSSENTROPY).epochs(2).build()
                .fit(network, BatchSource.of(x, Matrix.column(2, 0), 1)).history().accuracy()).hasSize(2);
        assertThatThrownBy(() -> FiniteDifferenceTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(1).build()
                .fit(Network.of(((Dense) network.layers().get(0)).withRegularizers(null, null, Regularizer.l1(0.1))),
                        x, Matrix.of(new float[][] {{1, 0, 0}, {0, 1, 0}})))
                .hasMessageContaining("has an activity_regularizer (L1{l1=0.1}), which the finite-difference trainer does"
                        + " not compute");
    }

    private static List<float[]> csv(String resource) throws IOException {
        InputStream raw = RegularizedTrainingTest.class.getClassLoader().getResourceAsStream(resource);
        assertThat(raw).as(resource).isNotNull();
        List<float[]> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",");
                float[] row = new float[fields.length];
                for (int c = 0; c < fields.length; c++) {
                    row[c] = Float.parseFloat(fields[c].trim());
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
