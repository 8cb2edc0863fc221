package dev.nncore.math;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.activations.Softmax;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A kernel's batch softmax ({@link MatrixOps.Kernel#softmax}) gives every row the bits of the scalar
 * {@link Softmax#apply(float[])}: random rows of every width it takes, logits spread far enough that terms underflow,
 * and rows holding NaN, infinities and signed zeros. The Vector API kernel takes batches of rows of one width; the
 * plain kernels none.
 */
class SoftmaxKernelTest {

    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
        Float.MIN_VALUE, -Float.MAX_VALUE, Float.MAX_VALUE, 88.5f, -100f};

    @Test
    void everyRowHasTheScalarBits() {
        SplittableRandom random = new SplittableRandom(11);
        Softmax softmax = new Softmax();
        for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
            int taken = 0;
            for (int trial = 0; trial < 3000; trial++) {
                int width = 1 + random.nextInt(70);
                int rows = 1 + random.nextInt(40);
                double spread = trial % 3 == 0 ? 300 : trial % 3 == 1 ? 30 : 2;
                float[][] batch = new float[rows][width];
                for (float[] row : batch) {
                    for (int c = 0; c < width; c++) {
                        row[c] = (float) ((random.nextDouble() - 0.5) * spread);
                    }
                }
                if (trial % 7 == 0) {
                    batch[random.nextInt(rows)][random.nextInt(width)] = SPECIAL[random.nextInt(SPECIAL.length)];
                }
                float[][] expected = new float[rows][];
                float[][] actual = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    expected[r] = batch[r].clone();
                    softmax.apply(expected[r]);
                    actual[r] = batch[r].clone();
                }
                int from = random.nextInt(rows);
                int to = from + random.nextInt(rows - from + 1);
                if (kernel.softmax(actual, from, to)) {
                    taken++;
                } else {
                    for (int r = from; r < to; r++) {
                        assertThat(actual[r]).as("a kernel that declines writes nothing").isEqualTo(batch[r]);
                    }
                    continue;
                }
                for (int r = 0; r < rows; r++) {
                    float[] want = r >= from && r < to ? expected[r] : batch[r];
                    for (int c = 0; c < width; c++) {
                        assertThat(Float.floatToRawIntBits(actual[r][c]))
                                .as("%s, trial %d, row %d of [%d, %d), column %d of %d: %s", kernel.name(), trial, r, from,
                                        to, c, width, java.util.Arrays.toString(batch[r]))
                                .isEqualTo(Float.floatToRawIntBits(want[c]));
                    }
                }
            }
            if (kernel.name().startsWith("Vector")) {
                assertThat(taken).as("batches the Vector API kernel took").isGreaterThan(1000);
            }
        }
    }

    @Test
    void theVectorKernelTakesA256RowBatchOfTenClasses() {
        float[][] rows = new float[256][10];
        for (MatrixOps.Kernel kernel : MatrixOps.availableKernels()) {
            assertThat(kernel.softmax(rows, 0, 256)).as(kernel.name()).isEqualTo(kernel.name().startsWith("Vector"));
        }
    }
}
