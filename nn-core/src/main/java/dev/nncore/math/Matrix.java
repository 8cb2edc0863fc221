package dev.nncore.math;

import dev.nncore.internal.MatrixAccess;
import java.util.Arrays;

/**
 * An immutable, row-major matrix of float32 values: the one data type nn-core's layers, losses and trainers
 * exchange.
 *
 * <p>A batch of samples is a matrix with one row per sample; a Keras kernel is a matrix shaped
 * {@code [in][out]}; a Keras bias is a {@code 1 x out} row. Every factory but {@link #wrap(float[][])} copies its
 * input, and every accessor that returns an array returns a copy, so a {@code Matrix} never changes once built
 * ({@code wrap}, for training sets too large to hold twice, takes the caller's rows over instead).
 *
 * <pre>{@code
 * Matrix a = Matrix.of(new float[][] {{1, 2}, {3, 4}});
 * Matrix b = Matrix.row(10, 100);                      // 1 x 2
 * Matrix c = b.multiply(a);                            // [[310.0, 420.0]]
 * float top = a.transpose().get(0, 1);                 // 3.0
 * }</pre>
 *
 * <p>A matrix always has at least one row and one column. {@link #equals(Object)} compares shapes and values
 * bit for bit, as {@link Arrays#equals(float[], float[])} does (so NaN equals NaN and 0.0 differs from -0.0).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Matrix {

    /** Matrices with more elements than this print summarised, as numpy does past its threshold. */
    private static final int PRINT_THRESHOLD = 1000;
    private static final int PRINT_EDGE_ITEMS = 3;

    static {
        MatrixAccess.install(new MatrixAccess.Bridge() {
            @Override
            public float[][] rows(Matrix matrix) {
                return matrix.rows;
            }

            @Override
            public Matrix wrap(float[][] rows) {
                return new Matrix(rows);
            }

            @Override
            public boolean checkedFinite(Matrix matrix) {
                return matrix.checkedFinite;
            }

            @Override
            public void markFinite(Matrix matrix) {
                matrix.checkedFinite = true;
            }
        });
    }

    private final float[][] rows;
    private final int cols;
    /**
     * Set once a scan found every value finite, so that fitting the same data again does not scan it again. A plain
     * field: a thread that does not see it set only scans again.
     */
    private boolean checkedFinite;

    private Matrix(float[][] rows) {
        this.rows = rows;
        this.cols = rows[0].length;
    }

    /**
     * A matrix holding a copy of {@code rows}.
     *
     * @param rows the values, one array per row; not modified
     * @return the matrix
     * @throws IllegalArgumentException if there are no rows, a row is null or empty, or rows differ in length
     *     (the message names the first bad row)
     */
    public static Matrix of(float[][] rows) {
        if (rows == null) {
            throw new IllegalArgumentException("Matrix.of needs rows, got null");
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException("Matrix.of needs at least one row, got an empty array");
        }
        float[][] copy = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            float[] row = rows[r];
            if (row == null) {
                throw new IllegalArgumentException("Matrix.of: row " + r + " is null");
            }
            if (row.length == 0) {
                throw new IllegalArgumentException("Matrix.of: row " + r + " is empty; a matrix needs at least one column");
            }
            if (row.length != rows[0].length) {
                throw new IllegalArgumentException("Matrix.of: row " + r + " has " + row.length + " values, but row 0 has "
                        + rows[0].length + "; all rows must have the same length");
            }
            copy[r] = row.clone();
        }
        return new Matrix(copy);
    }

    /**
     * A matrix that reads {@code rows} where they are, without copying them: for large training sets, which
     * {@link #of(float[][])} would hold twice (the caller's arrays and its copy) while a fit runs.
     *
     * <p>The caller hands the arrays over: neither the outer array nor any row may change afterwards, or the
     * matrix changes with them (nn-core itself never writes to them). In return the data is held once, which saves
     * {@code rows x (4 x cols + 16)} bytes, a copy of every row with its array header: 189 MB for 60,000 rows of
     * 784 inputs. Rows may be shared between wrapped matrices, as {@code Dataset.select} and splits do.
     *
     * <pre>{@code
     * float[][] pixels = new float[1000][784];              // filled by the caller's loader, then left alone
     * float[][] labels = new float[1000][10];
     * for (int r = 0; r < 1000; r++) {
     *     labels[r][r % 10] = 1;
     * }
     * Matrix x = Matrix.wrap(pixels);                       // no copy: x reads pixels' rows
     * Matrix y = Matrix.wrap(labels);
     * x.shape();                                            // "1000x784"
     * float label = y.get(3, 3);                            // 1.0
     * }</pre>
     *
     * @param rows the values, one array per row; taken over, never modified by nn-core, and not to be modified by
     *     the caller afterwards
     * @return a matrix backed by {@code rows}
     * @throws IllegalArgumentException if there are no rows, a row is null or empty, or rows differ in length
     *     (the message names the first bad row)
     * @since 0.2.0
     */
    public static Matrix wrap(float[][] rows) {
        if (rows == null) {
            throw new IllegalArgumentException("Matrix.wrap needs rows, got null");
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException("Matrix.wrap needs at least one row, got an empty array");
        }
        for (int r = 0; r < rows.length; r++) {
            float[] row = rows[r];
            if (row == null) {
                throw new IllegalArgumentException("Matrix.wrap: row " + r + " is null");
            }
            if (row.length == 0) {
                throw new IllegalArgumentException("Matrix.wrap: row " + r + " is empty; a matrix needs at least one column");
            }
            if (row.length != rows[0].length) {
                throw new IllegalArgumentException("Matrix.wrap: row " + r + " has " + row.length + " values, but row 0 has "
                        + rows[0].length + "; all rows must have the same length");
            }
        }
        return new Matrix(rows);
    }

    /**
     * A {@code 1 x n} matrix, the shape of one sample and of a Keras bias.
     *
     * @param values the row's values; not modified
     * @return the row matrix
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static Matrix row(float... values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("Matrix.row needs at least one value");
        }
        return new Matrix(new float[][] {values.clone()});
    }

    /**
     * An {@code n x 1} matrix.
     *
     * @param values the column's values; not modified
     * @return the column matrix
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static Matrix column(float... values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("Matrix.column needs at least one value");
        }
        float[][] copy = new float[values.length][1];
        for (int r = 0; r < values.length; r++) {
            copy[r][0] = values[r];
        }
        return new Matrix(copy);
    }

    /**
     * A matrix of zeros.
     *
     * @param rows number of rows, at least 1
     * @param cols number of columns, at least 1
     * @return the zero matrix
     * @throws IllegalArgumentException if either size is below 1
     */
    public static Matrix zeros(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("Matrix.zeros needs at least 1 row and 1 column, got " + rows + "x" + cols);
        }
        return new Matrix(new float[rows][cols]);
    }

    /** @return the number of rows */
    public int rows() {
        return rows.length;
    }

    /** @return the number of columns */
    public int cols() {
        return cols;
    }

    /**
     * One value.
     *
     * @param row the row index, from 0
     * @param col the column index, from 0
     * @return the value at {@code (row, col)}
     * @throws IndexOutOfBoundsException naming the index and the shape if either is out of range
     */
    public float get(int row, int col) {
        if (row < 0 || row >= rows.length || col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("index (" + row + ", " + col + ") is outside a " + shape() + " matrix");
        }
        return rows[row][col];
    }

    /**
     * A copy of one row.
     *
     * @param row the row index, from 0
     * @return a new array with the row's values
     * @throws IndexOutOfBoundsException if {@code row} is out of range
     */
    public float[] getRow(int row) {
        if (row < 0 || row >= rows.length) {
            throw new IndexOutOfBoundsException("row " + row + " is outside a " + shape() + " matrix");
        }
        return rows[row].clone();
    }

    /** @return a copy of the values, one array per row */
    public float[][] toArray() {
        float[][] copy = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            copy[r] = rows[r].clone();
        }
        return copy;
    }

    /** @return the shape as {@code rows x cols}, e.g. {@code "4x3"}, the form error messages use */
    public String shape() {
        return rows.length + "x" + cols;
    }

    /**
     * The matrix product {@code this · other}.
     *
     * @param other the right-hand matrix; its row count must equal this matrix's column count
     * @return a new {@code rows() x other.cols()} matrix
     * @throws IllegalArgumentException if the inner dimensions differ
     */
    public Matrix multiply(Matrix other) {
        if (other == null) {
            throw new IllegalArgumentException("Cannot multiply a " + shape() + " matrix by null");
        }
        if (cols != other.rows()) {
            throw new IllegalArgumentException("Cannot multiply " + shape() + " by " + other.shape()
                    + ": the left matrix has " + cols + " columns but the right one has " + other.rows() + " rows");
        }
        float[][] out = new float[rows.length][other.cols];
        MatrixOps.multiply(rows, other.rows, out);
        return new Matrix(out);
    }

    /** @return the transpose, a new {@code cols() x rows()} matrix */
    public Matrix transpose() {
        float[][] out = new float[cols][rows.length];
        for (int r = 0; r < rows.length; r++) {
            float[] row = rows[r];
            for (int c = 0; c < cols; c++) {
                out[c][r] = row[c];
            }
        }
        return new Matrix(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix other && cols == other.cols && Arrays.deepEquals(rows, other.rows);
    }

    @Override
    public int hashCode() {
        return 31 * cols + Arrays.deepHashCode(rows);
    }

    /**
     * The values, laid out as numpy prints an array: one line per row, columns aligned. Matrices with more than
     * 1000 values show their first and last three rows and columns around {@code ...}.
     */
    @Override
    public String toString() {
        boolean summarise = (long) rows.length * cols > PRINT_THRESHOLD;
        int[] shownRows = shownIndices(rows.length, summarise);
        int[] shownCols = shownIndices(cols, summarise);
        int width = 0;
        for (int r : shownRows) {
            for (int c : shownCols) {
                width = Math.max(width, Float.toString(rows[r][c]).length());
            }
        }
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < shownRows.length; i++) {
            if (i > 0) {
                text.append("\n ");
            }
            if (summarise && i == PRINT_EDGE_ITEMS && rows.length > 2 * PRINT_EDGE_ITEMS) {
                text.append("...\n ");
            }
            text.append('[');
            for (int j = 0; j < shownCols.length; j++) {
                if (j > 0) {
                    text.append(' ');
                }
                if (summarise && j == PRINT_EDGE_ITEMS && cols > 2 * PRINT_EDGE_ITEMS) {
                    text.append("... ");
                }
                String value = Float.toString(rows[shownRows[i]][shownCols[j]]);
                text.append(" ".repeat(width - value.length())).append(value);
            }
            text.append(']');
        }
        return text.append(']').toString();
    }

    private static int[] shownIndices(int count, boolean summarise) {
        if (!summarise || count <= 2 * PRINT_EDGE_ITEMS) {
            int[] all = new int[count];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] edges = new int[2 * PRINT_EDGE_ITEMS];
        for (int i = 0; i < PRINT_EDGE_ITEMS; i++) {
            edges[i] = i;
            edges[PRINT_EDGE_ITEMS + i] = count - PRINT_EDGE_ITEMS + i;
        }
        return edges;
    }
}
