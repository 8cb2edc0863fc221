package dev.nncore.keras;

import dev.nncore.Activation;
import java.util.Map;

/** Keras's {@code ELU(alpha)} layer: {@code x} above 0, {@code alpha (e^x - 1)} below; alpha 1 by default. */
final class ELUFormat extends ActivationLayerFormat {

    @Override
    String kerasClass() {
        return "ELU";
    }

    @Override
    Activation activation(LayerConfig config) throws ModelFormatException {
        return Activation.elu(config.finite("alpha", 1.0));
    }

    @Override
    boolean canWrite(Activation activation) {
        return "elu".equals(activation.kerasName());
    }

    @Override
    Map<String, Object> kerasConfig(Activation activation) {
        return Tfjs.orderedMap("alpha", activation.parameters().getOrDefault("alpha", 1.0));
    }

    @Override
    Map<String, Object> tfjsConfig(Activation activation) {
        return kerasConfig(activation);
    }
}
