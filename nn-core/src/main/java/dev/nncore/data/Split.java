package dev.nncore.data;

/**
 * A training set and a test (or validation) set, and which rows of the original dataset each holds: what
 * {@link Splits} returns.
 * <pre>{@code
 * // given: data
 * Split split = Splits.stratified(data, 0.2, 42);
 * boolean everyRow = split.train().rows() + split.test().rows() == data.rows();   // true
 * int[] held = split.testRows();                                                // indices into data
 * }</pre>
 * Both parts share the rows of the dataset they were drawn from: a split holds no copy of the data.
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Split {

    private final Dataset train;
    private final Dataset test;
    private final int[] trainRows;
    private final int[] testRows;

    Split(Dataset data, int[] trainRows, int[] testRows) {
        this.train = data.select(trainRows);
        this.test = data.select(testRows);
        this.trainRows = trainRows.clone();
        this.testRows = testRows.clone();
    }

    /** @return the training rows */
    public Dataset train() {
        return train;
    }

    /** @return the held-out rows */
    public Dataset test() {
        return test;
    }

    /** @return the indices of the training rows in the original dataset, in the order of {@link #train()}; a copy */
    public int[] trainRows() {
        return trainRows.clone();
    }

    /** @return the indices of the held-out rows in the original dataset, in the order of {@link #test()}; a copy */
    public int[] testRows() {
        return testRows.clone();
    }

    @Override
    public String toString() {
        return "Split[train " + trainRows.length + " rows, test " + testRows.length + " rows]";
    }
}
