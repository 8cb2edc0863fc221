package dev.nncore.data;

import java.util.List;

/**
 * One record of a CSV file: its fields, unquoted, and the line it starts on (1-based, counting every physical line,
 * so a quoted field spanning lines moves the next record's line on).
 * <pre>{@code
 * CsvRecord record = CsvReader.builder().build().records(new StringReader("a,\"b,c\"\n")).findFirst().get();
 * record.fields();   // [a, b,c]
 * record.line();     // 1
 * }</pre>
 *
 * @param line the 1-based line the record starts on
 * @param fields the fields, without their quotes; an unmodifiable list
 * @since 0.1
 */
public record CsvRecord(long line, List<String> fields) {

    /**
     * @param line the 1-based line the record starts on
     * @param fields the fields; copied
     */
    public CsvRecord {
        fields = List.copyOf(fields);
    }
}
