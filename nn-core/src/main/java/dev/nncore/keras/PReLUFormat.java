package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.PReLU;
import java.util.List;
import java.util.Map;

/** Keras's {@code PReLU}: a leaky relu with one learned slope per feature, weight {@code alpha [n]}. */
final class PReLUFormat extends LayerFormat {

    @Override
    LayerSpec read(LayerConfig config) throws ModelFormatException {
        if (config.has("shared_axes")) {
            throw config.unsupported("it shares slopes over axes " + config.get("shared_axes").raw() + "; nn-core's PReLU"
                    + " learns one slope per feature (shared_axes=None)");
        }
        return new LayerSpec.PerFeature(config, List.of("alpha"), false) {
            @Override
            Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
                return checked(() -> PReLU.of(values.get(0)).named(name()));
            }
        };
    }

    @Override
    Map<String, Object> kerasConfig(Layer layer) {
        return Tfjs.orderedMap(
                "alpha_initializer", Tfjs.orderedMap("module", "keras.initializers", "class_name", "Zeros",
                        "config", Map.of(), "registered_name", null),
                "alpha_regularizer", null,
                "alpha_constraint", null,
                "shared_axes", null);
    }

    @Override
    Map<String, Object> tfjsConfig(Layer layer) {
        return Tfjs.orderedMap(
                "alpha_initializer", Tfjs.orderedMap("class_name", "Zeros", "config", Map.of()),
                "alpha_regularizer", null,
                "alpha_constraint", null,
                "shared_axes", null);
    }
}
