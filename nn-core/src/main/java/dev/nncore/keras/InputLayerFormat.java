package dev.nncore.keras;

import dev.nncore.Layer;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code InputLayer}: no computation, only the shape of one sample ({@code batch_shape} in Keras 3,
 * {@code batch_input_shape} in Keras 2, e.g. {@code [null, 28, 28]}), which becomes the network's
 * {@link dev.nncore.Network#inputShape()}. nn-core writes it itself, from the network's input shape.
 */
final class InputLayerFormat extends LayerFormat {

    @Override
    LayerSpec read(LayerConfig config) throws ModelFormatException {
        if (config.bool("sparse", false) || config.bool("ragged", false)) {
            throw config.unsupported("it takes sparse or ragged tensors; nn-core takes dense float32 samples");
        }
        return new LayerSpec(config) {
            @Override
            int[] outputShape(int[] inputShape) {
                return inputShape.clone();
            }

            @Override
            Layer build(int[] inputShape, List<float[]> values) {
                return null;
            }
        };
    }

    @Override
    Map<String, Object> kerasConfig(Layer layer) {
        throw new IllegalArgumentException("InputLayer is written from the network's input shape, not as a layer");
    }

    @Override
    Map<String, Object> tfjsConfig(Layer layer) {
        return kerasConfig(layer);
    }

    /** Keras 3's InputLayer entry for samples of {@code shape}. */
    static Map<String, Object> kerasEntry(int[] shape) {
        return Tfjs.orderedMap("module", "keras.layers", "class_name", "InputLayer",
                "config", Tfjs.orderedMap("batch_shape", Architecture.batchShape(shape), "dtype", "float32", "sparse", false,
                        "name", "input_layer"),
                "registered_name", null);
    }
}
