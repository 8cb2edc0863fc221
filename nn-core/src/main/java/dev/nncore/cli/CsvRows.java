package dev.nncore.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a CSV file for {@code predict --csv}: comma-separated numbers, one row per line. A first line that is
 * not all numbers is a header and is skipped; blank lines and lines starting with {@code #} are skipped; spaces
 * around values are ignored. Every row must have {@code width} values.
 */
final class CsvRows {

    /**
     * The largest CSV file {@code predict --csv} reads, 16 MiB ({@code -Dnncore.maxCsvBytes=N} to change): its rows
     * take several times the text in memory, one array per line.
     */
    static final long MAX_BYTES = Long.getLong("nncore.maxCsvBytes", 16L << 20);

    private CsvRows() {
    }

    /**
     * @param source the file's name, for messages
     * @param text the file's contents
     * @param width the number of values each row must have (the model's inputs)
     * @throws IllegalArgumentException naming the line (and column) that is wrong
     */
    static float[][] parse(String source, String text, int width) {
        List<float[]> rows = new ArrayList<>();
        java.util.Iterator<String> lines = text.lines().iterator(); // lazily: no array of a million empty lines
        boolean first = true;
        for (int n = 0; lines.hasNext(); n++) {
            String line = lines.next().strip();
            if (n == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (first && !allNumbers(cells)) {
                first = false;
                continue; // a header
            }
            first = false;
            if (cells.length != width) {
                throw new IllegalArgumentException(source + " line " + (n + 1) + ": expected " + width
                        + (width == 1 ? " value" : " values") + " (the model's inputs), got " + cells.length);
            }
            float[] row = new float[width];
            for (int c = 0; c < width; c++) {
                try {
                    row[c] = Float.parseFloat(cells[c].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(source + " line " + (n + 1) + ", column " + (c + 1) + ": '"
                            + cells[c].strip() + "' is not a number");
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + " has no rows of numbers");
        }
        return rows.toArray(new float[0][]);
    }

    private static boolean allNumbers(String[] cells) {
        for (String cell : cells) {
            try {
                Float.parseFloat(cell.strip());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
