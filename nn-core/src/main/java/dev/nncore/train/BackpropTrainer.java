package dev.nncore.train;

import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.math.Matrix;

/**
 * Trains with analytic gradients (float32 backpropagation, {@link Network#gradients}) and a Keras optimizer:
 * Keras's {@code model.compile(optimizer, loss)} then {@code model.fit(x, y, epochs, batch_size, ...)}.
 *
 * <pre>{@code
 * Matrix x = Matrix.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
 * Matrix y = Matrix.column(0, 1, 1, 0);
 * Network xor = Network.builder(2).dense(8, Activation.TANH).dense(1, Activation.SIGMOID).seed(7).build();
 * TrainingResult result = BackpropTrainer.builder()
 *         .loss(Loss.BINARY_CROSSENTROPY)
 *         .optimizer(Optimizer.adam(0.05))
 *         .epochs(300)
 *         .batchSize(4)
 *         .seed(7)
 *         .build()
 *         .fit(xor, x, y);
 * float[] p = result.network().forward(1, 0);          // {1}: XOR of (1, 0), to the nearest integer
 * }</pre>
 *
 * <p>Each step: the batch's forward pass and mean loss, the gradients, the optimizer's update. One step from the
 * same weights matches Keras's (see the project's reference cases). Defaults are Keras's: batch size 32, shuffled
 * every epoch, 1 epoch, and {@link Optimizer#rmsprop()} (Keras's {@code compile} default) when no optimizer is set.
 * The loss has no default, as in Keras.
 *
 * <p>On two threads or more ({@code -Dnncore.threads}) and the Vector API kernel, a Sequential network that starts
 * with two Dense layers,
 * trained on batches of fewer than 128 rows that are large enough to share, has its first layer's units cut between
 * the threads for the whole fit: each thread holds its units' columns of the first kernel and bias, their rows of the
 * second kernel and their optimizer slots in arrays of its own, computes their part of both layers' passes and
 * updates them. The callbacks, the result, checkpoints, backups and the optimizer's state see the weights in Keras's
 * order as always. The bits are reproducible for a given thread count and can differ from one thread's in the last
 * places (the output layer's sums are grouped by part); {@code -Dnncore.noUnitCut=true} turns the cut off. The
 * README's Performance section says when it applies and what it measured.
 *
 * <p>Immutable and thread-safe; each {@link #fit} owns its working weights and optimizer state.
 *
 * @since 0.1.0
 */
public final class BackpropTrainer implements Trainer {

    private final Settings settings;

    private BackpropTrainer(Settings settings) {
        this.settings = settings;
    }

    /** @return a builder with Keras's defaults */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public TrainingResult fit(Network network, Matrix x, Matrix y) {
        return TrainingLoop.run(settings, network, x, y, BackpropStep.factory(settings));
    }

    @Override
    public TrainingResult fit(Network network, Matrix x, Matrix y, float[] sampleWeights) {
        if (sampleWeights == null) {
            throw new IllegalArgumentException("sampleWeights must not be null; call fit(network, x, y) for none");
        }
        return TrainingLoop.run(settings, network, x, y, sampleWeights.clone(), BackpropStep.factory(settings));
    }

    @Override
    public TrainingResult fit(Network network, BatchSource batches) {
        return TrainingLoop.run(settings, network, batches, BackpropStep.factory(settings));
    }

    /** @return e.g. {@code BackpropTrainer[loss=mean_squared_error, optimizer=Adam(...), epochs=10, batchSize=32, ...]} */
    @Override
    public String toString() {
        return "BackpropTrainer[" + settings.describe() + "]";
    }

    /**
     * Collects a {@link BackpropTrainer}'s options; every setter checks its argument at once.
     *
     * <pre>{@code
     * BackpropTrainer trainer = BackpropTrainer.builder()
     *         .loss(Loss.CATEGORICAL_CROSSENTROPY)
     *         .optimizer(Optimizer.adam())
     *         .epochs(20)
     *         .batchSize(32)
     *         .shuffle(true)
     *         .seed(42)
     *         .validationSplit(0.2)
     *         .listener(EarlyStopping.builder().monitor("val_loss").patience(3).restoreBestWeights(true).build())
     *         .build();
     * }</pre>
     *
     * Not thread-safe; {@link #build()} may be called more than once.
     */
    public static final class Builder extends TrainerBuilder<Builder> {

        private Builder() {
        }

        /**
         * @return the trainer; without {@link #optimizer(Optimizer)}, it uses {@link Optimizer#rmsprop()}, Keras's
         *     {@code compile} default
         * @throws IllegalStateException if no loss was set, or both a validation split and validation data were
         */
        public BackpropTrainer build() {
            return new BackpropTrainer(settings.build(Optimizer.rmsprop()));
        }
    }
}
