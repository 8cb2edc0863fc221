package dev.nncore.keras;

import dev.nncore.Activation;
import java.util.Map;

/**
 * Keras's {@code ReLU(max_value, negative_slope, threshold)} layer: {@code x} above the threshold (capped at
 * {@code max_value}), {@code negative_slope * (x - threshold)} below it.
 */
final class ReLUFormat extends ActivationLayerFormat {

    @Override
    String kerasClass() {
        return "ReLU";
    }

    @Override
    Activation activation(LayerConfig config) throws ModelFormatException {
        Double maxValue = config.has("max_value") ? config.finite("max_value", 0) : null;
        double negativeSlope = config.finite("negative_slope", 0);
        double threshold = config.finite("threshold", 0);
        try {
            return Activation.relu(maxValue, negativeSlope, threshold);
        } catch (IllegalArgumentException e) {
            throw config.error("max_value", "has " + e.getMessage());
        }
    }

    @Override
    boolean canWrite(Activation activation) {
        return activation.kerasName().startsWith("relu") || "leaky_relu".equals(activation.kerasName());
    }

    @Override
    Map<String, Object> kerasConfig(Activation activation) {
        Map<String, Object> parameters = activation.parameters();
        Object maxValue = "relu6".equals(activation.kerasName()) ? 6.0 : parameters.get("max_value");
        return Tfjs.orderedMap("max_value", maxValue, "negative_slope", parameters.getOrDefault("negative_slope", 0.0),
                "threshold", parameters.getOrDefault("threshold", 0.0));
    }

    @Override
    Map<String, Object> tfjsConfig(Activation activation) {
        Map<String, Object> config = kerasConfig(activation);
        if (((Number) config.get("negative_slope")).doubleValue() != 0 || ((Number) config.get("threshold")).doubleValue() != 0) {
            throw new IllegalArgumentException("a ReLU layer computing " + activation + " cannot be written for"
                    + " TensorFlow.js, whose ReLU has max_value only");
        }
        return Tfjs.orderedMap("max_value", config.get("max_value"));
    }
}
