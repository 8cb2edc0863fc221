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
    @FunctionalInterface
    public interface Bridge {
        /** {@code architecture.withWeights} on {@code weights}' arrays themselves, checked but not copied. */
        Network withOwnedWeights(Network architecture, List<float[][]> weights);
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
}
