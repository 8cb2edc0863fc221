package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.math.Matrix;
import org.junit.jupiter.api.Test;

class DenseTest {

    /** Keras's own Dense test: kernel [[1,-2],[3,-4]], bias [5,-6], input [-1,2], ReLU gives [10, 0]. */
    @Test
    void reproducesKerasDenseTest() {
        Dense layer = Dense.of(new float[][] {{1, -2}, {3, -4}}, new float[] {5, -6}, Activation.RELU);
        // -1*1 + 2*3 + 5 = 10; -1*-2 + 2*-4 - 6 = -12 -> relu -> 0
        assertThat(layer.forward(-1, 2)).containsExactly(10f, 0f);
        assertThat(layer.forward(Matrix.row(-1, 2))).isEqualTo(Matrix.row(10, 0));
    }

    @Test
    void batchForwardEqualsOneSampleAtATime() {
        Dense layer = Dense.of(new float[][] {{0.5f, -1, 2}, {1.5f, 0.25f, -3}}, new float[] {0.1f, 0.2f, 0.3f},
                Activation.TANH);
        Matrix batch = Matrix.of(new float[][] {{1, 2}, {-3, 0.5f}, {0, 0}});
        Matrix out = layer.forward(batch);
        for (int r = 0; r < 3; r++) {
            assertThat(out.getRow(r)).containsExactly(layer.forward(batch.getRow(r)));
        }
    }

    /**
     * From 16 rows a batch runs on the kernel packed once when the layer first sees such a batch; every row still has
     * the bits of the row on its own and of the same product through {@code MatrixOps} (B packed per call, or not),
     * for widths below a vector, past whole strips and at them, and from many threads at once.
     */
    @Test
    void batchesOnThePackedKernelGiveTheBitsOfOneSampleAtATime() throws Exception {
        java.util.Random random = new java.util.Random(3);
        for (int[] shape : new int[][] {{784, 128}, {300, 10}, {257, 130}, {64, 64}, {513, 200}, {20, 1}}) {
            float[][] kernel = new float[shape[0]][shape[1]];
            float[] bias = new float[shape[1]];
            for (float[] row : kernel) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) random.nextGaussian();
                }
            }
            Dense layer = Dense.of(kernel, bias, Activation.RELU);
            for (int rows : new int[] {15, 16, 17, 48, 61, 200}) {
                float[][] batch = new float[rows][shape[0]];
                for (float[] row : batch) {
                    for (int k = 0; k < row.length; k++) {
                        row[k] = (float) random.nextGaussian();
                    }
                }
                float[][] out = new float[rows][shape[1]];
                layer.forward(batch, out);
                float[][] unpacked = new float[rows][shape[1]];
                dev.nncore.math.MatrixOps.affine(batch, kernel, bias, unpacked);
                for (int r = 0; r < rows; r++) {
                    float[] one = new float[shape[1]];
                    layer.forward(batch[r], one);
                    assertThat(out[r]).as("%dx%d, row %d of %d", shape[0], shape[1], r, rows).containsExactly(one);
                    Activation.RELU.applyInPlace(unpacked[r]);
                    assertThat(out[r]).containsExactly(unpacked[r]);
                }
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
                try {
                    Dense fresh = Dense.of(kernel, bias, Activation.RELU); // packed by whichever thread comes first
                    java.util.List<java.util.concurrent.Future<float[][]>> results = new java.util.ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        results.add(pool.submit(() -> {
                            float[][] mine = new float[rows][shape[1]];
                            fresh.forward(batch, mine);
                            return mine;
                        }));
                    }
                    for (java.util.concurrent.Future<float[][]> result : results) {
                        assertThat(result.get()).isEqualTo(out);
                    }
                } finally {
                    pool.shutdown();
                }
            }
        }
    }

    @Test
    void weightsAreCopiedInAndOut() {
        float[][] kernel = {{1, 2}};
        float[] bias = {3, 4};
        Dense layer = Dense.of(kernel, bias, Activation.LINEAR);
        kernel[0][0] = 100;
        bias[0] = 100;
        assertThat(layer.kernel()).isEqualTo(Matrix.row(1, 2));
        assertThat(layer.bias()).isEqualTo(Matrix.row(3, 4));
        assertThat(layer.inputs()).isEqualTo(1);
        assertThat(layer.units()).isEqualTo(2);
        assertThat(layer.parameterCount()).isEqualTo(4);
    }

    @Test
    void rejectsBiasOfTheWrongLengthAndRaggedKernels() {
        assertThatThrownBy(() -> Dense.of(new float[][] {{1, 2}}, new float[] {1, 2, 3}, Activation.RELU))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bias must be 1x2 (one value per unit of the 1x2 kernel), got 1x3");
        assertThatThrownBy(() -> Dense.of(new float[][] {{1, 2}, {3}}, new float[] {1, 2}, Activation.RELU))
                .hasMessageContaining("row 1 has 1 values, but row 0 has 2");
        assertThatThrownBy(() -> Dense.of(Matrix.row(1, 2), Matrix.column(1, 2), Activation.RELU))
                .hasMessage("bias must be 1x2 (one value per unit of the 1x2 kernel), got 2x1");
        assertThatThrownBy(() -> Dense.of(new float[][] {{1}}, new float[] {1}, null))
                .hasMessage("activation must not be null");
    }

    @Test
    void rejectsInputsOfTheWrongWidthNamingTheLayer() {
        Dense layer = Dense.of(new float[][] {{1}, {2}}, new float[] {0}, Activation.LINEAR).named("hidden_1");
        assertThatThrownBy(() -> layer.forward(1, 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Dense \"hidden_1\" expects 2 inputs, got 3");
        assertThatThrownBy(() -> layer.forward(Matrix.zeros(4, 3)))
                .hasMessage("Dense \"hidden_1\" expects 2 inputs per row, got 3 (input shape [4][3])");
    }

    @Test
    void namesEqualityAndToString() {
        Dense layer = Dense.of(new float[][] {{1}}, new float[] {0}, Activation.SIGMOID);
        assertThat(layer.name()).isEqualTo("dense");
        assertThat(layer.named("out").name()).isEqualTo("out");
        assertThat(layer.named("out").toString()).isEqualTo("Dense(\"out\", 1 -> 1, sigmoid)");
        assertThat(layer).isEqualTo(Dense.of(new float[][] {{1}}, new float[] {0}, Activation.SIGMOID));
        assertThat(layer).isNotEqualTo(layer.named("other"));
        assertThat(layer).isNotEqualTo(Dense.of(new float[][] {{1}}, new float[] {0}, Activation.TANH));
        assertThatThrownBy(() -> layer.named(" ")).hasMessageContaining("must not be blank");
    }
}
