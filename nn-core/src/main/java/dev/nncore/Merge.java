package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's merge layers, which take several inputs: {@code Concatenate} (axis -1), {@code Add}, {@code Subtract},
 * {@code Multiply}, {@code Average}, {@code Maximum}, {@code Minimum} and {@code Dot} (over flat vectors, optionally
 * {@code normalize}d). In a graph ({@link Node}) they are made by {@link Node#concatenate}, {@link Node#add}, ...
 *
 * <pre>{@code
 * Merge sum = Merge.add(2, 2);                         // two inputs of 2 values
 * float[] out = new float[2];
 * sum.forward(new float[] {1, 2, 10, 20}, out);        // out = {11, 22}
 * Merge both = Merge.concatenate(2, 3);                // 2 + 3 values in, 5 out
 * }</pre>
 *
 * <p>As a {@link Layer} a merge takes its inputs side by side in one row: {@link #parts()} gives each input's width,
 * and {@link #inputs()} is their sum. Element-wise merges need inputs of one width; {@code Dot} gives one value.
 * Float32 results are computed as Keras computes them, left to right ({@code ((x0 + x1) + x2)}, an average divides
 * the sum once); where inputs tie, {@code Maximum} and {@code Minimum} pass the gradient to the first of them, as
 * TensorFlow does (PyTorch splits it).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2.0
 */
public final class Merge extends Layer {

    /** The eight merge operations, with their Keras class names. */
    public enum Kind {
        /** {@code Concatenate(axis=-1)}: the inputs side by side. */
        CONCATENATE("Concatenate"),
        /** {@code Add}: the element-wise sum. */
        ADD("Add"),
        /** {@code Subtract}: the first input minus the second. */
        SUBTRACT("Subtract"),
        /** {@code Multiply}: the element-wise product. */
        MULTIPLY("Multiply"),
        /** {@code Average}: the element-wise mean. */
        AVERAGE("Average"),
        /** {@code Maximum}: the element-wise maximum. */
        MAXIMUM("Maximum"),
        /** {@code Minimum}: the element-wise minimum. */
        MINIMUM("Minimum"),
        /** {@code Dot(axes=-1)}: the dot product of two vectors, one value. */
        DOT("Dot");

        private final String kerasClass;

        Kind(String kerasClass) {
            this.kerasClass = kerasClass;
        }

        /** @return the Keras class name, e.g. {@code "Concatenate"} */
        public String kerasClass() {
            return kerasClass;
        }

        /**
         * @param kerasClass a Keras class name such as {@code "Add"}
         * @return the kind, or null if no merge has that name
         */
        public static Kind fromKerasClass(String kerasClass) {
            for (Kind kind : values()) {
                if (kind.kerasClass.equals(kerasClass)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** Keras's {@code l2_normalize} floor on the squared norm. */
    private static final double NORM_FLOOR = 1e-12;

    private final Kind kind;
    private final int[] parts;
    private final int inputs;
    private final boolean normalize;

    private Merge(String name, Kind kind, int[] parts, boolean normalize) {
        super(name);
        this.kind = kind;
        this.parts = parts;
        this.inputs = Arrays.stream(parts).sum();
        this.normalize = normalize;
    }

    /**
     * A merge of the given kind.
     *
     * @param kind the operation
     * @param parts each input's width, in order; at least 2 (exactly 2 for {@code SUBTRACT} and {@code DOT}), equal
     *     except for {@code CONCATENATE}
     * @return the layer
     * @throws IllegalArgumentException if the widths do not suit the operation, e.g.
     *     {@code Add needs inputs of one width, got [3, 4]}
     */
    public static Merge of(Kind kind, int... parts) {
        return of(kind, false, parts);
    }

    private static Merge of(Kind kind, boolean normalize, int... parts) {
        Checks.notNull(kind, "kind");
        Checks.notNull(parts, "parts");
        if (parts.length < 2) {
            throw new IllegalArgumentException(kind.kerasClass + " needs at least 2 inputs, got " + parts.length);
        }
        if ((kind == Kind.SUBTRACT || kind == Kind.DOT) && parts.length != 2) {
            throw new IllegalArgumentException(kind.kerasClass + " needs exactly 2 inputs, got " + parts.length);
        }
        long total = 0;
        for (int width : parts) {
            Checks.positive(width, "input width");
            total += width;
            if (kind != Kind.CONCATENATE && width != parts[0]) {
                throw new IllegalArgumentException(kind.kerasClass + " needs inputs of one width, got " + Arrays.toString(parts));
            }
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kind.kerasClass + " of " + total + " values is too wide");
        }
        return new Merge(null, kind, parts.clone(), normalize);
    }

    /**
     * @param widths each input's width
     * @return Keras's {@code Concatenate()}
     */
    public static Merge concatenate(int... widths) {
        return of(Kind.CONCATENATE, widths);
    }

    /**
     * @param width each input's width
     * @param count how many inputs, at least 2
     * @return Keras's {@code Add()}
     */
    public static Merge add(int width, int count) {
        return of(Kind.ADD, repeat(width, count));
    }

    /**
     * @param width each input's width
     * @return Keras's {@code Subtract()}: first minus second
     */
    public static Merge subtract(int width) {
        return of(Kind.SUBTRACT, width, width);
    }

    /**
     * @param width each input's width
     * @param normalize whether each vector is L2-normalised first (cosine similarity), Keras's {@code normalize}
     * @return Keras's {@code Dot(axes=-1)} of two flat vectors
     */
    public static Merge dot(int width, boolean normalize) {
        return of(Kind.DOT, normalize, width, width);
    }

    static int[] repeat(int width, int count) {
        if (count < 2) {
            throw new IllegalArgumentException("a merge needs at least 2 inputs, got " + count);
        }
        int[] parts = new int[count];
        Arrays.fill(parts, width);
        return parts;
    }

    /** @return the operation */
    public Kind kind() {
        return kind;
    }

    /** @return each input's width, in order */
    public int[] parts() {
        return parts.clone();
    }

    int partCount() {
        return parts.length;
    }

    int part(int index) {
        return parts[index];
    }

    /** @return for {@code Dot}, whether the vectors are L2-normalised first; false for the others */
    public boolean normalize() {
        return normalize;
    }

    @Override
    public Merge named(String newName) {
        Checks.notNull(newName, "name");
        return new Merge(newName, kind, parts, normalize);
    }

    @Override
    public String kerasClass() {
        return kind.kerasClass;
    }

    @Override
    public int inputs() {
        return inputs;
    }

    @Override
    public int outputs() {
        return switch (kind) {
            case CONCATENATE -> inputs;
            case DOT -> 1;
            default -> parts[0];
        };
    }

    @Override
    public boolean isIdentityAtInference() {
        return kind == Kind.CONCATENATE;
    }

    @Override
    public void forward(float[] input, float[] output) {
        int width = parts[0];
        int count = parts.length;
        switch (kind) {
            case CONCATENATE -> System.arraycopy(input, 0, output, 0, inputs);
            case ADD, AVERAGE -> {
                for (int j = 0; j < width; j++) {
                    float sum = input[j];
                    for (int p = 1; p < count; p++) {
                        sum += input[p * width + j];
                    }
                    output[j] = kind == Kind.ADD ? sum : sum / count;
                }
            }
            case SUBTRACT -> {
                for (int j = 0; j < width; j++) {
                    output[j] = input[j] - input[width + j];
                }
            }
            case MULTIPLY -> {
                for (int j = 0; j < width; j++) {
                    float product = input[j];
                    for (int p = 1; p < count; p++) {
                        product *= input[p * width + j];
                    }
                    output[j] = product;
                }
            }
            case MAXIMUM, MINIMUM -> {
                for (int j = 0; j < width; j++) {
                    output[j] = input[extreme(input, j, width)];
                }
            }
            case DOT -> output[0] = (float) dot(input, width);
        }
    }

    /** The index into a side-by-side row of the first input holding the largest (smallest) value at {@code j}. */
    private int extreme(float[] input, int j, int width) {
        int best = j;
        for (int p = 1; p < parts.length; p++) {
            int at = p * width + j;
            boolean better = kind == Kind.MAXIMUM ? input[at] > input[best] : input[at] < input[best];
            if (better || Float.isNaN(input[at])) {
                best = at;
            }
        }
        return best;
    }

    private double dot(float[] input, int width) {
        if (!normalize) {
            float sum = 0;
            for (int j = 0; j < width; j++) {
                sum += input[j] * input[width + j];
            }
            return sum;
        }
        double a = inverseNorm(input, 0, width);
        double b = inverseNorm(input, width, width);
        float sum = 0;
        for (int j = 0; j < width; j++) {
            sum += (float) (input[j] * a) * (float) (input[width + j] * b);
        }
        return sum;
    }

    private static double inverseNorm(float[] row, int from, int width) {
        double squares = 0;
        for (int j = from; j < from + width; j++) {
            squares += (double) row[j] * row[j];
        }
        return 1 / Math.sqrt(Math.max(squares, NORM_FLOOR));
    }

    @Override
    public Pass pass(List<float[][]> weights, RandomGenerator random) {
        return new Pass() {
            @Override
            public void forward(float[][] input, float[][] output, boolean training) {
                Merge.this.forward(input, output);
            }

            @Override
            public void backward(float[][] input, float[][] output, float[][] outputGradient, float[][] inputGradient,
                    List<float[][]> weightGradients) {
                if (inputGradient != null) {
                    for (int r = 0; r < input.length; r++) {
                        backwardRow(input[r], outputGradient[r], inputGradient[r]);
                    }
                }
            }
        };
    }

    private void backwardRow(float[] input, float[] gradient, float[] inputGradient) {
        int width = parts[0];
        int count = parts.length;
        switch (kind) {
            case CONCATENATE -> System.arraycopy(gradient, 0, inputGradient, 0, inputs);
            case ADD, AVERAGE -> {
                for (int p = 0; p < count; p++) {
                    for (int j = 0; j < width; j++) {
                        inputGradient[p * width + j] = kind == Kind.ADD ? gradient[j] : gradient[j] / count;
                    }
                }
            }
            case SUBTRACT -> {
                for (int j = 0; j < width; j++) {
                    inputGradient[j] = gradient[j];
                    inputGradient[width + j] = -gradient[j];
                }
            }
            case MULTIPLY -> {
                for (int p = 0; p < count; p++) {
                    for (int j = 0; j < width; j++) {
                        float others = gradient[j];
                        for (int q = 0; q < count; q++) {
                            if (q != p) {
                                others *= input[q * width + j];
                            }
                        }
                        inputGradient[p * width + j] = others;
                    }
                }
            }
            case MAXIMUM, MINIMUM -> {
                java.util.Arrays.fill(inputGradient, 0, inputs, 0f);
                for (int j = 0; j < width; j++) {
                    inputGradient[extreme(input, j, width)] = gradient[j];
                }
            }
            case DOT -> dotGradient(input, gradient[0], width, inputGradient);
        }
    }

    /** d(a.b)/da = b and d/db = a; normalised: d(a'.b')/da = (b' - (a'.b') a') / |a|. */
    private void dotGradient(float[] input, float gradient, int width, float[] inputGradient) {
        if (!normalize) {
            for (int j = 0; j < width; j++) {
                inputGradient[j] = gradient * input[width + j];
                inputGradient[width + j] = gradient * input[j];
            }
            return;
        }
        double a = inverseNorm(input, 0, width);
        double b = inverseNorm(input, width, width);
        double cosine = 0;
        for (int j = 0; j < width; j++) {
            cosine += input[j] * a * input[width + j] * b;
        }
        boolean aFloored = a == 1 / Math.sqrt(NORM_FLOOR);
        boolean bFloored = b == 1 / Math.sqrt(NORM_FLOOR);
        for (int j = 0; j < width; j++) {
            double unitA = input[j] * a;
            double unitB = input[width + j] * b;
            inputGradient[j] = (float) (gradient * a * (aFloored ? unitB : unitB - cosine * unitA));
            inputGradient[width + j] = (float) (gradient * b * (bFloored ? unitA : unitA - cosine * unitB));
        }
    }

    @Override
    public void forward64(double[][] weights, double[][] input, double[][] output, boolean training, RandomGenerator random) {
        int width = parts[0];
        int count = parts.length;
        for (int r = 0; r < input.length; r++) {
            double[] in = input[r];
            double[] out = output[r];
            switch (kind) {
                case CONCATENATE -> System.arraycopy(in, 0, out, 0, inputs);
                case DOT -> out[0] = dot64(in, width);
                default -> {
                    for (int j = 0; j < width; j++) {
                        double value = in[j];
                        for (int p = 1; p < count; p++) {
                            double next = in[p * width + j];
                            value = switch (kind) {
                                case ADD, AVERAGE -> value + next;
                                case SUBTRACT -> value - next;
                                case MULTIPLY -> value * next;
                                case MAXIMUM -> next > value || Double.isNaN(next) ? next : value;
                                default -> next < value || Double.isNaN(next) ? next : value;
                            };
                        }
                        out[j] = kind == Kind.AVERAGE ? value / count : value;
                    }
                }
            }
        }
    }

    private double dot64(double[] in, int width) {
        double squaresA = 0;
        double squaresB = 0;
        double sum = 0;
        for (int j = 0; j < width; j++) {
            sum += in[j] * in[width + j];
            squaresA += in[j] * in[j];
            squaresB += in[width + j] * in[width + j];
        }
        return normalize ? sum / Math.sqrt(Math.max(squaresA, NORM_FLOOR)) / Math.sqrt(Math.max(squaresB, NORM_FLOOR)) : sum;
    }

    @Override
    String shortForm() {
        return kind.kerasClass + Arrays.toString(parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Merge other && name().equals(other.name()) && kind == other.kind
                && Arrays.equals(parts, other.parts) && normalize == other.normalize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), kind, Arrays.hashCode(parts), normalize);
    }
}
