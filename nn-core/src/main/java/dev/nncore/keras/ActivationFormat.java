package dev.nncore.keras;

import dev.nncore.Activation;
import java.util.Map;

/** Keras's {@code Activation(activation)} layer: any activation nn-core has, by name or as an object. */
final class ActivationFormat extends ActivationLayerFormat {

    @Override
    String kerasClass() {
        return "Activation";
    }

    @Override
    Activation activation(LayerConfig config) throws ModelFormatException {
        return Activations.read(config.has("activation") ? config.get("activation") : null, config);
    }

    @Override
    boolean canWrite(Activation activation) {
        return true;
    }

    @Override
    Map<String, Object> kerasConfig(Activation activation) {
        return Tfjs.orderedMap("activation", Activations.kerasValue(activation, "an Activation layer"));
    }

    @Override
    Map<String, Object> tfjsConfig(Activation activation) {
        return Tfjs.orderedMap("activation", Activations.tfjsValue(activation, "an Activation layer"));
    }
}
