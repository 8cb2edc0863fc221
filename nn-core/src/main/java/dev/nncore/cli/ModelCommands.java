package dev.nncore.cli;

import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.explain.NetworkDiagram;
import dev.nncore.internal.AtomicFiles;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.internal.RegularFiles;
import dev.nncore.keras.Keras;
import dev.nncore.keras.ModelFormatException;
import dev.nncore.onnx.Onnx;
import dev.nncore.keras.UnsupportedModelException;
import dev.nncore.math.Matrix;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The commands that read a model file: summary, weights, predict, explain, diagram. */
final class ModelCommands {

    private ModelCommands() {
    }

    static void summary(Arguments args, PrintStream out) throws UsageException, CommandFailedException {
        out.print(summaryText(load(args)));
    }

    /** What {@code summary} prints: Keras's table, then the {@code Network[...]} line. */
    static String summaryText(Network network) {
        return network.summary() + "\n" + network + "\n";
    }

    static void weights(Arguments args, PrintStream out) throws UsageException, CommandFailedException {
        out.print(weightDump(load(args)));
    }

    static void predict(Arguments args, PrintStream out) throws UsageException, CommandFailedException {
        args.model();
        if (args.has("--input") == args.has("--csv")) {
            throw new UsageException("predict needs either --input 1,0 (one sample) or --csv rows.csv (one sample per row);"
                    + " a model of several inputs takes --input NAME=1,0 once per input");
        }
        int digits = args.integer("--digits", -1, 0, 9);
        List<String> inputs = args.all("--input");
        for (String input : inputs) {
            if (!isNamed(input)) {
                Arguments.numbers("--input", input); // a malformed value is a usage error before the model is read
            }
        }
        Network network = load(args);
        float[][] rows;
        if (!inputs.isEmpty()) {
            rows = new float[][] {sampleOf(network, inputs)};
        } else {
            String csv = args.option("--csv");
            try {
                rows = CsvRows.parse(csv, readCsv(path(csv)), network.inputs());
            } catch (IllegalArgumentException e) {
                throw new CommandFailedException(e.getMessage(), e);
            } catch (IOException e) {
                throw new CommandFailedException("cannot read CSV file " + csv + ": " + describe(e), e);
            }
        }
        List<Matrix> outputs = network.forwardAll(split(network, rows));
        if (outputs.size() == 1) {
            for (int r = 0; r < rows.length; r++) {
                out.println(row(outputs.get(0).getRow(r), digits));
            }
        } else if (!inputs.isEmpty()) {
            for (int k = 0; k < outputs.size(); k++) {
                out.println(network.outputNames().get(k) + ": " + row(outputs.get(k).getRow(0), digits));
            }
        } else {
            out.println(outputHeader(network));
            for (int r = 0; r < rows.length; r++) {
                StringBuilder line = new StringBuilder();
                for (int k = 0; k < outputs.size(); k++) {
                    line.append(k == 0 ? "" : ",").append(row(outputs.get(k).getRow(r), digits));
                }
                out.println(line);
            }
        }
    }

    private static boolean isNamed(String input) {
        int equals = input.indexOf('=');
        return equals > 0 && !input.substring(0, equals).isBlank() && !Character.isDigit(input.strip().charAt(0))
                && input.charAt(0) != '-' && input.charAt(0) != '.';
    }

    /**
     * One sample of every input side by side, in {@link Network#inputNames()} order: from one {@code --input} of all
     * the values, or from one {@code --input name=values} per input.
     */
    private static float[] sampleOf(Network network, List<String> inputs) throws UsageException {
        List<String> names = network.inputNames();
        boolean named = inputs.stream().anyMatch(ModelCommands::isNamed);
        if (!named) {
            if (inputs.size() > 1 && names.size() == 1) {
                throw new UsageException("--input is given " + (inputs.size() == 2 ? "twice" : inputs.size() + " times")
                        + "; the model takes one input, " + network.inputs() + " values");
            }
            if (inputs.size() > 1) {
                throw new UsageException("--input is given " + inputs.size() + " times; give each input by name, e.g. "
                        + names.stream().map(name -> "--input " + name + "=...").collect(java.util.stream.Collectors.joining(" ")));
            }
            float[] values = Arguments.numbers("--input", inputs.get(0));
            if (values.length != network.inputs()) {
                throw new UsageException("--input has " + values.length + (values.length == 1 ? " value" : " values")
                        + " but the model takes " + network.inputs() + inputWidths(network) + " (" + network + ")");
            }
            return values;
        }
        java.util.Map<String, float[]> byName = new java.util.LinkedHashMap<>();
        for (String input : inputs) {
            if (!isNamed(input)) {
                throw new UsageException("--input '" + input + "' has no name; with several inputs give each as"
                        + " --input name=values (the model's inputs: " + names + ")");
            }
            int equals = input.indexOf('=');
            String name = input.substring(0, equals).strip();
            if (!names.contains(name)) {
                throw new UsageException("--input " + name + "=...: the model has no input \"" + name + "\"; its inputs"
                        + " are " + names);
            }
            if (byName.put(name, Arguments.numbers("--input " + name, input.substring(equals + 1))) != null) {
                throw new UsageException("--input " + name + " is given twice");
            }
        }
        float[] sample = new float[network.inputs()];
        int at = 0;
        for (int i = 0; i < names.size(); i++) {
            float[] values = byName.get(names.get(i));
            int width = width(network.inputShape(i));
            if (values == null) {
                throw new UsageException("no --input " + names.get(i) + "=... (" + width + " values); the model's inputs"
                        + " are " + names);
            }
            if (values.length != width) {
                throw new UsageException("--input " + names.get(i) + " has " + values.length
                        + (values.length == 1 ? " value" : " values") + " but the model's input \"" + names.get(i)
                        + "\" takes " + width);
            }
            System.arraycopy(values, 0, sample, at, width);
            at += width;
        }
        return sample;
    }

    private static int width(int[] shape) {
        int width = 1;
        for (int dimension : shape) {
            width *= dimension;
        }
        return width;
    }

    /** {@code " (wide: 5, deep: 6)"} for a model of several inputs; empty for one. */
    private static String inputWidths(Network network) {
        List<String> names = network.inputNames();
        if (names.size() == 1) {
            return "";
        }
        List<String> parts = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            parts.add(names.get(i) + ": " + width(network.inputShape(i)));
        }
        return " (" + String.join(", ", parts) + ", side by side)";
    }

    /**
     * Rows of all inputs side by side split into one matrix per input, in {@link Network#inputNames()} order, each as
     * wide as the model's input: the CSV columns of a model of several inputs.
     */
    static List<Matrix> split(Network network, float[][] rows) {
        if (network.inputNames().size() == 1) {
            return List.of(MatrixAccess.wrap(rows));   // the rows are the one input's, as parsed: no copy
        }
        List<Matrix> parts = new java.util.ArrayList<>();
        int at = 0;
        for (int i = 0; i < network.inputNames().size(); i++) {
            int width = width(network.inputShape(i));
            float[][] part = new float[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                part[r] = java.util.Arrays.copyOfRange(rows[r], at, at + width);
            }
            parts.add(MatrixAccess.wrap(part));   // built here: handed over, not copied again
            at += width;
        }
        return parts;
    }

    /** {@code main_output,aux_output}, or {@code probs[0],probs[1],aux} for outputs of several values. */
    private static String outputHeader(Network network) {
        List<String> columns = new java.util.ArrayList<>();
        for (int k = 0; k < network.outputNames().size(); k++) {
            String name = network.outputNames().get(k);
            int width = network.outputWidth(k);
            for (int j = 0; j < width; j++) {
                columns.add(width == 1 ? name : name + "[" + j + "]");
            }
        }
        return String.join(",", columns);
    }

    static void explain(Arguments args, PrintStream out) throws UsageException, CommandFailedException {
        String model = args.model();
        if (!args.has("--input")) {
            throw new UsageException("explain needs --input, the values to explain, e.g. --input 1,0");
        }
        List<String> inputs = checkedInputs(args);
        int digits = args.integer("--digits", -1, 0, 9);
        Network network = load(args);
        float[] input = sampleOf(network, inputs);
        checkInputWidth(network, input);
        out.print(explainText(network, input, digits));
    }

    /** The {@code --input} values, unnamed ones checked as numbers before any model is read. */
    private static List<String> checkedInputs(Arguments args) throws UsageException {
        List<String> inputs = args.all("--input");
        for (String input : inputs) {
            if (!isNamed(input)) {
                Arguments.numbers("--input", input);
            }
        }
        return inputs;
    }

    /** What {@code explain} prints: the explanation, exact, or rounded to {@code digits} (0 to 9). */
    static String explainText(Network network, float[] input, int digits) {
        return digits < 0 ? network.explain(input).toString() : network.explain(input).toString(digits);
    }

    static void diagram(Arguments args, PrintStream out) throws UsageException, CommandFailedException {
        String model = args.model();
        String output = args.option("--output");
        String format = args.option("--format");
        if (format == null) {
            format = output != null && (output.endsWith(".dot") || output.endsWith(".gv")) ? "dot" : "svg";
        }
        if (!format.equals("svg") && !format.equals("dot")) {
            throw new UsageException("--format must be svg or dot, got '" + format + "'");
        }
        List<String> inputs = args.has("--input") ? checkedInputs(args) : null;
        int digits = args.integer("--digits", 2, 0, 9);
        int maxEdges = args.integer("--max-edges", 200, 1, 1_000_000);
        if (output != null && !output.equals("-")) {
            checkWritable(output);
        }
        Network network = load(args);
        float[] input = inputs == null ? null : sampleOf(network, inputs);
        if (input != null) {
            checkInputWidth(network, input);
        }
        String text = diagramText(network, input, format, digits, maxEdges);
        if (output == null || output.equals("-")) {
            out.print(text);
            return;
        }
        write(output, text);
        out.println("Wrote " + output + " (" + format.toUpperCase(Locale.ROOT) + ", " + text.length() / 1024 + " KB)");
    }

    /** What {@code diagram} writes: SVG or DOT ({@code format}), with neuron values if {@code input} is not null. */
    static String diagramText(Network network, float[] input, String format, int digits, int maxEdges) {
        NetworkDiagram diagram = NetworkDiagram.of(network).withDigits(digits).withMaxEdges(maxEdges);
        if (input != null) {
            diagram = diagram.withInput(input);
        }
        return format.equals("svg") ? diagram.toSvg() : diagram.toDot();
    }

    static final Set<String> MODEL_OPTIONS = Set.of("--architecture");
    static final Set<String> PREDICT_OPTIONS = Set.of("--input", "--csv", "--digits", "--architecture");
    /** {@code predict --input wide=1,2 --input deep=3}: one per input of a graph. */
    static final Set<String> PREDICT_REPEATABLE = Set.of("--input");
    static final Set<String> EXPLAIN_OPTIONS = Set.of("--input", "--digits", "--architecture");
    static final Set<String> DIAGRAM_OPTIONS = Set.of("--output", "--input", "--format", "--digits", "--max-edges",
            "--architecture");

    /**
     * The command's MODEL; with {@code --architecture model.json}, MODEL is a weights-only HDF5 file
     * ({@code save_weights}) and the JSON of {@code model.to_json()} gives its architecture.
     */
    static Network load(Arguments args) throws UsageException, CommandFailedException {
        String model = args.model();
        String architecture = args.option("--architecture");
        if (architecture == null) {
            return load(model);
        }
        try {
            return Keras.load(path(architecture), path(model));
        } catch (UnsupportedModelException e) {
            throw new CommandFailedException("cannot use model " + model + " with architecture " + architecture + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new CommandFailedException("cannot read model " + model + " with architecture " + architecture + ": "
                    + describe(e), e);
        }
    }

    /**
     * Loads MODEL with {@link Onnx#load(Path)} if it is an ONNX model (by its {@code .onnx} name, or by its content when
     * {@link Keras#load(Path)} does not recognise it), else with {@link Keras#load(Path)}, turning each way it can fail
     * into a one-line message.
     */
    static Network load(String model) throws CommandFailedException {
        try {
            Path file = path(model);
            if (file.getFileName() != null && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
                return Onnx.load(file);
            }
            try {
                return Keras.load(file);
            } catch (ModelFormatException e) {
                if (looksLikeOnnx(file)) {
                    return Onnx.load(file);
                }
                throw e;
            }
        } catch (UnsupportedModelException e) {
            throw new CommandFailedException("cannot use model " + model + ": " + e.getMessage(), e);
        } catch (IOException e) {
            String hint = e instanceof ModelFormatException && e.getMessage().contains("weights only")
                    ? "; on the command line, give its architecture with --architecture model.json" : "";
            throw new CommandFailedException("cannot read model " + model + ": " + describe(e) + hint, e);
        }
    }

    /**
     * Refuses, before any work starts, an output file that cannot be written: its folder missing or not writable, or
     * the file itself a folder. Writing can still fail later (a full disk), but not for a reason known now.
     */
    static void checkWritable(String file) throws CommandFailedException {
        Path target = path(file);
        Path folder = target.toAbsolutePath().getParent();
        String reason = folder != null && !Files.isDirectory(folder) ? "no such directory"
                : folder != null && !Files.isWritable(folder) ? "permission denied"
                : Files.isDirectory(target)
                        ? file + (folder == null ? ": is the root directory, not a file" : ": is a directory, not a file")
                : null;
        if (reason != null) {
            throw new CommandFailedException("cannot write " + file + ": " + reason, null);
        }
    }

    static void write(String file, String text) throws CommandFailedException {
        try {
            Path target = path(file);
            if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
                throw new NoSuchFileException(target.getParent().toString(), null, "no such directory");
            }
            AtomicFiles.write(target, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CommandFailedException("cannot write " + file + ": " + describe(e), e);
        }
    }

    /** Whether a file Keras.load refused is an ONNX model after all; any trouble reading it says no. */
    private static boolean looksLikeOnnx(Path file) {
        try {
            return Files.isRegularFile(file) && Onnx.recognises(RegularFiles.read(file, Long.getLong("nncore.maxFileBytes", 1L << 30)));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A CSV file's text, at most {@link CsvRows#MAX_BYTES}; a directory, device, FIFO, empty file or bytes that are
     * not UTF-8 are refused.
     */
    private static String readCsv(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = RegularFiles.read(file, CsvRows.MAX_BYTES);
        } catch (RegularFiles.RefusedException e) {
            String why = e.getMessage().startsWith("over the limit") || e.getMessage().contains("bytes, over")
                    ? e.getMessage() + " (raise it with -Dnncore.maxCsvBytes)" : e.getMessage();
            throw new IOException(why, e);
        }
        return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    }

    static Path path(String name) throws CommandFailedException {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw new CommandFailedException("'" + name + "' is not a valid file name: " + e.getReason(), e);
        }
    }

    /** An I/O failure in words: Java's own messages for these are just the path. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException missing) {
            return missing.getReason() != null ? missing.getReason() : "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof MalformedInputException) {
            return "not UTF-8 text";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void checkInputWidth(Network network, float[] input) throws UsageException {
        if (input.length != network.inputs()) {
            throw new UsageException("--input has " + input.length + (input.length == 1 ? " value" : " values")
                    + " but the model takes " + network.inputs() + " (" + network + ")");
        }
    }

    private static String row(float[] values, int digits) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ",")
                    .append(digits < 0 ? Float.toString(values[i]) : String.format(Locale.ROOT, "%." + digits + "f", values[i]));
        }
        return text.toString();
    }

    /**
     * The video's dump, for each layer in turn, counting layers from 1 with layer 0 the input (as the explanation
     * does): a Dense layer's biases ({@code 0B -> L1N0: b}), then every weight ({@code L0N0 -> L1N0 = w}), neurons
     * counted from 0; any other layer's weights by their Keras names ({@code L2 batch_normalization gamma[0] = 1.0});
     * a layer without weights as one line ({@code L3 dropout (Dropout): no weights}).
     */
    static String weightDump(Network network) {
        StringBuilder text = new StringBuilder();
        List<Layer> layers = network.layers();
        for (int number = 1; number <= layers.size(); number++) {
            Layer layer = layers.get(number - 1);
            if (layer instanceof Dense dense) {
                denseDump(text, dense, number);
                continue;
            }
            List<String> names = layer.weightNames();
            if (names.isEmpty()) {
                text.append('L').append(number).append(' ').append(layer.name()).append(" (").append(layer.kerasClass())
                        .append("): no weights\n");
                continue;
            }
            List<Matrix> weights = layer.getWeights();
            for (int w = 0; w < names.size(); w++) {
                Matrix weight = weights.get(w);
                for (int r = 0; r < weight.rows(); r++) {
                    for (int c = 0; c < weight.cols(); c++) {
                        text.append('L').append(number).append(' ').append(layer.name()).append(' ').append(names.get(w))
                                .append(weight.rows() == 1 ? "" : "[" + r + "]").append('[').append(c).append("] = ")
                                .append(weight.get(r, c)).append('\n');
                    }
                }
            }
        }
        return text.toString();
    }

    private static void denseDump(StringBuilder text, Dense layer, int number) {
        Matrix kernel = layer.kernel();
        Matrix bias = layer.bias();
        if (layer.useBias()) {
            for (int to = 0; to < layer.units(); to++) {
                text.append(number - 1).append("B -> L").append(number).append('N').append(to).append(": ")
                        .append(bias.get(0, to)).append('\n');
            }
        }
        for (int from = 0; from < layer.inputs(); from++) {
            for (int to = 0; to < layer.units(); to++) {
                text.append('L').append(number - 1).append('N').append(from).append(" -> L").append(number)
                        .append('N').append(to).append(" = ").append(kernel.get(from, to)).append('\n');
            }
        }
    }
}
