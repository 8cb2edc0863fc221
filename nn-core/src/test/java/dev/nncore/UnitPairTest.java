package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The pair cut by units against the two Dense layers' own passes on the same weights. */
class UnitPairTest {

    private static float[][] random(SplittableRandom random, int rows, int cols) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) (random.nextDouble() * 2 - 1);
            }
        }
        return m;
    }

    private static float[][] columns(float[][] m, int from, int to) {
        float[][] out = new float[m.length][];
        for (int r = 0; r < m.length; r++) {
            out[r] = java.util.Arrays.copyOfRange(m[r], from, to);
        }
        return out;
    }

    private static float[][] zeros(float[][] like) {
        return new float[like.length][like[0].length];
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "tanh", "elu", "linear"})
    void givesTheLayersOwnForwardAndGradients(String hiddenActivation) {
        int inputs = 37;
        int units = 40;
        int outputs = 3;
        int rows = 11;
        Network network = Network.builder(inputs).dense(units, Activation.fromKerasName(hiddenActivation))
                .dense(outputs, Activation.SOFTMAX).seed(5).build();
        List<float[][]> weights = new ArrayList<>();
        for (Matrix m : network.getWeights()) {
            weights.add(m.toArray());
        }
        SplittableRandom random = new SplittableRandom(9);
        float[][] x = random(random, rows, inputs);
        float[][] upstream = random(random, rows, outputs);

        Layer.Pass a = network.layers().get(0).pass(weights.subList(0, 2), new SplittableRandom(1));
        Layer.Pass b = network.layers().get(1).pass(weights.subList(2, 4), new SplittableRandom(1));
        float[][] hidden = new float[rows][units];
        float[][] out = new float[rows][outputs];
        a.forward(x, hidden, true);
        b.forward(hidden, out, true);
        float[][] hiddenGradient = new float[rows][units];
        List<float[][]> secondGradients = List.of(zeros(weights.get(2)), zeros(weights.get(3)));
        b.backward(hidden, out, upstream, hiddenGradient, secondGradients);
        List<float[][]> firstGradients = List.of(zeros(weights.get(0)), zeros(weights.get(1)));
        a.backward(x, hidden, hiddenGradient, null, firstGradients);

        int[] bounds = {0, 16, 28, 40};
        List<float[][]> firstParts = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            for (int p = 0; p < 3; p++) {
                firstParts.add(columns(weights.get(t), bounds[p], bounds[p + 1]));
            }
        }
        UnitPair pair = new UnitPair(firstParts, Activation.fromKerasName(hiddenActivation), weights.subList(2, 4),
                Activation.SOFTMAX, bounds);
        float[][] unused = new float[rows][units];
        float[][] pairOut = new float[rows][outputs];
        pair.first().forward(x, unused, true);
        pair.second().forward(unused, pairOut, true);
        List<float[][]> pairSecond = List.of(zeros(weights.get(2)), zeros(weights.get(3)));
        pair.second().backward(unused, pairOut, upstream, null, pairSecond);
        List<float[][]> pairFirst = new ArrayList<>();
        for (float[][] part : firstParts) {
            pairFirst.add(zeros(part));
        }
        pair.first().backward(x, unused, null, null, pairFirst);

        // each hidden value is the same dot product in the same order: the same bits
        assertThat(pair.hidden(rows)).isDeepEqualTo(hidden);
        // the output sums the parts' partial products: float rounding
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < outputs; c++) {
                assertThat(pairOut[r][c]).isCloseTo(out[r][c], within(1e-6f));
            }
        }
        assertClose(pairSecond.get(0), secondGradients.get(0));
        assertClose(pairSecond.get(1), secondGradients.get(1));
        for (int p = 0; p < 3; p++) {
            assertClose(pairFirst.get(p), columns(firstGradients.get(0), bounds[p], bounds[p + 1]));
            assertClose(pairFirst.get(3 + p), columns(firstGradients.get(1), bounds[p], bounds[p + 1]));
        }
    }

    private static void assertClose(float[][] actual, float[][] expected) {
        double scale = 0;
        for (float[] row : expected) {
            for (float v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        assertThat(scale).isPositive();
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < expected[r].length; c++) {
                assertThat((double) actual[r][c]).as("[%d][%d]", r, c).isCloseTo(expected[r][c], within(1e-5 * scale));
            }
        }
    }

    @Test
    void refusesARowWiseActivationAndAGradientIntoItsInput() {
        List<float[][]> parts = List.<float[][]>of(new float[2][1], new float[2][1]);
        assertThatThrownBy(() -> new UnitPair(parts, Activation.SOFTMAX, List.<float[][]>of(new float[2][1]), Activation.LINEAR,
                new int[] {0, 1, 2})).hasMessageContaining("element by element, not softmax");
        UnitPair pair = new UnitPair(parts, Activation.RELU, List.<float[][]>of(new float[2][1]), Activation.LINEAR, new int[] {0, 1, 2});
        assertThatThrownBy(() -> pair.first().backward(new float[1][2], null, null, new float[1][2], parts))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no gradient flows to its input");
    }
}
