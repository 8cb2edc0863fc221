package dev.nncore.keras;

import dev.nncore.BatchNormalization;
import dev.nncore.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code BatchNormalization} over the last axis of flat samples ({@code axis} -1, or 1 on flat input):
 * options {@code momentum}, {@code epsilon}, {@code center}, {@code scale}; weights {@code gamma [n]} (with scale),
 * {@code beta [n]} (with center), {@code moving_mean [n]}, {@code moving_variance [n]}, in that order.
 */
final class BatchNormalizationFormat extends LayerFormat {

    @Override
    LayerSpec read(LayerConfig config) throws ModelFormatException {
        double momentum = config.finite("momentum", BatchNormalization.DEFAULT_MOMENTUM);
        double epsilon = config.finite("epsilon", BatchNormalization.DEFAULT_EPSILON);
        boolean center = config.bool("center", true);
        boolean scale = config.bool("scale", true);
        if (config.bool("renorm", false)) {
            throw config.unsupported("it uses batch renormalisation (renorm=True), whose extra statistics nn-core lacks");
        }
        List<String> names = new ArrayList<>();
        if (scale) {
            names.add("gamma");
        }
        if (center) {
            names.add("beta");
        }
        names.add("moving_mean");
        names.add("moving_variance");
        return new LayerSpec.PerFeature(config, names, true) {
            @Override
            Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
                int at = 0;
                float[] gamma = scale ? values.get(at++) : null;
                float[] beta = center ? values.get(at++) : null;
                float[] mean = values.get(at);
                float[] variance = values.get(at + 1);
                return checked(() -> BatchNormalization.of(momentum, epsilon, gamma, beta, mean, variance).named(name()));
            }
        };
    }

    @Override
    Map<String, Object> kerasConfig(Layer layer) {
        BatchNormalization norm = (BatchNormalization) layer;
        Map<String, Object> config = Tfjs.orderedMap(
                "axis", -1,
                "momentum", norm.momentum(),
                "epsilon", norm.epsilon(),
                "center", norm.center(),
                "scale", norm.scale(),
                "beta_initializer", initializer("Zeros"),
                "gamma_initializer", initializer("Ones"),
                "moving_mean_initializer", initializer("Zeros"),
                "moving_variance_initializer", initializer("Ones"),
                "beta_regularizer", null,
                "gamma_regularizer", null,
                "beta_constraint", null,
                "gamma_constraint", null);
        config.put("synchronized", false);
        return config;
    }

    static Map<String, Object> initializer(String className) {
        return Tfjs.orderedMap("module", "keras.initializers", "class_name", className, "config", Map.of(),
                "registered_name", null);
    }

    @Override
    Map<String, Object> tfjsConfig(Layer layer) {
        BatchNormalization norm = (BatchNormalization) layer;
        return Tfjs.orderedMap(
                "axis", -1,
                "momentum", norm.momentum(),
                "epsilon", norm.epsilon(),
                "center", norm.center(),
                "scale", norm.scale(),
                "beta_initializer", Tfjs.orderedMap("class_name", "Zeros", "config", Map.of()),
                "gamma_initializer", Tfjs.orderedMap("class_name", "Ones", "config", Map.of()),
                "moving_mean_initializer", Tfjs.orderedMap("class_name", "Zeros", "config", Map.of()),
                "moving_variance_initializer", Tfjs.orderedMap("class_name", "Ones", "config", Map.of()),
                "beta_regularizer", null,
                "gamma_regularizer", null,
                "beta_constraint", null,
                "gamma_constraint", null);
    }
}
