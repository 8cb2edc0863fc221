package dev.nncore.keras;

import dev.nncore.Activation;
import java.util.Map;

/** Keras's {@code Softmax(axis=-1)} layer; nn-core computes softmax over the last axis only. */
final class SoftmaxFormat extends ActivationLayerFormat {

    @Override
    String kerasClass() {
        return "Softmax";
    }

    @Override
    Activation activation(LayerConfig config) throws ModelFormatException {
        config.requireLastAxis("axis", -1, -1);
        return Activation.SOFTMAX;
    }

    @Override
    boolean canWrite(Activation activation) {
        return activation.equals(Activation.SOFTMAX);
    }

    @Override
    Map<String, Object> kerasConfig(Activation activation) {
        return Tfjs.orderedMap("axis", -1);
    }

    @Override
    Map<String, Object> tfjsConfig(Activation activation) {
        return kerasConfig(activation);
    }
}
