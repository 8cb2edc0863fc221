package dev.nncore.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.math.Matrix;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every example in dev.nncore.data's Javadoc, copied verbatim, so a stale example fails the build. */
class DataExamplesTest {

    private static Dataset iris() throws IOException {
        return CsvReader.builder().label("species").build().read(IrisEndToEndTest.resource("iris-species.csv"));
    }

    @Test
    void csvReader() {
        Dataset iris = CsvReader.builder()
                .label("species")                    // one-hot targets, class names sorted
                .build()
                .read(new StringReader("sepal_length,species\n5.1,setosa\n7.0,versicolor\n"));
        iris.classNames();   // [setosa, versicolor]
        iris.targets();      // [[1, 0], [0, 1]]

        assertThat(iris.classNames()).containsExactly("setosa", "versicolor");
        assertThat(iris.targets()).isEqualTo(Matrix.of(new float[][] {{1, 0}, {0, 1}}));
    }

    @Test
    void csvRecord() {
        CsvRecord record = CsvReader.builder().build().records(new StringReader("a,\"b,c\"\n")).findFirst().get();
        record.fields();   // [a, b,c]
        record.line();     // 1

        assertThat(record.fields()).containsExactly("a", "b,c");
        assertThat(record.line()).isEqualTo(1);
    }

    @Test
    void csvFormatException() {
        long line = 0;
        int column = 0;
        try {
            CsvReader.builder().label("y").build().read(new StringReader("x,y\n1,a\nb,2\n"));
        } catch (CsvFormatException e) {
            e.line();   // 3
            e.column(); // 1, the "x" column
            line = e.line();
            column = e.column();
        }
        assertThat(line).isEqualTo(3);
        assertThat(column).isEqualTo(1);
    }

    @Test
    void dataset() {
        Dataset data = Dataset.of(new float[][] {{0.1f, 2}, {0.3f, 1}, {0.2f, 0}}, new float[][] {{1, 0}, {0, 1}, {1, 0}});
        data.rows();            // 3
        data.classIndices();    // {0, 1, 0}
        Dataset first = data.select(new int[] {0, 1});   // rows 0 and 1

        assertThat(data.rows()).isEqualTo(3);
        assertThat(data.classIndices()).containsExactly(0, 1, 0);
        assertThat(first.features()).isEqualTo(Matrix.of(new float[][] {{0.1f, 2}, {0.3f, 1}}));
        assertThat(data.featureNames()).containsExactly("x0", "x1");
    }

    @Test
    void splitAndSplits() throws IOException {
        Dataset data = iris();
        Split split = Splits.stratified(data, 0.2, 42);
        boolean everyRow = split.train().rows() + split.test().rows() == data.rows();   // true
        int[] held = split.testRows();                                                // indices into data
        assertThat(everyRow).isTrue();
        assertThat(split.test().features().getRow(0)).isEqualTo(data.features().getRow(held[0]));

        Dataset iris = data;
        Split split2 = Splits.stratified(iris, 0.2, 42);          // 120 training rows, 30 test rows, 10 of each class
        List<Split> folds = Splits.stratifiedKFold(iris, 5, 42);  // five splits; each row is tested once
        assertThat(split2.train().rows()).isEqualTo(120);
        assertThat(split2.test().classIndices()).containsOnly(0, 1, 2).hasSize(30);
        assertThat(folds).hasSize(5).allSatisfy(f -> assertThat(f.testRows()).hasSize(30));
    }

    @Test
    void packageInfo() throws IOException {
        Path irisCsv = IrisEndToEndTest.resource("iris-species.csv");   // Path.of("iris.csv") in the example
        Dataset data = CsvReader.builder().label("species").build().read(irisCsv);
        Split split = Splits.stratified(data, 0.2, 42);
        assertThat(split.test().rows()).isEqualTo(30);
    }

    @Test
    void csvBatches() throws Exception {
        java.nio.file.Path csv = java.nio.file.Path.of(DataExamplesTest.class.getResource("/data/iris-species.csv").toURI());
        CsvBatches batches = CsvReader.builder().label("species").build().batches(csv, 256);     // csv: a Path
        dev.nncore.Network network = dev.nncore.Network.builder(batches.featureNames().size()).dense(16, dev.nncore.Activation.RELU)
                .dense(batches.classNames().size(), dev.nncore.Activation.SOFTMAX).build();
        dev.nncore.train.TrainingResult result = dev.nncore.train.BackpropTrainer.builder()
                .loss(dev.nncore.Loss.CATEGORICAL_CROSSENTROPY).epochs(5).build()
                .fit(network, batches);

        assertThat(batches.rows()).isEqualTo(150);
        assertThat(batches.classNames()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(result.history().loss()).hasSize(5);
    }

    @Test
    void batchSource() {
        dev.nncore.train.BatchSource batches = dev.nncore.train.BatchSource.of(dev.nncore.math.Matrix.column(0, 1, 2, 3),
                dev.nncore.math.Matrix.column(5, 7, 9, 11), 2);
        dev.nncore.train.TrainingResult result = dev.nncore.train.BackpropTrainer.builder()
                .loss(dev.nncore.Loss.MEAN_SQUARED_ERROR).epochs(3).build()
                .fit(dev.nncore.Network.builder(1).dense(1, dev.nncore.Activation.LINEAR).seed(1).build(), batches);

        assertThat(result.history().loss()).hasSize(3);
        assertThat(result.history().loss().get(2)).isLessThan(result.history().loss().get(0));
    }

    @Test
    void batchSourceOfRows() {
        dev.nncore.train.BatchSource rows = dev.nncore.train.BatchSource.ofRows(() -> java.util.stream.IntStream.range(0, 100).mapToObj(i -> new float[] {i, 2 * i}), 1, 32);
        java.util.Iterator<dev.nncore.train.BatchSource.Batch> epoch = rows.open();
        dev.nncore.train.BatchSource.Batch first = epoch.next();
        assertThat(first.x().rows()).isEqualTo(32);
        assertThat(first.y().get(31, 0)).isEqualTo(62f);
    }
}
