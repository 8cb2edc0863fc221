package dev.nncore.train;

import dev.nncore.internal.Checks;

/**
 * Lowers the learning rate when a metric has stopped improving, Keras's {@code ReduceLROnPlateau} callback
 * ({@code keras/src/callbacks/reduce_lr_on_plateau.py}), with its exact rules. At each epoch's end it puts the
 * current rate in the epoch's {@link TrainingRun#logs() logs} as {@code learning_rate}; then, if the metric is in the
 * logs: during a cooldown the cooldown counter falls by one and the wait is reset; an epoch that beats the best by more
 * than {@code minDelta} becomes the best and resets the wait; otherwise, outside a cooldown, the wait grows, and when it
 * reaches {@code patience} the rate becomes {@code max(rate * factor, minLr)} (only if the rate is above
 * {@code minLr}), the cooldown starts and the wait is reset. The running optimizer's rate changes at once.
 *
 * <pre>{@code
 * ReduceLROnPlateau plateau = ReduceLROnPlateau.builder()
 *         .monitor("val_loss").factor(0.5).patience(3).cooldown(1).minLr(1e-5)
 *         .build();
 * BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.01)).validationSplit(0.2)
 *         .listener(plateau).build();
 * }</pre>
 *
 * <p>Keras keeps the rate in float32; here it is a double. An optimizer with a {@link LearningRateSchedule} cannot
 * have its rate set, so a reduction then fails, as in Keras. Holds the state of the fit it listens to, reset when a fit
 * begins: one instance per concurrent fit.
 *
 * @since 0.2.0
 */
public final class ReduceLROnPlateau implements TrainingListener {

    private final String monitor;
    private final double factor;
    private final int patience;
    private final MonitorMode mode;
    private final double minDelta;
    private final int cooldown;
    private final double minLr;
    private final boolean maximise;

    private double best;
    private int wait;
    private int cooldownCounter;

    private ReduceLROnPlateau(Builder builder) {
        monitor = builder.monitor;
        factor = builder.factor;
        patience = builder.patience;
        mode = builder.mode;
        minDelta = builder.minDelta;
        cooldown = builder.cooldown;
        minLr = builder.minLr;
        maximise = mode.maximises(monitor);
        reset();
    }

    /**
     * @return a builder with Keras's defaults: monitor {@code "val_loss"}, factor 0.1, patience 10, mode auto,
     *     minDelta 1e-4, cooldown 0, minLr 0
     */
    public static Builder builder() {
        return new Builder();
    }

    private void reset() {
        best = maximise ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onTrainBegin(TrainingRun run) {
        reset();
    }

    @Override
    public void onEpochEnd(TrainingRun run, int epoch) {
        run.logs().put("learning_rate", run.learningRate());
        Double current = run.logs().get(monitor);
        if (current == null) {
            return;   // Keras warns and skips: e.g. an epoch without validation
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (maximise ? current > best + minDelta : current < best - minDelta) {
            best = current;
            wait = 0;
        } else if (cooldownCounter <= 0) {
            wait++;
            if (wait >= patience) {
                double old = run.learningRate();
                if (old > (float) minLr) {
                    run.setLearningRate(Math.max(old * factor, minLr));
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }

    /** @return the best value of the monitored metric in the last fit */
    public double best() {
        return best;
    }

    /** @return e.g. {@code ReduceLROnPlateau[monitor=val_loss, factor=0.1, patience=10, ...]} */
    @Override
    public String toString() {
        return "ReduceLROnPlateau[monitor=" + monitor + ", factor=" + factor + ", patience=" + patience + ", mode="
                + mode.kerasName() + ", minDelta=" + minDelta + ", cooldown=" + cooldown + ", minLr=" + minLr + "]";
    }

    /**
     * Options with Keras's names and defaults; each setter checks its argument.
     * <pre>{@code
     * ReduceLROnPlateau.Builder builder = ReduceLROnPlateau.builder().monitor("loss").factor(0.2);
     * }</pre>
     */
    public static final class Builder {
        private String monitor = History.VAL_LOSS;
        private double factor = 0.1;
        private int patience = 10;
        private MonitorMode mode = MonitorMode.AUTO;
        private double minDelta = 1e-4;
        private int cooldown;
        private double minLr;

        private Builder() {
        }

        /**
         * @param metric the logs key to watch, e.g. {@code "val_loss"} (default) or {@code "loss"}
         * @return this builder
         */
        public Builder monitor(String metric) {
            if (metric == null || metric.isBlank()) {
                throw new IllegalArgumentException("monitor must name a metric, e.g. \"val_loss\", got "
                        + (metric == null ? "null" : "\"" + metric + "\""));
            }
            monitor = metric;
            return this;
        }

        /**
         * @param value the factor the rate is multiplied by, in {@code [0, 1)}; default 0.1
         * @return this builder
         */
        public Builder factor(double value) {
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException("factor must be in [0, 1) (ReduceLROnPlateau does not support a factor"
                        + " >= 1), got " + value);
            }
            factor = value;
            return this;
        }

        /**
         * @param value epochs without improvement before the rate falls, at least 0; default 10
         * @return this builder
         */
        public Builder patience(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("patience must be >= 0, got " + value);
            }
            patience = value;
            return this;
        }

        /**
         * @param value whether the metric should fall or rise; default {@link MonitorMode#AUTO}
         * @return this builder
         */
        public Builder mode(MonitorMode value) {
            mode = Checks.notNull(value, "mode");
            return this;
        }

        /**
         * @param value the least change that counts as an improvement, finite and at least 0; default 1e-4
         * @return this builder
         */
        public Builder minDelta(double value) {
            KerasConfig.atLeastZero(value, "minDelta");
            minDelta = value;
            return this;
        }

        /**
         * @param value epochs after a reduction during which nothing is counted, at least 0; default 0
         * @return this builder
         */
        public Builder cooldown(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("cooldown must be >= 0, got " + value);
            }
            cooldown = value;
            return this;
        }

        /**
         * @param value the lowest rate, finite and at least 0; default 0
         * @return this builder
         */
        public Builder minLr(double value) {
            KerasConfig.atLeastZero(value, "minLr");
            minLr = value;
            return this;
        }

        /** @return the callback */
        public ReduceLROnPlateau build() {
            return new ReduceLROnPlateau(this);
        }
    }
}
