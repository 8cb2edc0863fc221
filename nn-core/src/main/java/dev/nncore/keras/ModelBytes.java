package dev.nncore.keras;

import dev.nncore.Network;
import dev.nncore.internal.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A network as bytes in memory, for a cache, a message queue or a broadcast to Spark or Flink workers: what
 * {@link Network#toBytes()} and {@link Network#fromBytes(byte[])} do, which are the methods to call.
 *
 * <p>The bytes are those of the Keras 3 {@code .keras} file {@link Keras#save} writes (a zip of {@code config.json},
 * {@code metadata.json} and {@code model.weights.h5}), so they are versioned as that format is (its
 * {@code metadata.json} names the Keras version of the layout, {@value Keras#KERAS_FORMAT_VERSION}), readable by
 * {@code keras.saving.load_model} once written to a file, and on one JDK the same network always gives the same bytes. A
 * 2-2-1 network takes about 1.4 KB; a 784-128-10 one about 370 KB, nearly all of it the float32 weights (the exact
 * size depends on the JDK's zlib, which compresses the entries).
 *
 * <p>Reading checks the bytes as {@link Keras#load} checks a file: declared sizes against the real bytes before
 * anything is allocated, the unzipped size and entry count bounded ({@code nncore.maxUnzippedBytes},
 * {@code nncore.maxZipEntries}), so truncated, corrupted or hostile bytes (a zip bomb, huge declared sizes) end in a
 * {@link ModelFormatException}, never an {@link OutOfMemoryError} from what the bytes declare. See SECURITY.md.
 * <pre>{@code
 * Network network = Network.builder(2).dense(2, Activation.RELU).dense(1, Activation.LINEAR).seed(1).build();
 * byte[] bytes = ModelBytes.write(network);
 * Network back = ModelBytes.read(bytes);
 * boolean same = Arrays.equals(back.forward(1, 0), network.forward(1, 0));   // true
 * }</pre>
 * Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class ModelBytes {

    private static final String SOURCE = "Network.fromBytes";

    private ModelBytes() {
    }

    /**
     * The network as the bytes of a {@code .keras} file.
     *
     * @param network the network; not modified
     * @return new bytes, the same for equal networks
     * @throws IllegalArgumentException if Keras 3 cannot express an activation of the network (Keras 2's
     *     hard_sigmoid, approximate gelu), as for {@link Keras#save}
     */
    public static byte[] write(Network network) {
        Checks.notNull(network, "network");
        try {
            return KerasZip.write(network);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);   // a ByteArrayOutputStream does not fail
        }
    }

    /**
     * The network of {@link #write} bytes, or of any {@code .keras} or legacy {@code .h5} model file's bytes.
     *
     * @param bytes the bytes; not modified
     * @return the network
     * @throws UnsupportedModelException if the model uses a layer, activation or graph shape nn-core lacks
     * @throws ModelFormatException if the bytes are not a model, or are truncated, corrupted or over the size limits;
     *     the message begins {@code Network.fromBytes:}
     */
    public static Network read(byte[] bytes) throws ModelFormatException {
        Checks.notNull(bytes, "bytes");
        try {
            return Keras.guard(SOURCE, () -> Keras.load(bytes, SOURCE, (path, where, budget) -> {
                throw new ModelFormatException(SOURCE + ": a TensorFlow.js model.json names weight files (\"" + path
                        + "\") that bytes in memory cannot include; use ModelBytes.write's .keras bytes");
            }));
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFormatException(SOURCE + ": " + e.getMessage(), e);   // no file is read: not expected
        }
    }
}
