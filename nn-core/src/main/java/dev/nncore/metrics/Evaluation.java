package dev.nncore.metrics;

import dev.nncore.internal.Checks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The loss and metrics of a network on a dataset, what Keras's {@code model.evaluate(x, y, return_dict=True)}
 * returns; made by {@link dev.nncore.Network#evaluate}.
 * <pre>{@code
 * // given: network, x, y
 * Evaluation result = network.evaluate(x, y, Loss.CATEGORICAL_CROSSENTROPY, Metric.accuracy());
 * result.loss();               // the mean loss over the rows
 * result.get("accuracy");      // 0.5: by the metric's Keras name
 * result.toString();           // "loss: 0.8394 - accuracy: 0.5000", Keras's log line
 * }</pre>
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Evaluation {

    private final double loss;
    private final Map<String, Double> metrics;

    /**
     * @param loss the mean loss
     * @param metrics each metric's value by name, in the order given; copied
     */
    public Evaluation(double loss, Map<String, Double> metrics) {
        Checks.notNull(metrics, "metrics");
        this.loss = loss;
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** @return the mean loss over the rows */
    public double loss() {
        return loss;
    }

    /** @return each metric's value by its Keras name, in the order given; unmodifiable */
    public Map<String, Double> metrics() {
        return metrics;
    }

    /**
     * @param name a metric's name, or {@code "loss"}
     * @return its value
     * @throws IllegalArgumentException if no metric has that name
     */
    public double get(String name) {
        if ("loss".equals(name)) {
            return loss;
        }
        Double value = metrics.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no metric named '" + name + "'; this evaluation has loss and "
                    + metrics.keySet());
        }
        return value;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "loss: %.4f", loss));
        metrics.forEach((name, value) -> text.append(String.format(Locale.ROOT, " - %s: %.4f", name, value)));
        return text.toString();
    }
}
