package dev.nncore.train;

import dev.nncore.internal.Checks;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Training data read batch by batch, afresh for every epoch: what Keras's {@code fit} takes as a generator or a
 * {@code tf.data.Dataset}, for data sets larger than memory. A fit holds one batch at a time (plus the validation
 * data, if any). The source decides the order of the rows; {@code shuffle} does not apply to it, as Keras ignores it
 * for generators.
 *
 * <pre>{@code
 * BatchSource batches = BatchSource.of(Matrix.column(0, 1, 2, 3), Matrix.column(5, 7, 9, 11), 2);
 * TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(3).build()
 *         .fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(), batches);
 * // a CSV file larger than memory: CsvReader.builder().label("y").build().batches(Path.of("big.csv"), 256)
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface BatchSource {

    /**
     * One batch: inputs and targets, as many rows each.
     *
     * @param x inputs, one row per sample
     * @param y targets, one row per sample
     */
    record Batch(Matrix x, Matrix y) {
        /**
         * @param x inputs, one row per sample
         * @param y targets, one row per sample
         * @throws IllegalArgumentException if either is null or their row counts differ
         */
        public Batch {
            Checks.notNull(x, "x");
            Checks.notNull(y, "y");
            if (x.rows() != y.rows()) {
                throw new IllegalArgumentException("a batch has " + x.rows() + " rows of x but " + y.rows() + " of y");
            }
        }
    }

    /**
     * A fresh pass over the data, called at the start of every epoch; the fit reads it to its end. A source that
     * reads a file opens it here and closes it when its iterator is exhausted.
     *
     * @return the epoch's batches, in order
     * @throws java.io.UncheckedIOException if the data cannot be read
     */
    Iterator<Batch> open();

    /**
     * Rows from a stream made afresh for every epoch, {@code batchSize} at a time: each row is the inputs followed by
     * the targets, split after {@code inputs} values. For data produced on the fly or read from a database, one row at a
     * time.
     *
     * <pre>{@code
     * BatchSource rows = BatchSource.ofRows(() -> IntStream.range(0, 100).mapToObj(i -> new float[] {i, 2 * i}), 1, 32);
     * }</pre>
     *
     * @param rows makes one epoch's stream of rows; each stream is read to its end and closed
     * @param inputs how many leading values of a row are inputs, at least 1; the rest are targets
     * @param batchSize rows per batch, at least 1
     * @return the source
     */
    static BatchSource ofRows(java.util.function.Supplier<? extends java.util.stream.Stream<float[]>> rows, int inputs,
            int batchSize) {
        Checks.notNull(rows, "rows");
        Checks.positive(inputs, "inputs");
        Checks.positive(batchSize, "batchSize");
        return () -> {
            java.util.stream.Stream<float[]> stream = Checks.notNull(rows.get(), "the stream of rows");
            Iterator<float[]> it = stream.iterator();
            return new Iterator<>() {
                private long row;

                @Override
                public boolean hasNext() {
                    boolean more = it.hasNext();
                    if (!more) {
                        stream.close();
                    }
                    return more;
                }

                @Override
                public Batch next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    java.util.List<float[]> x = new java.util.ArrayList<>(batchSize);
                    java.util.List<float[]> y = new java.util.ArrayList<>(batchSize);
                    while (x.size() < batchSize && it.hasNext()) {
                        float[] values = Checks.notNull(it.next(), "row " + row);
                        if (values.length <= inputs) {
                            throw new IllegalArgumentException("row " + row + " has " + values.length + " values; expected "
                                    + inputs + " inputs and at least one target");
                        }
                        x.add(java.util.Arrays.copyOfRange(values, 0, inputs));
                        y.add(java.util.Arrays.copyOfRange(values, inputs, values.length));
                        row++;
                    }
                    return new Batch(MatrixAccess.wrap(x.toArray(float[][]::new)), MatrixAccess.wrap(y.toArray(float[][]::new)));
                }
            };
        };
    }

    /**
     * The rows of two matrices in order, {@code batchSize} at a time (the last batch may be shorter): the in-memory
     * source, for tests and adapters.
     *
     * @param x inputs; not modified
     * @param y targets, as many rows; not modified
     * @param batchSize rows per batch, at least 1
     * @return the source
     */
    static BatchSource of(Matrix x, Matrix y, int batchSize) {
        Checks.notNull(x, "x");
        Checks.notNull(y, "y");
        Checks.positive(batchSize, "batchSize");
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("x has " + x.rows() + " rows but y has " + y.rows());
        }
        float[][] xRows = MatrixAccess.rows(x);   // read only: each batch shares the matrices' rows
        float[][] yRows = MatrixAccess.rows(y);
        return () -> new Iterator<>() {
            private int start;

            @Override
            public boolean hasNext() {
                return start < xRows.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int end = Math.min(start + batchSize, xRows.length);
                Batch batch = new Batch(MatrixAccess.wrap(java.util.Arrays.copyOfRange(xRows, start, end)),
                        MatrixAccess.wrap(java.util.Arrays.copyOfRange(yRows, start, end)));
                start = end;
                return batch;
            }
        };
    }
}
