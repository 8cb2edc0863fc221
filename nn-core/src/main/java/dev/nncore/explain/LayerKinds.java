package dev.nncore.explain;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.Dropout;
import dev.nncore.Layer;
import dev.nncore.NoiseLayer;
import dev.nncore.Normalization;
import dev.nncore.Reshape;
import dev.nncore.Rescaling;
import dev.nncore.math.Matrix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How explanations and diagrams name a layer's kind and its settings, in Keras's words: {@code Dropout(rate=0.2)},
 * {@code LeakyReLU(negative_slope=0.2)}, {@code leaky_relu(negative_slope=0.2)}. Reads layers through their public API.
 */
final class LayerKinds {

    private LayerKinds() {
    }

    /** The activation as Keras configures it: {@code relu}, {@code leaky_relu(negative_slope=0.2)}. */
    static String activation(Activation activation) {
        return activation.kerasName() + arguments(activation.parameters());
    }

    /** Whether the activation acts on the whole row (softmax, log_softmax) rather than value by value. */
    static boolean rowWise(Activation activation) {
        return activation != null && (activation.equals(Activation.SOFTMAX) || activation.equals(Activation.LOG_SOFTMAX));
    }

    /**
     * The layer's Keras class with the settings that decide its arithmetic, e.g. {@code Dropout(rate=0.2)},
     * {@code Activation(softmax)}, {@code LeakyReLU(negative_slope=0.2)}, {@code Rescaling(scale=0.5, offset=0)},
     * {@code BatchNormalization}.
     */
    static String of(Layer layer) {
        String kerasClass = layer.kerasClass();
        if (layer instanceof ActivationLayer activationLayer) {
            Activation activation = activationLayer.activation();
            // ReLU, LeakyReLU, ELU, Softmax name their function already; Activation (or ReLU computing relu6) does not
            boolean named = activation.kerasName().replace("_", "").equalsIgnoreCase(kerasClass);
            return named ? kerasClass + arguments(activation.parameters()) : kerasClass + "(" + activation(activation) + ")";
        }
        if (layer instanceof Dropout dropout) {
            return kerasClass + "(rate=" + number(dropout.rate()) + ")";
        }
        if (layer instanceof NoiseLayer noise) {
            return kerasClass + "(" + (kerasClass.equals("GaussianNoise") ? "stddev=" : "rate=") + number(noise.amount()) + ")";
        }
        if (layer instanceof Reshape reshape && !reshape.isFlatten()) {
            return kerasClass + "(target_shape=" + shape(reshape.targetShape()) + ")";
        }
        if (layer instanceof Rescaling rescaling) {
            // the float32 values the forward pass multiplies and adds
            return kerasClass + "(scale=" + Numbers.format((float) rescaling.scale(), Numbers.EXACT) + ", offset="
                    + Numbers.format((float) rescaling.offset(), Numbers.EXACT) + ")";
        }
        if (layer instanceof Normalization normalization && normalization.invert()) {
            return kerasClass + "(invert=True)";
        }
        return kerasClass;
    }

    /** The layer's 1-row weights by Keras name ({@code gamma}, {@code moving_mean}, ...), in {@code get_weights()} order. */
    static Map<String, float[]> vectors(Layer layer) {
        Map<String, float[]> vectors = new LinkedHashMap<>();
        List<String> names = layer.weightNames();
        List<Matrix> weights = layer.getWeights();
        for (int i = 0; i < names.size(); i++) {
            if (weights.get(i).rows() == 1) {
                vectors.put(names.get(i), weights.get(i).getRow(0));
            }
        }
        return vectors;
    }

    /** A sample shape as Keras prints it without the batch axis: {@code (28, 28)}, {@code (784,)}. */
    static String shape(int[] shape) {
        StringJoiner text = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
        for (int dimension : shape) {
            text.add(String.valueOf(dimension));
        }
        return text.toString();
    }

    /** {@code (negative_slope=0.2, max_value=None)}, or nothing without parameters. */
    private static String arguments(Map<String, Object> parameters) {
        if (parameters.isEmpty()) {
            return "";
        }
        StringJoiner text = new StringJoiner(", ", "(", ")");
        parameters.forEach((name, value) -> text.add(name + "=" + value(value)));
        return text.toString();
    }

    private static String value(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Number n) {
            return number(n.doubleValue());
        }
        return String.valueOf(value);
    }

    /** A setting as written in Keras code: {@code 0.2}, {@code 1}, {@code 0.001}, {@code 1e-07}. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        String text = Double.toString(value);
        return text.contains("E") ? text.toLowerCase(Locale.ROOT) : text;
    }
}
