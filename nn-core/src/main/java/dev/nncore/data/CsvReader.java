package dev.nncore.data;

import dev.nncore.internal.Checks;
import dev.nncore.internal.MatrixAccess;
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
     * Reads all rows into memory. While reading, each row is kept as one float per column (never the text of its
     * fields), then encoded and let go, so the data is held about once; for files larger than memory see
     * {@link #batches(Path, int)}.
     *
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
        // one pass that keeps each row as numbers (the text of a row takes many times its floats)
        Scan scan = new Scan(names, labelColumns(names), true);
        if (!header) {
            scan.add(first);
        }
        parser.forEachRemaining(scan::add);
        if (scan.rows == 0) {
            throw new IllegalArgumentException("the CSV has a header but no data rows");
        }
        return scan.dataset();
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

    /**
     * One streaming pass over the rows, keeping what encoding needs: distinct values, sums and counts; for
     * {@link #read(Reader)} also each row as one float per column (a number, NaN where missing, or the code of a class
     * or category value), so that the text of the file is never held.
     */
    private final class Scan {
        /** Codes of class and category values are kept in floats, which hold whole numbers exactly up to 2^24. */
        private static final int MAX_CODES = 1 << 24;
        private final List<String> names;
        private final int[] labels;
        private final Set<Integer> labelSet = new LinkedHashSet<>();
        private final List<Set<String>> distinct = new ArrayList<>();
        private final boolean[] allNumeric;
        private final double[] sums;
        private final long[] present;
        /** The rows as read, one float per column, or null when rows are not kept. */
        private final List<float[]> kept;
        /** Per class or category column: each value's code, in the order first seen; null for number columns. */
        private final List<Map<String, Integer>> codes = new ArrayList<>();
        private long rows;

        Scan(List<String> names, int[] labels) {
            this(names, labels, false);
        }

        Scan(List<String> names, int[] labels, boolean keep) {
            this.names = names;
            this.labels = labels;
            this.kept = keep ? new ArrayList<>() : null;
            labelSet.addAll(labelSet(labels, names));
            for (int j = 0; j < names.size(); j++) {
                distinct.add(new TreeSet<>());
            }
            allNumeric = new boolean[names.size()];
            Arrays.fill(allNumeric, true);
            sums = new double[names.size()];
            present = new long[names.size()];
            for (int j = 0; j < names.size(); j++) {
                codes.add(keep && distinctColumn(j) ? new HashMap<>() : null);
            }
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
            float[] row = kept == null ? null : new float[names.size()];
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
                    if (row != null) {
                        row[j] = code(record, j, text);
                    }
                } else {
                    Missing rule = labelSet.contains(j) ? Missing.REFUSE : missing;
                    if (MISSING.contains(text)) {
                        if (rule == Missing.REFUSE) {
                            throw error(record, j, names, "missing value" + (text.isEmpty() ? "" : " '" + text + "'")
                                    + "; fill missing values with CsvReader.Builder.missing(...) or remove the row");
                        }
                        if (row != null) {
                            row[j] = Float.NaN;   // filled once the column's mean is known
                        }
                        continue;
                    }
                    float value = number(record, j, names, text);
                    sums[j] += value;
                    present[j]++;
                    if (row != null) {
                        row[j] = value;
                    }
                }
            }
            if (row != null) {
                kept.add(row);
            }
        }

        private int code(CsvRecord record, int column, String text) {
            Map<String, Integer> columnCodes = codes.get(column);
            Integer code = columnCodes.get(text);
            if (code == null) {
                if (columnCodes.size() == MAX_CODES) {
                    throw error(record, column, names, "more than " + MAX_CODES + " distinct values in a class or category column");
                }
                code = columnCodes.size();
                columnCodes.put(text, code);
            }
            return code;
        }

        /**
         * The kept rows encoded as {@link #encoding()} encodes records; each kept row is let go once encoded, so the
         * data is held about once. Rows of one class share one target array (a matrix's rows are never written).
         */
        Dataset dataset() {
            Encoding encoding = encoding();
            int[][] index = new int[names.size()][];   // per class or category column: code -> index in the encoding
            for (int j = 0; j < names.size(); j++) {
                Map<String, Integer> columnCodes = codes.get(j);
                if (columnCodes != null) {
                    Map<String, Integer> order = labelSet.contains(j) ? encoding.classIndex : encoding.categories.get(j);
                    int[] columnIndex = new int[columnCodes.size()];
                    columnCodes.forEach((value, code) -> columnIndex[code] = order.get(value));
                    index[j] = columnIndex;
                }
            }
            float[][] classTargets = null;
            if (targets != Targets.NUMBER) {
                int classes = encoding.classNames().size();
                classTargets = new float[classes][];
                for (int c = 0; c < classes; c++) {
                    classTargets[c] = targets == Targets.INDEX ? new float[] {c} : new float[classes];
                    if (targets == Targets.ONE_HOT) {
                        classTargets[c][c] = 1;
                    }
                }
            }
            float[][] x = new float[kept.size()][];
            float[][] y = new float[kept.size()][];
            for (int r = 0; r < x.length; r++) {
                float[] row = kept.set(r, null);
                x[r] = encoding.features(row, index);
                y[r] = classTargets == null ? encoding.numberTargets(row)
                        : classTargets[index[labels[0]][(int) row[labels[0]]]];
            }
            return Dataset.of(MatrixAccess.wrap(x), MatrixAccess.wrap(y), encoding.featureNames(), encoding.classNames());
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

    /** Distinct values sorted numerically if all are numbers, else as strings (scikit-learn's LabelEncoder order). */
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

        /** As {@link #features(CsvRecord)}, from a row kept by a {@link Scan}. */
        float[] features(float[] kept, int[][] index) {
            float[] row = new float[featureNames.size()];
            int at = 0;
            for (int j : features) {
                Map<String, Integer> values = categories.get(j);
                if (values != null) {
                    row[at + index[j][(int) kept[j]]] = 1;
                    at += values.size();
                } else {
                    row[at++] = Float.isNaN(kept[j]) ? fills[j] : kept[j];
                }
            }
            return row;
        }

        /** The number targets of a row kept by a {@link Scan} ({@link Targets#NUMBER}). */
        float[] numberTargets(float[] kept) {
            float[] row = new float[labels.length];
            for (int i = 0; i < labels.length; i++) {
                row[i] = kept[labels[i]];
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
