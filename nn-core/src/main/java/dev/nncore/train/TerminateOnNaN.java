package dev.nncore.train;

/**
 * Ends a fit when a batch's loss is NaN or infinite, Keras's {@code TerminateOnNaN} callback: instead of the
 * {@link TrainingDivergedException} a fit throws otherwise, it returns normally. That epoch is recorded with its
 * non-finite loss and is the last; the network returned has the last weights whose batch loss was finite, those
 * {@link TrainingDivergedException#lastFiniteNetwork()} would hold (Keras's would hold the NaN update).
 *
 * <pre>{@code
 * TrainingResult result = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(1e6))
 *         .epochs(50).seed(1).listener(new TerminateOnNaN()).build()
 *         .fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(), Matrix.column(1, 2, 3), Matrix.column(2, 4, 6));
 * int epochs = result.history().epochs();   // fewer than 50; the last loss is not finite
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.2.0
 */
public final class TerminateOnNaN implements TrainingListener {

    /** The callback; it has no options, as Keras's has none. */
    public TerminateOnNaN() {
    }

    @Override
    public void onBatchEnd(TrainingRun run, int epoch, int batch, double loss) {
        if (!Double.isFinite(loss)) {
            run.stop();
        }
    }

    /** @return {@code TerminateOnNaN} */
    @Override
    public String toString() {
        return "TerminateOnNaN";
    }
}
