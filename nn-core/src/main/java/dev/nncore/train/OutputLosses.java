package dev.nncore.train;

import dev.nncore.Loss;
import dev.nncore.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loss and a weight per output of a graph network, by output name, as Keras's
 * {@code compile(loss={"main": ..., "aux": ...}, loss_weights={"main": 1.0, "aux": 0.2})}; outputs not named take the
 * fit's loss and weight 1.
 */
record OutputLosses(Map<String, Loss> losses, Map<String, Double> weights) {

    static final OutputLosses NONE = new OutputLosses(Map.of(), Map.of());

    OutputLosses {
        losses = Map.copyOf(new LinkedHashMap<>(losses));
        weights = Map.copyOf(new LinkedHashMap<>(weights));
    }

    /** @return one loss per output of {@code network}, in its output order */
    List<Loss> resolve(Network network, Loss fallback) {
        check(network);
        List<Loss> resolved = new ArrayList<>();
        for (String name : network.outputNames()) {
            resolved.add(losses.getOrDefault(name, fallback));
        }
        return resolved;
    }

    /** @return one weight per output of {@code network}, in its output order */
    double[] weights(Network network) {
        check(network);
        List<String> names = network.outputNames();
        double[] resolved = new double[names.size()];
        for (int k = 0; k < resolved.length; k++) {
            resolved[k] = weights.getOrDefault(names.get(k), 1.0);
        }
        return resolved;
    }

    boolean isEmpty() {
        return losses.isEmpty() && weights.isEmpty();
    }

    private void check(Network network) {
        for (String name : losses.keySet()) {
            if (!network.outputNames().contains(name)) {
                throw new IllegalArgumentException("a loss is given for output \"" + name + "\", but the network's outputs are "
                        + network.outputNames());
            }
        }
        for (String name : weights.keySet()) {
            if (!network.outputNames().contains(name)) {
                throw new IllegalArgumentException("a loss weight is given for output \"" + name
                        + "\", but the network's outputs are " + network.outputNames());
            }
        }
    }
}
