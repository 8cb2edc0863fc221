package dev.nncore.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.Optimizer;
import dev.nncore.train.Trainer;
import dev.nncore.train.TrainingResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every {@code <pre>} example in dev.nncore.explain's Javadoc, verbatim, with its comments checked. */
class ExplainExamplesTest {

    private final Network video = ExplanationTest.video();

    @Test
    void explanation() {
        Network video = Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).build()
                .withWeights(List.of(
                        Matrix.of(new float[][] {{1.3f, 1.2f}, {1.3f, 1.2f}}), Matrix.row(-1.3f, 0),
                        Matrix.of(new float[][] {{-1.6f}, {0.8f}}), Matrix.row(0)));
        Explanation explanation = video.explain(0, 1);
        float[] y = explanation.output();            // {0.96000004}, the same bits as video.forward(0, 1)
        String exact = explanation.toString();       // ... "  h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0" ...
        String rounded = explanation.toString(2);    // ... "  y[0] = 0 x (-1.6) + 1.2 x 0.8 + 0 = 0.96" ...

        assertThat(y).containsExactly(0.96000004f).containsExactly(video.forward(0, 1));
        assertThat(exact).contains("  h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0");
        assertThat(rounded).contains("  y[0] = 0 x (-1.6) + 1.2 x 0.8 + 0 = 0.96");
    }

    @Test
    void neuronExplanation() {
        NeuronExplanation h = video.explain(0, 1).layers().get(0).neurons().get(0);
        String line = h.toString();        // "h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0"
        float sum = h.weightedSum();       // 0.0

        assertThat(line).isEqualTo("h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0");
        assertThat(sum).isEqualTo(0f);
    }

    @Test
    void layerExplanation() {
        LayerExplanation hidden = video.explain(0, 1).layers().get(0);
        float[] h = hidden.outputs();      // {0.0, 1.2}
        String name = hidden.symbol();     // "h1"

        assertThat(h).containsExactly(0f, 1.2f);
        assertThat(name).isEqualTo("h1");
    }

    @Test
    void networkDiagram() {
        String svg = NetworkDiagram.of(video).withInput(0, 1).toSvg();   // h1[1] shows 1.2, y[0] shows 0.96
        String dot = NetworkDiagram.of(video).withDigits(1).toDot();     // dot -Tsvg net.dot > net.svg

        assertThat(svg).contains(">1.2</text>", ">0.96</text>");
        assertThat(dot).startsWith("digraph network {");
    }

    @Test
    void trainingPlot() {
        Network network = Network.builder(2).dense(2, Activation.TANH).dense(1, Activation.LINEAR).seed(1).build();
        Matrix x = Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Matrix y = Matrix.column(0, 1, 1, 0);
        Trainer trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.05)).epochs(20).build();

        TrainingResult result = trainer.fit(network, x, y);
        String svg = TrainingPlot.of(result.history()).toSvg();
        String log = TrainingPlot.of(result.history()).withLogScale(true).withTitle("XOR, Adam 0.05").toSvg();

        assertThat(svg).contains("<polyline");
        assertThat(log).contains("XOR, Adam 0.05", "loss (log scale)");
    }
}
