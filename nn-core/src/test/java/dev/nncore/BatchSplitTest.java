package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.testing.Allocations;
import dev.nncore.testing.Gaussian;
import org.junit.jupiter.api.Test;

/**
 * A large inference batch cut by rows, each part through every layer on its own thread: the outputs of one thread
 * bit for bit, whatever the number of parts, and nothing allocated once warm.
 */
class BatchSplitTest {

    private static final Network NETWORK = Network.builder(96).dense(200, Activation.RELU).layerNormalization()
            .dense(40, Activation.TANH).dense(10, Activation.SOFTMAX).seed(8).build();

    @Test
    void anyNumberOfPartsGivesTheBitsOfTheWholeBatch() {
        float[][] rows = Gaussian.rows(203, 96, 1);
        float[][] whole = new float[rows.length][10];
        NETWORK.forwardChain(rows, whole);
        for (int parts = 2; parts <= 5; parts++) {
            float[][] cut = new float[rows.length][10];
            assertThat(new BatchSplit().run(NETWORK, rows, cut, parts)).isTrue();
            assertThat(cut).as("%d parts", parts).isDeepEqualTo(whole);
        }
        float[][] viaApi = new float[rows.length][10];
        NETWORK.forward(rows, viaApi); // cut when the machine has two threads or more
        assertThat(viaApi).isDeepEqualTo(whole);
        for (int r = 0; r < rows.length; r += 50) {
            assertThat(NETWORK.forward(rows[r])).as("row %d alone", r).containsExactly(whole[r]);
        }
    }

    @Test
    void smallBatchesAndLightNetworksAreNotCut() {
        long perRow = 96L * 200 + 200 + 200L * 40 + 10L * 40;
        assertThat(BatchSplit.parts(2 * BatchSplit.MIN_PART_ROWS - 1, perRow)).isZero();
        assertThat(BatchSplit.parts(64, 6)).as("a 2-2-1 network").isZero();
    }

    @Test
    void aCutBatchIntoABufferAllocatesNothingOnceWarm() {
        float[][] rows = Gaussian.rows(256, 96, 2);
        float[][] out = new float[256][10];
        BatchSplit split = new BatchSplit();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 3000; i++) {
            split.run(NETWORK, rows, out, 2);
        }
        long allocated = Allocations.fewest(Allocations.UNTIL_COMPILED, 1024, () -> {
            for (int i = 0; i < 300; i++) {
                split.run(NETWORK, rows, out, 2);
            }
        }, thread);
        assertThat(allocated).as("bytes allocated by 300 cut batches").isLessThan(1024);
    }
}
