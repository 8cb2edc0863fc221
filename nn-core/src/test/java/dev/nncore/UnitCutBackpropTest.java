package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Backprop with its first layer's units cut, against the uncut run on the same weights. */
class UnitCutBackpropTest {

    private static final int[] BOUNDS = {0, 8, 24};

    private static Network network() {
        return Network.builder(30).dense(24, Activation.RELU).dense(12, Activation.TANH).dense(4, Activation.SOFTMAX)
                .seed(3).build();
    }

    private static List<float[][]> weights(Network network) {
        List<float[][]> out = new ArrayList<>();
        for (Matrix m : network.getWeights()) {
            out.add(m.toArray());
        }
        return out;
    }

    /** The run's layout: the first kernel's and bias's columns per part, then the rest as they are. */
    private static List<float[][]> cut(List<float[][]> weights) {
        List<float[][]> run = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            for (int p = 0; p + 1 < BOUNDS.length; p++) {
                float[][] part = new float[weights.get(t).length][];
                for (int r = 0; r < part.length; r++) {
                    part[r] = Arrays.copyOfRange(weights.get(t)[r], BOUNDS[p], BOUNDS[p + 1]);
                }
                run.add(part);
            }
        }
        run.addAll(weights.subList(2, weights.size()));
        return run;
    }

    private static List<float[][]> zerosLike(List<float[][]> tensors) {
        List<float[][]> out = new ArrayList<>();
        for (float[][] t : tensors) {
            out.add(new float[t.length][t[0].length]);
        }
        return out;
    }

    private static void sgd(List<float[][]> weights, List<float[][]> gradients) {
        for (int t = 0; t < weights.size(); t++) {
            for (int r = 0; r < weights.get(t).length; r++) {
                for (int c = 0; c < weights.get(t)[r].length; c++) {
                    weights.get(t)[r][c] -= 0.1f * gradients.get(t)[r][c];
                }
            }
        }
    }

    @Test
    void trainsAsTheUncutRunDoes() {
        Network network = network();
        List<float[][]> whole = weights(network);
        List<float[][]> run = cut(weights(network));
        Backprop uncut = Backprop.of(network, Loss.CATEGORICAL_CROSSENTROPY, whole, new SplittableRandom(1));
        Backprop cut = Backprop.cutByUnits(network, Loss.CATEGORICAL_CROSSENTROPY, run, new SplittableRandom(1), 0, BOUNDS);
        List<float[][]> wholeGradients = zerosLike(whole);
        List<float[][]> runGradients = zerosLike(run);
        SplittableRandom random = new SplittableRandom(7);
        for (int step = 0; step < 20; step++) {
            float[][] x = new float[16][30];
            float[][] y = new float[16][4];
            for (int i = 0; i < 16; i++) {
                for (int k = 0; k < 30; k++) {
                    x[i][k] = (float) random.nextGaussian();
                }
                y[i][random.nextInt(4)] = 1;
            }
            double expected = uncut.forward(x, y, true);
            double loss = cut.forward(x, y, true);
            assertThat(loss).isCloseTo(expected, within(1e-5 * expected));
            for (int i = 0; i < 16; i++) {
                for (int c = 0; c < 4; c++) {
                    assertThat(cut.outputs()[i][c]).isCloseTo(uncut.outputs()[i][c], within(1e-5f));
                }
            }
            uncut.backward(y, wholeGradients);
            cut.backward(y, runGradients);
            assertThat(cut(wholeGradients).size()).isEqualTo(runGradients.size());
            List<float[][]> expectedRun = cut(wholeGradients);
            for (int t = 0; t < runGradients.size(); t++) {
                for (int r = 0; r < runGradients.get(t).length; r++) {
                    for (int c = 0; c < runGradients.get(t)[r].length; c++) {
                        assertThat(runGradients.get(t)[r][c]).as("tensor %d [%d][%d], step %d", t, r, c, step)
                                .isCloseTo(expectedRun.get(t)[r][c], within(1e-5f));
                    }
                }
            }
            sgd(whole, wholeGradients);
            sgd(run, runGradients);
        }
        // and at inference (validation) too
        float[][] x = {new float[30]};
        Arrays.fill(x[0], 0.5f);
        float[][] y = {{0, 1, 0, 0}};
        assertThat(cut.forward(x, y, false)).isCloseTo(uncut.forward(x, y, false), within(1e-4));
    }

    @Test
    void theSameBitsEveryTime() {
        Network network = network();
        float[][] x = new float[16][30];
        float[][] y = new float[16][4];
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 16; i++) {
            for (int k = 0; k < 30; k++) {
                x[i][k] = (float) random.nextGaussian();
            }
            y[i][i % 4] = 1;
        }
        List<List<float[][]>> results = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<float[][]> weights = cut(weights(network));
            Backprop cut = Backprop.cutByUnits(network, Loss.CATEGORICAL_CROSSENTROPY, weights, new SplittableRandom(1), 0,
                    BOUNDS);
            List<float[][]> gradients = zerosLike(weights);
            for (int step = 0; step < 5; step++) {
                cut.forward(x, y, true);
                cut.backward(y, gradients);
                sgd(weights, gradients);
            }
            results.add(weights);
        }
        for (int t = 0; t < results.get(0).size(); t++) {
            assertThat(results.get(1).get(t)).isDeepEqualTo(results.get(0).get(t));
        }
    }

    @Test
    void refusesWhatItCannotCut() {
        Network softmaxFirst = Network.builder(4).dense(4, Activation.SOFTMAX).dense(2, Activation.LINEAR).build();
        List<float[][]> run = cut(List.of(new float[4][24], new float[1][24], new float[24][2], new float[1][2]));
        assertThatThrownBy(() -> Backprop.cutByUnits(softmaxFirst, Loss.MEAN_SQUARED_ERROR, run, new SplittableRandom(1), 0,
                new int[] {0, 2, 4})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot cut");
        Network one = Network.builder(4).dense(4, Activation.RELU).build();
        assertThatThrownBy(() -> Backprop.cutByUnits(one, Loss.MEAN_SQUARED_ERROR, run, new SplittableRandom(1), 0,
                new int[] {0, 2, 4})).hasMessageContaining("first two layers, both Dense");
    }
}
