package dev.nncore.keras;

import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.internal.Checks;
import dev.nncore.train.BackpropTrainer;
import dev.nncore.train.Optimizer;
import dev.nncore.train.OptimizerState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model with its training setup, as Keras's {@code model.compile(...)} gives it and a {@code .keras} file keeps it in
 * {@code compile_config} (a legacy {@code .h5} file in its {@code training_config} attribute): the loss, the optimizer,
 * the metrics' names, the loss weights and, when the file holds them, the optimizer's variables (step count, learning
 * rate, slots), so that a loaded model is trained further as Keras's {@code load_model(..., compile=True)} then
 * {@code fit} would.
 *
 * <p>A {@code .keras} file {@link Keras#save(KerasTraining, java.nio.file.Path)} writes with a state resumes exactly
 * (a fit continued from it equals one uninterrupted fit, bit for bit) for every built-in optimizer: Adam, AdamW, SGD,
 * RMSprop, Adagrad, Adadelta, Adamax, Nadam, Lion and Ftrl, with a schedule or clipping too (with EMA, the first fit
 * ends on the averages, as Keras's does: the file then resumes as the same state continued in memory); a custom rule's
 * state cannot be saved. A file Keras wrote resumes with Keras's values (float32 {@code learning_rate} and Nadam
 * {@code u_product}). A legacy {@code .h5} file's {@code optimizer_weights} are read for those optimizers when Keras 3
 * wrote them, and for Adam, AdamW, SGD and RMSprop when Keras 1 or 2 did.
 *
 * <pre>{@code
 * Network network = Network.builder(1).dense(1, Activation.LINEAR).seed(3).build();
 * Matrix x = Matrix.column(1, 2, 3, 4);
 * Matrix y = Matrix.column(2, 4, 6, 8);
 * TrainingResult first = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).optimizer(Optimizer.adam(0.01))
 *         .epochs(5).seed(3).build().fit(network, x, y);
 * Path file = Files.createTempDirectory("compiled").resolve("model.keras");
 * Keras.save(KerasTraining.of(first.network(), Loss.MEAN_SQUARED_ERROR, Optimizer.adam(0.01))
 *         .withOptimizerState(first.optimizerState()), file);
 *
 * KerasTraining loaded = Keras.loadTraining(file);
 * String loss = loaded.loss().kerasName();                           // "mean_squared_error"
 * long steps = loaded.optimizerState().iterations();                 // 5
 * TrainingResult more = loaded.trainer().epochs(10).initialEpoch(5).seed(3).build()
 *         .fit(loaded.network(), x, y);                              // as one fit of 10 epochs
 * }</pre>
 *
 * @param network the model
 * @param loss the loss of a one-output model, or the loss of outputs {@code losses} does not name; null if the file has
 *     none
 * @param losses a loss per output name, for a graph compiled with a loss per output; empty otherwise
 * @param lossWeights Keras's {@code loss_weights} by output name; empty if none
 * @param optimizer the optimizer; null if the file has none
 * @param metrics the names of Keras's {@code metrics}, as the file gives them (e.g. {@code "accuracy"})
 * @param optimizerState the optimizer's variables; null if the file has none (or it has no optimizer)
 * @since 0.2.0
 */
public record KerasTraining(Network network, Loss loss, Map<String, Loss> losses, Map<String, Double> lossWeights,
        Optimizer optimizer, List<String> metrics, OptimizerState optimizerState) {

    /**
     * @throws IllegalArgumentException if the network or a collection is null
     */
    public KerasTraining {
        Checks.notNull(network, "network");
        losses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull(losses, "losses")));
        lossWeights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull(lossWeights, "lossWeights")));
        metrics = List.copyOf(Checks.notNull(metrics, "metrics"));
    }

    /**
     * @param network the model
     * @param loss its loss
     * @param optimizer its optimizer
     * @return a setup without metrics, loss weights or optimizer state
     */
    public static KerasTraining of(Network network, Loss loss, Optimizer optimizer) {
        return new KerasTraining(network, Checks.notNull(loss, "loss"), Map.of(), Map.of(),
                Checks.notNull(optimizer, "optimizer"), List.of(), null);
    }

    /**
     * @param state the optimizer's state at the end of a fit ({@code TrainingResult.optimizerState()}), for
     *     {@link Keras#save(KerasTraining, java.nio.file.Path)} to write as Keras 3's optimizer variables
     * @return a copy with it
     */
    public KerasTraining withOptimizerState(OptimizerState state) {
        return new KerasTraining(network, loss, losses, lossWeights, optimizer, metrics, state);
    }

    /**
     * @param names Keras's metric names, e.g. {@code "accuracy"}
     * @return a copy with them
     */
    public KerasTraining withMetrics(List<String> names) {
        return new KerasTraining(network, loss, losses, lossWeights, optimizer, names, optimizerState);
    }

    /**
     * A trainer builder set up as the file's {@code compile}: its loss (or losses and loss weights), its optimizer
     * and, if the file holds one, the optimizer's state; add {@code epochs}, {@code initialEpoch}, {@code seed} and
     * the rest as for any fit.
     *
     * @return a new builder
     * @throws IllegalStateException if the file had no loss (Keras's compile needs one too)
     */
    public BackpropTrainer.Builder trainer() {
        if (loss == null && losses.isEmpty()) {
            throw new IllegalStateException("this model was saved without a loss (not compiled), so it cannot be trained"
                    + " as saved; build a trainer with loss(...) and optimizer(...) instead");
        }
        BackpropTrainer.Builder builder = BackpropTrainer.builder();
        if (loss != null) {
            builder.loss(loss);
        }
        if (!losses.isEmpty()) {
            builder.losses(losses);
        }
        if (!lossWeights.isEmpty()) {
            builder.lossWeights(lossWeights);
        }
        if (optimizer != null) {
            builder.optimizer(optimizer);
            if (optimizerState != null) {
                builder.optimizerState(optimizerState);
            }
        }
        return builder;
    }
}
