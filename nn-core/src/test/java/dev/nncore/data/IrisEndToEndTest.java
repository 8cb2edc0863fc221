package dev.nncore.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.Normalization;
import dev.nncore.keras.Keras;
import dev.nncore.metrics.ClassificationReport;
import dev.nncore.metrics.ConfusionMatrix;
import dev.nncore.metrics.Evaluation;
import dev.nncore.metrics.Metric;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.Optimizer;
import dev.nncore.train.TrainingResult;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Iris from CSV to a saved model through the public API only: the README's "Train a classifier from a CSV file". */
class IrisEndToEndTest {

    @TempDir
    Path temp;

    static Path resource(String name) {
        try {
            return Path.of(IrisEndToEndTest.class.getResource("/data/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readmeExample() throws Exception {
        Path csv = resource("iris-species.csv");
        Path saved = temp.resolve("iris.keras");
        // ---- README.md, "Train a classifier from a CSV file", after its first line (the file names); checked below
        Dataset iris = CsvReader.builder().label("species").build().read(csv);
        Split split = Splits.stratified(iris, 0.2, 42);                 // 120 training rows, 30 test rows, 10 per class
        Network network = Network.builder(4)
                .normalization(split.train().features())                // Normalization.adapt on the training rows
                .dense(16, Activation.RELU)
                .dense(3, Activation.SOFTMAX)
                .seed(42)
                .build();
        TrainingResult result = BackpropTrainer.builder()
                .loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.adam(0.01))
                .epochs(100).batchSize(16).seed(42)
                .build()
                .fit(network, split.train().features(), split.train().targets());
        Network trained = result.network();
        Evaluation test = trained.evaluate(split.test().features(), split.test().targets(),
                Loss.CATEGORICAL_CROSSENTROPY, Metric.accuracy(), Metric.f1Score(Metric.Average.MACRO));
        ConfusionMatrix cm = ConfusionMatrix.of(split.test().targets(), trained.forward(split.test().features()))
                .withClassNames(iris.classNames());
        String report = ClassificationReport.of(cm).toString();         // scikit-learn's classification_report
        int[] classes = trained.predictClasses(split.test().features()); // iris.classNames().get(classes[0])
        Keras.save(trained, saved);
        // ----

        assertThat(iris.classNames()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(split.test().rows()).isEqualTo(30);
        assertThat(cm.support(0)).isEqualTo(10);
        assertThat(trained.layers().get(0)).isInstanceOf(Normalization.class);
        assertThat(test.get("accuracy")).isGreaterThanOrEqualTo(0.95);
        assertThat(test.toString()).startsWith("loss: ").contains(" - accuracy: ").contains(" - f1_score: ");
        assertThat(cm.accuracy()).isEqualTo(test.get("accuracy"));
        assertThat(report).contains("    setosa       1.00      1.00      1.00        10");
        Network reloaded = Keras.load(saved);
        assertThat(reloaded.forward(split.test().features())).isEqualTo(trained.forward(split.test().features()));
        assertThat(reloaded.predictClasses(split.test().features())).isEqualTo(classes);
    }

    @Test
    void readmeHoldsTheExampleAsTestedHere() throws Exception {
        String source = Files.readString(Path.of("src/test/java/dev/nncore/data/IrisEndToEndTest.java"));
        String tested = source.substring(source.indexOf("\n", source.indexOf("// ---- README.md")) + 1,
                source.indexOf("        // ----\n", source.indexOf("// ---- README.md")));
        String readme = Files.readString(Path.of("../README.md"));
        String block = readme.substring(readme.indexOf("Path csv = Path.of(\"iris.csv\"), saved = Path.of(\"iris.keras\");\n"));
        block = block.substring(block.indexOf('\n') + 1, block.indexOf("```"));
        assertThat(block).isEqualTo(tested.replaceAll("(?m)^        ", ""));
    }

    @Test
    void theScikitLearnLayoutReadsToTheSameRows() throws Exception {
        // iris.csv's first line is scikit-learn's "150,4,setosa,versicolor,virginica", its label the class index
        Dataset indexed = CsvReader.builder().labelIndex(4).build().read(resource("iris.csv"));
        Dataset named = CsvReader.builder().label("species").build().read(resource("iris-species.csv"));
        assertThat(indexed.features()).isEqualTo(named.features());
        assertThat(indexed.targets()).isEqualTo(named.targets());
        assertThat(indexed.classNames()).containsExactly("0", "1", "2");
    }
}
