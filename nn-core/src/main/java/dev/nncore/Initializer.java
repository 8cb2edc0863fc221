package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a layer's weights start, named and parametrised as Keras 3's initializers
 * ({@code keras/src/initializers/random_initializers.py} and {@code constant_initializers.py}).
 *
 * <p>Variance scaling ({@code glorot_*}, {@code he_*}, {@code lecun_*}): with {@code n} the fan of the mode
 * ({@code fan_in} = rows of a {@code [in][out]} kernel, {@code fan_out} = columns, {@code fan_avg} their mean; a 1-D
 * bias of length u has both fans u), {@code s = scale / max(1, n)}; {@code uniform} draws from
 * {@code U(-sqrt(3 s), sqrt(3 s))}, {@code truncated_normal} from a normal of stddev
 * {@code sqrt(s) / 0.87962566103423978} truncated at two stddevs (so that the variance is s), and
 * {@code untruncated_normal} from {@code N(0, s)}. {@code glorot_*} is scale 1 {@code fan_avg}, {@code he_*} scale 2
 * {@code fan_in}, {@code lecun_*} scale 1 {@code fan_in}. {@code random_normal} (stddev 0.05),
 * {@code random_uniform} ([-0.05, 0.05]) and {@code truncated_normal} (stddev 0.05, redrawn beyond two stddevs, no
 * correction) take their parameters as they are. {@code orthogonal} draws a normal matrix, takes Q of its QR
 * decomposition with {@code R}'s diagonal made positive, and multiplies by {@code gain}.
 *
 * <pre>{@code
 * Network network = Network.builder(4)
 *         .dense(16, Activation.RELU, Initializer.HE_NORMAL, Initializer.ZEROS)
 *         .dense(3, Activation.SOFTMAX)                       // glorot_uniform, as in Keras
 *         .seed(42)
 *         .build();
 * float[][] kernel = Initializer.fromKerasName("lecun_uniform").sample(3, 2, new java.util.SplittableRandom(1));
 * }</pre>
 *
 * <p>The numbers are drawn from the {@link RandomGenerator} given, so the same seed gives the same weights; they are
 * not Keras's numbers for the same seed (Keras's generator is another), only the same distributions. Immutable and
 * thread-safe; equal when the kind and the parameters are.
 *
 * @since 0.2.0
 */
public final class Initializer {

    /** Keras's stddev of a standard normal truncated at +-2, by which variance scaling divides. */
    static final double TRUNCATED_STDDEV = 0.87962566103423978;

    private enum Kind { VARIANCE_SCALING, RANDOM_NORMAL, RANDOM_UNIFORM, TRUNCATED_NORMAL, ORTHOGONAL, CONSTANT }

    /** Variance scaling, scale 1, fan_avg, uniform; Keras's default kernel initializer. */
    public static final Initializer GLOROT_UNIFORM = varianceScaling("glorot_uniform", 1, "fan_avg", "uniform");
    /** Variance scaling, scale 1, fan_avg, truncated normal. */
    public static final Initializer GLOROT_NORMAL = varianceScaling("glorot_normal", 1, "fan_avg", "truncated_normal");
    /** Variance scaling, scale 2, fan_in, truncated normal: for ReLU layers. */
    public static final Initializer HE_NORMAL = varianceScaling("he_normal", 2, "fan_in", "truncated_normal");
    /** Variance scaling, scale 2, fan_in, uniform. */
    public static final Initializer HE_UNIFORM = varianceScaling("he_uniform", 2, "fan_in", "uniform");
    /** Variance scaling, scale 1, fan_in, truncated normal: for SELU layers. */
    public static final Initializer LECUN_NORMAL = varianceScaling("lecun_normal", 1, "fan_in", "truncated_normal");
    /** Variance scaling, scale 1, fan_in, uniform. */
    public static final Initializer LECUN_UNIFORM = varianceScaling("lecun_uniform", 1, "fan_in", "uniform");
    /** {@code N(0, 0.05^2)}. */
    public static final Initializer RANDOM_NORMAL = randomNormal(0, 0.05);
    /** {@code U(-0.05, 0.05)}. */
    public static final Initializer RANDOM_UNIFORM = randomUniform(-0.05, 0.05);
    /** {@code N(0, 0.05^2)} redrawn beyond two stddevs. */
    public static final Initializer TRUNCATED_NORMAL = truncatedNormal(0, 0.05);
    /** An orthogonal matrix, gain 1. */
    public static final Initializer ORTHOGONAL = orthogonal(1);
    /** All 0; Keras's default bias initializer. */
    public static final Initializer ZEROS = new Initializer("zeros", Kind.CONSTANT, Map.of(), 0, 0, null, null);
    /** All 1. */
    public static final Initializer ONES = new Initializer("ones", Kind.CONSTANT, Map.of(), 1, 0, null, null);

    private static final List<Initializer> BUILT_IN = List.of(GLOROT_UNIFORM, GLOROT_NORMAL, HE_NORMAL, HE_UNIFORM,
            LECUN_NORMAL, LECUN_UNIFORM, RANDOM_NORMAL, RANDOM_UNIFORM, TRUNCATED_NORMAL, ORTHOGONAL, ZEROS, ONES);
    private static final Map<String, Initializer> BY_NAME = new LinkedHashMap<>();

    static {
        for (Initializer initializer : BUILT_IN) {
            BY_NAME.put(initializer.kerasName, initializer);
            BY_NAME.put(initializer.kerasName.replace("_", ""), initializer); // class names, lowercased
        }
        BY_NAME.put("normal", RANDOM_NORMAL);
        BY_NAME.put("uniform", RANDOM_UNIFORM);
        BY_NAME.put("zero", ZEROS);
        BY_NAME.put("one", ONES);
        BY_NAME.put("orthogonalinitializer", ORTHOGONAL);
        BY_NAME.put("constant", new Initializer("constant", Kind.CONSTANT, Map.of("value", 0.0), 0, 0, null, null));
        BY_NAME.put("variance_scaling", varianceScaling("variance_scaling", 1, "fan_in", "truncated_normal"));
        BY_NAME.put("variancescaling", BY_NAME.get("variance_scaling"));
    }

    private final String kerasName;
    private final Kind kind;
    private final Map<String, Object> parameters;
    /** mean, or value, or minval, or scale, or gain */
    private final double a;
    /** stddev, or maxval */
    private final double b;
    private final String mode;
    private final String distribution;

    private Initializer(String kerasName, Kind kind, Map<String, Object> parameters, double a, double b, String mode,
            String distribution) {
        this.kerasName = kerasName;
        this.kind = kind;
        this.parameters = parameters;
        this.a = a;
        this.b = b;
        this.mode = mode;
        this.distribution = distribution;
    }

    private static Initializer varianceScaling(String name, double scale, String mode, String distribution) {
        Map<String, Object> parameters = name.equals("variance_scaling")
                ? Map.of("scale", scale, "mode", mode, "distribution", distribution) : Map.of();
        return new Initializer(name, Kind.VARIANCE_SCALING, parameters, scale, 0, mode, distribution);
    }

    /**
     * Keras {@code VarianceScaling(scale, mode, distribution)}.
     * <pre>{@code
     * Initializer init = Initializer.varianceScaling(2.0, "fan_in", "truncated_normal");   // he_normal's numbers
     * }</pre>
     *
     * @param scale the variance scale, above 0
     * @param mode {@code "fan_in"}, {@code "fan_out"} or {@code "fan_avg"}
     * @param distribution {@code "truncated_normal"}, {@code "untruncated_normal"} or {@code "uniform"} (Keras 2's
     *     {@code "normal"} is read as truncated normal, as Keras does)
     * @return the initializer; the named one ({@link #HE_NORMAL}, ...) when the parameters are its
     * @throws IllegalArgumentException if a parameter is not one of those
     */
    public static Initializer varianceScaling(double scale, String mode, String distribution) {
        Checks.positive(scale, "scale");
        String m = String.valueOf(mode).toLowerCase(Locale.ROOT);
        String d = String.valueOf(distribution).toLowerCase(Locale.ROOT);
        if (d.equals("normal")) {
            d = "truncated_normal";
        }
        if (!List.of("fan_in", "fan_out", "fan_avg").contains(m)) {
            throw new IllegalArgumentException("mode must be fan_in, fan_out or fan_avg, got '" + mode + "'");
        }
        if (!List.of("truncated_normal", "untruncated_normal", "uniform").contains(d)) {
            throw new IllegalArgumentException("distribution must be truncated_normal, untruncated_normal or uniform, got '"
                    + distribution + "'");
        }
        Initializer made = varianceScaling("variance_scaling", scale, m, d);
        for (Initializer builtIn : BUILT_IN) { // glorot/he/lecun are variance scaling: one value, one name
            if (builtIn.kind == Kind.VARIANCE_SCALING && builtIn.a == scale && builtIn.mode.equals(m)
                    && builtIn.distribution.equals(d)) {
                return builtIn;
            }
        }
        return made;
    }

    /**
     * Keras {@code RandomNormal(mean, stddev)}.
     * <pre>{@code
     * Initializer init = Initializer.randomNormal(0, 0.01);
     * }</pre>
     *
     * @param mean the mean
     * @param stddev the standard deviation, at least 0
     * @return the initializer
     */
    public static Initializer randomNormal(double mean, double stddev) {
        Checks.inRange(stddev, 0, Double.MAX_VALUE, "stddev");
        return new Initializer("random_normal", Kind.RANDOM_NORMAL, Map.of("mean", mean, "stddev", stddev), mean, stddev,
                null, null);
    }

    /**
     * Keras {@code TruncatedNormal(mean, stddev)}: draws beyond two stddevs from the mean are redrawn.
     * <pre>{@code
     * Initializer init = Initializer.truncatedNormal(0, 0.02);
     * }</pre>
     *
     * @param mean the mean
     * @param stddev the standard deviation before truncation, at least 0
     * @return the initializer
     */
    public static Initializer truncatedNormal(double mean, double stddev) {
        Checks.inRange(stddev, 0, Double.MAX_VALUE, "stddev");
        return new Initializer("truncated_normal", Kind.TRUNCATED_NORMAL, Map.of("mean", mean, "stddev", stddev), mean,
                stddev, null, null);
    }

    /**
     * Keras {@code RandomUniform(minval, maxval)}.
     * <pre>{@code
     * Initializer init = Initializer.randomUniform(-0.1, 0.1);
     * }</pre>
     *
     * @param minval the lower bound
     * @param maxval the upper bound, above {@code minval}
     * @return the initializer
     */
    public static Initializer randomUniform(double minval, double maxval) {
        if (!(maxval > minval) || !Double.isFinite(maxval - minval)) {
            throw new IllegalArgumentException("random_uniform needs finite minval < maxval, got " + minval + " and " + maxval);
        }
        return new Initializer("random_uniform", Kind.RANDOM_UNIFORM, Map.of("minval", minval, "maxval", maxval), minval,
                maxval, null, null);
    }

    /**
     * Keras {@code Orthogonal(gain)}.
     * <pre>{@code
     * Initializer init = Initializer.orthogonal(1.0);
     * }</pre>
     *
     * @param gain the factor applied to the orthogonal matrix
     * @return the initializer
     */
    public static Initializer orthogonal(double gain) {
        Checks.inRange(gain, -Double.MAX_VALUE, Double.MAX_VALUE, "gain");
        return new Initializer("orthogonal", Kind.ORTHOGONAL, Map.of("gain", gain), gain, 0, null, null);
    }

    /**
     * Keras {@code Constant(value)}.
     * <pre>{@code
     * Initializer init = Initializer.constant(0.1);   // e.g. a small positive bias before a ReLU
     * }</pre>
     *
     * @param value every weight's value
     * @return the initializer
     */
    public static Initializer constant(double value) {
        Checks.inRange(value, -Double.MAX_VALUE, Double.MAX_VALUE, "value");
        return new Initializer("constant", Kind.CONSTANT, Map.of("value", value), value, 0, null, null);
    }

    /**
     * The initializer Keras calls {@code name}, with Keras's default parameters: a function name
     * ({@code "he_normal"}), a class name ({@code "HeNormal"}, {@code "GlorotUniform"}) or a Keras alias
     * ({@code "normal"}, {@code "uniform"}, {@code "zero"}, {@code "one"}); case is ignored.
     * <pre>{@code
     * Initializer init = Initializer.fromKerasName("HeNormal");   // Initializer.HE_NORMAL
     * }</pre>
     *
     * @param name the Keras name
     * @return the initializer
     * @throws IllegalArgumentException if nn-core has no initializer of that name; the message lists those it has
     */
    public static Initializer fromKerasName(String name) {
        if (name != null) {
            Initializer found = BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
            if (found != null) {
                return found;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Initializer initializer : BUILT_IN) {
            known.append(known.length() == 0 ? "" : ", ").append(initializer.kerasName);
        }
        throw new IllegalArgumentException("Unknown initializer '" + name + "'; nn-core knows " + known
                + ", constant, variance_scaling");
    }

    /**
     * The initializer a Keras config describes: its {@code class_name} ({@code "HeNormal"}, {@code "VarianceScaling"},
     * {@code "RandomNormal"}, ..., or a function name such as {@code "he_normal"}) and its {@code config} dict, whose
     * missing entries take Keras's defaults; {@code seed} is ignored (nn-core draws from the builder's generator).
     * <pre>{@code
     * Initializer init = Initializer.fromKeras("RandomNormal", Map.of("mean", 0.0, "stddev", 0.01));
     * }</pre>
     *
     * @param className the Keras class or function name; case is ignored
     * @param config the parameters; may be empty or null
     * @return the initializer
     * @throws IllegalArgumentException if nn-core has no such initializer or a parameter is malformed
     */
    public static Initializer fromKeras(String className, Map<String, ?> config) {
        Map<String, ?> c = config == null ? Map.of() : config;
        String name = String.valueOf(className).toLowerCase(Locale.ROOT).replace("_", "");
        return switch (name) {
            case "variancescaling" -> varianceScaling(number(c, "scale", 1), text(c, "mode", "fan_in"),
                    text(c, "distribution", "truncated_normal"));
            case "randomnormal", "normal" -> randomNormal(number(c, "mean", 0), number(c, "stddev", 0.05));
            case "truncatednormal" -> truncatedNormal(number(c, "mean", 0), number(c, "stddev", 0.05));
            case "randomuniform", "uniform" -> randomUniform(number(c, "minval", -0.05), number(c, "maxval", 0.05));
            case "orthogonal", "orthogonalinitializer" -> orthogonal(number(c, "gain", 1));
            case "constant" -> constant(number(c, "value", 0));
            default -> fromKerasName(className);
        };
    }

    private static double number(Map<String, ?> config, String key, double fallback) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("initializer parameter " + key + " must be a number, got " + value);
        }
        return number.doubleValue();
    }

    private static String text(Map<String, ?> config, String key, String fallback) {
        Object value = config.get(key);
        return value == null ? fallback : value.toString();
    }

    /** @return Keras 3's class name, e.g. {@code "GlorotUniform"}, {@code "VarianceScaling"}, {@code "Zeros"} */
    public String kerasClassName() {
        StringBuilder name = new StringBuilder();
        for (String part : kerasName.split("_")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }

    /** @return the built-in initializers with Keras's default parameters */
    public static Initializer[] values() {
        return BUILT_IN.toArray(new Initializer[0]);
    }

    /** @return the name Keras uses, e.g. {@code "glorot_uniform"} */
    public String kerasName() {
        return kerasName;
    }

    /** @return the parameters of Keras's config, e.g. {@code {mean=0.0, stddev=0.05}}; empty for glorot/he/lecun and zeros/ones */
    public Map<String, Object> parameters() {
        return parameters;
    }

    /**
     * Draws a {@code [rows][cols]} weight, a kernel {@code [inputs][units]}: {@code fan_in = rows},
     * {@code fan_out = cols}. Values are drawn row by row.
     *
     * @param rows the kernel's rows (inputs), at least 1
     * @param cols the kernel's columns (units), at least 1
     * @param random the source of the draws; advanced
     * @return a new array
     */
    public float[][] sample(int rows, int cols, RandomGenerator random) {
        Checks.positive(rows, "rows");
        Checks.positive(cols, "cols");
        Checks.notNull(random, "random");
        if (kind == Kind.ORTHOGONAL) {
            return orthogonal(rows, cols, random);
        }
        float[][] out = new float[rows][cols];
        for (float[] row : out) {
            fill(row, rows, cols, random);
        }
        return out;
    }

    /**
     * Draws a 1-D weight such as a bias, whose fans are both {@code length} as in Keras.
     *
     * @param length the number of values, at least 1
     * @param random the source of the draws; advanced
     * @return a new array
     */
    public float[] sample(int length, RandomGenerator random) {
        Checks.positive(length, "length");
        Checks.notNull(random, "random");
        if (kind == Kind.ORTHOGONAL) {
            throw new IllegalArgumentException("orthogonal needs a 2-D weight such as a kernel, not a bias of " + length);
        }
        float[] out = new float[length];
        fill(out, length, length, random);
        return out;
    }

    private void fill(float[] out, int fanIn, int fanOut, RandomGenerator random) {
        switch (kind) {
            case CONSTANT -> java.util.Arrays.fill(out, (float) a);
            case RANDOM_NORMAL -> {
                for (int j = 0; j < out.length; j++) {
                    out[j] = (float) (a + b * random.nextGaussian());
                }
            }
            case TRUNCATED_NORMAL -> {
                for (int j = 0; j < out.length; j++) {
                    out[j] = (float) (a + b * truncatedGaussian(random));
                }
            }
            case RANDOM_UNIFORM -> {
                for (int j = 0; j < out.length; j++) {
                    out[j] = (float) random.nextDouble(a, b);
                }
            }
            case VARIANCE_SCALING -> {
                double n = mode.equals("fan_in") ? fanIn : mode.equals("fan_out") ? fanOut : (fanIn + fanOut) / 2.0;
                double s = a / Math.max(1.0, n);
                if (distribution.equals("uniform")) {
                    // sqrt(3 / n) for scale 1 is sqrt(6 / (in + out)) for fan_avg, bit for bit: nn-core's draws before 0.2
                    double limit = Math.sqrt(3.0 * a / Math.max(1.0, n));
                    for (int j = 0; j < out.length; j++) {
                        out[j] = (float) random.nextDouble(-limit, limit);
                    }
                } else if (distribution.equals("truncated_normal")) {
                    double stddev = Math.sqrt(s) / TRUNCATED_STDDEV;
                    for (int j = 0; j < out.length; j++) {
                        out[j] = (float) (stddev * truncatedGaussian(random));
                    }
                } else {
                    double stddev = Math.sqrt(s);
                    for (int j = 0; j < out.length; j++) {
                        out[j] = (float) (stddev * random.nextGaussian());
                    }
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** A standard normal draw, redrawn while beyond two stddevs. */
    private static double truncatedGaussian(RandomGenerator random) {
        double x;
        do {
            x = random.nextGaussian();
        } while (Math.abs(x) > 2);
        return x;
    }

    /** Keras's Orthogonal: Q of a normal (max x min) matrix's QR with R's diagonal positive, transposed if wide. */
    private float[][] orthogonal(int rows, int cols, RandomGenerator random) {
        int tall = Math.max(rows, cols);
        int narrow = Math.min(rows, cols);
        double[][] q = new double[narrow][tall]; // column vectors of the tall matrix, drawn row by row of it
        double[][] drawn = new double[tall][narrow];
        for (double[] row : drawn) {
            for (int j = 0; j < narrow; j++) {
                row[j] = random.nextGaussian();
            }
        }
        for (int j = 0; j < narrow; j++) {
            for (int i = 0; i < tall; i++) {
                q[j][i] = drawn[i][j];
            }
        }
        // modified Gram-Schmidt, twice for orthogonality to rounding; R's diagonal is then the positive norm
        for (int j = 0; j < narrow; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < tall; i++) {
                        dot += q[j][i] * q[k][i];
                    }
                    for (int i = 0; i < tall; i++) {
                        q[j][i] -= dot * q[k][i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < tall; i++) {
                norm += q[j][i] * q[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < tall; i++) {
                q[j][i] /= norm;
            }
        }
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // tall: out = Q (rows x cols, column c is q[c]); wide: out = Q^T (row r is q[r])
                out[r][c] = (float) (a * (rows >= cols ? q[c][r] : q[r][c]));
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Initializer other && kerasName.equals(other.kerasName) && kind == other.kind && a == other.a
                && b == other.b && Objects.equals(mode, other.mode) && Objects.equals(distribution, other.distribution);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kerasName, kind, a, b, mode, distribution);
    }

    /** @return the Keras name and any parameters, e.g. {@code random_normal{mean=0.0, stddev=0.05}} */
    @Override
    public String toString() {
        return parameters.isEmpty() ? kerasName : kerasName + new java.util.TreeMap<>(parameters);
    }
}
