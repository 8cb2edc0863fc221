package dev.nncore.train;

/**
 * Hears what a fit is doing, Keras's {@code Callback}: {@link EarlyStopping}, {@link ReduceLROnPlateau},
 * {@link LearningRateScheduler}, {@link ModelCheckpoint}, {@link CsvLogger}, {@link TerminateOnNaN},
 * {@link BackupAndRestore}, {@link LambdaCallback} and {@link ConsoleProgress} are listeners, and so is anything a user
 * writes. Every method has an empty default. A listener reads the epoch's metrics from {@link TrainingRun#logs()} and
 * may change the running optimizer's rate with {@link TrainingRun#setLearningRate(double)}.
 *
 * <pre>{@code
 * List<Double> losses = new ArrayList<>();
 * TrainingListener recorder = new TrainingListener() {
 *     @Override
 *     public void onEpochEnd(TrainingRun run, int epoch) {
 *         losses.add(run.history().loss().get(epoch));
 *     }
 * };
 * BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(3).seed(1).listener(recorder).build()
 *         .fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(), Matrix.column(1, 2), Matrix.column(2, 4));
 * // losses has 3 values
 * }</pre>
 *
 * <p>Epochs and batches are indexes counted from 0, as Keras passes them to callbacks. Listeners run on the thread
 * that called {@code fit}, in the order they were added. A listener that throws stops the fit with its exception.
 *
 * @since 0.1.0
 */
public interface TrainingListener {

    /**
     * Before the first epoch.
     *
     * @param run the fit
     */
    default void onTrainBegin(TrainingRun run) {
    }

    /**
     * Before an epoch's first batch.
     *
     * @param run the fit
     * @param epoch the epoch, from 0
     */
    default void onEpochBegin(TrainingRun run, int epoch) {
    }

    /**
     * Before a batch's forward pass.
     *
     * @param run the fit
     * @param epoch the epoch, from 0
     * @param batch the batch within the epoch, from 0
     */
    default void onBatchBegin(TrainingRun run, int epoch, int batch) {
    }

    /**
     * After a batch's update.
     *
     * @param run the fit
     * @param epoch the epoch, from 0
     * @param batch the batch, from 0
     * @param loss the epoch's loss so far: the mean of its batch losses up to this one, weighted by batch size
     */
    default void onBatchEnd(TrainingRun run, int epoch, int batch, double loss) {
    }

    /**
     * After an epoch, once its metrics are in {@link TrainingRun#history()}.
     *
     * @param run the fit
     * @param epoch the epoch, from 0
     */
    default void onEpochEnd(TrainingRun run, int epoch) {
    }

    /**
     * After the last epoch, or after the epoch in which {@link TrainingRun#stop()} was called. Not called when the
     * fit ends with an exception.
     *
     * @param run the fit
     */
    default void onTrainEnd(TrainingRun run) {
    }
}
