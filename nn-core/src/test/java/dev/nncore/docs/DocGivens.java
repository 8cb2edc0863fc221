package dev.nncore.docs;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.BatchNormalization;
import dev.nncore.Dense;
import dev.nncore.Dropout;
import dev.nncore.Network;
import dev.nncore.Loss;
import dev.nncore.data.CsvReader;
import dev.nncore.data.Dataset;
import dev.nncore.math.Matrix;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.Optimizer;
import dev.nncore.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The values an example may take as given, by name. An example whose first line is {@code // given: video, x}
 * starts with {@code Network video = DocGivens.video(); Matrix x = DocGivens.x();}. The names are the ones the
 * Javadoc and README.md use for them: each is described here once.
 */
public final class DocGivens {

    /** Name to declaration, in the order they are declared. */
    static final Map<String, String> DECLARATIONS = Map.ofEntries(
            Map.entry("video", "Network video = DocGivens.video();"),
            Map.entry("network", "Network network = DocGivens.network();"),
            Map.entry("x", "Matrix x = DocGivens.x();"),
            Map.entry("y", "Matrix y = DocGivens.y();"),
            Map.entry("trainer", "BackpropTrainer trainer = DocGivens.trainer();"),
            Map.entry("result", "TrainingResult result = DocGivens.result();"),
            Map.entry("iris", "Dataset iris = DocGivens.iris();"),
            Map.entry("data", "Dataset data = DocGivens.iris();"),
            Map.entry("csv", "Path csv = Path.of(\"iris.csv\");"),
            Map.entry("yTrue", "Matrix yTrue = DocGivens.yTrue();"),
            Map.entry("yPred", "Matrix yPred = DocGivens.yPred();"),
            Map.entry("kernel", "float[] kernel = {1, 2, 3, 4, 5, 6};"),
            Map.entry("model", "Network model = DocGivens.model();"),
            Map.entry("wide", "Matrix wide = DocGivens.wide();"),
            Map.entry("deep", "Matrix deep = DocGivens.deep();"),
            Map.entry("mainTargets", "Matrix mainTargets = DocGivens.mainTargets();"),
            Map.entry("auxTargets", "Matrix auxTargets = DocGivens.auxTargets();"),
            Map.entry("weights", "List<float[][]> weights = DocGivens.weights(DocGivens.model());"),
            Map.entry("backprop", "Backprop backprop = DocGivens.backprop();"),
            Map.entry("gradients", "List<float[][]> gradients = DocGivens.backprop().newGradients();"),
            Map.entry("rows", "float[][] rows = DocGivens.x().toArray();"),
            Map.entry("targets", "float[][] targets = DocGivens.y().toArray();"));

    private DocGivens() {
    }

    /** The network of the "no magic" video, with the weights as its diagram rounds them (0, 1.2, 0.96). */
    public static Network video() {
        return Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).build()
                .withWeights(List.of(
                        Matrix.of(new float[][] {{1.3f, 1.2f}, {1.3f, 1.2f}}), Matrix.row(-1.3f, 0),
                        Matrix.of(new float[][] {{-1.6f}, {0.8f}}), Matrix.row(0)));
    }

    /** Explanation's second example: Dense(relu) -> BatchNormalization -> Dropout -> Dense -> softmax, 2 inputs, 2 classes. */
    public static Network network() {
        return Network.of(
                Dense.of(new float[][] {{1, -1, 0.5f}, {2, 0.5f, -1}}, new float[] {0.5f, 0, 0.1f}, Activation.RELU),
                BatchNormalization.of(0.99, 0.001, new float[] {0.5f, 2, 1}, new float[] {0.1f, -0.2f, 0},
                        new float[] {1, 0.5f, -0.25f}, new float[] {4, 0.25f, 1}),
                Dropout.of(3, 0.2),
                Dense.of(new float[][] {{1, -1}, {0.5f, 0.25f}, {-1, 2}}, new float[] {0, 0.1f}, Activation.LINEAR),
                ActivationLayer.of(2, Activation.SOFTMAX));
    }

    /** Four rows of two features for {@link #network()}. */
    public static Matrix x() {
        return Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    }

    /** One-hot targets for {@link #x()}: XOR as two classes. */
    public static Matrix y() {
        return Matrix.of(new float[][] {{1, 0}, {0, 1}, {0, 1}, {1, 0}});
    }

    /** Categorical cross-entropy, Adam(0.01), 5 epochs, seed 1. */
    public static BackpropTrainer trainer() {
        return BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.adam(0.01))
                .epochs(5).seed(1).build();
    }

    /** {@link #trainer()} fitted on {@link #network()}, {@link #x()} and {@link #y()}. */
    public static TrainingResult result() {
        return trainer().fit(network(), x(), y());
    }

    /** {@code iris.csv} of the working directory (150 rows, label column {@code species}). */
    public static Dataset iris() throws IOException {
        return CsvReader.builder().label("species").build().read(Path.of("iris.csv"));
    }

    /** Metric's example: three one-hot rows. */
    public static Matrix yTrue() {
        return Matrix.of(new float[][] {{0, 1}, {1, 0}, {1, 0}});
    }

    /** Metric's example: three predicted rows for {@link #yTrue()}. */
    public static Matrix yPred() {
        return Matrix.of(new float[][] {{0.2f, 0.8f}, {0.6f, 0.4f}, {0.3f, 0.7f}});
    }

    /**
     * A wide &amp; deep graph: inputs {@code wide} (5 values) and {@code deep} (6), a Dense(8, relu) on {@code deep}
     * concatenated with {@code wide}, outputs {@code main} (Dense(1), linear) and {@code aux} (Dense(1, sigmoid) on
     * the hidden layer); seed 42.
     */
    public static Network model() {
        dev.nncore.Node wideInput = dev.nncore.Node.input("wide", 5);
        dev.nncore.Node deepInput = dev.nncore.Node.input("deep", 6);
        dev.nncore.Node hidden = deepInput.dense(8, Activation.RELU);
        dev.nncore.Node main = dev.nncore.Node.concatenate(wideInput, hidden).dense(1, Activation.LINEAR, "main");
        dev.nncore.Node aux = hidden.dense(1, Activation.SIGMOID, "aux");
        return Network.functional(List.of(wideInput, deepInput), List.of(main, aux), 42);
    }

    /** Two rows for {@link #model()}'s input {@code wide}. */
    public static Matrix wide() {
        return Matrix.of(new float[][] {{1, 2, 3, 4, 5}, {0, 1, 0, 1, 0}});
    }

    /** Two rows for {@link #model()}'s input {@code deep}. */
    public static Matrix deep() {
        return Matrix.of(new float[][] {{1, 2, 3, 4, 5, 6}, {-1, 0, 1, 0, -1, 0}});
    }

    /** Targets of {@link #model()}'s output {@code main} for the two rows. */
    public static Matrix mainTargets() {
        return Matrix.column(0.5f, -1);
    }

    /** Targets of {@link #model()}'s output {@code aux} for the two rows. */
    public static Matrix auxTargets() {
        return Matrix.column(1, 0);
    }

    /** A network's weights as arrays, in {@code getWeights()} order, for {@link dev.nncore.Backprop}. */
    public static List<float[][]> weights(Network network) {
        List<float[][]> weights = new java.util.ArrayList<>();
        for (Matrix weight : network.getWeights()) {
            weights.add(weight.toArray());
        }
        return weights;
    }

    /** A backprop run over {@link #network()} with categorical cross-entropy, {@link #x()} and {@link #y()} forwarded. */
    public static dev.nncore.Backprop backprop() {
        dev.nncore.Backprop run = dev.nncore.Backprop.of(network(), Loss.CATEGORICAL_CROSSENTROPY, weights(network()),
                new java.util.SplittableRandom(1));
        run.forward(x().toArray(), y().toArray(), true);
        return run;
    }
}
