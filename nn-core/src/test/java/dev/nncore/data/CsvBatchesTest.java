package dev.nncore.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import dev.nncore.testing.ChildJvm;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.BatchSource;
import dev.nncore.train.FiniteDifferenceTrainer;
import dev.nncore.train.Optimizer;
import dev.nncore.train.TrainingResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training from a file batch by batch: the batches encode the rows exactly as {@code CsvReader.read} does, a fit on
 * them equals the in-memory fit in the same order bit for bit, and a file larger than the JVM's heap trains.
 */
class CsvBatchesTest {

    private static final String CSV = String.join("\n",
            "a,color,b,label",
            "1.5,red,2,cat",
            "NA,blue,-1,dog",
            "0.25,red,,bird",
            "3,green,4.5,dog",
            "-2,blue,1,cat",
            "") + "\n";

    @TempDir
    Path temp;

    @Test
    void batchesEncodeTheRowsExactlyAsReadDoes() throws IOException {
        Path file = Files.writeString(temp.resolve("mixed.csv"), CSV);
        for (CsvReader.Targets targets : CsvReader.Targets.values()) {
            CsvReader.Builder builder = CsvReader.builder().categorical("color").missing(CsvReader.Missing.MEAN).targets(targets);
            CsvReader reader = targets == CsvReader.Targets.NUMBER
                    ? builder.label("b").categorical("color", "label").missing(CsvReader.Missing.ZERO).build()
                    : builder.label("label").build();
            if (targets == CsvReader.Targets.NUMBER) {
                Files.writeString(file, CSV.replace(",,bird", ",7,bird"));
            }
            Dataset whole = reader.read(file);
            for (int batchSize : new int[] {1, 2, 3, 100}) {
                CsvBatches batches = reader.batches(file, batchSize);
                assertThat(batches.rows()).isEqualTo(5);
                assertThat(batches.featureNames()).isEqualTo(whole.featureNames());
                assertThat(batches.classNames()).isEqualTo(whole.classNames());
                List<float[]> x = new ArrayList<>();
                List<float[]> y = new ArrayList<>();
                for (int epoch = 0; epoch < 2; epoch++) {
                    x.clear();
                    y.clear();
                    for (Iterator<BatchSource.Batch> it = batches.open(); it.hasNext(); ) {
                        BatchSource.Batch batch = it.next();
                        assertThat(batch.x().rows()).isLessThanOrEqualTo(batchSize);
                        x.addAll(List.of(batch.x().toArray()));
                        y.addAll(List.of(batch.y().toArray()));
                    }
                    assertThat(Matrix.of(x.toArray(float[][]::new))).as(targets + " features").isEqualTo(whole.features());
                    assertThat(Matrix.of(y.toArray(float[][]::new))).as(targets + " targets").isEqualTo(whole.targets());
                }
            }
        }
    }

    @Test
    void aBadRowIsReportedWhenTheSourceIsMadeNotHalfWayThroughAnEpoch() throws IOException {
        Path file = Files.writeString(temp.resolve("bad.csv"), "x,y\n1,a\n2,b\nthree,a\n");
        assertThatThrownBy(() -> CsvReader.builder().label("y").build().batches(file, 2))
                .isInstanceOf(CsvFormatException.class).hasMessageContaining("line 4, column 1");
        Path ragged = Files.writeString(temp.resolve("ragged.csv"), "x,y\n1,a\n2\n");
        assertThatThrownBy(() -> CsvReader.builder().label("y").build().batches(ragged, 2))
                .isInstanceOf(CsvFormatException.class).hasMessageContaining("line 3");
    }

    /** The loop is the same: file order, same batches, same seed, so the same bits as the in-memory fit without shuffle. */
    @Test
    void fitOnBatchesEqualsFitOnTheRowsInTheSameOrder() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder text = new StringBuilder("u,v,w,label\n");
        for (int r = 0; r < 103; r++) {
            double u = random.nextDouble(-1, 1);
            double v = random.nextDouble(-1, 1);
            text.append((float) u).append(',').append((float) v).append(',').append((float) random.nextDouble())
                    .append(',').append(u + v > 0 ? "yes" : "no").append('\n');
        }
        Path file = Files.writeString(temp.resolve("train.csv"), text);
        CsvReader reader = CsvReader.builder().label("label").build();
        Dataset data = reader.read(file);
        Network start = Network.builder(3).dense(8, Activation.TANH).dropout(0.1).dense(2, Activation.SOFTMAX).seed(5).build();
        BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.adam(0.01))
                .epochs(4).batchSize(16).shuffle(false).seed(9)
                .validationData(data.features(), data.targets()).build();

        TrainingResult inMemory = trainer.fit(start, data.features(), data.targets());
        TrainingResult streamed = trainer.fit(start, reader.batches(file, 16));

        assertThat(streamed.network()).isEqualTo(inMemory.network());
        assertThat(streamed.history().loss()).isEqualTo(inMemory.history().loss());
        assertThat(streamed.history().validationLoss()).isEqualTo(inMemory.history().validationLoss());

        Network small = Network.builder(3).dense(2, Activation.SOFTMAX).seed(5).build();
        FiniteDifferenceTrainer fd = FiniteDifferenceTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).epochs(2)
                .batchSize(32).shuffle(false).build();
        assertThat(fd.fit(small, reader.batches(file, 32)).network()).isEqualTo(fd.fit(small, data.features(), data.targets()).network());
    }

    /** Rows from a stream made for each epoch: the same fit as from the matrices they hold. */
    @Test
    void aStreamOfRowsTrainsAsTheMatricesDo() {
        float[][] rows = new float[50][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[] {i / 50f, (i % 7) / 7f, i / 50f - (i % 7) / 7f};
        }
        Matrix x = Matrix.of(java.util.Arrays.stream(rows).map(r -> new float[] {r[0], r[1]}).toArray(float[][]::new));
        Matrix y = Matrix.of(java.util.Arrays.stream(rows).map(r -> new float[] {r[2]}).toArray(float[][]::new));
        Network network = Network.builder(2).dense(4, Activation.TANH).dense(1, Activation.LINEAR).seed(2).build();
        BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(3).batchSize(8).shuffle(false)
                .build();
        BatchSource stream = BatchSource.ofRows(() -> java.util.Arrays.stream(rows), 2, 8);
        assertThat(trainer.fit(network, stream).network()).isEqualTo(trainer.fit(network, x, y).network());
        assertThatThrownBy(() -> trainer.fit(network, BatchSource.ofRows(() -> java.util.stream.Stream.of(new float[] {1, 2}), 2, 8)))
                .hasMessage("row 0 has 2 values; expected 2 inputs and at least one target");
    }

    /** The in-memory source reads the matrices' rows where they are: its batches hold no copy of the data. */
    @Test
    void anInMemorySourcesBatchesShareTheRows() {
        float[][] x = {{1, 2}, {3, 4}, {5, 6}};
        Matrix y = Matrix.column(1, 2, 3);
        Iterator<BatchSource.Batch> batches = BatchSource.of(Matrix.wrap(x), y, 2).open();
        BatchSource.Batch first = batches.next();
        BatchSource.Batch last = batches.next();
        assertThat(batches.hasNext()).isFalse();
        assertThat(MatrixAccess.rows(first.x())[1]).isSameAs(x[1]);
        assertThat(MatrixAccess.rows(last.x())[0]).isSameAs(x[2]);
        assertThat(last.y()).isEqualTo(Matrix.column(3));
    }

    @Test
    void batchesAreCheckedAsTheyArrive() {
        Network network = Network.builder(2).dense(1, Activation.LINEAR).seed(1).build();
        BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(1).build();
        BatchSource wide = BatchSource.of(Matrix.of(new float[][] {{1, 2, 3}}), Matrix.column(1), 1);
        assertThatThrownBy(() -> trainer.fit(network, wide)).hasMessageStartingWith("batch 1 x has 3 columns but the network has 2 inputs");
        BatchSource nan = BatchSource.of(Matrix.of(new float[][] {{1, 2}, {Float.NaN, 0}}), Matrix.column(1, 2), 1);
        assertThatThrownBy(() -> trainer.fit(network, nan)).hasMessageStartingWith("batch 2 x has NaN at row 0, column 0");
        assertThatThrownBy(() -> BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).validationSplit(0.2).build()
                .fit(network, BatchSource.of(Matrix.of(new float[][] {{1, 2}}), Matrix.column(1), 1)))
                .hasMessageContaining("validationSplit needs the rows in memory");
    }

    /**
     * A CSV file of about 40 MB trains in a JVM of 32 MB of heap: the fit holds one batch at a time. The same rows
     * read into memory would need several times the heap (the text, then the floats).
     */
    @Test
    void aFileLargerThanTheHeapTrains() throws IOException, InterruptedException {
        Path file = temp.resolve("big.csv");
        SplittableRandom random = new SplittableRandom(11);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,label\n");
            StringBuilder row = new StringBuilder();
            for (int r = 0; r < 400_000; r++) {
                row.setLength(0);
                double sum = 0;
                for (int c = 0; c < 10; c++) {
                    float value = (float) random.nextDouble(-1, 1);
                    sum += value;
                    row.append(value).append(',');
                }
                row.append(sum > 0 ? 'p' : 'n').append('\n');
                out.write(row.toString());
            }
        }
        assertThat(Files.size(file)).isGreaterThan(32L << 20);
        ChildJvm.Result fit = ChildJvm.withOptions("-Xmx32m").run(StreamedFit.class, file.toString());
        assertThat(fit.exitCode()).as(fit.output()).isZero();
        String output = fit.output();
        assertThat(output).startsWith("trained on 400000 rows");
        double accuracy = Double.parseDouble(output.substring(output.lastIndexOf(' ') + 1).strip());
        assertThat(accuracy).as("training accuracy of a linearly separable rule").isGreaterThan(0.9);
    }

    /** Runs in the small JVM of {@link #aFileLargerThanTheHeapTrains}. */
    public static final class StreamedFit {
        public static void main(String[] args) throws IOException {
            CsvBatches batches = CsvReader.builder().label("label").build().batches(Path.of(args[0]), 256);
            Network network = Network.builder(10).dense(2, Activation.SOFTMAX).seed(1).build();
            TrainingResult result = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY)
                    .optimizer(Optimizer.adam(0.01)).epochs(1).build().fit(network, batches);
            System.out.println("trained on " + batches.rows() + " rows, accuracy " + result.history().accuracy().get(0));
        }
    }
}
