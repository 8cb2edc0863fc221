package dev.nncore.train;

import dev.nncore.Backprop;
import dev.nncore.BatchNormalization;
import dev.nncore.Loss;
import dev.nncore.Network;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Gradients by nudging one weight at a time and watching the loss, the cookbook's method: central differences
 * {@code (L(w + h) - L(w - h)) / 2h} cost two forward passes per trainable weight, forward differences
 * {@code (L(w + h) - L(w)) / h} one (plus the pass at {@code w} that every step makes for the loss). The nudge is
 * applied to a float64 working copy in place and undone; nothing is allocated per weight. Weights that are not
 * trainable are not nudged; a BatchNormalization's moving statistics advance once per batch through the float32
 * training pass, as in backprop.
 */
final class FiniteDifferenceStep implements StepKernel {

    private final Float64Forward forward;
    private final List<float[][]> weights;
    private final RandomGenerator random;
    private final Backprop statistics;
    private final double step;
    private final boolean central;
    private final String hint;
    private final WeightRules rules;
    private float[][] outputs;

    FiniteDifferenceStep(Network network, Loss loss, Optimizer optimizer, double step, boolean central,
            List<float[][]> weights, RandomGenerator random) {
        this.forward = new Float64Forward(network, loss);
        this.weights = weights;
        this.rules = WeightRules.of(network, false);
        this.random = random;
        boolean moving = network.layers().stream().anyMatch(layer -> layer instanceof BatchNormalization);
        this.statistics = moving ? Backprop.of(network, loss, weights, random) : null;
        this.step = step;
        this.central = central;
        this.hint = "try a smaller learning rate than " + optimizer.learningRate() + " (" + optimizer + ") or a smaller step than " + step;
    }

    @Override
    public double lossAndGradients(float[][] x, float[][] y, List<float[][]> gradients) {
        forward.reseed(random.nextLong());
        double base = loss(x, y, true);
        if (!Double.isFinite(base)) {
            return base;
        }
        double[][] working = forward.weights();
        int g = 0;
        for (int t = 0; t < working.length; t++) {
            if (!forward.isTrainable(t)) {
                continue;
            }
            double[] tensor = working[t];
            float[][] gradient = gradients.get(g++);
            int cols = gradient[0].length;
            for (int index = 0; index < tensor.length; index++) {
                double original = tensor[index];
                tensor[index] = original + step;
                double plus = forward.loss(x, y, true);
                double slope;
                if (central) {
                    tensor[index] = original - step;
                    slope = (plus - forward.loss(x, y, true)) / (2 * step);
                } else {
                    slope = (plus - base) / step;
                }
                tensor[index] = original;
                gradient[index / cols][index % cols] = (float) slope;
            }
        }
        if (statistics != null) {
            statistics.forward(x, y, true); // the moving statistics' update of this batch
        }
        rules.addGradients(weights, gradients); // the penalties' gradients are exact; only the loss's is estimated
        return base + rules.penalty(weights);
    }

    @Override
    public double loss(float[][] x, float[][] y) {
        return loss(x, y, false) + rules.penalty(weights);
    }

    @Override
    public void afterUpdate() {
        rules.constrain(weights);
    }

    private double loss(float[][] x, float[][] y, boolean training) {
        forward.load(weights);
        double loss = forward.loss(x, y, training);
        double[][] predicted = forward.outputs();
        if (outputs == null || outputs.length != predicted.length) {
            outputs = new float[predicted.length][predicted[0].length];
        }
        for (int i = 0; i < predicted.length; i++) {
            for (int j = 0; j < predicted[i].length; j++) {
                outputs[i][j] = (float) predicted[i][j];
            }
        }
        return loss;
    }

    @Override
    public float[][] outputs() {
        return outputs;
    }

    @Override
    public String divergenceHint() {
        return hint;
    }

    /** @return forward passes so far, for tests of the cost */
    long forwardPasses() {
        return forward.passes();
    }
}
