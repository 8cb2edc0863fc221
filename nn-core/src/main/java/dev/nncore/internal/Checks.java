package dev.nncore.internal;

/**
 * Argument checks for the public boundary, in the manner of Guava's {@code Preconditions}: each names what was
 * passed and what was expected, and primitive overloads keep the happy path free of boxing.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * @param value the argument
     * @param name its name, for the message
     * @param <T> its type
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is null
     */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /**
     * @param value the argument
     * @param name its name, for the message
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is below 1
     */
    public static int positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
        return value;
    }

    /**
     * @param value the argument
     * @param name its name, for the message
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is not a finite number above 0
     */
    public static double positive(double value, String name) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number above 0, got " + value);
        }
        return value;
    }

    /**
     * @param value the argument
     * @param low smallest allowed value
     * @param high largest allowed value
     * @param name its name, for the message
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is NaN or outside {@code [low, high]}
     */
    public static double inRange(double value, double low, double high, String name) {
        if (!(value >= low && value <= high)) {
            throw new IllegalArgumentException(name + " must be in [" + low + ", " + high + "], got " + value);
        }
        return value;
    }
}
