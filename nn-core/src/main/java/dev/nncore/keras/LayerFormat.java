package dev.nncore.keras;

import dev.nncore.Layer;
import java.util.List;
import java.util.Map;

/**
 * How one Keras layer class is read from and written to files: a {@link LayerFormats} entry. {@link #read} turns a
 * layer's config into a {@link LayerSpec} (refusing options nn-core does not compute); {@link #kerasConfig} and
 * {@link #tfjsConfig} give the options Keras 3 and TensorFlow.js expect for an nn-core layer of this class. Weights
 * need nothing here: every writer takes them from {@link Layer#weightNames()}, {@link Layer#weightShape(int)} and
 * {@link Layer#getWeights()}, in Keras's {@code get_weights()} order, plus any {@link #extraWeights}.
 *
 * <p>A new layer class is one subclass in its own file and one line in {@link LayerFormats}.
 */
abstract class LayerFormat {

    /**
     * A weight Keras keeps but nn-core does not use, written as zeros after the layer's own and optional when read.
     *
     * @param name Keras's name, e.g. {@code count}
     * @param integer whether Keras stores it as an integer (int64 in HDF5 and numpy, int32 in TF.js)
     */
    record Extra(String name, boolean integer) {
    }

    /**
     * Reads a layer's config.
     *
     * @throws UnsupportedModelException if it asks for something nn-core does not compute, naming the class first
     * @throws ModelFormatException if an option is malformed
     */
    abstract LayerSpec read(LayerConfig config) throws ModelFormatException;

    /**
     * The options of {@code layer} in Keras 3's {@code get_config()}, after {@code name}, {@code trainable} and
     * {@code dtype}, in Keras's order.
     *
     * @throws IllegalArgumentException if Keras 3 cannot express the layer (the message says why)
     */
    abstract Map<String, Object> kerasConfig(Layer layer);

    /**
     * The options of {@code layer} in a TensorFlow.js {@code model.json}, before {@code name}, {@code trainable} and
     * {@code dtype}.
     *
     * @throws IllegalArgumentException if TensorFlow.js cannot express the layer (the message says why)
     */
    abstract Map<String, Object> tfjsConfig(Layer layer);

    /** Scalar weights Keras keeps for {@code layer} beyond nn-core's; none by default. */
    List<Extra> extraWeights(Layer layer) {
        return List.of();
    }
}
