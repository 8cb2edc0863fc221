package dev.nncore.data;

import dev.nncore.internal.Checks;
import dev.nncore.math.Matrix;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a CSV file into a {@link Dataset}: RFC 4180 quoting (fields in double quotes may hold the delimiter, line
 * breaks and {@code ""} for a quote), a first line of column names or none, any one-character delimiter, UTF-8 with
 * or without a byte order mark, lines ending in LF, CRLF or CR. Blank lines are skipped; lines starting with
 * {@code #} only if {@link Builder#comments(boolean)} is on (off by default: {@code #} may be data).
 * <p>The label column(s), chosen by name or index, become the targets: class indices or one-hot vectors, with the
 * class names in sorted order (numerically if every label is a number, else by string; scikit-learn's
 * {@code LabelEncoder} order), or numbers for regression. The other columns are the features: numbers, or one-hot
 * vectors for the columns named {@link Builder#categorical(String...) categorical} (categories in sorted order,
 * feature names {@code column=value}). A missing value (an empty field, {@code NA} or {@code NaN}) is refused,
 * naming its line and column, unless {@link Builder#missing(Missing)} says how to fill it. A value that is not a
 * number, or a row with the wrong number of fields, is a {@link CsvFormatException} naming the line and column.
 * <pre>{@code
 * Dataset iris = CsvReader.builder()
 *         .label("species")                    // one-hot targets, class names sorted
 *         .build()
 *         .read(new StringReader("sepal_length,species\n5.1,setosa\n7.0,versicolor\n"));
 * iris.classNames();   // [setosa, versicolor]
 * iris.targets();      // [[1, 0], [0, 1]]
 * }</pre>
 * {@link #records(Reader)} streams the parsed records one at a time, for files larger than memory.
 * Immutable and thread-safe; each read uses its own state.
 *
 * @since 0.1
 */
public final class CsvReader {

    /** How the label column(s) become targets. */
    public enum Targets {
        /** One column per class, 1 for the row's class (for {@code categorical_crossentropy}). */
        ONE_HOT,
        /** One column holding the class index (Keras's sparse form, {@code sparse_categorical_accuracy}). */
        INDEX,
        /** The label columns' numbers as they are (regression). */
        NUMBER
    }

    /** What to do with a missing numeric feature (an empty field, {@code NA} or {@code NaN}). */
    public enum Missing {
        /** Throw a {@link CsvFormatException} naming the line and column (the default). */
        REFUSE,
        /** The mean of the column's values that are present (scikit-learn's {@code SimpleImputer()}). */
        MEAN,
        /** Zero. */
        ZERO
    }

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Set<String> MISSING = Set.of("", "NA", "NaN");

    private final char delimiter;
    private final boolean header;
    private final boolean comments;
    private final List<String> labelNames;
    private final int[] labelIndices;
    private final Targets targets;
    private final List<String> classNames;
    private final Set<String> categorical;
    private final Missing missing;

    private CsvReader(Builder b) {
        delimiter = b.delimiter;
        header = b.header;
        comments = b.comments;
        labelNames = List.copyOf(b.labelNames);
        labelIndices = b.labelIndices.clone();
        targets = b.targets;
        classNames = b.classNames == null ? null : List.copyOf(b.classNames);
        categorical = Set.copyOf(b.categorical);
        missing = b.missing;
    }

    /** @return a builder with the defaults: comma, header, no comments, one-hot targets, missing values refused */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a UTF-8 file (a byte order mark is skipped; bytes that are not UTF-8 are an error).
     *
     * @param file the CSV file
     * @return its dataset
     * @throws IOException if it cannot be read or is not UTF-8
     * @throws CsvFormatException if a row is malformed, naming its line and column
     */
    public Dataset read(Path file) throws IOException {
        Checks.notNull(file, "file");
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), decoder)) {
            return read(reader);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * @param reader the CSV text; read to its end, not closed
     * @return its dataset
     * @throws CsvFormatException if a row is malformed, naming its line and column
     * @throws IllegalStateException if the builder chose no label column
     * @throws java.io.UncheckedIOException if reading fails
     */
    public Dataset read(Reader reader) {
        Checks.notNull(reader, "reader");
        if (labelNames.isEmpty() && labelIndices.length == 0) {
            throw new IllegalStateException("choose the label column with label(\"name\") or labelIndex(i) on the builder");
        }
        CsvParser parser = new CsvParser(reader, delimiter, comments);
        if (!parser.hasNext()) {
            throw new IllegalArgumentException("the CSV has no rows");
        }
        CsvRecord first = parser.next();
        int width = first.fields().size();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < width; j++) {
            names.add(header ? first.fields().get(j).trim() : "x" + j);
        }
        List<CsvRecord> rows = new ArrayList<>();
        if (!header) {
            rows.add(first);
        }
        parser.forEachRemaining(record -> {
            if (record.fields().size() != width) {
                throw new CsvFormatException(record.line(), Math.min(record.fields().size(), width) + 1,
                        "the row has " + record.fields().size() + " fields, expected " + width
                                + (header ? " as in the header" : " as in the first row"));
            }
            rows.add(record);
        });
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the CSV has a header but no data rows");
        }
        int[] labels = labelColumns(names);
        Set<Integer> labelSet = labelSet(labels, names);
        List<String> featureNames = new ArrayList<>();
        List<float[]> featureColumns = new ArrayList<>();
        for (int j = 0; j < width; j++) {
            if (labelSet.contains(j)) {
                continue;
            }
            if (categorical.contains(names.get(j))) {
                List<String> categories = sortedValues(rows, j, names);
                for (String category : categories) {
                    featureNames.add(names.get(j) + "=" + category);
                }
                featureColumns.addAll(oneHotColumns(rows, j, categories));
            } else {
                featureNames.add(names.get(j));
                featureColumns.add(numericColumn(rows, j, names, missing));
            }
        }
        if (featureColumns.isEmpty()) {
            throw new IllegalArgumentException("no feature columns: every column is a label column " + names);
        }
        List<String> classes = List.of();
        List<float[]> targetColumns = new ArrayList<>();
        if (targets == Targets.NUMBER) {
            for (int l : labels) {
                targetColumns.add(numericColumn(rows, l, names, Missing.REFUSE));
            }
        } else {
            if (labels.length != 1) {
                throw new IllegalArgumentException("class targets need one label column, got " + labels.length
                        + "; use Targets.NUMBER for several numeric targets");
            }
            classes = classNames != null ? classNames : sortedValues(rows, labels[0], names);
            List<float[]> oneHot = oneHotColumns(rows, labels[0], classes);
            if (targets == Targets.ONE_HOT) {
                targetColumns.addAll(oneHot);
            } else {
                float[] index = new float[rows.size()];
                for (int c = 0; c < oneHot.size(); c++) {
                    for (int r = 0; r < index.length; r++) {
                        if (oneHot.get(c)[r] == 1) {
                            index[r] = c;
                        }
                    }
                }
                targetColumns.add(index);
            }
        }
        return Dataset.of(toMatrix(featureColumns), toMatrix(targetColumns), featureNames, classes);
    }

    /**
     * The records of a CSV text one at a time, without reading it all: the header too, if there is one, as the
     * first record. For files larger than memory; the stream holds one record at a time.
     *
     * @param reader the CSV text; read lazily as the stream is consumed, not closed
     * @return the records, in order
     */
    public Stream<CsvRecord> records(Reader reader) {
        Checks.notNull(reader, "reader");
        CsvParser parser = new CsvParser(reader, delimiter, comments);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(parser, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    /**
     * The file as batches read afresh every epoch, for files larger than memory: encoded exactly as {@link #read(Path)}
     * encodes them, one batch held at a time. One pass now learns the classes, categories and fill values and checks
     * every row.
     *
     * @param file the CSV file, UTF-8
     * @param batchSize rows per batch, at least 1
     * @return the source, for {@code Trainer.fit(network, batches)}
     * @throws IOException if the file cannot be read or is not UTF-8
     * @throws CsvFormatException if a row is malformed, naming its line and column
     */
    public CsvBatches batches(Path file, int batchSize) throws IOException {
        Checks.notNull(file, "file");
        Checks.positive(batchSize, "batchSize");
        if (labelNames.isEmpty() && labelIndices.length == 0) {
            throw new IllegalStateException("choose the label column with label(\"name\") or labelIndex(i) on the builder");
        }
        try (Reader reader = CsvBatches.open(file)) {
            CsvParser parser = new CsvParser(reader, delimiter, comments);
            if (!parser.hasNext()) {
                throw new IllegalArgumentException("the CSV has no rows");
            }
            CsvRecord first = parser.next();
            int width = first.fields().size();
            List<String> names = new ArrayList<>();
            for (int j = 0; j < width; j++) {
                names.add(header ? first.fields().get(j).trim() : "x" + j);
            }
            Scan scan = new Scan(names, labelColumns(names));
            if (!header) {
                scan.add(first);
            }
            parser.forEachRemaining(scan::add);
            if (scan.rows == 0) {
                throw new IllegalArgumentException("the CSV has a header but no data rows");
            }
            return new CsvBatches(file, batchSize, delimiter, comments, header, scan.encoding(), scan.rows);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The label columns as a set, after checking that every categorical column exists and is not a label. */
    private Set<Integer> labelSet(int[] labels, List<String> names) {
        Set<Integer> labelSet = new LinkedHashSet<>();
        for (int l : labels) {
            labelSet.add(l);
        }
        for (String c : categorical) {
            int j = names.indexOf(c);
            if (j < 0) {
                throw new IllegalArgumentException("no column named '" + c + "' to treat as categorical; the columns are "
                        + names);
            }
            if (labelSet.contains(j)) {
                throw new IllegalArgumentException("'" + c + "' is a label column; list only feature columns as categorical");
            }
        }
        return labelSet;
    }

    /** One streaming pass over the rows, keeping only what encoding needs: distinct values, sums and counts. */
    private final class Scan {
        private final List<String> names;
        private final int[] labels;
        private final Set<Integer> labelSet = new LinkedHashSet<>();
        private final List<Set<String>> distinct = new ArrayList<>();
        private final boolean[] allNumeric;
        private final double[] sums;
        private final long[] present;
        private long rows;

        Scan(List<String> names, int[] labels) {
            this.names = names;
            this.labels = labels;
            labelSet.addAll(labelSet(labels, names));
            for (int j = 0; j < names.size(); j++) {
                distinct.add(new TreeSet<>());
            }
            allNumeric = new boolean[names.size()];
            Arrays.fill(allNumeric, true);
            sums = new double[names.size()];
            present = new long[names.size()];
        }

        private boolean distinctColumn(int j) {
            return categorical.contains(names.get(j)) || (labelSet.contains(j) && targets != Targets.NUMBER);
        }

        void add(CsvRecord record) {
            if (record.fields().size() != names.size()) {
                throw new CsvFormatException(record.line(), Math.min(record.fields().size(), names.size()) + 1,
                        "the row has " + record.fields().size() + " fields, expected " + names.size()
                                + (header ? " as in the header" : " as in the first row"));
            }
            rows++;
            for (int j = 0; j < names.size(); j++) {
                String text = record.fields().get(j).trim();
                if (distinctColumn(j)) {
                    if (MISSING.contains(text)) {
                        throw error(record, j, names, "missing value" + (text.isEmpty() ? "" : " '" + text + "'")
                                + " in a class or category column; remove the row or give it a value");
                    }
                    if (classNames != null && labelSet.contains(j) && !classNames.contains(text)) {
                        throw new CsvFormatException(record.line(), j + 1, "'" + text + "' is not one of the classes "
                                + classNames);
                    }
                    distinct.get(j).add(text);
                    allNumeric[j] &= NUMBER.matcher(text).matches();
                } else {
                    Missing rule = labelSet.contains(j) ? Missing.REFUSE : missing;
                    if (MISSING.contains(text)) {
                        if (rule == Missing.REFUSE) {
                            throw error(record, j, names, "missing value" + (text.isEmpty() ? "" : " '" + text + "'")
                                    + "; fill missing values with CsvReader.Builder.missing(...) or remove the row");
                        }
                        continue;
                    }
                    sums[j] += number(record, j, names, text);
                    present[j]++;
                }
            }
        }

        Encoding encoding() {
            List<String> featureNames = new ArrayList<>();
            List<Map<String, Integer>> categories = new ArrayList<>();
            float[] fills = new float[names.size()];
            int[] features = java.util.stream.IntStream.range(0, names.size()).filter(j -> !labelSet.contains(j)).toArray();
            if (features.length == 0) {
                throw new IllegalArgumentException("no feature columns: every column is a label column " + names);
            }
            for (int j = 0; j < names.size(); j++) {
                categories.add(null);
                if (labelSet.contains(j)) {
                    continue;
                }
                if (categorical.contains(names.get(j))) {
                    List<String> values = sorted(distinct.get(j), allNumeric[j]);
                    categories.set(j, index(values));
                    for (String value : values) {
                        featureNames.add(names.get(j) + "=" + value);
                    }
                } else {
                    featureNames.add(names.get(j));
                    if (missing == Missing.MEAN && present[j] == 0 && rows > 0) {
                        throw new IllegalArgumentException("column " + (j + 1) + " (\"" + names.get(j)
                                + "\") has no values to take a mean of");
                    }
                    fills[j] = missing == Missing.MEAN ? (float) (sums[j] / present[j]) : 0f;
                }
            }
            List<String> classes = List.of();
            if (targets != Targets.NUMBER) {
                if (labels.length != 1) {
                    throw new IllegalArgumentException("class targets need one label column, got " + labels.length
                            + "; use Targets.NUMBER for several numeric targets");
                }
                classes = classNames != null ? classNames : sorted(distinct.get(labels[0]), allNumeric[labels[0]]);
            }
            return new Encoding(names, labels, features, categories, fills, featureNames, classes, targets);
        }
    }

    /** Distinct values sorted numerically if all are numbers, else as strings: {@link #sortedValues}'s order. */
    private static List<String> sorted(Set<String> distinct, boolean numeric) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(distinct));
        if (numeric) {
            sorted.sort((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
        }
        return sorted;
    }

    private static Map<String, Integer> index(List<String> values) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            index.put(values.get(i), i);
        }
        return index;
    }

    private static float number(CsvRecord record, int column, List<String> names, String text) {
        if (!NUMBER.matcher(text).matches()) {
            throw error(record, column, names, "'" + text + "' is not a number; mark the column categorical or fix the value");
        }
        float value = Float.parseFloat(text);
        if (!Float.isFinite(value)) {
            throw error(record, column, names, "'" + text + "' is too large for a float");
        }
        return value;
    }

    /** How one record becomes a row of features and a row of targets, learnt by a {@link Scan}. */
    static final class Encoding {
        private final List<String> names;
        private final int[] labels;
        private final int[] features;
        private final List<Map<String, Integer>> categories;
        private final float[] fills;
        private final List<String> featureNames;
        private final List<String> classNames;
        private final Map<String, Integer> classIndex;
        private final Targets targets;

        Encoding(List<String> names, int[] labels, int[] features, List<Map<String, Integer>> categories, float[] fills,
                List<String> featureNames, List<String> classNames, Targets targets) {
            this.names = names;
            this.labels = labels;
            this.features = features;
            this.categories = categories;
            this.fills = fills;
            this.featureNames = List.copyOf(featureNames);
            this.classNames = List.copyOf(classNames);
            this.classIndex = index(classNames);
            this.targets = targets;
        }

        List<String> featureNames() {
            return featureNames;
        }

        List<String> classNames() {
            return classNames;
        }

        float[] features(CsvRecord record) {
            float[] row = new float[featureNames.size()];
            int at = 0;
            for (int j : features) {
                String text = record.fields().get(j).trim();
                Map<String, Integer> values = categories.get(j);
                if (values != null) {
                    Integer i = values.get(text);
                    if (i == null) {
                        throw error(record, j, names, "'" + text + "' was not in the file when it was first read");
                    }
                    row[at + i] = 1;
                    at += values.size();
                } else {
                    row[at++] = MISSING.contains(text) ? fills[j] : number(record, j, names, text);
                }
            }
            return row;
        }

        float[] targets(CsvRecord record) {
            if (targets == Targets.NUMBER) {
                float[] row = new float[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    row[i] = number(record, labels[i], names, record.fields().get(labels[i]).trim());
                }
                return row;
            }
            String text = record.fields().get(labels[0]).trim();
            Integer c = classIndex.get(text);
            if (c == null) {
                throw new CsvFormatException(record.line(), labels[0] + 1, "'" + text + "' is not one of the classes " + classNames);
            }
            if (targets == Targets.INDEX) {
                return new float[] {c};
            }
            float[] row = new float[classNames.size()];
            row[c] = 1;
            return row;
        }
    }

    private int[] labelColumns(List<String> names) {
        if (!labelNames.isEmpty()) {
            if (!header) {
                throw new IllegalArgumentException("label columns by name need a header; without one, choose them by index");
            }
            int[] result = new int[labelNames.size()];
            for (int i = 0; i < result.length; i++) {
                result[i] = names.indexOf(labelNames.get(i));
                if (result[i] < 0) {
                    throw new IllegalArgumentException("no column named '" + labelNames.get(i) + "'; the header has "
                            + names);
                }
            }
            return result;
        }
        for (int index : labelIndices) {
            if (index < 0 || index >= names.size()) {
                throw new IllegalArgumentException("label column index " + index + " is outside 0.." + (names.size() - 1)
                        + "; the file has " + names.size() + " columns");
            }
        }
        return labelIndices.clone();
    }

    private static CsvFormatException error(CsvRecord record, int column, List<String> names, String problem) {
        return new CsvFormatException(record.line(), column + 1, "(\"" + names.get(column) + "\") " + problem);
    }

    private static float[] numericColumn(List<CsvRecord> rows, int column, List<String> names, Missing missing) {
        float[] values = new float[rows.size()];
        boolean[] absent = new boolean[rows.size()];
        double sum = 0;
        int present = 0;
        for (int r = 0; r < values.length; r++) {
            CsvRecord record = rows.get(r);
            String text = record.fields().get(column).trim();
            if (MISSING.contains(text)) {
                if (missing == Missing.REFUSE) {
                    throw error(record, column, names, "missing value" + (text.isEmpty() ? "" : " '" + text + "'")
                            + "; fill missing values with CsvReader.Builder.missing(...) or remove the row");
                }
                absent[r] = true;
                continue;
            }
            if (!NUMBER.matcher(text).matches()) {
                throw error(record, column, names, "'" + text + "' is not a number; mark the column categorical or fix the value");
            }
            values[r] = Float.parseFloat(text);
            if (!Float.isFinite(values[r])) {
                throw error(record, column, names, "'" + text + "' is too large for a float");
            }
            sum += values[r];
            present++;
        }
        if (missing != Missing.REFUSE) {
            if (present == 0 && missing == Missing.MEAN) {
                throw new IllegalArgumentException("column " + (column + 1) + " (\"" + names.get(column)
                        + "\") has no values to take a mean of");
            }
            float fill = missing == Missing.MEAN ? (float) (sum / present) : 0f;
            for (int r = 0; r < values.length; r++) {
                if (absent[r]) {
                    values[r] = fill;
                }
            }
        }
        return values;
    }

    /** Distinct trimmed values, sorted numerically if all are numbers, else by string; missing values refused. */
    private static List<String> sortedValues(List<CsvRecord> rows, int column, List<String> names) {
        Set<String> distinct = new TreeSet<>();
        boolean numeric = true;
        for (CsvRecord record : rows) {
            String text = record.fields().get(column).trim();
            if (MISSING.contains(text)) {
                throw error(record, column, names, "missing value" + (text.isEmpty() ? "" : " '" + text + "'")
                        + " in a class or category column; remove the row or give it a value");
            }
            distinct.add(text);
            numeric &= NUMBER.matcher(text).matches();
        }
        List<String> sorted = new ArrayList<>(distinct);
        if (numeric) {
            sorted.sort((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
        }
        return sorted;
    }

    private static List<float[]> oneHotColumns(List<CsvRecord> rows, int column, List<String> values) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            index.put(values.get(i), i);
        }
        List<float[]> columns = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            columns.add(new float[rows.size()]);
        }
        for (int r = 0; r < rows.size(); r++) {
            CsvRecord record = rows.get(r);
            String text = record.fields().get(column).trim();
            Integer i = index.get(text);
            if (i == null) {
                throw new CsvFormatException(record.line(), column + 1, "'" + text + "' is not one of the classes "
                        + values);
            }
            columns.get(i)[r] = 1;
        }
        return columns;
    }

    private static Matrix toMatrix(List<float[]> columns) {
        float[][] rows = new float[columns.get(0).length][columns.size()];
        for (int j = 0; j < columns.size(); j++) {
            float[] column = columns.get(j);
            for (int r = 0; r < rows.length; r++) {
                rows[r][j] = column[r];
            }
        }
        return Matrix.of(rows);
    }

    /** Options for a {@link CsvReader}; defaults as in {@link CsvReader#builder()}. Not thread-safe. */
    public static final class Builder {
        private char delimiter = ',';
        private boolean header = true;
        private boolean comments;
        private List<String> labelNames = List.of();
        private int[] labelIndices = {};
        private Targets targets = Targets.ONE_HOT;
        private List<String> classNames;
        private Set<String> categorical = Set.of();
        private Missing missing = Missing.REFUSE;

        private Builder() {
        }

        /**
         * @param value the field separator, e.g. {@code ';'} or {@code '\t'}; not a quote or line break
         * @return this builder
         */
        public Builder delimiter(char value) {
            if (value == '"' || value == '\n' || value == '\r') {
                throw new IllegalArgumentException("the delimiter cannot be a quote or a line break");
            }
            delimiter = value;
            return this;
        }

        /**
         * @param value whether the first line names the columns (default true); without a header, columns are
         *     named {@code x0, x1, ...}
         * @return this builder
         */
        public Builder header(boolean value) {
            header = value;
            return this;
        }

        /**
         * @param value whether lines starting with {@code #} are skipped (default false)
         * @return this builder
         */
        public Builder comments(boolean value) {
            comments = value;
            return this;
        }

        /**
         * @param names the label column(s) by header name; replaces an earlier choice
         * @return this builder
         */
        public Builder label(String... names) {
            Checks.notNull(names, "names");
            if (names.length == 0) {
                throw new IllegalArgumentException("label needs at least one column name");
            }
            labelNames = List.of(names);
            labelIndices = new int[0];
            return this;
        }

        /**
         * @param indices the label column(s) by 0-based index; replaces an earlier choice
         * @return this builder
         */
        public Builder labelIndex(int... indices) {
            Checks.notNull(indices, "indices");
            if (indices.length == 0) {
                throw new IllegalArgumentException("labelIndex needs at least one column index");
            }
            labelIndices = indices.clone();
            labelNames = List.of();
            return this;
        }

        /**
         * @param value one-hot (default), class index or number targets
         * @return this builder
         */
        public Builder targets(Targets value) {
            targets = Checks.notNull(value, "targets");
            return this;
        }

        /**
         * Fixes the classes and their order, e.g. to read a test file with a training set's
         * {@link Dataset#classNames()}; a label that is not one of them is an error naming its line.
         *
         * @param names the class names in index order, distinct
         * @return this builder
         */
        public Builder classNames(List<String> names) {
            Checks.notNull(names, "names");
            if (names.isEmpty() || new LinkedHashSet<>(names).size() != names.size()) {
                throw new IllegalArgumentException("class names must be distinct and at least one, got " + names);
            }
            classNames = List.copyOf(names);
            return this;
        }

        /**
         * @param columns feature columns (by header name) to one-hot encode, categories in sorted order
         * @return this builder
         */
        public Builder categorical(String... columns) {
            categorical = new LinkedHashSet<>(Arrays.asList(Checks.notNull(columns, "columns")));
            return this;
        }

        /**
         * @param rule what to do with a missing numeric feature; label and categorical columns always refuse them
         * @return this builder
         */
        public Builder missing(Missing rule) {
            missing = Checks.notNull(rule, "rule");
            return this;
        }

        /** @return the reader; {@link CsvReader#read(Reader)} needs a label column, {@link CsvReader#records} does not */
        public CsvReader build() {
            return new CsvReader(this);
        }
    }
}
