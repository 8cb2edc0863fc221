package dev.nncore.train;

import dev.nncore.Network;

/**
 * What {@link Trainer#fit} returns: the trained network (a new one; the network passed in is unchanged) and the
 * {@link History} of the fit.
 *
 * <pre>{@code
 * Network start = Network.builder(1).dense(1, Activation.LINEAR).seed(3).build();
 * TrainingResult result = BackpropTrainer.builder()
 *         .loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.sgd(0.05)).epochs(200).seed(3).build()
 *         .fit(start, Matrix.column(1, 2, 3, 4), Matrix.column(2, 4, 6, 8));
 * Network trained = result.network();                  // close to y = 2x
 * float y5 = trained.forward(5f)[0];                    // 10.0, as y = 2x predicts
 * History history = result.history();
 * }</pre>
 *
 * <p>{@link #optimizerState()} is the optimizer's state at the end, to go on training
 * ({@link TrainerBuilder#optimizerState}) or to save with the network ({@code Keras.save(network, training, file)}).
 *
 * @param network the trained network
 * @param history the fit's history
 * @param optimizerState the optimizer's state at the end of the fit, or null (a trainer without an optimizer state)
 * @since 0.1.0
 */
public record TrainingResult(Network network, History history, OptimizerState optimizerState) {

    /**
     * @param network the trained network
     * @param history the fit's history
     * @param optimizerState the optimizer's state at the end, or null
     * @throws IllegalArgumentException if the network or history is null
     */
    public TrainingResult {
        if (network == null || history == null) {
            throw new IllegalArgumentException("a training result needs a network and a history, got " + network + " and " + history);
        }
    }

    /**
     * A result without an optimizer state.
     *
     * @param network the trained network
     * @param history the fit's history
     * @throws IllegalArgumentException if either is null
     */
    public TrainingResult(Network network, History history) {
        this(network, history, null);
    }
}
