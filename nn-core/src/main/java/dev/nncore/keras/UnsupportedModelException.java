package dev.nncore.keras;

/**
 * A well-formed model file describing something nn-core does not compute: a layer class other than
 * {@code InputLayer}, {@code Dense}, {@code Activation}, {@code ReLU}, {@code Softmax}, {@code Dropout} and
 * {@code Flatten} of flat input; an activation other than linear, relu, sigmoid, tanh and softmax; a graph that
 * is not a chain; or a subclassed model whose architecture lives only in Python code. The message names the
 * layer class and the layer name.
 *
 * <pre>{@code
 * try {
 *     Keras.load(Path.of("cnn.keras"));
 * } catch (UnsupportedModelException e) {
 *     // e.getMessage(): layer "conv2d" (class Conv2D) is not supported; nn-core reads ...
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class UnsupportedModelException extends ModelFormatException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is not supported, naming the layer class and name
     */
    public UnsupportedModelException(String message) {
        super(message);
    }
}
