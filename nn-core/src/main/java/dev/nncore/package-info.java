/**
 * What a user imports first: {@link dev.nncore.Network} (a chain of {@link dev.nncore.Dense} layers),
 * {@link dev.nncore.Activation} and {@link dev.nncore.Loss}, all with Keras's names, shapes and defaults.
 *
 * <p>Start with {@link dev.nncore.Network#builder(int)}, or with {@link dev.nncore.Network#withWeights} to run
 * weights that Keras's {@code model.get_weights()} printed.
 */
package dev.nncore;
