package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.Reshape;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code Flatten}: samples of several axes (28x28) become one vector (784) in row-major order, which is how
 * nn-core holds them already. {@code data_format="channels_first"} would reorder multi-axis values and is refused.
 */
final class FlattenFormat extends LayerFormat {

    @Override
    LayerSpec read(LayerConfig config) throws ModelFormatException {
        boolean channelsFirst = config.has("data_format") && "channels_first".equals(config.get("data_format").asString());
        return new LayerSpec(config) {
            @Override
            int[] outputShape(int[] inputShape) throws ModelFormatException {
                if (channelsFirst && inputShape.length > 1) {
                    throw unsupported("it has data_format=\"channels_first\", which moves the first axis last before"
                            + " flattening; nn-core flattens channels-last samples as they are");
                }
                return new int[] {Architecture.size(inputShape)};
            }

            @Override
            Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
                return checked(() -> Reshape.flatten(inputShape).named(name()));
            }
        };
    }

    @Override
    Map<String, Object> kerasConfig(Layer layer) {
        return Tfjs.orderedMap("data_format", "channels_last");
    }

    @Override
    Map<String, Object> tfjsConfig(Layer layer) {
        return kerasConfig(layer);
    }
}
