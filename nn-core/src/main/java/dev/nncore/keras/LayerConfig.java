package dev.nncore.keras;

import java.util.List;

/**
 * One layer's entry in a model configuration ({@code {"class_name": "Dense", "config": {...}}}), as a
 * {@link LayerFormat} reads it: the class, the name, typed options with Keras's defaults, and messages that name
 * the layer class first ({@code LSTM layer "lstm_1" is not supported: ...}).
 */
final class LayerConfig {

    private final String className;
    private final String name;
    private final JsonView config;
    private final Dialect dialect;

    LayerConfig(String className, String name, JsonView config, Dialect dialect) {
        this.className = className;
        this.name = name;
        this.config = config;
        this.dialect = dialect;
    }

    /** Reads the class and name of a layer entry; a layer without a name gets its class in snake case, as in Keras. */
    static LayerConfig of(JsonView layer, Dialect dialect) throws ModelFormatException {
        String className = layer.get("class_name").asString();
        JsonView config = layer.get("config");
        if (!config.isObject()) {
            throw config.error("expected the layer's config object, got " + (config.isNull() ? "null" : "a " + kind(config)));
        }
        String name = config.has("name") && !config.get("name").isNull() ? config.get("name").asString() : snakeCase(className);
        if (name.isBlank()) {
            throw new ModelFormatException(config.source() + ": a layer of class " + className + " with a blank name");
        }
        return new LayerConfig(className, name, config, dialect);
    }

    private static String kind(JsonView view) {
        return view.isArray() ? "list" : view.isString() ? "string" : view.isNumber() ? "number" : "value";
    }

    /** Keras's {@code to_snake_case}: {@code BatchNormalization} to {@code batch_normalization}, {@code ReLU} to {@code re_lu}. */
    static String snakeCase(String className) {
        String s = className.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    String className() {
        return className;
    }

    String name() {
        return name;
    }

    JsonView json() {
        return config;
    }

    Dialect dialect() {
        return dialect;
    }

    /** E.g. {@code BatchNormalization layer "bn"}, the start of every message about this layer. */
    String describe() {
        return className + " layer \"" + name + "\"";
    }

    /** Whether the option is present and not null. */
    boolean has(String key) {
        return config.raw() instanceof java.util.Map<?, ?> map && map.get(key) != null;
    }

    JsonView get(String key) throws ModelFormatException {
        return config.get(key);
    }

    double number(String key, double keras) throws ModelFormatException {
        return has(key) ? config.get(key).asDouble() : keras;
    }

    /** A finite number, Keras's default when absent or null. */
    double finite(String key, double keras) throws ModelFormatException {
        double value = number(key, keras);
        if (!Double.isFinite(value)) {
            throw config.get(key).error(describe() + " has " + key + " = " + value + "; it must be finite");
        }
        return value;
    }

    boolean bool(String key, boolean keras) throws ModelFormatException {
        return has(key) ? config.get(key).asBoolean() : keras;
    }

    /**
     * An {@code axis} option that must name the last axis of the sample ({@code -1}, {@code [-1]}, or its index
     * counting the batch axis, such as 1 for flat input), for layers that nn-core computes over the last axis only.
     *
     * @param sampleRank the axes of one sample, or -1 if not yet known
     */
    void requireLastAxis(String key, Object keras, int sampleRank) throws ModelFormatException {
        if (!config.has(key)) {
            return;
        }
        JsonView axis = config.get(key);
        List<JsonView> axes = axis.isArray() ? axis.elements() : List.of(axis);
        boolean last = axes.size() == 1 && axes.get(0).isNumber()
                && (axes.get(0).asDouble() == -1 || sampleRank > 0 && axes.get(0).asDouble() == sampleRank);
        if (!last) {
            throw unsupported("it works over axis " + axis.raw() + " (Keras's default is " + keras + "); nn-core computes it"
                    + " over the last axis of one flat vector per sample only");
        }
    }

    /** {@code <Class> layer "<name>" is not supported: <why>}. */
    UnsupportedModelException unsupported(String why) {
        return new UnsupportedModelException(config.source() + ": " + describe() + " is not supported: " + why);
    }

    /** A malformed option: {@code <file> at <path>: <Class> layer "<name>" <what>}. */
    ModelFormatException error(String key, String what) throws ModelFormatException {
        return (config.has(key) ? config.get(key) : config).error(describe() + " " + what);
    }
}
