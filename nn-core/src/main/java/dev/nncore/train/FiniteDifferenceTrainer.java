package dev.nncore.train;

import dev.nncore.Loss;
import dev.nncore.Network;
import java.util.List;
import java.util.random.RandomGenerator;
import dev.nncore.internal.Checks;
import dev.nncore.math.Matrix;

/**
 * Trains by nudging each weight a little and watching the loss, the tutorials' method: slow (two forward passes
 * per weight per batch, with central differences) but every number can be followed by hand.
 *
 * <p>With {@link Difference#FORWARD}, {@code step(1e-4)}, {@code Optimizer.sgd(0.01)}, full batches and no
 * shuffling, one epoch is exactly the cookbook's {@code update_weights}: for each weight,
 * {@code gradient = (L(w + 0.0001) - L(w)) / 0.0001} with every other weight at its old value, then all weights move
 * together, {@code w -= 0.01 * gradient}.
 *
 * <pre>{@code
 * Network line = Network.of(Dense.of(new float[][] {{1.477867f}}, new float[] {0}, Activation.LINEAR));
 * TrainingResult result = FiniteDifferenceTrainer.builder()
 *         .loss(Loss.MEAN_SQUARED_ERROR)
 *         .optimizer(Optimizer.sgd(0.01))
 *         .difference(FiniteDifferenceTrainer.Difference.FORWARD)
 *         .step(1e-4)
 *         .batchSize(4)
 *         .shuffle(false)
 *         .epochs(1)
 *         .build()
 *         .fit(line, Matrix.column(1, 2, 3, 4), Matrix.column(2, 4, 6, 8));
 * float w = result.network().getWeights().get(0).get(0, 0);   // 1.5561794, the cookbook's first update
 * }</pre>
 *
 * <p>The loss is evaluated in float64 on the network's float32 weights (nudged in a float64 working copy, in place,
 * with buffers allocated once): in float32 a nudge of 1e-4 would change the loss by about as much as rounding does.
 * The updated weights are rounded to float32. Options and defaults are {@link BackpropTrainer}'s, except the
 * optimizer, which defaults to the cookbook's {@code Optimizer.sgd(0.01)}.
 *
 * <p>Immutable and thread-safe; each {@link #fit} owns its working weights and optimizer state.
 *
 * @since 0.1.0
 */
public final class FiniteDifferenceTrainer implements Trainer {

    /**
     * How the slope of the loss in one weight is estimated.
     *
     * <pre>{@code
     * FiniteDifferenceTrainer book = FiniteDifferenceTrainer.builder()
     *         .loss(Loss.MEAN_SQUARED_ERROR)
     *         .difference(FiniteDifferenceTrainer.Difference.FORWARD)   // the cookbook's (L(w + h) - L(w)) / h
     *         .build();
     * }</pre>
     */
    public enum Difference {
        /** {@code (L(w + h) - L(w - h)) / 2h}: error ~h^2, two forward passes per weight. */
        CENTRAL,
        /** {@code (L(w + h) - L(w)) / h}: error ~h, one forward pass per weight; the cookbook's. */
        FORWARD
    }

    private final Settings settings;
    private final double step;
    private final Difference difference;

    private FiniteDifferenceTrainer(Settings settings, double step, Difference difference) {
        this.settings = settings;
        this.step = step;
        this.difference = difference;
    }

    /** @return a builder with Keras's defaults, central differences and a step of 1e-4 */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public TrainingResult fit(Network network, Matrix x, Matrix y) {
        return TrainingLoop.run(settings, network, x, y, this::newStep);
    }

    @Override
    public TrainingResult fit(Network network, BatchSource batches) {
        return TrainingLoop.run(settings, network, batches, this::newStep);
    }

    FiniteDifferenceStep newStep(Network network, List<float[][]> weights, RandomGenerator random) {
        if (!settings.classWeight().isEmpty()) {
            throw new IllegalArgumentException("the finite-difference trainer does not weight samples; for classWeight use"
                    + " BackpropTrainer");
        }
        if (!settings.outputLosses().isEmpty()) {
            throw new IllegalArgumentException("the finite-difference trainer applies one loss to every output; for a loss"
                    + " or a weight per output use BackpropTrainer");
        }
        return new FiniteDifferenceStep(network, settings.loss(), settings.optimizer(), step, difference == Difference.CENTRAL,
                weights, random);
    }

    /** @return e.g. {@code FiniteDifferenceTrainer[CENTRAL, step=1.0E-4, loss=mean_squared_error, ...]} */
    @Override
    public String toString() {
        return "FiniteDifferenceTrainer[" + difference + ", step=" + step + ", " + settings.describe() + "]";
    }

    /**
     * Collects a {@link FiniteDifferenceTrainer}'s options; every setter checks its argument at once.
     *
     * <pre>{@code
     * FiniteDifferenceTrainer trainer = FiniteDifferenceTrainer.builder()
     *         .loss(Loss.MEAN_SQUARED_ERROR)
     *         .difference(FiniteDifferenceTrainer.Difference.CENTRAL)
     *         .step(1e-4)
     *         .epochs(100)
     *         .seed(1)
     *         .build();
     * }</pre>
     *
     * Not thread-safe; {@link #build()} may be called more than once.
     */
    public static final class Builder extends TrainerBuilder<Builder> {

        private double step = 1e-4;
        private Difference difference = Difference.CENTRAL;

        private Builder() {
        }

        /**
         * @param step the nudge {@code h} added to a weight, a finite number above 0; default 1e-4, the cookbook's
         * @return this builder
         */
        public Builder step(double step) {
            this.step = Checks.positive(step, "step");
            return this;
        }

        /**
         * @param difference central (default) or forward differences
         * @return this builder
         */
        public Builder difference(Difference difference) {
            this.difference = Checks.notNull(difference, "difference");
            return this;
        }

        /**
         * @return the trainer; without {@link #optimizer(Optimizer)}, it uses {@code Optimizer.sgd(0.01)}, the cookbook's
         * @throws IllegalStateException if no loss was set, or both a validation split and validation data were
         */
        public FiniteDifferenceTrainer build() {
            return new FiniteDifferenceTrainer(settings.build(Optimizer.sgd(0.01)), step, difference);
        }
    }
}
