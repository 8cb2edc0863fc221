package dev.nncore.keras;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.Layer;
import java.util.List;
import java.util.Map;

/**
 * The formats of the layers that apply an activation and have no weights ({@code Activation}, {@code ReLU},
 * {@code LeakyReLU}, {@code ELU}, {@code Softmax}), read as {@link ActivationLayer}s under their own class. Each
 * also reads its class as a Dense layer's {@code activation} object, and {@code ReLU}, {@code LeakyReLU} and
 * {@code ELU} write the parametrised activations that Keras 3 cannot name.
 */
abstract class ActivationLayerFormat extends LayerFormat {

    /** The classes, for messages. */
    static final List<String> CLASSES = List.of("Activation", "ReLU", "LeakyReLU", "ELU", "Softmax");

    /** The formats that can stand as a Dense layer's activation object when written, in the order tried. */
    static List<ActivationLayerFormat> objectFormats() {
        return List.of((ActivationLayerFormat) LayerFormats.forClass("LeakyReLU"),
                (ActivationLayerFormat) LayerFormats.forClass("ELU"), (ActivationLayerFormat) LayerFormats.forClass("ReLU"));
    }

    /** @return the Keras class, e.g. {@code "LeakyReLU"} */
    abstract String kerasClass();

    /** The activation a layer of this class computes. */
    abstract Activation activation(LayerConfig config) throws ModelFormatException;

    /** Whether a layer of this class can compute {@code activation}. */
    abstract boolean canWrite(Activation activation);

    /** Keras 3's options for a layer of this class computing {@code activation}, which {@link #canWrite} accepts. */
    abstract Map<String, Object> kerasConfig(Activation activation);

    /** TensorFlow.js's options for a layer of this class computing {@code activation}. */
    abstract Map<String, Object> tfjsConfig(Activation activation);

    @Override
    final LayerSpec read(LayerConfig config) throws ModelFormatException {
        Activation activation = activation(config);
        return new LayerSpec(config) {
            @Override
            int[] outputShape(int[] inputShape) throws ModelFormatException {
                if (activation.equals(Activation.SOFTMAX) || activation.equals(Activation.LOG_SOFTMAX)) {
                    return new int[] {flatWidth(inputShape)}; // over the last axis, which nn-core has on flat rows only
                }
                return inputShape.clone();
            }

            @Override
            Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
                return checked(() -> ActivationLayer.of(Architecture.size(inputShape), activation, config.className())
                        .named(config.name()));
            }
        };
    }

    @Override
    final Map<String, Object> kerasConfig(Layer layer) {
        return kerasConfig(checkedActivation(layer));
    }

    @Override
    final Map<String, Object> tfjsConfig(Layer layer) {
        return tfjsConfig(checkedActivation(layer));
    }

    private Activation checkedActivation(Layer layer) {
        Activation activation = layer.activation();
        if (!canWrite(activation)) {
            throw new IllegalArgumentException(kerasClass() + " layer \"" + layer.name() + "\" applies " + activation
                    + ", which a Keras " + kerasClass() + " layer cannot compute; use ActivationLayer.of(width, activation)");
        }
        return activation;
    }
}
