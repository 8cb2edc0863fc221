package dev.nncore.internal;

import dev.nncore.Loss;
import dev.nncore.Network;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The float32 forward and backward pass over weights the caller owns and updates in place: what
 * {@code dev.nncore.train} runs on every batch. {@code dev.nncore}'s package-private {@code Backprop} implements it
 * and installs its factory when its class initialises, the way {@code Matrix} installs {@link MatrixAccess}.
 *
 * <p>Weights and gradients are lists in Keras {@code get_weights()} order, kernels {@code [in][units]} and biases
 * {@code [1][units]}. Row arrays passed as {@code x} and {@code y} are read, never written, and may be shared with
 * the caller's data (a mini-batch is an array of references to the data set's rows).
 *
 * <p>One instance per training run; not thread-safe.
 */
public abstract class GradientKernel {

    private static volatile BiFunction<Network, Loss, GradientKernel> factory;

    /** For subclasses in nn-core. */
    protected GradientKernel() {
    }

    /**
     * Called once, by {@code dev.nncore.Backprop}'s static initialiser.
     *
     * @param kernelFactory creates a kernel for a network's architecture and a loss
     * @throws IllegalStateException if a factory is already installed
     */
    public static synchronized void install(BiFunction<Network, Loss, GradientKernel> kernelFactory) {
        if (factory != null) {
            throw new IllegalStateException("the gradient kernel is installed once, by dev.nncore.Backprop");
        }
        factory = kernelFactory;
    }

    /**
     * A kernel for the architecture of {@code network} (its sizes and activations; its weights are not used).
     *
     * @param network the architecture
     * @param loss the loss to differentiate
     * @return a new kernel
     */
    public static GradientKernel of(Network network, Loss loss) {
        BiFunction<Network, Loss, GradientKernel> installed = factory;
        if (installed == null) {
            try {
                Class.forName("dev.nncore.Backprop", true, GradientKernel.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("dev.nncore.Backprop is missing from the class path", e);
            }
            installed = factory;
        }
        return installed.apply(network, loss);
    }

    /**
     * The forward pass, remembering what {@link #backward} needs.
     *
     * @param x input rows; read only
     * @param y target rows, as many as {@code x}; read only
     * @param weights current weights; read only
     * @return the mean loss over the rows, accumulated in double as {@link Loss#value} does
     */
    public abstract double forward(float[][] x, float[][] y, List<float[][]> weights);

    /** @return the network's outputs from the last {@link #forward}: the kernel's own buffer, read only */
    public abstract float[][] outputs();

    /**
     * d(mean loss)/d(weight) at the weights and rows of the last {@link #forward}.
     *
     * @param y the targets passed to that forward; read only
     * @param weights the weights passed to that forward, unchanged since; read only
     * @param gradients one array per weight tensor, same shapes; overwritten
     */
    public abstract void backward(float[][] y, List<float[][]> weights, List<float[][]> gradients);
}
