package dev.nncore.train;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What happened in each epoch of a fit, Keras's {@code History}: the training loss, the validation loss, accuracy
 * for classification losses, and the wall time.
 *
 * <p>The loss of an epoch is Keras's: the mean over its batches of the batch loss, weighted by batch size, each
 * computed before that batch's update. Validation figures are computed after the epoch's last update. Accuracy is
 * recorded for {@link dev.nncore.Loss#CATEGORICAL_CROSSENTROPY} (the argmax of the prediction equals the argmax of
 * the target) and {@link dev.nncore.Loss#BINARY_CROSSENTROPY} (each output thresholded at 0.5 equals its target),
 * as Keras's {@code metrics=["accuracy"]} resolves them.
 *
 * <pre>{@code
 * TrainingResult result = BackpropTrainer.builder()
 *         .loss(Loss.BINARY_CROSSENTROPY).optimizer(Optimizer.adam(0.05)).epochs(5).seed(1).build()
 *         .fit(Network.builder(2).dense(4, Activation.TANH).dense(1, Activation.SIGMOID).seed(1).build(),
 *                 Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}), Matrix.column(0, 1, 1, 0));
 * History history = result.history();
 * int epochs = history.epochs();                       // 5
 * double last = history.loss().get(4);                 // the fifth epoch's loss
 * List<Double> accuracy = history.metric("accuracy");   // Keras's history.history["accuracy"]
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class History {

    /** Keras's key for the training loss. */
    public static final String LOSS = "loss";
    /** Keras's key for the validation loss. */
    public static final String VAL_LOSS = "val_loss";
    /** Keras's key for the training accuracy. */
    public static final String ACCURACY = "accuracy";
    /** Keras's key for the validation accuracy. */
    public static final String VAL_ACCURACY = "val_accuracy";

    private final Map<String, List<Double>> metrics;
    private final List<Duration> epochTimes;

    private History(Map<String, List<Double>> metrics, List<Duration> epochTimes) {
        this.metrics = metrics;
        this.epochTimes = epochTimes;
    }

    /** @return the number of epochs run */
    public int epochs() {
        return epochTimes.size();
    }

    /** @return the training loss of each epoch */
    public List<Double> loss() {
        return metrics.get(LOSS);
    }

    /** @return the validation loss of each epoch; empty without validation data */
    public List<Double> validationLoss() {
        return metrics.getOrDefault(VAL_LOSS, List.of());
    }

    /** @return the training accuracy of each epoch; empty unless the loss is a cross-entropy */
    public List<Double> accuracy() {
        return metrics.getOrDefault(ACCURACY, List.of());
    }

    /** @return the validation accuracy of each epoch; empty unless the loss is a cross-entropy and there is validation data */
    public List<Double> validationAccuracy() {
        return metrics.getOrDefault(VAL_ACCURACY, List.of());
    }

    /** @return the wall time of each epoch, validation included */
    public List<Duration> epochTimes() {
        return epochTimes;
    }

    /** @return the sum of the epoch times */
    public Duration totalTime() {
        return epochTimes.stream().reduce(Duration.ZERO, Duration::plus);
    }

    /** @return the names of the recorded metrics, in Keras's order: {@code loss}, {@code accuracy}, {@code val_loss}, {@code val_accuracy} */
    public List<String> metricNames() {
        return List.copyOf(metrics.keySet());
    }

    /**
     * One metric by its Keras name, as Keras's {@code history.history[name]}.
     *
     * @param name {@code "loss"}, {@code "val_loss"}, {@code "accuracy"} or {@code "val_accuracy"}
     * @return its value for each epoch
     * @throws IllegalArgumentException if this history has no such metric; the message lists those it has
     */
    public List<Double> metric(String name) {
        List<Double> values = metrics.get(name);
        if (values == null) {
            throw new IllegalArgumentException("no metric \"" + name + "\" in this history; it has " + metricNames()
                    + (name != null && name.startsWith("val_") ? " (validation metrics need validationSplit or validationData)" : ""));
        }
        return values;
    }

    /** @return the metrics by Keras name, as Keras's {@code history.history} dictionary */
    public Map<String, List<Double>> asMap() {
        return metrics;
    }

    /** @return e.g. {@code History[3 epochs, loss 0.6931 -> 0.1204, val_loss 0.7012 -> 0.1500]} */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("History[").append(epochs()).append(epochs() == 1 ? " epoch" : " epochs");
        for (Map.Entry<String, List<Double>> entry : metrics.entrySet()) {
            List<Double> values = entry.getValue();
            if (!values.isEmpty()) {
                text.append(", ").append(entry.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.4f -> %.4f", values.get(0), values.get(values.size() - 1)));
            }
        }
        return text.append(']').toString();
    }

    /** Collects a run's epochs; {@link #build()} snapshots them. */
    static final class Recorder {
        private final Map<String, List<Double>> metrics = new LinkedHashMap<>();
        private final List<Duration> epochTimes = new ArrayList<>();

        Recorder(boolean accuracy, boolean validation) {
            this(accuracy, validation, List.of());
        }

        /** Keras's order: loss, the metrics, then val_loss and the val_ metrics. */
        Recorder(boolean accuracy, boolean validation, List<String> extra) {
            metrics.put(LOSS, new ArrayList<>());
            if (accuracy) {
                metrics.put(ACCURACY, new ArrayList<>());
            }
            for (String name : extra) {
                metrics.put(name, new ArrayList<>());
            }
            if (validation) {
                metrics.put(VAL_LOSS, new ArrayList<>());
                if (accuracy) {
                    metrics.put(VAL_ACCURACY, new ArrayList<>());
                }
                for (String name : extra) {
                    metrics.put("val_" + name, new ArrayList<>());
                }
            }
        }

        private final java.util.Set<String> added = new java.util.HashSet<>();
        private java.util.Set<String> lastAdded = java.util.Set.of();

        void add(String name, double value) {
            added.add(name);
            metrics.get(name).add(value);
        }

        void endEpoch(Duration time) {
            epochTimes.add(time);
            lastAdded = java.util.Set.copyOf(added);
            added.clear();
        }

        int epochs() {
            return epochTimes.size();
        }

        List<String> names() {
            return List.copyOf(metrics.keySet());
        }

        /** @return the metrics recorded for the last epoch, Keras's epoch {@code logs}, in a new mutable map */
        Map<String, Double> lastEpoch() {
            Map<String, Double> logs = new LinkedHashMap<>();
            metrics.forEach((name, values) -> {
                if (lastAdded.contains(name)) {
                    logs.put(name, values.get(values.size() - 1));
                }
            });
            return logs;
        }

        History build() {
            Map<String, List<Double>> copy = new LinkedHashMap<>();
            metrics.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            return new History(Collections.unmodifiableMap(copy), List.copyOf(epochTimes));
        }
    }
}
