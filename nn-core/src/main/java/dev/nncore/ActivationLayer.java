package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A layer that applies an {@link Activation} to its input and has no weights: Keras's {@code Activation} layer and the
 * activation layers {@code ReLU}, {@code LeakyReLU}, {@code ELU} and {@code Softmax}, which compute the same functions
 * under their own class names. It may follow a Dense layer that already has an activation (Dense(relu) then Softmax).
 *
 * <pre>{@code
 * ActivationLayer softmax = ActivationLayer.of(3, Activation.SOFTMAX);
 * Matrix p = softmax.forward(Matrix.row(1, 1, 1));               // [[0.3333, 0.3333, 0.3333]]
 * ActivationLayer leaky = ActivationLayer.of(2, Activation.leakyRelu(0.3), "LeakyReLU");
 * String name = leaky.defaultName();                               // "leaky_re_lu"
 * }</pre>
 *
 * <p>Keeps the shape of its input, so it may stand anywhere, also before a Flatten. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ActivationLayer extends SameShapeLayer {

    /** The Keras classes this layer stands for. */
    public static final Set<String> KERAS_CLASSES = Set.of("Activation", "ReLU", "LeakyReLU", "ELU", "Softmax");

    private final Activation activation;
    private final String kerasClass;

    private ActivationLayer(String name, int width, Activation activation, String kerasClass) {
        super(name, width);
        this.activation = activation;
        this.kerasClass = kerasClass;
    }

    /**
     * Keras's {@code Activation(activation)} layer.
     *
     * @param width values per sample, at least 1
     * @param activation the function
     * @return the layer
     */
    public static ActivationLayer of(int width, Activation activation) {
        return of(width, activation, "Activation");
    }

    /**
     * The layer as Keras class {@code kerasClass}: {@code "ReLU"}, {@code "LeakyReLU"}, {@code "ELU"} or
     * {@code "Softmax"} compute the activation given, and save under that class.
     *
     * @param width values per sample, at least 1
     * @param activation the function
     * @param kerasClass one of {@link #KERAS_CLASSES}
     * @return the layer
     * @throws IllegalArgumentException if the class is not one of those
     */
    public static ActivationLayer of(int width, Activation activation, String kerasClass) {
        Checks.positive(width, "width");
        Checks.notNull(activation, "activation");
        if (!KERAS_CLASSES.contains(kerasClass)) {
            throw new IllegalArgumentException("an activation layer is one of " + KERAS_CLASSES + ", got " + kerasClass);
        }
        return new ActivationLayer(null, width, activation, kerasClass);
    }

    @Override
    public ActivationLayer named(String newName) {
        Checks.notNull(newName, "name");
        return new ActivationLayer(newName, width, activation, kerasClass);
    }

    @Override
    public String kerasClass() {
        return kerasClass;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (activation.equals(Activation.SOFTMAX) || activation.equals(Activation.LOG_SOFTMAX)) {
            return flatOutputShape(inputShape); // over the last axis, which nn-core computes on flat rows only
        }
        return inputShape.clone();
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public void forward(float[] input, float[] output) {
        System.arraycopy(input, 0, output, 0, width);
        activation.applyInPlace(output);
    }

    @Override
    public void forward(float[][] input, float[][] output) {
        for (int r = 0; r < input.length; r++) {
            System.arraycopy(input[r], 0, output[r], 0, width);
        }
        activation.applyInPlace(output);
    }

    @Override
    public Pass pass(List<float[][]> weights, RandomGenerator random) {
        return new Pass() {
            @Override
            public void forward(float[][] input, float[][] output, boolean training) {
                ActivationLayer.this.forward(input, output);
            }

            @Override
            public void backward(float[][] input, float[][] output, float[][] outputGradient, float[][] inputGradient,
                    List<float[][]> weightGradients) {
                if (inputGradient == null) {
                    return;
                }
                boolean needsInput = activation.gradientNeedsInput();
                for (int r = 0; r < input.length; r++) {
                    activation.gradient(needsInput ? input[r] : null, output[r], outputGradient[r], inputGradient[r]);
                }
            }

            @Override
            public void backwardFromPreActivation(float[][] input, float[][] preActivationGradient, float[][] inputGradient,
                    List<float[][]> weightGradients) {
                if (inputGradient != null) {
                    Scratch.copy(preActivationGradient, inputGradient);
                }
            }
        };
    }

    @Override
    public void forward64(double[][] weights, double[][] input, double[][] output, boolean training, RandomGenerator random) {
        for (int r = 0; r < input.length; r++) {
            System.arraycopy(input[r], 0, output[r], 0, width);
            activation.applyInPlace(output[r]);
        }
    }

    /** @return e.g. {@code Activation(softmax)}, {@code LeakyReLU(negative_slope=0.2)}, {@code ReLU()} */
    @Override
    String shortForm() {
        String parameters = activation.parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
        if ("Activation".equals(kerasClass)) {
            return "Activation(" + activation.kerasName() + (parameters.isEmpty() ? "" : ", " + parameters) + ")";
        }
        return kerasClass + "(" + parameters + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActivationLayer other && name().equals(other.name()) && width == other.width
                && activation.equals(other.activation) && kerasClass.equals(other.kerasClass);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), width, activation, kerasClass);
    }

    @Override
    public String toString() {
        return kerasClass + "(\"" + name() + "\", " + width + ", " + activation + ")";
    }
}
