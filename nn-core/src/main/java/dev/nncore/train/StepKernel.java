package dev.nncore.train;

import java.util.List;

/** How a trainer gets the loss and its gradient for one batch: analytic backprop or finite differences. */
interface StepKernel {

    /**
     * @param x batch inputs; read only
     * @param y batch targets; read only
     * @param weights current weights; read only (a kernel may nudge and restore them)
     * @param gradients overwritten with d(mean batch loss)/d(weight), unless the loss is not finite
     * @return the mean batch loss at {@code weights}
     */
    double lossAndGradients(float[][] x, float[][] y, List<float[][]> weights, List<float[][]> gradients);

    /** The mean loss at {@code weights}, without gradients (validation). */
    double loss(float[][] x, float[][] y, List<float[][]> weights);

    /** @return the predictions at the weights of the last call, one row per sample; the kernel's buffer, read only */
    float[][] outputs();

    /** @return a hint for the divergence message, e.g. "try a smaller learning rate" */
    String divergenceHint();
}
