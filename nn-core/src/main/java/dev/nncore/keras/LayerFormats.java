package dev.nncore.keras;

import dev.nncore.Layer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one registry of Keras layer classes nn-core reads and writes: {@code class_name} to its {@link LayerFormat}.
 * Reading a model looks every layer up here; a class that is not here is refused with a message that names it
 * first ({@code LSTM layer "lstm_1" is not supported: ...}). Adding a layer class is one {@link LayerFormat}
 * subclass and one line below.
 */
final class LayerFormats {

    private static final Map<String, LayerFormat> FORMATS = new LinkedHashMap<>();

    static {
        FORMATS.put("InputLayer", new InputLayerFormat());
        FORMATS.put("Dense", new DenseFormat());
        FORMATS.put("Activation", new ActivationFormat());
        FORMATS.put("ReLU", new ReLUFormat());
        FORMATS.put("LeakyReLU", new LeakyReLUFormat());
        FORMATS.put("ELU", new ELUFormat());
        FORMATS.put("Softmax", new SoftmaxFormat());
        FORMATS.put("PReLU", new PReLUFormat());
        FORMATS.put("Dropout", new DropoutFormat());
        FORMATS.put("GaussianNoise", new NoiseFormat("GaussianNoise", "stddev"));
        FORMATS.put("GaussianDropout", new NoiseFormat("GaussianDropout", "rate"));
        FORMATS.put("AlphaDropout", new NoiseFormat("AlphaDropout", "rate"));
        FORMATS.put("BatchNormalization", new BatchNormalizationFormat());
        FORMATS.put("LayerNormalization", new LayerNormalizationFormat());
        FORMATS.put("Normalization", new NormalizationFormat());
        FORMATS.put("Rescaling", new RescalingFormat());
        FORMATS.put("Flatten", new FlattenFormat());
        FORMATS.put("Reshape", new ReshapeFormat());
        for (dev.nncore.Merge.Kind kind : dev.nncore.Merge.Kind.values()) {
            FORMATS.put(kind.kerasClass(), new MergeFormat(kind));
        }
    }

    /** Why common layer classes are refused, said after the class and name. */
    private static final Map<String, String> WHY_NOT = new LinkedHashMap<>();

    static {
        for (String rnn : new String[] {"LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D",
            "ConvLSTM3D", "LSTMCell", "GRUCell", "TimeDistributed", "CuDNNLSTM", "CuDNNGRU"}) {
            WHY_NOT.put(rnn, "a recurrent layer, which carries state from step to step of a sequence");
        }
        for (String conv : new String[] {"Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D",
            "DepthwiseConv1D", "DepthwiseConv2D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"}) {
            WHY_NOT.put(conv, "a convolution");
        }
        for (String pool : new String[] {"MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
            "AveragePooling2D", "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
            "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D"}) {
            WHY_NOT.put(pool, "a pooling layer");
        }
        for (String spatial : new String[] {"SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"}) {
            WHY_NOT.put(spatial, "it drops whole channels of multi-axis samples, which nn-core's Dropout does not model");
        }
        // Keras 1 layers that Keras 2 removed: named as such, so a user knows to re-save the model in Keras 2 or later
        WHY_NOT.put("Merge", "Keras 1's Merge layer (its mode is a function of the inputs), which Keras 2 replaced"
                + " with Concatenate, Add, Multiply, Average, Maximum and Dot; load the model in Keras 2 and save it again");
        WHY_NOT.put("MaxoutDense", "a Keras 1 layer that Keras 2 removed");
        WHY_NOT.put("Highway", "a Keras 1 layer that Keras 2 removed");
        WHY_NOT.put("TimeDistributedDense", "a Keras 1 layer that Keras 2 replaced with TimeDistributed(Dense)");
        WHY_NOT.put("Embedding", "a table lookup of integer tokens");
        WHY_NOT.put("Lambda", "it runs Python code that the file does not hold");
        for (String attention : new String[] {"Attention", "AdditiveAttention", "MultiHeadAttention", "GroupQueryAttention"}) {
            WHY_NOT.put(attention, "an attention layer");
        }
    }

    private LayerFormats() {
    }

    /** The format of a Keras class, or null if nn-core does not read it. */
    static LayerFormat forClass(String kerasClass) {
        return FORMATS.get(kerasClass);
    }

    /**
     * The format of an nn-core layer, by its {@link Layer#kerasClass()}.
     *
     * @throws IllegalArgumentException if no format writes that class
     */
    static LayerFormat forLayer(Layer layer) {
        LayerFormat format = FORMATS.get(layer.kerasClass());
        if (format == null) {
            throw new IllegalArgumentException(layer.kerasClass() + " layer \"" + layer.name() + "\" cannot be saved:"
                    + " nn-core's Keras writers know " + String.join(", ", FORMATS.keySet()));
        }
        return format;
    }

    /** Whether {@code base} is the snake case of a class nn-core reads: {@code dense}, {@code batch_normalization}. */
    static boolean isDefaultNameBase(String base) {
        return FORMATS.keySet().stream().anyMatch(kerasClass -> LayerConfig.snakeCase(kerasClass).equals(base));
    }

    /** The refusal of a class that is not registered, naming the class first. */
    static UnsupportedModelException refusal(LayerConfig config) {
        String why = WHY_NOT.getOrDefault(config.className(), "nn-core has no layer of this class");
        return config.unsupported(why + ". nn-core reads Sequential and Functional models of " + String.join(", ", FORMATS.keySet()) + " layers");
    }
}
