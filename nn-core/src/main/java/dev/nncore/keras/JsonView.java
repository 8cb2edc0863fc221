package dev.nncore.keras;

import dev.nncore.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value that knows where it sits ({@code config.layers[1].config.units}), so that every type or
 * presence check ends in a {@link ModelFormatException} naming the file and the JSON path.
 */
final class JsonView {

    private final Object value;
    private final String path;
    private final String file;

    JsonView(Object value, String path, String file) {
        this.value = value;
        this.path = path;
        this.file = file;
    }

    /** The file and JSON path, for messages: {@code model.json at modelTopology.config.layers[0]}. */
    String source() {
        return path.isEmpty() ? file : file + " at " + path;
    }

    Object raw() {
        return value;
    }

    boolean isObject() {
        return value instanceof Map;
    }

    boolean isArray() {
        return value instanceof List;
    }

    boolean isString() {
        return value instanceof String;
    }

    boolean isNumber() {
        return value instanceof Number;
    }

    boolean isNull() {
        return value == null;
    }

    boolean has(String key) {
        return value instanceof Map<?, ?> map && map.containsKey(key);
    }

    JsonView get(String key) throws ModelFormatException {
        if (!(value instanceof Map<?, ?> map)) {
            throw error("expected an object with \"" + key + "\", got " + Json.typeName(value));
        }
        if (!map.containsKey(key)) {
            throw error("lacks \"" + key + "\"");
        }
        return new JsonView(map.get(key), path.isEmpty() ? key : path + "." + key, file);
    }

    /** A value that stands in for a missing member {@code key} of this object, e.g. an empty config. */
    JsonView child(String key, Object stand) {
        return new JsonView(stand, path.isEmpty() ? key : path + "." + key, file);
    }

    List<JsonView> elements() throws ModelFormatException {
        if (!(value instanceof List<?> list)) {
            throw error("expected an array, got " + Json.typeName(value));
        }
        List<JsonView> views = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            views.add(new JsonView(list.get(i), path + "[" + i + "]", file));
        }
        return views;
    }

    String asString() throws ModelFormatException {
        if (!(value instanceof String s)) {
            throw error("expected a string, got " + Json.typeName(value));
        }
        return s;
    }

    boolean asBoolean() throws ModelFormatException {
        if (!(value instanceof Boolean b)) {
            throw error("expected true or false, got " + Json.typeName(value));
        }
        return b;
    }

    double asDouble() throws ModelFormatException {
        if (!(value instanceof Number n)) {
            throw error("expected a number, got " + Json.typeName(value));
        }
        return n.doubleValue();
    }

    /** A whole number from 1 to 2^31 - 1, such as a layer's units or a shape's dimension. */
    int asPositiveInt() throws ModelFormatException {
        double d = asDouble();
        if (!(d >= 1 && d <= Integer.MAX_VALUE && d == Math.rint(d))) {
            throw error("expected a whole number of at least 1, got " + value);
        }
        return (int) d;
    }

    /** A whole number from 0 to 2^31 - 1, such as a dimension or a byte count. */
    long asNonNegativeLong() throws ModelFormatException {
        double d = asDouble();
        if (!(d >= 0 && d <= 9.007199254740992E15 && d == Math.rint(d))) {
            throw error("expected a whole number of at least 0, got " + value);
        }
        return (long) d;
    }

    ModelFormatException error(String what) {
        return new ModelFormatException(source() + ": " + what);
    }
}
