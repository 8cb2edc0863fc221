package dev.nncore.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitsTest {

    /** An unbalanced dataset: 7 rows of class 0, 13 of class 1, 29 of class 2 (49 rows), feature = row index. */
    private static Dataset unbalanced() {
        int[] sizes = {7, 13, 29};
        int n = Arrays.stream(sizes).sum();
        float[][] x = new float[n][1];
        float[][] y = new float[n][1];
        int r = 0;
        for (int c = 0; c < sizes.length; c++) {
            for (int i = 0; i < sizes[c]; i++, r++) {
                x[r][0] = r;
                y[r][0] = c;
            }
        }
        return Dataset.of(x, y);
    }

    private static int[] classCounts(Dataset data, int[] rows) {
        int[] classes = data.classIndices();
        int[] counts = new int[3];
        for (int row : rows) {
            counts[classes[row]]++;
        }
        return counts;
    }

    /** A split of a large training set must not hold it twice: both parts read the dataset's own row arrays. */
    @Test
    void splitPartsShareTheDatasetsRowsInsteadOfCopyingThem() {
        float[][] x = {{0}, {1}, {2}, {3}, {4}};
        float[][] y = {{1, 0}, {0, 1}, {1, 0}, {0, 1}, {1, 0}};
        Dataset data = Dataset.of(Matrix.wrap(x), Matrix.wrap(y));
        Split split = Splits.stratified(data, 0.4, 3);
        float[][] trainX = MatrixAccess.rows(split.train().features());
        float[][] testY = MatrixAccess.rows(split.test().targets());
        for (int i = 0; i < trainX.length; i++) {
            assertThat(trainX[i]).isSameAs(x[split.trainRows()[i]]);
        }
        for (int i = 0; i < testY.length; i++) {
            assertThat(testY[i]).isSameAs(y[split.testRows()[i]]);
        }
        assertThat(data.select(new int[] {4, 4}).features()).isEqualTo(Matrix.column(4, 4));   // repeats allowed
    }

    @Test
    void stratifiedKeepsEachClassShareWithinOneSample() {
        Dataset data = unbalanced();
        int[] sizes = {7, 13, 29};
        for (double fraction : new double[] {0.1, 0.2, 0.25, 0.5, 0.8}) {
            for (long seed = 0; seed < 5; seed++) {
                Split split = Splits.stratified(data, fraction, seed);
                int[] test = classCounts(data, split.testRows());
                int testSize = split.testRows().length;
                for (int c = 0; c < 3; c++) {
                    // within one sample of the class's share of this test set, and of fraction * class size
                    assertThat(Math.abs(test[c] - (double) testSize * sizes[c] / data.rows())).isLessThan(1.0);
                    assertThat(Math.abs(test[c] - fraction * sizes[c])).isLessThanOrEqualTo(0.5);
                }
                assertPartition(data.rows(), split.trainRows(), split.testRows());
                // the datasets hold the rows the indices say (feature = original row index)
                assertThat(split.test().features().get(0, 0)).isEqualTo((float) split.testRows()[0]);
            }
        }
    }

    @Test
    void shuffledHoldsOutTheRoundedFractionAndIsSeeded() {
        Dataset data = unbalanced();
        Split a = Splits.shuffled(data, 0.2, 1);
        assertThat(a.testRows()).hasSize(10);   // round(49 * 0.2) = round(9.8)
        assertPartition(data.rows(), a.trainRows(), a.testRows());
        assertThat(Splits.shuffled(data, 0.2, 1).testRows()).isEqualTo(a.testRows());
        assertThat(Splits.shuffled(data, 0.2, 2).testRows()).isNotEqualTo(a.testRows());
        assertThatThrownBy(() -> Splits.shuffled(data, 0.001, 1))
                .hasMessage("holding out 0.001 of 49 rows leaves no test rows; use a fraction nearer 0.5 or more data");
        assertThatThrownBy(() -> Splits.shuffled(data, 1.0, 1))
                .hasMessage("testFraction must be above 0 and below 1, got 1.0");
    }

    @Test
    void kFoldTestsEveryRowExactlyOnce() {
        Dataset data = unbalanced();
        List<Split> folds = Splits.kFold(data, 5, 3);
        int[] tested = new int[data.rows()];
        for (Split fold : folds) {
            assertPartition(data.rows(), fold.trainRows(), fold.testRows());
            for (int row : fold.testRows()) {
                tested[row]++;
            }
        }
        assertThat(tested).containsOnly(1);
        // 49 = 10 + 10 + 10 + 10 + 9: the first 49 % 5 folds one larger, as scikit-learn's KFold
        assertThat(folds).extracting(f -> f.testRows().length).containsExactly(10, 10, 10, 10, 9);
        assertThatThrownBy(() -> Splits.kFold(data, 1, 3)).hasMessage("k must be from 2 to the number of rows (49), got 1");
    }

    @Test
    void stratifiedKFoldBalancesEveryClassAcrossFolds() {
        Dataset data = unbalanced();
        List<Split> folds = Splits.stratifiedKFold(data, 4, 11);
        int[] tested = new int[data.rows()];
        int[][] counts = new int[4][];
        for (int f = 0; f < 4; f++) {
            Split fold = folds.get(f);
            assertPartition(data.rows(), fold.trainRows(), fold.testRows());
            counts[f] = classCounts(data, fold.testRows());
            for (int row : fold.testRows()) {
                tested[row]++;
            }
        }
        assertThat(tested).containsOnly(1);
        for (int c = 0; c < 3; c++) {
            final int k = c;
            int min = Arrays.stream(counts).mapToInt(row -> row[k]).min().orElseThrow();
            int max = Arrays.stream(counts).mapToInt(row -> row[k]).max().orElseThrow();
            assertThat(max - min).as("class %d over folds", c).isLessThanOrEqualTo(1);
        }
    }

    private static void assertPartition(int rows, int[] train, int[] test) {
        int[] seen = new int[rows];
        for (int r : train) {
            seen[r]++;
        }
        for (int r : test) {
            seen[r]++;
        }
        assertThat(seen).containsOnly(1);
    }
}
