package dev.nncore.keras;

import java.io.IOException;

/**
 * A model or weights file that nn-core cannot read: malformed, truncated, inconsistent, or larger than the limits
 * a reader enforces. The message names the file and the part that was wrong: a byte offset, a JSON path such as
 * {@code config.layers[1].config.units}, an HDF5 object path, or a layer name.
 *
 * <pre>{@code
 * try {
 *     Network network = Keras.load(Path.of("model.keras"));
 * } catch (UnsupportedModelException e) {
 *     // a valid file describing something nn-core does not compute, e.g. a Conv2D layer
 * } catch (ModelFormatException e) {
 *     // a broken file; e.getMessage() says where
 * }
 * }</pre>
 *
 * <p>A failed load changes nothing: no network is returned and no file is written.
 *
 * @since 0.1.0
 */
public class ModelFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, and where
     */
    public ModelFormatException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, and where
     * @param cause the lower-level failure
     */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
