package dev.nncore;

import static dev.nncore.testing.Fixtures.assertClose;
import static dev.nncore.testing.Fixtures.doubles2d;
import static dev.nncore.testing.Fixtures.matrix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import dev.nncore.testing.Fixtures;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.Optimizer;
import dev.nncore.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A graph with every merge and a shared layer against PyTorch float64 ({@code reference/graphs/make_graphs.py}):
 * forward, gradients of a two-output loss with loss weights, and a two-output fit computed step by step.
 */
class GraphReferenceTest {

    private static final Map<String, Object> REFERENCE = Fixtures.json("/reference/graphs/graphs.json");

    private static Network network() {
        List<Matrix> weights = new ArrayList<>();
        for (Object weight : (List<?>) REFERENCE.get("weights")) {
            weights.add(matrix(weight));
        }
        return GraphTest.everyMerge(1).withWeights(weights);
    }

    private static List<Matrix> inputs() {
        return List.of(matrix(REFERENCE.get("a")), matrix(REFERENCE.get("b")));
    }

    private static List<Matrix> targets() {
        return List.of(matrix(REFERENCE.get("main_targets")), matrix(REFERENCE.get("aux_targets")));
    }

    @Test
    void forwardAllMatchesPyTorch() {
        List<Matrix> outputs = network().forwardAll(inputs());
        assertClose(outputs.get(0), doubles2d(REFERENCE.get("main")), 1e-6, 1e-5, "main");
        assertClose(outputs.get(1), doubles2d(REFERENCE.get("aux")), 1e-6, 1e-5, "aux");
    }

    @Test
    void everySampleAloneGivesTheBatchBits() {
        Network network = network();
        List<Matrix> batch = network.forwardAll(inputs());
        float[][] a = inputs().get(0).toArray();
        float[][] b = inputs().get(1).toArray();
        float[][][] out = {new float[1][2], new float[1][1]};
        for (int r = 0; r < a.length; r++) {
            network.forwardAll(new float[][][] {{a[r]}, {b[r]}}, out);
            assertThat(out[0][0]).containsExactly(batch.get(0).getRow(r));
            assertThat(out[1][0]).containsExactly(batch.get(1).getRow(r));
        }
    }

    @Test
    void twoOutputLossAndGradientsMatchPyTorch() {
        Network network = network();
        List<float[][]> weights = new ArrayList<>();
        for (Matrix w : network.getWeights()) {
            weights.add(w.toArray());
        }
        Backprop backprop = Backprop.of(network, List.of(Loss.CATEGORICAL_CROSSENTROPY, Loss.MEAN_SQUARED_ERROR),
                new double[] {1.0, 0.5}, weights, new java.util.SplittableRandom(0));
        float[][] x = join(inputs());
        float[][] y = join(targets());
        double loss = backprop.forward(x, y, false);
        assertThat(loss).isCloseTo((Double) REFERENCE.get("loss"), within(1e-5));
        List<float[][]> gradients = backprop.newGradients();
        backprop.backward(y, gradients);
        List<?> expected = (List<?>) REFERENCE.get("gradients");
        for (int t = 0; t < gradients.size(); t++) {
            assertClose(Matrix.of(gradients.get(t)), doubles2d(expected.get(t)), 1e-6, 1e-4, "gradient " + t);
        }
    }

    @Test
    void networkGradientsOfAGraphMatchPyTorch() {
        List<Matrix> gradients = network().gradients(inputs(), targets(),
                List.of(Loss.CATEGORICAL_CROSSENTROPY, Loss.MEAN_SQUARED_ERROR), new double[] {1.0, 0.5});
        List<?> expected = (List<?>) REFERENCE.get("gradients");
        assertThat(gradients).hasSize(expected.size());
        for (int t = 0; t < gradients.size(); t++) {
            assertClose(gradients.get(t), doubles2d(expected.get(t)), 1e-6, 1e-4, "gradient " + t);
        }
    }

    @Test
    void aTwoOutputFitMatchesTheSameFitStepByStepInFloat64() {
        Trainer trainer = BackpropTrainer.builder()
                .losses(Map.of("main", Loss.CATEGORICAL_CROSSENTROPY, "aux", Loss.MEAN_SQUARED_ERROR))
                .lossWeights(Map.of("aux", 0.5))
                .optimizer(Optimizer.sgd(0.1))
                .batchSize(4)
                .epochs(3)
                .shuffle(false)
                .seed(1)
                .build();
        Network trained = trainer.fit(network(), inputs(), targets()).network();
        List<?> expected = (List<?>) ((Map<?, ?>) REFERENCE.get("fit")).get("weights");
        for (int t = 0; t < expected.size(); t++) {
            assertClose(trained.getWeights().get(t), doubles2d(expected.get(t)), 1e-5, 1e-4, "weight " + t);
        }
    }

    private static float[][] join(List<Matrix> parts) {
        int rows = parts.get(0).rows();
        int cols = parts.stream().mapToInt(Matrix::cols).sum();
        float[][] joined = new float[rows][cols];
        int offset = 0;
        for (Matrix part : parts) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(part.getRow(r), 0, joined[r], offset, part.cols());
            }
            offset += part.cols();
        }
        return joined;
    }
}
