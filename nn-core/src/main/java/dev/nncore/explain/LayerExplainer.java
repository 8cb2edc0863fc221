package dev.nncore.explain;

import dev.nncore.Activation;
import dev.nncore.ActivationLayer;
import dev.nncore.BatchNormalization;
import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.LayerNormalization;
import dev.nncore.Merge;
import dev.nncore.Normalization;
import dev.nncore.PReLU;
import dev.nncore.Rescaling;
import dev.nncore.Reshape;
import dev.nncore.internal.FloatExp;
import dev.nncore.math.MatrixOps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Writes out one layer's arithmetic, kind by kind. The outputs it reports are always the layer's own forward pass
 * ({@link Step#outputs}, from {@link Layer#forward(float...)}, what {@link dev.nncore.Network#forward(float...)}
 * runs); the numbers in the text around them are there to be read.
 */
final class LayerExplainer {

    /**
     * One layer's place in the forward pass: its number and symbols, what went in and what its forward gave. In a
     * graph, {@code title} is the header's start ({@code layer 3 "add" <- dense, dense_1: }) and {@code sourceSymbols}
     * name the nodes a merge reads, side by side in {@code inputs}; in a chain both are null.
     */
    record Step(int number, String inputSymbol, String symbol, float[] inputs, float[] outputs, int[] inputShape,
            int[] outputShape, String sumSymbol, String title, List<String> sourceSymbols) {

        /** A layer of a chain: values {@code h<number>}, weighted sums {@code z<number>}. */
        Step(int number, String inputSymbol, String symbol, float[] inputs, float[] outputs, int[] inputShape,
                int[] outputShape) {
            this(number, inputSymbol, symbol, inputs, outputs, inputShape, outputShape, "z" + number, null, null);
        }

        String neuron(int j) {
            return symbol + "[" + j + "]";
        }

        /** {@code layer 2 "batch_normalization": } */
        String header(Layer layer) {
            return title != null ? title : "layer " + number + " \"" + layer.name() + "\": ";
        }
    }

    private LayerExplainer() {
    }

    static LayerExplanation explain(Layer layer, Step step) {
        if (layer instanceof Dense dense) {
            return dense(dense, step);
        }
        if (layer instanceof Merge merge) {
            return MergeExplainer.explain(merge, step);
        }
        if (layer.isIdentityAtInference()) {
            return identity(layer, step);
        }
        if (layer instanceof BatchNormalization batchNormalization) {
            return batchNormalization(batchNormalization, step);
        }
        if (layer instanceof LayerNormalization layerNormalization) {
            return layerNormalization(layerNormalization, step);
        }
        if (layer instanceof Normalization normalization) {
            return normalization(normalization, step);
        }
        if (layer instanceof Rescaling rescaling) {
            return rescaling(rescaling, step);
        }
        if (layer instanceof PReLU prelu) {
            return prelu(prelu, step);
        }
        if (layer instanceof ActivationLayer activationLayer) {
            return activation(activationLayer, step);
        }
        return other(layer, step);
    }

    private static LayerExplanation dense(Dense layer, Step step) {
        float[][] kernel = layer.kernel().toArray();
        float[] bias = layer.useBias() ? layer.bias().getRow(0) : null;
        float[] sums = new float[layer.units()];
        MatrixOps.affine(step.inputs(), kernel, bias, sums); // the kernel Dense.forward runs
        Activation activation = layer.activation();
        List<NeuronExplanation> neurons = new ArrayList<>(layer.units());
        for (int j = 0; j < layer.units(); j++) {
            float[] column = new float[kernel.length];
            for (int k = 0; k < kernel.length; k++) {
                column[k] = kernel[k][j];
            }
            neurons.add(NeuronExplanation.dense(step.neuron(j), step.sumSymbol() + "[" + j + "]", activation,
                    step.inputs(), column, bias == null ? null : bias[j], sums[j], step.outputs()[j]));
        }
        int inputs = layer.inputs();
        int units = layer.units();
        String sumsName = step.sumSymbol();
        String header = step.header(layer) + inputs + (inputs == 1 ? " input -> " : " inputs -> ") + units
                + (units == 1 ? " neuron, " : " neurons, ") + LayerKinds.activation(activation)
                + (LayerKinds.rowWise(activation) ? " over the row " + sumsName : "")
                + (layer.useBias() ? "" : ", no bias") + "\n";
        Row row = LayerKinds.rowWise(activation) ? new Row(activation, sumsName, sums, step.outputs()) : null;
        IntFunction<String> after = row == null ? digits -> "" : digits -> {
            StringBuilder text = new StringBuilder(row.statistics(digits));
            for (int j = 0; j < units; j++) {
                text.append("  ").append(step.neuron(j)).append(" = ").append(row.output(j, digits)).append('\n');
            }
            return text.toString();
        };
        return new LayerExplanation(step.number(), layer.name(), layer.kerasClass(), step.symbol(), activation, false,
                neurons, step.inputs(), sums, step.outputs(), digits -> header, after);
    }

    private static LayerExplanation identity(Layer layer, Step step) {
        String what = layer instanceof Reshape
                ? layer.kerasClass() + " " + LayerKinds.shape(step.inputShape()) + " -> "
                        + LayerKinds.shape(step.outputShape()) + ", the same values in the same order"
                : LayerKinds.of(layer) + ", identity at inference";
        String line = step.header(layer) + what + ": " + step.symbol() + " = " + step.inputSymbol() + "\n";
        return layer(layer, step, null, true, List.of(), digits -> line);
    }

    /**
     * {@code (x - moving_mean) / sqrt(moving_variance + epsilon) x gamma + beta}, and the two steps
     * BatchNormalization's forward pass really takes: {@code x x inv + shift}.
     */
    private static LayerExplanation batchNormalization(BatchNormalization layer, Step step) {
        Map<String, float[]> weights = LayerKinds.vectors(layer);
        float[] gamma = weights.get("gamma");
        float[] beta = weights.get("beta");
        float[] mean = weights.get("moving_mean");
        float[] variance = weights.get("moving_variance");
        double epsilon = layer.epsilon();
        String eps = Numbers.format((float) epsilon, Numbers.EXACT);
        String x = step.inputSymbol() + "[j]";
        String formula = "(" + x + " - moving_mean[j]) / sqrt(moving_variance[j] + epsilon)"
                + (gamma == null ? "" : " x gamma[j]") + (beta == null ? "" : " + beta[j]");
        String inv = (gamma == null ? "1" : "gamma") + " / sqrt(moving_variance + epsilon)";
        String shift = (beta == null ? "-" : "beta - ") + "moving_mean x inv";
        String indent = " ".repeat(2 + step.symbol().length() + 4);
        String header = step.header(layer) + "BatchNormalization of " + values(layer.outputs()) + ", epsilon = " + eps
                + "\n  " + step.symbol() + "[j] = " + formula + "\n" + indent + "= " + x + " x inv[j] + shift[j], with inv = "
                + inv + " and shift = " + shift + "\n";
        List<NeuronExplanation> neurons = new ArrayList<>();
        for (int j = 0; j < layer.outputs(); j++) {
            int at = j;
            float in = step.inputs()[j];
            float out = step.outputs()[j];
            // BatchNormalization's own inv and shift (its class comment gives the formula): shown only if they give
            // the forward pass's output, so the text never shows a sum that does not come out as written
            double scale = (gamma == null ? 1.0 : gamma[j]) / Math.sqrt((double) variance[j] + epsilon);
            float invJ = (float) scale;
            float shiftJ = (float) ((beta == null ? 0.0 : beta[j]) - mean[j] * scale);
            boolean showsSteps = Float.floatToIntBits(in * invJ + shiftJ) == Float.floatToIntBits(out);
            neurons.add(NeuronExplanation.of(step.neuron(j), layer.kerasClass(), null, new float[] {in},
                    parametersAt(weights, j), out, digits -> step.neuron(at) + " = (" + Numbers.operand(in, digits)
                            + " - " + Numbers.operand(mean[at], digits) + ") / sqrt(" + Numbers.format(variance[at], digits)
                            + " + " + eps + ")" + (gamma == null ? "" : " x " + Numbers.operand(gamma[at], digits))
                            + (beta == null ? "" : " + " + Numbers.operand(beta[at], digits))
                            + (showsSteps ? " = " + Numbers.operand(in, digits) + " x " + Numbers.operand(invJ, digits)
                                    + " + " + Numbers.operand(shiftJ, digits) : "")
                            + " = " + Numbers.format(out, digits)));
        }
        return layer(layer, step, null, false, neurons, digits -> header);
    }

    /** Normalised by the row's own mean and variance, then {@code x gamma + beta}. */
    private static LayerExplanation layerNormalization(LayerNormalization layer, Step step) {
        Map<String, float[]> weights = LayerKinds.vectors(layer);
        float[] gamma = weights.get("gamma");
        float[] beta = weights.get("beta");
        float[] in = step.inputs();
        int width = in.length;
        double sum = 0;
        for (float value : in) {
            sum += value;
        }
        double meanValue = sum / width;
        double squares = 0;
        for (float value : in) {
            squares += (value - meanValue) * (value - meanValue);
        }
        float mean = (float) meanValue;
        float variance = (float) (squares / width);
        String eps = Numbers.format((float) layer.epsilon(), Numbers.EXACT);
        String row = step.inputSymbol();
        String formula = "(" + row + "[j] - mean) / sqrt(variance + epsilon)" + (gamma == null ? "" : " x gamma[j]")
                + (beta == null ? "" : " + beta[j]");
        IntFunction<String> header = digits -> step.header(layer) + "LayerNormalization of " + values(width)
                + " over the row " + row + ", epsilon = " + eps + "\n"
                + "  mean = (" + Terms.sum(width, k -> Numbers.operand(in[k], digits)) + ") / " + width + " = "
                + Numbers.format(mean, digits) + "\n"
                + "  variance = (" + Terms.sum(width, k -> "(" + Numbers.operand(in[k], digits) + " - "
                        + Numbers.operand(mean, digits) + ")^2") + ") / " + width + " = " + Numbers.format(variance, digits)
                + "\n  " + step.symbol() + "[j] = " + formula + "\n";
        List<NeuronExplanation> neurons = new ArrayList<>();
        for (int j = 0; j < width; j++) {
            int at = j;
            neurons.add(NeuronExplanation.of(step.neuron(j), layer.kerasClass(), null, in, parametersAt(weights, j),
                    step.outputs()[j], digits -> step.neuron(at) + " = (" + Numbers.operand(in[at], digits) + " - "
                            + Numbers.operand(mean, digits) + ") / sqrt(" + Numbers.format(variance, digits) + " + " + eps
                            + ")" + (gamma == null ? "" : " x " + Numbers.operand(gamma[at], digits))
                            + (beta == null ? "" : " + " + Numbers.operand(beta[at], digits)) + " = "
                            + Numbers.format(step.outputs()[at], digits)));
        }
        return layer(layer, step, null, false, neurons, header);
    }

    /** {@code (x - mean) / sqrt(variance)}, or inverted {@code mean + x x sqrt(variance)}. */
    private static LayerExplanation normalization(Normalization layer, Step step) {
        float[] mean = layer.mean().getRow(0);
        float[] variance = layer.variance().getRow(0);
        boolean invert = layer.invert();
        String x = step.inputSymbol() + "[j]";
        String header = step.header(layer) + "Normalization of " + values(layer.outputs())
                + (invert ? ", inverted" : "") + "\n  " + step.symbol() + "[j] = "
                + (invert ? "mean[j] + " + x + " x sqrt(variance[j])" : "(" + x + " - mean[j]) / sqrt(variance[j])") + "\n";
        Map<String, float[]> weights = LayerKinds.vectors(layer);
        List<NeuronExplanation> neurons = new ArrayList<>();
        for (int j = 0; j < layer.outputs(); j++) {
            int at = j;
            float in = step.inputs()[j];
            neurons.add(NeuronExplanation.of(step.neuron(j), layer.kerasClass(), null, new float[] {in},
                    parametersAt(weights, j), step.outputs()[j], digits -> {
                        // Keras divides by at least 1e-7 (its backend epsilon), so a variance of 0 gives no infinity
                        String deviation = "sqrt(" + Numbers.format(variance[at], digits) + ")";
                        if (Math.sqrt(variance[at]) < 1e-7) {
                            deviation = "max(" + deviation + ", 1e-7)";
                        }
                        String sum = invert
                                ? Numbers.operand(mean[at], digits) + " + " + Numbers.operand(in, digits) + " x " + deviation
                                : "(" + Numbers.operand(in, digits) + " - " + Numbers.operand(mean[at], digits) + ") / " + deviation;
                        return step.neuron(at) + " = " + sum + " = " + Numbers.format(step.outputs()[at], digits);
                    }));
        }
        return layer(layer, step, null, false, neurons, digits -> header);
    }

    /** {@code x x scale + offset}, with the float32 scale and offset the forward pass multiplies and adds. */
    private static LayerExplanation rescaling(Rescaling layer, Step step) {
        float scale = (float) layer.scale();
        float offset = (float) layer.offset();
        String scaleText = Numbers.format(scale, Numbers.EXACT);
        String offsetText = Numbers.operand(offset, Numbers.EXACT);
        String header = step.header(layer) + "Rescaling of " + values(layer.outputs()) + "\n  " + step.symbol() + "[j] = "
                + step.inputSymbol() + "[j] x scale + offset, scale = " + scaleText + ", offset = "
                + Numbers.format(offset, Numbers.EXACT) + "\n";
        Map<String, Float> parameters = new LinkedHashMap<>();
        parameters.put("scale", scale);
        parameters.put("offset", offset);
        List<NeuronExplanation> neurons = new ArrayList<>();
        for (int j = 0; j < layer.outputs(); j++) {
            int at = j;
            float in = step.inputs()[j];
            neurons.add(NeuronExplanation.of(step.neuron(j), layer.kerasClass(), null, new float[] {in}, parameters,
                    step.outputs()[j], digits -> step.neuron(at) + " = " + Numbers.operand(in, digits) + " x "
                            + Numbers.operand(scale, Numbers.EXACT) + " + " + offsetText + " = "
                            + Numbers.format(step.outputs()[at], digits)));
        }
        return layer(layer, step, null, false, neurons, digits -> header);
    }

    /** {@code x} above 0, {@code alpha x x} otherwise, with each neuron's own alpha. */
    private static LayerExplanation prelu(PReLU layer, Step step) {
        Map<String, float[]> weights = LayerKinds.vectors(layer);
        float[] alpha = weights.get("alpha");
        String x = step.inputSymbol() + "[j]";
        String header = step.header(layer) + "PReLU of " + values(layer.outputs()) + "\n  " + step.symbol() + "[j] = " + x
                + " if " + x + " > 0, else alpha[j] x " + x + "\n";
        List<NeuronExplanation> neurons = new ArrayList<>();
        for (int j = 0; j < layer.outputs(); j++) {
            int at = j;
            float in = step.inputs()[j];
            neurons.add(NeuronExplanation.of(step.neuron(j), layer.kerasClass(), null, new float[] {in},
                    parametersAt(weights, j), step.outputs()[j], digits -> step.neuron(at) + " = prelu("
                            + Numbers.format(in, digits) + ") = "
                            + (in > 0 ? "" : Numbers.operand(alpha[at], digits) + " x " + Numbers.operand(in, digits) + " = ")
                            + Numbers.format(step.outputs()[at], digits)));
        }
        return layer(layer, step, null, false, neurons, digits -> header);
    }

    /** An activation on its own: value by value ({@code leaky_relu(-2) = -0.4}), or softmax over the row. */
    private static LayerExplanation activation(ActivationLayer layer, Step step) {
        Activation activation = layer.activation();
        String name = activation.kerasName();
        boolean rowWise = LayerKinds.rowWise(activation);
        String header = step.header(layer) + layer.kerasClass() + " of " + values(layer.outputs()) + ", "
                + LayerKinds.activation(activation) + (rowWise ? " over the row " + step.inputSymbol() : "") + "\n";
        Row row = rowWise ? new Row(activation, step.inputSymbol(), step.inputs(), step.outputs()) : null;
        List<NeuronExplanation> neurons = new ArrayList<>();
        for (int j = 0; j < layer.outputs(); j++) {
            int at = j;
            float in = step.inputs()[j];
            neurons.add(NeuronExplanation.of(step.neuron(j), layer.kerasClass(), activation,
                    rowWise ? step.inputs() : new float[] {in}, Map.of(), step.outputs()[j], rowWise
                            ? digits -> step.neuron(at) + " = " + row.output(at, digits)
                            : digits -> step.neuron(at) + " = " + name + "(" + Numbers.format(in, digits) + ") = "
                                    + Numbers.format(step.outputs()[at], digits)));
        }
        IntFunction<String> before = row == null ? digits -> header : digits -> header + row.statistics(digits);
        return layer(layer, step, activation, false, neurons, before);
    }

    /** A layer this class does not know: what went in and what came out. */
    private static LayerExplanation other(Layer layer, Step step) {
        String header = step.header(layer) + LayerKinds.of(layer) + ", " + values(layer.inputs()) + " -> "
                + values(layer.outputs()) + "\n";
        List<NeuronExplanation> neurons = new ArrayList<>();
        for (int j = 0; j < layer.outputs(); j++) {
            int at = j;
            neurons.add(NeuronExplanation.of(step.neuron(j), layer.kerasClass(), layer.activation(), step.inputs(),
                    Map.of(), step.outputs()[j], digits -> step.neuron(at) + " = " + Numbers.format(step.outputs()[at], digits)));
        }
        return layer(layer, step, layer.activation(), false, neurons, digits -> header);
    }

    static LayerExplanation layer(Layer layer, Step step, Activation activation, boolean identity,
            List<NeuronExplanation> neurons, IntFunction<String> before) {
        return new LayerExplanation(step.number(), layer.name(), layer.kerasClass(), step.symbol(), activation, identity,
                neurons, step.inputs(), null, step.outputs(), before, digits -> "");
    }

    private static Map<String, Float> parametersAt(Map<String, float[]> weights, int j) {
        Map<String, Float> parameters = new LinkedHashMap<>();
        weights.forEach((name, vector) -> parameters.put(name, vector[j]));
        return parameters;
    }

    static String values(int count) {
        return count + (count == 1 ? " value" : " values");
    }

    /**
     * Softmax or log_softmax over a row {@code z}, as {@link Activation#SOFTMAX} computes it: {@code m} the row's
     * maximum, {@code s} the sum of {@code e^(z[j] - m)}, then {@code e^(z[j] - m) / s}, or for log_softmax
     * {@code z[j] - (m + ln(s))}. The outputs written are the forward pass's own.
     */
    private static final class Row {
        private final Activation activation;
        private final String name;
        private final float[] z;
        private final float[] outputs;
        private final float max;
        private final float sum;
        private final float shift;

        Row(Activation activation, String name, float[] z, float[] outputs) {
            this.activation = activation;
            this.name = name;
            this.z = z;
            this.outputs = outputs;
            float m = Float.NEGATIVE_INFINITY;
            for (float value : z) {
                m = Math.max(m, value);
            }
            double s = 0;
            for (float value : z) {
                // softmax takes each exponential in float32 (FloatExp) before adding; log_softmax adds them in float64
                s += isSoftmax() ? FloatExp.expOfDifference(value, m) : Math.exp((double) value - m);
            }
            max = m;
            sum = (float) s;
            shift = (float) (m + Math.log(s));
        }

        private boolean isSoftmax() {
            return activation.equals(Activation.SOFTMAX);
        }

        /** {@code   softmax: m = max(z1) = 2, s = e^(2 - 2) + e^(0 - 2) = 1.1353353} and a newline. */
        String statistics(int digits) {
            String terms = Terms.sum(z.length, j -> exponential(j, digits));
            return "  " + activation.kerasName() + ": m = max(" + name + ") = " + Numbers.format(max, digits) + ", s = "
                    + terms + " = " + Numbers.format(sum, digits)
                    + (isSoftmax() ? "" : ", m + ln(s) = " + Numbers.format(shift, digits)) + "\n";
        }

        /** {@code e^(2 - 2) / 1.1353353 = 0.8807971}, or for log_softmax {@code 2 - 2.126928 = -0.12692805}. */
        String output(int j, int digits) {
            String value = Numbers.format(outputs[j], digits);
            return isSoftmax()
                    ? exponential(j, digits) + " / " + Numbers.format(sum, digits) + " = " + value
                    : Numbers.operand(z[j], digits) + " - " + Numbers.operand(shift, digits) + " = " + value;
        }

        private String exponential(int j, int digits) {
            return "e^(" + Numbers.format(z[j], digits) + " - " + Numbers.operand(max, digits) + ")";
        }
    }
}
