package dev.nncore.train;

import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.internal.GradientKernel;
import java.util.List;

/** Analytic gradients from {@code dev.nncore}'s float32 backprop kernel. */
final class BackpropStep implements StepKernel {

    private final GradientKernel kernel;
    private final String hint;

    BackpropStep(Network network, Loss loss, Optimizer optimizer) {
        this.kernel = GradientKernel.of(network, loss);
        this.hint = "try a smaller learning rate than " + optimizer.learningRate() + " (" + optimizer + ")";
    }

    @Override
    public double lossAndGradients(float[][] x, float[][] y, List<float[][]> weights, List<float[][]> gradients) {
        double loss = kernel.forward(x, y, weights);
        if (Double.isFinite(loss)) {
            kernel.backward(y, weights, gradients);
        }
        return loss;
    }

    @Override
    public double loss(float[][] x, float[][] y, List<float[][]> weights) {
        return kernel.forward(x, y, weights);
    }

    @Override
    public float[][] outputs() {
        return kernel.outputs();
    }

    @Override
    public String divergenceHint() {
        return hint;
    }
}
