package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's {@code Flatten} and {@code Reshape}: they change how a sample's values are seen (28x28 or 784), not the
 * values. nn-core keeps every sample as one flat row in Keras's row-major, channels-last order, so both are the
 * identity on the numbers; they record the shapes, so that a 28x28 input feeds a Dense layer after a Flatten as in
 * Keras.
 *
 * <pre>{@code
 * Reshape flatten = Reshape.flatten(28, 28);                  // (None, 28, 28) -> (None, 784)
 * int[] shape = flatten.outputShape(new int[] {28, 28});      // {784}
 * Network mnist = Network.builder(28, 28).flatten().dense(128, Activation.RELU).dense(10, Activation.SOFTMAX).build();
 * int inputs = mnist.inputs();                                // 784, fed row by row
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Reshape extends Layer {

    private final int[] inputShape;
    private final int[] targetShape;
    private final boolean flatten;
    private final int width;

    private Reshape(String name, int[] inputShape, int[] targetShape, boolean flatten) {
        super(name);
        this.inputShape = inputShape;
        this.targetShape = targetShape;
        this.flatten = flatten;
        this.width = product(inputShape);
    }

    /**
     * Keras's {@code Flatten}.
     *
     * @param inputShape the shape of one sample going in, each dimension at least 1
     * @return the layer
     */
    public static Reshape flatten(int... inputShape) {
        int[] shape = checkShape(inputShape, "inputShape");
        return new Reshape(null, shape, new int[] {product(shape)}, true);
    }

    /**
     * Keras's {@code Reshape(target_shape)}; one dimension of the target may be -1, for whatever the rest leaves.
     *
     * @param inputShape the shape of one sample going in
     * @param targetShape the shape coming out, with as many values in all
     * @return the layer
     * @throws IllegalArgumentException if the sizes differ
     */
    public static Reshape of(int[] inputShape, int[] targetShape) {
        int[] in = checkShape(inputShape, "inputShape");
        Checks.notNull(targetShape, "targetShape");
        int[] target = targetShape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1 && unknown < 0) {
                unknown = i;
            } else if (target[i] < 1) {
                throw new IllegalArgumentException("target shape " + Arrays.toString(targetShape) + " has a dimension below 1");
            } else {
                known *= target[i];
            }
        }
        int size = product(in);
        if (unknown >= 0 && known > 0 && size % known == 0) {
            target[unknown] = (int) (size / known);
            known = size;
        }
        if (target.length == 0 || known != size) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(in) + " (" + size + " values) to "
                    + Arrays.toString(targetShape));
        }
        return new Reshape(null, in, target, false);
    }

    private static int[] checkShape(int[] shape, String what) {
        Checks.notNull(shape, what);
        long size = 1;
        for (int dimension : shape) {
            if (dimension < 1) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(shape) + " has a dimension below 1");
            }
            size *= dimension;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(shape) + " has more than 2^31 - 1 values");
            }
        }
        if (shape.length == 0) {
            throw new IllegalArgumentException(what + " must have at least one dimension");
        }
        return shape.clone();
    }

    static int product(int[] shape) {
        int size = 1;
        for (int dimension : shape) {
            size *= dimension;
        }
        return size;
    }

    /** The input shape, not copied. */
    int[] inputShapeView() {
        return inputShape;
    }

    /** @return whether this is Keras's Flatten */
    public boolean isFlatten() {
        return flatten;
    }

    /** @return the shape of one sample coming out */
    public int[] targetShape() {
        return targetShape.clone();
    }

    @Override
    public Reshape named(String newName) {
        Checks.notNull(newName, "name");
        return new Reshape(newName, inputShape, targetShape, flatten);
    }

    @Override
    public String kerasClass() {
        return flatten ? "Flatten" : "Reshape";
    }

    @Override
    public int inputs() {
        return width;
    }

    @Override
    public int outputs() {
        return width;
    }

    @Override
    public int[] outputShape(int[] shape) {
        if (product(shape) != width) {
            throw new IllegalArgumentException(describe() + " takes " + width + " values per sample, got shape "
                    + shapeText(shape));
        }
        return targetShape.clone();
    }

    @Override
    public boolean isIdentityAtInference() {
        return true;
    }

    @Override
    public void forward(float[] input, float[] output) {
        System.arraycopy(input, 0, output, 0, width);
    }

    @Override
    public Pass pass(List<float[][]> weights, RandomGenerator random) {
        return new Pass() {
            @Override
            public void forward(float[][] input, float[][] output, boolean training) {
                Scratch.copy(input, output);
            }

            @Override
            public void backward(float[][] input, float[][] output, float[][] outputGradient, float[][] inputGradient,
                    List<float[][]> weightGradients) {
                if (inputGradient != null) {
                    Scratch.copy(outputGradient, inputGradient);
                }
            }
        };
    }

    @Override
    public void forward64(double[][] weights, double[][] input, double[][] output, boolean training, RandomGenerator random) {
        for (int r = 0; r < input.length; r++) {
            System.arraycopy(input[r], 0, output[r], 0, width);
        }
    }

    @Override
    String shortForm() {
        return kerasClass() + Arrays.toString(targetShape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reshape other && name().equals(other.name()) && flatten == other.flatten
                && Arrays.equals(inputShape, other.inputShape) && Arrays.equals(targetShape, other.targetShape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), flatten, Arrays.hashCode(inputShape), Arrays.hashCode(targetShape));
    }
}
