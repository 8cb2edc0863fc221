package dev.nncore.train;

import dev.nncore.Network;
import java.util.List;

/**
 * Stops a fit when a monitored metric has stopped improving, Keras's {@code EarlyStopping} callback.
 *
 * <pre>{@code
 * EarlyStopping early = EarlyStopping.builder()
 *         .monitor("val_loss")          // Keras's default
 *         .patience(5)                  // epochs without improvement before stopping
 *         .minDelta(1e-4)               // smaller changes are not improvements
 *         .restoreBestWeights(true)     // end with the best epoch's weights
 *         .build();
 * TrainingResult result = BackpropTrainer.builder()
 *         .loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.01)).epochs(500).validationSplit(0.25)
 *         .seed(1).listener(early).build()
 *         .fit(Network.builder(1).dense(8, Activation.TANH).dense(1, Activation.LINEAR).seed(1).build(),
 *                 Matrix.column(0, 1, 2, 3, 4, 5, 6, 7), Matrix.column(5, 7, 9, 11, 13, 15, 17, 19));
 * int stoppedAt = early.stoppedEpoch();  // the epoch (from 0) that stopped the fit, or -1
 * }</pre>
 *
 * <p>As in Keras 3: a metric whose name contains {@code "acc"} is maximised, any other minimised. An epoch improves
 * when its value beats the best so far by more than {@code minDelta}; an epoch without improvement that makes
 * {@code patience} such epochs in a row (and is not the first epoch) stops the fit at its end, so
 * {@code patience(0)} stops at the first epoch that does not improve. With
 * {@code restoreBestWeights}, the fit ends with the weights of the best epoch, whether it stopped early or ran to
 * the end. A monitored metric the fit does not record (say {@code "val_loss"} without validation data) is an
 * error before the first epoch, where Keras only warns.
 *
 * <p>Holds the state of the fit it listens to, reset when a fit begins: use one instance per concurrent fit. The
 * accessors report the last fit.
 *
 * @since 0.1.0
 */
public final class EarlyStopping implements TrainingListener {

    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private final boolean maximise;

    private double best;
    private int bestEpoch;
    private int wait;
    private int stoppedEpoch;
    private Network bestNetwork;

    private EarlyStopping(Builder builder) {
        this.monitor = builder.monitor;
        this.patience = builder.patience;
        this.minDelta = builder.minDelta;
        this.restoreBestWeights = builder.restoreBestWeights;
        this.maximise = monitor.contains("acc");
        reset();
    }

    /** @return a builder with Keras's defaults: monitor {@code "val_loss"}, patience 0, minDelta 0, no restoring */
    public static Builder builder() {
        return new Builder();
    }

    private void reset() {
        best = maximise ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        bestEpoch = -1;
        wait = 0;
        stoppedEpoch = -1;
        bestNetwork = null;
    }

    @Override
    public void onTrainBegin(TrainingRun run) {
        List<String> names = run.metricNames();
        if (!names.contains(monitor)) {
            throw new IllegalStateException("EarlyStopping monitors \"" + monitor + "\" but this fit records only " + names
                    + (monitor.startsWith("val_") ? "; set validationSplit or validationData, or monitor \"loss\"" : ""));
        }
        reset();
    }

    @Override
    public void onEpochEnd(TrainingRun run, int epoch) {
        Double logged = run.logs().get(monitor);
        if (logged == null) {
            return;   // an epoch without validation (validationFreq), skipped as Keras skips it
        }
        double current = logged;
        wait++;
        if (maximise ? current - minDelta > best : current + minDelta < best) {
            best = current;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) {
                bestNetwork = run.network();
            }
            return; // as Keras: an improving epoch never stops the fit, even with patience 0
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            run.stop();
        }
    }

    @Override
    public void onTrainEnd(TrainingRun run) {
        if (restoreBestWeights && bestNetwork != null) {
            run.setNetwork(bestNetwork);
        }
    }

    /** @return the epoch (from 0) at whose end the last fit was stopped, or -1 if it ran all its epochs */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** @return the epoch (from 0) with the best monitored value in the last fit, or -1 before any epoch */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** @return the best monitored value in the last fit (infinite before any epoch) */
    public double best() {
        return best;
    }

    /** @return e.g. {@code EarlyStopping[monitor=val_loss, patience=5, minDelta=1.0E-4, restoreBestWeights=true]} */
    @Override
    public String toString() {
        return "EarlyStopping[monitor=" + monitor + ", patience=" + patience + ", minDelta=" + minDelta
                + ", restoreBestWeights=" + restoreBestWeights + "]";
    }

    /**
     * Collects an {@link EarlyStopping}'s options, with Keras's defaults.
     *
     * <pre>{@code
     * EarlyStopping early = EarlyStopping.builder().monitor("loss").patience(3).build();
     * }</pre>
     *
     * Not thread-safe.
     */
    public static final class Builder {
        private String monitor = History.VAL_LOSS;
        private int patience;
        private double minDelta;
        private boolean restoreBestWeights;

        private Builder() {
        }

        /**
         * @param metric a {@link History} metric name: {@code "loss"}, {@code "val_loss"} (default),
         *     {@code "accuracy"} or {@code "val_accuracy"}
         * @return this builder
         */
        public Builder monitor(String metric) {
            if (metric == null || !List.of(History.LOSS, History.VAL_LOSS, History.ACCURACY, History.VAL_ACCURACY).contains(metric)) {
                throw new IllegalArgumentException("EarlyStopping can monitor loss, val_loss, accuracy or val_accuracy, got \""
                        + metric + "\"");
            }
            this.monitor = metric;
            return this;
        }

        /**
         * @param epochs epochs in a row without improvement before stopping, at least 0; default 0
         * @return this builder
         */
        public Builder patience(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("patience must be at least 0, got " + epochs);
            }
            this.patience = epochs;
            return this;
        }

        /**
         * @param delta the smallest change that counts as an improvement, at least 0 (its sign is ignored, as in
         *     Keras); default 0
         * @return this builder
         */
        public Builder minDelta(double delta) {
            if (!Double.isFinite(delta)) {
                throw new IllegalArgumentException("minDelta must be a finite number, got " + delta);
            }
            this.minDelta = Math.abs(delta);
            return this;
        }

        /**
         * @param restore whether the fit ends with the weights of the best epoch; default false
         * @return this builder
         */
        public Builder restoreBestWeights(boolean restore) {
            this.restoreBestWeights = restore;
            return this;
        }

        /** @return the listener */
        public EarlyStopping build() {
            return new EarlyStopping(this);
        }
    }
}
