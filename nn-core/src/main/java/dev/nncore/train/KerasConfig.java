package dev.nncore.train;

import java.util.Map;

/** Reads typed values out of a Keras {@code get_config()} dict, naming the key and the object in every error. */
final class KerasConfig {

    private final String owner;
    private final Map<String, ?> config;

    KerasConfig(String owner, Map<String, ?> config) {
        if (config == null) {
            throw new IllegalArgumentException(owner + ": config must not be null");
        }
        this.owner = owner;
        this.config = config;
    }

    boolean has(String key) {
        return config.get(key) != null;
    }

    double number(String key, double fallback) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException(owner + " config \"" + key + "\" must be a number, got " + value);
        }
        return number.doubleValue();
    }

    long whole(String key, long fallback) {
        double value = number(key, fallback);
        if (value != Math.rint(value)) {
            throw new IllegalArgumentException(owner + " config \"" + key + "\" must be a whole number, got " + value);
        }
        return (long) value;
    }

    boolean flag(String key, boolean fallback) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean bool)) {
            throw new IllegalArgumentException(owner + " config \"" + key + "\" must be true or false, got " + value);
        }
        return bool;
    }

    Object raw(String key) {
        return config.get(key);
    }

    static void positive(double value, String name) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number above 0, got " + value);
        }
    }

    static void atLeastZero(double value, String name) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
    }

    static void fraction(double value, String name) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
    }
}
