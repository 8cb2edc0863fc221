package dev.nncore.keras;

import dev.nncore.Activation;
import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.internal.MatrixAccess;
import dev.nncore.math.Matrix;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code Dense(units, activation, use_bias)}: weights {@code kernel [in, units]} and, with a bias,
 * {@code bias [units]}. The activation is a name, Keras 3's serialised function or an activation layer object; the
 * initializers, regularizers and constraints are read and written by {@link WeightOptions}.
 */
final class DenseFormat extends LayerFormat {

    @Override
    LayerSpec read(LayerConfig config) throws ModelFormatException {
        // Keras 1 wrote output_dim and bias where Keras 2 and 3 write units and use_bias.
        boolean keras1 = !config.has("units") && config.has("output_dim");
        int units = config.get(keras1 ? "output_dim" : "units").asPositiveInt();
        Activation activation = Activations.read(config.json().has("activation") ? config.get("activation") : null, config);
        boolean useBias = config.bool(keras1 || (!config.has("use_bias") && config.has("bias")) ? "bias" : "use_bias", true);
        if (config.has("dtype") && config.get("dtype").isObject() && config.get("dtype").has("class_name")
                && config.get("dtype").get("class_name").isString()
                && config.get("dtype").get("class_name").asString().contains("Quantized")) {
            throw config.unsupported("its weights are quantised (dtype policy "
                    + config.get("dtype").get("class_name").asString() + "); save the float model");
        }
        return new LayerSpec(config) {
            @Override
            List<String> weightNames() {
                return useBias ? List.of("kernel", "bias") : List.of("kernel");
            }

            @Override
            int[] outputShape(int[] inputShape) throws ModelFormatException {
                flatWidth(inputShape);
                return new int[] {units};
            }

            @Override
            List<long[]> weightShapes(int[] inputShape) throws ModelFormatException {
                long[] kernel = {flatWidth(inputShape), units};
                return useBias ? List.of(kernel, new long[] {units}) : List.<long[]>of(kernel);
            }

            @Override
            String weightHint(int index) {
                return index == 0 ? "Keras stores kernels as [in, units]" : "one value per unit";
            }

            @Override
            Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
                float[][] kernel = Tfjs.rows(values.get(0), inputShape[0], units, describe() + " kernel");
                values.set(0, null); // the flat kernel may go before Dense copies the rows: 2x the kernel at the peak, not 3x
                // the rows are fresh and handed over: wrapping them saves a copy of the kernel (Dense copies once more)
                return checked(() -> WeightOptions.apply((useBias ? Dense.of(MatrixAccess.wrap(kernel), Matrix.row(values.get(1)),
                        activation) : Dense.withoutBias(kernel, activation)).named(name()), config, keras1));
            }
        };
    }

    @Override
    Map<String, Object> kerasConfig(Layer layer) {
        Dense dense = (Dense) layer;
        Map<String, Object> config = Tfjs.orderedMap(
                "units", dense.units(),
                "activation", Activations.kerasValue(dense.activation(), "Dense layer \"" + dense.name() + "\""),
                "use_bias", dense.useBias());
        config.putAll(WeightOptions.keras3Config(dense));
        return config;
    }

    @Override
    Map<String, Object> tfjsConfig(Layer layer) {
        Dense dense = (Dense) layer;
        Map<String, Object> config = Tfjs.orderedMap(
                "units", dense.units(),
                "activation", Activations.tfjsValue(dense.activation(), "Dense layer \"" + dense.name() + "\""),
                "use_bias", dense.useBias());
        config.putAll(WeightOptions.tfjsConfig(dense));
        return config;
    }
}
