package dev.nncore.train;

import java.util.List;

import dev.nncore.Loss;
import dev.nncore.math.Matrix;

/**
 * The options both trainers share, with Keras's names and defaults; {@link BackpropTrainer.Builder} and
 * {@link FiniteDifferenceTrainer.Builder} add their own and {@code build()}. Every setter checks its argument at
 * once and returns the builder, so calls chain in any order.
 *
 * <pre>{@code
 * BackpropTrainer trainer = BackpropTrainer.builder()
 *         .loss(Loss.MEAN_SQUARED_ERROR)       // required, as in Keras's compile
 *         .epochs(50)                          // default 1
 *         .batchSize(16)                       // default 32
 *         .validationSplit(0.2)                // the last 20 % of the rows, before shuffling
 *         .build();
 * }</pre>
 *
 * <p>Not thread-safe; {@code build()} may be called more than once.
 *
 * @param <B> the concrete builder, returned by every setter
 * @since 0.1.0
 */
public abstract sealed class TrainerBuilder<B extends TrainerBuilder<B>>
        permits BackpropTrainer.Builder, FiniteDifferenceTrainer.Builder {

    final Settings.Builder settings = new Settings.Builder();

    TrainerBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * @param loss the loss to minimise (required, as in Keras's {@code compile})
     * @return this builder
     */
    public B loss(Loss loss) {
        settings.loss(loss);
        return self();
    }

    /**
     * A loss per output of a graph network, by output name, Keras's {@code compile(loss={"main": ..., "aux": ...})};
     * outputs not named take {@link #loss(Loss)} (which then defaults to the first of these). Targets come side by side
     * in {@link dev.nncore.Network#outputNames()} order, as {@link Trainer#fit(dev.nncore.Network, List, List)} lays
     * them out.
     *
     * <pre>{@code
     * Trainer trainer = BackpropTrainer.builder()
     *         .losses(Map.of("main", Loss.MEAN_SQUARED_ERROR, "aux", Loss.BINARY_CROSSENTROPY))
     *         .lossWeights(Map.of("aux", 0.2))
     *         .build();
     * }</pre>
     *
     * @param byOutput output name to its loss; at least one
     * @return this builder
     */
    public B losses(java.util.Map<String, Loss> byOutput) {
        settings.losses(byOutput);
        return self();
    }

    /**
     * Keras's {@code class_weight}: each training row's loss is multiplied by the weight of its class, so that a rare
     * class counts as much as a common one. A row's class is the index of its largest target (one-hot targets), or,
     * for one target column, the target rounded (a 0/1 label, or an integer label for sparse categorical
     * cross-entropy); classes not in the map weigh 1. Validation rows are not weighted, as in Keras.
     *
     * <pre>{@code
     * Trainer trainer = BackpropTrainer.builder().loss(Loss.BINARY_CROSSENTROPY)
     *         .classWeight(Map.of(0, 1.0, 1, 19.0))                 // 1 positive in 20
     *         .build();
     * }</pre>
     *
     * @param weights class index to its weight, each finite and at least 0
     * @return this builder
     */
    public B classWeight(java.util.Map<Integer, Double> weights) {
        settings.classWeight(weights);
        return self();
    }

    /**
     * Weights of the outputs' losses in the total, Keras's {@code loss_weights}: the fit minimises
     * {@code sum of weight * mean loss} over the outputs; outputs not named weigh 1.
     *
     * @param byOutput output name to its weight, each finite
     * @return this builder
     */
    public B lossWeights(java.util.Map<String, Double> byOutput) {
        settings.lossWeights(byOutput);
        return self();
    }

    /**
     * @param optimizer the update rule; the default depends on the trainer (see its {@code build()})
     * @return this builder
     */
    public B optimizer(Optimizer optimizer) {
        settings.optimizer(optimizer);
        return self();
    }

    /**
     * @param epochs passes over the training rows, at least 1; default 1
     * @return this builder
     */
    public B epochs(int epochs) {
        settings.epochs(epochs);
        return self();
    }

    /**
     * @param batchSize rows per update, at least 1; default 32; a value above the row count means full batches
     * @return this builder
     */
    public B batchSize(int batchSize) {
        settings.batchSize(batchSize);
        return self();
    }

    /**
     * @param shuffle whether to shuffle the training rows before every epoch; default true
     * @return this builder
     */
    public B shuffle(boolean shuffle) {
        settings.shuffle(shuffle);
        return self();
    }

    /**
     * Fixes the shuffling: the same seed, network and data give bit-identical trained weights. Without a seed each
     * fit shuffles differently, as in Keras.
     *
     * @param seed the seed of the {@link java.util.SplittableRandom} that shuffles
     * @return this builder
     */
    public B seed(long seed) {
        settings.seed(seed);
        return self();
    }

    /**
     * Holds out the last rows for validation, before shuffling, as Keras does: the first
     * {@code floor(rows * (1 - fraction))} rows train.
     *
     * @param fraction in {@code [0, 1)}; default 0 (no validation)
     * @return this builder
     */
    public B validationSplit(double fraction) {
        settings.validationSplit(fraction);
        settings.validationSplitRows(ValidationSplit.LAST);
        return self();
    }

    /**
     * Holds out a share of the rows for validation, chosen as {@code rows} says: {@link ValidationSplit#LAST} is
     * {@link #validationSplit(double)}, Keras's; {@link ValidationSplit#SHUFFLED} and
     * {@link ValidationSplit#STRATIFIED} choose them at random from the fit's seed, the latter from each class.
     * <pre>{@code
     * BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY)
     *         .validationSplit(0.2, ValidationSplit.STRATIFIED).build();
     * }</pre>
     *
     * @param fraction the share of rows, in {@code [0, 1)}
     * @param rows which rows
     * @return this builder
     */
    public B validationSplit(double fraction, ValidationSplit rows) {
        settings.validationSplit(fraction);
        settings.validationSplitRows(rows);
        return self();
    }

    /**
     * Validation rows of their own, Keras's {@code validation_data=(x, y)}.
     *
     * @param x validation inputs; not modified
     * @param y validation targets, one row per row of {@code x}; not modified
     * @return this builder
     */
    public B validationData(Matrix x, Matrix y) {
        settings.validationData(x, y);
        return self();
    }

    /**
     * Metrics to record each epoch besides the loss, Keras's {@code compile(metrics=[...])}: in {@link History} under
     * their names (e.g. {@code "f1_score"}) and, with validation data, as {@code "val_" + name}. A training metric is
     * computed over the epoch's predictions, each made in training mode before its batch's update, as Keras's
     * stateful metrics accumulate them; a validation metric on the validation rows after the epoch. A metric named
     * {@code accuracy} with a cross-entropy loss is the accuracy recorded anyway, so it is recorded once.
     * <pre>{@code
     * BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY)
     *         .metrics(Metric.f1Score(Metric.Average.MACRO)).build();   // history().metric("f1_score") per epoch
     * }</pre>
     *
     * @param metrics the metrics, each with a distinct name other than {@code loss} or {@code val_...}
     * @return this builder
     */
    public B metrics(dev.nncore.metrics.Metric... metrics) {
        dev.nncore.internal.Checks.notNull(metrics, "metrics");
        for (dev.nncore.metrics.Metric metric : metrics) {
            settings.metric(metric);
        }
        return self();
    }

    /**
     * Keras's {@code initial_epoch}: the fit runs epochs {@code initialEpoch} to {@code epochs - 1} (counted from 0),
     * so {@code epochs} is the last epoch's number, not a count, as in Keras. Listeners see the absolute epoch. To
     * resume a fit bit for bit (weights, optimizer state, shuffling), use {@link BackupAndRestore}.
     * <pre>{@code
     * Trainer trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(20).initialEpoch(10).build();   // runs epochs 11 to 20
     * }</pre>
     *
     * @param initialEpoch at least 0; default 0
     * @return this builder
     */
    public B initialEpoch(int initialEpoch) {
        settings.initialEpoch(initialEpoch);
        return self();
    }

    /**
     * Starts the optimizer from a saved state instead of fresh slots: the step count, learning rate, moments and EMA
     * averages of an earlier fit ({@link TrainingResult#optimizerState()}) or of a Keras file
     * ({@code Keras.loadTraining}), as Keras's second {@code fit} of a compiled model does. Together with
     * {@link #initialEpoch(int)} set to the epochs already run and the same seed, the data is shuffled as the
     * uninterrupted fit would have shuffled it (the earlier epochs' orders are drawn again and dropped), so a fit of
     * {@code N} epochs continued to {@code N + M} ends with the same weights, bit for bit, as one fit of {@code N + M}
     * epochs (with {@link #stepsPerEpoch}, epochs and passes over the data differ and the orders are not drawn again:
     * give the data in the order wanted, or use {@link BackupAndRestore}); two exceptions: Dropout and noise layers
     * draw afresh (use {@link BackupAndRestore} to replay them), and
     * with EMA ({@link Optimizer#ema}) the first fit ends by replacing the weights with their averages, as Keras's
     * {@code finalize_variable_values} does, so the continued fit goes on from the averages, as Keras's would.
     * <pre>{@code
     * // given: result
     * Trainer more = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY).optimizer(Optimizer.adam(0.01))
     *         .epochs(10).initialEpoch(5).seed(1).optimizerState(result.optimizerState()).build();
     * }</pre>
     *
     * @param state the optimizer's state; must be of the same optimizer class, for the same trainable weights
     * @return this builder
     */
    public B optimizerState(OptimizerState state) {
        settings.optimizerState(state);
        return self();
    }

    /**
     * Keras 3's {@code steps_per_epoch}: an epoch ends after this many batches. The batches run on from where the
     * last epoch stopped; when the data runs out, it is shuffled (or the source reopened) for the next epoch, and an
     * epoch that finds fewer batches left ends early, as Keras's does.
     * <pre>{@code
     * Trainer trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).batchSize(32).stepsPerEpoch(100).build();
     * }</pre>
     *
     * @param stepsPerEpoch at least 1; by default an epoch is one pass over the data
     * @return this builder
     */
    public B stepsPerEpoch(int stepsPerEpoch) {
        settings.stepsPerEpoch(stepsPerEpoch);
        return self();
    }

    /**
     * Keras's {@code validation_freq}: validate only after epochs whose number (from 1) is a multiple of it. The
     * {@code val_} metrics in {@link History} then have one value per validated epoch, as in Keras.
     * <pre>{@code
     * Trainer trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).validationSplit(0.2).validationFreq(5).build();
     * }</pre>
     *
     * @param validationFreq at least 1; default 1
     * @return this builder
     */
    public B validationFreq(int validationFreq) {
        settings.validationFreq(validationFreq);
        return self();
    }

    /**
     * Adds a listener, e.g. {@link EarlyStopping} or {@link ConsoleProgress}; listeners run in the order added.
     *
     * @param listener the listener
     * @return this builder
     */
    public B listener(TrainingListener listener) {
        settings.listener(listener);
        return self();
    }
}
