package dev.nncore.data;

import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import dev.nncore.train.BatchSource;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A CSV file read batch by batch, afresh for every epoch, for files larger than memory: the rows are encoded exactly
 * as {@link CsvReader#read(Path)} encodes them (same columns, class names, one-hot categories, missing-value fill),
 * but only one batch of them is ever held. One pass over the file at creation learns what encoding needs (the
 * header, the classes, each categorical column's values, the means for {@link CsvReader.Missing#MEAN}) and checks
 * every row, so an epoch never fails half-way on a malformed row.
 *
 * <pre>{@code
 * // given: csv
 * CsvBatches batches = CsvReader.builder().label("species").build().batches(csv, 256);
 * Network network = Network.builder(batches.featureNames().size()).dense(16, Activation.RELU)
 *         .dense(batches.classNames().size(), Activation.SOFTMAX).build();
 * TrainingResult result = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).epochs(5).build()
 *         .fit(network, batches);
 * }</pre>
 *
 * <p>Rows come in file order (shuffle the file beforehand if it is sorted). Immutable and thread-safe; each epoch
 * opens the file anew and closes it at its end.
 *
 * @since 0.1.0
 */
public final class CsvBatches implements BatchSource {

    private final Path file;
    private final int batchSize;
    private final char delimiter;
    private final boolean comments;
    private final boolean header;
    private final CsvReader.Encoding encoding;
    private final long rows;

    CsvBatches(Path file, int batchSize, char delimiter, boolean comments, boolean header, CsvReader.Encoding encoding,
            long rows) {
        this.file = file;
        this.batchSize = batchSize;
        this.delimiter = delimiter;
        this.comments = comments;
        this.header = header;
        this.encoding = encoding;
        this.rows = rows;
    }

    /** @return the data rows of the file */
    public long rows() {
        return rows;
    }

    /** @return the names of the feature columns, one per input (a categorical column's values as {@code color=red}) */
    public List<String> featureNames() {
        return encoding.featureNames();
    }

    /** @return the class names in target order, or an empty list for numeric targets */
    public List<String> classNames() {
        return encoding.classNames();
    }

    /** The file's UTF-8 text, a byte order mark skipped, bytes that are not UTF-8 an error. */
    static Reader open(Path file) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        return new InputStreamReader(Files.newInputStream(file), decoder);
    }

    /**
     * @return the epoch's batches in file order
     * @throws UncheckedIOException if the file cannot be read
     */
    @Override
    public Iterator<Batch> open() {
        Reader reader;
        try {
            reader = open(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CsvParser parser = new CsvParser(reader, delimiter, comments);
        if (header && parser.hasNext()) {
            parser.next();
        }
        return new Iterator<>() {
            private boolean closed;

            @Override
            public boolean hasNext() {
                boolean more = !closed && parser.hasNext();
                if (!more && !closed) {
                    closed = true;
                    try {
                        reader.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return more;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<float[]> x = new ArrayList<>(batchSize);
                List<float[]> y = new ArrayList<>(batchSize);
                while (x.size() < batchSize && hasNext()) {
                    CsvRecord record = parser.next();
                    x.add(encoding.features(record));
                    y.add(encoding.targets(record));
                }
                return new Batch(MatrixAccess.wrap(x.toArray(float[][]::new)), MatrixAccess.wrap(y.toArray(float[][]::new)));
            }
        };
    }

    @Override
    public String toString() {
        return "CsvBatches[" + file + ", " + rows + " rows, batches of " + batchSize + "]";
    }

}
