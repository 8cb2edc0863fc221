package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.Reshape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Keras's {@code Reshape(target_shape)}: the same values seen in another shape; one dimension may be -1. */
final class ReshapeFormat extends LayerFormat {

    @Override
    LayerSpec read(LayerConfig config) throws ModelFormatException {
        List<JsonView> dimensions = config.get("target_shape").elements();
        if (dimensions.isEmpty() || dimensions.size() > 32) {
            throw config.error("target_shape", "has target_shape " + config.get("target_shape").raw()
                    + "; it needs 1 to 32 dimensions");
        }
        int[] target = new int[dimensions.size()];
        for (int i = 0; i < target.length; i++) {
            JsonView dimension = dimensions.get(i);
            target[i] = dimension.isNumber() && dimension.asDouble() == -1 ? -1 : dimension.asPositiveInt();
        }
        return new LayerSpec(config) {
            private Reshape reshape(int[] inputShape) throws ModelFormatException {
                return checked(() -> Reshape.of(inputShape, target));
            }

            @Override
            int[] outputShape(int[] inputShape) throws ModelFormatException {
                return reshape(inputShape).targetShape();
            }

            @Override
            Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
                return reshape(inputShape).named(name());
            }
        };
    }

    @Override
    Map<String, Object> kerasConfig(Layer layer) {
        List<Integer> target = new ArrayList<>();
        for (int dimension : ((Reshape) layer).targetShape()) {
            target.add(dimension);
        }
        return Tfjs.orderedMap("target_shape", target);
    }

    @Override
    Map<String, Object> tfjsConfig(Layer layer) {
        return kerasConfig(layer);
    }
}
