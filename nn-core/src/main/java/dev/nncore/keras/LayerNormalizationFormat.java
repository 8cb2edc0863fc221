package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.LayerNormalization;
import dev.nncore.math.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code LayerNormalization} over the last axis of flat samples: options {@code epsilon}, {@code center},
 * {@code scale}; weights {@code gamma [n]} (with scale) then {@code beta [n]} (with center). Keras 3's
 * {@code rms_scaling=True} (RMS normalisation) is refused.
 */
final class LayerNormalizationFormat extends LayerFormat {

    @Override
    LayerSpec read(LayerConfig config) throws ModelFormatException {
        double epsilon = config.finite("epsilon", LayerNormalization.DEFAULT_EPSILON);
        boolean center = config.bool("center", true);
        boolean scale = config.bool("scale", true);
        if (config.bool("rms_scaling", false)) {
            throw config.unsupported("it uses rms_scaling=True (x / rms(x) * gamma, without the mean); nn-core's"
                    + " LayerNormalization subtracts the mean");
        }
        List<String> names = new ArrayList<>();
        if (scale) {
            names.add("gamma");
        }
        if (center) {
            names.add("beta");
        }
        return new LayerSpec.PerFeature(config, names, true) {
            @Override
            Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
                List<Matrix> weights = new ArrayList<>();
                for (float[] value : values) {
                    weights.add(Matrix.row(value));
                }
                return checked(() -> LayerNormalization.of(inputShape[0], epsilon, center, scale).withWeights(weights)
                        .named(name()));
            }
        };
    }

    @Override
    Map<String, Object> kerasConfig(Layer layer) {
        LayerNormalization norm = (LayerNormalization) layer;
        return Tfjs.orderedMap(
                "axis", -1,
                "epsilon", norm.epsilon(),
                "center", norm.center(),
                "scale", norm.scale(),
                "rms_scaling", false,
                "beta_initializer", BatchNormalizationFormat.initializer("Zeros"),
                "gamma_initializer", BatchNormalizationFormat.initializer("Ones"),
                "beta_regularizer", null,
                "gamma_regularizer", null,
                "beta_constraint", null,
                "gamma_constraint", null);
    }

    @Override
    Map<String, Object> tfjsConfig(Layer layer) {
        LayerNormalization norm = (LayerNormalization) layer;
        return Tfjs.orderedMap(
                "axis", -1,
                "epsilon", norm.epsilon(),
                "center", norm.center(),
                "scale", norm.scale(),
                "beta_initializer", Tfjs.orderedMap("class_name", "Zeros", "config", Map.of()),
                "gamma_initializer", Tfjs.orderedMap("class_name", "Ones", "config", Map.of()),
                "beta_regularizer", null,
                "gamma_regularizer", null);
    }
}
