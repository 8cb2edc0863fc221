package dev.nncore.train;

import dev.nncore.Network;

/**
 * Thrown when the training loss becomes NaN or infinite, which is what a too-large learning rate usually does. It
 * says where (epoch and batch, counted from 1 as Keras prints them) and carries the last network whose loss was
 * finite and the history of the epochs completed before, so nothing is lost.
 *
 * <pre>{@code
 * try {
 *     BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(1e6)).epochs(50).seed(1).build()
 *             .fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(),
 *                     Matrix.column(1, 2, 3), Matrix.column(2, 4, 6));
 * } catch (TrainingDivergedException e) {
 *     Network lastGood = e.lastFiniteNetwork();     // its loss was finite
 *     int epoch = e.epoch();                        // where the loss stopped being finite
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Network lastFiniteNetwork;
    private final transient History history;
    private final int epoch;
    private final int batch;
    private final double loss;

    TrainingDivergedException(int epoch, int epochs, int batch, int batches, double loss, Network lastFiniteNetwork,
            History history, String hint) {
        super("training diverged: the loss became " + loss + " in epoch " + epoch + "/" + epochs + ", batch " + batch
                + "/" + batches + "; " + hint + ". The exception carries the last network whose loss was finite"
                + " (lastFiniteNetwork()) and the history of the epochs before");
        this.lastFiniteNetwork = lastFiniteNetwork;
        this.history = history;
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
    }

    /**
     * @return the weights before the update that made the loss non-finite: the last network whose batch loss was
     *     finite (the network passed to {@code fit} if the very first batch already failed)
     */
    public Network lastFiniteNetwork() {
        return lastFiniteNetwork;
    }

    /** @return the epochs completed before the failing one */
    public History history() {
        return history;
    }

    /** @return the epoch in which the loss became non-finite, counted from 1 */
    public int epoch() {
        return epoch;
    }

    /** @return the batch of that epoch whose loss was non-finite, counted from 1 */
    public int batch() {
        return batch;
    }

    /** @return the non-finite loss: NaN or an infinity */
    public double loss() {
        return loss;
    }
}
