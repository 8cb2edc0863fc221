package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.internal.AtomicFiles;
import dev.nncore.internal.Checks;
import dev.nncore.internal.Json;
import dev.nncore.internal.RegularFiles;
import dev.nncore.internal.hdf5.Hdf5File;
import dev.nncore.internal.hdf5.Hdf5FormatException;
import dev.nncore.math.Matrix;
import dev.nncore.train.Optimizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the files Keras and TensorFlow.js save, in pure Java: train in Keras, run in Java.
 *
 * <pre>{@code
 * Network network = Keras.load(Path.of("model.keras"));       // or model.h5, or tfjs/model.json
 * float[] y = network.forward(1, 0);
 *
 * Keras.save(network, Path.of("copy.keras"));                  // Keras 3: keras.saving.load_model("copy.keras")
 * Keras.saveTfjs(network, Path.of("web-model"));               // TF.js: tf.loadLayersModel(".../model.json")
 * Keras.saveNpz(network, Path.of("weights.npz"));              // numpy: list(np.load("weights.npz").values())
 * Network again = Keras.loadWeights(Path.of("weights.npz"), network);
 * }</pre>
 *
 * <p>{@link #load(Path)} recognises the format from the file's content, not its name:
 * <ul>
 *   <li>Keras 3 {@code .keras} (a zip of {@code config.json} and {@code model.weights.h5}) and tf.keras 2.12-2.15
 *       {@code .keras} files;
 *   <li>legacy HDF5 {@code .h5} files from {@code model.save} (Keras 2.x and Keras 3);
 *   <li>TensorFlow.js layers models ({@code model.json} beside its binary shards).
 * </ul>
 * Weights-only files ({@code save_weights} HDF5, {@code .weights.h5}, {@code .npz}, {@code .npy}) go with
 * {@link #load(Path, Path)} (architecture JSON from {@code model.to_json()}) or {@link #loadWeights(Path, Network)}.
 *
 * <p>Functional models (Keras 1 and 2's {@code Model}, Keras 3's {@code Functional}) load as graphs: several named
 * inputs and outputs, merge layers, shared layers (a layer called several times, one set of weights) and nested
 * models (a {@code Sequential} or {@code Functional} model used as a layer, inlined into the graph):
 * <pre>{@code
 * // given: wide, deep
 * Network wideDeep = Keras.load(Path.of("functional_model.h5"));       // inputs wide_input (5), deep_input (6)
 * List<Matrix> outputs = wideDeep.forwardAll(List.of(wide, deep));     // main_output, aux_output
 * List<String> names = wideDeep.outputNames();
 * }</pre>
 * Calls are taken in Keras's order without recursion over layers (a graph of 10,000 layers loads like a chain);
 * models nest at most 32 deep. A nested model's layer keeps its name unless an outer layer (or a layer of a nested
 * model inlined before) already has it; it is then renamed {@code <model>_<layer>}, e.g. {@code sequential_dense},
 * with {@code _1}, {@code _2}, ... if that is taken too; its weights are still matched by its place in the file
 * ({@code layers/sequential/layers/dense/vars} in a {@code .keras} file, the nested model's group in a legacy
 * {@code .h5}, {@code sequential/dense/kernel} or {@code dense/kernel} in TF.js). A cycle, a call of a layer or
 * input the model lacks, an output no listed input reaches, or a merge of mismatched widths ends in a
 * {@link ModelFormatException} naming the layer.
 *
 * <p>What can be imported: Sequential and Functional models of these layers, each becoming the nn-core layer of the
 * same name and Keras class:
 * <ul>
 *   <li>{@code InputLayer}, whose {@code batch_shape} ({@code batch_input_shape} in Keras 2), e.g.
 *       {@code [null, 28, 28]}, becomes the network's {@link Network#inputShape()};
 *   <li>{@code Dense}, with any activation {@link dev.nncore.Activation#fromKerasName} knows, as a name, as Keras 3's
 *       {@code {"class_name": "function", "config": "relu"}} or as an activation layer object, and
 *       {@code use_bias=False};
 *   <li>{@code Activation}, {@code ReLU} ({@code max_value}, {@code negative_slope}, {@code threshold}),
 *       {@code LeakyReLU} ({@code negative_slope}, Keras 2's {@code alpha}), {@code ELU}, {@code Softmax} (last
 *       axis), {@code PReLU} (without {@code shared_axes}), each a layer of its own, also after a Dense layer that
 *       has an activation;
 *   <li>{@code Dropout}, {@code GaussianNoise}, {@code GaussianDropout}, {@code AlphaDropout}: the identity at
 *       inference;
 *   <li>{@code BatchNormalization}, {@code LayerNormalization} (not {@code rms_scaling}) and {@code Normalization}
 *       (mean and variance from the config or adapted), over the last axis of flat samples;
 *   <li>{@code Rescaling} with one scale and offset, {@code Flatten} and {@code Reshape};
 *   <li>the merge layers {@code Concatenate} (last axis), {@code Add}, {@code Subtract}, {@code Multiply},
 *       {@code Average}, {@code Maximum}, {@code Minimum} and {@code Dot} ({@code axes=-1}, {@code normalize}) over
 *       flat vectors.
 * </ul>
 * Keras 1's {@code Merge} layer, {@code MaxoutDense} and {@code Highway} are refused as Keras 1 layers.
 * Weights are float32 or float64. A {@code hard_sigmoid} is Keras 2's {@code clip(0.2 x + 0.5, 0, 1)} in files
 * Keras 1 or 2 (or TensorFlow.js) wrote and Keras 3's {@code relu6(x + 3) / 6} in Keras 3's, as the file's
 * {@code keras_version} says. Anything else ends in an {@link UnsupportedModelException} naming the layer class
 * first ({@code LSTM layer "lstm_1" is not supported: ...}), checked before any complaint about shapes; a malformed
 * file, or weights that do not fit the layers (the message names the layer and the weight), in a
 * {@link ModelFormatException} naming the part of the file that was wrong. A failed load returns nothing and
 * changes nothing.
 *
 * <p>The writers save every layer kind: {@link #save} with each layer's Keras 3 config and Keras 3's weights layout,
 * {@link #saveTfjs} and {@link #saveNpz} in {@code get_weights()} order, all with the network's input shape. A
 * network that {@link Network#isSequential()} is written as a {@code Sequential} model; any other graph as a
 * Functional model of its {@link Network#nodes()} (a TF.js {@code Model}), each layer once with one inbound node per
 * call, nested blocks flat.
 * Activations a format cannot name (Keras 2's hard_sigmoid in a {@code .keras} file; a parametrised activation of a
 * Dense layer, or Keras 3's hard_sigmoid, in TensorFlow.js) are refused with an {@link IllegalArgumentException}
 * before anything is written.
 *
 * <p>Every save is atomic: the file is written beside the target under a temporary name and moved over it, so a
 * crash or a full disk leaves the previous file intact. A save replaces only a regular file: a directory, device or
 * FIFO at the target is refused, and a symbolic link is written through to the file it points to.
 *
 * <p>Every file is treated as hostile: sizes it declares are checked against the bytes really there before anything
 * is allocated, and whatever the bytes, a load ends in a network or a {@link ModelFormatException} naming the file.
 * Files larger than 1 GiB, zips unpacking to more or holding more than 10,000 entries, and TF.js shards beyond
 * {@code model.json}'s directory are refused (raise the limits with the system properties
 * {@code nncore.maxFileBytes}, {@code nncore.maxUnzippedBytes}, {@code nncore.maxZipEntries} and
 * {@code nncore.maxJsonBytes}; the project's SECURITY.md lists every limit).
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class Keras {

    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final byte[] ZIP_SIGNATURE = {'P', 'K', 3, 4};

    /** The Keras version whose {@code .keras} layout {@link #save} writes. */
    static final String KERAS_FORMAT_VERSION = "3.10.0";

    private Keras() {
    }

    /**
     * Loads a complete model: a {@code .keras} file, a legacy {@code .h5} file, or a TensorFlow.js {@code model.json}.
     *
     * @param file the model file
     * @return the network, with Keras's layer names
     * @throws UnsupportedModelException if the model uses a layer, activation or graph shape nn-core lacks
     * @throws ModelFormatException if the file is malformed, truncated, weights-only, or over the size limits
     * @throws IOException if the file cannot be read
     */
    public static Network load(Path file) throws IOException {
        Checks.notNull(file, "file");
        String source = RegularFiles.name(file);
        byte[] bytes = readFile(file);
        return guard(source, () -> load(bytes, source, Tfjs.beside(file)));
    }

    /**
     * {@link #load(Path)} of bytes already read, without the last-resort guard, so that tests (and the fuzzing in
     * {@code KerasFuzzTest}) see any runtime exception a hostile file provokes.
     *
     * @param source the file name, for messages
     * @param shards where a TF.js model's shards are read from
     */
    static Network load(byte[] bytes, String source, Tfjs.Shards shards) throws IOException {
        if (bytes.length == 0) {
            throw new ModelFormatException(source + ": the file is empty");
        }
        if (isHdf5(bytes)) {
            return loadHdf5Model(bytes, source);
        }
        if (Numpy.startsWith(bytes, ZIP_SIGNATURE)) {
            Map<String, byte[]> entries = ZipEntries.read(bytes, source);
            if (entries.containsKey("config.json") && entries.containsKey("model.weights.h5")) {
                return loadKerasZip(entries, source);
            }
            if (entries.keySet().stream().allMatch(name -> name.endsWith(".npy"))) {
                throw new ModelFormatException(source + ": an .npz archive holds weights only; load it with"
                        + " Keras.loadWeights(file, network) onto a network of the right architecture");
            }
            throw new ModelFormatException(source + ": a zip archive without config.json and model.weights.h5, so not a"
                    + " .keras model (it holds " + abbreviated(entries.keySet()) + ")");
        }
        if (Numpy.isNpy(bytes)) {
            throw new ModelFormatException(source + ": an .npy array holds weights only; load it with"
                    + " Keras.loadWeights(file, network)");
        }
        if (!looksLikeJson(bytes)) {
            throw new ModelFormatException(source + ": not a model file: it starts with none of the HDF5, zip, .npy or"
                    + " JSON signatures (first bytes " + hexPrefix(bytes) + ")");
        }
        Map<String, Object> json = parseJson(bytes, source);
        if (Tfjs.isLayersModel(json)) {
            return Tfjs.read(json, source, shards);
        }
        if (json.containsKey("class_name")) {
            throw new ModelFormatException(source + ": an architecture without weights (model.to_json()); load it with"
                    + " Keras.load(architectureJson, weightsFile)");
        }
        throw new ModelFormatException(source + ": a JSON object that is neither a TensorFlow.js layers model"
                + " (modelTopology and weightsManifest) nor a Keras model config (class_name)");
    }

    /**
     * Loads a model saved as two files: the architecture JSON of {@code model.to_json()} and a weights file from
     * {@code model.save_weights()} (legacy HDF5 or Keras 3 {@code .weights.h5}).
     *
     * @param architectureJson the JSON file
     * @param weights the HDF5 weights file
     * @return the network
     * @throws UnsupportedModelException if the model uses a layer, activation or graph shape nn-core lacks
     * @throws ModelFormatException if either file is malformed or they do not fit together
     * @throws IOException if a file cannot be read
     */
    public static Network load(Path architectureJson, Path weights) throws IOException {
        Checks.notNull(architectureJson, "architectureJson");
        Checks.notNull(weights, "weights");
        String jsonSource = RegularFiles.name(architectureJson);
        byte[] json = readFile(architectureJson);
        String source = RegularFiles.name(weights);
        byte[] bytes = readFile(weights);
        return guard(jsonSource + " and " + source, () -> load(json, jsonSource, bytes, source));
    }

    /** {@link #load(Path, Path)} of bytes already read, without the last-resort guard. */
    static Network load(byte[] architectureJson, String jsonSource, byte[] weights, String source) throws ModelFormatException {
        if (!looksLikeJson(architectureJson)) {
            throw new ModelFormatException(jsonSource + ": not an architecture JSON object (model.to_json()); it starts with "
                    + hexPrefix(architectureJson));
        }
        Map<String, Object> json = parseJson(architectureJson, jsonSource);
        if (!isHdf5(weights)) {
            throw new ModelFormatException(source + ": not an HDF5 file (no \\x89HDF signature); save_weights writes HDF5");
        }
        Hdf5File file = openHdf5(weights, source);
        String version = json.get("keras_version") instanceof String text ? text : stringAttribute(file, "keras_version", source);
        Architecture architecture = Architecture.parse(json, jsonSource, Dialect.ofVersion(version, Dialect.KERAS_3));
        return architecture.build(KerasWeights.read(file, architecture, source));
    }

    /**
     * Loads weights onto a network of the same architecture, as Keras's {@code model.load_weights} does: an
     * {@code .npz} written by {@code np.savez(f, *model.get_weights())}, an {@code .npy} file of arrays written one
     * after another by {@code np.save}, or an HDF5 weights file ({@code .weights.h5}, {@code save_weights}).
     *
     * @param weights the weights file
     * @param network the architecture to fill; not modified
     * @return a new network with the file's weights
     * @throws ModelFormatException if the file is malformed, holds weights for layers the network lacks (naming
     *     them), or its arrays do not fit the network (the message names the first mismatch, e.g.
     *     {@code Dense layer "dense_1" weight "kernel" (array "arr_2") has shape [1, 2], expected [2, 1]})
     * @throws IOException if the file cannot be read
     */
    public static Network loadWeights(Path weights, Network network) throws IOException {
        Checks.notNull(weights, "weights");
        Checks.notNull(network, "network");
        String source = RegularFiles.name(weights);
        byte[] bytes = readFile(weights);
        return guard(source, () -> loadWeights(bytes, source, network));
    }

    /** {@link #loadWeights(Path, Network)} of bytes already read, without the last-resort guard. */
    static Network loadWeights(byte[] bytes, String source, Network network) throws ModelFormatException {
        if (bytes.length == 0) {
            throw new ModelFormatException(source + ": the file is empty");
        }
        Architecture architecture = Architecture.of(network, source);
        if (isHdf5(bytes)) {
            return architecture.build(KerasWeights.read(openHdf5(bytes, source), architecture, source));
        }
        List<Numpy.Array> arrays;
        if (Numpy.startsWith(bytes, ZIP_SIGNATURE)) {
            arrays = Numpy.readNpz(bytes, source); // a .keras zip is refused there, pointing to Keras.load
        } else if (Numpy.isNpy(bytes)) {
            arrays = Numpy.readNpy(bytes, source);
        } else {
            throw new ModelFormatException(source + ": not a weights file (neither HDF5, .npz nor .npy)");
        }
        return architecture.build(inGetWeightsOrder(arrays, architecture, source));
    }

    /**
     * numpy's arrays, in {@code get_weights()} order, dealt out to the layers: each takes as many as it has weights,
     * and a Normalization layer also the scalar {@code count} Keras lists after its variance, if the file has it.
     * Empties {@code arrays}, so that the returned lists hold the only references to the values.
     */
    private static List<List<KerasWeights.Tensor>> inGetWeightsOrder(List<Numpy.Array> arrays, Architecture architecture,
            String source) throws ModelFormatException {
        List<List<KerasWeights.Tensor>> weights = new ArrayList<>();
        int at = 0;
        int required = 0;
        for (LayerSpec layer : architecture.layers()) {
            required += layer.weightNames().size() - layer.optionalWeights();
        }
        for (LayerSpec layer : architecture.layers()) {
            List<KerasWeights.Tensor> tensors = new ArrayList<>();
            List<String> names = layer.weightNames();
            for (int i = 0; i < names.size(); i++) {
                boolean optional = i >= names.size() - layer.optionalWeights();
                if (at >= arrays.size() || optional && arrays.get(at).shape().length != 0) {
                    if (optional) {
                        continue;
                    }
                    throw new ModelFormatException(source + ": " + arrays.size() + " arrays, but the network has " + required
                            + " weights (" + inventory(architecture) + ")");
                }
                Numpy.Array array = arrays.get(at++);
                tensors.add(new KerasWeights.Tensor(array.shape(), array.values(), "array \"" + array.name() + "\""));
            }
            weights.add(tensors);
        }
        if (at != arrays.size()) {
            throw new ModelFormatException(source + ": " + arrays.size() + " arrays, but the network has " + required
                    + " weights (" + inventory(architecture) + ")");
        }
        // the tensors hold the arrays now, and Architecture.build lets each go once its layer has its rows: the peak is
        // twice the weights (flat and rows, then rows and the layer's copy), not three times
        arrays.clear();
        return weights;
    }

    /** E.g. {@code dense: kernel, bias; batch_normalization: gamma, beta, moving_mean, moving_variance}. */
    private static String inventory(Architecture architecture) {
        List<String> parts = new ArrayList<>();
        for (LayerSpec layer : architecture.layers()) {
            if (layer.hasWeights()) {
                parts.add(layer.name() + ": " + String.join(", ", layer.weightNames()));
            }
        }
        String text = String.join("; ", parts.stream().limit(20).toList());
        return parts.size() > 20 ? text + "; and " + (parts.size() - 20) + " more layers" : text;
    }

    /** Reading work on bytes already in memory. */
    @FunctionalInterface
    interface Read {
        Network run() throws IOException;
    }

    /**
     * The last line of defence at the public boundary: the readers check what they read, and the fuzz tests hold
     * them to it, but should a hostile file still provoke a runtime exception, the caller gets the documented
     * {@link ModelFormatException} naming the file, not a crash.
     */
    static Network guard(String source, Read read) throws IOException {
        try {
            return read.run();
        } catch (RuntimeException e) {
            throw new ModelFormatException(source + ": malformed file (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Saves a network as a Keras 3 {@code .keras} file ({@code config.json}, {@code metadata.json},
     * {@code model.weights.h5}), which {@code keras.saving.load_model} reads.
     *
     * @param network the network; not modified
     * @param file the file to create or replace, atomically
     * @throws IllegalArgumentException if Keras 3 cannot express an activation of the network (Keras 2's
     *     hard_sigmoid, approximate gelu); nothing is written
     * @throws IOException if writing fails; an existing file is then unchanged
     */
    public static void save(Network network, Path file) throws IOException {
        Checks.notNull(network, "network");
        Checks.notNull(file, "file");
        byte[] bytes = KerasZip.write(network);
        AtomicFiles.write(file, bytes);
    }

    /**
     * Saves a network with its training setup as a Keras 3 {@code .keras} file, so that Keras 3's
     * {@code keras.saving.load_model(file)} (with {@code compile=True}, its default) gets a compiled model that goes on
     * training where nn-core stopped, and {@link #loadTraining} reads it all back: {@code config.json} holds
     * {@code compile_config} (the optimizer's {@code get_config()}, the loss as a name or, with parameters, as Keras 3
     * serializes a loss object, {@code loss_weights}, {@code metrics}), and {@code model.weights.h5} the optimizer's
     * variables under {@code optimizer/vars}: {@code 0} the iterations (int64), {@code 1} the learning rate (float32;
     * not with a schedule), then the slots in Keras 3's order and each weight's shape (Adam's momentum and velocity of
     * each trainable weight in turn, with EMA the averages first), as Keras 3.10 writes them. Without an
     * {@link KerasTraining#optimizerState()}, a fresh state is written (no steps, zero slots), which is what Keras builds
     * for a compiled model.
     * <pre>{@code
     * // given: network
     * Path file = Files.createTempDirectory("compiled").resolve("model.keras");
     * Keras.save(KerasTraining.of(network, Loss.CATEGORICAL_CROSSENTROPY, Optimizer.adam(0.01)), file);
     * String optimizer = Keras.loadTraining(file).optimizer().kerasClassName();    // "Adam"
     * }</pre>
     *
     * @param training the network and its setup; not modified
     * @param file the file to create or replace, atomically
     * @throws IllegalArgumentException if Keras 3 cannot express the network, the optimizer's schedule is one of your
     *     own, or the optimizer's variables cannot be put in Keras 3's order (the states of every built-in optimizer
     *     can: Adam, AdamW, SGD, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Lion, Ftrl; a custom rule's cannot, its
     *     configuration can); nothing is written
     * @throws IOException if writing fails; an existing file is then unchanged
     */
    public static void save(KerasTraining training, Path file) throws IOException {
        Checks.notNull(training, "training");
        Checks.notNull(file, "file");
        byte[] bytes = KerasZip.write(training.network(), training);
        AtomicFiles.write(file, bytes);
    }

    /**
     * Loads a model with the training setup its file holds, so that it can be trained further as Keras would: a
     * {@code .keras} file's {@code compile_config} and optimizer variables ({@code model.weights.h5}
     * {@code optimizer/vars}), or a legacy {@code .h5} file's {@code training_config}. The network is what
     * {@link #load(Path)} gives. A file without a training setup (not compiled, or a TensorFlow.js model) gives the
     * network with no loss, no optimizer and no state.
     *
     * <p>What is read: the loss ({@link Loss#fromKeras}) as a name, a Keras 2 or 3 object, or one per output (a list or
     * a dict); the optimizer ({@link Optimizer#fromKerasConfig}) as an identifier or object, Keras 2's {@code lr}
     * taken as {@code learning_rate} and their {@code decay} as the {@code InverseTimeDecay} it is
     * ({@code lr / (1 + decay * iterations)}); {@code loss_weights}; the metrics' names; and from a {@code .keras} file of Keras
     * 3 (or tf.keras 2.13-2.15) the optimizer's variables of Adam, AdamW, SGD, RMSprop, Adagrad, Adadelta, Adamax,
     * Nadam (with its {@code u_product}), Lion and Ftrl, in Keras's order, so a fit continued from a {@code .keras}
     * file nn-core wrote for any of them matches an uninterrupted fit bit for bit. A legacy {@code .h5} file's
     * {@code optimizer_weights} are read too: Keras 3's (named {@code adam/iteration}, {@code adam/learning_rate}, then
     * the slots in Keras 3's order) for the same optimizers, Keras 1 and 2's ({@code SGD/iterations:0} or tf.keras's
     * {@code SGD/iter:0}, then the slots of each kind for every weight in turn) for Adam, AdamW, SGD and RMSprop; the
     * slots are matched to the trainable weights by order and checked by size. Keras 2's states of other optimizers
     * are not read (the state is null and training starts with fresh slots). The
     * {@code learning_rate} variable is float32: when it is the configured rate rounded, the configured (double) rate
     * is kept, so a fit continued from a file nn-core wrote matches an uninterrupted one bit for bit; a rate a callback
     * changed comes back as the float32 Keras keeps.
     * <pre>{@code
     * KerasTraining training = Keras.loadTraining(Path.of("model.keras"));   // Keras 3.10's XOR, compiled
     * String loss = training.loss().kerasName();                            // "binary_crossentropy"
     * long steps = training.optimizerState().iterations();                  // 1000
     * Matrix x = Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
     * TrainingResult more = training.trainer().epochs(5).build()             // Adam from step 1000, its moments
     *         .fit(training.network(), x, Matrix.column(0, 1, 1, 0));
     * }</pre>
     *
     * @param file the model file
     * @return the network and its setup
     * @throws UnsupportedModelException if the model, its loss or optimizer is one nn-core lacks (a custom loss,
     *     {@code loss_scale_factor}), or it holds variables of an optimizer whose Keras order nn-core does not map
     *     (load the network alone with {@link #load(Path)})
     * @throws ModelFormatException if the file is malformed, e.g. optimizer variables that do not fit the weights
     *     (naming {@code optimizer/vars/N})
     * @throws IOException if the file cannot be read
     */
    public static KerasTraining loadTraining(Path file) throws IOException {
        Checks.notNull(file, "file");
        String source = RegularFiles.name(file);
        byte[] bytes = readFile(file);
        KerasTraining[] out = new KerasTraining[1];
        guard(source, () -> {
            out[0] = loadTraining(bytes, source, Tfjs.beside(file));
            return out[0].network();
        });
        return out[0];
    }

    /** {@link #loadTraining(Path)} of bytes already read, without the last-resort guard. */
    static KerasTraining loadTraining(byte[] bytes, String source, Tfjs.Shards shards) throws IOException {
        Network network = load(bytes, source, shards);
        if (isHdf5(bytes)) {
            String config = stringAttribute(openHdf5(bytes, source), "training_config", source);
            Map<String, Object> json = config == null ? null
                    : parseJson(config.getBytes(StandardCharsets.UTF_8), source + " training_config");
            KerasTraining training = CompileConfig.read(network, json, true, source + " training_config");
            return training.withOptimizerState(CompileConfig.readLegacyWeights(openHdf5(bytes, source), network,
                    training.optimizer(), source));
        }
        if (Numpy.startsWith(bytes, ZIP_SIGNATURE)) {
            Map<String, byte[]> entries = ZipEntries.read(bytes, source);
            Map<String, Object> config = parseJson(entries.get("config.json"), source + " config.json");
            Object compile = config.get("compile_config");
            if (compile != null && !(compile instanceof Map)) {
                throw new ModelFormatException(source + " config.json compile_config: expected an object, got " + compile);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> compileConfig = (Map<String, Object>) compile;
            KerasTraining training = CompileConfig.read(network, compileConfig, false,
                    source + " config.json compile_config");
            if (training.optimizer() == null) {
                return training;
            }
            String weightsSource = source + " model.weights.h5";
            return training.withOptimizerState(CompileConfig.readVariables(
                    openHdf5(entries.get("model.weights.h5"), weightsSource), network, training.optimizer(),
                    weightsSource));
        }
        return CompileConfig.read(network, null, false, source);
    }

    /**
     * Saves a network in TensorFlow.js's layers format: {@code model.json} and {@code weights.bin} in
     * {@code directory}, which {@code tf.loadLayersModel} reads. Both files are written in full under temporary
     * names before either replaces an old one; then the shard is moved into place, then {@code model.json}. If
     * anything fails, both old files are left (or put back) as they were; only a crash between the two moves can leave
     * a new shard beside an old {@code model.json}.
     *
     * <p>{@code @tensorflow/tfjs} 4.22 runs every layer kind nn-core writes, with the same outputs, except three it
     * lacks itself and refuses when loading: {@code Normalization}, {@code ELU} with an alpha other than 1 and the
     * {@code Subtract} merge (nn-core reads all three back). Graphs are written as a {@code Model} topology, which
     * {@code tf.loadLayersModel} loads.
     *
     * @param network the network; not modified
     * @param directory the directory, created if needed
     * @throws IllegalArgumentException if TensorFlow.js cannot express a layer or activation of the network (Keras 3's
     *     hard_sigmoid, a Dense layer's parametrised activation, a ReLU layer with a negative slope); nothing is
     *     written
     * @throws IOException if writing fails; existing files are then unchanged
     */
    public static void saveTfjs(Network network, Path directory) throws IOException {
        Checks.notNull(network, "network");
        Checks.notNull(directory, "directory");
        byte[] modelJson = Tfjs.modelJson(network, "weights.bin", "nn-core").getBytes(StandardCharsets.UTF_8); // may refuse
        Files.createDirectories(directory);
        Map<Path, byte[]> files = new LinkedHashMap<>();
        files.put(directory.resolve("weights.bin"), Tfjs.weightsBin(network));
        files.put(directory.resolve("model.json"), modelJson);
        AtomicFiles.writeAll(files);
    }

    /**
     * Saves the weights as numpy's {@code np.savez(f, *model.get_weights())} does: {@code arr_0.npy} (first kernel,
     * {@code [in][out]}), {@code arr_1.npy} (first bias, 1-D), and so on, float32, every weight in the shape Keras
     * gives it ({@link Layer#weightShape(int)}); a Normalization layer's unused {@code count} follows its variance as
     * an int64 0, as in Keras's list.
     *
     * @param network the network; not modified
     * @param file the {@code .npz} file to create or replace, atomically
     * @throws IOException if writing fails; an existing file is then unchanged
     */
    public static void saveNpz(Network network, Path file) throws IOException {
        Checks.notNull(network, "network");
        Checks.notNull(file, "file");
        AtomicFiles.write(file, npz(network));
    }

    /** The bytes {@link #saveNpz} writes. */
    static byte[] npz(Network network) throws IOException {
        List<byte[]> arrays = new ArrayList<>();
        for (Layer layer : network.layers()) {
            List<Matrix> weights = layer.getWeights();
            for (int i = 0; i < weights.size(); i++) {
                long[] shape = java.util.Arrays.stream(layer.weightShape(i)).asLongStream().toArray();
                arrays.add(Numpy.npy(shape, flatten(weights.get(i))));
            }
            for (LayerFormat.Extra extra : LayerFormats.forLayer(layer).extraWeights(layer)) {
                arrays.add(extra.integer() ? Numpy.npyInt64(new long[0], new long[] {0}) : Numpy.npy(new long[0], new float[1]));
            }
        }
        return Numpy.npz(arrays);
    }

    private static Network loadHdf5Model(byte[] bytes, String source) throws ModelFormatException {
        Hdf5File file = openHdf5(bytes, source);
        String config = stringAttribute(file, "model_config", source);
        if (config == null) {
            throw new ModelFormatException(source + ": an HDF5 file without a model_config attribute, so weights only"
                    + " (save_weights); load it with Keras.load(architectureJson, weights) or"
                    + " Keras.loadWeights(weights, network)");
        }
        Dialect dialect = Dialect.ofVersion(stringAttribute(file, "keras_version", source), Dialect.KERAS_3);
        Architecture architecture = Architecture.parse(parseJson(config.getBytes(StandardCharsets.UTF_8),
                source + " model_config"), source, dialect);
        return architecture.build(KerasWeights.read(file, architecture, source));
    }

    /** A string attribute of the root group, or null if absent. */
    private static String stringAttribute(Hdf5File file, String name, String source) throws ModelFormatException {
        try {
            var attribute = file.root().attributes().get(name);
            return attribute == null ? null : attribute.stringValue();
        } catch (Hdf5FormatException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static Network loadKerasZip(Map<String, byte[]> entries, String source) throws ModelFormatException {
        String version = null;
        if (entries.containsKey("metadata.json")) {
            Map<String, Object> metadata = parseJson(entries.get("metadata.json"), source + " metadata.json");
            version = metadata.get("keras_version") instanceof String text ? text : null;
        }
        Architecture architecture = Architecture.parse(parseJson(entries.get("config.json"), source + " config.json"),
                source + " config.json", Dialect.ofVersion(version, Dialect.KERAS_3));
        String weightsSource = source + " model.weights.h5";
        Hdf5File weights = openHdf5(entries.get("model.weights.h5"), weightsSource);
        return architecture.build(KerasWeights.read(weights, architecture, weightsSource));
    }

    static float[] flatten(Matrix matrix) {
        float[] flat = new float[matrix.rows() * matrix.cols()];
        for (int r = 0; r < matrix.rows(); r++) {
            System.arraycopy(matrix.getRow(r), 0, flat, r * matrix.cols(), matrix.cols());
        }
        return flat;
    }

    /**
     * HDF5's signature at offset 0, or after a user block of 512, 1024, 2048... bytes (spec II.A), in a file that
     * does not start as a zip or an .npy (whose contents could hold the signature at such an offset).
     */
    private static boolean isHdf5(byte[] bytes) {
        if (Numpy.startsWith(bytes, ZIP_SIGNATURE) || Numpy.isNpy(bytes)) {
            return false;
        }
        for (long at = 0; at + HDF5_SIGNATURE.length <= bytes.length; at = at == 0 ? 512 : at * 2) {
            if (java.util.Arrays.equals(bytes, (int) at, (int) at + HDF5_SIGNATURE.length, HDF5_SIGNATURE, 0,
                    HDF5_SIGNATURE.length)) {
                return true;
            }
        }
        return false;
    }

    private static Hdf5File openHdf5(byte[] bytes, String source) throws ModelFormatException {
        try {
            return Hdf5File.open(bytes);
        } catch (Hdf5FormatException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> parseJson(byte[] bytes, String source) throws ModelFormatException {
        long limit = Limits.current().maxJsonBytes();
        if (bytes.length > limit) {
            throw new ModelFormatException(source + ": " + bytes.length + " bytes of JSON, over the limit of " + limit
                    + " (raise it with -Dnncore.maxJsonBytes)");
        }
        try {
            String text = new String(bytes, StandardCharsets.UTF_8);
            // the parsed tree may take 4x the text limit (estimated): real configurations take at most about 8x their
            // text, so one of 8 MiB parses, while 15 MiB of "{},{},..." (800 MiB of maps) is refused
            return Json.parseObject(text.startsWith("\uFEFF") ? text.substring(1) : text, 4 * limit); // a byte order mark
        } catch (Json.ParseException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static boolean looksLikeJson(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '{') {
                return true;
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && b != (byte) 0xef && b != (byte) 0xbb && b != (byte) 0xbf) {
                return false; // only whitespace and a UTF-8 byte order mark may precede the object
            }
        }
        return false;
    }

    /** Names for a message: the first ten and how many more, so a zip of 10,000 entries gives one line. */
    private static String abbreviated(java.util.Collection<String> names) {
        List<String> first = names.stream().limit(10).toList();
        return names.size() <= 10 ? first.toString() : first + " and " + (names.size() - 10) + " more";
    }

    private static String hexPrefix(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            hex.append(String.format("%02x", bytes[i] & 0xff));
        }
        return hex.toString();
    }

    /**
     * A model, weights or architecture file's bytes, bounded by {@code nncore.maxFileBytes} whatever the path is: a
     * directory, {@code /}, a device, a FIFO or an empty file ends in a {@link ModelFormatException} naming it.
     */
    static byte[] readFile(Path file) throws IOException {
        String name = RegularFiles.name(file);
        long limit = Limits.current().maxFileBytes();
        try {
            long size = Files.isRegularFile(file) ? Files.size(file) : 0;
            if (size > limit) {
                throw new ModelFormatException(name + ": " + size + " bytes, over the limit of "
                        + limit + " (raise it with -Dnncore.maxFileBytes)");
            }
            if (size > Limits.MAX_ARRAY_BYTES) {
                throw new ModelFormatException(name + ": " + size + " bytes, more than one Java array holds"
                        + " (" + Limits.MAX_ARRAY_BYTES + ")");
            }
            return RegularFiles.read(file, limit);
        } catch (RegularFiles.RefusedException e) {
            String why = e.getMessage().startsWith("over the limit") ? e.getMessage() + " (raise it with -Dnncore.maxFileBytes)"
                    : e.getMessage();
            throw new ModelFormatException(name + ": " + why, e);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such model file");
        }
    }
}
