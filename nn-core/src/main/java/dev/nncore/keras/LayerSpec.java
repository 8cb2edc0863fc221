package dev.nncore.keras;

import dev.nncore.Layer;
import java.util.List;

/**
 * A layer as a file describes it, before its weights are read: what a {@link LayerFormat} made of the layer's config
 * (or, for {@code Keras.loadWeights}, a layer of the network given). It knows the shape coming out for a shape going
 * in, the weights Keras stores for it in {@code get_weights()} order, and builds the nn-core layer from their values.
 */
abstract class LayerSpec {

    private final String kerasClass;
    private final String name;
    private final String source;

    /**
     * @param kerasClass the Keras class, first in every message
     * @param name the layer's name
     * @param source where the layer is described, for messages (a file and JSON path, or the network)
     */
    LayerSpec(String kerasClass, String name, String source) {
        this.kerasClass = kerasClass;
        this.name = name;
        this.source = source;
    }

    LayerSpec(LayerConfig config) {
        this(config.className(), config.name(), config.json().source());
    }

    final String kerasClass() {
        return kerasClass;
    }

    final String name() {
        return name;
    }

    /** {@code Dense layer "dense"}. */
    final String describe() {
        return kerasClass + " layer \"" + name + "\"";
    }

    /** Whether Keras stores weights for this layer, from its config alone (a Dense layer does, Dropout does not). */
    final boolean hasWeights() {
        return !weightNames().isEmpty();
    }

    /**
     * The shape of one sample coming out, checking that nn-core can compute this layer on samples of
     * {@code inputShape}.
     *
     * @throws UnsupportedModelException naming the layer class first, e.g. a Dense layer on 28x28 samples
     */
    abstract int[] outputShape(int[] inputShape) throws ModelFormatException;

    /**
     * Keras's names for the weights it stores for this layer ({@code kernel}, {@code moving_mean}), in
     * {@code get_weights()} order, from the config alone; the last {@link #optionalWeights()} of them a file may lack.
     */
    List<String> weightNames() {
        return List.of();
    }

    /** How many of the last {@link #weightNames()} a file may lack (Normalization's {@code count}, unused by nn-core). */
    int optionalWeights() {
        return 0;
    }

    /** Keras's shape of each of {@link #weightNames()} on samples of {@code inputShape}: {@code [in, units]}, {@code [n]}, {@code []}. */
    List<long[]> weightShapes(int[] inputShape) throws ModelFormatException {
        return List.of();
    }

    /** Said after a weight of the wrong shape, e.g. {@code Keras stores kernels as [in, units]}; empty by default. */
    String weightHint(int index) {
        return "";
    }

    /**
     * Builds the layer once its weights are read and checked against {@link #weightShapes(int[])}.
     *
     * @param values each weight's values in row-major order, as many as were read (optional ones may be missing)
     * @return the layer, or null for a layer that only describes the input ({@code InputLayer})
     */
    abstract Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException;

    /** {@code <Class> layer "<name>" is not supported: <why>}. */
    final UnsupportedModelException unsupported(String why) {
        return new UnsupportedModelException(source + ": " + describe() + " is not supported: " + why);
    }

    /** A problem with this layer's description or weights. */
    final ModelFormatException error(String what) {
        return new ModelFormatException(source + ": " + describe() + " " + what);
    }

    /**
     * The width of a flat sample, for layers that take one vector per sample.
     *
     * @throws UnsupportedModelException if the samples have several axes
     */
    final int flatWidth(int[] inputShape) throws UnsupportedModelException {
        if (inputShape.length != 1) {
            throw unsupported("it receives samples of shape " + shapeText(inputShape) + ", and nn-core computes "
                    + kerasClass + " on one flat vector per sample only (Keras would work over the last axis); add a"
                    + " Flatten layer before it");
        }
        return inputShape[0];
    }

    /**
     * A layer over the features of flat samples whose weights are all one value per feature (BatchNormalization,
     * LayerNormalization, PReLU): the config's {@code axis} must be the last one, and each weight is {@code [n]}.
     */
    abstract static class PerFeature extends LayerSpec {
        private final LayerConfig config;
        private final List<String> weightNames;
        private final boolean hasAxis;

        /**
         * @param weightNames Keras's names of the weights, in order
         * @param hasAxis whether the config has an {@code axis} to check
         */
        PerFeature(LayerConfig config, List<String> weightNames, boolean hasAxis) {
            super(config);
            this.config = config;
            this.weightNames = List.copyOf(weightNames);
            this.hasAxis = hasAxis;
        }

        @Override
        final List<String> weightNames() {
            return weightNames;
        }

        @Override
        final int[] outputShape(int[] inputShape) throws ModelFormatException {
            if (hasAxis) {
                config.requireLastAxis("axis", -1, inputShape.length);
            }
            return new int[] {flatWidth(inputShape)};
        }

        @Override
        final List<long[]> weightShapes(int[] inputShape) throws ModelFormatException {
            List<long[]> shapes = new java.util.ArrayList<>();
            for (int i = 0; i < weightNames.size(); i++) {
                shapes.add(new long[] {flatWidth(inputShape)});
            }
            return shapes;
        }

        @Override
        final String weightHint(int index) {
            return "one value per feature";
        }
    }

    /** {@code (None, 28, 28)}, as Keras prints shapes. */
    static String shapeText(int[] shape) {
        StringBuilder text = new StringBuilder("(None");
        for (int dimension : shape) {
            text.append(", ").append(dimension);
        }
        return text.append(')').toString();
    }

    /** Runs a constructor of nn-core's, turning its argument checks into a message that names this layer. */
    final <T> T checked(java.util.function.Supplier<T> constructor) throws ModelFormatException {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw error("cannot be built: " + e.getMessage());
        }
    }
}
