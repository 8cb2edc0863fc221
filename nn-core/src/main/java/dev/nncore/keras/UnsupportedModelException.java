package dev.nncore.keras;

/**
 * A well-formed model file describing something nn-core does not compute: a layer class it lacks (a convolution, an
 * LSTM, ...), an option of a layer it has that it cannot honour (a Softmax over another axis, PReLU's shared axes),
 * an activation it lacks, a graph that is not a chain, or a subclassed model whose architecture lives only in Python
 * code. The message names the layer class first, then the layer name and why.
 *
 * <pre>{@code
 * try {
 *     Keras.load(Path.of("lstm.h5"));
 * } catch (UnsupportedModelException e) {
 *     String message = e.getMessage();   // ... "LSTM layer" ...
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
