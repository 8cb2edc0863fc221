package dev.nncore.keras;

import dev.nncore.Constraint;
import dev.nncore.Dense;
import dev.nncore.Initializer;
import dev.nncore.Regularizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Dense layer's {@code kernel_initializer}, {@code bias_initializer}, {@code kernel_regularizer},
 * {@code bias_regularizer}, {@code activity_regularizer}, {@code kernel_constraint} and {@code bias_constraint}, read
 * from and written to Keras configs. Read: Keras 3's {@code {"module": "keras.regularizers", "class_name": "L2",
 * "config": {"l2": 0.01}}}, Keras 2's and TensorFlow.js's {@code {"class_name": "L2", "config": {...}}}, a bare name
 * ({@code "he_normal"}), and Keras 1's {@code init}, {@code W_regularizer}, {@code b_regularizer},
 * {@code W_constraint}, {@code b_constraint} ({@code {"name": "L1L2Regularizer", "l1": 0, "l2": 0.01}}). An
 * initializer, regularizer or constraint nn-core does not know (a custom class) is left out, as before nn-core knew
 * any: the weights load, and a Keras-compatible default stands in.
 */
final class WeightOptions {

    private WeightOptions() {
    }

    /** The options a Dense config names, applied to {@code dense}. */
    static Dense apply(Dense dense, LayerConfig config, boolean keras1) {
        Initializer kernelInit = initializer(option(config, keras1 ? "init" : "kernel_initializer"), Initializer.GLOROT_UNIFORM);
        Initializer biasInit = initializer(option(config, "bias_initializer"), Initializer.ZEROS);
        Regularizer kernel = regularizer(option(config, keras1 ? "W_regularizer" : "kernel_regularizer"));
        Regularizer bias = dense.useBias() ? regularizer(option(config, keras1 ? "b_regularizer" : "bias_regularizer")) : null;
        Regularizer activity = regularizer(option(config, "activity_regularizer"));
        Constraint kernelConstraint = constraint(option(config, keras1 ? "W_constraint" : "kernel_constraint"));
        Constraint biasConstraint = dense.useBias() ? constraint(option(config, keras1 ? "b_constraint" : "bias_constraint")) : null;
        if (activity != null && activity.kerasClassName().equals("OrthogonalRegularizer")) {
            activity = null;
        }
        if (bias != null && bias.kerasClassName().equals("OrthogonalRegularizer")) {
            bias = null;
        }
        Dense out = dense;
        if (!kernelInit.equals(Initializer.GLOROT_UNIFORM) || !biasInit.equals(Initializer.ZEROS)) {
            out = out.withInitializers(kernelInit, biasInit);
        }
        if (kernel != null || bias != null || activity != null) {
            out = out.withRegularizers(kernel, bias, activity);
        }
        if (kernelConstraint != null || biasConstraint != null) {
            out = out.withConstraints(kernelConstraint, biasConstraint);
        }
        return out;
    }

    private static Object option(LayerConfig config, String key) {
        return config.has(key) ? config.json().raw() instanceof Map<?, ?> map ? map.get(key) : null : null;
    }

    /** The class name and config of a serialised object, or null if it is not one. */
    private static Map.Entry<String, Map<String, Object>> described(Object value) {
        if (value instanceof String name) {
            return Map.entry(name, Map.of());
        }
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Object name = map.get("class_name") != null ? map.get("class_name") : map.get("name");
        if (!(name instanceof String className)) {
            return null;
        }
        Map<String, Object> config = new LinkedHashMap<>();
        Object inner = map.get("config");
        Map<?, ?> source = inner instanceof Map<?, ?> c ? c : map; // Keras 1 puts the parameters beside the name
        for (Map.Entry<?, ?> entry : source.entrySet()) {
            config.put(String.valueOf(entry.getKey()), entry.getValue());
        }
        if (inner == null && config.containsKey("m") && !config.containsKey("max_value")) {
            config.put("max_value", config.get("m")); // Keras 1's MaxNorm(m)
        }
        return Map.entry(className, config);
    }

    private static Initializer initializer(Object value, Initializer fallback) {
        Map.Entry<String, Map<String, Object>> d = described(value);
        try {
            return d == null ? fallback : Initializer.fromKeras(d.getKey(), d.getValue());
        } catch (IllegalArgumentException unknown) {
            return fallback;
        }
    }

    private static Regularizer regularizer(Object value) {
        Map.Entry<String, Map<String, Object>> d = described(value);
        if (d == null) {
            return null;
        }
        String name = d.getKey().equals("L1L2Regularizer") ? "L1L2" : d.getKey();
        try {
            return Regularizer.fromKeras(name, d.getValue());
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static Constraint constraint(Object value) {
        Map.Entry<String, Map<String, Object>> d = described(value);
        try {
            return d == null ? null : Constraint.fromKeras(d.getKey(), d.getValue());
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    /**
     * The TensorFlow.js entries of a Dense config: {@code {"class_name", "config"}} objects; TensorFlow.js's only
     * regularizer class is {@code L1L2}, and it spells {@code LeCun} with a capital C.
     *
     * @throws IllegalArgumentException for an OrthogonalRegularizer, which TensorFlow.js does not have
     */
    static Map<String, Object> tfjsConfig(Dense dense) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kernel_initializer", tfjsInitializer(dense.kernelInitializer()));
        map.put("bias_initializer", tfjsInitializer(dense.biasInitializer()));
        map.put("kernel_regularizer", dense.kernelRegularizer().map(r -> tfjsRegularizer(r, dense)).orElse(null));
        map.put("bias_regularizer", dense.biasRegularizer().map(r -> tfjsRegularizer(r, dense)).orElse(null));
        map.put("activity_regularizer", dense.activityRegularizer().map(r -> tfjsRegularizer(r, dense)).orElse(null));
        map.put("kernel_constraint", dense.kernelConstraint()
                .map(c -> Tfjs.orderedMap("class_name", c.kerasClassName(), "config", c.config())).orElse(null));
        map.put("bias_constraint", dense.biasConstraint()
                .map(c -> Tfjs.orderedMap("class_name", c.kerasClassName(), "config", c.config())).orElse(null));
        return map;
    }

    private static Map<String, Object> tfjsInitializer(Initializer initializer) {
        if (initializer.equals(Initializer.GLOROT_UNIFORM)) {
            return Tfjs.orderedMap("class_name", "VarianceScaling", "config",
                    Tfjs.orderedMap("scale", 1, "mode", "fan_avg", "distribution", "uniform", "seed", null));
        }
        String className = initializer.kerasClassName().replace("Lecun", "LeCun");
        return Tfjs.orderedMap("class_name", className, "config", initializerConfig(initializer));
    }

    private static Map<String, Object> tfjsRegularizer(Regularizer regularizer, Dense dense) {
        Map<String, Object> config = regularizer.config();
        if (regularizer.kerasClassName().equals("OrthogonalRegularizer")) {
            throw new IllegalArgumentException("TensorFlow.js has no OrthogonalRegularizer (Dense \"" + dense.name()
                    + "\"); save as .keras, or remove it with withRegularizers(...)");
        }
        return Tfjs.orderedMap("class_name", "L1L2", "config", Tfjs.orderedMap(
                "l1", config.getOrDefault("l1", 0.0), "l2", config.getOrDefault("l2", 0.0)));
    }

    /** Keras 3's serialised form: {@code {"module", "class_name", "config", "registered_name"}}. */
    static Map<String, Object> keras3(String module, String className, Map<String, Object> config) {
        return Tfjs.orderedMap("module", module, "class_name", className, "config", config, "registered_name", null);
    }

    /** Keras 3's config of an initializer: its parameters and {@code seed}. */
    static Map<String, Object> initializerConfig(Initializer initializer) {
        Map<String, Object> config = new LinkedHashMap<>(new java.util.TreeMap<>(initializer.parameters()));
        String name = initializer.kerasName();
        if (!name.equals("zeros") && !name.equals("ones") && !name.equals("constant")) {
            config.put("seed", null);
        }
        return config;
    }

    /** The Keras 3 entries of a Dense config for its initializers, regularizers and constraints, in Keras's order. */
    static Map<String, Object> keras3Config(Dense dense) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kernel_initializer", keras3("keras.initializers", dense.kernelInitializer().kerasClassName(),
                initializerConfig(dense.kernelInitializer())));
        map.put("bias_initializer", keras3("keras.initializers", dense.biasInitializer().kerasClassName(),
                initializerConfig(dense.biasInitializer())));
        map.put("kernel_regularizer", dense.kernelRegularizer()
                .map(r -> keras3("keras.regularizers", r.kerasClassName(), r.config())).orElse(null));
        map.put("bias_regularizer", dense.biasRegularizer()
                .map(r -> keras3("keras.regularizers", r.kerasClassName(), r.config())).orElse(null));
        dense.activityRegularizer().ifPresent(r -> map.put("activity_regularizer",
                keras3("keras.regularizers", r.kerasClassName(), r.config())));
        map.put("kernel_constraint", dense.kernelConstraint()
                .map(c -> keras3("keras.constraints", c.kerasClassName(), c.config())).orElse(null));
        map.put("bias_constraint", dense.biasConstraint()
                .map(c -> keras3("keras.constraints", c.kerasClassName(), c.config())).orElse(null));
        return map;
    }
}
