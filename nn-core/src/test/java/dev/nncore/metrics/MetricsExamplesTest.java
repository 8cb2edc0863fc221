package dev.nncore.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.data.Dataset;
import dev.nncore.math.Matrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Network's predictClasses example (Network.java is on {@code DocExamplesTest}'s skip list) and evaluate worked out by
 * hand; dev.nncore.metrics's own examples are compiled and checked from the sources by {@code DocExamplesTest}.
 */
class MetricsExamplesTest {

    @Test
    void evaluationAndPredictClasses() {
        // softmax(x W): W chosen so that the row's largest input wins
        Network network = Network.of(Dense.of(new float[][] {{2, 0, 0}, {0, 2, 0}, {0, 0, 2}}, new float[3],
                Activation.SOFTMAX));
        Matrix x = Matrix.of(new float[][] {{3, 0, 0}, {0, 0, 3}, {0, 3, 0}});
        Matrix y = Matrix.of(new float[][] {{1, 0, 0}, {0, 0, 1}, {1, 0, 0}});
        Dataset data = Dataset.of(x, y, List.of("a", "b", "c"), List.of("setosa", "versicolor", "virginica"));

        Evaluation result = network.evaluate(x, y, Loss.CATEGORICAL_CROSSENTROPY, Metric.accuracy());
        result.loss();               // the mean loss over the rows
        result.get("accuracy");      // by the metric's Keras name
        result.toString();           // "loss: 0.0712 - accuracy: 0.9667", Keras's log line

        int[] classes = network.predictClasses(x);              // e.g. {0, 2, 1}
        String first = data.classNames().get(classes[0]);      // "setosa"

        // p(right) = e^6 / (e^6 + 2) for rows 0 and 1; row 2 is wrong, p(class 0) = 1 / (e^6 + 2)
        double e6 = Math.exp(6);
        double loss = (2 * -Math.log(e6 / (e6 + 2)) - Math.log(1 / (e6 + 2))) / 3;
        assertThat(result.loss()).isCloseTo(loss, within(1e-6));
        assertThat(result.get("accuracy")).isEqualTo(2.0 / 3);
        assertThat(result.toString()).isEqualTo(String.format(java.util.Locale.ROOT, "loss: %.4f - accuracy: 0.6667", loss));
        assertThat(classes).containsExactly(0, 2, 1);
        assertThat(first).isEqualTo("setosa");
        assertThat(Network.of(Dense.of(new float[][] {{1}}, new float[] {0}, Activation.SIGMOID))
                .predictClasses(Matrix.column(-1, 0, 1))).containsExactly(0, 0, 1);   // sigmoid(0) = 0.5 is not above
    }
}
