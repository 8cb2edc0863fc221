package dev.nncore.keras;

import dev.nncore.Activation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code activation} of a Dense or Activation layer, read and written: a name ({@code "relu"}), null (linear),
 * Keras 3's serialised function ({@code {"class_name": "function", "config": "relu"}}), or an activation layer object
 * ({@code {"class_name": "LeakyReLU", "config": {"negative_slope": 0.1}}}), which goes through that class's
 * {@link ActivationLayerFormat}.
 */
final class Activations {

    /** Names Keras and TensorFlow have written that nn-core knows under another. */
    private static final Map<String, Activation> ALIASES = Map.of(
            "softmax_v2", Activation.SOFTMAX, "Sigmoid", Activation.SIGMOID, "Tanh", Activation.TANH,
            "Linear", Activation.LINEAR);

    private Activations() {
    }

    /**
     * @param value the {@code activation} option, or null if absent
     * @param layer the layer it belongs to, for messages and the dialect
     */
    static Activation read(JsonView value, LayerConfig layer) throws ModelFormatException {
        if (value == null || value.isNull()) {
            return Activation.LINEAR;
        }
        if (value.isString()) {
            return named(value.asString(), layer, value);
        }
        String className = value.get("class_name").asString();
        if ("function".equals(className)) {
            return named(value.get("config").asString(), layer, value);
        }
        LayerFormat format = LayerFormats.forClass(className);
        if (format instanceof ActivationLayerFormat activationFormat) {
            JsonView config = value.has("config") && !value.get("config").isNull() ? value.get("config")
                    : value.child("config", Map.of());
            return activationFormat.activation(new LayerConfig(className, layer.name(), config, layer.dialect()));
        }
        Activation byName = named(className, layer.dialect());
        if (byName != null) {
            return byName;
        }
        if (format != null) {
            throw new UnsupportedModelException(value.source() + ": " + layer.describe() + " is not supported: its"
                    + " activation is a " + className + " layer object; nn-core takes activation functions and the"
                    + " layers " + ActivationLayerFormat.CLASSES + " there");
        }
        return named(className, layer, value);
    }

    /** The activation Keras calls {@code name} in the layer's dialect. */
    private static Activation named(String name, LayerConfig layer, JsonView where) throws ModelFormatException {
        Activation activation = named(name, layer.dialect());
        if (activation == null) {
            throw new UnsupportedModelException(where.source() + ": " + layer.describe() + " is not supported: it uses"
                    + " activation \"" + name + "\", which nn-core lacks; nn-core computes "
                    + String.join(", ", Activation.kerasNames()));
        }
        return activation;
    }

    /** The activation of a name in a dialect, or null: Keras 2's {@code hard_sigmoid} differs from Keras 3's. */
    static Activation named(String name, Dialect dialect) {
        if (ALIASES.containsKey(name)) {
            return ALIASES.get(name);
        }
        if ("hard_sigmoid".equals(name.trim().toLowerCase(java.util.Locale.ROOT)) && dialect == Dialect.KERAS_2) {
            return Activation.hardSigmoidKeras2();
        }
        try {
            return Activation.fromKerasName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The value to write for {@code activation} in a Keras 3 config: its name when the name alone says it, else an
     * activation layer object such as {@code {"class_name": "LeakyReLU", ...}}.
     *
     * @param owner the layer, for the message
     * @throws IllegalArgumentException if Keras 3 has no way to say it (Keras 2's hard_sigmoid, approximate gelu)
     */
    static Object kerasValue(Activation activation, String owner) {
        if (activation.equals(named(activation.kerasName(), Dialect.KERAS_3))) {
            return activation.kerasName();
        }
        for (ActivationLayerFormat format : ActivationLayerFormat.objectFormats()) {
            if (format.canWrite(activation)) {
                Map<String, Object> config = new LinkedHashMap<>();
                config.put("name", LayerConfig.snakeCase(format.kerasClass()));
                config.put("trainable", true);
                config.put("dtype", KerasZip.DTYPE);
                config.putAll(format.kerasConfig(activation));
                return Tfjs.orderedMap("module", "keras.layers", "class_name", format.kerasClass(), "config", config,
                        "registered_name", null);
            }
        }
        throw new IllegalArgumentException(owner + " applies " + activation + ", which a Keras 3 file cannot express;"
                + (activation.kerasName().equals("hard_sigmoid") ? " Keras 3's hard_sigmoid is relu6(x + 3) / 6, so use"
                        + " Activation.HARD_SIGMOID, or save with Keras.saveTfjs, whose hard_sigmoid is Keras 2's" : "")
                + " use an activation of Activation.values() or an activation layer");
    }

    /**
     * The name to write for {@code activation} in a TensorFlow.js config, which knows activation names only.
     *
     * @throws IllegalArgumentException if TensorFlow.js would read the name as another function
     */
    static String tfjsValue(Activation activation, String owner) {
        if (activation.equals(Activation.SILU)) {
            return "swish"; // TensorFlow.js's name; it has no "silu"
        }
        if (activation.equals(named(activation.kerasName(), Dialect.KERAS_2))) {
            return activation.kerasName();
        }
        throw new IllegalArgumentException(owner + " applies " + activation + ", which a TensorFlow.js model.json cannot"
                + " name: TensorFlow.js takes activations by name with their default parameters"
                + (activation.equals(Activation.HARD_SIGMOID) ? ", and its hard_sigmoid is Keras 2's clip(0.2 x + 0.5, 0, 1);"
                        + " use Activation.hardSigmoidKeras2() or save with Keras.save" : "; use an activation layer"));
    }
}
