package dev.nncore.explain;

import dev.nncore.Merge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Writes out a merge layer's arithmetic: {@code add[0] = dense[0] + dense_1[0] = 0.5 + 1.25 = 1.75}, a Dot written out
 * as a neuron's weighted sum, a Concatenate as the list of its parts. The outputs it reports are the layer's own
 * forward pass ({@link LayerExplainer.Step#outputs}); its inputs are the merged nodes' values side by side.
 */
final class MergeExplainer {

    private MergeExplainer() {
    }

    static LayerExplanation explain(Merge layer, LayerExplainer.Step step) {
        int[] parts = layer.parts();
        int[] offsets = new int[parts.length];
        for (int p = 1; p < parts.length; p++) {
            offsets[p] = offsets[p - 1] + parts[p - 1];
        }
        float[] in = step.inputs();
        // part p's value j: in a graph the merged node's own name, in a chain the slice of the row coming in
        Naming naming = (p, j) -> step.sourceSymbols() == null
                ? step.inputSymbol() + "[" + (offsets[p] + j) + "]"
                : step.sourceSymbols().get(p) + "[" + j + "]";
        return switch (layer.kind()) {
            case CONCATENATE -> concatenate(layer, step, parts, naming);
            case DOT -> dot(layer, step, parts[0], naming);
            default -> elementWise(layer, step, parts, offsets, naming, in);
        };
    }

    @FunctionalInterface
    private interface Naming {
        String name(int part, int index);
    }

    /** {@code concatenate = [wide[0..4], dense_1[0..29]] = [...]}: no arithmetic, the values side by side. */
    private static LayerExplanation concatenate(Merge layer, LayerExplainer.Step step, int[] parts, Naming naming) {
        StringBuilder sizes = new StringBuilder();
        StringBuilder slices = new StringBuilder();
        for (int p = 0; p < parts.length; p++) {
            sizes.append(p == 0 ? "" : " + ").append(parts[p]);
            slices.append(p == 0 ? "" : ", ").append(naming.name(p, 0));
            if (parts[p] > 1) {
                String last = naming.name(p, parts[p] - 1);
                slices.setLength(slices.length() - 1);
                slices.append("..").append(last.substring(last.lastIndexOf('[') + 1));
            }
        }
        String header = step.header(layer) + "Concatenate of " + sizes + " values, side by side\n";
        float[] out = step.outputs();
        IntFunction<String> before = digits -> header + "  " + step.symbol() + " = [" + slices + "] = "
                + Explanation.list(out, digits) + "\n";
        return LayerExplainer.layer(layer, step, null, true, List.of(), before);
    }

    /** {@code add[j] = a[j] + b[j] = 0.5 + 1.25 = 1.75}, and likewise -, x, the average, max and min. */
    private static LayerExplanation elementWise(Merge layer, LayerExplainer.Step step, int[] parts, int[] offsets,
            Naming naming, float[] in) {
        int count = parts.length;
        int width = parts[0];
        Merge.Kind kind = layer.kind();
        String operation = switch (kind) {
            case ADD -> "the sum";
            case SUBTRACT -> "the difference";
            case MULTIPLY -> "the product";
            case AVERAGE -> "the mean";
            case MAXIMUM -> "the largest";
            case MINIMUM -> "the smallest";
            default -> throw new IllegalStateException(kind.toString());
        };
        String header = step.header(layer) + layer.kerasClass() + " of " + count + " inputs of "
                + LayerExplainer.values(width) + ": " + operation + " at each position\n";
        List<NeuronExplanation> neurons = new ArrayList<>(width);
        for (int j = 0; j < width; j++) {
            int at = j;
            float[] operands = new float[count];
            for (int p = 0; p < count; p++) {
                operands[p] = in[offsets[p] + j];
            }
            float out = step.outputs()[j];
            IntFunction<String> line = digits -> {
                IntFunction<String> name = p -> naming.name(p, at);
                IntFunction<String> value = p -> Numbers.operand(operands[p], digits);
                String names;
                String values;
                switch (kind) {
                    case ADD -> {
                        names = Terms.join(" + ", count, name);
                        values = Terms.join(" + ", count, value);
                    }
                    case SUBTRACT -> {
                        names = Terms.join(" - ", count, name);
                        values = Terms.join(" - ", count, value);
                    }
                    case MULTIPLY -> {
                        names = Terms.join(" x ", count, name);
                        values = Terms.join(" x ", count, value);
                    }
                    case AVERAGE -> {
                        names = "(" + Terms.join(" + ", count, name) + ") / " + count;
                        values = "(" + Terms.join(" + ", count, value) + ") / " + count;
                    }
                    default -> {
                        String f = kind == Merge.Kind.MAXIMUM ? "max" : "min";
                        names = f + "(" + Terms.join(", ", count, name) + ")";
                        values = f + "(" + Terms.join(", ", count, k -> Numbers.format(operands[k], digits)) + ")";
                    }
                }
                return step.neuron(at) + " = " + names + " = " + values + " = " + Numbers.format(out, digits);
            };
            neurons.add(NeuronExplanation.of(step.neuron(j), layer.kerasClass(), null, operands, Map.of(), out, line));
        }
        return LayerExplainer.layer(layer, step, null, false, neurons, digits -> header);
    }

    /**
     * {@code dot[0] = a[k] x b[k] summed = 0.5 x 1.25 + ... = v}, written as a neuron's weighted sum; with
     * {@code normalize}, each input's L2 norm first and the products of the normalised values, as the layer computes
     * them (each value times its input's inverse norm, rounded to float32).
     */
    private static LayerExplanation dot(Merge layer, LayerExplainer.Step step, int width, Naming naming) {
        float[] in = step.inputs();
        float[] first = new float[width];
        float[] second = new float[width];
        System.arraycopy(in, 0, first, 0, width);
        System.arraycopy(in, width, second, 0, width);
        String a = naming.name(0, 0);
        String b = naming.name(1, 0);
        String firstName = a.substring(0, a.lastIndexOf('['));
        String secondName = b.substring(0, b.lastIndexOf('['));
        boolean normalize = layer.normalize();
        float out = step.outputs()[0];
        StringBuilder header = new StringBuilder(step.header(layer)).append("Dot of 2 inputs of ")
                .append(LayerExplainer.values(width)).append(normalize
                        ? ", normalize=True: the cosine similarity, each input divided by its L2 norm first\n"
                        : ": the sum of their products, as a neuron's weighted sum\n");
        float[] left = first;
        float[] right = second;
        IntFunction<String> norms = digits -> "";
        if (normalize) {
            double[] inverse = {inverseNorm(first), inverseNorm(second)};
            left = new float[width];
            right = new float[width];
            for (int k = 0; k < width; k++) {
                left[k] = (float) (first[k] * inverse[0]);
                right[k] = (float) (second[k] * inverse[1]);
            }
            float firstNorm = (float) (1 / inverse[0]);
            float secondNorm = (float) (1 / inverse[1]);
            String[] names = {firstName, secondName};
            float[][] vectors = {first, second};
            float[] normValues = {firstNorm, secondNorm};
            norms = digits -> {
                StringBuilder text = new StringBuilder();
                for (int v = 0; v < 2; v++) {
                    float[] vector = vectors[v];
                    text.append("  |").append(names[v]).append("| = sqrt(")
                            .append(Terms.sum(width, k -> Numbers.operand(vector[k], digits) + "^2")).append(") = ")
                            .append(Numbers.format(normValues[v], digits)).append('\n');
                }
                return text.toString();
            };
        }
        float[] l = left;
        float[] r = right;
        String terms = normalize
                ? firstName + "[k] / |" + firstName + "| x " + secondName + "[k] / |" + secondName + "|"
                : firstName + "[k] x " + secondName + "[k]";
        IntFunction<String> line = digits -> step.neuron(0) + " = sum over k of " + terms + " = "
                + Terms.weightedSum(l, r, null, digits) + " = " + Numbers.format(out, digits);
        NeuronExplanation neuron = NeuronExplanation.of(step.neuron(0), layer.kerasClass(), null, in, Map.of(), out, line);
        String text = header.toString();
        IntFunction<String> normLines = norms;
        return LayerExplainer.layer(layer, step, null, false, List.of(neuron), digits -> text + normLines.apply(digits));
    }

    /** As {@link Merge} computes it: {@code 1 / sqrt(max(sum of squares, 1e-12))} in float64. */
    private static double inverseNorm(float[] vector) {
        double squares = 0;
        for (float value : vector) {
            squares += (double) value * value;
        }
        return 1 / Math.sqrt(Math.max(squares, 1e-12));
    }
}
