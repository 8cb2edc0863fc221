package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.internal.Kernels;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** fit with the first layer's units cut between threads, against the same fit uncut. */
class UnitCutFitTest {

    private static final int INPUTS = 300;

    private static Matrix[] data() {
        SplittableRandom random = new SplittableRandom(4);
        float[][] x = new float[640][INPUTS];
        float[][] y = new float[640][5];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < INPUTS; k++) {
                x[i][k] = (float) random.nextDouble();
            }
            y[i][random.nextInt(5)] = 1;
        }
        return new Matrix[] {Matrix.of(x), Matrix.of(y)};
    }

    private static TrainingResult fit(boolean cut, List<Network> seen) {
        Network network = Network.builder(INPUTS).dense(128, Activation.RELU).dense(5, Activation.SOFTMAX).seed(8).build();
        Matrix[] data = data();
        BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY)
                .optimizer(Optimizer.adam(0.001)).epochs(3).batchSize(64).seed(2).listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(TrainingRun run, int epoch) {
                        seen.add(run.network());
                    }
                }).build();
        String before = System.getProperty("nncore.noUnitCut");
        System.setProperty("nncore.noUnitCut", String.valueOf(!cut));
        try {
            return trainer.fit(network, data[0], data[1]);
        } finally {
            if (before == null) {
                System.clearProperty("nncore.noUnitCut");
            } else {
                System.setProperty("nncore.noUnitCut", before);
            }
        }
    }

    @Test
    void trainsAsTheUncutFitDoes() {
        Assumptions.assumeTrue(Kernels.threads() >= 2, "the cut needs two threads");
        List<Network> cutEpochs = new ArrayList<>();
        List<Network> uncutEpochs = new ArrayList<>();
        TrainingResult cut = fit(true, cutEpochs);
        TrainingResult uncut = fit(false, uncutEpochs);

        for (int e = 0; e < 3; e++) {
            assertThat(cut.history().loss().get(e)).isCloseTo(uncut.history().loss().get(e), within(1e-4));
        }
        List<Matrix> a = cut.network().getWeights();
        List<Matrix> b = uncut.network().getWeights();
        assertThat(a).hasSameSizeAs(b);
        for (int t = 0; t < a.size(); t++) {
            float[][] x = a.get(t).toArray();
            float[][] y = b.get(t).toArray();
            for (int r = 0; r < x.length; r++) {
                for (int c = 0; c < x[r].length; c++) {
                    assertThat(x[r][c]).as("tensor %d [%d][%d]", t, r, c).isCloseTo(y[r][c], within(1e-4f));
                }
            }
        }
        // the networks callbacks see mid-fit are in the network's layout too
        assertThat(cutEpochs).hasSize(3);
        assertThat(cutEpochs.get(2).getWeights().get(0).toArray()).isDeepEqualTo(cut.network().getWeights().get(0).toArray());
        // the optimizer's state comes back in Keras's order and shapes
        assertThat(cut.optimizerState().variables()).hasSameSizeAs(uncut.optimizerState().variables());
        for (int v = 0; v < cut.optimizerState().variables().size(); v++) {
            float[][] x = cut.optimizerState().variables().get(v);
            float[][] y = uncut.optimizerState().variables().get(v);
            assertThat(x.length).isEqualTo(y.length);
            assertThat(x[0].length).isEqualTo(y[0].length);
        }
    }

    @Test
    void theSameBitsEveryTime() {
        TrainingResult first = fit(true, new ArrayList<>());
        TrainingResult second = fit(true, new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            assertThat(first.network().getWeights().get(t).toArray())
                    .isDeepEqualTo(second.network().getWeights().get(t).toArray());
        }
    }
}
