package dev.nncore;

import dev.nncore.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A projection applied to a weight after each optimizer update, as Keras 3's constraints
 * ({@code keras/src/constraints/constraints.py}) define it. Norms are taken along {@code axis} 0 by default: over
 * a kernel's inputs, one norm per unit (column); a bias is one vector. With {@code eps = 1e-7}:
 * <ul>
 *   <li>{@code MaxNorm(max_value = 2)}: {@code w * clip(n, 0, max) / (eps + n)};
 *   <li>{@code NonNeg}: {@code w * (w >= 0)};
 *   <li>{@code UnitNorm}: {@code w / (eps + n)};
 *   <li>{@code MinMaxNorm(min_value = 0, max_value = 1, rate = 1)}:
 *       {@code w * (rate * clip(n, min, max) + (1 - rate) n) / (eps + n)}.
 * </ul>
 *
 * <pre>{@code
 * float[][] kernel = {{3, 0}, {4, 1}};                            // column norms 5 and 1
 * float[][] capped = Constraint.maxNorm(2, 0).apply(kernel);        // {{1.2, 0}, {1.6, 1}}
 * }</pre>
 *
 * Immutable and thread-safe; equal when the kind and parameters are.
 *
 * @since 0.2.0
 */
public final class Constraint {

    private static final double EPSILON = 1e-7f;

    private final String className;
    private final double minValue;
    private final double maxValue;
    private final double rate;
    private final int axis;

    private Constraint(String className, double minValue, double maxValue, double rate, int axis) {
        this.className = className;
        this.minValue = minValue;
        this.maxValue = maxValue;
        this.rate = rate;
        this.axis = axis;
    }

    /**
     * Keras {@code MaxNorm(max_value, axis)}.
     * <pre>{@code
     * Constraint c = Constraint.maxNorm(3, 0);
     * }</pre>
     *
     * @param maxValue the largest norm, at least 0 (Keras default 2)
     * @param axis 0 (norm over a kernel's inputs, Keras default) or 1 (over its units)
     * @return the constraint
     */
    public static Constraint maxNorm(double maxValue, int axis) {
        return new Constraint("MaxNorm", 0, nonNegative(maxValue, "max_value"), 1, checkAxis(axis));
    }

    /**
     * Keras {@code NonNeg()}: negative weights become 0.
     * <pre>{@code
     * Constraint c = Constraint.nonNeg();
     * }</pre>
     *
     * @return the constraint
     */
    public static Constraint nonNeg() {
        return new Constraint("NonNeg", 0, 0, 0, 0);
    }

    /**
     * Keras {@code UnitNorm(axis)}.
     * <pre>{@code
     * Constraint c = Constraint.unitNorm(0);
     * }</pre>
     *
     * @param axis 0 (Keras default) or 1
     * @return the constraint
     */
    public static Constraint unitNorm(int axis) {
        return new Constraint("UnitNorm", 0, 0, 0, checkAxis(axis));
    }

    /**
     * Keras {@code MinMaxNorm(min_value, max_value, rate, axis)}.
     * <pre>{@code
     * Constraint c = Constraint.minMaxNorm(0.5, 1.0, 1.0, 0);
     * }</pre>
     *
     * @param minValue the smallest norm, at least 0 (Keras default 0)
     * @param maxValue the largest norm, at least {@code minValue} (Keras default 1)
     * @param rate how far to move towards the clipped norm, in [0, 1] (Keras default 1)
     * @param axis 0 (Keras default) or 1
     * @return the constraint
     */
    public static Constraint minMaxNorm(double minValue, double maxValue, double rate, int axis) {
        nonNegative(minValue, "min_value");
        if (!(maxValue >= minValue) || !Double.isFinite(maxValue)) {
            throw new IllegalArgumentException("MinMaxNorm needs min_value <= max_value, got " + minValue + " and " + maxValue);
        }
        return new Constraint("MinMaxNorm", minValue, maxValue, Checks.inRange(rate, 0, 1, "rate"), checkAxis(axis));
    }

    /**
     * The constraint a Keras config describes: its {@code class_name} ({@code "MaxNorm"}, {@code "NonNeg"},
     * {@code "UnitNorm"}, {@code "MinMaxNorm"}, or Keras 2's {@code "max_norm"}, ...) and {@code config}; missing
     * entries take Keras's defaults.
     * <pre>{@code
     * Constraint c = Constraint.fromKeras("MaxNorm", Map.of("max_value", 3, "axis", 0));
     * }</pre>
     *
     * @param className the Keras class name; case is ignored
     * @param config the parameters; may be empty
     * @return the constraint
     * @throws IllegalArgumentException if the name is unknown or a parameter is out of range
     */
    public static Constraint fromKeras(String className, Map<String, ?> config) {
        Map<String, ?> c = config == null ? Map.of() : config;
        String name = String.valueOf(className).toLowerCase(Locale.ROOT).replace("_", "");
        int axis = (int) number(c, "axis", 0);
        return switch (name) {
            case "maxnorm" -> maxNorm(number(c, "max_value", 2), axis);
            case "nonneg" -> nonNeg();
            case "unitnorm" -> unitNorm(axis);
            case "minmaxnorm" -> minMaxNorm(number(c, "min_value", 0), number(c, "max_value", 1), number(c, "rate", 1), axis);
            default -> throw new IllegalArgumentException("Unknown constraint '" + className
                    + "'; nn-core knows MaxNorm, NonNeg, UnitNorm and MinMaxNorm");
        };
    }

    private static double number(Map<String, ?> config, String key, double fallback) {
        Object value = config.get(key);
        if (value instanceof java.util.List<?> list && list.size() == 1) {
            value = list.get(0); // Keras 2 writes axis as a list
        }
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("constraint parameter " + key + " must be a number, got " + value);
        }
        return number.doubleValue();
    }

    private static double nonNegative(double value, String name) {
        return Checks.inRange(value, 0, Double.MAX_VALUE, name);
    }

    private static int checkAxis(int axis) {
        if (axis != 0 && axis != 1 && axis != -1) {
            throw new IllegalArgumentException("axis must be 0 or 1 (or -1, the last) for a Dense weight, got " + axis);
        }
        return axis;
    }

    /** @return Keras's class name, e.g. {@code "MaxNorm"} */
    public String kerasClassName() {
        return className;
    }

    /** @return Keras's config dict, e.g. {@code {max_value=2.0, axis=0}} */
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        switch (className) {
            case "MaxNorm" -> {
                config.put("max_value", maxValue);
                config.put("axis", axis);
            }
            case "UnitNorm" -> config.put("axis", axis);
            case "MinMaxNorm" -> {
                config.put("min_value", minValue);
                config.put("max_value", maxValue);
                config.put("rate", rate);
                config.put("axis", axis);
            }
            default -> { }
        }
        return config;
    }

    /**
     * The constrained weight.
     *
     * @param weight a kernel {@code [inputs][units]}, or a bias as one row; not modified
     * @return a new array
     */
    public float[][] apply(float[][] weight) {
        Checks.notNull(weight, "weight");
        float[][] copy = new float[weight.length][];
        for (int i = 0; i < weight.length; i++) {
            copy[i] = weight[i].clone();
        }
        applyInPlace(copy, false);
        return copy;
    }

    /**
     * Constrains a weight in place, what {@code fit} does after each update.
     *
     * @param weight a kernel, or a 1-D weight as one row; overwritten
     * @param oneDimensional whether {@code weight} is a 1-D weight held as one row (its axis 0 runs along the row)
     */
    public void applyInPlace(float[][] weight, boolean oneDimensional) {
        Checks.notNull(weight, "weight");
        if (className.equals("NonNeg")) {
            for (float[] row : weight) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = row[j] * (row[j] >= 0 ? 1f : 0f); // as Keras: a negative becomes -0.0, NaN stays NaN
                }
            }
            return;
        }
        // a 1-D weight, or axis 1 of a kernel: one norm per row; axis 0 (or -1 of a 1-D weight): one per column
        boolean perRow = oneDimensional || axis == 1 || axis == -1;
        int vectors = perRow ? weight.length : weight[0].length;
        int length = perRow ? weight[0].length : weight.length;
        for (int v = 0; v < vectors; v++) {
            double sum = 0;
            for (int k = 0; k < length; k++) {
                double w = perRow ? weight[v][k] : weight[k][v];
                sum += w * w;
            }
            double norm = Math.sqrt(sum);
            double factor = switch (className) {
                case "MaxNorm" -> Math.min(Math.max(norm, 0), maxValue) / (EPSILON + norm);
                case "UnitNorm" -> 1 / (EPSILON + norm);
                default -> (rate * Math.min(Math.max(norm, minValue), maxValue) + (1 - rate) * norm) / (EPSILON + norm);
            };
            for (int k = 0; k < length; k++) {
                if (perRow) {
                    weight[v][k] = (float) (weight[v][k] * factor);
                } else {
                    weight[k][v] = (float) (weight[k][v] * factor);
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Constraint other && className.equals(other.className) && minValue == other.minValue
                && maxValue == other.maxValue && rate == other.rate && axis == other.axis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, minValue, maxValue, rate, axis);
    }

    /** @return e.g. {@code MaxNorm{max_value=2.0, axis=0}} */
    @Override
    public String toString() {
        return className + config();
    }
}
