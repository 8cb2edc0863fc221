package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import dev.nncore.metrics.Metric;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code metrics(...)} on the trainer builder: History keys as Keras names them, and values checked independently. */
class FitMetricsTest {

    private static Matrix random(int rows, int cols, SplittableRandom random) {
        float[][] values = new float[rows][cols];
        for (float[] row : values) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return Matrix.of(values);
    }

    private static Matrix oneHot(int rows, int classes, SplittableRandom random) {
        float[][] values = new float[rows][classes];
        for (float[] row : values) {
            row[random.nextInt(classes)] = 1;
        }
        return Matrix.of(values);
    }

    @Test
    void keysInKerasOrderAndValuesOfTheNetworksTheyDescribe() {
        SplittableRandom random = new SplittableRandom(14);
        Matrix x = random(40, 3, random);
        Matrix y = oneHot(40, 3, random);
        Matrix xVal = random(15, 3, random);
        Matrix yVal = oneHot(15, 3, random);
        Network network = Network.builder(3).dense(5, Activation.TANH).dense(3, Activation.SOFTMAX).seed(3).build();
        Metric f1 = Metric.f1Score(Metric.Average.MACRO);
        Metric auc = Metric.auc();
        TrainingResult result = BackpropTrainer.builder()
                .loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.adam(0.05))
                .epochs(1).batchSize(40).shuffle(false)               // one full batch: predictions before the update
                .metrics(Metric.accuracy(), f1, auc)
                .validationData(xVal, yVal)
                .build()
                .fit(network, x, y);
        History history = result.history();
        // Keras: loss, the compiled metrics, then val_loss and the val_ metrics; "accuracy" once
        assertThat(history.metricNames()).containsExactly("loss", "accuracy", "f1_score", "auc", "val_loss",
                "val_accuracy", "val_f1_score", "val_auc");
        // training metrics: the untrained network's predictions (the batch's, before its update; no dropout here)
        Matrix before = network.forward(x);
        assertThat(history.metric("f1_score").get(0)).isCloseTo(f1.compute(y, before), within(1e-12));
        assertThat(history.metric("auc").get(0)).isCloseTo(auc.compute(y, before), within(1e-12));
        // validation metrics: the trained network, after the epoch's update
        Matrix after = result.network().forward(xVal);
        assertThat(history.metric("val_f1_score").get(0)).isCloseTo(f1.compute(yVal, after), within(1e-12));
        assertThat(history.metric("val_auc").get(0)).isCloseTo(auc.compute(yVal, after), within(1e-12));
        assertThat(history.metric("val_accuracy").get(0)).isEqualTo(Metric.accuracy().compute(yVal, after));
    }

    @Test
    void regressionMetricsOverSeveralBatchesAreOverTheWholeEpoch() {
        SplittableRandom random = new SplittableRandom(7);
        Matrix x = random(30, 2, random);
        Matrix y = random(30, 1, random);
        Network network = Network.builder(2).dense(1, Activation.LINEAR).seed(1).build();
        TrainingResult result = FiniteDifferenceTrainer.builder()
                .loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(1e-30))   // updates below float32 resolution (biases move by ~1e-30)
                .epochs(2).batchSize(7)
                .metrics(Metric.meanAbsoluteError(), Metric.r2Score())
                .validationSplit(0.2)
                .build()
                .fit(network, x, y);
        History history = result.history();
        assertThat(history.metricNames()).containsExactly("loss", "mae", "r2_score", "val_loss", "val_mae", "val_r2_score");
        Matrix train = Matrix.of(java.util.Arrays.copyOfRange(x.toArray(), 0, 24));
        Matrix trainY = Matrix.of(java.util.Arrays.copyOfRange(y.toArray(), 0, 24));
        // r2 is not a mean of per-batch values: computed over the epoch's 24 rows, in whatever order they came.
        // 1e-7: the fit's float32 forward pass and Network.forward round differently (seen: 3e-9)
        assertThat(history.metric("r2_score"))
                .allSatisfy(v -> assertThat(v).isCloseTo(Metric.r2Score().compute(trainY, network.forward(train)), within(1e-7)));
        assertThat(history.metric("mae").get(1)).isCloseTo(Metric.meanAbsoluteError()
                .compute(trainY, network.forward(train)), within(1e-7));
    }

    @Test
    void namesMustBeDistinct() {
        assertThatThrownBy(() -> BackpropTrainer.builder().metrics(Metric.auc(), Metric.auc(Metric.Curve.PR, 200)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric name 'auc' is taken (by loss, a val_ key or another metric); give it another with"
                        + " Metric.named(...)");
        assertThat(BackpropTrainer.builder().metrics(Metric.auc(), Metric.auc(Metric.Curve.PR, 200).named("pr_auc")))
                .isNotNull();
    }

    @Test
    void builderExample() {
        var builder =
        BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).metrics(Metric.f1Score(Metric.Average.MACRO))
        ;
        assertThat(builder.build()).isNotNull();
    }
}
