package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.NoiseLayer;
import java.util.List;
import java.util.Map;

/**
 * Keras's noise layers, the identity at inference: {@code GaussianNoise(stddev)}, {@code GaussianDropout(rate)} and
 * {@code AlphaDropout(rate)}, all {@link NoiseLayer}s. One instance per class, told its class and option.
 */
final class NoiseFormat extends LayerFormat {

    private final String kerasClass;
    private final String option;

    /**
     * @param kerasClass {@code GaussianNoise}, {@code GaussianDropout} or {@code AlphaDropout}
     * @param option the config key of its amount: {@code stddev} or {@code rate}
     */
    NoiseFormat(String kerasClass, String option) {
        this.kerasClass = kerasClass;
        this.option = option;
    }

    @Override
    LayerSpec read(LayerConfig config) throws ModelFormatException {
        double amount = config.get(option).asDouble();
        boolean valid = "stddev".equals(option) ? amount >= 0 && amount < Double.POSITIVE_INFINITY : amount >= 0 && amount < 1;
        if (!valid) {
            throw config.error(option, "has " + option + " " + amount + "; it must be "
                    + ("stddev".equals(option) ? "finite and at least 0" : "in [0, 1)"));
        }
        return new LayerSpec(config) {
            @Override
            int[] outputShape(int[] inputShape) {
                return inputShape.clone();
            }

            @Override
            Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
                int width = Architecture.size(inputShape);
                return checked(() -> (switch (kerasClass) {
                    case "GaussianNoise" -> NoiseLayer.gaussianNoise(width, amount);
                    case "GaussianDropout" -> NoiseLayer.gaussianDropout(width, amount);
                    default -> NoiseLayer.alphaDropout(width, amount);
                }).named(name()));
            }
        };
    }

    @Override
    Map<String, Object> kerasConfig(Layer layer) {
        double amount = ((NoiseLayer) layer).amount();
        return "AlphaDropout".equals(kerasClass) ? Tfjs.orderedMap("rate", amount, "noise_shape", null, "seed", null)
                : Tfjs.orderedMap(option, amount, "seed", null);
    }

    @Override
    Map<String, Object> tfjsConfig(Layer layer) {
        return Tfjs.orderedMap(option, ((NoiseLayer) layer).amount());
    }
}
