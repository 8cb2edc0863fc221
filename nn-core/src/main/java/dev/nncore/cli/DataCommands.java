package dev.nncore.cli;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.data.CsvReader;
import dev.nncore.data.Dataset;
import dev.nncore.data.Split;
import dev.nncore.data.Splits;
import dev.nncore.explain.TrainingPlot;
import dev.nncore.keras.Keras;
import dev.nncore.metrics.ClassificationReport;
import dev.nncore.metrics.ConfusionMatrix;
import dev.nncore.metrics.Evaluation;
import dev.nncore.metrics.Metric;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.History;
import dev.nncore.train.Optimizer;
import dev.nncore.train.TrainingListener;
import dev.nncore.train.TrainingResult;
import dev.nncore.train.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The commands that read a CSV data file: train and evaluate. */
final class DataCommands {

    static final Set<String> TRAIN_OPTIONS = Set.of("--label", "--layers", "--loss", "--learning-rate", "--epochs",
            "--batch-size", "--validation", "--seed", "--delimiter", "--output");
    static final Set<String> EVALUATE_OPTIONS = Set.of("--label", "--loss", "--delimiter");
    static final String NO_NORMALIZE = "--no-normalize";
    static final String SPARSE_CCE = "sparse_categorical_crossentropy";

    private DataCommands() {
    }

    /** How the label column is read and which nn-core loss trains on it. */
    private record Task(Loss loss, CsvReader.Targets targets, boolean classes) {

        static Task of(String lossName) throws UsageException {
            String name = lossName.toLowerCase(Locale.ROOT);
            if (name.equals(SPARSE_CCE)) {
                // nn-core has no sparse loss: one-hot labels and categorical cross-entropy are the same numbers
                return new Task(Loss.CATEGORICAL_CROSSENTROPY, CsvReader.Targets.ONE_HOT, true);
            }
            Loss loss;
            try {
                loss = Loss.fromKerasName(name);
                if (!List.of(Loss.CATEGORICAL_CROSSENTROPY, Loss.BINARY_CROSSENTROPY, Loss.MEAN_SQUARED_ERROR,
                        Loss.MEAN_ABSOLUTE_ERROR).contains(loss)) {
                    throw new IllegalArgumentException("the command line trains with these losses only");
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException("--loss '" + lossName + "' is not a loss nn-core knows; use " + SPARSE_CCE
                        + ", categorical_crossentropy, binary_crossentropy, mean_squared_error or mean_absolute_error");
            }
            if (loss == Loss.CATEGORICAL_CROSSENTROPY) {
                return new Task(loss, CsvReader.Targets.ONE_HOT, true);
            }
            return loss == Loss.BINARY_CROSSENTROPY ? new Task(loss, CsvReader.Targets.INDEX, true)
                    : new Task(loss, CsvReader.Targets.NUMBER, false);
        }

        List<Metric> metrics() {
            return classes ? List.of(Metric.accuracy(), Metric.f1Score(Metric.Average.MACRO))
                    : List.of(Metric.meanAbsoluteError(), Metric.rootMeanSquaredError(), Metric.r2Score());
        }
    }

    static void train(Arguments args, boolean normalize, PrintStream out) throws UsageException, CommandFailedException {
        String data = args.data();
        String label = required(args, "--label", "train needs --label, the column to predict, e.g. --label species");
        Task task = Task.of(args.has("--loss") ? args.option("--loss") : SPARSE_CCE);
        int epochs = args.integer("--epochs", 100, 1, 1_000_000);
        int batchSize = args.integer("--batch-size", 32, 1, Integer.MAX_VALUE);
        double learningRate = args.decimal("--learning-rate", 0.01, 0, Double.MAX_VALUE);
        double validation = args.decimal("--validation", 0.2, 0, 0.9);
        long seed = args.integer("--seed", 42, 0, Integer.MAX_VALUE);
        String output = args.has("--output") ? args.option("--output") : "model.keras";
        List<String[]> layers = args.has("--layers") ? layers(args.option("--layers")) : null;
        ModelCommands.checkWritable(output);
        ModelCommands.checkWritable(sibling(output, "-loss.svg"));
        if (task.classes()) {
            ModelCommands.checkWritable(sibling(output, "-classes.txt"));
        }

        Dataset dataset = read(data, reader(args, label, task, null));
        out.println("Read " + data + ": " + dataset.rows() + " rows, " + dataset.features().cols() + " features"
                + (task.classes() ? ", " + dataset.classNames().size() + " classes " + dataset.classNames() : ""));
        if (task.loss() == Loss.BINARY_CROSSENTROPY && dataset.classNames().size() != 2) {
            throw new CommandFailedException("binary_crossentropy needs two classes in " + label + ", found "
                    + dataset.classNames().size() + " " + dataset.classNames() + "; use " + SPARSE_CCE, null);
        }
        Dataset train = dataset;
        Dataset held = null;
        if (validation > 0) {
            Split split;
            try {
                split = task.classes() ? Splits.stratified(dataset, validation, seed) : Splits.shuffled(dataset, validation, seed);
            } catch (IllegalArgumentException e) {
                throw new CommandFailedException("--validation " + validation + ": " + e.getMessage(), e);
            }
            train = split.train();
            held = split.test();
            out.println("Training on " + train.rows() + " rows, validating on " + held.rows() + " ("
                    + (task.classes() ? "stratified" : "shuffled") + ", seed " + seed + ")");
        }
        Network network = network(train, task, layers, normalize, seed);
        out.println(network);
        var trainer = BackpropTrainer.builder()
                .loss(task.loss())
                .optimizer(Optimizer.adam(learningRate))
                .epochs(epochs)
                .batchSize(batchSize)
                .seed(seed)
                .listener(epochLines(out));
        if (held != null) {
            trainer.validationData(held.features(), held.targets());
        }
        TrainingResult result = trainer.build().fit(network, train.features(), train.targets());
        Network trained = result.network();
        if (held != null) {
            out.println("Validation: " + trained.evaluate(held.features(), held.targets(), task.loss(),
                    task.metrics().toArray(Metric[]::new)));
        }
        Path model = ModelCommands.path(output);
        try {
            Keras.save(trained, model);
        } catch (IOException e) {
            throw new CommandFailedException("cannot write " + output + ": " + ModelCommands.describe(e), e);
        }
        String plot = sibling(output, "-loss.svg");
        ModelCommands.write(plot, TrainingPlot.of(result.history())
                .withTitle("Training loss (" + task.loss().kerasName() + ")").toSvg());
        String written = "Wrote " + output + " and " + plot;
        if (task.classes()) {
            String classes = sibling(output, "-classes.txt");
            ModelCommands.write(classes, String.join("\n", dataset.classNames()) + "\n");
            written = "Wrote " + output + ", " + classes + " (the class names, for evaluate) and " + plot;
        }
        out.println(written);
    }

    static void evaluate(Arguments args, PrintStream out) throws UsageException, CommandFailedException {
        List<String> files = args.positionals();
        if (files.size() != 2) {
            throw new UsageException("evaluate needs a MODEL file and a CSV data file, got " + files.size() + ": " + files);
        }
        String modelFile = files.get(0);
        String data = files.get(1);
        String label = required(args, "--label", "evaluate needs --label, the column holding the true values");
        Network network = ModelCommands.load(modelFile);
        List<String> classNames = readClasses(sibling(modelFile, "-classes.txt"));
        String lossName = args.has("--loss") ? args.option("--loss")
                : network.outputs() > 1 ? SPARSE_CCE
                : classNames != null ? "binary_crossentropy" : "mean_squared_error";
        Task task = Task.of(lossName);
        Dataset dataset = read(data, reader(args, label, task, classNames));
        if (dataset.features().cols() != network.inputs()) {
            throw new CommandFailedException(data + " has " + dataset.features().cols() + " feature columns "
                    + dataset.featureNames() + " but " + modelFile + " takes " + network.inputs() + " inputs", null);
        }
        if (dataset.targets().cols() != network.outputs()) {
            throw new CommandFailedException(data + " gives " + dataset.targets().cols() + " target columns"
                    + (task.classes() ? " (classes " + dataset.classNames() + ")" : "") + " but " + modelFile + " has "
                    + network.outputs() + " outputs", null);
        }
        Evaluation evaluation = network.evaluate(dataset.features(), dataset.targets(), task.loss(),
                task.metrics().toArray(Metric[]::new));
        out.println(dataset.rows() + " rows of " + data);
        out.println(evaluation);
        if (task.classes()) {
            ConfusionMatrix cm = ConfusionMatrix.of(dataset.targets(), network.forward(dataset.features()))
                    .withClassNames(dataset.classNames());
            out.println();
            out.print(cm);
            out.println();
            out.print(ClassificationReport.of(cm));
        }
    }

    private static CsvReader reader(Arguments args, String label, Task task, List<String> classNames)
            throws UsageException {
        CsvReader.Builder builder = CsvReader.builder().label(label).targets(task.targets());
        if (args.has("--delimiter")) {
            String delimiter = args.option("--delimiter");
            String value = delimiter.equals("\\t") || delimiter.equals("tab") ? "\t" : delimiter;
            if (value.length() != 1 || value.equals("\"")) {
                throw new UsageException("--delimiter must be one character (or tab), got '" + delimiter + "'");
            }
            builder.delimiter(value.charAt(0));
        }
        if (classNames != null) {
            builder.classNames(classNames);
        }
        return builder.build();
    }

    private static Dataset read(String file, CsvReader reader) throws CommandFailedException {
        try {
            return reader.read(ModelCommands.path(file));
        } catch (IOException e) {
            throw new CommandFailedException("cannot read " + file + ": " + ModelCommands.describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> readClasses(String file) throws CommandFailedException {
        Path path = ModelCommands.path(file);
        if (!Files.exists(path)) {
            return null;
        }
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(path)) {
                if (!line.isEmpty()) {
                    names.add(line);
                }
            }
            return names;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CommandFailedException("cannot read " + file + ": " + ModelCommands.describe(e), e);
        }
    }

    private static Network network(Dataset train, Task task, List<String[]> layers, boolean normalize, long seed)
            throws UsageException {
        int outputs = train.targets().cols();
        if (layers == null) {
            Activation last = task.loss() == Loss.CATEGORICAL_CROSSENTROPY ? Activation.SOFTMAX
                    : task.loss() == Loss.BINARY_CROSSENTROPY ? Activation.SIGMOID : Activation.LINEAR;
            layers = List.of(new String[] {"16", "relu"}, new String[] {Integer.toString(outputs), last.kerasName()});
        }
        Network.Builder builder = Network.builder(train.features().cols());
        if (normalize) {
            builder.normalization(train.features());
        }
        for (String[] layer : layers) {
            builder.dense(Integer.parseInt(layer[0]), activation(layer[1]));
        }
        int last = Integer.parseInt(layers.get(layers.size() - 1)[0]);
        if (last != outputs) {
            throw new UsageException("the last of --layers has " + last + " units but the data has " + outputs
                    + " target columns" + (task.classes() ? " (" + train.classNames().size() + " classes)" : "")
                    + "; end with " + outputs + ":" + (task.loss() == Loss.CATEGORICAL_CROSSENTROPY ? "softmax" : "..."));
        }
        Network network = builder.seed(seed).build();
        try {
            task.loss().checkOutputs(network);
        } catch (IllegalArgumentException e) {
            String[] end = layers.get(layers.size() - 1);
            throw new UsageException("--layers ends in " + end[0] + ":" + end[1] + ", but " + task.loss().kerasName()
                    + " needs probabilities; end with " + outputs + ":"
                    + (task.loss() == Loss.CATEGORICAL_CROSSENTROPY ? "softmax" : "sigmoid"));
        }
        return network;
    }

    private static Activation activation(String name) throws UsageException {
        try {
            return Activation.fromKerasName(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--layers: " + e.getMessage());
        }
    }

    /** {@code 16:relu,3:softmax} as {units, activation} pairs; an activation left out is linear. */
    static List<String[]> layers(String text) throws UsageException {
        List<String[]> layers = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String[] pieces = part.trim().split(":", -1);
            String activation = pieces.length > 1 ? pieces[1].trim() : "linear";
            try {
                int units = Integer.parseInt(pieces[0].trim());
                if (units < 1 || pieces.length > 2) {
                    throw new NumberFormatException();
                }
                activation(activation);
                layers.add(new String[] {Integer.toString(units), activation});
            } catch (NumberFormatException e) {
                throw new UsageException("--layers '" + text + "': '" + part + "' is not UNITS:ACTIVATION;"
                        + " write the Dense layers in order, e.g. --layers 16:relu,3:softmax");
            }
        }
        return layers;
    }

    private static String required(Arguments args, String option, String message) throws UsageException {
        if (!args.has(option)) {
            throw new UsageException(message);
        }
        return args.option(option);
    }

    /** {@code model.keras} to {@code model-loss.svg}: the file name without its extension, plus a suffix. */
    static String sibling(String file, String suffix) {
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        int dot = file.lastIndexOf('.');
        return (dot > slash + 1 ? file.substring(0, dot) : file) + suffix;
    }

    /** One line per epoch, in the form of Keras's {@code verbose=2}. */
    private static TrainingListener epochLines(PrintStream out) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, int epoch) {
                History history = run.history();
                StringBuilder line = new StringBuilder("Epoch " + (epoch + 1) + "/" + run.epochs());
                for (String name : history.metricNames()) {
                    List<Double> values = history.metric(name);
                    line.append(String.format(Locale.ROOT, " - %s: %.4f", name, values.get(values.size() - 1)));
                }
                out.println(line);
            }
        };
    }
}
