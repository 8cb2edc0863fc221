package dev.nncore.internal;

import dev.nncore.Network;
import java.util.List;

/**
 * nn-core's own entry to a {@link Network} built on weight arrays it takes over, for the trainer's result: the arrays a
 * fit trained are not touched again, so the network it returns holds them instead of a copy (a copy of every weight
 * per {@code fit} call).
 *
 * <p>This package is not exported by the module, so only nn-core can call it.
 */
public final class NetworkAccess {

    /** Implemented once, by {@code Network}, when its class initialises. */
    public interface Bridge {
        /** {@code architecture.withWeights} on {@code weights}' arrays themselves, checked but not copied. */
        Network withOwnedWeights(Network architecture, List<float[][]> weights);

        /** Every layer's weight arrays in {@code getWeights()} order, the network's own, not copied. */
        List<float[][]> weightArrays(Network network);

        /** {@code Backprop.cutByUnits}: a run with the first Dense layer's units cut at {@code bounds}. */
        dev.nncore.Backprop cutByUnits(Network network, dev.nncore.Loss loss, List<float[][]> weights,
                java.util.random.RandomGenerator random, int[] bounds);

        /** {@code Backprop.afterUnitGradients}: what each part of a run cut by units runs after its gradients. */
        void afterUnitGradients(dev.nncore.Backprop run, Kernels.Parts hook);
    }

    private static volatile Bridge bridge;

    private NetworkAccess() {
    }

    /**
     * Called by {@code Network}'s static initialiser.
     *
     * @param networkBridge the bridge
     * @throws IllegalStateException if a bridge is already installed
     */
    public static synchronized void install(Bridge networkBridge) {
        if (bridge != null) {
            throw new IllegalStateException("the Network bridge is installed once, by Network");
        }
        bridge = networkBridge;
    }

    /**
     * @param architecture the network whose layers, names and shapes the result keeps (its class is initialised, so
     *     the bridge is installed)
     * @param weights every layer's weights in {@code getWeights()} order; taken over: the caller must never read or
     *     write them again except through the result
     * @return the network on those arrays
     * @throws IllegalArgumentException as {@link Network#withWeights} for a wrong count or shape
     */
    public static Network withOwnedWeights(Network architecture, List<float[][]> weights) {
        return bridge.withOwnedWeights(architecture, weights);
    }

    /**
     * @param network a network (its class is initialised)
     * @return its weight arrays in {@code getWeights()} order, the network's own: read only, since a network is
     *     immutable; a caller that needs its own copy of some of them copies just those
     */
    public static List<float[][]> weightArrays(Network network) {
        return bridge.weightArrays(network);
    }

    /**
     * A backprop run whose first Dense layer's units are cut between threads, its weights in the run's layout (one
     * kernel and one bias tensor per part, then the others).
     *
     * @param network a Sequential network whose first two layers are Dense (its class is initialised)
     * @param bounds the first unit of each part, then the unit count
     * @return the run
     * @throws IllegalArgumentException if the network cannot be cut so
     */
    public static dev.nncore.Backprop cutByUnits(Network network, dev.nncore.Loss loss, List<float[][]> weights,
            java.util.random.RandomGenerator random, int[] bounds) {
        return bridge.cutByUnits(network, loss, weights, random, bounds);
    }

    /**
     * Has each part of a run cut by units run {@code hook} on its own thread right after its gradients, in every
     * backward pass from now on: the trainer's update of the part's tensors.
     *
     * @param run a run made by {@link #cutByUnits}
     * @param hook called with the part's index
     * @throws IllegalStateException if the run is not cut by units
     */
    public static void afterUnitGradients(dev.nncore.Backprop run, Kernels.Parts hook) {
        bridge.afterUnitGradients(run, hook);
    }
}
