package dev.nncore.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MatrixOpsTest {

    @Test
    void affineAddsTheBiasAfterTheProduct() {
        float[][] out = new float[2][1];
        MatrixOps.affine(new float[][] {{1, 2}, {3, 4}}, new float[][] {{5}, {6}}, new float[] {0.5f}, out);
        assertThat(out).isEqualTo(new float[][] {{17.5f}, {39.5f}});
    }

    @Test
    void multiplyOverwritesWhatWasInOut() {
        float[][] out = {{100, 100}};
        MatrixOps.multiply(new float[][] {{1, 1}}, new float[][] {{1, 2}, {3, 4}}, out);
        assertThat(out).isEqualTo(new float[][] {{4, 6}});
    }

    @Test
    void singleRowAffineMatchesTheBatchForm() {
        float[][] kernel = {{1, -2, 0.5f}, {3, -4, 0.25f}};
        float[] bias = {5, -6, 1};
        float[] out = new float[3];
        MatrixOps.affine(new float[] {-1, 2}, kernel, bias, out);
        float[][] batchOut = new float[1][3];
        MatrixOps.affine(new float[][] {{-1, 2}}, kernel, bias, batchOut);
        assertThat(out).isEqualTo(batchOut[0]).containsExactly(10, -12, 1);
    }

    @Test
    void anEmptyBatchGivesAnEmptyResult() {
        float[][] out = new float[0][];
        MatrixOps.multiply(new float[0][], new float[][] {{1, 2}}, out);
        assertThat(out).isEmpty();
    }

    @Test
    void rejectsOutThatAliasesAnInput() {
        float[][] a = {{1, 2}};
        float[][] b = {{1, 0}, {0, 1}};
        assertThatThrownBy(() -> MatrixOps.multiply(a, b, a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out row 0 is also an input");
        assertThatThrownBy(() -> MatrixOps.multiply(a, b, new float[][] {b[1]}))
                .hasMessageContaining("out row 0 is also a row of b");
        float[] x = {1, 2};
        assertThatThrownBy(() -> MatrixOps.affine(x, b, null, x)).hasMessageContaining("is also an input");
    }

    /** Large operands take the hashed comparison of rows: every shared row is still found, first row first. */
    @Test
    void rejectsOutThatAliasesARowOfALargeInput() {
        float[][] a = new float[300][64];
        float[][] b = new float[64][64];
        for (int shared : new int[] {0, 1, 137, 299}) {
            for (int row : new int[] {0, 42, 63}) {
                float[][] out = new float[300][64];
                out[shared] = b[row];
                assertThatThrownBy(() -> MatrixOps.multiply(a, b, out))
                        .hasMessage("out row " + shared + " is also a row of b; pass a separate buffer");
                float[][] transposedA = new float[64][300];
                assertThatThrownBy(() -> MatrixOps.multiplyTransposedA(transposedA, b, out))
                        .hasMessage("out row " + shared + " is also an input row; pass a separate buffer");
            }
        }
        float[][] twice = new float[300][64];
        twice[250] = b[3];
        twice[7] = b[60];
        assertThatThrownBy(() -> MatrixOps.multiply(a, b, twice)).hasMessageContaining("out row 7 ");
        float[][] fine = new float[300][64];
        MatrixOps.multiply(a, b, fine); // and the filter is clear again for the next call
        MatrixOps.multiply(a, b, fine);
    }

    @Test
    void rejectsShapesThatDisagree() {
        assertThatThrownBy(() -> MatrixOps.multiply(new float[][] {{1, 2, 3}}, new float[][] {{1}, {2}}, new float[1][1]))
                .hasMessage("a row 0 has 3 values, but b has 2 rows");
        assertThatThrownBy(() -> MatrixOps.multiply(new float[][] {{1}}, new float[][] {{1, 2}}, new float[2][2]))
                .hasMessage("out has 2 rows, expected 1 (one per row of a)");
        assertThatThrownBy(() -> MatrixOps.affine(new float[][] {{1}}, new float[][] {{1, 2}}, new float[3], new float[1][2]))
                .hasMessage("bias has 3 values, expected 2 (b's columns)");
        assertThatThrownBy(() -> MatrixOps.multiply(new float[][] {{1, 2}}, new float[][] {{1, 2}, {3}}, new float[1][2]))
                .hasMessage("b row 1 has 1 values, expected 2 like row 0");
    }
}
