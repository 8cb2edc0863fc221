package dev.nncore.keras;

import dev.nncore.Dropout;
import dev.nncore.Layer;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code Dropout(rate)}: the identity at inference. {@code noise_shape} and {@code seed} only matter in
 * training and are not kept.
 */
final class DropoutFormat extends LayerFormat {

    @Override
    LayerSpec read(LayerConfig config) throws ModelFormatException {
        double rate = config.number(!config.has("rate") && config.has("p") ? "p" : "rate", 0.5); // Keras 1: p
        if (!(rate >= 0 && rate < 1)) {
            throw config.error("rate", "has rate " + rate + "; a dropout rate is in [0, 1)");
        }
        return new LayerSpec(config) {
            @Override
            int[] outputShape(int[] inputShape) {
                return inputShape.clone();
            }

            @Override
            Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
                return checked(() -> Dropout.of(Architecture.size(inputShape), rate).named(name()));
            }
        };
    }

    @Override
    Map<String, Object> kerasConfig(Layer layer) {
        return Tfjs.orderedMap("rate", ((Dropout) layer).rate(), "seed", null, "noise_shape", null);
    }

    @Override
    Map<String, Object> tfjsConfig(Layer layer) {
        return Tfjs.orderedMap("rate", ((Dropout) layer).rate(), "noise_shape", null, "seed", null);
    }
}
