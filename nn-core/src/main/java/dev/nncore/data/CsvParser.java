package dev.nncore.data;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * RFC 4180 records from a {@link Reader}, one at a time, so a file of any size streams in constant memory: quoted
 * fields may hold the delimiter, line breaks and doubled quotes; lines end in LF, CRLF or CR; a leading UTF-8 BOM
 * is dropped; blank lines (and, if asked, lines starting with {@code #}) are skipped.
 */
final class CsvParser implements Iterator<CsvRecord> {

    private static final int END = -1;
    /** Characters in one record, so a stray quote cannot make a stream buffer the rest of a huge file. */
    static final int MAX_RECORD_CHARS = 1 << 24;

    private final Reader reader;
    private final char delimiter;
    private final boolean comments;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private long line = 1;
    private boolean started;
    private CsvRecord next;
    private boolean done;

    CsvParser(Reader reader, char delimiter, boolean comments) {
        this.reader = reader;
        this.delimiter = delimiter;
        this.comments = comments;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = readRecord();
            done = next == null;
        }
        return next != null;
    }

    @Override
    public CsvRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        CsvRecord record = next;
        next = null;
        return record;
    }

    private int read() {
        if (position == limit) {
            try {
                limit = reader.read(buffer, 0, buffer.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return END;
            }
        }
        return buffer[position++];
    }

    private int peek() {
        int c = read();
        if (c != END) {
            position--;
        }
        return c;
    }

    /** Consumes a line break whose first character {@code c} was read; counts the line. */
    private void endLine(int c) {
        if (c == '\r' && peek() == '\n') {
            read();
        }
        line++;
    }

    private CsvRecord readRecord() {
        while (true) {
            int c = read();
            if (!started) {
                started = true;
                if (c == '\uFEFF') {
                    c = read();
                }
            }
            if (c == END) {
                return null;
            }
            if (c == '\n' || c == '\r') {
                endLine(c);
                continue; // a blank line
            }
            if (comments && c == '#') {
                while (c != END && c != '\n' && c != '\r') {
                    c = read();
                }
                if (c != END) {
                    endLine(c);
                }
                continue;
            }
            position--; // c is not END here, so it is still in the buffer
            return readFields();
        }
    }

    private CsvRecord readFields() {
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        long characters = 0;
        while (true) {
            if (++characters > MAX_RECORD_CHARS) {
                throw tooLong(start, fields.size() + 1);
            }
            int c = read();
            if (c == '"' && field.isEmpty()) {
                long quoteLine = line;
                while (true) {
                    if (++characters > MAX_RECORD_CHARS) {
                        throw tooLong(start, fields.size() + 1);
                    }
                    c = read();
                    if (c == END) {
                        throw new CsvFormatException(quoteLine, fields.size() + 1,
                                "a quoted field opened here is never closed; close it with \"");
                    }
                    if (c == '"') {
                        if (peek() == '"') {
                            read();
                            field.append('"');
                            continue;
                        }
                        break;
                    }
                    if (c == '\r' || c == '\n') {
                        if (c == '\r' && peek() == '\n') {
                            read();
                            field.append('\r');
                            c = '\n';
                        }
                        line++;
                    }
                    field.append((char) c);
                }
                c = read();
                if (c != delimiter && c != '\n' && c != '\r' && c != END) {
                    throw new CsvFormatException(line, fields.size() + 1, "'" + (char) c
                            + "' after a closing quote; a quoted field must end at the delimiter or the line's end"
                            + " (write a quote inside a quoted field as \"\")");
                }
            } else if (c != delimiter && c != '\n' && c != '\r' && c != END) {
                field.append((char) c);
                continue;
            }
            fields.add(field.toString());
            field.setLength(0);
            if (c == delimiter) {
                continue;
            }
            if (c != END) {
                endLine(c);
            }
            return new CsvRecord(start, fields);
        }
    }

    private static CsvFormatException tooLong(long line, int column) {
        return new CsvFormatException(line, column, "the record is longer than " + MAX_RECORD_CHARS
                + " characters; is a quote left open? (a record may span lines only inside quotes)");
    }
}
