package dev.nncore.explain;

import static dev.nncore.explain.NetworkDiagramTest.parse;
import static dev.nncore.explain.NetworkDiagramTest.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.History;
import dev.nncore.train.Optimizer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class TrainingPlotTest {

    private static History xorHistory(int epochs, boolean validation) {
        Matrix x = Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Matrix y = Matrix.column(0, 1, 1, 0);
        BackpropTrainer.Builder trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR)
                .optimizer(Optimizer.adam(0.05)).epochs(epochs).batchSize(4).seed(1);
        if (validation) {
            trainer.validationData(x, y);
        }
        return trainer.build().fit(Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).seed(1).build(), x, y)
                .history();
    }

    @Test
    void linearPlotHasBothCurvesAxesTicksAndLegend() throws Exception {
        History history = xorHistory(30, true);

        Document svg = parse(TrainingPlot.of(history).toSvg());

        assertThat(svg.getElementsByTagName("polyline").getLength()).isEqualTo(2);
        assertThat(texts(svg, "text")).contains("Loss per epoch", "epoch", "loss", "val_loss", "0", "1", "5", "10", "30");
        assertThat(texts(svg, "title")).contains("epoch 1: loss " + String.format(java.util.Locale.ROOT, "%.6g", history.loss().get(0)));
        assertThat(svg.getElementsByTagName("circle").getLength()).isEqualTo(60); // a dot per epoch and curve
    }

    @Test
    void logScaleUsesDecadesAndSkipsNothingPositive() throws Exception {
        History history = xorHistory(300, false);

        Document svg = parse(TrainingPlot.of(history).withLogScale(true).withTitle("XOR <2-2-1>").toSvg());

        List<String> texts = texts(svg, "text");
        assertThat(texts).contains("XOR <2-2-1>", "loss (log scale)", "1e0", "1e-2", "1e-4").doesNotContain("val_loss", "0.01");   // one format per axis
        assertThat(svg.getElementsByTagName("polyline").getLength()).isEqualTo(1);
        String points = svg.getElementsByTagName("polyline").item(0).getAttributes().getNamedItem("points").getTextContent();
        assertThat(points.split(" ")).hasSize(300);
    }

    @Test
    void oneEpochIsADot() throws Exception {
        Document svg = parse(TrainingPlot.of(xorHistory(1, false)).toSvg());

        assertThat(svg.getElementsByTagName("circle").getLength()).isEqualTo(1);
        assertThat(texts(svg, "text")).contains("1").doesNotContain("2");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> TrainingPlot.of(null)).hasMessage("history must not be null");
        assertThatThrownBy(() -> TrainingPlot.of(xorHistory(1, false)).withTitle(null)).hasMessage("title must not be null");
    }
}
