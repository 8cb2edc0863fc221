package dev.nncore.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.math.Matrix;
import dev.nncore.testing.ChildJvm;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

    @TempDir
    Path temp;

    private static Dataset read(CsvReader.Builder builder, String text) {
        return builder.build().read(new StringReader(text));
    }

    @Test
    void quotedFieldsWithDelimitersQuotesAndLineBreaks() {
        String text = "name,x,y\n\"Smith, J.\",1,a\n\"say \"\"hi\"\"\",2,b\n\"two\r\nlines\",3,a\n";
        List<CsvRecord> records = CsvReader.builder().build().records(new StringReader(text)).toList();
        assertThat(records).extracting(CsvRecord::fields).containsExactly(
                List.of("name", "x", "y"), List.of("Smith, J.", "1", "a"), List.of("say \"hi\"", "2", "b"),
                List.of("two\r\nlines", "3", "a"));
        assertThat(records).extracting(CsvRecord::line).containsExactly(1L, 2L, 3L, 4L);
        Dataset data = read(CsvReader.builder().label("y").categorical("name"), text);
        assertThat(data.featureNames()).containsExactly("name=Smith, J.", "name=say \"hi\"", "name=two\r\nlines", "x");
        assertThat(data.features()).isEqualTo(Matrix.of(new float[][] {{1, 0, 0, 1}, {0, 1, 0, 2}, {0, 0, 1, 3}}));
        assertThat(data.classNames()).containsExactly("a", "b");
    }

    @Test
    void bomCrlfBlankLinesAndADelimiter(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("semicolon.csv");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "a;b;label\r\n1.5;-2e1;no\r\n\r\n3;.25;yes\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(body, 0, all, bom.length, body.length);
        Files.write(file, all);
        Dataset data = CsvReader.builder().delimiter(';').label("label").targets(CsvReader.Targets.INDEX).build().read(file);
        assertThat(data.featureNames()).containsExactly("a", "b");   // no BOM stuck to "a"
        assertThat(data.features()).isEqualTo(Matrix.of(new float[][] {{1.5f, -20}, {3, 0.25f}}));
        assertThat(data.targets()).isEqualTo(Matrix.column(0, 1));    // "no" < "yes"
        assertThat(data.classNames()).containsExactly("no", "yes");
    }

    @Test
    void noHeaderLabelByIndexAndNumericClassesSortNumerically() {
        Dataset data = read(CsvReader.builder().header(false).labelIndex(0), "10,0.5\n9,1\n10,2\n");
        assertThat(data.classNames()).containsExactly("9", "10");    // not "10" < "9" as strings
        assertThat(data.targets()).isEqualTo(Matrix.of(new float[][] {{0, 1}, {1, 0}, {0, 1}}));
        assertThat(data.featureNames()).containsExactly("x1");
    }

    @Test
    void commentsOnlyWhenAsked() {
        String text = "x,y\n# a note\n1,2\n";
        assertThat(read(CsvReader.builder().label("y").comments(true).targets(CsvReader.Targets.NUMBER), text).rows())
                .isEqualTo(1);
        assertThatThrownBy(() -> read(CsvReader.builder().label("y"), text))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("line 2, column 2: the row has 1 fields, expected 2 as in the header");
    }

    @Test
    void regressionTargetsAndSeveralLabelColumns() {
        Dataset data = read(CsvReader.builder().label("u", "v").targets(CsvReader.Targets.NUMBER), "u,x,v\n1,2,3\n4,5,6\n");
        assertThat(data.targets()).isEqualTo(Matrix.of(new float[][] {{1, 3}, {4, 6}}));
        assertThat(data.features()).isEqualTo(Matrix.column(2, 5));
        assertThat(data.classNames()).isEmpty();
    }

    @Test
    void errorsNameLineAndColumn() {
        CsvReader.Builder builder = CsvReader.builder().label("y");
        assertThatThrownBy(() -> read(builder, "x,y\n1,a\nb,c\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("line 3, column 1: (\"x\") 'b' is not a number; mark the column categorical or fix the value")
                .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(3));
        assertThatThrownBy(() -> read(builder, "x,y\n1,a\n2,b,3\n"))
                .hasMessage("line 3, column 3: the row has 3 fields, expected 2 as in the header");
        assertThatThrownBy(() -> read(builder, "x,y\n1,a\n\"2,b\n"))
                .hasMessage("line 3, column 1: a quoted field opened here is never closed; close it with \"");
        assertThatThrownBy(() -> read(builder, "x,y\n\"1\"x,a\n"))
                .hasMessageStartingWith("line 2, column 1: 'x' after a closing quote");
        assertThatThrownBy(() -> read(builder, "x,y\n1,a\n,b\n"))
                .hasMessage("line 3, column 1: (\"x\") missing value; fill missing values with CsvReader.Builder.missing(...)"
                        + " or remove the row");
        assertThatThrownBy(() -> read(builder, "x,y\n1,a\n2,\n"))
                .hasMessageStartingWith("line 3, column 2: (\"y\") missing value in a class or category column");
        assertThatThrownBy(() -> read(CsvReader.builder().label("species"), "x,y\n1,a\n"))
                .hasMessage("no column named 'species'; the header has [x, y]");
        assertThatThrownBy(() -> read(CsvReader.builder().label("y").classNames(List.of("a")), "x,y\n1,a\n2,b\n"))
                .hasMessage("line 3, column 2: 'b' is not one of the classes [a]");
        assertThatThrownBy(() -> CsvReader.builder().build().read(new StringReader("x,y\n1,2\n")))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("choose the label column");
    }

    @Test
    void missingValuesFilledByARule() {
        String text = "x,y\n1,a\nNA,b\n5,a\n";
        assertThat(read(CsvReader.builder().label("y").missing(CsvReader.Missing.MEAN), text).features())
                .isEqualTo(Matrix.column(1, 3, 5));
        assertThat(read(CsvReader.builder().label("y").missing(CsvReader.Missing.ZERO), text).features())
                .isEqualTo(Matrix.column(1, 0, 5));
    }

    @Test
    void notUtf8IsAnIOException() throws IOException {
        Path file = temp.resolve("latin1.csv");
        Files.write(file, new byte[] {'x', ',', 'y', '\n', '1', ',', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> CsvReader.builder().label("y").build().read(file))
                .isInstanceOf(java.nio.charset.MalformedInputException.class);
    }

    /**
     * 100 MB of CSV generated on the fly and streamed through {@link CsvReader#records}: the heap in use after the
     * stream is consumed grows by well under the file's size. The suite runs with the JVM's default heap; the same
     * test passes with {@code -Xmx32m} (run by hand: {@code mvn -pl nn-core test -Dtest=CsvReaderTest
     * -Dnncore.test.jvmArgs=-Xmx32m}).
     */
    @Test
    void aHundredMegabytesStreamInFlatMemory() {
        String row = "1.25,\"quoted, with comma\",-3e2,label\n";   // 37 characters
        long size = 100L * 1024 * 1024 / row.length() * row.length();   // whole rows, just under 100 MiB (104.9 MB)
        Reader generated = new Reader() {
            long produced;

            @Override
            public int read(char[] buffer, int offset, int length) {
                if (produced >= size) {
                    return -1;
                }
                int n = 0;
                while (n < length && produced < size) {
                    buffer[offset + n++] = row.charAt((int) (produced++ % row.length()));
                }
                return n;
            }

            @Override
            public void close() {
            }
        };
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();
        long[] count = {0};
        long[] maxUsed = {0};
        CsvReader.builder().build().records(generated).forEach(record -> {
            if (++count[0] % 200_000 == 0) {
                maxUsed[0] = Math.max(maxUsed[0], runtime.totalMemory() - runtime.freeMemory());
            }
            if (record.fields().size() != 4) {
                throw new AssertionError("record at line " + record.line() + " has " + record.fields());
            }
        });
        assertThat(count[0]).isEqualTo(size / row.length());
        System.gc();
        long after = runtime.totalMemory() - runtime.freeMemory();
        assertThat(after - before).isLessThan(16L * 1024 * 1024);
    }

    @Test
    void aStrayQuoteCannotBufferAHugeFile() {
        // an opening quote, then 20 million characters of ordinary lines: refused at 16 Mi characters
        Reader endless = new Reader() {
            long produced;

            @Override
            public int read(char[] buffer, int offset, int length) {
                if (produced >= 20_000_000) {
                    return -1;
                }
                int n = 0;
                while (n < length && produced < 20_000_000) {
                    buffer[offset + n++] = produced++ == 0 ? '"' : produced % 10 == 0 ? '\n' : '1';
                }
                return n;
            }

            @Override
            public void close() {
            }
        };
        assertThatThrownBy(() -> CsvReader.builder().build().records(endless).forEach(record -> { }))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("line 1, column 1: the record is longer than 16777216 characters; is a quote left open?"
                        + " (a record may span lines only inside quotes)");
    }

    /**
     * {@code read} keeps each row as floats while it reads, not the text of its fields: a 7.2 MB file of 20,000 rows
     * (a class label, then 100 numbers) reads in a JVM whose heap is twice its rows as floats + 16 MiB (33 MiB). Measured
     * with the serial collector: it reads in 9 MiB; when every field was kept as a string until the end, it needed
     * 132 MiB.
     */
    @Test
    @Tag("slow")   // a JVM of its own; kernel-independent
    void readHoldsTheRowsAsFloatsNotAsText() throws Exception {
        int rows = 20_000;
        int columns = 100;
        Path file = temp.resolve("wide.csv");
        SplittableRandom random = new SplittableRandom(11);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder("label");
            for (int c = 0; c < columns; c++) {
                line.append(",p").append(c);
            }
            out.write(line.append('\n').toString());
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                line.append(random.nextInt(10));
                for (int c = 0; c < columns; c++) {
                    line.append(',').append(random.nextInt(256));
                }
                out.write(line.append('\n').toString());
            }
        }
        long floats = (long) rows * (16 + 4 * (columns + 1) + 4);
        long heapMib = (2 * floats + (1 << 20) - 1) / (1 << 20) + 16;
        assertThat(heapMib).isEqualTo(33);
        ChildJvm.Result read = ChildJvm.withOptions("-Xmx" + heapMib + "m", "-XX:+UseSerialGC")
                .classPathOf(Matrix.class, ReadAll.class).timeout(Duration.ofSeconds(60)).run(ReadAll.class, file.toString());
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).startsWith("Dataset[20000 rows, 100 features");
    }

    /** Runs in the small JVM of {@link #readHoldsTheRowsAsFloatsNotAsText}. */
    public static final class ReadAll {
        public static void main(String[] args) throws IOException {
            System.out.println(CsvReader.builder().label("label").build().read(Path.of(args[0])));
        }
    }
}
