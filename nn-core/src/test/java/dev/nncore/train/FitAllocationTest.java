package dev.nncore.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;
import dev.nncore.testing.Allocations;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code fit} allocates per call and per epoch, never per batch: ten times the batches cost no more memory. */
class FitAllocationTest {

    private static final int BATCH = 8;
    private static final int EPOCHS = 3;

    @Test
    void moreBatchesAllocateNothingMore() {
        Network network = Network.builder(12).dense(16, Activation.RELU).batchNormalization().dropout(0.2)
                .dense(3, Activation.SOFTMAX).seed(3).build();
        assertNothingMorePerBatch(network, 12, BATCH, 300);
    }

    /** Batches large enough to be cut into parts on two threads (where the machine has them). */
    @Test
    void batchesCutIntoPartsAllocateNothingMore() {
        Network network = Network.builder(64).dense(256, Activation.RELU).dropout(0.2).dense(3, Activation.SOFTMAX)
                .seed(3).build();
        assertNothingMorePerBatch(network, 64, 128, 60);
    }

    private static void assertNothingMorePerBatch(Network network, int inputs, int batch, int warmUps) {
        Matrix[] small = data(10 * batch, inputs);
        Matrix[] large = data(100 * batch, inputs);
        BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY)
                .optimizer(Optimizer.adam(0.01)).epochs(EPOCHS).batchSize(batch).seed(1).build();
        for (int i = 0; i < warmUps; i++) { // warm: C2 compiles the loop (the interpreter allocates iterators and boxes)
            trainer.fit(network, small[0], small[1]);
            trainer.fit(network, large[0], large[1]);
        }
        // this thread and nn-core's workers, which run parts of cut batches
        long[] ids = Allocations.callerAndWorkers();

        long smallBytes = Long.MAX_VALUE;
        long largeBytes = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) { // the least of five rounds: a stray JIT or GC event allocates too
            long before = Allocations.ofThreads(ids);
            trainer.fit(network, small[0], small[1]);
            long between = Allocations.ofThreads(ids);
            trainer.fit(network, large[0], large[1]);
            long after = Allocations.ofThreads(ids);
            smallBytes = Math.min(smallBytes, between - before);
            largeBytes = Math.min(largeBytes, after - between);
        }

        int extraRows = large[0].rows() - small[0].rows();
        int extraBatches = EPOCHS * (extraRows / batch);
        long perRow = 8; // the shuffle order and each row's class (for the accuracy) hold an int per row: per call
        assertThat((largeBytes - smallBytes - perRow * extraRows) / extraBatches)
                .as("bytes per batch beyond the per-call cost (%d B for 30 batches, %d B for 300)", smallBytes, largeBytes)
                .isLessThanOrEqualTo(0);
    }


    /**
     * Per call, a fit with SGD holds two sets of weights: its own copy of the network's, and their gradients, into which
     * the update writes the next weights (so that the last finite ones survive a diverging batch); the network it
     * returns takes the trained arrays over rather than a third copy. The rest (the layers' work arrays for 8 rows, the
     * history) stays under half a set here.
     */
    @Test
    void aFitWithSgdAllocatesTwoSetsOfWeightsPerCallAndNoThirdForItsResult() {
        Network network = Network.builder(256).dense(512, Activation.RELU).dense(3, Activation.SOFTMAX).seed(3).build();
        Matrix[] data = data(8, 256);
        BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY)
                .optimizer(Optimizer.sgd(0.01)).epochs(1).batchSize(8).seed(1).build();
        for (int i = 0; i < 300; i++) {
            trainer.fit(network, data[0], data[1]);
        }
        long bytes = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = Allocations.ofThisThread();
            trainer.fit(network, data[0], data[1]);
            bytes = Math.min(bytes, Allocations.ofThisThread() - before);
        }
        long weightBytes = 0;
        for (Matrix weight : network.getWeights()) {
            weightBytes += (long) weight.rows() * (16 + 4L * weight.cols());
        }
        assertThat(bytes).as("%d B of weights per set", weightBytes).isGreaterThanOrEqualTo(2 * weightBytes)
                .isLessThan(2 * weightBytes + weightBytes / 2);
    }

    private static Matrix[] data(int rows, int inputs) {
        SplittableRandom random = new SplittableRandom(rows);
        float[][] x = new float[rows][inputs];
        float[][] y = new float[rows][3];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < inputs; c++) {
                x[r][c] = (float) random.nextGaussian();
            }
            y[r][random.nextInt(3)] = 1;
        }
        return new Matrix[] {Matrix.of(x), Matrix.of(y)};
    }
}
