package dev.nncore.train;

import dev.nncore.Network;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * How a trainer gets the loss and its gradient for one batch: analytic backprop or finite differences. A kernel is
 * bound, for one run, to the run's working copy of every weight (Keras {@code get_weights()} order), which the
 * optimizer updates in place between batches.
 */
interface StepKernel {

    /** Makes a run's kernel. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param network the architecture being trained
         * @param weights the run's working copy of every weight; the kernel reads it at every call
         * @param random Dropout masks and noise, seeded from the fit's seed
         */
        StepKernel make(Network network, List<float[][]> weights, RandomGenerator random);

        /**
         * As {@link #make(Network, List, RandomGenerator)} for a run whose weights are in {@code layout}, which may cut
         * the first Dense layer's units; a cut only where {@link #cutsByUnits()}.
         */
        default StepKernel make(Network network, List<float[][]> weights, RandomGenerator random, UnitLayout layout) {
            if (layout.isCut()) {
                throw new UnsupportedOperationException("this trainer does not cut units");
            }
            return make(network, weights, random);
        }

        /** @return whether {@link #make(Network, List, RandomGenerator, UnitLayout)} can cut the first layer's units */
        default boolean cutsByUnits() {
            return false;
        }
    }

    /**
     * The batch in training mode (Dropout drops, BatchNormalization on batch statistics, updating its moving ones).
     *
     * @param x batch inputs; read only
     * @param y batch targets; read only
     * @param gradients overwritten with d(mean batch loss)/d(weight) for each trainable weight, unless the loss is not
     *     finite
     * @return the mean batch loss
     */
    double lossAndGradients(float[][] x, float[][] y, List<float[][]> gradients);

    /**
     * As {@link #lossAndGradients(float[][], float[][], List)} with a weight per row (Keras's {@code sample_weight}).
     *
     * @param sampleWeights one weight per row, or null for none
     * @throws UnsupportedOperationException if this kernel cannot weight rows
     */
    default double lossAndGradients(float[][] x, float[][] y, float[] sampleWeights, List<float[][]> gradients) {
        if (sampleWeights != null) {
            throw new UnsupportedOperationException("this trainer does not weight samples; use BackpropTrainer");
        }
        return lossAndGradients(x, y, gradients);
    }

    /** The mean loss at inference, without gradients (validation). */
    double loss(float[][] x, float[][] y);

    /** @return the predictions of the last call, one row per sample; the kernel's buffer, read only */
    float[][] outputs();

    /**
     * Has the backward pass of a run cut by units run {@code update} on each part's thread once that part's gradients
     * are final (nothing is added to them after the backward pass), from the next step on.
     *
     * @param update the optimizer's update of each part's tensors ({@code OptimizerRun.cutUpdateParts})
     * @return whether it will; false if this kernel is not cut by units or adds to the gradients afterwards
     */
    default boolean updateInParts(dev.nncore.internal.Kernels.Parts update) {
        return false;
    }

    /** Called after each optimizer update of the weights: applies the layers' constraints (Keras's kernel_constraint). */
    default void afterUpdate() {
    }

    /** @return a hint for the divergence message, e.g. "try a smaller learning rate" */
    String divergenceHint();
}
