package dev.nncore.data;

/**
 * A CSV file that cannot be read as asked: a malformed record, a ragged row, a value that is not a number, or a
 * missing value where none may be. The message and {@link #line()} and {@link #column()} say where.
 * <pre>{@code
 * try {
 *     CsvReader.builder().label("y").build().read(new StringReader("x,y\n1,a\nb,2\n"));
 * } catch (CsvFormatException e) {
 *     e.line();   // 3
 *     e.column(); // 1, the "x" column
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class CsvFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final long line;
    private final int column;

    CsvFormatException(long line, int column, String problem) {
        super("line " + line + ", column " + column + ": " + problem);
        this.line = line;
        this.column = column;
    }

    /** @return the 1-based line of the file where the problem is */
    public long line() {
        return line;
    }

    /** @return the 1-based column (field) where the problem is, 0 for the whole record */
    public int column() {
        return column;
    }
}
