package dev.nncore.keras;

import dev.nncore.Activation;
import java.util.Map;

/**
 * Keras's {@code LeakyReLU} layer: {@code x} above 0, {@code negative_slope * x} below; Keras 3 calls the slope
 * {@code negative_slope}, Keras 2 and TensorFlow.js {@code alpha}, and the default is 0.3 in all three.
 */
final class LeakyReLUFormat extends ActivationLayerFormat {

    /** The Keras LeakyReLU layer's default slope (the {@code leaky_relu} activation's is 0.2). */
    static final double DEFAULT_SLOPE = 0.3;

    @Override
    String kerasClass() {
        return "LeakyReLU";
    }

    @Override
    Activation activation(LayerConfig config) throws ModelFormatException {
        double slope = config.has("negative_slope") ? config.finite("negative_slope", DEFAULT_SLOPE)
                : config.finite("alpha", DEFAULT_SLOPE);
        return Activation.leakyRelu(slope);
    }

    @Override
    boolean canWrite(Activation activation) {
        return "leaky_relu".equals(activation.kerasName());
    }

    @Override
    Map<String, Object> kerasConfig(Activation activation) {
        return Tfjs.orderedMap("negative_slope", activation.parameters().get("negative_slope"));
    }

    @Override
    Map<String, Object> tfjsConfig(Activation activation) {
        return Tfjs.orderedMap("alpha", activation.parameters().get("negative_slope"));
    }
}
