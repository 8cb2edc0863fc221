package dev.nncore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Network;
import dev.nncore.Normalization;
import dev.nncore.data.CsvReader;
import dev.nncore.data.Dataset;
import dev.nncore.keras.Keras;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} and {@code evaluate} through {@link Main#run}: the README's two commands on iris, and errors. */
class DataCommandsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path temp;

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String iris() {
        try {
            return Path.of(DataCommandsTest.class.getResource("/data/iris-species.csv").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void trainThenEvaluateIris() throws Exception {
        String model = temp.resolve("iris.keras").toString();
        // the README's command, with the file names of this test
        int status = run("train", iris(), "--label", "species", "--layers", "16:relu,3:softmax",
                "--loss", "sparse_categorical_crossentropy", "--epochs", "100", "--validation", "0.2", "-o", model);
        assertThat(stderr()).isEmpty();
        assertThat(status).isZero();
        String log = stdout();
        assertThat(log).contains("Read " + iris() + ": 150 rows, 4 features, 3 classes [setosa, versicolor, virginica]")
                .contains("Training on 120 rows, validating on 30 (stratified, seed 42)")
                .contains("Network[4 -> Normalization")
                .contains("Epoch 1/100 - loss: ").contains(" - val_accuracy: ")
                .contains("Epoch 100/100 - loss: ")
                .contains("Validation: loss: ");
        assertThat(Files.readString(temp.resolve("iris-classes.txt"))).isEqualTo("setosa\nversicolor\nvirginica\n");
        assertThat(Files.readString(temp.resolve("iris-loss.svg"))).startsWith("<?xml").contains("<svg").contains("</svg>");

        Network saved = Keras.load(Path.of(model));
        assertThat(saved.layers().get(0)).isInstanceOf(Normalization.class);
        double validationAccuracy = Double.parseDouble(log.replaceAll("(?s).*Validation: loss: \\S+ - accuracy: (\\S+).*", "$1"));
        assertThat(validationAccuracy).isGreaterThanOrEqualTo(0.95);

        assertThat(run("evaluate", model, iris(), "--label", "species")).isZero();
        String evaluation = stdout();
        assertThat(evaluation).startsWith("150 rows of " + iris() + "\nloss: ")
                .contains(" - accuracy: ").contains(" - f1_score: ")
                .contains("true            setosa  versicolor   virginica")
                .contains("setosa              50           0           0")
                .contains("              precision    recall  f1-score   support");
        // evaluate's accuracy is the saved model's on all 150 rows, as the API computes it
        Dataset all = CsvReader.builder().label("species").build().read(Path.of(iris()));
        double accuracy = saved.evaluate(all.features(), all.targets(), dev.nncore.Loss.CATEGORICAL_CROSSENTROPY,
                dev.nncore.metrics.Metric.accuracy()).get("accuracy");
        assertThat(evaluation).contains(String.format(java.util.Locale.ROOT, " - accuracy: %.4f", accuracy));
        assertThat(accuracy).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void defaultsNeedOnlyTheDataAndTheLabel() throws Exception {
        Path model = temp.resolve("default.keras");
        assertThat(run("train", iris(), "--label", "species", "--epochs", "3", "--no-normalize", "-o", model.toString()))
                .isZero();
        Network saved = Keras.load(model);
        assertThat(saved.toString()).isEqualTo("Network[4 -> Dense(16, relu) -> Dense(3, softmax)]");
    }

    @Test
    void badRowsNameTheLineAndColumn() throws Exception {
        Path csv = temp.resolve("bad.csv");
        Files.writeString(csv, "a,b,label\n1,2,x\n3,oops,y\n");
        assertThat(run("train", csv.toString(), "--label", "label", "-o", temp.resolve("m.keras").toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("nn-core train: " + csv + ": line 3, column 2: (\"b\") 'oops' is not a number;"
                + " mark the column categorical or fix the value" + System.lineSeparator());
    }

    @Test
    void usageErrors() {
        assertThat(run("train", iris())).isEqualTo(64);
        assertThat(stderr()).startsWith("nn-core train: train needs --label, the column to predict, e.g. --label species");
        assertThat(run("train", iris(), "--label", "species", "--layers", "16:relu,2:softmax")).isEqualTo(64);
        assertThat(stderr()).startsWith("nn-core train: the last of --layers has 2 units but the data has 3 target columns"
                + " (3 classes); end with 3:softmax");
        assertThat(run("train", iris(), "--label", "species", "--layers", "16:relu,3:linear")).isEqualTo(64);
        assertThat(stderr()).isEqualTo("nn-core train: --layers ends in 3:linear, but categorical_crossentropy needs"
                + " probabilities; end with 3:softmax\nRun 'java -jar nn-core.jar train --help' for its usage.\n");
        assertThat(run("train", iris(), "--label", "species", "--loss", "hinge")).isEqualTo(64);
        assertThat(stderr()).startsWith("nn-core train: --loss 'hinge' is not a loss nn-core knows");
        assertThat(run("train", iris(), "--label", "kind")).isEqualTo(1);
        assertThat(stderr()).contains("no column named 'kind'; the header has [sepal_length, sepal_width, petal_length,"
                + " petal_width, species]");
        assertThat(run("evaluate", iris(), "--label", "species")).isEqualTo(64);
        assertThat(run("help", "train")).isZero();
        assertThat(stdout()).startsWith("Usage: java -jar nn-core.jar train DATA.csv --label COLUMN [options]");
    }

    @Test
    void regressionWithANumericLabel() throws Exception {
        // y = 2 a - b + 1 on a 9 x 9 grid: a linear network learns it; no classes file, mae/rmse/r2 instead
        StringBuilder csv = new StringBuilder("a;b;y\n");
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                csv.append(i).append(';').append(j).append(';').append(2 * i - j + 1).append('\n');
            }
        }
        Path data = temp.resolve("line.csv");
        Files.writeString(data, csv);
        String model = temp.resolve("line.keras").toString();
        assertThat(run("train", data.toString(), "--label", "y", "--loss", "mse", "--layers", "1", "--delimiter", ";",
                "--epochs", "300", "--learning-rate", "0.1", "--batch-size", "16", "-o", model)).isZero();
        assertThat(stdout()).contains("Read " + data + ": 81 rows, 2 features\n")
                .contains("Training on 65 rows, validating on 16 (shuffled, seed 42)")
                .contains("Wrote " + model + " and " + temp.resolve("line-loss.svg"));
        assertThat(Files.exists(temp.resolve("line-classes.txt"))).isFalse();
        assertThat(run("evaluate", model, data.toString(), "--label", "y", "--delimiter", ";")).isZero();
        String line = stdout().lines().skip(1).findFirst().orElseThrow();
        assertThat(line).startsWith("loss: ").contains(" - mae: ").contains(" - root_mean_squared_error: ");
        double r2 = Double.parseDouble(line.replaceAll(".* - r2_score: (\\S+).*", "$1"));
        assertThat(r2).isGreaterThan(0.999);
    }
}
