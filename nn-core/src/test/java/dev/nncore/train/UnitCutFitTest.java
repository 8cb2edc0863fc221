package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nncore.Activation;
import dev.nncore.Constraint;
import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.Regularizer;
import dev.nncore.internal.Kernels;
import dev.nncore.math.Matrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /** fit cuts by units on two threads or more, on the Vector API kernel (it gained nothing on the plain one). */
    private static void assumeTheCut() {
        Assumptions.assumeTrue(Kernels.threads() >= 2, "the cut needs two threads");
        Assumptions.assumeTrue(TrainingLoop.vectorKernel(), "the cut runs on the Vector API kernel");
    }

    /** 256 units: two parts of at least 64. */
    private static Network network() {
        return Network.builder(INPUTS).dense(256, Activation.RELU).dense(5, Activation.SOFTMAX).seed(8).build();
    }

    private static BackpropTrainer.Builder trainer() {
        return BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.adam(0.001)).epochs(3)
                .batchSize(64).seed(2);
    }

    private static TrainingResult fit(boolean cut, List<Network> seen) {
        return fit(cut, network(), trainer().listener(new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, int epoch) {
                seen.add(run.network());
            }
        }));
    }

    private static TrainingResult fit(boolean cut, Network network, BackpropTrainer.Builder trainer) {
        Matrix[] data = data();
        String before = System.getProperty("nncore.noUnitCut");
        System.setProperty("nncore.noUnitCut", String.valueOf(!cut));
        try {
            return trainer.build().fit(network, data[0], data[1]);
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
        assumeTheCut();
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
        // the cut ran: the output layer's sums grouped by part leave other last bits
        assertThat(java.util.Arrays.deepEquals(a.get(2).toArray(), b.get(2).toArray())).isFalse();
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

    /**
     * Per call, a cut fit with SGD copies each weight once (the first kernel and bias straight into their parts), holds
     * one set of gradients, and joins only the cut tensors for the network it returns: two sets of weights and the
     * first layer's once more. Splitting a whole copy and joining every tensor at the end had cost three sets and the
     * first layer's once more. The rest (the batch's work arrays) stays under half a set here.
     */
    @Test
    void aCutFitCopiesEachWeightOnceAndJoinsOnlyTheCutTensors() {
        assumeTheCut();
        Assumptions.assumeFalse(Boolean.getBoolean("nncore.noUnitCut"), "the cut is switched off");
        Network network = Network.builder(1000).dense(256, Activation.RELU).dense(5, Activation.SOFTMAX).seed(8).build();
        SplittableRandom random = new SplittableRandom(5);
        float[][] x = new float[64][1000];
        float[][] y = new float[64][5];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < x[i].length; k++) {
                x[i][k] = (float) random.nextGaussian();
            }
            y[i][random.nextInt(5)] = 1;
        }
        Matrix mx = Matrix.of(x);
        Matrix my = Matrix.of(y);
        BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY)
                .optimizer(Optimizer.sgd(0.01)).epochs(1).batchSize(64).seed(1).build();
        for (int i = 0; i < 200; i++) { // warm: C2 compiles the loop
            trainer.fit(network, mx, my);
        }
        long[] ids = dev.nncore.testing.Allocations.callerAndWorkers();
        long bytes = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) { // the least of five rounds: a stray JIT or GC event allocates too
            long before = dev.nncore.testing.Allocations.ofThreads(ids);
            trainer.fit(network, mx, my);
            bytes = Math.min(bytes, dev.nncore.testing.Allocations.ofThreads(ids) - before);
        }
        long set = 0;
        long cut = 0;
        List<Matrix> weights = network.getWeights();
        for (int t = 0; t < weights.size(); t++) {
            long tensor = (long) weights.get(t).rows() * (16 + 4L * weights.get(t).cols());
            set += tensor;
            cut += t < 2 ? tensor : 0;
        }
        assertThat(bytes).as("%d B a set of weights, %d B the first layer's", set, cut)
                .isGreaterThanOrEqualTo(2 * set + cut).isLessThan(2 * set + cut + set / 2);
    }

    /**
     * Each part's tensors are updated by its own thread right after its gradients, inside the backward pass; a clip that
     * changes no gradient keeps the update in a round of its own after it, as clipping needs every gradient first. The
     * two fits have the same bits, weights and Adam's slots.
     */
    @Test
    void theUpdateInTheBackwardPassHasTheBitsOfARoundOfItsOwn() {
        assumeTheCut();
        TrainingResult inParts = fit(true, network(), trainer());
        TrainingResult byRound = fit(true, network(), trainer().optimizer(Optimizer.adam(0.001).clipValue(1e30)));
        assertSameBits(inParts.network(), byRound.network());
        assertThat(inParts.history().loss()).isEqualTo(byRound.history().loss());
        for (int v = 0; v < inParts.optimizerState().variables().size(); v++) {
            assertThat(inParts.optimizerState().variables().get(v)).as("slot %d", v)
                    .isDeepEqualTo(byRound.optimizerState().variables().get(v));
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

    @Test
    void resumesFromItsOptimizerStateBitForBit() {
        assumeTheCut();
        TrainingResult whole = fit(true, network(), trainer());
        TrainingResult firstTwo = fit(true, network(), trainer().epochs(2));
        // the state comes out joined into the network's order and goes back in cut again
        TrainingResult resumed = fit(true, firstTwo.network(),
                trainer().initialEpoch(2).optimizerState(firstTwo.optimizerState()));
        assertSameBits(resumed.network(), whole.network());
        assertThat(resumed.optimizerState().iterations()).isEqualTo(whole.optimizerState().iterations());
        for (int v = 0; v < whole.optimizerState().variables().size(); v++) {
            assertThat(resumed.optimizerState().variables().get(v)).as("slot %d", v)
                    .isDeepEqualTo(whole.optimizerState().variables().get(v));
        }
    }

    @Test
    void aBackupIsInTheNetworksOrderAndResumesCutOrNot(@TempDir Path dir) {
        assumeTheCut();
        TrainingListener killer = new TrainingListener() {
            @Override
            public void onEpochBegin(TrainingRun run, int epoch) {
                if (epoch == 2) {
                    throw new IllegalStateException("killed");
                }
            }
        };
        Path backup = dir.resolve("cut");
        assertThatThrownBy(() -> fit(true, network(), trainer().listener(BackupAndRestore.to(backup)).listener(killer)))
                .hasMessage("killed");
        Path copy = dir.resolve("copy");
        try {
            Files.createDirectories(copy);
            Files.copy(backup.resolve("backup.bin"), copy.resolve("backup.bin"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // resumed cut, it ends with the bits of an uninterrupted cut fit
        TrainingResult resumedCut = fit(true, network(), trainer().listener(BackupAndRestore.to(backup)));
        assertSameBits(resumedCut.network(), fit(true, network(), trainer()).network());
        // resumed uncut (as on one thread) from the same file, it ends near the uncut fit
        TrainingResult resumedUncut = fit(false, network(), trainer().listener(BackupAndRestore.to(copy)));
        assertThat(resumedUncut.history().epochs()).isEqualTo(1);
        assertClose(resumedUncut.network(), fit(false, network(), trainer()).network());
    }

    @Test
    void setNetworkMidFitIsCutIntoTheParts() {
        assumeTheCut();
        Network replacement = Network.builder(INPUTS).dense(256, Activation.RELU).dense(5, Activation.SOFTMAX).seed(99)
                .build();
        TrainingListener reset = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, int epoch) {
                if (epoch == 1) {
                    run.setNetwork(replacement);
                    // read back at once: the parts hold the replacement's columns
                    for (int t = 0; t < 4; t++) {
                        assertThat(run.network().getWeights().get(t).toArray()).as("tensor %d", t)
                                .isDeepEqualTo(replacement.getWeights().get(t).toArray());
                    }
                }
            }
        };
        TrainingResult cut = fit(true, network(), trainer().listener(reset));
        TrainingResult uncut = fit(false, network(), trainer().listener(reset));
        assertClose(cut.network(), uncut.network());
    }

    @Test
    void weightRulesThatHoldUnitByUnitKeepTheCut() {
        assumeTheCut();
        Network ruled = withRules(Constraint.maxNorm(0.5, 0));
        TrainingResult cut = fit(true, ruled, trainer());
        TrainingResult uncut = fit(false, ruled, trainer());
        assertClose(cut.network(), uncut.network());
        for (int e = 0; e < 3; e++) {
            assertThat(cut.history().loss().get(e)).isCloseTo(uncut.history().loss().get(e), within(1e-4));
        }
        // the cut ran (its bits differ from the uncut fit's) and kept every unit's norm within 0.5
        assertThat(java.util.Arrays.deepEquals(cut.network().getWeights().get(0).toArray(),
                uncut.network().getWeights().get(0).toArray())).isFalse();
        float[][] kernel = cut.network().getWeights().get(0).toArray();
        for (int unit = 0; unit < kernel[0].length; unit++) {
            double sum = 0;
            for (float[] row : kernel) {
                sum += row[unit] * row[unit];
            }
            assertThat(Math.sqrt(sum)).as("unit %d", unit).isLessThanOrEqualTo(0.5 + 1e-6);
        }
        float[][] bias = cut.network().getWeights().get(1).toArray();
        for (float b : bias[0]) {
            assertThat(b).isGreaterThanOrEqualTo(0f);
        }
    }

    @Test
    void aRuleAcrossUnitsLeavesTheFitUncut() {
        // a norm over each input's row spans both parts' units: no cut, so the same bits as with the cut turned off
        Network ruled = withRules(Constraint.maxNorm(0.5, 1));
        assertSameBits(fit(true, ruled, trainer()).network(), fit(false, ruled, trainer()).network());
    }

    /** The first layer with an L2 penalty on its kernel, {@code kernelConstraint}, and NonNeg on its bias. */
    private static Network withRules(Constraint kernelConstraint) {
        Network plain = network();
        List<Layer> layers = new ArrayList<>(plain.layers());
        layers.set(0, ((Dense) layers.get(0)).withRegularizers(Regularizer.l2(0.01), null, null)
                .withConstraints(kernelConstraint, Constraint.nonNeg()));
        return Network.of(layers);
    }

    private static void assertSameBits(Network actual, Network expected) {
        for (int t = 0; t < expected.getWeights().size(); t++) {
            assertThat(actual.getWeights().get(t).toArray()).as("tensor %d", t)
                    .isDeepEqualTo(expected.getWeights().get(t).toArray());
        }
    }

    private static void assertClose(Network actual, Network expected) {
        for (int t = 0; t < expected.getWeights().size(); t++) {
            float[][] x = actual.getWeights().get(t).toArray();
            float[][] y = expected.getWeights().get(t).toArray();
            for (int r = 0; r < y.length; r++) {
                for (int c = 0; c < y[r].length; c++) {
                    assertThat(x[r][c]).as("tensor %d [%d][%d]", t, r, c).isCloseTo(y[r][c], within(1e-4f));
                }
            }
        }
    }
}
