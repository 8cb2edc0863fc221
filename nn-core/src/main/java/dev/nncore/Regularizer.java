package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A weight penalty added to the training loss, as Keras 3's regularizers ({@code keras/src/regularizers/regularizers.py})
 * define it: {@code L1} {@code l1 sum|w|}, {@code L2} {@code l2 sum w^2}, {@code L1L2} both, and
 * {@code OrthogonalRegularizer} {@code factor * 0.5 * sum_{i != j} |u_i . u_j| / (n (n - 1) / 2)} over the n rows (or
 * columns) {@code u_i} of the kernel, each normalised to unit length ({@code x / max(||x||, 1e-7)}).
 *
 * <p>On a Dense kernel or bias the penalty is added to the loss that {@code fit} reports and minimises, and its
 * gradient to the weight's gradient. As an {@code activity_regularizer} it applies to the layer's outputs: Keras 3
 * adds the penalty of each batch's outputs as it is (tf.keras 2 divided it by the batch size).
 *
 * <pre>{@code
 * Regularizer l2 = Regularizer.l2(0.01);
 * double penalty = l2.penalty(new float[][] {{1, -2}, {3, 0}});     // 0.01 * 14 = 0.14
 * float[][] gradient = new float[2][2];
 * l2.addGradient(new float[][] {{1, -2}, {3, 0}}, 1.0, gradient);  // gradient = {{0.02, -0.04}, {0.06, 0}}
 * }</pre>
 *
 * Immutable and thread-safe; equal when the kind and parameters are.
 *
 * @since 0.2.0
 */
public final class Regularizer {

    private static final double EPSILON = 1e-7f;

    private enum Kind { L1L2, ORTHOGONAL }

    private final String className;
    private final Kind kind;
    private final double l1;
    private final double l2;
    private final boolean rows;

    private Regularizer(String className, Kind kind, double l1, double l2, boolean rows) {
        this.className = className;
        this.kind = kind;
        this.l1 = l1;
        this.l2 = l2;
        this.rows = rows;
    }

    /**
     * Keras {@code L1(l1)}: {@code l1 * sum(|w|)}; the derivative at 0 is 0.
     * <pre>{@code
     * Regularizer r = Regularizer.l1(0.01);
     * }</pre>
     *
     * @param l1 the factor, at least 0 (Keras default 0.01)
     * @return the regularizer
     */
    public static Regularizer l1(double l1) {
        return new Regularizer("L1", Kind.L1L2, factor(l1, "l1"), 0, false);
    }

    /**
     * Keras {@code L2(l2)}: {@code l2 * sum(w^2)} (no 1/2, as in Keras).
     * <pre>{@code
     * Regularizer r = Regularizer.l2(0.01);
     * }</pre>
     *
     * @param l2 the factor, at least 0 (Keras default 0.01)
     * @return the regularizer
     */
    public static Regularizer l2(double l2) {
        return new Regularizer("L2", Kind.L1L2, 0, factor(l2, "l2"), false);
    }

    /**
     * Keras {@code L1L2(l1, l2)}: {@code l1 sum(|w|) + l2 sum(w^2)}.
     * <pre>{@code
     * Regularizer r = Regularizer.l1l2(0.001, 0.01);
     * }</pre>
     *
     * @param l1 the L1 factor, at least 0 (Keras default 0)
     * @param l2 the L2 factor, at least 0 (Keras default 0)
     * @return the regularizer
     */
    public static Regularizer l1l2(double l1, double l2) {
        return new Regularizer("L1L2", Kind.L1L2, factor(l1, "l1"), factor(l2, "l2"), false);
    }

    /**
     * Keras {@code OrthogonalRegularizer(factor, mode)}: pushes a kernel's rows ({@code "rows"}) or columns
     * ({@code "columns"}) towards being orthogonal. Only for 2-D weights with at least two rows (or columns).
     * <pre>{@code
     * Regularizer r = Regularizer.orthogonal(0.01, "rows");
     * }</pre>
     *
     * @param factor the factor, at least 0 (Keras default 0.01)
     * @param mode {@code "rows"} (Keras default) or {@code "columns"}
     * @return the regularizer
     * @throws IllegalArgumentException if the mode is neither
     */
    public static Regularizer orthogonal(double factor, String mode) {
        String m = String.valueOf(mode).toLowerCase(Locale.ROOT);
        if (!m.equals("rows") && !m.equals("columns")) {
            throw new IllegalArgumentException("OrthogonalRegularizer mode must be 'rows' or 'columns', got '" + mode + "'");
        }
        return new Regularizer("OrthogonalRegularizer", Kind.ORTHOGONAL, factor(factor, "factor"), 0, m.equals("rows"));
    }

    /**
     * The regularizer a Keras config describes: its {@code class_name} ({@code "L2"}, {@code "L1L2"},
     * {@code "OrthogonalRegularizer"}, or Keras 2's {@code "l2"}, {@code "l1_l2"}) and its {@code config} dict, whose
     * missing entries take Keras's defaults.
     * <pre>{@code
     * Regularizer r = Regularizer.fromKeras("L2", Map.of("l2", 0.001));
     * }</pre>
     *
     * @param className the Keras class or function name; case is ignored
     * @param config the parameters, e.g. {@code {l2=0.01}}; may be empty
     * @return the regularizer
     * @throws IllegalArgumentException if the name is not a regularizer nn-core knows, or a parameter is not a number
     */
    public static Regularizer fromKeras(String className, Map<String, ?> config) {
        Map<String, ?> c = config == null ? Map.of() : config;
        String name = String.valueOf(className).toLowerCase(Locale.ROOT).replace("_", "");
        return switch (name) {
            case "l1" -> l1(number(c, "l1", 0.01));
            case "l2" -> l2(number(c, "l2", 0.01));
            case "l1l2" -> l1l2(number(c, "l1", 0), number(c, "l2", 0));
            case "orthogonalregularizer", "orthogonal" -> orthogonal(number(c, "factor", 0.01),
                    c.get("mode") == null ? "rows" : String.valueOf(c.get("mode")));
            default -> throw new IllegalArgumentException("Unknown regularizer '" + className
                    + "'; nn-core knows L1, L2, L1L2 and OrthogonalRegularizer");
        };
    }

    private static double number(Map<String, ?> config, String key, double fallback) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("regularizer parameter " + key + " must be a number, got " + value);
        }
        return number.doubleValue();
    }

    private static double factor(double value, String name) {
        return Checks.inRange(value, 0, Double.MAX_VALUE, name);
    }

    /** @return Keras's class name: {@code "L1"}, {@code "L2"}, {@code "L1L2"} or {@code "OrthogonalRegularizer"} */
    public String kerasClassName() {
        return className;
    }

    /** @return Keras's config dict for this regularizer, e.g. {@code {l2=0.01}} */
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        switch (className) {
            case "L1" -> config.put("l1", l1);
            case "L2" -> config.put("l2", l2);
            case "L1L2" -> {
                config.put("l1", l1);
                config.put("l2", l2);
            }
            default -> {
                config.put("factor", l1);
                config.put("mode", rows ? "rows" : "columns");
            }
        }
        return config;
    }

    /**
     * The penalty of one weight, in double.
     *
     * @param weight the weight, e.g. a kernel {@code [inputs][units]} or a bias as one row; not modified
     * @return the penalty
     * @throws IllegalArgumentException if this is an orthogonal regularizer and the weight has fewer than two vectors
     */
    public double penalty(float[][] weight) {
        Checks.notNull(weight, "weight");
        if (kind == Kind.ORTHOGONAL) {
            return orthogonalPenalty(weight, null);
        }
        double absolute = 0;
        double squares = 0;
        for (float[] row : weight) {
            for (float w : row) {
                absolute += Math.abs(w);
                squares += (double) w * w;
            }
        }
        return l1 * absolute + l2 * squares;
    }

    /**
     * Adds {@code scale * d penalty / d weight} to {@code gradient}.
     *
     * @param weight the weight; not modified
     * @param scale the factor on the derivative (1 for a weight, and for an activity as Keras 3 computes it)
     * @param gradient as shaped as {@code weight}; added to
     */
    public void addGradient(float[][] weight, double scale, float[][] gradient) {
        Checks.notNull(weight, "weight");
        Checks.notNull(gradient, "gradient");
        if (kind == Kind.ORTHOGONAL) {
            double[][] d = new double[weight.length][weight[0].length];
            orthogonalPenalty(weight, d);
            for (int i = 0; i < weight.length; i++) {
                for (int j = 0; j < weight[i].length; j++) {
                    gradient[i][j] += (float) (scale * d[i][j]);
                }
            }
            return;
        }
        for (int i = 0; i < weight.length; i++) {
            for (int j = 0; j < weight[i].length; j++) {
                double w = weight[i][j];
                gradient[i][j] += (float) (scale * (l1 * Math.signum(w) + 2 * l2 * w));
            }
        }
    }

    /** The orthogonal penalty; with {@code gradient} non-null also its derivative, written there. */
    private double orthogonalPenalty(float[][] weight, double[][] gradient) {
        int rowCount = weight.length;
        int colCount = weight[0].length;
        int n = rows ? rowCount : colCount;
        int length = rows ? colCount : rowCount;
        if (n < 2) {
            throw new IllegalArgumentException("OrthogonalRegularizer (mode " + (rows ? "rows" : "columns") + ") needs at least 2 "
                    + (rows ? "rows" : "columns") + ", got a " + rowCount + "x" + colCount + " weight");
        }
        double[][] u = new double[n][length];
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int k = 0; k < length; k++) {
                double w = rows ? weight[i][k] : weight[k][i];
                u[i][k] = w;
                sum += w * w;
            }
            norms[i] = Math.max(Math.sqrt(sum), EPSILON);
            for (int k = 0; k < length; k++) {
                u[i][k] /= norms[i];
            }
        }
        double pairs = n * (n - 1.0) / 2.0;
        double c = l1 * 0.5 / pairs;
        double total = 0;
        double[][] du = gradient == null ? null : new double[n][length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                double dot = 0;
                for (int k = 0; k < length; k++) {
                    dot += u[i][k] * u[j][k];
                }
                total += Math.abs(dot);
                if (du != null) {
                    // |P_ij| and |P_ji| both depend on u_i: d/du_i = 2 c sign(P_ij) u_j
                    double s = 2 * c * Math.signum(dot);
                    for (int k = 0; k < length; k++) {
                        du[i][k] += s * u[j][k];
                    }
                }
            }
        }
        if (du != null) {
            for (int i = 0; i < n; i++) {
                double projection = 0;
                for (int k = 0; k < length; k++) {
                    projection += u[i][k] * du[i][k];
                }
                boolean floored = norms[i] <= EPSILON;
                for (int k = 0; k < length; k++) {
                    double d = (floored ? du[i][k] : du[i][k] - u[i][k] * projection) / norms[i];
                    if (rows) {
                        gradient[i][k] = d;
                    } else {
                        gradient[k][i] = d;
                    }
                }
            }
        }
        return c * total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Regularizer other && className.equals(other.className) && l1 == other.l1 && l2 == other.l2
                && rows == other.rows;
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, l1, l2, rows);
    }

    /** @return e.g. {@code L2{l2=0.01}} */
    @Override
    public String toString() {
        return className + config();
    }
}
