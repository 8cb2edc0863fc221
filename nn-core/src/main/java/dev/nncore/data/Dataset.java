package dev.nncore.data;

import dev.nncore.internal.Checks;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;

/**
 * Features and targets, one row per sample, with the names of the feature columns and, for a classification
 * target, the class names in the order of the class indices: what {@link CsvReader} reads and
 * {@link Splits} divides.
 * <p>Targets are one-hot ({@code [rows][classes]}), class indices ({@code [rows][1]}) or numbers, as the reader
 * was asked. {@link #classIndices()} gives the class of each row whichever encoding the targets have.
 * <pre>{@code
 * Dataset data = Dataset.of(new float[][] {{0.1f, 2}, {0.3f, 1}, {0.2f, 0}}, new float[][] {{1, 0}, {0, 1}, {1, 0}});
 * data.rows();            // 3
 * data.classIndices();    // {0, 1, 0}
 * Dataset first = data.select(new int[] {0, 1});   // rows 0 and 1
 * }</pre>
 * <p>A dataset holds its rows once: {@link #select(int[])}, and so every {@link Splits} part, shares the rows of the
 * dataset it selects from rather than copying them. To hold data built in memory only once, wrap it:
 * {@code Dataset.of(Matrix.wrap(features), Matrix.wrap(targets))}.
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Dataset {

    private final Matrix features;
    private final Matrix targets;
    private final List<String> featureNames;
    private final List<String> classNames;

    private Dataset(Matrix features, Matrix targets, List<String> featureNames, List<String> classNames) {
        this.features = features;
        this.targets = targets;
        this.featureNames = List.copyOf(featureNames);
        this.classNames = List.copyOf(classNames);
    }

    /**
     * A dataset without column or class names (features are called {@code x0, x1, ...}).
     *
     * @param features one row per sample; not modified
     * @param targets one row per sample; not modified
     * @return the dataset
     */
    public static Dataset of(Matrix features, Matrix targets) {
        return of(features, targets, defaultNames(Checks.notNull(features, "features").cols()), List.of());
    }

    /**
     * A dataset of copies of the arrays; {@code Dataset.of(Matrix.wrap(features), Matrix.wrap(targets))} holds them
     * without a copy.
     *
     * @param features one row per sample; copied
     * @param targets one row per sample; copied
     * @return the dataset
     */
    public static Dataset of(float[][] features, float[][] targets) {
        return of(Matrix.of(Checks.notNull(features, "features")), Matrix.of(Checks.notNull(targets, "targets")));
    }

    /**
     * @param features one row per sample; not modified
     * @param targets one row per sample: one-hot, class indices or numbers; not modified
     * @param featureNames one per feature column
     * @param classNames the class names in index order, or empty if the targets are not classes
     * @return the dataset
     * @throws IllegalArgumentException if the row counts differ or a name list has the wrong length
     */
    public static Dataset of(Matrix features, Matrix targets, List<String> featureNames, List<String> classNames) {
        Checks.notNull(features, "features");
        Checks.notNull(targets, "targets");
        Checks.notNull(featureNames, "featureNames");
        Checks.notNull(classNames, "classNames");
        if (features.rows() != targets.rows()) {
            throw new IllegalArgumentException("features have " + features.rows() + " rows but targets have "
                    + targets.rows());
        }
        if (featureNames.size() != features.cols()) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for " + features.cols()
                    + " feature columns");
        }
        if (!classNames.isEmpty() && targets.cols() != 1 && targets.cols() != classNames.size()) {
            throw new IllegalArgumentException(classNames.size() + " class names but targets have " + targets.cols()
                    + " columns; one-hot targets need one column per class, class indices one column");
        }
        return new Dataset(features, targets, featureNames, classNames);
    }

    private static List<String> defaultNames(int count) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            names.add("x" + j);
        }
        return names;
    }

    /** @return the features, {@code [rows][features]} */
    public Matrix features() {
        return features;
    }

    /** @return the targets, {@code [rows][target columns]} */
    public Matrix targets() {
        return targets;
    }

    /** @return the number of samples */
    public int rows() {
        return features.rows();
    }

    /** @return the names of the feature columns, e.g. {@code "color=red"} for a one-hot category */
    public List<String> featureNames() {
        return featureNames;
    }

    /** @return the class names in index order; empty if the targets are not classes or were not named */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The class of each row: the target's argmax (first on ties) for one-hot targets, the value itself for one
     * column of class indices, and {@code target > 0.5} for one column of 0/1 targets.
     *
     * @return one class index per row, a new array
     * @throws IllegalStateException if a single target column holds a value that is not a whole number
     */
    public int[] classIndices() {
        int[] classes = new int[rows()];
        float[][] rows = MatrixAccess.rows(targets);   // read only
        for (int r = 0; r < classes.length; r++) {
            float[] row = rows[r];
            if (row.length == 1) {
                float value = row[0];
                if (value != Math.rint(value) || value < 0) {
                    throw new IllegalStateException("target in row " + r + " is " + value
                            + ", not a class index; classIndices needs one-hot targets or whole numbers from 0");
                }
                classes[r] = (int) value;
            } else {
                classes[r] = argmax(row);
            }
        }
        return classes;
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * @param indices the rows to keep, in this order; at least one, each from 0 to {@code rows() - 1},
     *     repeats allowed; not modified
     * @return a dataset of those rows, with the same names; it shares this dataset's row arrays, no copy
     */
    public Dataset select(int[] indices) {
        Checks.notNull(indices, "indices");
        if (indices.length == 0) {
            throw new IllegalArgumentException("select needs at least one row index; a dataset has at least one row");
        }
        float[][] featureRows = MatrixAccess.rows(features);
        float[][] targetRows = MatrixAccess.rows(targets);
        float[][] x = new float[indices.length][];
        float[][] y = new float[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            int r = indices[i];
            if (r < 0 || r >= rows()) {
                throw new IllegalArgumentException("row index " + r + " at position " + i + " is outside 0.." + (rows() - 1));
            }
            x[i] = featureRows[r];   // shared: no matrix ever writes to its rows
            y[i] = targetRows[r];
        }
        return new Dataset(MatrixAccess.wrap(x), MatrixAccess.wrap(y), featureNames, classNames);
    }

    @Override
    public String toString() {
        return "Dataset[" + rows() + " rows, " + features.cols() + " features " + featureNames + ", "
                + targets.cols() + " target columns" + (classNames.isEmpty() ? "" : ", classes " + classNames) + "]";
    }
}
