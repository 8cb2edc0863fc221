/**
 * Training: {@link dev.nncore.train.BackpropTrainer} (analytic gradients) and
 * {@link dev.nncore.train.FiniteDifferenceTrainer} (the tutorials' nudge-each-weight method) behind one
 * {@link dev.nncore.train.Trainer} interface and one Keras-style {@code fit} loop; Keras's optimizers
 * ({@link dev.nncore.train.Optimizer}); the {@link dev.nncore.train.History} a fit returns inside its
 * {@link dev.nncore.train.TrainingResult}; listeners ({@link dev.nncore.train.EarlyStopping},
 * {@link dev.nncore.train.ConsoleProgress}); and {@link dev.nncore.train.GradientCheck}.
 *
 * <p>Start with {@link dev.nncore.train.BackpropTrainer#builder()}. Networks stay immutable: a fit trains a working
 * copy of the weights that only it sees and returns a new {@link dev.nncore.Network}.
 */
package dev.nncore.train;
