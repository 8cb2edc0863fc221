package dev.nncore.train;

import dev.nncore.Network;
import dev.nncore.math.Matrix;

/**
 * Trains a network on data, Keras's {@code model.fit(x, y)}: {@link BackpropTrainer} (analytic gradients, fast) and
 * {@link FiniteDifferenceTrainer} (nudges each weight and watches the loss, the tutorial method) share this
 * interface and one training loop.
 *
 * <pre>{@code
 * Trainer trainer = BackpropTrainer.builder()
 *         .loss(Loss.MEAN_SQUARED_ERROR)
 *         .optimizer(Optimizer.adam(0.01))
 *         .epochs(10)
 *         .batchSize(32)
 *         .seed(42)
 *         .build();
 * Network start = Network.builder(1).dense(8, Activation.RELU).dense(1, Activation.LINEAR).seed(42).build();
 * TrainingResult result = trainer.fit(start, Matrix.column(0, 1, 2, 3), Matrix.column(5, 7, 9, 11));
 * }</pre>
 *
 * <p>Implementations are immutable and thread-safe: each {@code fit} owns its training state, so one trainer may
 * run several fits at once.
 *
 * @since 0.1.0
 */
public interface Trainer {

    /**
     * Trains a copy of {@code network} on {@code x} and {@code y}.
     *
     * @param network the starting network; not modified
     * @param x inputs, one row per sample, {@code network.inputs()} columns, all finite; not modified
     * @param y targets, one row per row of {@code x}, {@code network.outputs()} columns, all finite; not modified
     * @return the trained network and the history of the fit
     * @throws IllegalArgumentException before any training if the data does not fit the network or holds NaN or
     *     infinity; the message names the shapes or the row and column, e.g. {@code x has 150 rows but y has 149}
     * @throws TrainingDivergedException if the loss becomes NaN or infinite; it carries the last network whose loss
     *     was finite
     */
    TrainingResult fit(Network network, Matrix x, Matrix y);

    /**
     * Trains a copy of {@code network} on batches read afresh every epoch, for data larger than memory (Keras's
     * {@code fit} on a generator): one batch is held at a time. The source's order is kept ({@code shuffle} does not
     * apply); validation needs {@code validationData}, since there are no last rows to hold out.
     *
     * @param network the starting network; not modified
     * @param batches the data, opened once per epoch
     * @return the trained network and the history of the fit
     * @throws IllegalArgumentException if a batch does not fit the network or holds NaN or infinity (naming the batch,
     *     its row and column), or if {@code validationSplit} is set
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     * @throws UnsupportedOperationException if this trainer reads matrices only (nn-core's trainers read both)
     */
    default TrainingResult fit(Network network, BatchSource batches) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " trains on matrices only");
    }
}
