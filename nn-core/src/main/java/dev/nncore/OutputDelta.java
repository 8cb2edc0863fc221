package dev.nncore;

/**
 * The gradient that backpropagation starts from: {@code dL/d(output)} of the last layer, or, for the output/loss pairs
 * that fuse, {@code dL/dz} through the last activation. Three pairs fuse, because the general path divides by a
 * probability and multiplies it back:
 * <ul>
 *   <li>softmax with categorical cross-entropy: {@code dL/dz = (p sum(t) / sum(p) - t) / N}, which is
 *       {@code (p - t) / N} for one-hot targets (label smoothing changes t, not the form);
 *   <li>softmax with sparse categorical cross-entropy: {@code (p / sum(p) - onehot(k)) / N};
 *   <li>sigmoid with binary cross-entropy: {@code (p - t) / (N M)}.
 * </ul>
 * Each is the exact derivative of Keras's clipped loss wherever its clipping is inactive. Where it is active (a
 * probability outside {@code [1e-7, 1 - 1e-7]}) the loss is flat in that probability: binary cross-entropy then
 * contributes 0, and a clipped softmax row goes through the general chain rule. A {@code from_logits} loss needs no
 * fusing: its own gradient is already {@code softmax(z) - t} or {@code sigmoid(z) - t}, computed stably.
 *
 * For example, softmax outputs {@code (0.25, 0.75)} against the one-hot target {@code (0, 1)} at scale 1 give
 * {@code dL/dz = (0.25, -0.25)}.
 * Holds one scratch row, so one instance per training run; not thread-safe.
 */
final class OutputDelta {

    private enum Kind { GENERAL, SOFTMAX_CATEGORICAL, SOFTMAX_SPARSE, SIGMOID_BINARY }

    private final Loss loss;
    private final Kind kind;
    private float[] clippedRow;

    private OutputDelta(Loss loss, Kind kind) {
        this.loss = loss;
        this.kind = kind;
    }

    /**
     * @param loss the loss
     * @param lastActivation the last layer's activation, or null if it has none
     * @return the output gradient for that pair
     */
    static OutputDelta of(Loss loss, Activation lastActivation) {
        LossFormula formula = loss.formula();
        boolean probabilities = formula.needsProbabilities();
        Kind kind = Kind.GENERAL;
        if (probabilities && Activation.SOFTMAX.equals(lastActivation)) {
            if (formula instanceof LossFormulas.CategoricalCrossentropy) {
                kind = Kind.SOFTMAX_CATEGORICAL;
            } else if (formula instanceof LossFormulas.SparseCategoricalCrossentropy) {
                kind = Kind.SOFTMAX_SPARSE;
            }
        } else if (probabilities && Activation.SIGMOID.equals(lastActivation)
                && formula instanceof LossFormulas.BinaryCrossentropy) {
            kind = Kind.SIGMOID_BINARY;
        }
        return new OutputDelta(loss, kind);
    }

    /** @return whether {@link #delta} gives {@code dL/dz} before the last activation rather than after it */
    boolean fusedWithActivation() {
        return kind != Kind.GENERAL;
    }

    /**
     * Writes one row's output gradient.
     *
     * @param predicted the network's output row; read only
     * @param target its target row (one label for sparse targets); read only
     * @param scale 1 / (rows in the batch)
     * @param out {@code dL/dz} if {@link #fusedWithActivation()}, else {@code dL/d(output)}; overwritten
     */
    void delta(float[] predicted, float[] target, double scale, float[] out) {
        switch (kind) {
            case GENERAL -> loss.sampleGradient(predicted, target, scale, out);
            case SIGMOID_BINARY -> sigmoidBinary(predicted, target, scale, out);
            case SOFTMAX_CATEGORICAL, SOFTMAX_SPARSE -> softmaxCategorical(predicted, target, scale, out);
        }
    }

    private void sigmoidBinary(float[] p, float[] t, double scale, float[] delta) {
        LossFormulas.BinaryCrossentropy formula = (LossFormulas.BinaryCrossentropy) loss.formula();
        double perOutput = scale / p.length;
        for (int j = 0; j < p.length; j++) {
            delta[j] = LossFormula.clipped(p[j]) ? 0f : (float) (((double) p[j] - formula.target(t[j])) * perOutput);
        }
    }

    private void softmaxCategorical(float[] p, float[] t, double scale, float[] delta) {
        boolean sparse = kind == Kind.SOFTMAX_SPARSE;
        LossFormulas.CategoricalCrossentropy categorical = sparse ? null : (LossFormulas.CategoricalCrossentropy) loss.formula();
        int label = sparse ? LossFormula.label(t, p.length) : -1;
        double rowSum = 0;
        double targetSum = 0;
        for (int j = 0; j < p.length; j++) {
            rowSum += p[j];
            targetSum += sparse ? (j == label ? 1 : 0) : categorical.target(t[j], p.length);
        }
        // p / rowSum is clipped where it is below 1e-7 or above 1 - 1e-7. Probabilities clear of those bounds by a
        // relative 2^-40 (far more than the roundings of the division and of the bounds) are not, whatever the
        // division rounds to; only the rest, usually none, pay for the division.
        double low = LossFormula.EPSILON * rowSum * (1 + 0x1p-40);
        double high = LossFormula.CLIP_HIGH * rowSum * (1 - 0x1p-40);
        for (int j = 0; j < p.length; j++) {
            double probability = p[j];
            if (!(probability > low && probability < high) && LossFormula.clipped(probability / rowSum)) {
                if (clippedRow == null || clippedRow.length != p.length) {
                    clippedRow = new float[p.length];
                }
                loss.sampleGradient(p, t, scale, clippedRow);
                Activation.SOFTMAX.gradient(null, p, clippedRow, delta);
                return;
            }
        }
        double ratio = targetSum / rowSum;
        for (int j = 0; j < p.length; j++) {
            double target = sparse ? (j == label ? 1 : 0) : categorical.target(t[j], p.length);
            delta[j] = (float) ((p[j] * ratio - target) * scale);
        }
    }
}
