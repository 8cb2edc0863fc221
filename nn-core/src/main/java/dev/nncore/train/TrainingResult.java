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
 * @param network the trained network
 * @param history the fit's history
 * @since 0.1.0
 */
public record TrainingResult(Network network, History history) {

    /**
     * @param network the trained network
     * @param history the fit's history
     * @throws IllegalArgumentException if either is null
     */
    public TrainingResult {
        if (network == null || history == null) {
            throw new IllegalArgumentException("a training result needs a network and a history, got " + network + " and " + history);
        }
    }
}
