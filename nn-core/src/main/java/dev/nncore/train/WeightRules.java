package dev.nncore.train;

import dev.nncore.Constraint;
import dev.nncore.Dense;
import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.Regularizer;
import java.util.List;

/**
 * The Dense layers' {@code kernel_regularizer}/{@code bias_regularizer} and {@code kernel_constraint}/
 * {@code bias_constraint} for one training run, on the run's working weights (Keras {@code get_weights()} order):
 * the penalty added to the batch loss, its gradient added to the weights' gradients, and the constraints applied after
 * each optimizer update. Found by asking each layer for its weights by name. Holds no state; not thread-safe only
 * because the arrays it is given are not.
 */
final class WeightRules {

    private final Regularizer[] regularizers;
    private final Constraint[] constraints;
    private final boolean[] oneDimensional;
    /** For each weight, its index among the trainable weights (the gradients), or -1. */
    private final int[] gradientIndex;
    private final boolean any;

    private WeightRules(Network network, boolean activityInLoss) {
        List<Boolean> trainable = network.trainable();
        int count = trainable.size();
        regularizers = new Regularizer[count];
        constraints = new Constraint[count];
        oneDimensional = new boolean[count];
        gradientIndex = new int[count];
        int t = 0;
        int g = 0;
        boolean found = false;
        for (Layer layer : network.layers()) {
            List<String> names = layer.weightNames();
            for (int i = 0; i < names.size(); i++, t++) {
                gradientIndex[t] = trainable.get(t) ? g++ : -1;
                if (layer instanceof Dense dense) {
                    if (!activityInLoss && dense.activityRegularizer().isPresent()) {
                        throw new IllegalArgumentException("Dense \"" + dense.name() + "\" has an activity_regularizer ("
                                + dense.activityRegularizer().get() + "), which the finite-difference trainer does not"
                                + " compute; train with BackpropTrainer, or remove it with withRegularizers(kernel, bias, null)");
                    }
                    boolean kernel = names.get(i).equals("kernel");
                    regularizers[t] = (kernel ? dense.kernelRegularizer() : dense.biasRegularizer()).orElse(null);
                    constraints[t] = (kernel ? dense.kernelConstraint() : dense.biasConstraint()).orElse(null);
                    oneDimensional[t] = !kernel;
                    found |= regularizers[t] != null || constraints[t] != null;
                }
            }
        }
        any = found;
    }

    /**
     * @param network the architecture being trained
     * @param activityInLoss whether the step's loss already holds the layers' activity penalties (backprop's does)
     * @return its rules
     * @throws IllegalArgumentException if a layer has a rule that this training does not support
     */
    static WeightRules of(Network network, boolean activityInLoss) {
        return new WeightRules(network, activityInLoss);
    }

    private WeightRules(Regularizer[] regularizers, Constraint[] constraints, boolean[] oneDimensional,
            int[] gradientIndex, boolean any) {
        this.regularizers = regularizers;
        this.constraints = constraints;
        this.oneDimensional = oneDimensional;
        this.gradientIndex = gradientIndex;
        this.any = any;
    }

    /**
     * @return whether these rules hold unit by unit on the kernel at network index {@code kernel} and, if {@code bias},
     *     the next tensor, so that they can be applied to each part of a cut by units alone: an L1, L2 or L1L2 penalty
     *     (element by element), a NonNeg constraint, or on the kernel a norm constraint over axis 0 (one norm per unit)
     */
    boolean holdByUnits(int kernel, boolean bias) {
        for (int t = kernel; t <= kernel + (bias ? 1 : 0); t++) {
            Regularizer regularizer = regularizers[t];
            if (regularizer != null && regularizer.kerasClassName().equals("OrthogonalRegularizer")) {
                return false;
            }
            Constraint constraint = constraints[t];
            if (constraint != null && !constraint.kerasClassName().equals("NonNeg")
                    && (oneDimensional[t] || !Integer.valueOf(0).equals(constraint.config().get("axis")))) {
                return false;
            }
        }
        return true;
    }

    /** @return these rules on a run whose weights are in {@code layout}: each part of a cut tensor takes its rules */
    WeightRules inLayout(UnitLayout layout) {
        if (!layout.isCut()) {
            return this;
        }
        int count = layout.runCount();
        Regularizer[] runRegularizers = new Regularizer[count];
        Constraint[] runConstraints = new Constraint[count];
        boolean[] runOneDimensional = new boolean[count];
        int[] runGradientIndex = new int[count];
        int g = 0;
        for (int r = 0; r < count; r++) {
            int t = layout.networkIndex(r);
            runRegularizers[r] = regularizers[t];
            runConstraints[r] = constraints[t];
            runOneDimensional[r] = oneDimensional[t];
            runGradientIndex[r] = gradientIndex[t] >= 0 ? g++ : -1;
        }
        return new WeightRules(runRegularizers, runConstraints, runOneDimensional, runGradientIndex, any);
    }

    /** @return the sum of the weight penalties at {@code weights}, 0 without regularizers */
    double penalty(List<float[][]> weights) {
        if (!any) {
            return 0;
        }
        double sum = 0;
        for (int t = 0; t < regularizers.length; t++) {
            if (regularizers[t] != null && gradientIndex[t] >= 0) {
                sum += regularizers[t].penalty(weights.get(t));
            }
        }
        return sum;
    }

    /** Adds each penalty's gradient to its trainable weight's gradient. */
    /** @return whether {@link #addGradients} adds anything: a penalty on a trainable weight */
    boolean addsGradients() {
        for (int t = 0; any && t < regularizers.length; t++) {
            if (regularizers[t] != null && gradientIndex[t] >= 0) {
                return true;
            }
        }
        return false;
    }

    void addGradients(List<float[][]> weights, List<float[][]> gradients) {
        if (!any) {
            return;
        }
        for (int t = 0; t < regularizers.length; t++) {
            if (regularizers[t] != null && gradientIndex[t] >= 0) {
                regularizers[t].addGradient(weights.get(t), 1.0, gradients.get(gradientIndex[t]));
            }
        }
    }

    /** Applies the constraints to the weights in place, after an update. */
    void constrain(List<float[][]> weights) {
        if (!any) {
            return;
        }
        for (int t = 0; t < constraints.length; t++) {
            if (constraints[t] != null && gradientIndex[t] >= 0) {
                constraints[t].applyInPlace(weights.get(t), oneDimensional[t]);
            }
        }
    }
}
