package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.Rescaling;
import java.util.List;
import java.util.Map;

/** Keras's {@code Rescaling(scale, offset)} with one scale and one offset for every value (lists are refused). */
final class RescalingFormat extends LayerFormat {

    @Override
    LayerSpec read(LayerConfig config) throws ModelFormatException {
        for (String key : new String[] {"scale", "offset"}) {
            if (config.has(key) && !config.get(key).isNumber()) {
                throw config.unsupported("its " + key + " is " + (config.get(key).isArray() ? "a list (one per channel)"
                        : "not a number") + "; nn-core's Rescaling takes one scale and one offset for every value");
            }
        }
        double scale = config.finite("scale", 1.0);
        double offset = config.finite("offset", 0.0);
        return new LayerSpec(config) {
            @Override
            int[] outputShape(int[] inputShape) {
                return inputShape.clone();
            }

            @Override
            Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
                return checked(() -> Rescaling.of(Architecture.size(inputShape), scale, offset).named(name()));
            }
        };
    }

    @Override
    Map<String, Object> kerasConfig(Layer layer) {
        Rescaling rescaling = (Rescaling) layer;
        return Tfjs.orderedMap("scale", rescaling.scale(), "offset", rescaling.offset());
    }

    @Override
    Map<String, Object> tfjsConfig(Layer layer) {
        return kerasConfig(layer);
    }
}
