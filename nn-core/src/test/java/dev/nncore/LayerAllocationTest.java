package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.math.Matrix;
import dev.nncore.testing.Allocations;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Forward into a caller's buffer allocates nothing once warm, whatever the layers: HotSpot counts the bytes each
 * thread allocates, and a thousand passes through a network of every inference-time layer kind must not add up to
 * even one object per pass.
 */
class LayerAllocationTest {

    @Test
    void forwardIntoABufferAllocatesNothingForAnyLayer() {
        SplittableRandom random = new SplittableRandom(2);
        float[][] data = new float[20][6];
        for (float[] row : data) {
            for (int c = 0; c < row.length; c++) {
                row[c] = (float) random.nextDouble(-2, 2);
            }
        }
        Network network = Network.builder(2, 3).flatten().normalization(Matrix.of(data)).rescaling(0.5, 0.1)
                .dense(16, Activation.RELU).batchNormalization().dropout(0.3).activation(Activation.GELU)
                .leakyRelu(0.2).prelu().layerNormalization().gaussianNoise(0.1)
                .dense(4, Activation.LINEAR).activation(Activation.SOFTMAX).seed(4).build();
        float[] input = data[0];
        float[] output = new float[4];
        float[][] batch = new float[8][];
        System.arraycopy(data, 0, batch, 0, 8);
        float[][] batchOutput = new float[8][4];
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 50000; i++) { // warm: workspace buffers, and C2 (before it compiles, the interpreter allocates)
            network.forward(input, output);
            network.forward(batch, batchOutput);
        }
        Allocations.ofThread(thread);

        long allocated = Allocations.fewest(Allocations.UNTIL_COMPILED, 1024, () -> {
            for (int i = 0; i < 1000; i++) {
                network.forward(input, output);
                network.forward(batch, batchOutput);
            }
        }, thread);

        assertThat(allocated).as("bytes allocated by 2,000 forward passes into buffers").isLessThan(1024);
        assertThat(output).containsExactly(network.forward(input));
    }

    @Test
    void aGraphForwardIntoBuffersAllocatesNothing() {
        Network graph = GraphTest.everyMerge(3);
        Node x = Node.input("x", 4);
        Node h = x.dense(8, Activation.RELU);
        Network residual = Network.functional(java.util.List.of(x),
                java.util.List.of(Node.add(h, h.dense(8, Activation.TANH)).then(b -> b.dropout(0.1).dense(2, Activation.SOFTMAX))), 1);
        float[][][] inputs = {{{1, 2, 3}, {0.5f, -1, 2}}, {{-1, 0, 1}, {2, 2, -2}}};
        float[][][] outputs = {new float[2][2], new float[2][1]};
        float[] row = {1, -1, 0.5f, 2};
        float[] out = new float[2];
        float[][] rows = {row, row, row};
        float[][] rowsOut = new float[3][2];
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 50000; i++) {
            graph.forwardAll(inputs, outputs);
            residual.forward(row, out);
            residual.forward(rows, rowsOut);
        }
        Allocations.ofThread(thread);

        long allocated = Allocations.fewest(Allocations.UNTIL_COMPILED, 1024, () -> {
            for (int i = 0; i < 1000; i++) {
                graph.forwardAll(inputs, outputs);
                residual.forward(row, out);
                residual.forward(rows, rowsOut);
            }
        }, thread);
        assertThat(allocated).as("bytes allocated by 3,000 graph forward passes into buffers").isLessThan(1024);
        assertThat(out).containsExactly(residual.forward(row));
    }
}
