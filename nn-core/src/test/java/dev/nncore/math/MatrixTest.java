package dev.nncore.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MatrixTest {

    @Test
    void ofCopiesRowsSoLaterChangesToTheArrayDoNotLeakIn() {
        float[][] values = {{1, 2}, {3, 4}};
        Matrix m = Matrix.of(values);
        values[0][0] = 99;
        assertThat(m.get(0, 0)).isEqualTo(1f);
        assertThat(m.rows()).isEqualTo(2);
        assertThat(m.cols()).isEqualTo(2);
    }

    @Test
    void toArrayAndGetRowReturnCopies() {
        Matrix m = Matrix.of(new float[][] {{1, 2}, {3, 4}});
        m.toArray()[1][1] = 99;
        m.getRow(1)[0] = 99;
        assertThat(m.toArray()).isEqualTo(new float[][] {{1, 2}, {3, 4}});
    }

    @Test
    void rowColumnAndZerosHaveTheirShapes() {
        assertThat(Matrix.row(1, 2, 3).shape()).isEqualTo("1x3");
        assertThat(Matrix.column(1, 2, 3).shape()).isEqualTo("3x1");
        assertThat(Matrix.column(1, 2, 3).get(2, 0)).isEqualTo(3f);
        Matrix zeros = Matrix.zeros(2, 5);
        assertThat(zeros.shape()).isEqualTo("2x5");
        assertThat(zeros.getRow(1)).containsOnly(0f);
    }

    @Test
    void rejectsEmptyNullAndRaggedInputNamingTheRow() {
        assertThatThrownBy(() -> Matrix.of(new float[0][])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one row");
        assertThatThrownBy(() -> Matrix.of(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> Matrix.of(new float[][] {{1, 2}, {3}, {4, 5}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Matrix.of: row 1 has 1 values, but row 0 has 2; all rows must have the same length");
        assertThatThrownBy(() -> Matrix.of(new float[][] {{1}, null})).hasMessageContaining("row 1 is null");
        assertThatThrownBy(() -> Matrix.of(new float[][] {{}})).hasMessageContaining("row 0 is empty");
        assertThatThrownBy(() -> Matrix.row()).hasMessageContaining("at least one value");
        assertThatThrownBy(() -> Matrix.zeros(0, 3)).hasMessageContaining("got 0x3");
    }

    @Test
    void wrapReadsTheGivenRowsWithoutCopyingThem() {
        float[][] values = {{1, 2}, {3, 4}};
        Matrix m = Matrix.wrap(values);
        values[1][0] = 99;   // the contract forbids this; here it shows that no copy was made
        assertThat(m.get(1, 0)).isEqualTo(99f);
        assertThat(m).isEqualTo(Matrix.of(values));
        assertThat(m.toArray()[0]).isNotSameAs(values[0]).containsExactly(1, 2);   // accessors still copy
    }

    @Test
    void wrapRejectsWhatOfRejectsNamingTheRow() {
        assertThatThrownBy(() -> Matrix.wrap(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Matrix.wrap needs rows, got null");
        assertThatThrownBy(() -> Matrix.wrap(new float[0][])).hasMessage("Matrix.wrap needs at least one row, got an empty array");
        assertThatThrownBy(() -> Matrix.wrap(new float[][] {{1, 2}, {3}, {4, 5}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Matrix.wrap: row 1 has 1 values, but row 0 has 2; all rows must have the same length");
        assertThatThrownBy(() -> Matrix.wrap(new float[][] {{1}, null})).hasMessage("Matrix.wrap: row 1 is null");
        assertThatThrownBy(() -> Matrix.wrap(new float[][] {{}}))
                .hasMessage("Matrix.wrap: row 0 is empty; a matrix needs at least one column");
    }

    @Test
    void getRejectsIndicesOutsideTheShape() {
        Matrix m = Matrix.zeros(2, 3);
        assertThatThrownBy(() -> m.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("index (2, 0) is outside a 2x3 matrix");
        assertThatThrownBy(() -> m.get(0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> m.getRow(5)).hasMessage("row 5 is outside a 2x3 matrix");
    }

    @Test
    void multiplyMatchesAHandComputation() {
        Matrix a = Matrix.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Matrix b = Matrix.of(new float[][] {{7, 8}, {9, 10}, {11, 12}});
        // [1*7+2*9+3*11, 1*8+2*10+3*12] = [58, 64]; [4*7+5*9+6*11, 4*8+5*10+6*12] = [139, 154]
        assertThat(a.multiply(b)).isEqualTo(Matrix.of(new float[][] {{58, 64}, {139, 154}}));
    }

    @Test
    void multiplyEqualsADoublePrecisionTripleLoopOnRandomShapes() {
        Random random = new Random(11);
        // Shapes around the kernel's blocks (k in 256s, n in 512s, rows in pairs): 1x1, tall, wide, odd, ragged tails.
        int[][] shapes = {{1, 1, 1}, {1, 7, 1}, {5, 1, 9}, {3, 17, 33}, {64, 64, 64}, {1, 784, 128}, {70, 3, 2},
            {1000, 3, 2}, {2, 1, 700}, {3, 300, 600}, {5, 513, 1025}, {7, 256, 512}, {4, 257, 511}};
        for (int[] shape : shapes) {
            Matrix a = random(shape[0], shape[1], random);
            Matrix b = random(shape[1], shape[2], random);
            Matrix c = a.multiply(b);
            for (int i = 0; i < shape[0]; i++) {
                for (int j = 0; j < shape[2]; j++) {
                    double expected = 0;
                    double magnitude = 0;
                    for (int k = 0; k < shape[1]; k++) {
                        expected += (double) a.get(i, k) * b.get(k, j);
                        magnitude += Math.abs((double) a.get(i, k) * b.get(k, j));
                    }
                    // float32 summation of k terms errs by at most about k * 2^-24 * sum|terms|.
                    assertThat((double) c.get(i, j)).isCloseTo(expected,
                            org.assertj.core.data.Offset.offset(shape[1] * 6e-8 * magnitude + 1e-30));
                }
            }
        }
    }

    @Test
    void multiplyRejectsMismatchedInnerDimensions() {
        assertThatThrownBy(() -> Matrix.zeros(2, 3).multiply(Matrix.zeros(2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot multiply 2x3 by 2x3: the left matrix has 3 columns but the right one has 2 rows");
    }

    @Test
    void multiplyPropagatesNanAndInfinityEvenAgainstZero() {
        Matrix a = Matrix.row(0, 1);
        Matrix b = Matrix.of(new float[][] {{Float.POSITIVE_INFINITY}, {2}});
        assertThat(a.multiply(b).get(0, 0)).isNaN(); // 0 * inf is NaN in IEEE arithmetic, as in numpy
    }

    @Test
    void transposeSwapsRowsAndColumns() {
        Matrix m = Matrix.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertThat(m.transpose()).isEqualTo(Matrix.of(new float[][] {{1, 4}, {2, 5}, {3, 6}}));
        assertThat(m.transpose().transpose()).isEqualTo(m);
    }

    @Test
    void equalsAndHashCodeCompareShapeAndValues() {
        Matrix a = Matrix.of(new float[][] {{1, 2}, {3, 4}});
        assertThat(a).isEqualTo(Matrix.of(new float[][] {{1, 2}, {3, 4}}));
        assertThat(a.hashCode()).isEqualTo(Matrix.of(new float[][] {{1, 2}, {3, 4}}).hashCode());
        assertThat(a).isNotEqualTo(Matrix.of(new float[][] {{1, 2}, {3, 5}}));
        assertThat(Matrix.row(1, 2, 3, 4)).isNotEqualTo(Matrix.column(1, 2, 3, 4));
        assertThat(Matrix.row(Float.NaN)).isEqualTo(Matrix.row(Float.NaN));
        assertThat(Matrix.row(0f)).isNotEqualTo(Matrix.row(-0f));
    }

    @Test
    void toStringPrintsSmallMatricesInFullLikeNumpy() {
        assertThat(Matrix.of(new float[][] {{1, -2}, {3, -4.5f}}).toString())
                .isEqualTo("[[ 1.0 -2.0]\n [ 3.0 -4.5]]");
        assertThat(Matrix.row(0.5f).toString()).isEqualTo("[[0.5]]");
    }

    @Test
    void toStringSummarisesLargeMatrices() {
        String text = Matrix.zeros(100, 100).toString();
        assertThat(text.split("\n")).hasSize(7); // 3 rows, "...", 3 rows
        assertThat(text).contains("...").startsWith("[[0.0 0.0 0.0 ... 0.0 0.0 0.0]");
    }

    private static Matrix random(int rows, int cols, Random random) {
        float[][] values = new float[rows][cols];
        for (float[] row : values) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return Matrix.of(values);
    }
}
