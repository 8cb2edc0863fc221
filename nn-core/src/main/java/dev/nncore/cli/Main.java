package dev.nncore.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The entry point of {@code java -jar nn-core.jar} (the build writes {@code nn-core/target/nn-core.jar}): without
 * arguments, a list of the commands, one line each; the "no magic" XOR demo ({@code demo}, the place to start);
 * commands that summarise, dump,
 * run, explain and draw any model file {@link dev.nncore.keras.Keras#load(java.nio.file.Path)} or
 * {@link dev.nncore.onnx.Onnx#load(java.nio.file.Path)} reads, and
 * {@code train} and {@code evaluate} on a CSV file.
 *
 * <pre>
 * java -jar nn-core/target/nn-core.jar demo
 * java -jar nn-core/target/nn-core.jar explain model.keras --input 1,0 --digits 2
 * </pre>
 *
 * <p>Exit status: {@value #EXIT_OK} success; {@value #EXIT_FAILURE} a file could not be read, parsed, used or
 * written; {@value #EXIT_USAGE} a usage error (BSD sysexits {@code EX_USAGE}); {@value #EXIT_INTERNAL} an internal
 * error ({@code EX_SOFTWARE}). Errors are one line on stderr (a usage error adds a line with a hint);
 * {@code --verbose} adds the stack trace.
 */
public final class Main {

    /** Success. */
    static final int EXIT_OK = 0;
    /** A file could not be read, parsed, used or written. */
    static final int EXIT_FAILURE = 1;
    /** A command-line mistake, as BSD's sysexits {@code EX_USAGE}. */
    static final int EXIT_USAGE = 64;
    /** A bug in nn-core, as BSD's sysexits {@code EX_SOFTWARE}. */
    static final int EXIT_INTERNAL = 70;

    private static final String JAR = "java -jar nn-core.jar";

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("demo", """
                    Usage: %1$s demo [-o DIR]

                    The XOR story of the "no magic" video, end to end: trains the video's 2-2-1 ReLU network with
                    backprop from a fixed seed, prints its summary, dumps the weights layer by layer as the video's
                    program does, shows the four XOR outputs, works out input (1, 0) neuron by neuron, writes
                    xor.svg (the network with its weights) and xor-loss.svg (the training loss), and works through
                    the video's own hand-rounded network (0, 1.2, 0.96).

                    Options:
                      -o, --output DIR   where to write xor.svg and xor-loss.svg (default: the current directory)
                    """),
            Map.entry("summary", """
                    Usage: %1$s summary MODEL [--architecture model.json]

                    Layers, output shapes and parameter counts, as Keras's model.summary().

                    Options:
                      --architecture FILE   the model.to_json() architecture of a weights-only .h5 MODEL
                    """),
            Map.entry("weights", """
                    Usage: %1$s weights MODEL [--architecture model.json]

                    Every bias and weight, layer by layer, in the video's dump format: layers count from 1 in the
                    model's order (every layer, as in summary) with layer 0 the input, neurons from 0. For a Dense
                    layer, "0B -> L1N0: b" is the bias of neuron 0 of layer 1 and "L0N1 -> L1N0 = w" the weight from
                    input 1 to that neuron. Other layers' weights go by their Keras names,
                    "L2 batch_normalization gamma[0] = 1.0", and a layer without weights is one line,
                    "L3 dropout (Dropout): no weights". Values are exact float32. A graph's layers come in the
                    order Keras lists them (model.layers), a shared layer once.
                    --architecture FILE gives the model.to_json() architecture of a weights-only .h5 MODEL.
                    """),
            Map.entry("predict", """
                    Usage: %1$s predict MODEL --input 1,0 [--digits N]
                           %1$s predict MODEL --input wide=1,2,3 --input deep=4,5 [--digits N]
                           %1$s predict MODEL --csv rows.csv [--digits N]

                    The network's output: one line of comma-separated values per sample. A model of several
                    outputs prints each by name ("main_output: 0.83"); with --csv, a header line of the output
                    names, then every output side by side on each row.

                    Options:
                      --input V,V,...   one sample, its values separated by commas; for a model of several
                                        inputs, --input NAME=V,V,... once per input (or all values side by side)
                      --csv FILE        one sample per line, values separated by commas (UTF-8). A first line that
                                        is not all numbers is a header and is skipped; blank lines and lines starting
                                        with # are skipped. For a model of several inputs, each row holds every
                                        input side by side: its columns are split in the order of the model's inputs
                                        (Keras's model.input_names), each as wide as its input.
                      --digits N        round outputs to N digits after the point (default: exact float32)
                      --architecture FILE  the model.to_json() architecture of a weights-only .h5 MODEL
                    """),
            Map.entry("explain", """
                    Usage: %1$s explain MODEL --input 1,0 [--digits N]
                           %1$s explain MODEL --input NAME=V,V,... --input NAME=V,V,... (a model of several inputs)

                    The forward pass for one input, neuron by neuron, as worked out by hand:
                      h1[0] = relu(0 x 1.3 + 1 x 1.3 + (-1.3)) = relu(0) = 0
                      h2[0] = (3 - 1) / sqrt(4 + 0.001) x 0.5 + 0.1 = 3 x 0.24996875 + (-0.14996876) = 0.5999375
                    x[i] is the input, h<l>[j] the values of layer l (layers counted from 1, every layer as in
                    summary), z<l>[j] a Dense layer's weighted sums, y the output. Each layer is shown in its own
                    terms (BatchNormalization, softmax, ...); Dropout and Flatten are one line each.

                    Options:
                      --input V,V,...   the sample to explain
                      --digits N        round numbers to N digits after the point for reading, and say what
                                        rounding the weights would cost (default: exact float32)
                    """),
            Map.entry("diagram", """
                    Usage: %1$s diagram MODEL [-o FILE] [--input V,V,... | --input NAME=V,V,... ...] [--format svg|dot]
                                   [--digits N] [--max-edges N]

                    A picture of the network: neurons in columns, a bias node before each Dense layer, each weight on
                    its edge; layers without weights (BatchNormalization, activations, ...) joined one to one by grey
                    edges, Dropout and Flatten layers as a labelled dashed line. With --input, each neuron shows its
                    value. Layers of more than 10 neurons show their first 6 and last 3; above --max-edges only the
                    largest weights are drawn.

                    Options:
                      -o, --output FILE   where to write it (default: standard output)
                      --input V,V,...     show each neuron's value for this sample
                      --format svg|dot    SVG (default) or Graphviz DOT (the default for a .dot or .gv FILE)
                      --digits N          digits after the point for weights and values (default 2)
                      --max-edges N       the most edges drawn (default 200)
                    """),
            Map.entry("train", """
                    Usage: %1$s train DATA.csv --label COLUMN [options]

                    Trains a dense network on a CSV file and saves it as a Keras .keras file. The first line of the
                    CSV names the columns (RFC 4180 quoting, UTF-8 with or without BOM); --label is the column to
                    predict, every other column is a numeric feature. Prints one line per epoch (loss and accuracy,
                    and their val_ forms), then the validation loss and metrics. Writes MODEL, MODEL-loss.svg (the
                    loss per epoch) and, for classes, MODEL-classes.txt (the class names in output order, which
                    evaluate reads). A bad row is an error naming its line and column.

                    The network: a Normalization layer adapted to the training rows (unless --no-normalize), so the
                    saved model takes raw features, then the Dense layers of --layers. Classes are the label's
                    distinct values in sorted order (numerically if all are numbers).

                    Options:
                      --label COLUMN          the column to predict (required)
                      --layers U:ACT,...      Dense layers in order, e.g. 16:relu,3:softmax (default: 16:relu, then
                                              one unit per class with softmax, or 1 sigmoid / 1 linear unit as the
                                              loss needs)
                      --loss NAME             sparse_categorical_crossentropy (default), categorical_crossentropy,
                                              binary_crossentropy (two classes), mean_squared_error or
                                              mean_absolute_error (numeric label). nn-core has no sparse loss: the
                                              labels are one-hot encoded and categorical cross-entropy used, which
                                              gives the same numbers.
                      --epochs N              default 100
                      --batch-size N          default 32
                      --learning-rate R       Adam's learning rate, default 0.01
                      --validation F          the share of rows held out for validation, stratified by class
                                              (shuffled for a numeric label); default 0.2, 0 for none
                      --seed N                for the split, the initial weights and the shuffles; default 42
                      --delimiter C           the field separator, default a comma; "tab" for tabs
                      --no-normalize          no Normalization layer
                      -o, --output FILE       the model file, default model.keras
                    """),
            Map.entry("evaluate", """
                    Usage: %1$s evaluate MODEL DATA.csv --label COLUMN [--loss NAME] [--delimiter C]

                    The model's loss and metrics on a labelled CSV file, as Keras's model.evaluate: for classes,
                    accuracy and macro F1, then the confusion matrix (true classes down, predicted across) and
                    scikit-learn's classification report; for a numeric label, mae, root_mean_squared_error and
                    r2_score. The class names and their order come from MODEL-classes.txt beside the model (written
                    by train), else from the label's sorted values.

                    Options:
                      --label COLUMN   the column holding the true values (required)
                      --loss NAME      as for train; default sparse_categorical_crossentropy for a model with
                                       several outputs, binary_crossentropy for one output with a classes file,
                                       mean_squared_error otherwise
                      --delimiter C    the field separator, default a comma; "tab" for tabs
                    """),
            Map.entry("info", """
                    Usage: %1$s info

                    Versions and the matrix kernel in use.
                    """),
            Map.entry("version", """
                    Usage: %1$s version   (or --version)

                    The version of nn-core.
                    """),
            Map.entry("help", """
                    Usage: %1$s help [COMMAND]   (or COMMAND --help)

                    The full usage: every command, what MODEL may be, and the exit statuses; with COMMAND, that
                    command's usage and options.
                    """));

    private Main() {
    }

    /**
     * Runs a command and exits with its status.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs a command, writing to the given streams; what {@link #main} does, without exiting.
     *
     * @param args the command and its arguments
     * @param out where results go
     * @param err where errors go
     * @return the exit status: {@value #EXIT_OK}, {@value #EXIT_FAILURE}, {@value #EXIT_USAGE} or {@value #EXIT_INTERNAL}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean verbose = rest.remove("--verbose");
        if (rest.isEmpty()) {
            out.print(shortUsage());
            return EXIT_OK;
        }
        String command = rest.remove(0);
        boolean help = rest.contains("--help") || rest.contains("-h");
        try {
            if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
                if (rest.isEmpty()) {
                    out.print(usage());
                    return EXIT_OK;
                }
                String topic = rest.get(0).equals("--help") || rest.get(0).equals("-h") ? "help" : rest.get(0);
                return printHelp(topic, out, err);
            }
            if (command.equals("--version")) {
                command = "version";
            }
            if (help && HELP.containsKey(command)) {
                return printHelp(command, out, err);
            }
            switch (command) {
                case "demo" -> {
                    Arguments arguments = Arguments.parse(command, rest, Set.of("--output"));
                    arguments.noPositionals();
                    String directory = arguments.option("--output");
                    XorDemo.run(out, Path.of(directory == null ? "." : directory).normalize());
                }
                case "version" -> {
                    Arguments.parse(command, rest, Set.of()).noPositionals();
                    out.println("nn-core " + version());
                }
                case "info" -> {
                    Arguments.parse(command, rest, Set.of()).noPositionals();
                    info(out);
                }
                case "train" -> {
                    boolean normalize = !rest.remove(DataCommands.NO_NORMALIZE);
                    DataCommands.train(Arguments.parse(command, rest, DataCommands.TRAIN_OPTIONS), normalize, out);
                }
                case "evaluate" -> DataCommands.evaluate(Arguments.parse(command, rest, DataCommands.EVALUATE_OPTIONS), out);
                case "summary" -> ModelCommands.summary(Arguments.parse(command, rest, ModelCommands.MODEL_OPTIONS), out);
                case "weights" -> ModelCommands.weights(Arguments.parse(command, rest, ModelCommands.MODEL_OPTIONS), out);
                case "predict" -> ModelCommands.predict(Arguments.parse(command, rest, ModelCommands.PREDICT_OPTIONS,
                        ModelCommands.PREDICT_REPEATABLE), out);
                case "explain" -> ModelCommands.explain(Arguments.parse(command, rest, ModelCommands.EXPLAIN_OPTIONS,
                        ModelCommands.PREDICT_REPEATABLE), out);
                case "diagram" -> ModelCommands.diagram(Arguments.parse(command, rest, ModelCommands.DIAGRAM_OPTIONS,
                        ModelCommands.PREDICT_REPEATABLE), out);
                default -> {
                    return unknownCommand(command, err);
                }
            }
            return EXIT_OK;
        } catch (UsageException e) {
            err.println("nn-core " + command + ": " + e.getMessage());
            err.println("Run '" + JAR + " " + command + " --help' for its usage.");
            return EXIT_USAGE;
        } catch (CommandFailedException e) {
            err.println("nn-core " + command + ": " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return EXIT_FAILURE;
        } catch (RuntimeException | Error e) {
            err.println("nn-core " + command + ": internal error: " + e
                    + (verbose ? "" : " (run again with --verbose for the stack trace, and please report it)"));
            if (verbose) {
                e.printStackTrace(err);
            }
            return EXIT_INTERNAL;
        }
    }

    private static int printHelp(String command, PrintStream out, PrintStream err) {
        String text = HELP.get(command);
        if (text == null) {
            return unknownCommand(command, err);
        }
        out.print(String.format(text, JAR));
        return EXIT_OK;
    }

    /** A usage error is one line and one hint, as every other command's: the usage itself is one command away. */
    private static int unknownCommand(String command, PrintStream err) {
        err.println("nn-core: unknown command '" + command + "'; the commands are " + String.join(", ", COMMANDS)
                + ".");
        err.println("Run '" + JAR + " help' for their usage.");
        return EXIT_USAGE;
    }

    private static void info(PrintStream out) {
        out.println("nn-core " + version());
        out.println("Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " processors");
        String kernel = dev.nncore.math.MatrixOps.kernelName();
        String hint = kernel.startsWith("Vector") ? ""
                : kernel.contains("separate") ? " (fused multiply-add is slow on this JVM, so the faster kernels are off)"
                : " (java --add-modules jdk.incubator.vector ... turns on the Vector API kernel)";
        out.println("matrix kernel: " + kernel + hint);
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    /** The commands in the order the usage lists them. */
    private static final List<String> COMMANDS = List.of("demo", "summary", "weights", "predict", "explain", "diagram",
            "train", "evaluate", "info", "version", "help");

    /** One line per command, the same in the short usage and the full one. */
    private static final String COMMAND_LINES = """
              demo [-o DIR]                    start here: train the XOR network, explain it, write xor.svg
              summary MODEL                    layers, output shapes and parameter counts (Keras's model.summary())
              weights MODEL                    every bias and weight, layer by layer, in the video's dump format
              predict MODEL --input 1,0        the output for one sample (--csv rows.csv: one line per row)
              explain MODEL --input 1,0        the forward pass neuron by neuron, as worked out by hand
              diagram MODEL -o net.svg         a picture of the network with its weights (SVG or Graphviz DOT)
              train DATA.csv --label COL       train a network on a CSV file and save it (-o model.keras)
              evaluate MODEL DATA.csv --label COL  loss, metrics, confusion matrix and report on a CSV file
              info                             versions and the matrix kernel in use
              version                          the version (also: --version)
              help [COMMAND]                   the full usage, or a command's (also: COMMAND --help)
            """;

    /** What the jar prints when run without arguments. */
    static String shortUsage() {
        return "Usage: " + JAR + " <command> [arguments] [--verbose]\n\nCommands:\n" + COMMAND_LINES;
    }

    static String usage() {
        return "Usage: " + JAR + " <command> [arguments] [--verbose]\n\nCommands:\n" + COMMAND_LINES + """

                MODEL is any file Keras.load or Onnx.load reads: a Keras .keras or .h5 model, a TensorFlow.js
                model.json, or an ONNX .onnx model.

                Exit status: 0 success; 1 a file could not be read, parsed, used or written; 64 a usage error
                (unknown command or option, missing or bad value); 70 an internal error (please report it).
                Errors are one line on stderr, with a hint on a second line for a usage error; --verbose adds the
                stack trace.
                """;
    }
}
