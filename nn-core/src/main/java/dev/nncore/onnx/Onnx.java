package dev.nncore.onnx;

import dev.nncore.Network;
import dev.nncore.internal.AtomicFiles;
import dev.nncore.internal.Checks;
import dev.nncore.keras.ModelFormatException;
import dev.nncore.keras.UnsupportedModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes ONNX models ({@code .onnx}) of dense networks, in pure Java: the files {@code torch.onnx.export}
 * writes for an MLP, and those nn-core writes for any ONNX runtime.
 *
 * <pre>{@code
 * Network network = Network.builder(4).dense(8, Activation.RELU).dense(3, Activation.SOFTMAX).seed(1).build();
 * Path file = Files.createTempFile("mlp", ".onnx");
 * Onnx.save(network, file);                         // opset 13: Gemm, Relu, Softmax
 * Network back = Onnx.load(file);                   // the same layers, names and weights
 * float[] p = back.forward(1f, 2f, 3f, 4f);         // bit for bit network.forward(1f, 2f, 3f, 4f)
 * }</pre>
 *
 * <p>The reader maps each operator onto nn-core's layers, and the graph onto a {@link Network}: a chain from one input
 * to one output comes out {@link Network#isSequential()}; other graphs come out as {@link Network#functional} graphs,
 * with the ONNX graph's inputs as named inputs ({@link Network#inputNames()}), a tensor read by several operators as
 * a fork, and, when there are several graph outputs, each output's layer named after it ({@link
 * Network#outputNames()}). Operators: {@code Gemm} ({@code alpha}, {@code beta}, {@code transB}), {@code MatMul} +
 * {@code Add}, {@code Relu}, {@code LeakyRelu}, {@code PRelu}, {@code Elu}, {@code Celu} (alpha 1), {@code Selu}
 * (standard constants), {@code Sigmoid}, {@code HardSigmoid} ((0.2, 0.5) and (1/6, 0.5)), {@code HardSwish},
 * {@code Tanh}, {@code Softplus}, {@code Softsign}, {@code Exp}, {@code Gelu}, {@code Mish}, the elementwise forms
 * exporters write for GELU (with {@code Erf}), SiLU and Mish, {@code Softmax} and {@code LogSoftmax} over each sample
 * (with the axis rules of opsets before and from 13), {@code Clip(0, max)} (ReLU6), {@code BatchNormalization}
 * (inference), {@code LayerNormalization} over each sample, {@code Flatten}, {@code Reshape}, {@code Squeeze} and
 * {@code Unsqueeze} within a sample, {@code Identity}, {@code Dropout}, {@code Cast} to float and {@code Constant};
 * of several computed inputs, {@code Concat} (of whole samples: axis 1, or the last axis of flat data), {@code Add},
 * {@code Sub}, {@code Mul}, {@code Max}, {@code Min}, {@code Sum} and {@code Mean} of one shape, each a
 * {@link dev.nncore.Merge}; and {@code Add}, {@code Sub}, {@code Mul}, {@code Div} by a constant, as layers that
 * compute the same float32 values bit for bit ({@link dev.nncore.Rescaling} for one value, {@link
 * dev.nncore.Normalization} per feature). Operators that read the same initializers with the same attributes (a
 * module called twice) share one layer. The batch dimension may be dynamic; the others must be known.
 *
 * <pre>{@code
 * Network model = Onnx.load(Path.of("two_branches.onnx"));      // torch.onnx.export(model, (wide, deep), ...)
 * Matrix wide = Matrix.of(new float[][] {{1, 2, 3, 4, 5}});
 * Matrix deep = Matrix.of(new float[][] {{1, 2, 3, 4, 5, 6}});
 * List<Matrix> outputs = model.forwardAll(List.of(wide, deep));  // in model.inputNames() order
 * Matrix main = outputs.get(model.outputNames().indexOf("main"));
 * }</pre>
 *
 * <p>Anything else is refused with an {@link UnsupportedModelException} naming the node, its op type and opset (a
 * {@code Div} of two computed inputs, a {@code Concat} along the batch axis, a per-feature factor of mixed signs,
 * which no nn-core layer computes exactly, ...). A graph with a cycle, a tensor no node computes, or an output nothing
 * reaches ends in a {@link ModelFormatException} naming the node or output; nodes are ordered without recursion, so
 * graphs of many thousands of nodes read. Initializers may be float, double, float16, bfloat16 or integer
 * ({@code raw_data} or the typed fields) and are converted to float32; external data is read only from files inside
 * the model's folder.
 *
 * <p>Hostile files end in a {@link ModelFormatException} naming the file and the field path
 * ({@code model.onnx.graph.initializer[2] ("fc1.weight").raw_data: ...}): every length is checked against the bytes
 * really there before anything is allocated, and the decoder is not recursive. Files over 1 GiB are refused
 * ({@code -Dnncore.maxFileBytes} changes the limit).
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class Onnx {

    private Onnx() {
    }

    /**
     * Reads an ONNX model file; external data files are read from its folder.
     *
     * @param file the {@code .onnx} file
     * @return the network, computing what the model computes in float32
     * @throws UnsupportedModelException if the model is valid but holds an operator, option or graph shape nn-core
     *     cannot compute; the message names the node, its op type and opset
     * @throws ModelFormatException if the file is not a well-formed ONNX model; the message names the field
     * @throws IOException if the file cannot be read
     */
    public static Network load(Path file) throws IOException {
        Checks.notNull(file, "file");
        Path absolute = file.toAbsolutePath();
        Path folder = absolute.getParent();
        String source = String.valueOf(file.getFileName());
        byte[] bytes = readFile(file, source);
        return guard(source, () -> load(bytes, source, folder));
    }

    /**
     * Reads an ONNX model from a stream, which is read to its end but not closed. A model whose tensors live in
     * external data files needs {@link #load(Path)}.
     *
     * @param in the model's bytes
     * @return the network
     * @throws UnsupportedModelException if the model holds something nn-core cannot compute
     * @throws ModelFormatException if the bytes are not a well-formed ONNX model, or exceed the file size limit
     * @throws IOException if reading fails
     */
    public static Network load(InputStream in) throws IOException {
        Checks.notNull(in, "in");
        long limit = maxFileBytes();
        byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > limit) {
            throw new ModelFormatException("ONNX stream: over the limit of " + limit + " bytes (raise it with"
                    + " -Dnncore.maxFileBytes)");
        }
        if (bytes.length == 0) {
            throw new ModelFormatException("ONNX stream: empty");
        }
        return guard("ONNX stream", () -> load(bytes, "ONNX stream", null));
    }

    /**
     * Whether bytes look like an ONNX model: a protobuf message whose top-level fields all decode, with a graph
     * (field 7) and an opset import (field 8), and whose first field is one {@code torch.onnx.export}, tf2onnx,
     * skl2onnx or nn-core writes first. For format sniffing before choosing a reader; it does not validate the model.
     *
     * <pre>{@code
     * byte[] bytes = Files.readAllBytes(Path.of("mlp.onnx"));
     * Network network = Onnx.recognises(bytes) ? Onnx.load(new ByteArrayInputStream(bytes)) : Keras.load(Path.of("mlp.onnx"));
     * }</pre>
     *
     * @param bytes the start of a file, or all of it; not modified
     * @return whether {@link #load} should be tried
     */
    public static boolean recognises(byte[] bytes) {
        Checks.notNull(bytes, "bytes");
        if (bytes.length < 2 || (bytes[0] != 0x08 && bytes[0] != 0x12 && bytes[0] != 0x3A && bytes[0] != 0x42)) {
            return false; // ir_version, producer_name, graph or opset_import first
        }
        ProtoReader in = new ProtoReader(bytes, 0, bytes.length, "sniff");
        boolean graph = false;
        boolean opset = false;
        try {
            while (in.next()) {
                graph |= in.field() == 7 && in.wireType() == ProtoReader.LENGTH_DELIMITED;
                opset |= in.field() == 8 && in.wireType() == ProtoReader.LENGTH_DELIMITED;
                if (in.field() > 25) {
                    return false;
                }
                in.skip();
            }
        } catch (ModelFormatException e) {
            return false;
        }
        return graph && opset;
    }

    /** {@link #load(Path)} of bytes already read, without the last-resort guard (for the fuzz tests). */
    static Network load(byte[] bytes, String source, Path folder) throws ModelFormatException {
        OnnxModel.Model model = OnnxModel.parse(bytes, new OnnxModel.Source(source, folder, maxFileBytes()));
        return new OnnxImporter(source, model).run();
    }

    /**
     * Writes a network as an ONNX model that ONNX Runtime and {@code onnx.checker} accept: opset 13 (14 with
     * HardSwish, 17 with LayerNormalization), one {@code Gemm} per Dense layer followed by its activation's nodes
     * (named {@code <layer>/<op>}), weights as float32 initializers named {@code <layer>/kernel}, {@code <layer>/bias},
     * .... A Sequential network has input {@code input} of shape {@code [batch, ...]} and output {@code output}. A
     * graph network ({@link Network#functional}) keeps its input and output names and writes its {@link
     * Network#nodes()} in order: merges as {@code Concat} (axis 1), {@code Add} ({@code Sum} of more than two),
     * {@code Sub}, {@code Mul} (a chain of them for more than two), {@code Max}, {@code Min}, and Average as a
     * {@code Sum} then a {@code Div} by the count, all in the order nn-core computes them, so the float32 results are
     * the same; a layer called again is a node named {@code <layer>/call<k>} reading the first call's initializers.
     * {@link #load(Path)} reads it back to an equal network. The same network always gives the same bytes.
     *
     * <pre>{@code
     * Node wide = Node.input("wide", 3);
     * Node deep = Node.input("deep", 4);
     * Node hidden = deep.dense(5, Activation.RELU);
     * Node main = Node.concatenate(wide, hidden).dense(1, Activation.SIGMOID, "main");
     * Network model = Network.functional(List.of(wide, deep), List.of(main, hidden.dense(2, Activation.LINEAR, "aux")), 7);
     * Path file = Files.createTempFile("two_heads", ".onnx");
     * Onnx.save(model, file);                            // inputs wide, deep; outputs main, aux
     * Network back = Onnx.load(file);                    // equal to model, outputs bit for bit the same
     * }</pre>
     *
     * @param network the network; not modified
     * @param file the file to create or replace, atomically
     * @throws IllegalArgumentException if a layer has no ONNX form here (Normalization, Rescaling, the noise layers,
     *     Dot) or an activation has none (relu with both a slope and a cap); nothing is written
     * @throws IOException if writing fails; an existing file is then unchanged
     */
    public static void save(Network network, Path file) throws IOException {
        Checks.notNull(network, "network");
        Checks.notNull(file, "file");
        byte[] bytes = OnnxExporter.encode(network);
        AtomicFiles.write(file, bytes);
    }

    /** {@link #save} without the file: the bytes it writes. */
    static byte[] encode(Network network) {
        return OnnxExporter.encode(network);
    }

    static long maxFileBytes() {
        return Long.getLong("nncore.maxFileBytes", 1L << 30);
    }

    @FunctionalInterface
    private interface Read {
        Network run() throws IOException;
    }

    private static Network guard(String source, Read read) throws IOException {
        try {
            return read.run();
        } catch (RuntimeException | StackOverflowError e) {
            throw new ModelFormatException(source + ": malformed file (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
    }

    private static byte[] readFile(Path file, String source) throws IOException {
        try {
            long size = Files.size(file);
            long limit = maxFileBytes();
            if (size > limit || size > Integer.MAX_VALUE - 8) {
                throw new ModelFormatException(source + ": " + size + " bytes, over the limit of " + limit
                        + " (raise it with -Dnncore.maxFileBytes)");
            }
            if (size == 0) {
                throw new ModelFormatException(source + ": the file is empty");
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > limit) {
                throw new ModelFormatException(source + ": over the limit of " + limit + " bytes");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such model file");
        }
    }
}
