/**
 * Training: {@link dev.nncore.train.BackpropTrainer} (analytic gradients) and
 * {@link dev.nncore.train.FiniteDifferenceTrainer} (the tutorials' nudge-each-weight method) behind one
 * {@link dev.nncore.train.Trainer} interface and one Keras-style {@code fit} loop (with Keras's {@code initial_epoch},
 * {@code steps_per_epoch} and {@code validation_freq}); the {@link dev.nncore.train.History} a fit returns inside its
 * {@link dev.nncore.train.TrainingResult}; and {@link dev.nncore.train.GradientCheck}.
 *
 * <p>Optimizers: {@link dev.nncore.train.Optimizer} holds Keras 3's ten (SGD, Adam, AdamW, RMSprop, Adagrad,
 * Adadelta, Adamax, Nadam, Lion, Ftrl) and its shared options (clipping, weight decay, EMA); each rule is one
 * package-private file ({@code AdamRule}, ...), and {@link dev.nncore.train.UpdateRule} is the interface for a rule of
 * your own. A {@link dev.nncore.train.LearningRateSchedule} makes the rate a function of the step. A fit returns its
 * optimizer's {@link dev.nncore.train.OptimizerState}, from which a later fit goes on
 * ({@link dev.nncore.train.TrainerBuilder#optimizerState}).
 *
 * <p>Callbacks are {@link dev.nncore.train.TrainingListener}s: {@link dev.nncore.train.EarlyStopping},
 * {@link dev.nncore.train.ReduceLROnPlateau}, {@link dev.nncore.train.LearningRateScheduler},
 * {@link dev.nncore.train.ModelCheckpoint}, {@link dev.nncore.train.CsvLogger},
 * {@link dev.nncore.train.TerminateOnNaN}, {@link dev.nncore.train.BackupAndRestore},
 * {@link dev.nncore.train.LambdaCallback} and {@link dev.nncore.train.ConsoleProgress} (Keras's {@code verbose}); they
 * see the fit through {@link dev.nncore.train.TrainingRun} (its epoch logs, its learning rate).
 *
 * <p>Start with {@link dev.nncore.train.BackpropTrainer#builder()}. Networks stay immutable: a fit trains a working
 * copy of the weights that only it sees and returns a new {@link dev.nncore.Network}.
 */
package dev.nncore.train;
