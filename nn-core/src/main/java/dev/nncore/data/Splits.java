package dev.nncore.data;

import dev.nncore.internal.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded train/test splits and k-fold cross-validation, plain or stratified by class.
 * <ul>
 *   <li>{@link #shuffled}: a random {@code round(rows * testFraction)} rows are held out (scikit-learn's
 *   {@code train_test_split}).</li>
 *   <li>{@link #stratified}: each class holds out {@code round(classRows * testFraction)} of its rows, so every
 *   class's share of the test set is within one sample of its share of the data.</li>
 *   <li>{@link #kFold}: the shuffled rows cut into {@code k} folds whose sizes differ by at most one (the first
 *   {@code rows % k} folds one larger, as scikit-learn's {@code KFold}); each row is in exactly one test fold.</li>
 *   <li>{@link #stratifiedKFold}: each class's shuffled rows dealt to the folds in turn, so each fold's count of a
 *   class is within one of every other fold's.</li>
 * </ul>
 * The same seed and data give the same split (Fisher-Yates with {@link SplittableRandom}); the order of rows in
 * each part is random, so a fit on the training part need not shuffle it again.
 * <pre>{@code
 * // given: iris
 * Split split = Splits.stratified(iris, 0.2, 42);          // 120 training rows, 30 test rows, 10 of each class
 * List<Split> folds = Splits.stratifiedKFold(iris, 5, 42);  // five splits; each row is tested once
 * }</pre>
 *
 * @since 0.1
 */
public final class Splits {

    private Splits() {
    }

    /**
     * @param data the dataset; not modified
     * @param testFraction the share held out, above 0 and below 1
     * @param seed the shuffle's seed
     * @return the split
     * @throws IllegalArgumentException if either part would be empty
     */
    public static Split shuffled(Dataset data, double testFraction, long seed) {
        Checks.notNull(data, "data");
        checkFraction(testFraction);
        int[] order = permutation(data.rows(), new SplittableRandom(seed));
        int test = (int) Math.round(data.rows() * testFraction);
        checkSizes(data.rows(), test, testFraction);
        return new Split(data, Arrays.copyOfRange(order, test, order.length), Arrays.copyOfRange(order, 0, test));
    }

    /**
     * @param data a dataset whose targets are classes ({@link Dataset#classIndices()}); not modified
     * @param testFraction the share of each class held out, above 0 and below 1
     * @param seed the shuffle's seed
     * @return the split
     * @throws IllegalArgumentException if either part would be empty
     */
    public static Split stratified(Dataset data, double testFraction, long seed) {
        Checks.notNull(data, "data");
        checkFraction(testFraction);
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int[] members : byClass(data.classIndices())) {
            shuffle(members, random);
            int held = (int) Math.round(members.length * testFraction);
            for (int i = 0; i < members.length; i++) {
                (i < held ? test : train).add(members[i]);
            }
        }
        checkSizes(data.rows(), test.size(), testFraction);
        int[] trainRows = train.stream().mapToInt(Integer::intValue).toArray();
        int[] testRows = test.stream().mapToInt(Integer::intValue).toArray();
        shuffle(trainRows, random);
        shuffle(testRows, random);
        return new Split(data, trainRows, testRows);
    }

    /**
     * @param data the dataset; not modified
     * @param k the number of folds, from 2 to the number of rows
     * @param seed the shuffle's seed
     * @return {@code k} splits; the test parts partition the rows
     */
    public static List<Split> kFold(Dataset data, int k, long seed) {
        Checks.notNull(data, "data");
        checkFolds(data.rows(), k);
        int[] order = permutation(data.rows(), new SplittableRandom(seed));
        int[] fold = new int[order.length];
        int start = 0;
        for (int f = 0; f < k; f++) {
            int size = data.rows() / k + (f < data.rows() % k ? 1 : 0);
            for (int i = start; i < start + size; i++) {
                fold[order[i]] = f;
            }
            start += size;
        }
        return folds(data, fold, k, order);
    }

    /**
     * @param data a dataset whose targets are classes; not modified
     * @param k the number of folds, from 2 to the number of rows
     * @param seed the shuffle's seed
     * @return {@code k} splits; the test parts partition the rows
     */
    public static List<Split> stratifiedKFold(Dataset data, int k, long seed) {
        Checks.notNull(data, "data");
        checkFolds(data.rows(), k);
        SplittableRandom random = new SplittableRandom(seed);
        int[] fold = new int[data.rows()];
        int next = 0;
        for (int[] members : byClass(data.classIndices())) {
            shuffle(members, random);
            for (int member : members) {
                fold[member] = next;
                next = (next + 1) % k;
            }
        }
        return folds(data, fold, k, permutation(data.rows(), random));
    }

    private static List<Split> folds(Dataset data, int[] fold, int k, int[] order) {
        List<Split> splits = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int testCount = 0;
            for (int value : fold) {
                testCount += value == f ? 1 : 0;
            }
            int[] train = new int[fold.length - testCount];
            int[] test = new int[testCount];
            int t = 0;
            int s = 0;
            for (int row : order) {
                if (fold[row] == f) {
                    test[s++] = row;
                } else {
                    train[t++] = row;
                }
            }
            splits.add(new Split(data, train, test));
        }
        return List.copyOf(splits);
    }

    private static List<int[]> byClass(int[] classes) {
        int count = Arrays.stream(classes).max().orElse(-1) + 1;
        List<int[]> members = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            final int target = c;
            int[] rows = java.util.stream.IntStream.range(0, classes.length).filter(r -> classes[r] == target).toArray();
            if (rows.length > 0) {
                members.add(rows);
            }
        }
        return members;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    private static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    private static void checkFraction(double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be above 0 and below 1, got " + testFraction);
        }
    }

    private static void checkSizes(int rows, int test, double testFraction) {
        if (test == 0 || test == rows) {
            throw new IllegalArgumentException("holding out " + testFraction + " of " + rows + " rows leaves "
                    + (test == 0 ? "no test rows" : "no training rows") + "; use a fraction nearer 0.5 or more data");
        }
    }

    private static void checkFolds(int rows, int k) {
        if (k < 2 || k > rows) {
            throw new IllegalArgumentException("k must be from 2 to the number of rows (" + rows + "), got " + k);
        }
    }
}
